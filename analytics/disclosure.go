package analytics

import (
	"slices"
	"strings"
	"time"
)

// LateItem is an item published more than the limit of working days after it
// was written.
type LateItem struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Channel   string    `json:"channel"`
	Written   time.Time `json:"written"`
	Published time.Time `json:"published"`
	Workdays  int       `json:"workdays"`
}

// Disclosure checks proactive disclosure within LimitWorkdays working days of
// the written date (条例第二十六条) over the items that carry both dates.
type Disclosure struct {
	LimitWorkdays int        `json:"limit_workdays"`
	Checked       int        `json:"checked"` // items with both dates
	Late          int        `json:"late"`
	Items         []LateItem `json:"items"` // the latest MaxLateItems late ones, latest first
}

// MaxLateItems bounds the late items listed (Late counts them all).
const MaxLateItems = 500

// disclosureCheck applies the working-day rule to the records published in
// [from, to); items published before they were written are not judged. It
// lists the latest limit late items (0: all of them).
func disclosureCheck(recs []record, from, to time.Time, r *rules, limit int) Disclosure {
	d := Disclosure{LimitWorkdays: r.disclosure, Items: []LateItem{}}
	for i := range recs {
		rec := &recs[i]
		if rec.manual || rec.written.IsZero() || rec.published.Before(from) || !rec.published.Before(to) {
			continue
		}
		wd := r.cal.WorkdaysBetween(rec.written, rec.published)
		if wd < 0 {
			continue
		}
		d.Checked++
		if wd > r.disclosure {
			d.Late++
			d.Items = append(d.Items, LateItem{ID: rec.id, Title: rec.title, Channel: rec.channel,
				Written: Day(rec.written), Published: Day(rec.published), Workdays: wd})
		}
	}
	slices.SortFunc(d.Items, func(a, b LateItem) int {
		if c := b.Published.Compare(a.Published); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if limit > 0 && len(d.Items) > limit {
		d.Items = d.Items[:limit]
	}
	return d
}
