package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAttachmentRecords(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	d := &Document{ID: "a1", Title: "2015年低保名单", Body: "名单见附件。", Published: time.Date(2015, 3, 1, 9, 0, 0, 0, Beijing),
		Attachments: []Attachment{{Name: "名单.xlsx", URL: "http://x.gov.cn/1.xlsx"}, {Name: "说明.pdf", URL: "http://x.gov.cn/2.pdf"}}}
	if _, err := s.Upsert(ctx, d); err != nil {
		t.Fatal(err)
	}
	seq0, _ := s.MaxSeq(ctx)
	rec := &Attachment{Name: "名单.xlsx", URL: "http://x.gov.cn/1.xlsx", Type: "xlsx", Bytes: 900, State: AttachmentExtracted,
		SHA256: "ab12", Text: "张三 王家庄村 300"}
	changed, err := s.SaveAttachment(ctx, "a1", rec, AttachmentFetch{ETag: `"e1"`, FetchedAt: time.Now()})
	if err != nil || !changed {
		t.Fatalf("first save: changed %v, %v", changed, err)
	}
	if seq, _ := s.MaxSeq(ctx); seq != seq0+1 {
		t.Errorf("a new attachment record gives the document a new seq: %d, want %d", seq, seq0+1)
	}
	if changed, err = s.SaveAttachment(ctx, "a1", rec, AttachmentFetch{ETag: `"e2"`}); err != nil || changed {
		t.Errorf("same record again: changed %v, %v", changed, err)
	}
	_, v, err := s.Attachment(ctx, "a1", rec.URL)
	if err != nil || v.ETag != `"e2"` {
		t.Errorf("validators kept: %+v, %v", v, err)
	}
	got, err := s.Get(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	if a := got.Attachments[0]; a.Type != "xlsx" || a.Text != rec.Text || a.Bytes != 900 || got.Attachments[1].State != "" {
		t.Errorf("Get fills the records: %+v", got.Attachments)
	}
	if _, err := s.AttachmentBySHA(ctx, "ab12"); err != nil {
		t.Errorf("by sha: %v", err)
	}
	if _, err := s.SaveAttachment(ctx, "nope", rec, AttachmentFetch{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("attachment of a missing document: %v", err)
	}

	// the crawler stores the page again (links only): the record stays, and the page is unchanged
	again := *d
	again.Attachments = []Attachment{{Name: "名单.xlsx", URL: "http://x.gov.cn/1.xlsx"}, {Name: "说明.pdf", URL: "http://x.gov.cn/2.pdf"}}
	if r, err := s.Upsert(ctx, &again); err != nil || r != Unchanged {
		t.Fatalf("page again: %v, %v", r, err)
	}
	if _, _, err := s.Attachment(ctx, "a1", rec.URL); err != nil {
		t.Errorf("record lost on a re-crawl: %v", err)
	}
	// a page that drops the link drops the record
	again.Attachments = again.Attachments[1:]
	if r, err := s.Upsert(ctx, &again); err != nil || r != Updated {
		t.Fatalf("page without the link: %v, %v", r, err)
	}
	if _, _, err := s.Attachment(ctx, "a1", rec.URL); !errors.Is(err, ErrNotFound) {
		t.Errorf("record of a dropped link: %v", err)
	}

	// an import carrying records writes them; the same line again changes nothing
	line := `{"id":"b1","title":"危房改造方案","body":"见附件","published":"2016-05-02","attachments":[{"name":"方案.docx","url":"http://x.gov.cn/3.docx","type":"docx","bytes":12,"state":"extracted","text":"方案正文"}]}`
	for i, want := range []Result{New, Unchanged} {
		nd, err := ParseJSONLine([]byte(line))
		if err != nil {
			t.Fatal(err)
		}
		if r, err := s.Upsert(ctx, nd); err != nil || r != want {
			t.Errorf("import %d: %v, %v; want %v", i, r, err, want)
		}
	}
	if a, _, err := s.Attachment(ctx, "b1", "http://x.gov.cn/3.docx"); err != nil || a.Text != "方案正文" {
		t.Errorf("imported record: %+v, %v", a, err)
	}
	for _, bad := range []string{
		`{"id":"c","title":"t","body":"b","attachments":[{"name":"x","url":"http://x/1.pdf","state":"maybe"}]}`,
		`{"id":"c","title":"t","body":"b","attachments":[{"name":"x","url":"http://x/1.pdf","text":"no state"}]}`,
		`{"id":"c","title":"t","body":"b","attachments":[{"name":"x"}]}`,
	} {
		if _, err := ParseJSONLine([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}

	// a link never fetched is not counted; one recorded without a type counts as ""
	counts, err := s.AttachmentCounts(ctx, "")
	if err != nil || len(counts) != 1 || counts[0] != (AttachmentCount{2016, "docx", 1}) {
		t.Fatalf("counts before %+v, %v", counts, err)
	}
	if _, err := s.SaveAttachment(ctx, "a1", &Attachment{Name: "说明.pdf", URL: "http://x.gov.cn/2.pdf", State: AttachmentNotFetched,
		Reason: "http 404"}, AttachmentFetch{}); err != nil {
		t.Fatal(err)
	}
	if counts, err = s.AttachmentCounts(ctx, ""); err != nil {
		t.Fatal(err)
	}
	want := []AttachmentCount{{2015, "", 1}, {2016, "docx", 1}}
	if len(counts) != len(want) || counts[0] != want[0] || counts[1] != want[1] {
		t.Errorf("counts %+v, want %+v", counts, want)
	}
}

func TestPutFile(t *testing.T) {
	s := openTemp(t)
	data := []byte("%PDF-1.4 test")
	sha, err := s.PutFile(data)
	if err != nil {
		t.Fatal(err)
	}
	p := s.FilePath(sha)
	if !strings.HasPrefix(p, filepath.Join(s.AttachmentDir(), sha[:2])) {
		t.Errorf("path %s", p)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v", fi.Mode().Perm())
	}
	if di, _ := os.Stat(filepath.Dir(p)); di.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v", di.Mode().Perm())
	}
	mt := fi.ModTime()
	time.Sleep(10 * time.Millisecond)
	if sha2, err := s.PutFile(data); err != nil || sha2 != sha {
		t.Fatal(sha2, err)
	}
	if fi2, _ := os.Stat(p); !fi2.ModTime().Equal(mt) {
		t.Error("the same bytes were written twice")
	}
	got, _ := os.ReadFile(p)
	if !bytes.Equal(got, data) {
		t.Error("content differs")
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// A file re-fetched with other bytes replaces its record; the old file goes
// unless another document's record names it.
func TestSaveAttachmentRemovesReplacedFile(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	link := Attachment{Name: "名单.pdf", URL: "http://x.gov.cn/1.pdf"}
	for _, id := range []string{"a1", "a2"} {
		if _, err := s.Upsert(ctx, &Document{ID: id, Title: "名单", Body: "见附件。", Attachments: []Attachment{link}}); err != nil {
			t.Fatal(err)
		}
	}
	save := func(id string, data []byte) string {
		t.Helper()
		sha, err := s.PutFile(data)
		if err != nil {
			t.Fatal(err)
		}
		rec := link
		rec.SHA256, rec.Type, rec.State, rec.Bytes = sha, "pdf", AttachmentExtracted, int64(len(data))
		if _, err := s.SaveAttachment(ctx, id, &rec, AttachmentFetch{FetchedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		return sha
	}
	exists := func(sha string) bool { _, err := os.Stat(s.FilePath(sha)); return err == nil }
	first := save("a1", []byte("%PDF-1 张三 身份证号"))
	save("a2", []byte("%PDF-1 张三 身份证号"))
	second := save("a1", []byte("%PDF-2 已删去个人信息"))
	if !exists(first) || !exists(second) {
		t.Fatalf("a file another document names was removed: first %v, second %v", exists(first), exists(second))
	}
	save("a2", []byte("%PDF-2 已删去个人信息"))
	if exists(first) {
		t.Error("the replaced file stays though no record names it")
	}
	if !exists(second) {
		t.Error("the file in use was removed")
	}
	// the pages drop the link: the record goes, and the file with the last one
	for i, id := range []string{"a1", "a2"} {
		if _, err := s.Upsert(ctx, &Document{ID: id, Title: "名单", Body: "附件已撤下。"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Attachment(ctx, id, link.URL); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: the record of a dropped link stays: %v", id, err)
		}
		if exists(second) != (i == 0) {
			t.Errorf("after %s dropped the link the file exists: %v", id, exists(second))
		}
	}
}
