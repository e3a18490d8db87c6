package analytics

import (
	"time"
)

// Counts are the items published in [From, To), all channels, manual entries
// counted with their Count.
type Counts struct {
	From, To   time.Time
	Total      int                       // every item on every channel
	Unique     int                       // the same item on several channels once
	Channels   map[string]int            // channel -> n
	Categories map[string]int            // local category -> n
	Publishers map[string]int            // 发布机构 -> n
	Sources    map[string]int            // configured source (manual for manual entries) -> n
	Columns    map[string]map[string]int // channel -> column (or source) -> n
	Months     map[string]map[string]int // "YYYY-MM" -> channel -> n
	Years      map[int]map[string]int    // year -> channel -> n
	Days       map[string]int            // "YYYY-MM-DD" -> n

	keys map[int]dayKeys // formatted keys by Beijing day number, while counting
}

// dayKeys are the map keys of one Beijing day.
type dayKeys struct {
	year       int
	month, day string
}

func (c *Counts) keysOf(t time.Time) dayKeys {
	n := dayNumber(t)
	k, ok := c.keys[n]
	if !ok {
		p := t.In(beijing())
		k = dayKeys{year: p.Year(), month: p.Format("2006-01"), day: p.Format(DateLayout)}
		c.keys[n] = k
	}
	return k
}

func newCounts(from, to time.Time) *Counts {
	return &Counts{
		From: from, To: to,
		Channels: map[string]int{}, Categories: map[string]int{}, Publishers: map[string]int{},
		Sources: map[string]int{}, Columns: map[string]map[string]int{},
		Months: map[string]map[string]int{}, Years: map[int]map[string]int{}, Days: map[string]int{},
	}
}

// countRecords counts the records published in [from, to); defaultCategory
// names items without a category, window is the de-duplication window in days.
func countRecords(recs []record, from, to time.Time, window int, defaultCategory string) *Counts {
	c := newCounts(from, to)
	c.keys = map[int]dayKeys{}
	units := make([]unit, 0, len(recs))
	var unmatched int // manual entries counted in bulk: never matched to other items
	for i := range recs {
		r := &recs[i]
		if r.published.Before(from) || !r.published.Before(to) {
			continue
		}
		c.add(r, defaultCategory)
		if r.manual && (r.count != 1 || r.title == "") {
			unmatched += r.count
			continue
		}
		units = append(units, unitOf(r))
	}
	c.Unique = uniqueCount(units, window) + unmatched
	c.keys = nil
	return c
}

func unitOf(r *record) unit {
	u := unit{channel: r.channel, day: dayNumber(r.published), hash: r.hash}
	if t := NormalizeTitle(r.title); len([]rune(t)) >= minTitleRunes {
		u.title = t
	}
	return u
}

// add counts one record in every breakdown.
func (c *Counts) add(r *record, defaultCategory string) {
	n := r.count
	k := c.keysOf(r.published)
	c.Total += n
	c.Channels[r.channel] += n
	c.Categories[orDefault(r.category, defaultCategory)] += n
	c.Publishers[orDefault(r.publisher, UnknownPublisher)] += n
	c.Sources[orDefault(r.source, ManualSource)] += n
	col := orDefault(r.column, orDefault(r.source, ManualSource))
	bump(c.Columns, r.channel, col, n)
	bump(c.Months, k.month, r.channel, n)
	if c.Years[k.year] == nil {
		c.Years[k.year] = map[string]int{}
	}
	c.Years[k.year][r.channel] += n
	c.Days[k.day] += n
}

func bump(m map[string]map[string]int, k1, k2 string, n int) {
	if m[k1] == nil {
		m[k1] = map[string]int{}
	}
	m[k1][k2] += n
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
