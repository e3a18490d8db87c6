package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestPurge: a purged document loses its text and attachments (the file
// another document shares stays), leaves a removed row with a new sequence
// for the index, and cannot be stored again until the purge is lifted; the
// audit log records both.
func TestPurge(t *testing.T) {
	ctx := context.Background()
	st, err := Open(filepath.Join(t.TempDir(), "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	doc := func(id string) *Document {
		return &Document{ID: id, URL: "http://www.example.gov.cn/" + id + ".html", Title: "低保名单公示 " + id, Body: "张三 身份证号 …", Channel: ChannelPortal}
	}
	if _, err := st.UpsertBatch(ctx, []*Document{doc("a"), doc("b")}); err != nil {
		t.Fatal(err)
	}
	own, err := st.PutFile([]byte("only a's file"))
	if err != nil {
		t.Fatal(err)
	}
	shared, err := st.PutFile([]byte("a file both attach"))
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []struct {
		doc, url, sha string
	}{{"a", "http://www.example.gov.cn/a.xls", own}, {"a", "http://www.example.gov.cn/s.pdf", shared}, {"b", "http://www.example.gov.cn/s.pdf", shared}} {
		a := &Attachment{Name: "名单", URL: at.url, SHA256: at.sha, State: AttachmentExtracted, Text: "张三"}
		if _, err := st.SaveAttachment(ctx, at.doc, a, AttachmentFetch{FetchedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := st.MaxSeq(ctx)

	p, err := st.Purge(ctx, "http://www.example.gov.cn/a.html", "staff", "公开了身份证号")
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "a" || p.Attachments != 2 || len(p.Files) != 1 || p.Files[0] != own {
		t.Errorf("purge: %+v", p)
	}
	if _, err := os.Stat(st.FilePath(own)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a's own file: %v", err)
	}
	if _, err := os.Stat(st.FilePath(shared)); err != nil {
		t.Errorf("the file b still uses was removed: %v", err)
	}
	d, err := st.Get(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != StatusRemoved || d.Title != "" || d.Body != "" || len(d.Attachments) != 0 {
		t.Errorf("purged row: %+v", d)
	}
	var changed []string
	st.Changes(ctx, before, func(_ int64, d *Document) error { changed = append(changed, d.ID+"/"+d.Status); return nil })
	if len(changed) != 1 || changed[0] != "a/removed" {
		t.Errorf("changes after the purge: %v", changed)
	}
	if a, _, err := st.Attachment(ctx, "a", "http://www.example.gov.cn/s.pdf"); err == nil && a != nil {
		t.Errorf("a's attachment record is still there: %+v", a)
	}

	// A crawl or ingest of the same document is withheld, by id or by URL.
	res, err := st.UpsertBatch(ctx, []*Document{doc("a")})
	if err != nil || res[0] != Withheld {
		t.Fatalf("store again: %v %v", res, err)
	}
	if d, _ := st.Get(ctx, "a"); d.Title != "" || d.Status != StatusRemoved {
		t.Errorf("withheld document was written: %+v", d)
	}
	if _, err := st.Purge(ctx, "nope", "staff", "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("purge of an unknown id: %v", err)
	}

	if id, err := st.Lift(ctx, "a", "admin"); err != nil || id != "a" {
		t.Fatalf("lift: %q %v", id, err)
	}
	if res, err := st.UpsertBatch(ctx, []*Document{doc("a")}); err != nil || res[0] != Updated {
		t.Fatalf("store after the lift: %v %v", res, err)
	}
	log, err := st.AuditLog(ctx, 10, AuditPurge, AuditLift)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].Action != AuditLift || log[0].Who != "admin" || log[1].Action != AuditPurge ||
		log[1].Who != "staff" || log[1].Detail != "公开了身份证号" || log[1].Title != "低保名单公示 a" || log[1].URL != "http://www.example.gov.cn/a.html" {
		t.Errorf("audit log: %+v", log)
	}
}
