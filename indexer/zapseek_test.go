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
// freq/norm chunks: the same documents, frequencies, norms and locations,
// for targets far apart (jumps over chunks) and near (within a chunk), on
// lists with and without locations and with and without deleted documents
// (every 7th, deleted and the index reopened).
func TestSeekerMatchesAdvance(t *testing.T) {
	for _, deleted := range []bool{false, true} {
		t.Run(fmt.Sprintf("deleted=%v", deleted), func(t *testing.T) {
			snap := seekerSnapshot(t, deleted)
			for _, locs := range []bool{false, true} {
				checkSeeker(t, snap, deleted, locs)
			}
		})
	}
}

// seekerSnapshot indexes 6,000 documents in one persisted segment, every
// 7th of them deleted when deleted, and returns a snapshot of the index
// reopened from its files.
func seekerSnapshot(t *testing.T, deleted bool) *scorch.IndexSnapshot {
	t.Helper()
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
	if deleted {
		b = idx.NewBatch()
		for i := 0; i < 6000; i += 7 {
			b.Delete(fmt.Sprintf("d%05d", i))
		}
		if err := idx.Batch(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	if idx, err = bleve.Open(dir); err != nil { // its segments read from their files
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return bleveSnapshot(t, idx)
}

// checkSeeker compares the seeker with zap's Advance on the postings of
// three terms in each segment of snap, read with locations when locs.
func checkSeeker(t *testing.T, snap *scorch.IndexSnapshot, deleted, locs bool) {
	t.Helper()
	jumped, withDeleted := 0, 0
	for _, seg := range snap.Segments() {
		d, err := seg.Segment().Dictionary("body")
		if err != nil {
			t.Fatal(err)
		}
		if seg.Deleted() != nil && !seg.Deleted().IsEmpty() {
			withDeleted++
		}
		for _, term := range []string{"common", "third", "filler"} {
			pl, err := d.PostingsList([]byte(term), seg.Deleted(), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, gap := range []uint64{1, 5, 300, 1500} {
				want := pl.Iterator(true, true, locs, nil)
				s := newSeeker(pl.Iterator(true, true, locs, nil), seg.Segment())
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
						t.Fatalf("%s, locations %v, gap %d, doc %d: seeker %v, Advance %v", term, locs, gap, doc, g, w)
					}
					if w == nil {
						break
					}
					if w.Number() != g.Number() || w.Frequency() != g.Frequency() || w.Norm() != g.Norm() || len(w.Locations()) != len(g.Locations()) {
						t.Fatalf("%s, locations %v, gap %d, doc %d: seeker %d (freq %d, norm %v, %d locations), Advance %d (freq %d, norm %v, %d locations)",
							term, locs, gap, doc, g.Number(), g.Frequency(), g.Norm(), len(g.Locations()), w.Number(), w.Frequency(), w.Norm(), len(w.Locations()))
					}
					if locs {
						for k, l := range w.Locations() {
							if gl := g.Locations()[k]; gl.Pos() != l.Pos() || gl.Start() != l.Start() || gl.End() != l.End() {
								t.Fatalf("%s, gap %d, doc %d: location %d at %d (%d–%d), Advance's at %d (%d–%d)",
									term, gap, doc, k, gl.Pos(), gl.Start(), gl.End(), l.Pos(), l.Start(), l.End())
							}
						}
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
	if deleted && withDeleted == 0 {
		t.Fatal("no segment holds deleted documents")
	}
}
