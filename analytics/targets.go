package analytics

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/gongkai-project/gongkai/config"
)

// Target statuses, as codes (StatusLabel gives the words staff read).
const (
	StatusMet      = "met"       // count reached the target
	StatusOnTrack  = "on_track"  // not yet, but at or above the target pace
	StatusBehind   = "behind"    // below the target pace, or the period ended short
	StatusNoTarget = "no_target" // no target configured
)

var statusLabels = map[string]string{StatusMet: "达标", StatusOnTrack: "按进度", StatusBehind: "落后", StatusNoTarget: "无目标"}

// StatusLabel returns the words staff read for a target status.
func StatusLabel(status string) string { return orDefault(statusLabels[status], status) }

// TotalKey names the all-channel total in monthly targets (months: {"03": {total: 10}}).
const TotalKey = "total"

// Progress is a count against its target over a window, judged as of a day.
type Progress struct {
	Name       string  `json:"name"`
	Count      int     `json:"count"`
	Target     int     `json:"target"`
	Progress   float64 `json:"progress"`   // count / target; 0 without a target
	Expected   float64 `json:"expected"`   // the target pace on the as-of day
	Projection int     `json:"projection"` // count at the window's end at the pace so far
	Remaining  int     `json:"remaining"`  // still to publish to meet the target
	DaysLeft   int     `json:"days_left"`  // days after the as-of day up to the window's end
	PerWeek    float64 `json:"per_week"`   // items per week still needed
	Status     string  `json:"status"`
}

// MonthProgress is a monthly target of one channel (or TotalKey).
type MonthProgress struct {
	Month   string `json:"month"` // YYYY-MM
	Channel string `json:"channel"`
	Progress
}

// judge measures count against target over the days [from, to) as of the day
// before cutoff.
func judge(name string, count, target int, from, to, cutoff time.Time) Progress {
	total := daysBetween(from, to)
	elapsed := min(max(daysBetween(from, cutoff), 0), total)
	p := Progress{Name: name, Count: count, Target: target, DaysLeft: total - elapsed, Projection: count}
	if elapsed > 0 && total > 0 {
		p.Projection = int(math.Round(float64(count) * float64(total) / float64(elapsed)))
	}
	if target <= 0 {
		p.Status = StatusNoTarget
		return p
	}
	p.Progress = round2(float64(count) / float64(target))
	if total > 0 {
		p.Expected = round2(float64(target) * float64(elapsed) / float64(total))
	}
	p.Remaining = max(target-count, 0)
	if p.Remaining > 0 && p.DaysLeft > 0 {
		p.PerWeek = round2(float64(p.Remaining) * 7 / float64(p.DaysLeft))
	}
	switch {
	case count >= target:
		p.Status = StatusMet
	case elapsed < total && float64(count) >= math.Floor(p.Expected):
		p.Status = StatusOnTrack
	default:
		p.Status = StatusBehind
	}
	return p
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// progressRows judges every name that has a count or a target; order lists
// the names that come first, in that order, the rest follow by name.
func progressRows(counts, targets map[string]int, order []string, p Period, cutoff time.Time) []Progress {
	names := orderedNames(counts, targets, order)
	rows := make([]Progress, 0, len(names))
	for _, n := range names {
		rows = append(rows, judge(n, counts[n], targets[n], p.From, p.To, cutoff))
	}
	return rows
}

func orderedNames(counts, targets map[string]int, order []string) []string {
	seen := map[string]bool{}
	var names []string
	for _, n := range order {
		_, c := counts[n]
		_, t := targets[n]
		if (c || t) && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	var rest []string
	for _, m := range []map[string]int{counts, targets} {
		for n := range m {
			if !seen[n] {
				seen[n] = true
				rest = append(rest, n)
			}
		}
	}
	sort.Strings(rest)
	return append(names, rest...)
}

// monthRows judges the configured monthly targets of year ("01".."12" ->
// channel or TotalKey -> n), each over the part of its month inside the period.
func monthRows(t config.YearTarget, c *Counts, p Period, cutoff time.Time) ([]MonthProgress, error) {
	var rows []MonthProgress
	for _, mm := range sortedKeys(t.Months) {
		m, err := strconv.Atoi(mm)
		if err != nil || m < 1 || m > 12 {
			return nil, fmt.Errorf("targets.%d.months: bad month %q, want 01..12", p.Year, mm)
		}
		from := time.Date(p.Year, time.Month(m), 1, 0, 0, 0, 0, beijing())
		to := from.AddDate(0, 1, 0)
		from, to = laterOf(from, p.From), earlierOf(to, p.To)
		key := from.Format("2006-01")
		for _, ch := range sortedKeys(t.Months[mm]) {
			n := c.Months[key][ch]
			if ch == TotalKey {
				n = sumValues(c.Months[key])
			}
			pr := judge(key+"/"+ch, n, t.Months[mm][ch], from, to, cutoff)
			rows = append(rows, MonthProgress{Month: key, Channel: ch, Progress: pr})
		}
	}
	return rows, nil
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlierOf(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func sumValues(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
