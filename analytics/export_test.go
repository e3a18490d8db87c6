package analytics

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

func exportStats(t *testing.T) *YearStats {
	st := openStore(t)
	put(t, st, series("portal", "portal", "乡镇要闻", "工作动态", bj(2015, 1, 5, 9, 0), 56)...)
	put(t, st, series("wechat", "wechat", "康大营镇发布", "村务公开", bj(2015, 6, 1, 9, 0), 20)...)
	addManual(t, st, store.ManualEntry{Date: bj(2015, 6, 1, 0, 0), Channel: "report", Category: "工作动态", Title: "信息报送", Count: 36})
	cfg := defaultConfig()
	cfg.Targets[2015] = config.YearTarget{PeriodEnd: "12-15", Channels: map[string]int{"portal": 56, "wechat": 20},
		Categories: map[string]int{"村务公开": 12}, Months: map[string]map[string]int{"01": {"portal": 10}}}
	return compute(t, st, cfg, 2015, bj(2015, 12, 20, 0, 0))
}

func TestStatsJSONContract(t *testing.T) {
	s := exportStats(t)
	var buf bytes.Buffer
	if err := s.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var j struct {
		Year     int    `json:"year"`
		AsOf     string `json:"as_of"`
		Period   struct{ From, To string }
		Total    int `json:"total"`
		Unique   int `json:"total_unique"`
		Channels map[string]struct {
			Count, Target int
			Status        string
		}
		Categories map[string]struct {
			Count, Target int
			Status        string
		}
		Months map[string]map[string]int
		Stale  []struct {
			Scope, Last, State string
			Days               int
			LimitDays          int `json:"limit_days"`
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &j); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if j.Year != 2015 || j.AsOf != "2015-12-20" || j.Period.From != "2015-01-01" || j.Period.To != "2015-12-15" {
		t.Errorf("header %+v", j)
	}
	if j.Total != 112 || j.Unique != 112 {
		t.Errorf("total %d unique %d", j.Total, j.Unique)
	}
	if c := j.Channels["portal"]; c.Count != 56 || c.Target != 56 || c.Status != StatusMet {
		t.Errorf("portal %+v", c)
	}
	if c := j.Channels["wechat"]; c.Count != 20 || c.Target != 20 || c.Status != StatusMet {
		t.Errorf("wechat %+v", c)
	}
	if c := j.Categories["村务公开"]; c.Count != 20 || c.Status != StatusMet {
		t.Errorf("村务公开 %+v", c)
	}
	if len(j.Months) != 12 || j.Months["2015-06"]["wechat"] != 20 || j.Months["2015-06"]["report"] != 36 {
		t.Errorf("months %v", j.Months)
	}
	if m, ok := j.Months["2015-11"]; !ok || m["portal"] != 0 || len(m) != 3 {
		t.Errorf("a month without items lists every channel with 0: %v", m)
	}
	if len(j.Stale) == 0 || j.Stale[0].Scope != "首页" || j.Stale[0].Last == "" || j.Stale[0].LimitDays != 14 {
		t.Errorf("stale %+v", j.Stale)
	}
	for _, key := range []string{`"months":{"2015-01":`, `"month_targets":[{`, `"disclosure":{`, `"limit_days":14`} {
		if !strings.Contains(strings.Join(strings.Fields(buf.String()), ""), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}

func TestStatsCSVAndXLSX(t *testing.T) {
	s := exportStats(t)
	var buf bytes.Buffer
	if err := s.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(&buf)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, rec := range recs {
		if len(rec) > 4 && rec[0] == "政府网站" && rec[1] == "portal" && rec[2] == "56" && rec[len(rec)-1] == "达标" {
			found = true
		}
	}
	if !found {
		t.Errorf("CSV lacks the portal row:\n%v", recs)
	}

	buf.Reset()
	if err := s.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("read back xlsx: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != len(s.Tables()) || got[1] != "渠道" {
		t.Errorf("sheets %v", got)
	}
	v, err := f.GetCellValue("渠道", "C2")
	if err != nil || v != "56" {
		t.Errorf("渠道!C2 = %q, %v; want 56", v, err)
	}
	if typ, _ := f.GetCellType("渠道", "C2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("counts must be numbers, got cell type %v", typ)
	}
	rows, err := f.GetRows("月份")
	if err != nil || len(rows) != 13 || rows[0][0] != "月份" {
		t.Errorf("月份 sheet %v %v", rows, err)
	}

	buf.Reset()
	if err := s.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "政府网站") || !strings.Contains(buf.String(), "2015-01-01 至 2015-12-15") {
		t.Errorf("text output:\n%s", buf.String())
	}
}
