// Command gongkai crawls, indexes, searches and counts the documents a local
// government publishes under 政务公开. Run `gongkai help` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := execute(ctx, newRoot()); err != nil {
		var ue *usageError
		fmt.Fprintln(os.Stderr, "gongkai:", err)
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake in how a command was called (exit status 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// execute runs root. An error cobra reports before a command starts (an
// unknown command or flag, a bad flag value, wrong arguments, a missing
// required flag) is returned as a usage error, like gongkai's own.
func execute(ctx context.Context, root *cobra.Command) error {
	started := false
	pre := root.PersistentPreRun
	root.PersistentPreRun = func(cmd *cobra.Command, args []string) {
		started = true
		if pre != nil {
			pre(cmd, args)
		}
	}
	err := root.ExecuteContext(ctx)
	var ue *usageError
	if err != nil && !started && !errors.As(err, &ue) {
		return &usageError{msg: err.Error()}
	}
	return err
}

func newRoot() *cobra.Command {
	app := &app{}
	root := &cobra.Command{
		Use:           "gongkai",
		Short:         "gongkai — 政务公开 search and analytics",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(*cobra.Command, []string) {
			slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: app.logLevel()})))
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&app.dataDir, "data", "./gongkai-data", "data directory (store and index)")
	pf.StringVar(&app.configPath, "config", "", "configuration file (default: DATA/gongkai.yaml when it exists, else built-in defaults)")
	pf.BoolVarP(&app.verbose, "verbose", "v", false, "log debug messages")
	pf.DurationVar(&app.lockWait, "lock-wait", time.Minute, "how long to wait for the search index while another gongkai process holds it")
	root.AddCommand(
		app.configCmd(), app.passwdCmd(), app.ingestCmd(), app.indexCmd(), app.searchCmd(),
		app.crawlCmd(), app.extractCmd(), app.probeCmd(), app.statsCmd(), app.reportCmd(), app.alertsCmd(),
		app.serveCmd(), app.demoCmd(), app.benchCmd(), app.purgeCmd(), app.exportCmd(), app.versionCmd(),
		app.backupCmd(), app.restoreCmd(),
	)
	app.releaseDataAfter(root)
	return root
}
