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
// requests 10 seconds to finish. It runs the scheduled re-crawls while
// serving.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	loopCtx, stopLoop := context.WithCancel(ctx)
	loopDone := make(chan struct{})
	go func() {
		defer close(loopDone)
		s.recrawlLoop(loopCtx)
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving", "addr", "http://"+ln.Addr().String())

	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = srv.Shutdown(shutCtx)
		cancel()
		<-errc
	}
	stopLoop()
	<-loopDone
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	if err != nil {
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	s.log.Info("server stopped")
	return nil
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
