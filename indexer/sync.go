package indexer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/gongkai-project/gongkai/store"
)

// SyncStats says what a Sync or Rebuild did (`gongkai index --json` prints it).
type SyncStats struct {
	Indexed  int     `json:"indexed"`  // documents added or updated
	Deleted  int     `json:"deleted"`  // documents removed at the source and deleted from the index
	LastSeq  int64   `json:"last_seq"` // the store sequence the index is now at
	Bytes    int64   `json:"bytes"`    // bytes of title and body text indexed
	Docs     uint64  `json:"documents"`
	Duration float64 `json:"seconds"`
	// Segments the index has after a full build or a merge (0: not
	// counted), and SegmentsBefore the merge.
	Segments       int `json:"segments,omitempty"`
	SegmentsBefore int `json:"segments_before,omitempty"`
}

// Sync brings the index up to date with the store: every document written
// after the last indexed sequence is indexed, or deleted when removed. The
// sequence is saved in the same batch as the documents, so an interrupted Sync
// (even kill -9) resumes where the last applied batch ended. An empty index
// is filled as a new generation, as Rebuild does (faster; a kill starts it
// again). progress, if not nil, is called after each batch with an estimate
// of the total.
func (ix *Index) Sync(ctx context.Context, st *store.Store, progress func(done, total int)) (SyncStats, error) {
	if err := ix.ready(ctx); err != nil { // the analysers need it
		return SyncStats{}, err
	}
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.mu.RLock()
	idx, stats := ix.idx, ix.stats
	ix.mu.RUnlock()
	if empty, err := isEmpty(idx); err != nil {
		return SyncStats{}, err
	} else if empty {
		return ix.buildGeneration(func(idx bleve.Index, stats *lengthStats) (SyncStats, error) {
			return syncInto(ctx, idx, stats, st, progress, true, ix.mem)
		})
	}
	start := time.Now()
	res, err := syncInto(ctx, idx, &stats, st, progress, false, ix.mem)
	res.Duration = time.Since(start).Seconds()
	ix.mu.Lock()
	ix.stats = stats
	ix.mu.Unlock()
	if res.Indexed+res.Deleted > 0 {
		if err2 := ix.refreshLexicon(); err2 != nil && err == nil {
			err = err2
		}
	}
	return res, err
}

// syncInto indexes the store's changes after idx's saved sequence into idx.
// fresh says idx is new and empty (no old lengths to look up); it is merged
// into one segment at the end.
func syncInto(ctx context.Context, idx bleve.Index, stats *lengthStats, st *store.Store, progress func(done, total int), fresh bool, plan memoryPlan) (SyncStats, error) {
	var res SyncStats
	last, err := savedSeq(idx)
	if err != nil {
		return res, err
	}
	maxSeq, err := st.MaxSeq(ctx)
	if err != nil {
		return res, fmt.Errorf("store max sequence: %w", err)
	}
	res.LastSeq = last
	if maxSeq <= last {
		res.Docs, _ = idx.DocCount()
		return res, nil
	}
	total := int(maxSeq - last)
	if fresh {
		if n, err := st.Count(ctx); err == nil {
			total = n
		}
	}
	w := newBatchWriter(idx, stats, last, fresh, plan)
	err = st.Changes(ctx, last, func(seq int64, d *store.Document) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.add(d, &res); err != nil {
			return err
		}
		w.seq = seq
		if w.full() {
			if err := w.flush(&res); err != nil {
				return err
			}
			if progress != nil {
				progress(res.Indexed+res.Deleted, max(total, res.Indexed+res.Deleted))
			}
		}
		return nil
	})
	if ferr := w.finish(&res, err); err == nil {
		err = ferr
	}
	if err == nil && fresh {
		res.SegmentsBefore, res.Segments, err = compact(ctx, idx, plan)
	}
	if progress != nil {
		progress(res.Indexed+res.Deleted, res.Indexed+res.Deleted)
	}
	res.Docs, _ = idx.DocCount()
	if err != nil {
		return res, fmt.Errorf("index changes after sequence %d: %w", res.LastSeq, err)
	}
	return res, nil
}

