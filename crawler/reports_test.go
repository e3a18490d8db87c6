package crawler

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

func TestReadReports(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("\ufeff日期,标题,数量,类别\n2015-01-08,城关镇政务信息第1期,,工作动态\n2015年2月3日,\"城关镇政务信息第2期,春耕\",3,\n,,,\n"), 0o644)
	es, err := ReadReports(good, "城关镇")
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Count != 1 || es[0].Category != "工作动态" || es[1].Count != 3 || es[1].Title != "城关镇政务信息第2期,春耕" ||
		es[1].Unit != "城关镇" || es[1].Channel != store.ChannelReport || es[1].Date.Month() != time.February {
		t.Fatalf("entries %+v %+v", es[0], es[1])
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("date,title,count\n2015-13-01,a,1\n2015-01-02,,1\n2015-01-03,b,zero\n2015-01-04,c,2\n"), 0o644)
	_, err = ReadReports(bad, "城关镇")
	for _, want := range []string{"bad.csv:2: 日期 \"2015-13-01\" 无效", "bad.csv:3: 缺少标题", "bad.csv:4: 数量 \"zero\" 无效"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %q", err, want)
		}
	}
	noTitle := filepath.Join(dir, "header.csv")
	os.WriteFile(noTitle, []byte("日期,数量\n2015-01-02,1\n"), 0o644)
	if _, err := ReadReports(noTitle, "x"); err == nil || !strings.Contains(err.Error(), "header.csv:1: the header") {
		t.Errorf("missing title column: %v", err)
	}
}

// TestCrawlReadsReportLists runs a crawl of a configuration whose unit
// names a list of reports sent: the list becomes the unit's entries, a
// changed list replaces them, and a broken list leaves them as they were.
func TestCrawlReadsReportLists(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	list := filepath.Join(dir, "reports.csv")
	os.WriteFile(list, []byte("日期,标题\n2015-01-08,一\n2015-02-08,二\n"), 0o644)
	st, err := store.Open(filepath.Join(dir, "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := config.Default()
	cfg.Units = []config.Unit{{Name: "康大营镇"}, {Name: "城关镇", Reports: list}}
	crawl := func() error { _, err := New(st, cfg, Options{Progress: func(Event) {}}).Run(ctx); return err }
	entries := func() []store.ManualEntry {
		es, err := st.ManualEntries(ctx, time.Time{}, time.Date(2100, 1, 1, 0, 0, 0, 0, store.Beijing))
		if err != nil {
			t.Fatal(err)
		}
		return es
	}
	if err := crawl(); err != nil {
		t.Fatal(err)
	}
	if es := entries(); len(es) != 2 || es[0].Unit != "城关镇" || es[0].Origin != list {
		t.Fatalf("entries %+v", es)
	}
	os.WriteFile(list, []byte("日期,标题\n2015-03-08,三\n"), 0o644)
	if err := crawl(); err != nil {
		t.Fatal(err)
	}
	if es := entries(); len(es) != 1 || es[0].Title != "三" {
		t.Fatalf("after the list changed: %+v", es)
	}
	os.WriteFile(list, []byte("日期,标题\n2015-03-08,三\nnot a date,四\n"), 0o644)
	if err := crawl(); err == nil || !strings.Contains(err.Error(), "unit 城关镇") || !strings.Contains(err.Error(), "reports.csv:3") {
		t.Fatalf("a broken list: %v", err)
	}
	if es := entries(); len(es) != 1 || es[0].Title != "三" {
		t.Fatalf("a broken list changed the entries: %+v", es)
	}
}
