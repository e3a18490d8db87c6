package crawler

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

// checkDemoAttachments checks the demo's attachments as the crawl stored
// them: each recorded, XLSX, DOCX and text PDF files extracted (the PDF's
// Chinese from its text layer), the scanned PDF without text; and a villager's name that only a recipient list holds
// finds its notice through the index, matched in the attachment.
func checkDemoAttachments(t *testing.T, st *store.Store, cfg *config.Config) {
	t.Helper()
	ctx := context.Background()
	bodies := &strings.Builder{}
	var docs []*store.Document
	st.Each(ctx, func(d *store.Document) error {
		bodies.WriteString(d.Title + "\n" + d.Body + "\n")
		if len(d.Attachments) > 0 {
			docs = append(docs, d)
		}
		return nil
	})
	states := map[string]int{}
	var name, owner string
	for _, d := range docs {
		for _, a := range d.Attachments {
			states[a.Type+" "+a.State]++
			switch {
			case a.State == "":
				t.Errorf("%s of %s: no record", a.URL, d.ID)
			case (a.Type == "xlsx" || a.Type == "docx") && (a.State != store.AttachmentExtracted || a.Text == ""):
				t.Errorf("%s: %s %s %q", a.URL, a.Type, a.State, a.Reason)
			case strings.Contains(a.Name, "扫描件") && (a.Type != "pdf" || a.State != store.AttachmentImageOnly || a.Pages != 1):
				t.Errorf("scanned %s: %s %s %d pages, want a pdf of one page without text", a.URL, a.Type, a.State, a.Pages)
			case a.Type == "pdf" && !strings.Contains(a.Name, "扫描件") && (a.State != store.AttachmentExtracted || !strings.Contains(a.Text, "附注：")):
				t.Errorf("%s: %s %q, want its text layer (附注 is only in the PDF)", a.URL, a.State, a.Reason)
			}
			if name == "" && strings.Contains(a.Name, "低保对象名单") {
				for _, n := range villagerName.FindAllStringSubmatch(a.Text, -1) {
					if !strings.Contains(bodies.String(), n[1]) {
						name, owner = n[1], d.ID
						break
					}
				}
			}
		}
	}
	t.Logf("attachments by type and state: %v", states)
	if name == "" {
		t.Fatal("no recipient list holds a name that no page does")
	}
	ix, err := indexer.Create(filepath.Join(t.TempDir(), "index"), cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Sync(ctx, st, nil); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(ctx, indexer.Query{Text: name})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(res.Hits, func(h indexer.Hit) bool { return h.ID == owner })
	if i < 0 || !slices.Contains(res.Hits[i].MatchedIn, "attachment") || res.Hits[i].Attachment == nil {
		t.Fatalf("search %s: %+v, want %s matched in its attachment", name, res.Hits, owner)
	}
	t.Logf("%s, only in a recipient list, finds %s (%s)", name, owner, res.Hits[i].Attachment.Name)
}

// villagerName finds the head of household after a village in a recipient list's text.
var villagerName = regexp.MustCompile(`村\s+(\p{Han}{2,3})\s`)
