package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// gen holds the state of one generation run.
type gen struct {
	r      *rand.Rand
	t      *Township
	o      Options
	titles map[string]bool // every title used, so no two documents share one by chance
	items  []*Item
	topics map[string]bool // normative topics issued
	valid  []*Item         // normative documents in force
	gone   []wxGone
}

// yearPlan is how many documents a year gets: on or before 12-15 of the year
// (from 01-01) and after it.
type yearPlan struct {
	year                   int
	portal, wechat         int
	portalLate, wechatLate int
	last                   bool
}

// The year of the township's report: its figures are fixed.
const (
	reportYear       = 2015
	reportPortal     = 56
	reportWeChat     = 20
	reportPortalLate = 4
	reportWeChatLate = 2
	lastPortalLate   = 6  // 工作动态 items after 12-15 of the last year
	wechatGapDays    = 23 // no WeChat post in the last 23 days before AsOf
)

func planOf(y int, o Options) yearPlan {
	k := (y - o.FromYear) % 3
	p := yearPlan{year: y, portal: 180 + 30*k, wechat: 50 + 20*k, last: y == o.ToYear}
	if y == reportYear {
		p.portal, p.wechat, p.portalLate, p.wechatLate = reportPortal, reportWeChat, reportPortalLate, reportWeChatLate
	}
	if p.last {
		p.portalLate, p.wechatLate = lastPortalLate, 0
	}
	return p
}

// Generate builds the township of o. It is deterministic: the same Options
// give the same items and, once served, the same pages.
func Generate(o Options) *Township {
	o = o.normalize()
	t := &Township{
		Name: TownName, County: CountyName, Account: AccountName, Villages: slices.Clone(villages),
		Options: o, AsOf: date(o.ToYear, 12, 31), columns: newColumns(),
	}
	g := &gen{
		r: rand.New(rand.NewPCG(uint64(o.Seed), 0x6b6479)), t: t, o: o,
		titles: map[string]bool{}, topics: map[string]bool{},
	}
	g.orgCodes()
	for y := o.FromYear; y <= o.ToYear; y++ {
		g.year(planOf(y, o))
	}
	g.unavailable()
	g.finish()
	t.City = cityItems(o)
	t.Neighbours = neighbours(o)
	return t
}

func (g *gen) year(p yearPlan) {
	y := p.year
	start, end := date(y, 1, 1), date(y, 12, 15)
	counts := allocate(p.portal, portalWeights, categoryOrder)
	moveToMultiple(counts, "村务公开", "工作动态", len(villages))
	quota := g.abolitionQuota(y)
	for _, cat := range categoryOrder {
		to := end
		if cat == "通知公告" && p.last {
			to = date(y, 6, 15) // the neglected column: nothing in the last half year
		}
		if cat == "村务公开" {
			g.villageItems(y, counts[cat], start, end, p.last)
			continue
		}
		for _, d := range g.spread(counts[cat], start, to, true) {
			at := g.portalTime(d)
			if cat == "法规政策" && quota > 0 {
				g.abolish(at)
				quota--
				continue
			}
			g.portalItem(cat, at, "")
		}
	}
	for i, d := range g.spread(p.portalLate, date(y, 12, 16), date(y, 12, 30), true) {
		at := g.portalTime(d)
		if y == reportYear && i == 0 {
			// 07:50 Beijing on 12-16 is 12-15 in UTC: it must not count for 2015.
			at = date(y, 12, 16).Add(7*time.Hour + 50*time.Minute)
		}
		g.portalItem("工作动态", at, "")
	}
	g.wechatYear(p)
}

// allocate shares n among keys by weight (largest remainders, ties in order).
func allocate(n int, weights map[string]int, order []string) map[string]int {
	total := 0
	for _, k := range order {
		total += weights[k]
	}
	out := make(map[string]int, len(order))
	rest := make([]string, len(order))
	copy(rest, order)
	given := 0
	for _, k := range order {
		out[k] = n * weights[k] / total
		given += out[k]
	}
	rem := func(k string) int { return n * weights[k] % total }
	slices.SortStableFunc(rest, func(a, b string) int { return rem(b) - rem(a) })
	for i := 0; given < n; i++ {
		out[rest[i%len(rest)]]++
		given++
	}
	return out
}

