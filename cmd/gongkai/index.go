package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

func (a *app) indexCmd() *cobra.Command {
	var rebuild, merge bool
	cmd := &cobra.Command{
		Use:   "index [--rebuild | --merge] [--json]",
		Short: "bring the search index up to date with the store (or rebuild it from the store)",
		Example: `  gongkai index
  gongkai index --rebuild
  gongkai index --merge  # then merge its segments as a full build ends
  gongkai index --json   # {"indexed":12,"deleted":0,"last_seq":4080,"bytes":…,"documents":4080,"seconds":1.9}`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.openStore()
			if err != nil {
				return err
			}
			defer st.Close()
			switch {
			case rebuild:
				return a.rebuildIndex(cmd, st)
			case merge:
				return a.mergeIndex(cmd, st)
			}
			return a.syncIndex(cmd, st)
		},
	}
	cmd.Flags().BoolVar(&rebuild, "rebuild", false, "build a new index from the store and swap it in")
	cmd.Flags().BoolVar(&merge, "merge", false, "bring the index up to date, then merge its segments into as few as search.memory_mb allows, as a full build ends (fewer segments, less CPU per search; needs free disk for a second copy of the index while it runs)")
	cmd.MarkFlagsMutuallyExclusive("rebuild", "merge")
	cmd.Flags().BoolVar(&a.indexJSON, "json", false, "print what was done as one JSON object (indexed, deleted, last_seq, bytes, documents, seconds; after a full build or a merge also segments and segments_before; {\"serve_running\":true} when a running gongkai serve indexes instead) instead of a line of text")
	return cmd
}

// openIndex opens the index in the data directory, creating it when there
// is none yet; it reads document text from st. While another process holds
// the index it waits up to --lock-wait, or until interrupted.
func (a *app) openIndex(ctx context.Context, st *store.Store, stop func() error) (*indexer.Index, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	ix, err := indexer.WaitFor(ctx, a.lockWait, stop, func() (*indexer.Index, error) {
		return indexer.OpenOrCreate(a.indexPath(), cfg, st)
	})
	return ix, a.indexError(err)
}

// indexError adds what to do to an error opening the index.
func (a *app) indexError(err error) error {
	switch {
	case errors.Is(err, indexer.ErrCorrupt):
		return fmt.Errorf("%w: run `gongkai index --rebuild` to build it again from the store", err)
	case errors.Is(err, indexer.ErrBusy) && indexer.Serving(a.indexPath()):
		return fmt.Errorf("%w: gongkai serve is running on this data directory", err)
	}
	return err
}

// errServing ends a wait for the index: the running server indexes what
// was stored.
var errServing = errors.New("gongkai serve is running")

// syncIndex indexes what the store holds and the index lacks. When a
// gongkai serve runs on the same data, it says so and leaves the work to
// the server, which follows the store (serve.go).
func (a *app) syncIndex(cmd *cobra.Command, st *store.Store) error {
	ix, err := a.openIndex(cmd.Context(), st, func() error {
		if indexer.Serving(a.indexPath()) {
			return errServing
		}
		return nil
	})
	if errors.Is(err, errServing) {
		if a.indexJSON {
			fmt.Fprintln(cmd.ErrOrStderr(), "gongkai serve 正在运行，新文档将由它编入索引")
			fmt.Fprintln(cmd.OutOrStdout(), `{"serve_running":true}`)
			return nil
		}
		fmt.Fprintln(cmd.OutOrStdout(), "gongkai serve 正在运行，新文档将由它编入索引")
		return nil
	}
	if err != nil {
		return err
	}
	defer ix.Close()
	restore, err := a.limitMemory()
	if err != nil {
		return err
	}
	defer restore()
	res, err := a.syncWithProgress(cmd, ix, st)
	if err != nil {
		return err
	}
	a.printIndexStats(cmd, res)
	return nil
}

// limitMemory sets Go's heap limit to the index build's budget
// (search.memory_mb) and returns the function that puts the previous one back.
func (a *app) limitMemory() (restore func(), err error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	return indexer.SetMemoryLimit(cfg.Search.MemoryMB, os.Getenv), nil
}

