package analytics

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/gongkai-project/gongkai/store"
)

func TestAdoption(t *testing.T) {
	st := openStore(t)
	cfg := defaultConfig()
	put(t, st, series("city", store.ChannelUpperPortal, "部门动态", "工作动态", bj(2015, 12, 20, 9, 0), 15)...) // 12 in 2015, 3 in 2016
	put(t, st, series("own", store.ChannelPortal, "工作动态", "工作动态", bj(2015, 3, 1, 9, 0), 4)...)
	addManual(t, st, store.ManualEntry{Date: bj(2015, 4, 1, 0, 0), Channel: store.ChannelReport, Title: "报送信息", Count: 5})
	addManual(t, st, store.ManualEntry{Date: bj(2015, 9, 1, 0, 0), Channel: store.ChannelReport, Title: "报送信息", Count: 3})
	addManual(t, st, store.ManualEntry{Date: bj(2016, 1, 5, 0, 0), Channel: store.ChannelReport, Title: "下一年", Count: 9})
	s, err := Compute(context.Background(), st, cfg, 2015, bj(2016, 3, 1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	a := s.Adoption
	if a.Sent != 8 || a.Adopted != 12 || a.Rate != 1.5 || len(a.Items) != 12 || a.Items[0].Published != "2015-12-20" {
		t.Fatalf("adoption: %+v", a)
	}
	// The upper portal's items are not the township's publications.
	if s.Counts.Total != 4+8 || s.Counts.Channels[store.ChannelUpperPortal] != 0 {
		t.Errorf("counts include adopted items: total %d, channels %v", s.Counts.Total, s.Counts.Channels)
	}
	if got := adoptionSentence(s); got != "全年报送信息8条，被上级门户采用12条。" {
		t.Errorf("report sentence %q", got)
	}
	var buf bytes.Buffer
	if err := s.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var j struct {
		Adoption struct {
			Sent, Adopted int
			Rate          float64
			Items         []map[string]string
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &j); err != nil || j.Adoption.Sent != 8 || j.Adoption.Adopted != 12 || j.Adoption.Items[0]["title"] == "" {
		t.Fatalf("JSON: %v %+v", err, j.Adoption)
	}
}