// moveToMultiple rounds counts[k] to a multiple of m (at least m), taking the
// difference from or giving it to counts[from].
func moveToMultiple(counts map[string]int, k, from string, m int) {
	want := max(m, (counts[k]+m/2)/m*m)
	if d := want - counts[k]; d <= counts[from] {
		counts[k] += d
		counts[from] -= d
	}
}

// spread returns k days spread evenly over [from, to] with some jitter, in
// order; with weekdays, weekend days move to the nearest weekday in range.
func (g *gen) spread(k int, from, to time.Time, weekdays bool) []time.Time {
	span := int(to.Sub(from).Hours()/24) + 1
	days := make([]time.Time, 0, k)
	for i := range k {
		pos := (float64(i) + 0.5 + (g.r.Float64()-0.5)*0.8) * float64(span) / float64(k)
		off := min(max(int(pos), 0), span-1)
		d := from.AddDate(0, 0, off)
		if weekdays {
			d = weekday(d, from, to)
		}
		days = append(days, d)
	}
	slices.SortStableFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	return days
}

// weekday moves a weekend day to Friday or Monday, whichever stays in [from, to].
func weekday(d, from, to time.Time) time.Time {
	back, fwd := 0, 0
	switch d.Weekday() {
	case time.Saturday:
		back, fwd = -1, 2
	case time.Sunday:
		back, fwd = -2, 1
	default:
		return d
	}
	if b := d.AddDate(0, 0, back); !b.Before(from) {
		return b
	}
	if f := d.AddDate(0, 0, fwd); !f.After(to) {
		return f
	}
	return d
}

// portalTime is a time in office hours (08:30–17:29) on day d.
func (g *gen) portalTime(d time.Time) time.Time {
	return d.Add(8*time.Hour + 30*time.Minute + time.Duration(g.r.IntN(540))*time.Minute)
}

// wechatTime is a time between 07:00 and 21:59 on day d.
func (g *gen) wechatTime(d time.Time) time.Time {
	return d.Add(7*time.Hour + time.Duration(g.r.IntN(900))*time.Minute)
}

// villageItems publishes k 村务公开 items in rounds: every village once per
// round. In the last year the final round falls in the last 30 days of the
// period, so every village is up to date on AsOf.
func (g *gen) villageItems(y, k int, start, end time.Time, last bool) {
	n := len(villages)
	rounds := k / n
	if rounds == 0 {
		return
	}
	windows := make([][2]time.Time, 0, rounds)
	split, stop := rounds, end
	if last {
		split, stop = rounds-1, end.AddDate(0, 0, -30)
	}
	span := int(stop.Sub(start).Hours()/24) + 1
	for r := range split {
		windows = append(windows, [2]time.Time{
			start.AddDate(0, 0, r*span/split), start.AddDate(0, 0, (r+1)*span/split-1)})
	}
	if last {
		windows = append(windows, [2]time.Time{end.AddDate(0, 0, -29), end})
	}
	for _, w := range windows {
		wspan := int(w[1].Sub(w[0]).Hours()/24) + 1
		for _, i := range g.r.Perm(n) {
			d := weekday(w[0].AddDate(0, 0, g.r.IntN(wspan)), w[0], w[1])
			g.portalItem("村务公开", g.portalTime(d), villages[i])
		}
	}
}

// portalItem adds a portal document of cat published at.
func (g *gen) portalItem(cat string, at time.Time, village string) *Item {
	def := categories[cat]
	var filter func(*variant) bool
	if cat == "法规政策" {
		normative := g.r.IntN(2) == 0
		filter = func(v *variant) bool { return v.Normative == normative }
	}
	it := g.newItem(def, at, village, filter)
	it.Channel, it.Category = store.ChannelPortal, cat
	if cat == "村务公开" {
		it.Village = village
	}
	if it.Normative {
		g.valid = append(g.valid, it)
	}
	g.items = append(g.items, it)
	return it
}

