package indexer_test

import (
	"bytes"
	"compress/flate"
	"context"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/indexer/bench"
	"github.com/gongkai-project/gongkai/internal/shareddata"
	"github.com/gongkai-project/gongkai/store"
)

// BenchmarkAttachmentSnippets measures what reading attachment text costs
// a search: the corpus of BenchmarkAttachmentSize (400 of 800 documents
// with an attachment of 18 KB of text on average) is searched with the DEV
// questions and short queries of ../shared/eval, 10 hits with snippets and
// facets as /api/search asks, the hits' texts read from the store as the
// product does (store), from memory with the attachment text deflated and
// inflated at each read as the store keeps it (memory-deflated), and from
// memory as plain text (memory). cpu-ms/query is the process's CPU time
// per query; att-hits/query how many of a query's hits were found in an
// attachment.
func BenchmarkAttachmentSnippets(b *testing.B) {
	_, with := attachmentCorpus(b)
	ctx := context.Background()
	dir := b.TempDir()
	st, ixDir := storeAndIndex(b, dir, with)
	defer st.Close()
	ids := make([]string, len(with))
	for i, d := range with {
		ids[i] = d.ID
	}
	plain, err := st.Texts(ctx, ids)
	if err != nil {
		b.Fatal(err)
	}
	packed := deflatedTexts{}
	for id, t := range plain {
		p := packedText{text: t}
		for _, a := range t.Attachments {
			p.z = append(p.z, deflate(b, a.Text))
		}
		packed[id] = p
	}
	qs := evalQueries(b, "queries_dev.tsv", "queries_short_dev.tsv")
	for _, src := range []struct {
		name  string
		texts indexer.TextSource
	}{{"store", st}, {"memory-deflated", packed}, {"memory", memTexts(plain)}} {
		b.Run(src.name, func(b *testing.B) {
			ix, err := indexer.Open(ixDir, config.Default(), src.texts)
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
			search := func() (attHits int) {
				for _, q := range qs {
					res, err := ix.Search(ctx, indexer.Query{Text: q, Limit: 10})
					if err != nil {
						b.Fatal(err)
					}
					for _, h := range res.Hits {
						if h.Attachment != nil {
							attHits++
						}
					}
				}
				return attHits
			}
			search() // warm-up: the facet table, caches
			n, attHits, cpu := 0, 0, bench.CPUSeconds()
			for b.Loop() {
				attHits += search()
				n += len(qs)
			}
			b.ReportMetric((bench.CPUSeconds()-cpu)*1000/float64(n), "cpu-ms/query")
			b.ReportMetric(float64(attHits)/float64(n), "att-hits/query")
		})
	}
}

// evalQueries returns the distinct queries of the judgement files of
// ../shared/eval.
func evalQueries(b *testing.B, files ...string) []string {
	var qs []string
	seen := map[string]bool{}
	for _, f := range files {
		js, err := bench.LoadQueries(filepath.Join(shareddata.Path(b, "eval"), f))
		if err != nil {
			b.Fatal(err)
		}
		for _, j := range js {
			if !seen[j.Question] {
				seen[j.Question] = true
				qs = append(qs, j.Question)
			}
		}
	}
	return qs
}

// memTexts serves texts read once from the store.
type memTexts map[string]store.Text

func (m memTexts) Texts(ctx context.Context, ids []string) (map[string]store.Text, error) {
	return m.TextHeads(ctx, ids, 0)
}

func (m memTexts) TextHeads(_ context.Context, ids []string, attachmentBytes int) (map[string]store.Text, error) {
	out := make(map[string]store.Text, len(ids))
	for _, id := range ids {
		if t, ok := m[id]; ok {
			t.Attachments = slices.Clone(t.Attachments)
			for i, a := range t.Attachments {
				if attachmentBytes > 0 && len(a.Text) > attachmentBytes {
					t.Attachments[i].Text = strings.ToValidUTF8(a.Text[:attachmentBytes], "")
				}
			}
			out[id] = t
		}
	}
	return out, nil
}

// deflatedTexts serves texts whose attachment text is kept deflated, as
// the store keeps it, and inflated at each read.
type deflatedTexts map[string]packedText

type packedText struct {
	text store.Text
	z    [][]byte // the attachments' text, deflated
}

func (m deflatedTexts) Texts(ctx context.Context, ids []string) (map[string]store.Text, error) {
	return m.TextHeads(ctx, ids, 0)
}

func (m deflatedTexts) TextHeads(_ context.Context, ids []string, attachmentBytes int) (map[string]store.Text, error) {
	out := make(map[string]store.Text, len(ids))
	for _, id := range ids {
		p, ok := m[id]
		if !ok {
			continue
		}
		t := p.text
		t.Attachments = make([]store.Attachment, len(p.z))
		for i, z := range p.z {
			var r io.Reader = flate.NewReader(bytes.NewReader(z))
			if attachmentBytes > 0 {
				r = io.LimitReader(r, int64(attachmentBytes))
			}
			s, err := io.ReadAll(r)
			if err != nil {
				return nil, err
			}
			t.Attachments[i] = p.text.Attachments[i]
			t.Attachments[i].Text = strings.ToValidUTF8(string(s), "")
		}
		out[id] = t
	}
	return out, nil
}

func deflate(b *testing.B, s string) []byte {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.DefaultCompression)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.WriteString(w, s); err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}
