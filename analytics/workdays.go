package analytics

import (
	"fmt"
	"sort"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// Calendar tells working days: Monday to Friday, minus the configured public
// holidays that fall on weekdays, plus the configured weekend days that are
// worked (调休).
type Calendar struct {
	holidays []int // day numbers of weekday holidays, sorted
	workdays []int // day numbers of worked weekend days, sorted
}

// NewCalendar builds a calendar from YYYY-MM-DD lists; holidays that fall on a
// weekend and workdays that fall on a weekday change nothing and are dropped.
func NewCalendar(holidays, workdays []string) (*Calendar, error) {
	c := &Calendar{}
	var err error
	if c.holidays, err = dayList(holidays, false); err != nil {
		return nil, fmt.Errorf("staleness.holidays: %w", err)
	}
	if c.workdays, err = dayList(workdays, true); err != nil {
		return nil, fmt.Errorf("staleness.workdays: %w", err)
	}
	return c, nil
}

func dayList(days []string, weekend bool) ([]int, error) {
	seen := map[int]bool{}
	var out []int
	for _, s := range days {
		t, err := store.ParseDay(s)
		if err != nil {
			return nil, err
		}
		n := dayNumber(t)
		if isWeekend(n) == weekend && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out, nil
}

// isWeekend reports whether day number n is a Saturday or Sunday
// (day 0, 1970-01-01, was a Thursday).
func isWeekend(n int) bool {
	wd := ((n+4)%7 + 7) % 7 // 0 = Sunday
	return wd == 0 || wd == 6
}

// IsWorkday reports whether the Beijing date of t is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	n := dayNumber(t)
	if isWeekend(n) {
		return contains(c.workdays, n)
	}
	return !contains(c.holidays, n)
}

// WorkdaysBetween counts the working days d with from < d <= to (Beijing
// dates); it is negative when to is before from.
func (c *Calendar) WorkdaysBetween(from, to time.Time) int {
	a, b := dayNumber(from), dayNumber(to)
	if b < a {
		return -c.WorkdaysBetween(to, from)
	}
	return c.upTo(b) - c.upTo(a)
}

// upTo counts working days numbered <= n relative to an arbitrary origin.
func (c *Calendar) upTo(n int) int {
	return weekdaysUpTo(n) - countUpTo(c.holidays, n) + countUpTo(c.workdays, n)
}

// weekdaysUpTo counts Monday..Friday days with number in [origin, n], where
// the origin is a Monday far in the past so that every count is positive.
func weekdaysUpTo(n int) int {
	const origin = -3 - 7*100000 // 1969-12-29 was a Monday
	k := n - origin + 1          // days in [origin, n]
	full, rest := k/7, k%7
	if rest > 5 {
		rest = 5
	}
	return full*5 + rest
}

func countUpTo(sorted []int, n int) int {
	return sort.SearchInts(sorted, n+1)
}

func contains(sorted []int, n int) bool {
	i := sort.SearchInts(sorted, n)
	return i < len(sorted) && sorted[i] == n
}
