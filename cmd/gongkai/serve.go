package main

import (
	"context"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/alert"
	"github.com/gongkai-project/gongkai/analytics"
	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
	"github.com/gongkai-project/gongkai/web"
)

func (a *app) serveCmd() *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "serve [--addr ADDR]",
		Short: "serve the search pages, staff dashboard, trends and JSON API (" + config.DefaultAddr + " unless configured)",
		Example: `  gongkai --config gongkai.yaml serve
  gongkai serve --addr 0.0.0.0:8080   # beyond loopback only on purpose`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// The data directory's lock comes first: restore holds it while it
			// replaces the configuration and database, which must not be read or
			// created meanwhile. The serve lock then tells other commands to hand
			// their index updates to this server.
			if err := a.lockData(false); err != nil {
				return err
			}
			unlock, err := indexer.LockServing(a.indexPath())
			if err != nil {
				return err
			}
			defer unlock()
			cfg, err := a.config()
			if err != nil {
				return err
			}
			limitServing(cfg, os.Getenv)
			st, err := a.openStore()
			if err != nil {
				return err
			}
			defer st.Close()
			ix, err := a.openIndex(cmd.Context(), st, nil)
			if err != nil {
				return err
			}
			defer ix.Close()
			// Listen first; what the store holds beyond the index is indexed
			// meanwhile (searches see it batch by batch).
			var syncing sync.WaitGroup
			defer syncing.Wait()
			return serveWeb(cmd, st, ix, cfg, addr, func(string) {
				syncing.Go(func() {
					if _, err := ix.Sync(cmd.Context(), st, nil); err != nil && cmd.Context().Err() == nil {
						slog.Error("bring the index up to date", "err", err)
					}
				})
			})
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "listen address (default server.addr, "+config.DefaultAddr+")")
	return cmd
}

// serveWeb serves until the command's context ends. ready, if set, is
// called with the base URL once the server listens.
func serveWeb(cmd *cobra.Command, st *store.Store, ix *indexer.Index, cfg *config.Config, addr string, ready func(url string)) error {
	asOf := func() time.Time {
		t, err := analytics.ResolveAsOf(cfg, time.Time{})
		if err != nil {
			return time.Now()
		}
		return t
	}
	stats := analytics.NewCache(st)
	alerts := alert.New(st, cfg, stats)
	srv, err := web.New(web.Options{Store: st, Index: ix, Config: cfg, AsOf: asOf, Stats: stats,
		Recrawl: func(ctx context.Context) error {
			if _, err := crawler.New(st, cfg, crawler.Options{}).Run(ctx); err != nil {
				return err
			}
			if _, err := ix.Sync(ctx, st, nil); err != nil {
				return err
			}
			if len(cfg.Alerts.Channels) > 0 {
				if _, err := alerts.Send(ctx, time.Time{}); err != nil {
					slog.Warn("alerts after the scheduled crawl not all sent; the next run tries again", "err", err)
				}
			}
			return nil
		}})
	if err != nil {
		return err
	}

	ln, err := srv.Listen(addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	if host, port, err := net.SplitHostPort(ln.Addr().String()); err == nil && (host == "::" || host == "0.0.0.0") {
		slog.Warn("listening on every network interface", "addr", ln.Addr().String())
		url = "http://127.0.0.1:" + port
	}
	go followStore(cmd.Context(), st, ix)
	slog.Info("serving", "url", url)
	if ready != nil {
		ready(url)
	}
	dailyCtx, stopDaily := context.WithCancel(cmd.Context())
	dailyDone := make(chan struct{})
	go func() {
		defer close(dailyDone)
		if len(cfg.Alerts.Channels) > 0 {
			alerts.Daily(dailyCtx)
		}
	}()
	err = srv.Serve(cmd.Context(), ln)
	stopDaily()
	<-dailyDone
	return err
}

// followInterval is how often the server looks for documents that another
// process (gongkai ingest, crawl, index) stored.
const followInterval = 2 * time.Second

// followStore indexes what other processes store while the server runs:
// they cannot open the index it holds, so they store their documents, say
// that the server indexes them, and exit. Looking costs one read of the
// store's last sequence.
func followStore(ctx context.Context, st *store.Store, ix *indexer.Index) {
	t := time.NewTicker(followInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		seq, err := st.MaxSeq(ctx)
		if err != nil {
			continue
		}
		if at, err := ix.Seq(); err != nil || seq <= at {
			continue
		}
		res, err := ix.Sync(ctx, st, nil)
		if err != nil {
			if ctx.Err() == nil {
				slog.Warn("index documents stored by another process", "err", err)
			}
			continue
		}
		slog.Info("indexed documents stored by another process", "indexed", res.Indexed, "deleted", res.Deleted, "seq", res.LastSeq)
	}
}
