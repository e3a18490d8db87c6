package analytics

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// openStore opens a fresh SQLite store in the test's temp dir.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "gongkai.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// bj is a Beijing time.
func bj(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, store.Beijing)
}

// doc builds a live document; body defaults to a text unique to id.
func doc(id, channel, column, category, title string, published time.Time) *store.Document {
	return &store.Document{ID: id, URL: "https://example.gov.cn/" + id, Source: channel + "-src", Channel: channel,
		Column: column, Category: category, Title: title, Body: "正文 " + id, Published: published, Status: store.StatusLive}
}

func put(t testing.TB, st *store.Store, docs ...*store.Document) {
	t.Helper()
	if _, err := st.UpsertBatch(context.Background(), docs); err != nil {
		t.Fatalf("upsert: %v", err)
	}
}

func addManual(t testing.TB, st *store.Store, e store.ManualEntry) {
	t.Helper()
	if err := st.AddManual(context.Background(), &e); err != nil {
		t.Fatalf("add manual %+v: %v", e, err)
	}
}

// series makes n documents on channel, one a day from start.
func series(prefix, channel, column, category string, start time.Time, n int) []*store.Document {
	var docs []*store.Document
	for i := range n {
		docs = append(docs, doc(fmt.Sprintf("%s-%d", prefix, i), channel, column, category,
			fmt.Sprintf("%s第%d号公告事项", prefix, i), start.AddDate(0, 0, i)))
	}
	return docs
}

func defaultConfig() *config.Config {
	return config.Default()
}

func compute(t testing.TB, st *store.Store, cfg *config.Config, year int, asOf time.Time) *YearStats {
	t.Helper()
	s, err := Compute(context.Background(), st, cfg, year, asOf)
	if err != nil {
		t.Fatalf("compute %d: %v", year, err)
	}
	return s
}

func timeMonth(m int) time.Month { return time.Month(m) }
