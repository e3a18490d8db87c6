package analytics

import (
	"context"
	"fmt"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// record is one countable item: a stored document (count 1) or a manual entry
// of an offline channel (count = its Count).
type record struct {
	id, channel, source, column, category, publisher string
	unit                                             string // township or bureau
	title, docNumber, genre, hash, validity          string
	key                                              [numKeys]int32 // interned strings, see internRecord
	published, written                               time.Time
	count                                            int
	manual                                           bool
}

// Labels of values a record lacks.
const (
	ManualSource     = "manual" // source of manual entries
	UnknownPublisher = "未注明"
)

func beijing() *time.Location { return store.Beijing }

// historyStart is before any government website published anything; history
// queries (staleness, 现行有效 documents) start there.
var historyStart = time.Date(1990, 1, 1, 0, 0, 0, 0, store.Beijing)

// loadRecords reads the live documents and manual entries published in
// [from, to), interned.
func loadRecords(ctx context.Context, st *store.Store, from, to time.Time) ([]record, *interner, error) {
	items, err := st.Items(ctx, from, to)
	if err != nil {
		return nil, nil, fmt.Errorf("load items: %w", err)
	}
	manual, err := st.ManualEntries(ctx, from, to)
	if err != nil {
		return nil, nil, fmt.Errorf("load manual entries: %w", err)
	}
	in := newInterner(2 * len(items))
	recs := make([]record, 0, len(items)+len(manual))
	for i := range items {
		recs = append(recs, recordOfItem(&items[i]))
	}
	for i := range manual {
		recs = append(recs, recordOfManual(&manual[i]))
	}
	for i := range recs {
		internRecord(&recs[i], in)
	}
	return recs, in, nil
}

func recordOfItem(it *store.Item) record {
	return record{
		id: it.ID, channel: it.Channel, unit: it.Unit, source: it.Source, column: it.Column, category: it.Category,
		publisher: it.Publisher, title: it.Title, docNumber: it.DocNumber, genre: it.Genre,
		hash: it.TextHash, validity: it.Validity, published: it.Published, written: it.Written, count: 1,
	}
}

func recordOfManual(e *store.ManualEntry) record {
	return record{
		id: fmt.Sprintf("manual-%d", e.ID), channel: e.Channel, unit: e.Unit, source: ManualSource, category: e.Category,
		title: e.Title, published: e.Date, count: e.Count, manual: true,
	}
}
