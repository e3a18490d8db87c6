package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func sampleDoc(id string) *Document {
	return &Document{
		ID: id, URL: "http://example.gov.cn/" + id + ".html", Source: "portal", Channel: ChannelPortal,
		Title: "关于做好2015年农村低保工作的通知", Body: "各村委会：为做好农村最低生活保障工作……",
		Published: time.Date(2015, 3, 2, 9, 0, 0, 0, Beijing), Publisher: "康大营镇人民政府",
		DocNumber: "康政发〔2015〕3号", Category: "社会保障",
		Attachments: []Attachment{{Name: "申请表.doc", URL: "http://example.gov.cn/a.doc"}},
		Meta:        map[string]string{"有效性": "有效"},
	}
}

func TestMigrateFromEmpty(t *testing.T) {
	s := openTemp(t)
	var v int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != SchemaVersion() {
		t.Fatalf("schema version %d, want %d", v, SchemaVersion())
	}
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q (%v), want wal", mode, err)
	}
}

// databaseAt creates a database in a temporary folder with the schema of
// version, as a gongkai of that version left it; the caller closes it.
func databaseAt(t *testing.T, version int) (*sql.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(context.Background(), db, version); err != nil {
		t.Fatal(err)
	}
	return db, path
}

// TestMigrateFromPreviousVersion builds a database at schema version 4
// (before 有效性 was normalised) with documents in it, then opens it with
// this build, which runs every later migration.
func TestMigrateFromPreviousVersion(t *testing.T) {
	db, path := databaseAt(t, 4)
	var err error
	d := sampleDoc("old-1")
	// Rows as version 4 wrote them: 有效性 as written, in meta and in the column.
	for _, r := range [][2]string{{"old-1", "废止"}, {"old-2", ""}, {"old-3", "待定"}} {
		meta := "{}"
		if r[1] != "" {
			meta = `{"有效性":"` + r[1] + `"}`
		}
		_, err = db.Exec(`INSERT INTO documents (id, seq, title, body, published, content_hash, channel, meta, text_hash, validity)
			VALUES (?, ?, ?, ?, ?, 'x', 'portal', ?, ?, ?)`, r[0], r[0][4:], d.Title, d.Body, d.Published.Unix(), meta, d.TextHash(), r[1])
		if err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Get(context.Background(), "old-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != d.Title || !got.Published.Equal(d.Published) {
		t.Fatalf("document changed by migration: %+v", got)
	}
	if got.Validity != ValidityRepealed || got.ContentHash != got.ComputeHash() {
		t.Fatalf("old-1 after migration: validity %q, hash %s (want 已废止, rehashed)", got.Validity, got.ContentHash)
	}
	for id, want := range map[string]string{"old-2": ValidityUnknown, "old-3": ValidityUnknown} {
		if g, err := s.Get(context.Background(), id); err != nil || g.Validity != want {
			t.Fatalf("%s after migration: %+v %v, want validity %s", id, g, err, want)
		}
	}
	if g, _ := s.Get(context.Background(), "old-3"); g.Meta["有效性"] != "待定" {
		t.Fatalf("old-3 lost its 有效性 as written: %v", g.Meta)
	}
	items, err := s.Items(context.Background(), time.Date(2015, 1, 1, 0, 0, 0, 0, Beijing), time.Date(2016, 1, 1, 0, 0, 0, 0, Beijing))
	if err != nil || len(items) != 3 || items[0].TextHash != d.TextHash() || items[0].Validity != ValidityRepealed {
		t.Fatalf("items after migration: %+v %v (want validity 已废止)", items, err)
	}
}

func TestUpsertUnchangedUpdated(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	d := sampleDoc("a")
	for i, want := range []Result{New, Unchanged} {
		r, err := s.Upsert(ctx, sampleDoc("a"))
		if err != nil || r != want {
			t.Fatalf("upsert %d: %v %v, want %v", i, r, err, want)
		}
	}
	seq1, _ := s.MaxSeq(ctx)
	d.Body += "（更新）"
	if r, err := s.Upsert(ctx, d); err != nil || r != Updated {
		t.Fatalf("changed body: %v %v, want updated", r, err)
	}
	seq2, _ := s.MaxSeq(ctx)
	if seq2 != seq1+1 {
		t.Fatalf("seq %d after update, want %d", seq2, seq1+1)
	}
	got, err := s.Get(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if got.Body != d.Body || got.DocNumber != d.DocNumber || len(got.Attachments) != 1 || got.Meta["有效性"] != "有效" {
		t.Fatalf("round trip: %+v", got)
	}
	if got.ComputeHash() != got.ContentHash {
		t.Fatal("hash of a stored document differs from its stored hash")
	}
	if _, err := s.Get(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing id: %v, want ErrNotFound", err)
	}
}

func TestChangesAndRemoval(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	for i := range 1200 { // more than two pages
		if _, err := s.Upsert(ctx, sampleDoc(fmt.Sprintf("d%04d", i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MarkRemoved(ctx, "d0005"); err != nil {
		t.Fatal(err)
	}
	var seen, removed int
	last := int64(0)
	err := s.Changes(ctx, 1000, func(seq int64, d *Document) error {
		if seq <= last {
			t.Fatalf("seq %d after %d", seq, last)
		}
		last = seq
		seen++
		if d.Status == StatusRemoved {
			removed++
		}
		return nil
	})
	if err != nil || seen != 201 || removed != 1 {
		t.Fatalf("changes after 1000: %d seen, %d removed, %v; want 201 and 1", seen, removed, err)
	}
	n := 0
	if err := s.Each(ctx, func(*Document) error { n++; return nil }); err != nil || n != 1200 {
		t.Fatalf("each: %d %v", n, err)
	}
	rows, err := s.Counts(ctx, time.Date(2015, 1, 1, 0, 0, 0, 0, Beijing), time.Date(2016, 1, 1, 0, 0, 0, 0, Beijing))
	if err != nil || len(rows) != 1 || rows[0].N != 1199 || rows[0].Month != 3 {
		t.Fatalf("counts: %+v %v (removed documents must not count)", rows, err)
	}
}

// TestReadersDuringWrite holds a write transaction open while readers read.
func TestReadersDuringWrite(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if _, err := s.Upsert(ctx, sampleDoc("r")); err != nil {
		t.Fatal(err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("UPDATE documents SET title = 'writing' WHERE id = 'r'"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			d, err := s.Get(rctx, "r")
			if err == nil && d.Title == "writing" {
				err = errors.New("reader saw uncommitted data")
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("reader during write: %v", err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestManualEntries(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	day := time.Date(2015, 6, 1, 0, 0, 0, 0, Beijing)
	good := &ManualEntry{Date: day, Channel: ChannelBoard, Category: "村务公开", Title: "二季度财务公开", Count: 31}
	bad := &ManualEntry{Date: day, Channel: "tv", Title: "x", Count: 1}
	if err := s.AddManualBatch(ctx, []*ManualEntry{good, bad}); err == nil {
		t.Fatal("bad channel accepted")
	}
	if got, _ := s.ManualEntries(ctx, day, day.AddDate(0, 1, 0)); len(got) != 0 {
		t.Fatal("a rejected batch was half-written")
	}
	if err := s.AddManual(ctx, good); err != nil {
		t.Fatal(err)
	}
	got, err := s.ManualEntries(ctx, day, day.AddDate(0, 1, 0))
	if err != nil || len(got) != 1 || got[0].Count != 31 {
		t.Fatalf("entries: %+v %v", got, err)
	}
	if err := s.DeleteManual(ctx, got[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteManual(ctx, got[0].ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestCrawlStateAndRuns(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if cs, err := s.CrawlState(ctx, "http://x/1"); cs != nil || err != nil {
		t.Fatalf("unknown url: %v %v", cs, err)
	}
	cs := &CrawlState{URL: "http://x/1", Source: "portal", ETag: `"e1"`, HTTPStatus: 200, LastFetch: time.Now()}
	if err := s.SaveCrawlState(ctx, cs); err != nil {
		t.Fatal(err)
	}
	fail := &CrawlState{URL: "http://x/2", Source: "portal", HTTPStatus: 404, Failure: "http 404", LastFetch: time.Now()}
	if err := s.SaveCrawlState(ctx, fail); err != nil {
		t.Fatal(err)
	}
	got, _ := s.CrawlState(ctx, "http://x/1")
	if got == nil || got.ETag != `"e1"` {
		t.Fatalf("crawl state: %+v", got)
	}
	known, _ := s.KnownURLs(ctx, "portal")
	fails, _ := s.Failures(ctx, "")
	if len(known) != 2 || len(fails) != 1 || fails[0].URL != "http://x/2" {
		t.Fatalf("known %v failures %+v", known, fails)
	}
	r, err := s.StartRun(ctx, "portal")
	if err != nil {
		t.Fatal(err)
	}
	r.Fetched, r.New, r.Failed = 10, 9, 1
	r.Failures["http 404"] = 1
	if err := s.FinishRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	runs, err := s.RecentRuns(ctx, 5)
	if err != nil || len(runs) != 1 || runs[0].New != 9 || runs[0].Failures["http 404"] != 1 || runs[0].Ended.IsZero() {
		t.Fatalf("runs: %+v %v", runs, err)
	}
}

func TestQueryLog(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, Beijing)
	yesterday := now.AddDate(0, 0, -1)
	var qs []LoggedQuery
	for range 12 { // one client, twelve times in a day: one client-day
		qs = append(qs, LoggedQuery{"办证请加微信", 5, "c1", now})
	}
	qs = append(qs, LoggedQuery{"低保", 3, "c1", now}, LoggedQuery{"低保", 3, "c1", yesterday},
		LoggedQuery{"低保", 3, "c2", now}, LoggedQuery{"低保", 3, "c3", now},
		LoggedQuery{"危房改造", 3, "c1", now}, LoggedQuery{"危房改造", 3, "c2", now},
		LoggedQuery{"没有结果", 0, "c1", now}, LoggedQuery{"没有结果", 0, "c2", now}, LoggedQuery{"没有结果", 0, "c3", now},
		LoggedQuery{"  ", 1, "c1", now}, LoggedQuery{"过期", 1, "c1", now.AddDate(0, 0, -200)})
	if err := s.LogQueries(ctx, qs); err != nil {
		t.Fatal(err)
	}
	hot, err := s.HotQueries(ctx, now.AddDate(0, 0, -30), 2, 10)
	if err != nil || len(hot) != 2 || hot[0] != (QueryCount{Query: "低保", N: 4, Clients: 3}) || hot[1].Query != "危房改造" {
		t.Fatalf("hot with 2 clients at least: %+v %v", hot, err)
	}
	if hot, _ := s.HotQueries(ctx, now.AddDate(0, 0, -30), 3, 10); len(hot) != 1 {
		t.Errorf("hot with 3 clients at least: %+v, want 低保 alone", hot)
	}
	if err := s.HideQuery(ctx, "低保", "staff", now); err != nil {
		t.Fatal(err)
	}
	if hot, _ := s.HotQueries(ctx, now.AddDate(0, 0, -30), 1, 10); len(hot) != 2 || hot[0].Query != "危房改造" {
		t.Errorf("hot after hiding 低保: %+v", hot)
	}
	all, _ := s.QueryCounts(ctx, now.AddDate(0, 0, -30), 10)
	if len(all) != 3 || all[0].Query != "低保" || !all[0].Hidden {
		t.Errorf("counts for staff: %+v", all)
	}
	if h, err := s.HiddenQueries(ctx); err != nil || len(h) != 1 || h[0].By != "staff" {
		t.Errorf("hidden: %+v %v", h, err)
	}
	if err := s.UnhideQuery(ctx, "低保"); err != nil {
		t.Fatal(err)
	}
	if hot, _ := s.HotQueries(ctx, now.AddDate(0, 0, -30), 3, 10); len(hot) != 1 {
		t.Errorf("unhidden 低保 does not show again: %+v", hot)
	}
	if n, err := s.PruneQueryLog(ctx, now.AddDate(0, 0, -180)); err != nil || n != 1 {
		t.Errorf("prune: %d, %v; want the 200-day-old search", n, err)
	}
	a, err := s.Secret(ctx, "k", 32)
	b, _ := s.Secret(ctx, "k", 32)
	if err != nil || len(a) != 32 || !bytes.Equal(a, b) {
		t.Errorf("secret: %x then %x, %v", a, b, err)
	}
}

func TestSiteTemplates(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if ts, err := s.SiteTemplates(ctx, "www.example.gov.cn"); err != nil || len(ts) != 0 {
		t.Fatalf("templates of an unknown host: %+v, %v", ts, err)
	}
	a := &SiteTemplate{Host: "www.example.gov.cn", Body: ".TRS_Editor", DateLabel: "发布时间", Pages: 1, Updated: time.Unix(100, 0)}
	b := &SiteTemplate{Host: "www.example.gov.cn", Body: "div#zoom", Pages: 3, Updated: time.Unix(200, 0)}
	for _, x := range []*SiteTemplate{a, b, {Host: "other.gov.cn", Body: "#zoom", Pages: 1}} {
		if err := s.SaveSiteTemplate(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	a.Pages = 2
	if err := s.SaveSiteTemplate(ctx, a); err != nil { // the same layout again replaces its record
		t.Fatal(err)
	}
	ts, err := s.SiteTemplates(ctx, "www.example.gov.cn")
	if err != nil || len(ts) != 2 {
		t.Fatalf("templates: %+v, %v", ts, err)
	}
	for _, g := range ts {
		want := b
		if g.Body == a.Body {
			want = a
		}
		if g.DateLabel != want.DateLabel || g.Pages != want.Pages || !g.Updated.Equal(want.Updated) {
			t.Errorf("got %+v, want %+v", g, want)
		}
	}
}