// batchWriter accumulates one Bleve batch with its length statistics.
//
// Into a fresh index (a new generation, which is removed if the build
// fails) it applies up to plan.inFlight batches at once: Bleve analyses a
// batch on every CPU but builds its segment on one, so the next batch's
// analysis overlaps that (../shared/eval: 19 -> 14 s). The sequence and the
// statistics are then written once, after the last batch. A batch holds at
// most batchDocs documents and plan.batchBytes of text.
type batchWriter struct {
	idx     bleve.Index
	stats   *lengthStats
	next    lengthStats // stats including the pending batch
	fresh   bool
	batch   *bleve.Batch
	bytes   int
	limit   int // plan.batchBytes
	seq     int64
	pending map[string]*fieldLengths // lengths written in this batch (nil: deleted)

	inFlight chan struct{} // fresh: a token per batch being applied
	wg       sync.WaitGroup
	errMu    sync.Mutex
	err      error // fresh: the first error of a batch applied in the background
}

func newBatchWriter(idx bleve.Index, stats *lengthStats, seq int64, fresh bool, plan memoryPlan) *batchWriter {
	w := &batchWriter{idx: idx, stats: stats, seq: seq, fresh: fresh, pending: map[string]*fieldLengths{},
		limit: plan.batchBytes, inFlight: make(chan struct{}, plan.inFlight)}
	w.reset()
	return w
}

// full says whether the batch is due to be applied.
func (w *batchWriter) full() bool {
	return w.batch.Size() >= batchDocs || w.bytes >= w.limit
}

func (w *batchWriter) reset() {
	w.batch = w.idx.NewBatch()
	w.bytes = 0
	w.next = *w.stats
	clear(w.pending)
}

// add puts one document (or its deletion) into the batch. The document
// carries its field lengths in a stored field, so that an update or a
// deletion can take them out of the statistics.
func (w *batchWriter) add(d *store.Document, res *SyncStats) error {
	old, err := w.oldLengths(d.ID)
	if err != nil {
		return err
	}
	if old != nil {
		w.next.add(*old, -1)
	}
	if d.Status == store.StatusRemoved {
		if old != nil || !w.fresh {
			w.batch.Delete(d.ID)
			res.Deleted++
		}
		w.pending[d.ID] = nil
		return nil
	}
	l := estimateLengths(d)
	doc := indexDoc(d)
	doc[fLengths] = string(l.encode())
	if err := w.batch.Index(d.ID, doc); err != nil {
		return fmt.Errorf("index document %s: %w", d.ID, err)
	}
	w.next.add(l, +1)
	w.pending[d.ID] = &l
	w.bytes += len(d.Title) + len(d.Body)
	if t, ok := doc[attachmentsPath].(string); ok {
		w.bytes += len(t) // analysed too: it counts toward the batch's memory
	}
	res.Indexed++
	res.Bytes += int64(len(d.Title) + len(d.Body))
	return nil
}

// oldLengths returns the lengths id has in the index (or pending batch), nil if absent.
func (w *batchWriter) oldLengths(id string) (*fieldLengths, error) {
	if l, ok := w.pending[id]; ok {
		return l, nil
	}
	if w.fresh {
		return nil, nil
	}
	doc, err := w.idx.Document(id)
	if err != nil {
		return nil, fmt.Errorf("read lengths of %s: %w", id, err)
	}
	if doc == nil {
		return nil, nil
	}
	var stored []byte
	doc.VisitFields(func(f index.Field) {
		if f.Name() == fLengths {
			stored = f.Value()
		}
	})
	if stored == nil {
		return nil, fmt.Errorf("document %s has no stored lengths", id)
	}
	l, err := decodeLengths(stored)
	if err != nil {
		return nil, fmt.Errorf("lengths of %s: %w", id, err)
	}
	return &l, nil
}

// flush applies the batch together with the sequence and statistics; into
// a fresh index it starts applying the batch and returns.
func (w *batchWriter) flush(res *SyncStats) error {
	if w.batch.Size() == 0 && w.seq <= res.LastSeq {
		return nil
	}
	if w.fresh {
		if err := w.backgroundErr(); err != nil {
			return err
		}
		w.inFlight <- struct{}{}
		b, seq := w.batch, w.seq
		w.wg.Go(func() {
			defer func() { <-w.inFlight }()
			if err := w.idx.Batch(b); err != nil {
				w.errMu.Lock()
				w.err = cmp.Or(w.err, fmt.Errorf("apply batch up to sequence %d: %w", seq, err))
				w.errMu.Unlock()
			}
			waitPersister(w.idx)
		})
	} else if err := w.apply(w.batch); err != nil {
		return err
	}
	*w.stats = w.next
	res.LastSeq = w.seq
	w.reset()
	return nil
}

