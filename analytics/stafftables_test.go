package analytics

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Tables 三 and 四 saved in the store fill the report of their year in place
// of the placeholder; a table failing 一 + 二 = （七） + 四 is refused whole,
// naming the column.
func TestStaffTablesFromTheStore(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	cfg := defaultConfig()
	before := report(t, st, cfg, 2022, "")
	md, _, _ := render(t, before)
	if !strings.Contains(md, "## 三、收到和处理政府信息公开申请情况\n\n"+Placeholder) {
		t.Error("without staff tables 三 should say " + Placeholder)
	}
	in, err := LoadStaff(filepath.Join("testdata", "staff.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2023, 1, 10, 9, 0, 0, 0, time.UTC)
	n, err := SaveStaffTables(ctx, st, 2022, in.Table3, in.Table4, "wang", "import staff.yaml", now)
	if err != nil || n == 0 {
		t.Fatalf("save: %d cells, %v", n, err)
	}
	after := report(t, st, cfg, 2022, "")
	if after.Err() != nil {
		t.Fatal(after.Err())
	}
	md, _, _ = render(t, after)
	for _, want := range []string{"本年度新收政府信息公开申请8件，上年结转1件，办结8件，结转下年度继续办理1件",
		"| 一、本年新收政府信息公开申请数量 | 6 | 1 | 0 | 0 | 0 | 1 | 8 |", "| 行政诉讼：未经复议直接起诉 | 0 | 0 | 0 | 1 | 1 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report from the store lacks %q", want)
		}
	}
	if strings.Contains(md, "申请情况\n\n"+Placeholder) {
		t.Error("table 三 entered but still a placeholder")
	}
	// Saved again unchanged: nothing logged. One column off: refused whole.
	if n, err := SaveStaffTables(ctx, st, 2022, in.Table3, in.Table4, "wang", "web", now); err != nil || n != 0 {
		t.Errorf("unchanged save: %d cells, %v", n, err)
	}
	bad := map[string][]int{}
	for k, v := range in.Table3 {
		bad[k] = append([]int(nil), v[:6]...)
	}
	delete(bad, "total")
	bad["new"][1] = 3 // 法人：商业企业 received 3, answered 1
	_, err = SaveStaffTables(ctx, st, 2022, bad, nil, "li", "web", now)
	ce, ok := errors.AsType[*CheckError](err)
	if !ok || !strings.Contains(err.Error(), "“法人或其他组织：商业企业”列") || !strings.Contains(err.Error(), "一+二") {
		t.Fatalf("unbalanced column: %v, want a check error naming 法人或其他组织：商业企业", err)
	}
	if len(ce.Problems) != 2 || ce.Problems[1].Column != "总计" {
		t.Errorf("problems %v, want the column and 总计", ce.Problems)
	}
	if t3, _, _ := StaffTables(ctx, st, 2022); t3["new"][1] != 1 {
		t.Errorf("refused save changed the store: new = %v", t3["new"])
	}
}
