package store

import (
	"context"
	"testing"
	"time"
)

// Saving logs only the cells that changed, with who, how and the old value;
// a negative value rolls the whole save back.
func TestReportCellsAudit(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	t0 := time.Date(2016, 1, 20, 10, 0, 0, 0, Beijing)
	n, err := st.SaveReportTable(ctx, 2015, "table3", ReportCells{"new": {5, 1}, "public": {4, 1}}, "wang", "import staff.yaml", t0)
	if err != nil || n != 4 {
		t.Fatalf("first save: %d changed, %v; want 4", n, err)
	}
	n, err = st.SaveReportTable(ctx, 2015, "table3", ReportCells{"new": {6, 1}, "public": {4, 1}}, "li", "web", t0.Add(time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("second save: %d changed, %v; want 1", n, err)
	}
	if _, err := st.SaveReportTable(ctx, 2015, "table3", ReportCells{"new": {7, -1}}, "li", "web", t0); err == nil {
		t.Fatal("a negative cell was stored")
	}
	got, err := st.ReportTable(ctx, 2015, "table3")
	if err != nil {
		t.Fatal(err)
	}
	if got["new"][0] != 6 || got["new"][1] != 1 || got["public"][0] != 4 {
		t.Errorf("cells = %v; the refused save must leave 6, 1", got)
	}
	if other, _ := st.ReportTable(ctx, 2016, "table3"); other != nil {
		t.Errorf("2016 has cells %v", other)
	}
	log, err := st.ReportCellLog(ctx, 2015, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 5 {
		t.Fatalf("log has %d changes, want 5", len(log))
	}
	last := log[0]
	if last.User != "li" || last.Via != "web" || last.Row != "new" || last.Col != 0 || last.Before == nil || *last.Before != 5 || last.After != 6 {
		t.Errorf("newest change = %+v, want li via web: new[0] 5 → 6", last)
	}
	if first := log[len(log)-1]; first.Before != nil || first.Via != "import staff.yaml" {
		t.Errorf("oldest change = %+v, want an import of a cell not entered before", first)
	}
}