// newItem draws a variant allowed on the day and fills it, until the title is
// new; after 60 tries a number is added to the title.
func (g *gen) newItem(def catDef, at time.Time, village string, filter func(*variant) bool) *Item {
	vs := allowedVariants(def.Variants, at, filter)
	for try := 0; ; try++ {
		v := vs[g.r.IntN(len(vs))]
		vals := g.vars(at, village)
		if v.Normative {
			vals["NTOPIC"] = g.normativeTopic(at.Year())
		}
		title := vals.fill(v.Title)
		if try >= 60 {
			title += fmt.Sprintf("（%d）", try-59)
		}
		if g.titles[title] {
			continue
		}
		g.titles[title] = true
		if v.Normative {
			g.topics[vals["NTOPIC"]] = true
		}
		return g.fromVariant(def, v, vals, title, at)
	}
}

func allowedVariants(all []variant, at time.Time, filter func(*variant) bool) []*variant {
	m, y := int(at.Month()), at.Year()
	var out []*variant
	for i := range all {
		v := &all[i]
		if (v.Months[0] != 0 && (m < v.Months[0] || m > v.Months[1])) ||
			(v.MaxYear != 0 && y > v.MaxYear) || (v.MinYear != 0 && y < v.MinYear) ||
			(filter != nil && !filter(v)) {
			continue
		}
		out = append(out, v)
	}
	if len(out) == 0 && filter != nil {
		return allowedVariants(all, at, nil)
	}
	return out
}

func (g *gen) fromVariant(def catDef, v *variant, vals vars, title string, at time.Time) *Item {
	it := &Item{
		Title: title, Published: at, Kind: v.Kind, Genre: v.Genre, Normative: v.Normative,
		Publisher: vals.fill(publishers[or(v.Publisher, def.Publisher)]),
		Subject:   or(v.Subject, def.Subject), prefix: v.Prefix, topic: vals["NTOPIC"],
	}
	it.paras = append(it.paras, vals.fill(v.Lead))
	pool := append(slices.Clone(v.Pool), def.Pool...)
	for _, i := range g.r.Perm(len(pool))[:min(len(pool), 2+g.r.IntN(2))] {
		it.paras = append(it.paras, vals.fill(pool[i]))
	}
	if len(def.Closing) > 0 {
		it.paras = append(it.paras, vals.fill(g.pick(def.Closing)))
	}
	for _, a := range v.Attach {
		it.attFiles = append(it.attFiles, attachment{Name: vals.fill(a.Name) + "." + a.Ext, Ext: a.Ext, Kind: a.Kind})
	}
	return it
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// normativeTopic picks a topic not issued yet, or a revision of one.
func (g *gen) normativeTopic(y int) string {
	var free []string
	for _, t := range normativeTopics {
		if !g.topics[t] {
			free = append(free, t)
		}
	}
	if len(free) > 0 {
		return g.pick(free)
	}
	return fmt.Sprintf("%s（%d年修订）", g.pick(normativeTopics), y)
}

// abolitionQuota is how many normative documents of earlier years year y
// abolishes: one, two once six or more are in force, none in the first year.
func (g *gen) abolitionQuota(y int) int {
	switch n := len(g.valid); {
	case y == g.o.FromYear || n < 2:
		return 0
	case n >= 6:
		return 2
	default:
		return 1
	}
}

// abolish publishes a 决定 abolishing a normative document in force.
func (g *gen) abolish(at time.Time) {
	i := g.r.IntN(len(g.valid))
	old := g.valid[i]
	g.valid = slices.Delete(g.valid, i, i+1)
	vals := vars{"T": TownName, "NTOPIC": old.topic}
	it := &Item{
		Channel: store.ChannelPortal, Category: "法规政策", Published: at, Genre: "决定",
		Title: vals.fill("{T}人民政府关于废止《{T}{NTOPIC}》的决定"), Publisher: SiteName,
		Subject: "综合政务\\其他", prefix: "康镇政", abolished: old,
		paras: []string{
			vals.fill("各村民委员会、镇直各部门：为维护政令统一，根据上级有关规定和我镇实际，经镇政府常务会议研究，决定废止《{T}{NTOPIC}》（{OLDNUM}）。"),
			"该文件废止后，相关工作按照国家、省、市、县现行有关规定执行。各村、各部门要做好政策衔接，确保工作不断档。",
			"本决定自公布之日起施行。",
		},
	}
	g.titles[it.Title] = true
	g.items = append(g.items, it)
}
