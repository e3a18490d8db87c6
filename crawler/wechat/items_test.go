package wechat

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

const art1 = "https://mp.weixin.qq.com/s?__biz=MzA5MTIzNDU2Nw==&mid=2650001001&idx=1&sn=aaa"

func TestURLList(t *testing.T) {
	list := "\xEF\xBB\xBF# 康大营镇 公众号\n" + art1 + "\n\n   " +
		"https://mp.weixin.qq.com/s?__biz=MzA5MTIzNDU2Nw==&amp;mid=2650001001&amp;idx=1&amp;sn=aaa&amp;chksm=1\n" +
		"https://mp.weixin.qq.com/s?__biz=MzA5MTIzNDU2Nw==&mid=2650001001&idx=2&sn=bbb\n" +
		"https://mp.weixin.qq.com/s/AbCdEf123\n"
	items := URLList([]byte(list))
	if len(items) != 4 || items[0].URL != art1 || items[3].URL != "https://mp.weixin.qq.com/s/AbCdEf123" {
		t.Fatalf("items: %+v", items)
	}
	if id := IDFromURL(items[1].URL); id != "wx:MzA5MTIzNDU2Nw==:2650001001:1" { // the same article as items[0]
		t.Errorf("id %s", id)
	}
	if id := IDFromURL(items[2].URL); id != "wx:MzA5MTIzNDU2Nw==:2650001001:2" {
		t.Errorf("id %s", id)
	}
	if id := IDFromURL(items[3].URL); id != "" {
		t.Errorf("a short link carries no id, got %s", id)
	}
}

func TestExporterJSON(t *testing.T) {
	arr := `[{"title":"村务公开","link":"` + art1 + `","create_time":1450144800,"digest":"摘要","author_name":"党政办","cover":"c.jpg"},
 {"title":"字符串时间","link":"https://mp.weixin.qq.com/s?__biz=B&mid=2&idx=1","create_time":"1450144800"},
 {"title":"日期","url":"https://mp.weixin.qq.com/s?__biz=B&mid=3&idx=1","create_time":"2015-12-15 10:00:00"},
 {"title":"无链接"}]`
	items, err := ExporterJSON([]byte(arr))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2015, 12, 15, 10, 0, 0, 0, store.Beijing)
	if len(items) != 3 || items[0].Author != "党政办" || items[0].Cover != "c.jpg" {
		t.Fatalf("array: %+v", items)
	}
	for _, it := range items {
		if !it.Published.Equal(want) {
			t.Errorf("%s: published %v, want %v", it.Title, it.Published, want)
		}
	}
	jsonl := `{"title":"a","link":"` + art1 + `","create_time":1450144800}` + "\n\n" + `{"title":"b","link":"https://mp.weixin.qq.com/s?__biz=B&mid=2&idx=1"}` + "\n"
	if items, err := ExporterJSON([]byte(jsonl)); err != nil || len(items) != 2 || items[1].Title != "b" {
		t.Fatalf("jsonl: %v %+v", err, items)
	}
	if _, err := ExporterJSON([]byte("{\"title\":\"a\"}\n{broken")); err == nil {
		t.Error("a broken JSONL line must be an error naming the line")
	}
}

func TestFolder(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.html", "a.htm", "notes.txt", "sub/c.HTML"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("<html></html>"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	items, err := Folder(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 || filepath.Base(items[0].File) != "a.htm" || items[0].URL != "" {
		t.Fatalf("folder items: %+v", items)
	}
	if _, err := Folder(filepath.Join(dir, "none")); err == nil {
		t.Error("a missing folder must be an error")
	}
}
