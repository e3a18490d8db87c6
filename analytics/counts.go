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
}

func newCounts(from, to time.Time) *Counts {
	return &Counts{
		From: from, To: to,
		Channels: map[string]int{}, Categories: map[string]int{}, Publishers: map[string]int{},
		Sources: map[string]int{}, Columns: map[string]map[string]int{},
		Months: map[string]map[string]int{}, Years: map[int]map[string]int{}, Days: map[string]int{},
	}
}

// tally counts records by interned keys; spread turns it into Counts.
type tally struct {
	channel, category, publisher, source map[int32]int
	column                               map[[2]int32]int // channel, column (or source)
	dayChannel                           map[[2]int32]int // Beijing day number, channel
}

// countRecords counts the records published in [from, to); defaultCategory
// names items without a category, window is the de-duplication window in days.
func countRecords(recs []record, in *interner, from, to time.Time, window int, defaultCategory string) *Counts {
	t := tally{channel: map[int32]int{}, category: map[int32]int{}, publisher: map[int32]int{},
		source: map[int32]int{}, column: map[[2]int32]int{}, dayChannel: map[[2]int32]int{}}
	units := make([]unit, 0, len(recs))
	var unmatched int // manual entries counted in bulk: never matched to other items
	for i := range recs {
		r := &recs[i]
		if r.published.Before(from) || !r.published.Before(to) {
			continue
		}
		k, n := &r.key, r.count
		t.channel[k[keyChannel]] += n
		t.category[k[keyCategory]] += n
		t.publisher[k[keyPublisher]] += n
		t.source[k[keySource]] += n
		col := k[keyColumn]
		if col == 0 {
			col = k[keySource]
		}
		t.column[[2]int32{k[keyChannel], col}] += n
		day := int32(dayNumber(r.published))
		t.dayChannel[[2]int32{day, k[keyChannel]}] += n
		if r.manual && (r.count != 1 || r.title == "") {
			unmatched += r.count
			continue
		}
		units = append(units, unit{owner: k[keyUnit], channel: k[keyChannel], day: day, hash: k[keyHash], title: k[keyTitle]})
	}
	c := t.spread(in, from, to, defaultCategory)
	c.Unique = uniqueCount(units, in.size(), window) + unmatched
	return c
}

// spread names the tallied keys, with the labels of missing values.
func (t *tally) spread(in *interner, from, to time.Time, defaultCategory string) *Counts {
	c := newCounts(from, to)
	named := func(dst map[string]int, src map[int32]int, missing string) {
		for id, n := range src {
			dst[orDefault(in.name(id), missing)] += n
		}
	}
	named(c.Channels, t.channel, "")
	named(c.Categories, t.category, defaultCategory)
	named(c.Publishers, t.publisher, UnknownPublisher)
	named(c.Sources, t.source, ManualSource)
	for k, n := range t.column {
		bump(c.Columns, in.name(k[0]), orDefault(in.name(k[1]), ManualSource), n)
	}
	keys := map[int32]dayKeys{}
	for k, n := range t.dayChannel {
		dk, ok := keys[k[0]]
		if !ok {
			dk = keysOf(int(k[0]))
			keys[k[0]] = dk
		}
		ch := in.name(k[1])
		c.Total += n
		bump(c.Months, dk.month, ch, n)
		if c.Years[dk.year] == nil {
			c.Years[dk.year] = map[string]int{}
		}
		c.Years[dk.year][ch] += n
		c.Days[dk.day] += n
	}
	return c
}

// dayKeys are the map keys of one Beijing day.
type dayKeys struct {
	year       int
	month, day string
}

func keysOf(dayNum int) dayKeys {
	p := time.Unix(int64(dayNum)*86400, 0).In(beijing()) // 08:00 Beijing of that day
	return dayKeys{year: p.Year(), month: p.Format("2006-01"), day: p.Format(DateLayout)}
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
