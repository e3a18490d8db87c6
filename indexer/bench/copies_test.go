package bench

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// TestStoreCopiesResumesAndRefusesFewer: a second StoreCopies on the same
// store writes only the copies it lacks, and one asking for fewer copies
// than the store holds is refused (its table would name N copies while the
// index holds more) instead of measuring the larger store under the
// smaller name.
func TestStoreCopiesResumesAndRefusesFewer(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	day := time.Date(2020, 1, 8, 0, 0, 0, 0, time.UTC)
	docs := []*store.Document{
		{ID: "p1", Title: "城乡居民医疗救助办法", Body: "看病贵的家庭可以申请医疗救助。", Published: day},
		{ID: "p2", Title: "关于印发政务公开工作要点的通知", Body: "现将工作要点印发给你们。", Published: day},
	}
	unit := func(*store.Document) string { return "本级" }
	for _, c := range []struct{ copies, wrote int }{{2, 2}, {3, 1}, {3, 0}} {
		wrote, err := StoreCopies(ctx, st, docs, c.copies, unit)
		if err != nil || wrote != c.wrote {
			t.Fatalf("StoreCopies(%d): wrote %d, %v; want %d", c.copies, wrote, err, c.wrote)
		}
	}
	if n, err := st.Count(ctx); err != nil || n != 6 {
		t.Fatalf("%d documents stored (%v), want 6", n, err)
	}
	if _, err := StoreCopies(ctx, st, docs, 2, unit); err == nil || !strings.Contains(err.Error(), "3 copies") {
		t.Errorf("2 copies into a store of 3: %v, want a refusal naming the 3 copies held", err)
	}
}
