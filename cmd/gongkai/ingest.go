package main

import (
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/store"
)

func (a *app) ingestCmd() *cobra.Command {
	var noIndex bool
	cmd := &cobra.Command{
		Use:     "ingest FILE.jsonl[.gz]",
		Short:   "store documents from a JSONL file (bad lines are reported and skipped), then update the index",
		Example: `  gongkai ingest documents.jsonl.gz`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("ingest: %w", err)
			}
			defer f.Close()
			st, err := a.openStore()
			if err != nil {
				return err
			}
			defer st.Close()
			start := time.Now()
			stats, err := st.Ingest(cmd.Context(), f, 200, func(e *store.LineError) {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s:%d: rejected: %v\n", args[0], e.Line, e.Err)
			})
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d new, %d updated, %d unchanged, %d rejected in %s\n",
				args[0], stats.New, stats.Updated, stats.Unchanged, stats.Rejected, time.Since(start).Round(time.Millisecond))
			if stats.Withheld > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "%d withheld: purged by staff (gongkai purge --lift to allow them again)\n", stats.Withheld)
			}
			if err != nil {
				return fmt.Errorf("ingest %s: %w (documents of earlier batches are stored; run again to complete)", args[0], err)
			}
			cfg, err := a.config()
			if err != nil {
				return err
			}
			if err := assignUnits(cmd.Context(), st, cfg); err != nil { // lines that name no unit
				return fmt.Errorf("ingest %s: %w", args[0], err)
			}
			rs, err := st.ApplyRepeals(cmd.Context())
			if err != nil {
				return fmt.Errorf("ingest %s: %w", args[0], err)
			}
			if rs.Marked+rs.Cleared > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "有效性: %d documents newly marked 已废止 by %d repealing notices, %d marks cleared\n",
					rs.Marked, rs.Notices, rs.Cleared)
			}
			if noIndex {
				return nil
			}
			slog.Debug("ingest done, updating index")
			return a.syncIndex(cmd, st)
		},
	}
	cmd.Flags().BoolVar(&noIndex, "no-index", false, "store only; do not update the search index")
	return cmd
}
