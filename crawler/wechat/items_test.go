package wechat

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gongkai/config"
	"gongkai/crawler/fetch"
	"gongkai/store"
)

const art1 = "https://mp.weixin.qq.com/s?__biz=MzA5MTIzNDU2Nw==&mid=2650001001&idx=1&sn=aaa"

func TestURLFile(t *testing.T) {
	dir := t.TempDir()
	list := "\xEF\xBB\xBF# 康大营镇 公众号\n" + art1 + "\n\n   " +
		"https://mp.weixin.qq.com/s?__biz=MzA5MTIzNDU2Nw==&amp;mid=2650001001&amp;idx=1&amp;sn=aaa&amp;chksm=1\n" + // same article
		"https://mp.weixin.qq.com/s?__biz=MzA5MTIzNDU2Nw==&mid=2650001001&idx=2&sn=bbb\n" +
		"https://mp.weixin.qq.com/s/AbCdEf123\n"
	p := filepath.Join(dir, "urls.txt")
	if err := os.WriteFile(p, []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	items, err := Items(context.Background(), nil, config.Source{Name: "w", Kind: config.KindWeChatURLs, Path: p})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 || items[0].URL != art1 || items[2].Key() != "https://mp.weixin.qq.com/s/AbCdEf123" {
		t.Fatalf("items: %+v", items)
	}
	if k := items[1].Key(); k != "wx:MzA5MTIzNDU2Nw==:2650001001:2" {
		t.Errorf("key %s", k)
	}
}

func TestFeedOverHTTP(t *testing.T) {
	rss := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>康大营镇</title>
<item><title>关于2015年低保评议结果的公示</title><link>` + "https://mp.weixin.qq.com/s?__biz=MzA5MTIzNDU2Nw==&amp;mid=2650001001&amp;idx=1&amp;sn=aaa" + `</link>
<pubDate>Tue, 15 Dec 2015 02:00:00 GMT</pubDate><description><![CDATA[<p>全文……</p>]]></description><author>党政办</author></item>
<item><title>重复</title><link>` + "https://mp.weixin.qq.com/s?__biz=MzA5MTIzNDU2Nw==&amp;mid=2650001001&amp;idx=1&amp;sn=zzz" + `</link></item>
<item><title>没有链接</title></item>
</channel></rss>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed.xml" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rss)
	}))
	defer srv.Close()
	f := fetch.New(fetch.Options{Rate: -1})
	items, err := Items(context.Background(), f, config.Source{Name: "feed", Kind: config.KindWeChatFeed, URL: srv.URL + "/feed.xml"})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].URL != art1 || items[0].Title != "关于2015年低保评议结果的公示" {
		t.Fatalf("feed items: %+v", items)
	}
	if want := time.Date(2015, 12, 15, 10, 0, 0, 0, store.Beijing); !items[0].Published.Equal(want) {
		t.Errorf("published %v, want %v", items[0].Published, want)
	}
	atom := `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
<entry><title>惠农政策</title><link href="https://mp.weixin.qq.com/s?__biz=B&amp;mid=9&amp;idx=3"/><updated>2016-01-02T08:00:00+08:00</updated></entry></feed>`
	got, err := feedItems([]byte(atom))
	if err != nil || len(got) != 1 || got[0].Key() != "wx:B:9:3" || got[0].Published.Day() != 2 {
		t.Fatalf("atom: %v %+v", err, got)
	}
	if _, err := Items(context.Background(), f, config.Source{Name: "gone", Kind: config.KindWeChatFeed, URL: srv.URL + "/missing.xml"}); err == nil {
		t.Error("a missing feed must be an error")
	}
}

func TestExporterJSON(t *testing.T) {
	arr := `[{"title":"村务公开","link":"` + art1 + `","create_time":1450144800,"digest":"摘要","author_name":"党政办","cover":"c.jpg"},
 {"title":"字符串时间","link":"https://mp.weixin.qq.com/s?__biz=B&mid=2&idx=1","create_time":"1450144800"},
 {"title":"日期","url":"https://mp.weixin.qq.com/s?__biz=B&mid=3&idx=1","create_time":"2015-12-15 10:00:00"},
 {"title":"无链接"}]`
	items, err := jsonItems([]byte(arr))
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
	if items, err := jsonItems([]byte(jsonl)); err != nil || len(items) != 2 || items[1].Title != "b" {
		t.Fatalf("jsonl: %v %+v", err, items)
	}
	if _, err := jsonItems([]byte("{\"title\":\"a\"}\n{broken")); err == nil {
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
	items, err := Items(context.Background(), nil, config.Source{Name: "f", Kind: config.KindWeChatFolder, Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 || filepath.Base(items[0].File) != "a.htm" || items[0].URL != "" {
		t.Fatalf("folder items: %+v", items)
	}
	if _, err := Items(context.Background(), nil, config.Source{Name: "f", Kind: config.KindWeChatFolder, Path: filepath.Join(dir, "none")}); err == nil {
		t.Error("a missing folder must be an error")
	}
}

func TestFill(t *testing.T) {
	d := &store.Document{Title: " ", Meta: map[string]string{}}
	it := Item{Title: "标题", Published: time.Date(2015, 1, 2, 0, 0, 0, 0, store.Beijing), Author: "李"}
	Fill(d, it, "康大营镇")
	if d.Title != "标题" || !d.Published.Equal(it.Published) || d.Column != "康大营镇" || d.Meta["作者"] != "李" {
		t.Fatalf("filled: %+v", d)
	}
}
