package analytics_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/gongkai-project/gongkai/analytics"
	"github.com/gongkai-project/gongkai/demo"
	"github.com/gongkai-project/gongkai/store"
)

// demoStore ingests the demo township's documents (the JSONL the crawler
// would have produced) into a fresh store.
func demoStore(t *testing.T, o demo.Options) (*store.Store, *demo.Township) {
	t.Helper()
	town := demo.Generate(o)
	var buf bytes.Buffer
	if err := town.WriteJSONL(&buf); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Ingest(context.Background(), &buf, 500, func(e *store.LineError) { t.Errorf("ingest: %v", e) }); err != nil {
		t.Fatal(err)
	}
	return st, town
}

// The acceptance figures of issue 5 on the demo data.
func TestDemoTownship2015(t *testing.T) {
	st, town := demoStore(t, demo.Options{})
	cfg := town.Config(&demo.Sites{})
	s, err := analytics.Compute(context.Background(), st, cfg, 2015, time.Time{}) // as of the demo's own date
	if err != nil {
		t.Fatal(err)
	}
	if s.AsOf.Format(analytics.DateLayout) != cfg.Analytics.AsOf {
		t.Errorf("as of %v, want the configured %s", s.AsOf, cfg.Analytics.AsOf)
	}
	for ch, want := range map[string]int{"portal": 56, "wechat": 20} {
		if p := s.Channel(ch); p.Count != want || p.Status != analytics.StatusMet {
			t.Errorf("%s: %+v, want %d 达标", ch, p, want)
		}
		if got := town.PeriodCount(ch, 2015); got != want {
			t.Errorf("demo facts: %s period count %d", ch, got)
		}
	}
	if p := s.Channel("wechat"); p.Target != 20 {
		t.Errorf("wechat target %d", p.Target)
	}
	// the WeChat reposts of portal items count once in the de-duplicated total
	if s.Counts.Unique != s.Counts.Total-2 {
		t.Errorf("total %d unique %d, want 2 reposts merged", s.Counts.Total, s.Counts.Unique)
	}
	flagged := map[string]bool{}
	for _, r := range s.Stale {
		if r.State == analytics.StateOverdue {
			flagged[r.Scope] = true
		}
	}
	if !flagged["网站栏目：通知公告"] || !flagged["微信公众号："+demo.AccountName] || len(flagged) != 2 {
		t.Errorf("overdue scopes %v, want exactly 通知公告 and the WeChat account", flagged)
	}
	var lastPost time.Time
	for _, it := range town.Items {
		if it.Channel == store.ChannelWeChat && it.Published.After(lastPost) {
			lastPost = it.Published
		}
	}
	gap := int(town.AsOf.Sub(analytics.Day(lastPost)).Hours() / 24)
	for _, r := range s.Stale {
		if r.Scope == "微信公众号："+demo.AccountName && (r.Days != gap || r.Days < 20) {
			t.Errorf("WeChat gap %d days, want %d (the demo's last post %v)", r.Days, gap, lastPost)
		}
	}

	s16, err := analytics.Compute(context.Background(), st, cfg, 2016, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if p := s16.Channel("portal"); p.Count != town.PeriodCount("portal", 2016) {
		t.Errorf("2016 portal %d, demo says %d", p.Count, town.PeriodCount("portal", 2016))
	}

	r, err := analytics.Report(context.Background(), st, cfg, 2015, time.Time{}, "")
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "政府网站56条、政务微信公众号20条") {
		t.Errorf("2015 report:\n%s", md.String())
	}
}

// A national-format report for a generated recent year, in all three formats.
func TestDemoNationalReport(t *testing.T) {
	st, town := demoStore(t, demo.Options{FromYear: 2021, ToYear: 2023})
	cfg := town.Config(&demo.Sites{})
	r, err := analytics.Report(context.Background(), st, cfg, 2022, time.Time{}, filepath.Join("testdata", "staff.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != analytics.FormatNational || r.Err() != nil {
		t.Fatalf("format %s, checks %v", r.Format, r.Err())
	}
	issued, abolished, inForce := town.Normative(2022)
	if d := r.Docs[analytics.KindNormative]; d.Issued != issued || d.Repealed != abolished || d.Valid != inForce {
		t.Errorf("行政规范性文件 %+v, demo says issued %d abolished %d in force %d", d.DocFigures, issued, abolished, inForce)
	}
	var md, html, x bytes.Buffer
	for _, w := range []func() error{
		func() error { return r.WriteMarkdown(&md) }, func() error { return r.WriteHTML(&html) }, func() error { return r.WriteXLSX(&x) },
	} {
		if err := w(); err != nil {
			t.Fatal(err)
		}
	}
	for _, h := range []string{"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
		"四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"} {
		if !strings.Contains(md.String(), "## "+h) || !strings.Contains(html.String(), "<h2>"+h+"</h2>") {
			t.Errorf("heading %s missing", h)
		}
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("主动公开政府信息情况")
	if err != nil || len(rows) < 3 || rows[2][1] != analytics.KindNormative {
		t.Fatalf("表二 sheet %v %v", rows, err)
	}
	if rows[2][2] != strconv.Itoa(issued) || rows[2][3] != strconv.Itoa(abolished) || rows[2][4] != strconv.Itoa(inForce) {
		t.Errorf("表二 行政规范性文件 row %v", rows[2])
	}
}
