package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestAssignUnits stores documents and entries without a unit, as rows
// stored before units existed are after migration 8, and assigns them.
func TestAssignUnits(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	a, b, c := sampleDoc("a"), sampleDoc("b"), sampleDoc("c")
	b.Source, c.Source, c.Unit = "城关镇网站", "城关镇网站", "柳河镇"
	if _, err := s.UpsertBatch(ctx, []*Document{a, b, c}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddManual(ctx, &ManualEntry{Date: a.Published, Channel: ChannelBoard, Title: "公开栏", Count: 3}); err != nil {
		t.Fatal(err)
	}
	seq, _ := s.MaxSeq(ctx)
	n, err := s.AssignUnits(ctx, map[string]string{"城关镇网站": "城关镇"}, "康大营镇")
	if err != nil || n != 2 {
		t.Fatalf("assigned %d (%v), want 2", n, err)
	}
	for id, want := range map[string]string{"a": "康大营镇", "b": "城关镇", "c": "柳河镇"} {
		d, err := s.Get(ctx, id)
		if err != nil || d.Unit != want || d.ContentHash != d.ComputeHash() {
			t.Errorf("%s: unit %q (%v), want %q and its hash recomputed", id, d.Unit, err, want)
		}
	}
	var changed []string
	s.Changes(ctx, seq, func(_ int64, d *Document) error { changed = append(changed, d.ID); return nil })
	if strings.Join(changed, ",") != "a,b" {
		t.Errorf("documents with a new sequence number: %v, want a,b (so the index takes their unit)", changed)
	}
	items, err := s.Items(ctx, time.Date(2015, 1, 1, 0, 0, 0, 0, Beijing), time.Date(2016, 1, 1, 0, 0, 0, 0, Beijing))
	if err != nil || len(items) != 3 || items[0].Unit == "" {
		t.Fatalf("items %+v %v", items, err)
	}
	es, _ := s.ManualEntries(ctx, time.Time{}, time.Date(2100, 1, 1, 0, 0, 0, 0, Beijing))
	if len(es) != 1 || es[0].Unit != "康大营镇" {
		t.Fatalf("manual entries %+v, want the home unit", es)
	}
	if n, err := s.AssignUnits(ctx, nil, "康大营镇"); n != 0 || err != nil {
		t.Errorf("second run changed %d (%v)", n, err)
	}
}

func TestReplaceListed(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	day := time.Date(2015, 3, 2, 0, 0, 0, 0, Beijing)
	list := func(titles ...string) []*ManualEntry {
		var out []*ManualEntry
		for _, ti := range titles {
			out = append(out, &ManualEntry{Date: day, Channel: ChannelReport, Title: ti, Count: 1, Unit: "城关镇"})
		}
		return out
	}
	if err := s.AddManual(ctx, &ManualEntry{Date: day, Channel: ChannelReport, Title: "手工", Count: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReplaceListed(ctx, "reports.csv", list("一", "二", "三")); err != nil {
		t.Fatal(err)
	}
	before, err := s.ReplaceListed(ctx, "reports.csv", list("一", "二"))
	if err != nil || before != 3 {
		t.Fatalf("replaced %d (%v), want 3", before, err)
	}
	es, _ := s.ManualEntries(ctx, time.Time{}, day.AddDate(1, 0, 0))
	if len(es) != 3 || es[0].Origin != "" || es[1].Origin != "reports.csv" || es[2].Unit != "城关镇" {
		t.Fatalf("entries %+v, want the staff entry and the list's two", es)
	}
	if err := s.DeleteManual(ctx, es[1].ID); !errors.Is(err, ErrListed) {
		t.Errorf("deleting a listed entry: %v, want ErrListed", err)
	}
	if _, err := s.ReplaceListed(ctx, "reports.csv", []*ManualEntry{{Date: day, Channel: ChannelReport, Count: 1}}); err == nil {
		t.Error("an entry without a title was accepted")
	}
	if es2, _ := s.ManualEntries(ctx, time.Time{}, day.AddDate(1, 0, 0)); len(es2) != 3 {
		t.Errorf("a rejected list changed the entries: %d", len(es2))
	}
}

func TestJSONLineKeepsUnit(t *testing.T) {
	d, err := ParseJSONLine([]byte(`{"id":"x","title":"标题","body":"正文","unit":" 城关镇 "}`))
	if err != nil || d.Unit != "城关镇" {
		t.Fatalf("unit %q (%v)", d.Unit, err)
	}
}

func TestMatchRejects(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	day := time.Date(2015, 6, 3, 9, 0, 0, 0, Beijing)
	for i, u := range []string{"http://city/a.html", "http://city/b.html", "http://city/c.html"} {
		r := &MatchReject{URL: u, Source: "city", Title: "标题", Published: day.AddDate(0, i, 0), Reason: "正文提及", Seen: day}
		if err := s.SaveMatchReject(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.ForgetMatchReject(ctx, "http://city/b.html"); err != nil {
		t.Fatal(err)
	}
	rs, total, err := s.MatchRejects(ctx, day.AddDate(0, -1, 0), day.AddDate(1, 0, 0), 1)
	if err != nil || total != 2 || len(rs) != 1 || rs[0].URL != "http://city/c.html" || rs[0].Reason != "正文提及" {
		t.Fatalf("rejects %+v, total %d (%v): want c.html first of 2", rs, total, err)
	}
	if rs, total, err := s.MatchRejects(ctx, day.AddDate(0, -1, 0), day.AddDate(1, 0, 0), 10, "county", "other"); err != nil || total != 0 || len(rs) != 0 {
		t.Fatalf("rejects of other sources: %+v %d %v", rs, total, err)
	}
}

// TestUnassignedFoundByIndex checks that the queries AssignUnits runs on
// every open of the store read the partial indexes of unassigned rows, not
// every document.
func TestUnassignedFoundByIndex(t *testing.T) {
	s := openTemp(t)
	for q, index := range map[string]string{
		"SELECT " + docColumns + " FROM documents WHERE unit = '' AND id > ? ORDER BY id": "documents_unassigned",
		"SELECT EXISTS (SELECT 1 FROM manual_entries WHERE unit = '')":                    "manual_entries_unassigned",
	} {
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q, "")
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if !strings.Contains(strings.Join(plan, "; "), index) {
			t.Errorf("%s: plan %q does not use %s", q, plan, index)
		}
	}
}
