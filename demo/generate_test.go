package demo

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

func TestDeterministic(t *testing.T) {
	a, b := Generate(Options{Seed: 7}), Generate(Options{Seed: 7})
	var ja, jb bytes.Buffer
	if err := a.WriteJSONL(&ja); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteJSONL(&jb); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ja.Bytes(), jb.Bytes()) {
		t.Fatal("two townships of seed 7 differ in their documents")
	}
	pa, err := a.portalPages()
	if err != nil {
		t.Fatal(err)
	}
	pb, err := b.portalPages()
	if err != nil {
		t.Fatal(err)
	}
	if len(pa) != len(pb) {
		t.Fatalf("portal pages: %d against %d", len(pa), len(pb))
	}
	for path, p := range pa {
		if q := pb[path]; q == nil || !bytes.Equal(p.body, q.body) || p.etag != q.etag || !p.mod.Equal(q.mod) {
			t.Fatalf("portal page %s differs between two townships of seed 7", path)
		}
	}
	wa, err := a.wechatPages("http://wx.test")
	if err != nil {
		t.Fatal(err)
	}
	wb, err := b.wechatPages("http://wx.test")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(wa.feed.body, wb.feed.body) || len(wa.articles) != len(wb.articles) {
		t.Fatal("WeChat feeds differ between two townships of seed 7")
	}
	for k, p := range wa.articles {
		if !bytes.Equal(p.page.body, wb.articles[k].page.body) {
			t.Fatalf("WeChat page %s differs between two townships of seed 7", k)
		}
	}
	var jc bytes.Buffer
	if err := Generate(Options{Seed: 8}).WriteJSONL(&jc); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(ja.Bytes(), jc.Bytes()) {
		t.Error("seeds 7 and 8 give the same township")
	}
}

func TestReportYear(t *testing.T) {
	tw := Generate(Options{})
	from, end := date(2015, 1, 1), date(2015, 12, 16)
	if n := tw.Count(store.ChannelPortal, from, end); n != 56 {
		t.Errorf("2015 portal items on or before 12-15: %d, want 56", n)
	}
	if n := tw.Count(store.ChannelWeChat, from, end); n != 20 {
		t.Errorf("2015 WeChat posts on or before 12-15: %d, want 20", n)
	}
	// The period may also start on 2014-12-16: nothing is published then.
	if n := tw.Count("", date(2014, 12, 16), from); n != 0 {
		t.Errorf("%d items between 2014-12-16 and 2014-12-31, want none", n)
	}
	if n := tw.Count(store.ChannelPortal, end, date(2016, 1, 1)); n != reportPortalLate {
		t.Errorf("2015 portal items after 12-15: %d, want %d", n, reportPortalLate)
	}
	if n := tw.Count(store.ChannelWeChat, end, date(2016, 1, 1)); n != reportWeChatLate {
		t.Errorf("2015 WeChat posts after 12-15: %d, want %d", n, reportWeChatLate)
	}
	var trap, lastPost bool
	for _, it := range tw.Items {
		if it.Published.Equal(date(2015, 12, 16).Add(7*time.Hour+50*time.Minute)) && it.Channel == store.ChannelPortal {
			trap = it.Published.UTC().Day() == 15
		}
		if it.Published.Equal(date(2015, 12, 15).Add(21*time.Hour+30*time.Minute)) && it.Channel == store.ChannelWeChat {
			lastPost = true
		}
	}
	if !trap || !lastPost {
		t.Errorf("missing the 2015-12-16 07:50 portal item (%v) or the 2015-12-15 21:30 post (%v)", trap, lastPost)
	}
}

