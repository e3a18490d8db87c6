package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"gongkai/indexer"
	"gongkai/store"
)

func (a *app) indexCmd() *cobra.Command {
	var rebuild bool
	cmd := &cobra.Command{
		Use:   "index [--rebuild]",
		Short: "bring the search index up to date with the store (or rebuild it from the store)",
		Example: `  gongkai index
  gongkai index --rebuild`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.openStore()
			if err != nil {
				return err
			}
			defer st.Close()
			if rebuild {
				return a.rebuildIndex(cmd, st)
			}
			return a.syncIndex(cmd, st)
		},
	}
	cmd.Flags().BoolVar(&rebuild, "rebuild", false, "build a new index from the store and swap it in")
	return cmd
}

// openIndex opens the index in the data directory, creating it when there
// is none yet; it reads document text from st.
func (a *app) openIndex(st *store.Store) (*indexer.Index, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	ix, err := indexer.OpenOrCreate(a.indexPath(), cfg, st)
	if errors.Is(err, indexer.ErrCorrupt) {
		return nil, fmt.Errorf("%w: run `gongkai index --rebuild` to build it again from the store", err)
	}
	return ix, err
}

// syncIndex indexes what the store holds and the index lacks.
func (a *app) syncIndex(cmd *cobra.Command, st *store.Store) error {
	ix, err := a.openIndex(st)
	if err != nil {
		return err
	}
	defer ix.Close()
	bar := newProgress(cmd.ErrOrStderr(), "索引")
	res, err := ix.Sync(cmd.Context(), st, bar.set)
	bar.finish()
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	printIndexStats(cmd, res)
	return nil
}

// rebuildIndex builds a new index from the store and swaps it in; an index
// that cannot be opened (corrupt, or of an older version) is replaced.
func (a *app) rebuildIndex(cmd *cobra.Command, st *store.Store) error {
	cfg, err := a.config()
	if err != nil {
		return err
	}
	bar := newProgress(cmd.ErrOrStderr(), "重建索引")
	var res indexer.SyncStats
	ix, err := indexer.OpenOrCreate(a.indexPath(), cfg, st)
	switch {
	case errors.Is(err, indexer.ErrCorrupt):
		fmt.Fprintf(cmd.ErrOrStderr(), "索引无法打开（%v），从数据库重建\n", err)
		ix, res, err = indexer.Replace(cmd.Context(), a.indexPath(), cfg, st, bar.set)
	case err == nil:
		res, err = ix.Rebuild(cmd.Context(), st, bar.set)
	}
	bar.finish()
	if ix != nil {
		defer ix.Close()
	}
	if err != nil {
		return fmt.Errorf("rebuild index: %w", err)
	}
	printIndexStats(cmd, res)
	return nil
}

func printIndexStats(cmd *cobra.Command, r indexer.SyncStats) {
	d := time.Duration(r.Duration * float64(time.Second)).Round(time.Millisecond)
	fmt.Fprintf(cmd.OutOrStdout(), "index: %d indexed, %d deleted, %d documents, store sequence %d, %s\n",
		r.Indexed, r.Deleted, r.Docs, r.LastSeq, d)
}