// apply writes b with the sequence and statistics reached.
func (w *batchWriter) apply(b *bleve.Batch) error {
	b.SetInternal([]byte(keySeq), []byte(strconv.FormatInt(w.seq, 10)))
	b.SetInternal([]byte(keyLenSum), w.next.encode())
	if err := w.idx.Batch(b); err != nil {
		return fmt.Errorf("apply batch up to sequence %d: %w", w.seq, err)
	}
	waitPersister(w.idx)
	return nil
}

func (w *batchWriter) backgroundErr() error {
	w.errMu.Lock()
	defer w.errMu.Unlock()
	return w.err
}

// finish flushes the last batch (unless err, the error that stopped the
// writing, is set) and waits for the batches being applied; into a fresh
// index it then writes the sequence and statistics.
func (w *batchWriter) finish(res *SyncStats, err error) error {
	if err == nil {
		err = w.flush(res)
	}
	w.wg.Wait()
	if err = cmp.Or(err, w.backgroundErr()); err != nil || !w.fresh {
		return err
	}
	return w.apply(w.idx.NewBatch())
}

// isEmpty says whether idx holds no document and has indexed no store sequence.
func isEmpty(idx bleve.Index) (bool, error) {
	seq, err := savedSeq(idx)
	if err != nil {
		return false, err
	}
	n, err := idx.DocCount()
	if err != nil {
		return false, fmt.Errorf("count indexed documents: %w", err)
	}
	return n == 0 && seq == 0, nil
}

func savedSeq(idx bleve.Index) (int64, error) {
	b, err := idx.GetInternal([]byte(keySeq))
	if err != nil {
		return 0, fmt.Errorf("read indexed sequence: %w", err)
	}
	if len(b) == 0 {
		return 0, nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad indexed sequence %q: %w", b, err)
	}
	return n, nil
}

// Rebuild indexes the whole store into a new index beside the live one, then
// switches to it atomically and removes the old one. Searches keep being
// served from the old index until the switch.
func (ix *Index) Rebuild(ctx context.Context, st *store.Store, progress func(done, total int)) (SyncStats, error) {
	if err := ix.ready(ctx); err != nil { // the analysers need it
		return SyncStats{}, err
	}
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	return ix.buildGeneration(func(idx bleve.Index, stats *lengthStats) (SyncStats, error) {
		return syncInto(ctx, idx, stats, st, progress, true, ix.mem)
	})
}

// Merge merges the segments of the index into as few as the memory plan
// allows for a finished index, as a full build ends (see compact): for an
// archive that grew by incremental syncs, or one built with a smaller final
// merge. Other writes wait meanwhile; searches go on. The merge needs free
// disk for a second copy of the segments it merges, which are removed when
// the index is next opened, or sooner.
func (ix *Index) Merge(ctx context.Context) (SyncStats, error) {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.mu.RLock()
	idx := ix.idx
	ix.mu.RUnlock()
	start := time.Now()
	var res SyncStats
	var err error
	res.SegmentsBefore, res.Segments, err = compact(ctx, idx, ix.mem)
	res.Duration = time.Since(start).Seconds()
	if err != nil {
		return res, err
	}
	if res.Docs, err = idx.DocCount(); err != nil {
		return res, fmt.Errorf("count documents after the merge: %w", err)
	}
	if res.LastSeq, err = savedSeq(idx); err != nil {
		return res, fmt.Errorf("read the store sequence after the merge: %w", err)
	}
	return res, nil
}

