package crawler

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// fileSite serves a column of two articles whose attachments cover each
// case: a text file, the same bytes under another name, a file too large,
// a file of another site, a missing file and one robots.txt forbids.
type fileSite struct {
	*httptest.Server
	mu       sync.Mutex
	requests map[string]int // path → requests (conditional ones counted apart as path+"?304")
}

const fileText = "康大营镇2015年农村低保对象名单：王家庄村 张秀英 每月300元；李家堡村 赵德胜 每月280元。"

func newFileSite(t *testing.T) *fileSite {
	s := &fileSite{requests: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *fileSite) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

func (s *fileSite) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	s.mu.Lock()
	if r.Header.Get("If-None-Match") != "" {
		s.requests[p+"?304"]++
	} else {
		s.requests[p]++
	}
	s.mu.Unlock()
	mod := time.Date(2015, 3, 2, 8, 0, 0, 0, time.UTC)
	switch {
	case p == "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	case p == "/col/index.html":
		fmt.Fprint(w, `<html><head><meta charset="utf-8"><title>通知公告</title></head><body><ul class="list">
<li><a href="./201503/t20150302_1.html">一</a></li><li><a href="./201503/t20150303_2.html">二</a></li></ul></body></html>`)
	case strings.HasPrefix(p, "/col/201503/"):
		links := `<a href="/files/list.doc">低保对象名单.doc</a> <a href="/files/big.doc">大文件.doc</a>
<a href="http://files.elsewhere.example/x.pdf">外站文件.pdf</a> <a href="/files/gone.pdf">已删除.pdf</a> <a href="/private/secret.pdf">内部.pdf</a>`
		if strings.HasSuffix(p, "_2.html") {
			links = `<a href="/files/copy.doc">名单副本.doc</a>`
		}
		fmt.Fprintf(w, `<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="关于公布低保对象的通知%s">
<meta name="PubDate" content="2015-03-02 09:30"><title>通知</title></head><body><h1>关于公布低保对象的通知%s</h1>
<div class="TRS_Editor"><p>%s</p><p>%s</p><p>名单见附件。</p></div><div class="attachments">附件：%s</div></body></html>`, p, p, prose, prose, links)
	case p == "/files/list.doc" || p == "/files/copy.doc":
		w.Header().Set("ETag", `"v1"`)
		http.ServeContent(w, r, "list.txt", mod, strings.NewReader(fileText))
	case p == "/files/big.doc":
		w.Header().Set("ETag", `"big"`)
		http.ServeContent(w, r, "big.txt", mod, bytes.NewReader(bytes.Repeat([]byte("大"), 2000)))
	default:
		http.NotFound(w, r)
	}
}

func TestCrawlAttachments(t *testing.T) {
	s := newFileSite(t)
	st := openStore(t)
	cfg := config.Default()
	cfg.Sources = []config.Source{{Name: "portal", Kind: config.KindPortal, Start: []string{s.URL + "/col/index.html"}, Rate: -1}}
	cfg.Attachments.MaxFileBytes = 4000
	ctx := context.Background()
	runs := runAll(t, newCrawler(st, cfg, nil))
	if r := runs["portal"]; r.New != 2 || r.Failed != 0 {
		t.Fatalf("run %+v", r)
	}
	id := docOfPath(t, st, "/col/201503/t20150302_1.html")
	d, err := st.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]store.Attachment{}
	for _, a := range d.Attachments {
		byName[a.Name] = a
	}
	list := byName["低保对象名单.doc"]
	if list.State != store.AttachmentExtracted || list.Type != "txt" /* from the bytes, not the name */ || !strings.Contains(list.Text, "张秀英") || list.Bytes != int64(len(fileText)) {
		t.Errorf("text file: %+v", list)
	}
	for name, want := range map[string]string{"大文件.doc": store.AttachmentTooLarge, "外站文件.pdf": store.AttachmentNotFetched,
		"已删除.pdf": store.AttachmentNotFetched, "内部.pdf": store.AttachmentNotFetched} {
		if a := byName[name]; a.State != want || a.Reason == "" || a.Text != "" {
			t.Errorf("%s: state %q reason %q, want %s with a reason", name, a.State, a.Reason, want)
		}
	}
	if !strings.Contains(byName["外站文件.pdf"].Reason, "off-site") || !strings.Contains(byName["内部.pdf"].Reason, "robots") {
		t.Errorf("reasons: %q, %q", byName["外站文件.pdf"].Reason, byName["内部.pdf"].Reason)
	}
	if s.count("/private/secret.pdf") != 0 {
		t.Error("fetched a file robots.txt forbids")
	}
	// the same bytes under another document: one file, one record of each
	d2, _ := st.Get(ctx, docOfPath(t, st, "/col/201503/t20150303_2.html"))
	if c := d2.Attachments[0]; c.SHA256 != list.SHA256 || c.Text != list.Text {
		t.Errorf("copy: %+v", c)
	}
	files := 0
	filepath.Walk(st.AttachmentDir(), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			files++
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v", p, fi.Mode().Perm())
			}
		}
		return nil
	})
	if files != 1 {
		t.Errorf("%d files stored, want 1 (the same bytes twice)", files)
	}
	if data, err := os.ReadFile(st.FilePath(list.SHA256)); err != nil || string(data) != fileText {
		t.Errorf("stored file: %q, %v", data, err)
	}

	// a re-crawl asks for each file conditionally and fetches none again
	seq, _ := st.MaxSeq(ctx)
	runAll(t, newCrawler(st, cfg, nil))
	if n := s.count("/files/list.doc"); n != 1 {
		t.Errorf("list.txt fetched %d times in two crawls", n)
	}
	if seq2, _ := st.MaxSeq(ctx); seq2 != seq {
		t.Errorf("a re-crawl of unchanged files wrote documents (seq %d → %d)", seq, seq2)
	}

	// attachments.off keeps the links and fetches nothing
	cfg.Attachments.Off = true
	st2, _ := store.Open(filepath.Join(t.TempDir(), "off.db"))
	defer st2.Close()
	before := s.count("/files/list.doc")
	runAll(t, newCrawler(st2, cfg, nil))
	if s.count("/files/list.doc") != before {
		t.Error("attachments.off still fetched")
	}
}

func TestAttachmentHost(t *testing.T) {
	c := &Crawler{cfg: config.Default()}
	c.cfg.Attachments.Hosts = []string{"oss.county-files.cn"}
	page, _ := url.Parse("http://www.kdy.gov.cn/col/1.html")
	for raw, want := range map[string]bool{
		"http://www.kdy.gov.cn/files/1.pdf":   true,
		"https://file.kdy.gov.cn/2015/1.pdf":  true, // same registrable domain
		"http://www.other.gov.cn/1.pdf":       false,
		"http://oss.county-files.cn/a/1.xlsx": true, // configured
		"ftp://www.kdy.gov.cn/1.pdf":          false,
		"http://127.0.0.1/1.pdf":              false,
	} {
		u, _ := url.Parse(raw)
		if got := c.attachmentHost(page, u); got != want {
			t.Errorf("%s: %v, want %v", raw, got, want)
		}
	}
}

// docOfPath returns the id of the document crawled from path.
func docOfPath(t *testing.T, st *store.Store, path string) string {
	t.Helper()
	var id string
	st.Each(context.Background(), func(d *store.Document) error {
		if strings.HasSuffix(d.URL, path) {
			id = d.ID
		}
		return nil
	})
	if id == "" {
		t.Fatalf("no document from %s", path)
	}
	return id
}
