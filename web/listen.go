package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Listen opens the listening socket on addr, or on Config.Server.Addr
// when addr is "", so that a caller can print the real address (for example
// with port 0) before serving.
func (s *Server) Listen(addr string) (net.Listener, error) {
	if addr == "" {
		addr = s.cfg.Server.Addr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// Serve serves on ln until ctx ends, then shuts down gracefully, giving
// requests 10 seconds to finish. It serves HTTPS when server.tls_cert and
// tls_key are set, /metrics on server.metrics_addr when that is set, and
// runs the scheduled re-crawls while serving. Once stopped it closes s
// (see Close).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := newHTTPServer(s)
	var metricsSrv *http.Server
	errc := make(chan error, 2)
	if addr := s.cfg.Server.MetricsAddr; addr != "" {
		mln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("listen for metrics on %s: %w", addr, err)
		}
		metricsSrv = newHTTPServer(s.metricsMux())
		go func() { errc <- metricsSrv.Serve(mln) }()
		s.log.Info("serving metrics", "addr", "http://"+mln.Addr().String()+"/metrics")
	}
	loopCtx, stopLoop := context.WithCancel(ctx)
	loopDone := make(chan struct{})
	go func() {
		defer close(loopDone)
		s.recrawlLoop(loopCtx)
	}()
	scheme := "http://"
	if cert, key := s.cfg.Server.TLSCert, s.cfg.Server.TLSKey; cert != "" {
		scheme = "https://"
		go func() { errc <- srv.ServeTLS(ln, cert, key) }()
	} else {
		go func() { errc <- srv.Serve(ln) }()
	}
	s.log.Info("serving", "addr", scheme+ln.Addr().String())

	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	if serr := srv.Shutdown(shutCtx); err == nil {
		err = serr
	}
	if metricsSrv != nil {
		metricsSrv.Shutdown(shutCtx)
	}
	cancel()
	stopLoop()
	<-loopDone
	s.Close() // no request runs now: write the searches still queued
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	if err != nil {
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	s.log.Info("server stopped")
	return nil
}

// newHTTPServer is an http.Server for h with timeouts that bound slow clients.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// recrawlLoop runs Recrawl every Config.Server.RecrawlEvery until ctx ends.
func (s *Server) recrawlLoop(ctx context.Context) {
	every := s.cfg.Server.RecrawlEvery
	if s.recrawl == nil || every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.runRecrawl(ctx)
		}
	}
}

// runRecrawl runs one scheduled re-crawl and records its outcome.
func (s *Server) runRecrawl(ctx context.Context) {
	start := time.Now()
	s.log.Info("scheduled re-crawl started")
	if err := s.recrawl(ctx); err != nil {
		s.metrics.recrawls.WithLabelValues("error").Inc()
		s.log.Error("scheduled re-crawl failed", "err", err, "duration", time.Since(start).String())
		return
	}
	s.metrics.recrawls.WithLabelValues("ok").Inc()
	s.log.Info("scheduled re-crawl done", "duration", time.Since(start).String())
}