func TestVolumeAndCategories(t *testing.T) {
	for _, o := range []Options{{}, {FromYear: 2024, ToYear: 2026}} {
		tw := Generate(o)
		if len(tw.Items) < 600 {
			t.Errorf("%v: %d documents, want at least 600", o, len(tw.Items))
		}
		seen := map[string]map[string]bool{store.ChannelPortal: {}, store.ChannelWeChat: {}}
		titles := map[string]bool{}
		ids := map[string]bool{}
		for _, it := range tw.Items {
			seen[it.Channel][it.Category] = true
			if ids[it.ID] {
				t.Errorf("%v: id %s used twice", o, it.ID)
			}
			ids[it.ID] = true
			if it.Repost == "" && titles[it.Title] {
				t.Errorf("%v: title %q used twice", o, it.Title)
			}
			titles[it.Title] = true
			if strings.Count(it.Body, "\n") < 2 || strings.Contains(it.Body+it.Title, "{") {
				t.Errorf("%v: %s has a short or unfilled body: %q", o, it.ID, it.Body)
			}
			if it.Channel == store.ChannelPortal && (it.Publisher == "" || it.Column == "") {
				t.Errorf("%v: %s lacks publisher or column", o, it.ID)
			}
		}
		for _, c := range categoryOrder {
			if !seen[store.ChannelPortal][c] {
				t.Errorf("%v: no portal item of %s", o, c)
			}
		}
		for _, c := range wechatOrder {
			if !seen[store.ChannelWeChat][c] {
				t.Errorf("%v: no WeChat post of %s", o, c)
			}
		}
		if len(tw.Unavailable) != 2 || len(tw.Disallowed) == 0 {
			t.Errorf("%v: %d unavailable, %d disallowed", o, len(tw.Unavailable), len(tw.Disallowed))
		}
	}
}

// matchRule maps an item the way the config rules say: the first rule one of
// whose conditions holds (substrings of the column, keywords of the title).
func matchRule(c *config.Config, it *Item) string {
	for _, r := range c.Categories.Rules {
		for _, col := range r.Column {
			if strings.Contains(it.Column, col) {
				return r.Category
			}
		}
		for _, k := range r.Title {
			if strings.Contains(it.Title, k) {
				return r.Category
			}
		}
	}
	return c.Categories.Default
}

