package feed

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "feeds", name))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.ReplaceAll(string(data), "{{BASE}}", "http://www.kdy.gov.cn"))
}

func TestFormats(t *testing.T) {
	bj := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, store.Beijing)
	}
	cases := []struct {
		file, title string
		n           int
		first       Entry
		full        []bool
	}{
		{"rsshub.xml", "康大营镇人民政府 - 通知公告", 2, Entry{Link: "http://www.kdy.gov.cn/tzgg/201512/t20151215_1001.html",
			Title: "康大营镇2015年财政预算执行情况公告", Published: bj(2015, 12, 15, 10, 0), Author: "康大营镇财政所"}, []bool{true, true}},
		{"cms-summary.xml", "康大营镇人民政府 工作动态", 2, Entry{Link: "http://www.kdy.gov.cn/gzdt/201511/t20151120_2001.html",
			Title: "康大营镇召开2015年度村务公开工作推进会", Published: bj(2015, 11, 20, 16, 30)}, []bool{false, false}},
		{"atom.xml", "康大营镇发布", 1, Entry{Link: "https://mp.weixin.qq.com/s?__biz=MzA5MTIzNDU2Nw==&mid=2650000101&idx=1&sn=a1",
			Title: "关于2015年低保评议结果的公示", Published: bj(2015, 12, 15, 10, 0)}, []bool{false}},
		{"jsonfeed.json", "康大营镇人民政府 政策文件", 1, Entry{Link: "http://www.kdy.gov.cn/zcwj/201510/t20151012_3001.html",
			Title: "康大营镇危房改造补助实施办法", Published: bj(2015, 10, 12, 9, 0), Author: "康大营镇人民政府"}, []bool{false}},
	}
	for _, tc := range cases {
		title, entries, err := Parse(read(t, tc.file))
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		if title != tc.title || len(entries) != tc.n {
			t.Errorf("%s: title %q, %d entries", tc.file, title, len(entries))
			continue
		}
		e := entries[0]
		if e.Link != tc.first.Link || e.Title != tc.first.Title || !e.Published.Equal(tc.first.Published) || e.Author != tc.first.Author {
			t.Errorf("%s: first entry %+v, want %+v", tc.file, e, tc.first)
		}
		for i, want := range tc.full {
			if got := entries[i].FullText() != ""; got != want {
				t.Errorf("%s: entry %d full text %v, want %v", tc.file, i, got, want)
			}
		}
	}
}

func TestFullText(t *testing.T) {
	long := strings.Repeat("镇政府召开会议研究部署村务公开工作。", 15)
	cases := []struct {
		e    Entry
		full bool
	}{
		{Entry{Summary: "<p>短通知。</p>"}, true},                        // marked up and not cut: the whole notice
		{Entry{Summary: "一句话摘要。"}, false},                            // plain sentence: a summary
		{Entry{Summary: long}, true},                                 // long plain text
		{Entry{Summary: "<p>" + long + "……</p>"}, false},             // cut off
		{Entry{Summary: "摘要", Content: "<p>" + long + "</p>"}, true}, // content:encoded
		{Entry{Summary: "<p>开头</p><p>阅读全文</p>"}, false},
	}
	for i, tc := range cases {
		if got := tc.e.FullText() != ""; got != tc.full {
			t.Errorf("case %d: full %v, want %v", i, got, tc.full)
		}
	}
}

func TestPageEscapes(t *testing.T) {
	e := Entry{Title: `"><script>alert(1)</script>`, Author: `a"b`}
	page := string(e.Page("<p>x</p>"))
	if strings.Contains(page, "<script>") || strings.Contains(page, `a"b`) {
		t.Fatalf("title or author not escaped:\n%s", page)
	}
}

func TestBroken(t *testing.T) {
	if _, _, err := Parse([]byte("<rss><channel><item>")); err == nil {
		t.Error("a broken feed must be an error")
	}
}
