package indexer

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
)

// TestSeekerMatchesAdvance checks the seeker's jumps against zap's own
// Advance and Next on a persisted segment whose postings lists span many
// freq/norm chunks: the same documents, frequencies and norms, for targets
// far apart (jumps over chunks) and near (within a chunk).
func TestSeekerMatchesAdvance(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	m := mapping.NewIndexMapping()
	m.DefaultAnalyzer = "standard"
	idx, err := bleve.NewUsing(dir, m, scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := idx.NewBatch()
	for i := range 6000 {
		text := strings.Repeat("common ", 1+i%5) + strings.Repeat("filler ", i%23)
		if i%3 == 0 {
			text += strings.Repeat("third ", 1+i%4)
		}
		if err := b.Index(fmt.Sprintf("d%05d", i), map[string]any{"body": text}); err != nil {
			t.Fatal(err)
		}
	}
	if err := idx.Batch(b); err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	if idx, err = bleve.Open(dir); err != nil { // its segments read from their files
		t.Fatal(err)
	}
	defer idx.Close()
	adv, err := idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	jumped := 0
	for _, seg := range r.(*scorch.IndexSnapshot).Segments() {
		d, err := seg.Segment().Dictionary("body")
		if err != nil {
			t.Fatal(err)
		}
		for _, term := range []string{"common", "third", "filler"} {
			pl, err := d.PostingsList([]byte(term), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, gap := range []uint64{1, 5, 300, 1500} {
				want := pl.Iterator(true, true, false, nil)
				s := newSeeker(pl.Iterator(true, true, false, nil), seg.Segment())
				if s.zit == nil {
					t.Fatalf("%s: no jumps on a persisted zap segment (%T)", term, seg.Segment())
				}
				for doc := uint64(0); ; doc += gap {
					w, err := want.Advance(doc)
					if err != nil {
						t.Fatal(err)
					}
					g, err := s.advance(doc)
					if err != nil {
						t.Fatal(err)
					}
					if (w == nil) != (g == nil) {
						t.Fatalf("%s, gap %d, doc %d: seeker %v, Advance %v", term, gap, doc, g, w)
					}
					if w == nil {
						break
					}
					if w.Number() != g.Number() || w.Frequency() != g.Frequency() || w.Norm() != g.Norm() {
						t.Fatalf("%s, gap %d, doc %d: seeker %d (freq %d, norm %v), Advance %d (freq %d, norm %v)",
							term, gap, doc, g.Number(), g.Frequency(), g.Norm(), w.Number(), w.Frequency(), w.Norm())
					}
					doc = max(doc, w.Number())
				}
				if s.at > 0 {
					jumped++
				}
			}
		}
	}
	if jumped == 0 {
		t.Fatal("no postings list spanned several chunks")
	}
}