func TestConfigRulesMapEveryItem(t *testing.T) {
	tw := Generate(Options{})
	c := tw.Config(&Sites{PortalURL: "http://p.test", WeChatURL: "http://w.test", FeedURL: "http://w.test/feed.xml"})
	for _, it := range tw.Items {
		if got := matchRule(c, &it); got != it.Category {
			t.Errorf("%s %q (%s) maps to %s, want %s", it.ID, it.Title, it.Column, got, it.Category)
		}
	}
	for _, r := range c.Categories.Rules {
		if !containsString(c.Categories.List, r.Category) {
			t.Errorf("rule category %s not in the list", r.Category)
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestTargets(t *testing.T) {
	for _, o := range []Options{{}, {FromYear: 2024, ToYear: 2026}, {FromYear: 2015, ToYear: 2015}} {
		tw := Generate(o)
		c := tw.Config(&Sites{PortalURL: "http://p.test", WeChatURL: "http://w.test", FeedURL: "http://w.test/feed.xml"})
		missed := 0
		for y := o.normalize().FromYear; y <= o.normalize().ToYear; y++ {
			tg, ok := c.Targets[y]
			if !ok || tg.PeriodEnd != "12-15" {
				t.Fatalf("%v: no target for %d closing on 12-15", o, y)
			}
			for _, ch := range []string{store.ChannelPortal, store.ChannelWeChat} {
				if tw.PeriodCount(ch, y) < tg.Channels[ch] {
					missed++
					if y != tw.LaggingYear() || ch != store.ChannelWeChat {
						t.Errorf("%v: %d %s misses its target unexpectedly", o, y, ch)
					}
				}
			}
			for cat, n := range tg.Categories {
				if tw.periodCategory(cat, y) < n {
					t.Errorf("%v: %d %s misses its target %d", o, y, cat, n)
				}
			}
		}
		if want := min(1, tw.LaggingYear()); missed != want {
			t.Errorf("%v: %d targets missed, want %d", o, missed, want)
		}
		if t2015, ok := c.Targets[2015]; ok && (t2015.Channels["portal"] != 56 || t2015.Channels["wechat"] != 20) {
			t.Errorf("%v: 2015 targets %v", o, t2015.Channels)
		}
	}
}

// TestStalenessGaps checks the gaps the staleness alerts must find as of
// AsOf, and that nothing else is stale.
func TestStalenessGaps(t *testing.T) {
	for _, o := range []Options{{}, {FromYear: 2024, ToYear: 2026}, {FromYear: 2015, ToYear: 2015}} {
		tw := Generate(o)
		c := tw.Config(&Sites{PortalURL: "http://p.test", WeChatURL: "http://w.test", FeedURL: "http://w.test/feed.xml"})
		last := map[string]time.Time{}
		for _, it := range tw.Items {
			key := it.Column
			if it.Village != "" {
				last["village:"+it.Village] = later(last["village:"+it.Village], it.Published)
			}
			if it.Channel == store.ChannelPortal {
				last["homepage"] = later(last["homepage"], it.Published)
			}
			last[key] = later(last[key], it.Published)
		}
		days := func(k string) int { return int(tw.AsOf.Sub(day(last[k])).Hours() / 24) }
		limit := func(col string) int {
			for _, cl := range c.Staleness.Columns {
				for _, m := range cl.Match {
					if strings.Contains(col, m) {
						return cl.Days
					}
				}
			}
			return c.Staleness.ColumnDays
		}
		for _, col := range tw.columns {
			d, lim := days(col.Name), limit(col.Name)
			if col.Name == "通知公告" {
				if d <= 183 {
					t.Errorf("%v: 通知公告 last updated %d days before AsOf, want more than 183", o, d)
				}
			} else if float64(d) > 0.8*float64(lim) {
				t.Errorf("%v: column %s is %d days old, limit %d", o, col.Name, d, lim)
			}
		}
		if d := days(AccountName); d < 20 || d <= c.Staleness.WeChatDays {
			t.Errorf("%v: last WeChat post %d days before AsOf, want at least 20", o, d)
		}
		if d := days("homepage"); d > 11 {
			t.Errorf("%v: homepage %d days old", o, d)
		}
		for _, v := range tw.Villages {
			if d := days("village:" + v); d > 73 {
				t.Errorf("%v: village %s %d days old", o, v, d)
			}
		}
		if !tw.AsOf.Equal(date(o.normalize().ToYear, 12, 31)) {
			t.Errorf("%v: AsOf %v", o, tw.AsOf)
		}
	}
}

func TestNormativeDocuments(t *testing.T) {
	tw := Generate(Options{})
	byNumber := map[string]*Item{}
	for i := range tw.Items {
		if it := &tw.Items[i]; it.DocNumber != "" {
			byNumber[it.DocNumber] = it
		}
	}
	abolished := 0
	for _, it := range tw.Items {
		if it.Normative && (!strings.HasPrefix(it.DocNumber, "康镇规〔") || it.Genre == "") {
			t.Errorf("normative %s has number %q genre %q", it.ID, it.DocNumber, it.Genre)
		}
		if it.Abolishes == "" {
			continue
		}
		old := byNumber[it.Abolishes]
		if old == nil || !old.Normative || old.Validity != "废止" || !old.Published.Before(it.Published) ||
			!strings.Contains(it.Body, it.Abolishes) {
			t.Errorf("%s abolishes %q, which is not an earlier normative document marked 废止", it.ID, it.Abolishes)
		}
		abolished++
	}
	marked := 0
	for _, it := range tw.Items {
		if it.Validity == "废止" {
			marked++
		}
	}
	if abolished == 0 || marked != abolished {
		t.Errorf("%d decisions abolish, %d documents marked 废止", abolished, marked)
	}
	issued, gone, inForce := 0, 0, 0
	for y := 2014; y <= 2016; y++ {
		i, a, f := tw.Normative(y)
		issued, gone = issued+i, gone+a
		inForce = f
	}
	if inForce != issued-gone || gone != abolished {
		t.Errorf("normative counts: issued %d, abolished %d, in force %d", issued, gone, inForce)
	}
}

func TestWriteJSONL(t *testing.T) {
	tw := Generate(Options{})
	var b bytes.Buffer
	if err := tw.WriteJSONL(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != len(tw.Items) {
		t.Fatalf("%d lines for %d items", len(lines), len(tw.Items))
	}
	for i, l := range lines {
		d, err := store.ParseJSONLine([]byte(l))
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		it := tw.Items[i]
		if d.ID != it.ID || d.Title != it.Title || !d.Published.Equal(it.Published) || d.Category != it.Category ||
			d.Channel != it.Channel || d.URL != it.Path {
			t.Fatalf("line %d: %+v does not match item %s", i+1, d, it.ID)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		Generate(Options{})
	}
}