// buildGeneration fills a new generation, opened for a bulk load, with fill,
// then switches to it. The caller holds writeMu.
func (ix *Index) buildGeneration(fill func(idx bleve.Index, stats *lengthStats) (SyncStats, error)) (SyncStats, error) {
	unlock, err := lockRebuild(ix.dir)
	if err != nil {
		return SyncStats{}, err
	}
	defer unlock()
	ix.mu.RLock()
	removeAbandoned(ix.dir, ix.gen)
	ix.mu.RUnlock()
	start := time.Now()
	gen, err := newGeneration(ix.dir, ix.cfg)
	if err != nil {
		return SyncStats{}, err
	}
	path := filepath.Join(ix.dir, gen)
	idx, err := openBleveUsing(path, ix.mem.bulkOptions())
	if err != nil {
		return SyncStats{}, err
	}
	var stats lengthStats
	res, err := fill(idx, &stats)
	res.Duration = time.Since(start).Seconds()
	if cerr := idx.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close new index %s: %w", path, cerr)
	}
	if err != nil {
		os.RemoveAll(path)
		return res, err
	}
	return res, ix.switchTo(gen)
}

// switchTo makes gen the live generation and removes the previous one.
func (ix *Index) switchTo(gen string) error {
	if err := writeCurrent(ix.dir, gen); err != nil {
		return err
	}
	ix.mu.RLock()
	old, oldGen, oldLex := ix.idx, ix.gen, ix.lex
	ix.mu.RUnlock()
	if err := ix.openGen(gen); err != nil {
		return err
	}
	if old != nil {
		oldLex.stop() // its build reads the old index
		if err := old.Close(); err != nil {
			slog.Warn("close replaced index", "gen", oldGen, "err", err)
		}
	}
	if oldGen != "" && oldGen != gen {
		if err := os.RemoveAll(filepath.Join(ix.dir, oldGen)); err != nil && !errors.Is(err, os.ErrNotExist) {
			slog.Warn("remove replaced index", "gen", oldGen, "err", err)
		}
	}
	return nil
}

// IndexDocuments indexes docs directly, without a store (benchmarks, imports
// of evaluation corpora); removed documents are deleted. The saved store
// sequence is left as it is. Into an empty index it loads a new generation
// in bulk and switches to it, as Rebuild does.
func (ix *Index) IndexDocuments(ctx context.Context, docs []*store.Document, progress func(done, total int)) (SyncStats, error) {
	if err := ix.ready(ctx); err != nil { // the analysers need it
		return SyncStats{}, err
	}
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.mu.RLock()
	idx, stats := ix.idx, ix.stats
	ix.mu.RUnlock()
	empty, err := isEmpty(idx)
	if err != nil {
		return SyncStats{}, err
	}
	if empty {
		res, err := ix.buildGeneration(func(idx bleve.Index, stats *lengthStats) (SyncStats, error) {
			res, err := indexInto(ctx, idx, stats, docs, 0, true, progress, ix.mem)
			if err == nil {
				res.SegmentsBefore, res.Segments, err = compact(ctx, idx, ix.mem)
			}
			return res, err
		})
		return res, err
	}
	seq, err := savedSeq(idx)
	if err != nil {
		return SyncStats{}, err
	}
	res, err := indexInto(ctx, idx, &stats, docs, seq, false, progress, ix.mem)
	ix.mu.Lock()
	ix.stats = stats
	ix.mu.Unlock()
	if err == nil {
		err = ix.refreshLexicon()
	}
	return res, err
}

// indexInto indexes docs into idx, whose saved store sequence is seq; fresh
// says idx is a new, empty generation.
func indexInto(ctx context.Context, idx bleve.Index, stats *lengthStats, docs []*store.Document, seq int64, fresh bool, progress func(done, total int), plan memoryPlan) (SyncStats, error) {
	res := SyncStats{LastSeq: seq}
	w := newBatchWriter(idx, stats, seq, fresh, plan)
	var err error
	for i, d := range docs {
		if err = ctx.Err(); err != nil {
			break
		}
		if err = w.add(d, &res); err != nil {
			break
		}
		if w.full() {
			if err = w.flush(&res); err != nil {
				break
			}
			if progress != nil {
				progress(i+1, len(docs))
			}
		}
	}
	err = w.finish(&res, err)
	res.Docs, _ = idx.DocCount()
	return res, err
}

// Seq returns the store sequence the index is at: the last one a Sync or
// Rebuild applied.
func (ix *Index) Seq() (int64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return 0, fmt.Errorf("index %s is closed", ix.dir)
	}
	return savedSeq(ix.idx)
}
