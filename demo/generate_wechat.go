package demo

import (
	"slices"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// wxMeta is the identity of a WeChat article.
type wxMeta struct {
	Mid int64
	Idx int
	SN  string
}

// wxGone is a post the feed lists whose page is deleted or expired.
type wxGone struct {
	Title     string
	Digest    string
	Published time.Time
	Notice    string // the page's message: 该内容已被发布者删除 or 链接已过期
	Path      string
	wx        wxMeta
}

// Messages of WeChat pages that are not articles.
const (
	msgDeleted = "该内容已被发布者删除"
	msgExpired = "链接已过期"
)

type wxSlot struct {
	cat string
	at  time.Time
}

// wechatYear publishes the year's posts: p.wechat on or before 12-15 (12-08
// in the last year, leaving the account's gap before AsOf) and p.wechatLate after.
func (g *gen) wechatYear(p yearPlan) {
	y := p.year
	start, end := date(y, 1, 1), date(y, 12, 15)
	if p.last {
		end = g.t.AsOf.AddDate(0, 0, -wechatGapDays)
	}
	counts := allocate(p.wechat, wechatWeights, wechatOrder)
	var slots []wxSlot
	for _, cat := range wechatOrder {
		for _, d := range g.spread(counts[cat], start, end, false) {
			slots = append(slots, wxSlot{cat, g.wechatTime(d)})
		}
	}
	slices.SortStableFunc(slots, func(a, b wxSlot) int { return a.at.Compare(b.at) })
	n := len(slots)
	if y == reportYear && !p.last && n > 0 {
		// The last post inside the 2015 period goes out on 12-15 at 21:30 Beijing.
		slots[n-1].at = end.Add(21*time.Hour + 30*time.Minute)
	}
	for i := 1; i < n-1; i++ {
		if g.r.IntN(100) < 15 {
			slots[i].at = slots[i-1].at // a second article in the same push (idx 2)
		}
	}
	for i, s := range slots {
		if s.cat == "工作动态" && i < n-1 && g.r.IntN(100) < 30 && g.repost(s.at, start, end) {
			continue
		}
		g.wechatItem(s.cat, s.at)
	}
	for _, d := range g.spread(p.wechatLate, date(y, 12, 16), date(y, 12, 31), false) {
		g.wechatItem("工作动态", g.wechatTime(d))
	}
}

func (g *gen) wechatItem(cat string, at time.Time) *Item {
	it := g.newItem(wechatCategories[cat], at, "", nil)
	g.asPost(it, cat)
	g.items = append(g.items, it)
	return it
}

func (g *gen) asPost(it *Item, cat string) {
	it.Channel, it.Category, it.Column = store.ChannelWeChat, cat, AccountName
	it.Author = TownName + "党政综合办公室"
	it.Publisher, it.Subject, it.Genre, it.prefix, it.Normative = "", "", "", "", false
	it.wx = &wxMeta{}
}

// repost publishes on WeChat a portal 工作动态 item of the ten days around at,
// with the same title and body, a few hours after the portal and inside the
// days [start, end]. Only titles that name no other category are reposted.
// It reports whether an item was found.
func (g *gen) repost(at, start, end time.Time) bool {
	for _, p := range g.items {
		if p.Channel != store.ChannelPortal || p.Category != "工作动态" || p.reposted ||
			p.Published.Before(start) || p.Published.Sub(at).Abs() > 10*24*time.Hour ||
			titleCategory(p.Title) != "" {
			continue
		}
		t := p.Published.Add(time.Duration(2+g.r.IntN(4)) * time.Hour)
		if limit := day(p.Published).Add(21*time.Hour + 45*time.Minute); t.After(limit) {
			t = limit
		}
		if t.After(end.Add(22 * time.Hour)) {
			continue
		}
		p.reposted = true
		it := &Item{Title: p.Title, Published: t, paras: slices.Clone(p.paras), repostOf: p}
		g.asPost(it, "工作动态")
		g.items = append(g.items, it)
		return true
	}
	return false
}

// titleCategory is the category the title keyword rules give a title, or "".
func titleCategory(title string) string {
	for _, r := range titleRules {
		for _, k := range r.keywords {
			if strings.Contains(title, k) {
				return r.category
			}
		}
	}
	return ""
}

// unavailable adds the deleted post (in 2015, or the first year) and the
// expired one (in the last year). The feed lists both.
func (g *gen) unavailable() {
	y := g.o.FromYear
	if g.o.FromYear <= reportYear && reportYear <= g.o.ToYear {
		y = reportYear
	}
	for _, p := range []struct {
		at     time.Time
		notice string
	}{
		{date(y, 6, 18).Add(20*time.Hour + 5*time.Minute), msgDeleted},
		{date(g.o.ToYear, 3, 9).Add(19*time.Hour + 40*time.Minute), msgExpired},
	} {
		it := g.newItem(wechatCategories["工作动态"], p.at, "", nil)
		g.gone = append(g.gone, wxGone{Title: it.Title, Digest: digest(it.paras), Published: p.at, Notice: p.notice})
	}
}

func day(t time.Time) time.Time {
	y, m, d := t.In(store.Beijing).Date()
	return date(y, m, d)
}

// digest is the first sentence of the first paragraph, at most 54 characters.
func digest(paras []string) string {
	if len(paras) == 0 {
		return ""
	}
	r := []rune(paras[0])
	if i := slices.Index(r, '。'); i >= 0 {
		r = r[:i+1]
	}
	if len(r) > 54 {
		r = append(r[:53], '…')
	}
	return string(r)
}
