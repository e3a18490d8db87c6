package analytics

import (
	"context"
	"fmt"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// Watch is what alerts watch as of a day: the staleness of every scope (as
// on the dashboard: with several units, each unit's scopes under its own
// rules and name, as in the county view) and the items published in the year up to the day
// (WatchDays) that came out later than the working-day limit (each unit's
// under its own), all of them (the dashboard lists the latest MaxLateItems).
type Watch struct {
	AsOf       time.Time
	Stale      []StaleRow
	Disclosure Disclosure
}

// WatchDays is how far back Watch looks for late disclosures: a year, so
// that no period boundary hides an item published just before it.
const WatchDays = 366

// Watch computes the Watch of asOf (zero: config.Analytics.AsOf, else today)
// over the cached documents.
func (c *Cache) Watch(ctx context.Context, cfg *config.Config, asOf time.Time) (*Watch, error) {
	day, err := ResolveAsOf(cfg, asOf)
	if err != nil {
		return nil, err
	}
	r, err := rulesOf(cfg)
	if err != nil {
		return nil, err
	}
	recs, in, err := c.records(ctx)
	if err != nil {
		return nil, fmt.Errorf("watch as of %s: %w", day.Format(DateLayout), err)
	}
	recs = ownRecords(recs)
	stale, err := watchStale(recs, in, cfg, r, day)
	if err != nil {
		return nil, fmt.Errorf("watch as of %s: %w", day.Format(DateLayout), err)
	}
	from, to := day.AddDate(0, 0, 1-WatchDays), day.AddDate(0, 0, 1)
	d := disclosureCheck(recs, from, to, r, 0)
	if cfg.MultiUnit() {
		if d, err = unitsDisclosure(recs, cfg, from, to, 0); err != nil {
			return nil, fmt.Errorf("watch as of %s: %w", day.Format(DateLayout), err)
		}
	}
	return &Watch{AsOf: day, Stale: stale, Disclosure: d}, nil
}

// watchStale returns the staleness rows of recs as the dashboard shows them:
// those of the whole installation under r, or with several units each
// unit's own, under its rules, named by it.
func watchStale(recs []record, in *interner, cfg *config.Config, r *rules, day time.Time) ([]StaleRow, error) {
	if !cfg.MultiUnit() {
		return staleRows(recs, in, r, cfg, day), nil
	}
	homeUnits(recs, cfg)
	rows := []StaleRow{}
	for _, name := range cfg.UnitNames() {
		ucfg, _ := cfg.ForUnit(name)
		ur, err := rulesOf(ucfg)
		if err != nil {
			return nil, fmt.Errorf("unit %s: %w", name, err)
		}
		for _, row := range staleRows(unitRecords(recs, name), in, ur, ucfg, day) {
			rows = append(rows, row.inUnit(name))
		}
	}
	sortStale(rows)
	return rows, nil
}

// WatchStore is Watch read from the store.
func WatchStore(ctx context.Context, st *store.Store, cfg *config.Config, asOf time.Time) (*Watch, error) {
	return NewCache(st).Watch(ctx, cfg, asOf)
}