// syncWithProgress indexes what st holds and ix lacks, drawing a progress
// bar on a terminal's stderr.
func (a *app) syncWithProgress(cmd *cobra.Command, ix *indexer.Index, st *store.Store) (indexer.SyncStats, error) {
	bar := newProgress(cmd.ErrOrStderr(), "索引")
	res, err := ix.Sync(cmd.Context(), st, bar.set)
	bar.finish()
	if err != nil {
		return res, fmt.Errorf("index: %w", err)
	}
	return res, nil
}

// rebuildIndex builds a new index from the store and swaps it in; an index
// that cannot be opened (corrupt, or of an older version) is replaced.
func (a *app) rebuildIndex(cmd *cobra.Command, st *store.Store) error {
	cfg, err := a.config()
	if err != nil {
		return err
	}
	defer indexer.SetMemoryLimit(cfg.Search.MemoryMB, os.Getenv)()
	bar := newProgress(cmd.ErrOrStderr(), "重建索引")
	var res indexer.SyncStats
	ix, err := indexer.WaitFor(cmd.Context(), a.lockWait, nil, func() (*indexer.Index, error) {
		return indexer.OpenOrCreate(a.indexPath(), cfg, st)
	})
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
		return fmt.Errorf("rebuild index: %w", a.indexError(err))
	}
	a.printIndexStats(cmd, res)
	return nil
}

// mergeIndex brings the index up to date with the store, then merges its
// segments as a full build ends, saying on stderr what it is about to merge.
// It needs the index to itself: while gongkai serve runs on the data
// directory it waits up to --lock-wait.
func (a *app) mergeIndex(cmd *cobra.Command, st *store.Store) error {
	restore, err := a.limitMemory()
	if err != nil {
		return err
	}
	defer restore()
	ix, err := a.openIndex(cmd.Context(), st, nil)
	if err != nil {
		return fmt.Errorf("merge index: %w", err)
	}
	defer ix.Close()
	res, err := a.syncWithProgress(cmd, ix, st)
	if err != nil {
		return err
	}
	if err := announceMerge(cmd.ErrOrStderr(), ix); err != nil {
		return err
	}
	m, err := ix.Merge(cmd.Context())
	if err != nil {
		return fmt.Errorf("merge index: %w", err)
	}
	res.Docs, res.LastSeq, res.Duration = m.Docs, m.LastSeq, res.Duration+m.Duration
	res.Segments, res.SegmentsBefore = m.Segments, m.SegmentsBefore
	a.printIndexStats(cmd, res)
	return nil
}

// announceMerge tells the operator, before a merge that can take a quarter
// of an hour on a large index, what is merged and what it needs; or that
// an index of one segment has nothing to merge (Merge leaves it as it is).
func announceMerge(w io.Writer, ix *indexer.Index) error {
	docs, err := ix.DocCount()
	if err != nil {
		return fmt.Errorf("merge index: count documents: %w", err)
	}
	if segs := ix.Segments(); segs <= 1 {
		fmt.Fprintf(w, "索引只有 %d 个段、%d 篇文档，无需合并\n", segs, docs)
		return nil
	}
	fmt.Fprintf(w, "开始合并索引：%d 个段、%d 篇文档合并为尽量少的段。大的索引可能需要十几分钟，其间磁盘上需要能再放下一份索引\n",
		ix.Segments(), docs)
	return nil
}

// printIndexStats prints what an index update did: a line of text, or with
// index --json one JSON object.
func (a *app) printIndexStats(cmd *cobra.Command, r indexer.SyncStats) {
	if a.indexJSON {
		b, _ := json.Marshal(r) // numbers only
		fmt.Fprintf(cmd.OutOrStdout(), "%s\n", b)
		return
	}
	d := time.Duration(r.Duration * float64(time.Second)).Round(time.Millisecond)
	segs := ""
	switch {
	case r.SegmentsBefore > r.Segments:
		segs = fmt.Sprintf(", %d segments merged into %d", r.SegmentsBefore, r.Segments)
	case r.Segments > 0:
		segs = fmt.Sprintf(", %d segment(s)", r.Segments)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "index: %d indexed, %d deleted, %d documents, store sequence %d%s, %s\n",
		r.Indexed, r.Deleted, r.Docs, r.LastSeq, segs, d)
}
