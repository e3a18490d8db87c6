package analytics

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// Cache keeps the documents analytics needs in memory and reads them again
// only when the store changed (its MaxSeq moved); manual entries, few, are
// read on every call. The web holds one Cache for its dashboards; it is safe
// for concurrent use.
type Cache struct {
	st    *store.Store
	mu    sync.Mutex
	seq   int64
	valid bool
	docs  []record  // every live document, all history, interned by in
	in    *interner // frozen once built; calls intern manual entries in a child
}

// NewCache returns an empty cache over st; the first call loads it.
func NewCache(st *store.Store) *Cache { return &Cache{st: st} }

// farFuture bounds the document query of the cache.
var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, store.Beijing)

// records returns every live document and manual entry, documents from the
// cache when the store has not changed since they were read.
func (c *Cache) records(ctx context.Context) ([]record, *interner, error) {
	seq, err := c.st.MaxSeq(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("store sequence: %w", err)
	}
	c.mu.Lock()
	docs, in, ok := c.docs, c.in, c.valid && c.seq == seq
	c.mu.Unlock()
	if !ok {
		items, err := c.st.Items(ctx, historyStart, farFuture)
		if err != nil {
			return nil, nil, fmt.Errorf("load items: %w", err)
		}
		docs, in = make([]record, len(items)), newInterner(2*len(items))
		for i := range items {
			docs[i] = recordOfItem(&items[i])
			internRecord(&docs[i], in)
		}
		c.mu.Lock()
		c.docs, c.in, c.seq, c.valid = docs, in, seq, true
		c.mu.Unlock()
	}
	manual, err := c.st.ManualEntries(ctx, historyStart, farFuture)
	if err != nil {
		return nil, nil, fmt.Errorf("load manual entries: %w", err)
	}
	recs := make([]record, len(docs), len(docs)+len(manual))
	copy(recs, docs)
	child := in.child()
	for i := range manual {
		r := recordOfManual(&manual[i])
		internRecord(&r, child)
		recs = append(recs, r)
	}
	return recs, child, nil
}

// Compute is Compute over the cached documents.
func (c *Cache) Compute(ctx context.Context, cfg *config.Config, year int, asOf time.Time) (*YearStats, error) {
	return c.ComputeUnit(ctx, cfg, year, asOf, "")
}

// ComputeUnit is ComputeUnit over the cached documents.
func (c *Cache) ComputeUnit(ctx context.Context, cfg *config.Config, year int, asOf time.Time, unit string) (*YearStats, error) {
	day, p, err := yearAndDay(cfg, year, asOf)
	if err != nil {
		return nil, err
	}
	recs, in, err := c.records(ctx)
	if err != nil {
		return nil, fmt.Errorf("statistics of %d: %w", year, err)
	}
	s, err := computeView(recs, in, cfg, p, day, unit)
	if err != nil {
		return nil, err
	}
	if s.Attachments, err = c.st.AttachmentCounts(ctx, unit); err != nil {
		return nil, fmt.Errorf("statistics of %d: %w", year, err)
	}
	return s, nil
}

// Report is Report over the cached documents.
func (c *Cache) Report(ctx context.Context, cfg *config.Config, year int, asOf time.Time, staffInput string) (*AnnualReport, error) {
	return c.ReportUnit(ctx, cfg, year, asOf, "", staffInput)
}

// ReportUnit is Report of one unit ("" the whole installation): its own
// figures (as ComputeUnit), titled with its name unless the staff input
// names the organ. With several units, tables 三 and 四 stored in the
// database are the installation's, so a unit's report takes them only from
// staffInput and otherwise leaves them to fill in (【请补充】).
func (c *Cache) ReportUnit(ctx context.Context, cfg *config.Config, year int, asOf time.Time, unit, staffInput string) (*AnnualReport, error) {
	staff, err := loadStaffOptional(staffInput)
	if err != nil {
		return nil, err
	}
	own := unit != "" && cfg.MultiUnit()
	if !own {
		if err := fillStaffTables(ctx, c.st, year, staff); err != nil {
			return nil, err
		}
	}
	if own && staff.Organ == "" {
		staff.Organ = unit
	}
	day, p, err := yearAndDay(cfg, year, asOf)
	if err != nil {
		return nil, err
	}
	recs, in, err := c.records(ctx)
	if err != nil {
		return nil, fmt.Errorf("annual report %d: %w", year, err)
	}
	s, err := computeView(recs, in, cfg, p, day, unit)
	if err != nil {
		return nil, err
	}
	docsUnit := ""
	if own {
		docsUnit = unit
	}
	return buildReport(s, countDocs(ownRecords(recs), p, earlierOf(day.AddDate(0, 0, 1), p.To), docsUnit), staff), nil
}

// yearAndDay resolves the as-of day and the period of year.
func yearAndDay(cfg *config.Config, year int, asOf time.Time) (time.Time, Period, error) {
	day, err := ResolveAsOf(cfg, asOf)
	if err != nil {
		return time.Time{}, Period{}, err
	}
	p, err := YearPeriod(cfg, year)
	return day, p, err
}

// loadStaffOptional reads the staff YAML when a path is given.
func loadStaffOptional(path string) (*StaffInput, error) {
	if path == "" {
		return &StaffInput{}, nil
	}
	return LoadStaff(path)
}
