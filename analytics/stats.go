package analytics

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// YearStats are the statistics of one year's period as of a day.
type YearStats struct {
	// Unit is the unit the figures are of; "" for the county view of an
	// installation with several units, whose Units holds each unit's figures.
	Unit         string
	Units        []UnitFigures
	Year         int
	AsOf         time.Time // Beijing day; items published after it are not counted
	Period       Period
	Counts       *Counts // the period's items published on or before AsOf
	Channels     []Progress
	Categories   []Progress
	MonthTargets []MonthProgress // only months with configured targets
	Stale        []StaleRow      // as of AsOf, over all history
	Inspection   []Verdict       // the inspection's single-veto checks on Stale
	Disclosure   Disclosure      // the 20-working-day rule over the period's items
	Adoption     Adoption        // reports sent upward and adopted by the upper portal
	// Attachments are the attachments of live documents by year of
	// publication and type, all years (they are never counted as documents).
	Attachments []store.AttachmentCount
}

// ChannelOrder is the order channels are listed in.
var ChannelOrder = []string{store.ChannelPortal, store.ChannelWeChat, store.ChannelBoard, store.ChannelScreen, store.ChannelReport}

// Compute returns the statistics of year as of asOf (zero: config.Analytics.AsOf,
// else today), read from the store.
func Compute(ctx context.Context, st *store.Store, cfg *config.Config, year int, asOf time.Time) (*YearStats, error) {
	return NewCache(st).Compute(ctx, cfg, year, asOf)
}

// ComputeUnit returns the statistics of one unit, its own documents against
// its own targets and rules; unit "" is the whole installation (the county
// view when it has several units).
func ComputeUnit(ctx context.Context, st *store.Store, cfg *config.Config, year int, asOf time.Time, unit string) (*YearStats, error) {
	return NewCache(st).ComputeUnit(ctx, cfg, year, asOf, unit)
}

// computeYear computes the statistics of period p as of day from the records
// of all history.
func computeYear(recs []record, in *interner, cfg *config.Config, p Period, day time.Time) (*YearStats, error) {
	r, err := rulesOf(cfg)
	if err != nil {
		return nil, err
	}
	cutoff := earlierOf(day.AddDate(0, 0, 1), p.To)
	adopted := adoption(recs, p.From, cutoff)
	recs = ownRecords(recs)
	c := countRecords(recs, in, p.From, cutoff, cfg.Analytics.DedupeDays, cfg.Categories.Default)
	c.To = p.To
	t := cfg.Targets[p.Year]
	months, err := monthRows(t, c, p, day.AddDate(0, 0, 1))
	if err != nil {
		return nil, err
	}
	stale := staleRows(recs, in, r, cfg, day)
	return &YearStats{
		Year: p.Year, AsOf: day, Period: p, Counts: c, Stale: stale, Inspection: inspect(stale, r),
		Channels:     progressRows(c.Channels, t.Channels, ChannelOrder, p, day.AddDate(0, 0, 1)),
		Categories:   progressRows(c.Categories, t.Categories, cfg.Categories.List, p, day.AddDate(0, 0, 1)),
		MonthTargets: months,
		Disclosure:   disclosureCheck(recs, p.From, cutoff, r, MaxLateItems),
		Adoption:     adopted,
	}, nil
}

// CountPeriod counts the items published in [from, to) (Beijing days) by
// year, month, channel, category, publisher and source.
func CountPeriod(ctx context.Context, st *store.Store, cfg *config.Config, from, to time.Time) (*Counts, error) {
	recs, in, err := loadRecords(ctx, st, Day(from), Day(to))
	if err != nil {
		return nil, fmt.Errorf("count %s..%s: %w", from.Format(DateLayout), to.Format(DateLayout), err)
	}
	return countRecords(ownRecords(recs), in, Day(from), Day(to), cfg.Analytics.DedupeDays, cfg.Categories.Default), nil
}

// Months lists the YYYY-MM months the period touches, in order.
func (p Period) Months() []string {
	var out []string
	for m := time.Date(p.From.Year(), p.From.Month(), 1, 0, 0, 0, 0, beijing()); m.Before(p.To); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// Channel returns the progress row of a channel (zero Progress when absent).
func (s *YearStats) Channel(name string) Progress {
	return findProgress(s.Channels, name)
}

// Category returns the progress row of a category (zero Progress when absent).
func (s *YearStats) Category(name string) Progress {
	return findProgress(s.Categories, name)
}

func findProgress(rows []Progress, name string) Progress {
	for _, r := range rows {
		if r.Name == name {
			return r
		}
	}
	return Progress{Name: name, Status: StatusNoTarget}
}

// jsonStats is the JSON form of YearStats (the contract of `gongkai stats --json`).
type jsonStats struct {
	Unit         string                    `json:"unit"`
	Units        []UnitFigures             `json:"units,omitempty"`
	Year         int                       `json:"year"`
	AsOf         string                    `json:"as_of"`
	Period       Period                    `json:"period"`
	Total        int                       `json:"total"`
	TotalUnique  int                       `json:"total_unique"`
	Channels     map[string]Progress       `json:"channels"`
	Categories   map[string]Progress       `json:"categories"`
	Months       map[string]map[string]int `json:"months"`
	Stale        []StaleRow                `json:"stale"`
	Inspection   []Verdict                 `json:"inspection"`
	MonthTargets []MonthProgress           `json:"month_targets"`
	Publishers   map[string]int            `json:"publishers"`
	Sources      map[string]int            `json:"sources"`
	Disclosure   Disclosure                `json:"disclosure"`
	Adoption     Adoption                  `json:"adoption"`
	Attachments  map[string]map[string]int `json:"attachments"`
}

// MarshalJSON writes the stats JSON (README, web/openapi.json): unit (units
// in the county view), year, as_of, period, total,
// total_unique, channels, categories, months, stale, plus inspection,
// month_targets, publishers, sources, disclosure, adoption and attachments
// (year → type → count, all years).
func (s *YearStats) MarshalJSON() ([]byte, error) {
	j := jsonStats{
		Unit: s.Unit, Units: s.Units, Year: s.Year, AsOf: s.AsOf.Format(DateLayout), Period: s.Period,
		Total: s.Counts.Total, TotalUnique: s.Counts.Unique,
		Channels: progressMap(s.Channels), Categories: progressMap(s.Categories),
		Months: s.monthTable(), Stale: s.Stale, Inspection: s.Inspection, MonthTargets: s.MonthTargets,
		Publishers: s.Counts.Publishers, Sources: s.Counts.Sources, Disclosure: s.Disclosure, Adoption: s.Adoption,
		Attachments: attachmentMap(s.Attachments),
	}
	if j.MonthTargets == nil {
		j.MonthTargets = []MonthProgress{}
	}
	return json.Marshal(j)
}

func progressMap(rows []Progress) map[string]Progress {
	m := make(map[string]Progress, len(rows))
	for _, r := range rows {
		m[r.Name] = r
	}
	return m
}

// monthTable has every month of the period with every channel that has items,
// zeros included.
func (s *YearStats) monthTable() map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, m := range s.Period.Months() {
		row := map[string]int{}
		for ch := range s.Counts.Channels {
			row[ch] = s.Counts.Months[m][ch]
		}
		out[m] = row
	}
	return out
}

// WriteJSON writes the stats JSON (see MarshalJSON), indented.
func (s *YearStats) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}
