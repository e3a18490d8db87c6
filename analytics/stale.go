package analytics

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// Staleness states, as codes (StateLabel gives the words staff read).
const (
	StateOK      = "ok"
	StateWarning = "warning" // in the last WarnShare of the window
	StateOverdue = "overdue"
)

var stateLabels = map[string]string{StateOK: "正常", StateWarning: "即将超期", StateOverdue: "超期"}

// StateLabel returns the words staff read for a staleness state.
func StateLabel(state string) string { return orDefault(stateLabels[state], state) }

// Kinds of staleness scope.
const (
	ScopeHomepage = "homepage" // the newest portal item
	ScopeColumn   = "column"   // a portal column (ColumnName, else source)
	ScopeWeChat   = "wechat"   // a WeChat account
	ScopeVillage  = "village"  // 村务公开 of one village
)

// StaleRow is the update state of one scope as of a day.
type StaleRow struct {
	Unit      string    `json:"unit,omitempty"` // in the county view: the unit the scope is of
	Kind      string    `json:"kind"`
	Scope     string    `json:"scope"` // what staff read: 首页, 网站栏目：X, 微信公众号：X, 村务公开：X
	Name      string    `json:"name"`  // the column, account or village itself
	Last      time.Time `json:"-"`     // Beijing day of the newest item; zero when none
	Days      int       `json:"days"`  // days since Last; -1 when there is no item at all
	LimitDays int       `json:"limit_days"`
	State     string    `json:"state"`
}

// MarshalJSON writes last as YYYY-MM-DD ("" when there is no item).
func (r StaleRow) MarshalJSON() ([]byte, error) {
	type plain StaleRow
	last := ""
	if !r.Last.IsZero() {
		last = r.Last.Format(DateLayout)
	}
	return json.Marshal(struct {
		plain
		Last string `json:"last"`
	}{plain(r), last})
}

// rules are the staleness settings of a configuration (config.Default and
// config.Load fill in the defaults) with its holiday calendar.
type rules struct {
	homepage, wechat, village, column, disclosure int
	columns                                       []config.ColumnLimit
	villages                                      []string
	warn                                          float64
	cal                                           *Calendar
}

func rulesOf(cfg *config.Config) (*rules, error) {
	s := cfg.Staleness
	cal, err := NewCalendar(s.Holidays, s.Workdays)
	if err != nil {
		return nil, err
	}
	return &rules{
		homepage: s.HomepageDays, wechat: s.WeChatDays, village: s.VillageDays, column: s.ColumnDays,
		disclosure: s.DisclosureWorkdays, columns: s.Columns, villages: s.Villages, warn: s.WarnShare, cal: cal,
	}, nil
}

// columnLimit is the limit of the first rule matching the column name.
func (r *rules) columnLimit(name string) int {
	days, _ := r.columnRule(name)
	return days
}

// columnRule is the limit of the first rule matching the column name, or the
// general column limit and false.
func (r *rules) columnRule(name string) (int, bool) {
	for _, c := range r.columns {
		for _, m := range c.Match {
			if m != "" && strings.Contains(name, m) {
				return c.Days, true
			}
		}
	}
	return r.column, false
}

// staleRows returns the staleness of the homepage, every portal column, every
// WeChat account (seen in the records or configured) and every configured
// village, as of asOf; records published after asOf are ignored.
func staleRows(recs []record, in *interner, r *rules, cfg *config.Config, asOf time.Time) []StaleRow {
	cutoff := asOf.AddDate(0, 0, 1)
	var home time.Time
	columnIDs, accountIDs := map[int32]time.Time{}, map[int32]time.Time{}
	villages := make(map[string]time.Time, len(r.villages))
	for _, v := range r.villages {
		villages[v] = time.Time{}
	}
	village := map[int32]bool{} // category id -> is 村务
	for i := range recs {
		rec := &recs[i]
		if rec.published.IsZero() || !rec.published.Before(cutoff) {
			continue
		}
		scope := rec.key[keyColumn]
		if scope == 0 {
			scope = rec.key[keySource]
		}
		switch rec.channel {
		case store.ChannelPortal:
			home = laterOf(home, rec.published)
			latest(columnIDs, scope, rec.published)
		case store.ChannelWeChat:
			latest(accountIDs, scope, rec.published)
		}
		if len(r.villages) > 0 && isVillage(village, rec) {
			for _, v := range r.villages {
				if mentionsVillage(rec.title, v) {
					latest(villages, v, rec.published)
				}
			}
		}
	}
	columns, accounts := named(columnIDs, in), named(accountIDs, in)
	addConfigured(cfg, accounts)
	rows := []StaleRow{}
	if !home.IsZero() || hasPortal(cfg) {
		rows = append(rows, judgeStale(ScopeHomepage, "", home, r.homepage, asOf, r.warn))
	}
	group := func(kind string, m map[string]time.Time, limit func(string) int) {
		g := make([]StaleRow, 0, len(m))
		for _, n := range sortedKeys(m) {
			g = append(g, judgeStale(kind, n, m[n], limit(n), asOf, r.warn))
		}
		sortStale(g)
		rows = append(rows, g...)
	}
	group(ScopeColumn, columns, r.columnLimit)
	group(ScopeWeChat, accounts, func(string) int { return r.wechat })
	group(ScopeVillage, villages, func(string) int { return r.village })
	return rows
}

