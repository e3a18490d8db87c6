package analytics

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// DateLayout is the date format of every date analytics reads or writes.
const DateLayout = "2006-01-02"

// Period is a statistics period: the Beijing days [From, To), so To is the
// day after the last day of the period.
type Period struct {
	Year int
	From time.Time
	To   time.Time
}

// Last is the last day of the period (inclusive).
func (p Period) Last() time.Time { return p.To.AddDate(0, 0, -1) }

// Days is the number of days in the period.
func (p Period) Days() int { return daysBetween(p.From, p.To) }

// MarshalJSON writes {"from":"YYYY-MM-DD","to":"YYYY-MM-DD"} with both days inclusive.
func (p Period) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"from": p.From.Format(DateLayout), "to": p.Last().Format(DateLayout)})
}

// YearPeriod returns the statistics period of year (see the package comment).
func YearPeriod(cfg *config.Config, year int) (Period, error) {
	endM, endD, err := periodEnd(cfg, year)
	if err != nil {
		return Period{}, err
	}
	prevM, prevD, err := periodEnd(cfg, year-1)
	if err != nil {
		return Period{}, err
	}
	return Period{
		Year: year,
		From: dayOf(year-1, prevM, prevD).AddDate(0, 0, 1),
		To:   dayOf(year, endM, endD).AddDate(0, 0, 1),
	}, nil
}

// periodEnd returns the month and day statistics of year close on.
func periodEnd(cfg *config.Config, year int) (time.Month, int, error) {
	s := cfg.Analytics.PeriodEnd
	if t, ok := cfg.Targets[year]; ok && t.PeriodEnd != "" {
		s = t.PeriodEnd
	}
	if s == "" {
		return time.December, 31, nil
	}
	m, d, err := ParseMonthDay(s)
	if err != nil {
		return 0, 0, fmt.Errorf("period end of %d: %w", year, err)
	}
	return m, d, nil
}

// ParseMonthDay parses "MM-DD" (a day that exists in a leap year).
func ParseMonthDay(s string) (time.Month, int, error) {
	t, err := time.Parse("2006-01-02", "2000-"+s)
	if err != nil || len(s) != 5 {
		return 0, 0, fmt.Errorf("parse month-day %q: want MM-DD", s)
	}
	return t.Month(), t.Day(), nil
}

// dayOf is midnight Beijing of month/day in year; 02-29 in a common year is 02-28.
func dayOf(year int, m time.Month, d int) time.Time {
	if last := lastDayOfMonth(year, m); d > last {
		d = last
	}
	return time.Date(year, m, d, 0, 0, 0, 0, store.Beijing)
}

func lastDayOfMonth(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, store.Beijing).Day()
}

// Day truncates t to midnight of its Beijing date.
func Day(t time.Time) time.Time {
	y, m, d := t.In(store.Beijing).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, store.Beijing)
}

// ResolveAsOf returns the Beijing day statistics are computed as of: given when
// it is set, else config.Analytics.AsOf, else today.
func ResolveAsOf(cfg *config.Config, given time.Time) (time.Time, error) {
	switch {
	case !given.IsZero():
		return Day(given), nil
	case cfg.Analytics.AsOf != "":
		t, err := store.ParseDay(cfg.Analytics.AsOf)
		if err != nil {
			return time.Time{}, fmt.Errorf("analytics.as_of: %w", err)
		}
		return t, nil
	}
	return Day(time.Now()), nil
}

// daysBetween counts calendar days from a to b (both Beijing midnights).
func daysBetween(a, b time.Time) int {
	return int(b.Sub(a).Round(time.Hour).Hours() / 24)
}

// dayNumber numbers Beijing dates consecutively (days since 1970-01-01 Beijing).
func dayNumber(t time.Time) int {
	s := t.Unix() + 8*3600
	n := s / 86400
	if s%86400 < 0 {
		n--
	}
	return int(n)
}

// YearOf returns the statistics year whose period holds the Beijing day of t.
func YearOf(cfg *config.Config, t time.Time) (int, error) {
	d := Day(t)
	y := d.Year()
	for range 3 {
		p, err := YearPeriod(cfg, y)
		if err != nil {
			return 0, err
		}
		switch {
		case d.Before(p.From):
			y--
		case !d.Before(p.To):
			y++
		default:
			return y, nil
		}
	}
	return 0, fmt.Errorf("no statistics period holds %s", d.Format(DateLayout))
}

// DefaultYear is the year staff pages show when none is chosen: from January
// to March (the report season: the report is due by 31 January) the year just
// closed, and so too in December after a close before 12-31 (12-15); else
// the year whose period holds today.
func DefaultYear(cfg *config.Config, today time.Time) (int, error) {
	y, err := YearOf(cfg, today)
	if err != nil {
		return 0, err
	}
	d := Day(today)
	if d.Month() <= time.March || (d.Month() == time.December && y > d.Year()) {
		return y - 1, nil
	}
	return y, nil
}
