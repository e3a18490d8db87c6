package crawler

import (
	"context"
	"fmt"
	"testing"

	"github.com/gongkai-project/gongkai/crawler/extract"
	"github.com/gongkai-project/gongkai/demo"
	"github.com/gongkai-project/gongkai/store"
)

// checkDemoValidity checks what a crawl of the demo stored of 有效性: every
// page's stated validity, the 低保标准 notices each repealed by the next
// year's (from the later notice's text: the repealed page says 有效), the
// documents the 废止 decisions name, and all five states present.
func checkDemoValidity(t *testing.T, st *store.Store, town *demo.Township) {
	t.Helper()
	byURL := map[string]*store.Document{}
	st.Each(context.Background(), func(d *store.Document) error { byURL[d.URL] = d; return nil })
	byTitle := map[string]*store.Document{}
	states := map[string]int{}
	for _, it := range town.Items {
		d := byURL[extract.CanonicalURL(it.URL)]
		if d == nil {
			continue // checkDemoItems reports it
		}
		byTitle[it.Title] = d
		states[d.CurrentValidity()]++
		if want, _ := store.NormalizeValidity(it.Validity); d.Validity != want {
			t.Errorf("%s (%s): stated validity %q, want %q from %q", it.ID, it.Title, d.Validity, want, it.Validity)
		}
		if it.Abolishes != "" {
			for _, old := range town.Items {
				if o := byURL[extract.CanonicalURL(old.URL)]; old.DocNumber == it.Abolishes && o != nil && o.RepealedBy != d.ID {
					t.Errorf("%s abolished by %s: repealed_by %q", old.ID, it.ID, o.RepealedBy)
				}
			}
		}
	}
	opts := town.Options
	for y := opts.FromYear; y <= opts.ToYear; y++ {
		d := byTitle[fmt.Sprintf("%s关于公布%d年农村低保标准的通知", demo.TownName, y)]
		next := byTitle[fmt.Sprintf("%s关于公布%d年农村低保标准的通知", demo.TownName, y+1)]
		switch {
		case d == nil:
			t.Errorf("no %d 低保标准 notice stored", y)
		case y < opts.ToYear && (next == nil || d.RepealedBy != next.ID || d.CurrentValidity() != store.ValidityRepealed || d.Validity != store.ValidityCurrent):
			t.Errorf("%d 低保标准 notice: stated %s, repealed by %q, shown %s; want 现行有效 on the page, repealed by the %d notice", y, d.Validity, d.RepealedBy, d.CurrentValidity(), y+1)
		case y == opts.ToYear && d.CurrentValidity() != store.ValidityCurrent:
			t.Errorf("last 低保标准 notice shown %s", d.CurrentValidity())
		}
	}
	for _, v := range store.Validities {
		if states[v] == 0 {
			t.Errorf("no demo document is %s (states %v)", v, states)
		}
	}
	t.Logf("validity of the demo documents: %v", states)
}
