package analytics

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/config"
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
	// LimitWorkdays is the limit of the item's unit; Unit is that unit in
	// the view of several units ("" in one unit's own).
	LimitWorkdays int    `json:"limit_workdays"`
	Unit          string `json:"unit,omitempty"`
}

// Disclosure checks proactive disclosure within LimitWorkdays working days of
// the written date (条例第二十六条) over the items that carry both dates. With
// several units each unit's items are judged by its own limit and holidays;
// UnitLimits then gives each unit's limit, and LimitWorkdays is their common
// limit, or 0 when they differ.
type Disclosure struct {
	LimitWorkdays int            `json:"limit_workdays"`
	UnitLimits    map[string]int `json:"unit_limits,omitempty"`
	Checked       int            `json:"checked"` // items with both dates
	Late          int            `json:"late"`
	Items         []LateItem     `json:"items"` // the latest MaxLateItems late ones, latest first
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
				Written: Day(rec.written), Published: Day(rec.published), Workdays: wd, LimitWorkdays: r.disclosure})
		}
	}
	d.Items = latestItems(d.Items, limit)
	return d
}

// latestItems orders late items latest first and keeps the first limit (0: all).
func latestItems(items []LateItem, limit int) []LateItem {
	slices.SortFunc(items, func(a, b LateItem) int {
		if c := b.Published.Compare(a.Published); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if limit > 0 && len(items) > limit {
		items = items[:limit]
	}
	return items
}

// unitsDisclosure checks the records of [from, to) of an installation of
// several units, each unit's under its own rules (config.ForUnit), and adds
// them up; recs are filed under configured units (homeUnits).
func unitsDisclosure(recs []record, cfg *config.Config, from, to time.Time, limit int) (Disclosure, error) {
	parts := map[string]Disclosure{}
	for _, name := range cfg.UnitNames() {
		ucfg, _ := cfg.ForUnit(name)
		r, err := rulesOf(ucfg)
		if err != nil {
			return Disclosure{}, fmt.Errorf("unit %s: %w", name, err)
		}
		parts[name] = disclosureCheck(unitRecords(recs, name), from, to, r, limit)
	}
	return sumDisclosures(parts, limit), nil
}

// sumDisclosures adds up the units' checks (by unit name): counts summed,
// items marked with their unit, the latest limit of them kept (0: all).
func sumDisclosures(parts map[string]Disclosure, limit int) Disclosure {
	d := Disclosure{UnitLimits: map[string]int{}, Items: []LateItem{}}
	common := true
	for name, p := range parts {
		d.UnitLimits[name] = p.LimitWorkdays
		common = common && (d.LimitWorkdays == 0 || d.LimitWorkdays == p.LimitWorkdays)
		d.LimitWorkdays = p.LimitWorkdays
		d.Checked += p.Checked
		d.Late += p.Late
		for _, it := range p.Items {
			it.Unit = name
			d.Items = append(d.Items, it)
		}
	}
	if !common {
		d.LimitWorkdays = 0
	}
	d.Items = latestItems(d.Items, limit)
	return d
}

// LimitText names the limit as staff read it: “20个工作日”, or with units
// of different limits each unit's (“各单位规定的时限（城关镇10个、康大营镇20个工作日）”).
func (d Disclosure) LimitText() string {
	if d.LimitWorkdays > 0 || len(d.UnitLimits) == 0 {
		return fmt.Sprintf("%d个工作日", d.LimitWorkdays)
	}
	names := make([]string, 0, len(d.UnitLimits))
	for name := range d.UnitLimits {
		names = append(names, name)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = fmt.Sprintf("%s%d个", name, d.UnitLimits[name])
	}
	return "各单位规定的时限（" + strings.Join(parts, "、") + "工作日）"
}
