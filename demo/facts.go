package demo

import (
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// Count returns how many documents of channel ("" for every channel) were
// published in [from, to).
func (t *Township) Count(channel string, from, to time.Time) int {
	n := 0
	for i := range t.Items {
		it := &t.Items[i]
		if (channel == "" || it.Channel == channel) && !it.Published.Before(from) && it.Published.Before(to) {
			n++
		}
	}
	return n
}

// PeriodCount returns how many documents of channel were published in the
// statistics period of year when every year closes on 12-15: from 12-16 of
// the year before to 12-15, Beijing days.
func (t *Township) PeriodCount(channel string, year int) int {
	from, to := period(year)
	return t.Count(channel, from, to)
}

// Normative counts the township's 行政规范性文件 for year: issued in the year,
// abolished in the year (by a 废止 decision published in it) and in force at
// its end. The township issues no 规章.
func (t *Township) Normative(year int) (issued, abolished, inForce int) {
	end := date(year+1, 1, 1)
	for i := range t.Items {
		it := &t.Items[i]
		if it.Channel != store.ChannelPortal || !it.Published.Before(end) {
			continue
		}
		switch {
		case it.Normative:
			inForce++
			if it.Published.Year() == year {
				issued++
			}
		case it.Abolishes != "":
			inForce--
			if it.Published.Year() == year {
				abolished++
			}
		}
	}
	return issued, abolished, inForce
}
