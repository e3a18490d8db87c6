// Package bench measures gongkai's search quality and speed on an evaluation
// corpus (../shared/eval): MRR@10 and recall against Bleve's cjk analyzer,
// exact-phrase recall, snippet marks, indexing speed, size and query latency.
package bench

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"strings"

	"github.com/gongkai-project/gongkai/store"
)

// Judgement is one evaluation query and its relevant document.
type Judgement struct {
	QID, Question, DocID string
}

// LoadQueries reads a qid<TAB>question<TAB>docid file.
func LoadQueries(path string) ([]Judgement, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read queries: %w", err)
	}
	var out []Judgement
	for i, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(strings.TrimRight(line, "\r"), "\t")
		if len(parts) != 3 {
			return nil, fmt.Errorf("%s line %d: want qid<TAB>question<TAB>docid", path, i+1)
		}
		out = append(out, Judgement{parts[0], parts[1], parts[2]})
	}
	return out, nil
}

// storeBatch is how many corpus documents go into one store transaction.
const storeBatch = 500

// StoreCorpus writes docs into a new SQLite store at path: the index reads
// snippets and exact phrases from the store, as in the product. As ingest
// does, it then applies the repeal notices among them, and marks the
// repealed docs (RepealedBy) so that they are indexed as the product would.
func StoreCorpus(ctx context.Context, path string, docs []*store.Document) (*store.Store, error) {
	st, err := store.Open(path)
	if err != nil {
		return nil, err
	}
	for i := 0; i < len(docs); i += storeBatch {
		if _, err := st.UpsertBatch(ctx, docs[i:min(i+storeBatch, len(docs))]); err != nil {
			st.Close()
			return nil, err
		}
	}
	if err := markRepeals(ctx, st, docs); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// markRepeals applies the repeal notices of the stored corpus to docs.
func markRepeals(ctx context.Context, st *store.Store, docs []*store.Document) error {
	if _, err := st.ApplyRepeals(ctx); err != nil {
		return err
	}
	by, err := st.Repeals(ctx)
	if err != nil {
		return err
	}
	for _, d := range docs {
		d.RepealedBy = by[d.ID]
	}
	return nil
}

// StoreCopies writes n copies of docs into st, each id suffixed with #copy
// as the in-process replicated copy names them and given unit when it names
// none (as gongkai gives it on opening the store, which would otherwise
// write every copy again), a batch at a time, so that only docs and one
// batch of copies are held whatever n is; then it applies the repeal
// notices among them, as ingest does. Copies the store holds already are
// kept (an interrupted run resumes), and it returns how many copies it
// wrote.
func StoreCopies(ctx context.Context, st *store.Store, docs []*store.Document, n int, unit func(*store.Document) string) (int, error) {
	held, err := st.Count(ctx)
	if err != nil {
		return 0, err
	}
	if len(docs) == 0 {
		return 0, fmt.Errorf("store copies: the corpus holds no document")
	}
	if held > 0 {
		// a store of copies holds the first copy of the first document
		if _, err := st.Get(ctx, docs[0].ID+"#0"); errors.Is(err, store.ErrNotFound) {
			return 0, fmt.Errorf("store copies: the store holds %d documents that are not copies of this corpus: use an empty data folder", held)
		} else if err != nil {
			return 0, err
		}
	}
	first := held / len(docs)
	if first > n {
		return 0, fmt.Errorf("store copies: the store holds %d copies of the corpus (%d documents), more than the %d asked for: ask for %d or use an empty data folder", first, held, n, first)
	}
	for c := first; c < n; c++ {
		for i := 0; i < len(docs); i += storeBatch {
			batch := make([]*store.Document, 0, storeBatch)
			for _, d := range docs[i:min(i+storeBatch, len(docs))] {
				cp := *d
				cp.ID = fmt.Sprintf("%s#%d", d.ID, c)
				if cp.Unit == "" {
					cp.Unit = unit(d)
				}
				batch = append(batch, &cp)
			}
			if _, err := st.UpsertBatch(ctx, batch); err != nil {
				return c - first, fmt.Errorf("store copy %d: %w", c, err)
			}
		}
	}
	if _, err := st.ApplyRepeals(ctx); err != nil {
		return n - first, fmt.Errorf("store copies: apply repeals: %w", err)
	}
	return n - first, nil
}

// Notices returns docs with a third of them (chosen by a hash of their id)
// made into one-line notices, as many township items are published: the
// title kept, the body 详见附件, the text moved into an extracted PDF
// attachment; and the ids of those moved.
func Notices(docs []*store.Document) ([]*store.Document, map[string]bool) {
	moved := map[string]bool{}
	out := make([]*store.Document, 0, len(docs))
	for _, d := range docs {
		c := *d
		h := fnv.New32a()
		h.Write([]byte(d.ID))
		if h.Sum32()%3 == 0 {
			moved[d.ID] = true
			c.Body = "详见附件。"
			c.Attachments = []store.Attachment{{Name: "附件1.pdf", URL: "http://eval.example/" + d.ID + ".pdf", Type: "pdf",
				Bytes: int64(len(d.Body)), Pages: 1, State: store.AttachmentExtracted, Text: d.Body}}
		}
		out = append(out, &c)
	}
	return out, moved
}
