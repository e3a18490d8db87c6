package analytics

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/config"
)

// UnitFigures are one unit's figures as the county view shows them side by
// side: its counts, its targets' statuses, its overdue scopes and failed
// inspection checks, its reports sent and adopted.
type UnitFigures struct {
	Unit             string              `json:"unit"`
	Total            int                 `json:"total"`
	TotalUnique      int                 `json:"total_unique"`
	Channels         map[string]Progress `json:"channels"`
	Categories       map[string]Progress `json:"categories"`
	Overdue          int                 `json:"overdue"`           // scopes past their staleness limit
	InspectionFailed int                 `json:"inspection_failed"` // single-veto checks failed
	Sent             int                 `json:"sent"`
	Adopted          int                 `json:"adopted"`
}

// figuresOf sums up one unit's statistics.
func figuresOf(s *YearStats) UnitFigures {
	f := UnitFigures{Unit: s.Unit, Total: s.Counts.Total, TotalUnique: s.Counts.Unique,
		Channels: progressMap(s.Channels), Categories: progressMap(s.Categories),
		Sent: s.Adoption.Sent, Adopted: s.Adoption.Adopted}
	for _, r := range s.Stale {
		if r.State == StateOverdue {
			f.Overdue++
		}
	}
	for _, v := range s.Inspection {
		if v.Failed {
			f.InspectionFailed++
		}
	}
	return f
}

// computeView computes the statistics of one unit, or with unit "" those of
// the whole installation: for a single unit that unit's, for several the
// county view (see countyView).
func computeView(recs []record, in *interner, cfg *config.Config, p Period, day time.Time, unit string) (*YearStats, error) {
	homeUnits(recs, cfg)
	if unit == "" && cfg.MultiUnit() {
		return countyView(recs, in, cfg, p, day)
	}
	if unit == "" {
		unit = cfg.HomeUnit()
	}
	return unitView(recs, in, cfg, p, day, unit)
}

// unitView computes one unit's statistics with its own targets and rules.
func unitView(recs []record, in *interner, cfg *config.Config, p Period, day time.Time, unit string) (*YearStats, error) {
	ucfg, ok := cfg.ForUnit(unit)
	if !ok {
		return nil, fmt.Errorf("unknown unit %q (configured units: %s)", unit, strings.Join(cfg.UnitNames(), ", "))
	}
	s, err := computeYear(unitRecords(recs, unit), in, ucfg, p, day)
	if err != nil {
		return nil, err
	}
	s.Unit = unit
	return s, nil
}

// unitRecords returns the records of one unit.
func unitRecords(recs []record, unit string) []record {
	own := make([]record, 0, len(recs))
	for _, r := range recs {
		if r.unit == unit {
			own = append(own, r)
		}
	}
	return own
}

// inUnit is the row as the county view lists it: of unit, its scope named
// with the unit's name first.
func (r StaleRow) inUnit(unit string) StaleRow {
	r.Unit, r.Scope = unit, unit+"·"+r.Scope
	return r
}

// countyView sums the units: counts over all their records (the same item
// on several channels of one unit once; the same item published by two
// units once for each, as each unit's publication is its own), targets the
// sums of the units' targets, staleness rows and inspection checks each
// unit's own under its name, late disclosures each unit's under its own
// limit and holidays, and every unit's figures side by side.
func countyView(recs []record, in *interner, cfg *config.Config, p Period, day time.Time) (*YearStats, error) {
	county := *cfg
	county.Targets = cfg.CountyTargets()
	s, err := computeYear(recs, in, &county, p, day)
	if err != nil {
		return nil, err
	}
	s.Stale, s.Inspection = []StaleRow{}, []Verdict{}
	disclosures := map[string]Disclosure{}
	for _, name := range cfg.UnitNames() {
		u, err := unitView(recs, in, cfg, p, day, name)
		if err != nil {
			return nil, err
		}
		disclosures[name] = u.Disclosure
		for _, r := range u.Stale {
			s.Stale = append(s.Stale, r.inUnit(name))
		}
		for _, v := range u.Inspection {
			v.Unit = name
			s.Inspection = append(s.Inspection, v)
		}
		s.Units = append(s.Units, figuresOf(u))
	}
	sortStale(s.Stale)
	s.Disclosure = sumDisclosures(disclosures, MaxLateItems)
	return s, nil
}

// homeUnits files the records of no configured unit (a JSONL line naming
// another, a row not yet assigned) under the home unit, so that the units
// always sum to the county.
func homeUnits(recs []record, cfg *config.Config) {
	names, home := cfg.UnitNames(), cfg.HomeUnit()
	for i := range recs {
		if u := recs[i].unit; u != home && !slices.Contains(names, u) {
			recs[i].unit = home
		}
	}
}
