package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// realAttachmentText is the text poppler reads from a real PDF (the Data
// Security Law as the NPC published it; crawler/attachment/testdata/README.md).
func realAttachmentText(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "crawler", "attachment", "testdata", "data-security-law.poppler.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 10000 {
		t.Fatalf("the real text has %d bytes", len(b))
	}
	return string(b)
}

func TestPackTextRoundTrip(t *testing.T) {
	text := realAttachmentText(t)
	for _, s := range []string{text, "", "一", "张三\x00王五\n"} {
		z, err := packText(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := unpackText(z, 0)
		if err != nil || got != s {
			t.Fatalf("round trip of %d bytes: %d bytes back, %v", len(s), len(got), err)
		}
	}
	// a head is a prefix of the text, cut back to a character boundary
	z, err := packText(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{1, 2, 3, 4, 1000, 1001, 1002, len(text) - 1, len(text), len(text) + 10} {
		got, err := unpackText(z, limit)
		if err != nil || !strings.HasPrefix(text, got) || !utf8.ValidString(got) || len(got) > limit || len(got) < min(limit, len(text))-utf8.UTFMax+1 {
			t.Errorf("head of %d bytes: %d bytes %q…, %v", limit, len(got), got[:min(len(got), 12)], err)
		}
	}
	if z, _ := packText(text); float64(len(z)) > 0.5*float64(len(text)) {
		t.Errorf("%d bytes of text packed into %d", len(text), len(z))
	}
	if _, err := unpackText([]byte("这不是压缩数据"), 0); err == nil {
		t.Error("unpacking bytes that are not deflated gives no error")
	}
}

// attachmentReaders returns the text every reader of the store gives for
// the attachment at url of document id: Get (document page, API), Attachment,
// AttachmentBySHA (extraction reuse), Texts (snippets, phrases) and Changes
// (re-index, es-bulk and JSONL export).
func attachmentReaders(t *testing.T, s *Store, id, url, sha string) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	d, err := s.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range d.Attachments {
		if a.URL == url {
			out["Get"] = a.Text
		}
	}
	a, _, err := s.Attachment(ctx, id, url)
	if err != nil {
		t.Fatal(err)
	}
	out["Attachment"] = a.Text
	if sha != "" {
		a, err := s.AttachmentBySHA(ctx, sha)
		if err != nil {
			t.Fatal(err)
		}
		out["AttachmentBySHA"] = a.Text
	}
	texts, err := s.Texts(ctx, []string{id})
	if err != nil {
		t.Fatal(err)
	}
	out["Texts"] = ""
	for _, a := range texts[id].Attachments {
		if a.URL == url {
			out["Texts"] = a.Text
		}
	}
	err = s.Changes(ctx, 0, func(_ int64, d *Document) error {
		for _, a := range d.Attachments {
			if d.ID == id && a.URL == url {
				out["Changes"] = a.Text
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func checkReaders(t *testing.T, s *Store, id, url, sha, want string) {
	t.Helper()
	got := attachmentReaders(t, s, id, url, sha)
	for _, r := range []string{"Get", "Attachment", "Texts", "Changes"} {
		if got[r] != want {
			t.Errorf("%s gives %d bytes of %s's text, want the %d stored", r, len(got[r]), url, len(want))
		}
	}
	if sha != "" && got["AttachmentBySHA"] != want {
		t.Errorf("AttachmentBySHA gives %d bytes, want %d", len(got["AttachmentBySHA"]), len(want))
	}
}

func TestAttachmentTextPacked(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	text := realAttachmentText(t)
	d := &Document{ID: "law", Title: "数据安全法", Body: "全文见附件。", Published: time.Date(2021, 6, 10, 9, 0, 0, 0, Beijing),
		Attachments: []Attachment{{Name: "数据安全法.pdf", URL: "http://x.gov.cn/law.pdf"}, {Name: "扫描件.pdf", URL: "http://x.gov.cn/scan.pdf"}}}
	if _, err := s.Upsert(ctx, d); err != nil {
		t.Fatal(err)
	}
	recs := []*Attachment{
		{Name: "数据安全法.pdf", URL: "http://x.gov.cn/law.pdf", Type: "pdf", SHA256: "aa01", State: AttachmentExtracted, Text: text},
		{Name: "扫描件.pdf", URL: "http://x.gov.cn/scan.pdf", Type: "pdf", SHA256: "bb02", State: AttachmentImageOnly},
	}
	for _, a := range recs {
		if _, err := s.SaveAttachment(ctx, d.ID, a, AttachmentFetch{}); err != nil {
			t.Fatal(err)
		}
	}
	checkReaders(t, s, d.ID, recs[0].URL, "aa01", text)
	checkReaders(t, s, d.ID, recs[1].URL, "bb02", "")
	var n int
	if err := s.db.QueryRow("SELECT length(text_z) FROM attachments WHERE url = ?", recs[0].URL).Scan(&n); err != nil || float64(n) > 0.5*float64(len(text)) {
		t.Errorf("%d bytes of text take %d in the table (%v)", len(text), n, err)
	}
	heads, err := s.TextHeads(ctx, []string{d.ID}, 1000)
	if err != nil || len(heads[d.ID].Attachments) != 1 || heads[d.ID].Body != d.Body {
		t.Fatalf("TextHeads: %+v, %v", heads, err)
	}
	if h := heads[d.ID].Attachments[0].Text; len(h) > 1000 || len(h) < 1000-utf8.UTFMax || !strings.HasPrefix(text, h) {
		t.Errorf("TextHeads gives %d bytes, want the first 1000 or a little less", len(h))
	}
	if changed, err := s.SaveAttachment(ctx, d.ID, recs[0], AttachmentFetch{}); err != nil || changed {
		t.Errorf("the same text again reads as a change: %v %v", changed, err)
	}
}

// TestMigrateAttachmentText writes attachment rows as schema 17 kept them
// (plain text) and opens the store: every reader gets the same text.
func TestMigrateAttachmentText(t *testing.T) {
	db, path := databaseAt(t, 17)
	text := realAttachmentText(t)
	_, err := db.Exec(`INSERT INTO documents (id, seq, title, body, published, content_hash, channel, attachments)
		VALUES ('law', 1, '数据安全法', '全文见附件。', ?, 'x', 'portal', ?)`, time.Date(2021, 6, 10, 9, 0, 0, 0, Beijing).Unix(),
		`[{"name":"数据安全法.pdf","url":"http://x.gov.cn/law.pdf"},{"name":"表.xls","url":"http://x.gov.cn/t.xls"}]`)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range [][4]string{{"http://x.gov.cn/law.pdf", "aa01", AttachmentExtracted, text}, {"http://x.gov.cn/t.xls", "", AttachmentFailed, ""}} {
		if _, err := db.Exec(`INSERT INTO attachments (doc_id, url, name, sha256, type, state, text) VALUES ('law', ?, 'n', ?, 'pdf', ?, ?)`,
			r[0], r[1], r[2], r[3]); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkReaders(t, s, "law", "http://x.gov.cn/law.pdf", "aa01", text)
	checkReaders(t, s, "law", "http://x.gov.cn/t.xls", "", "")
	var n int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM pragma_table_info('attachments') WHERE name = 'text'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the plain text column is still there (%d, %v)", n, err)
	}
}

// BenchmarkAttachmentTextRead reads one document whose attachment holds
// 2 MB of real text (the Data Security Law repeated), whole (Texts, as
// exact phrases need it) and its first 256 KB (TextHeads, what a search's
// snippets scan): the cost of a hit with a large attachment.
func BenchmarkAttachmentTextRead(b *testing.B) {
	s := openTemp(b)
	ctx := context.Background()
	one := realAttachmentText(b)
	text := strings.Repeat(one, (2<<20)/len(one)+1)
	d := &Document{ID: "big", Title: "名单", Body: "见附件。", Attachments: []Attachment{{Name: "名单.xlsx", URL: "http://x.gov.cn/big.xlsx"}}}
	if _, err := s.Upsert(ctx, d); err != nil {
		b.Fatal(err)
	}
	if _, err := s.SaveAttachment(ctx, d.ID, &Attachment{Name: "名单.xlsx", URL: "http://x.gov.cn/big.xlsx", Type: "xlsx",
		State: AttachmentExtracted, Text: text}, AttachmentFetch{}); err != nil {
		b.Fatal(err)
	}
	for _, limit := range []int{0, 256 << 10} {
		b.Run(fmt.Sprintf("limit=%d", limit), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.TextHeads(ctx, []string{d.ID}, limit); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