// isVillage tells whether the record's category is 村务公开 (any category
// naming 村务), remembering the answer per category.
func isVillage(cache map[int32]bool, rec *record) bool {
	v, ok := cache[rec.key[keyCategory]]
	if !ok {
		v = strings.Contains(rec.category, "村务")
		cache[rec.key[keyCategory]] = v
	}
	return v
}

// named turns interned keys back into names.
func named(m map[int32]time.Time, in *interner) map[string]time.Time {
	out := make(map[string]time.Time, len(m))
	for id, t := range m {
		out[in.name(id)] = t
	}
	return out
}

// addConfigured adds the WeChat accounts named in the config, so an account
// that never posted shows as overdue. A source names one when it sets an
// account and its documents are WeChat's (or, with no channel set, each
// document's own, as a feed of a WeChat account).
func addConfigured(cfg *config.Config, accounts map[string]time.Time) {
	for _, s := range cfg.Sources {
		if s.Account != "" && (s.Channel == store.ChannelWeChat || s.Channel == "") {
			if _, ok := accounts[s.Account]; !ok {
				accounts[s.Account] = time.Time{}
			}
		}
	}
}

// hasPortal reports whether a source publishes on the portal channel, so
// that a homepage with no item at all shows as overdue.
func hasPortal(cfg *config.Config) bool {
	for _, s := range cfg.Sources {
		if s.Channel == store.ChannelPortal {
			return true
		}
	}
	return false
}

func latest[K comparable](m map[K]time.Time, k K, t time.Time) {
	if t.After(m[k]) {
		m[k] = t
	}
}

// mentionsVillage reports whether a title names the village, with or without
// its trailing 村 (康大营村 matches 康大营村务公开 and 康大营2015年财务公开).
func mentionsVillage(title, village string) bool {
	if strings.Contains(title, village) {
		return true
	}
	short := strings.TrimSuffix(village, "村")
	return short != village && len([]rune(short)) >= 2 && strings.Contains(title, short)
}

var scopeLabels = map[string]string{
	ScopeHomepage: "首页", ScopeColumn: "网站栏目：", ScopeWeChat: "微信公众号：", ScopeVillage: "村务公开：",
}

// judgeStale states how overdue a scope is: 超期 past the limit, 即将超期 in
// the last warn share of it, else 正常; a scope without any item is 超期.
func judgeStale(kind, name string, last time.Time, limit int, asOf time.Time, warn float64) StaleRow {
	row := StaleRow{Kind: kind, Scope: scopeLabels[kind] + name, Name: name, LimitDays: limit, Days: -1, State: StateOverdue}
	if last.IsZero() {
		return row
	}
	row.Last = Day(last)
	row.Days = daysBetween(row.Last, asOf)
	switch {
	case float64(row.Days) > float64(limit):
		row.State = StateOverdue
	case float64(row.Days) > float64(limit)*(1-warn):
		row.State = StateWarning
	default:
		row.State = StateOK
	}
	return row
}

// sortStale orders rows by severity, then by days since the last item
// (scopes without any item first).
func sortStale(rows []StaleRow) {
	rank := map[string]int{StateOverdue: 0, StateWarning: 1, StateOK: 2}
	days := func(r StaleRow) int {
		if r.Days < 0 {
			return int(^uint(0) >> 1)
		}
		return r.Days
	}
	sort.SliceStable(rows, func(a, b int) bool {
		if rank[rows[a].State] != rank[rows[b].State] {
			return rank[rows[a].State] < rank[rows[b].State]
		}
		return days(rows[a]) > days(rows[b])
	})
}
