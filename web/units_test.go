package web

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// TestUnits serves an installation of two units: the county view on the
// dashboard and in /api/stats, one unit's view, the upper portal's
// turned-away items of the unit, and an unknown unit refused.
func TestUnits(t *testing.T) {
	f := newFixture(t, func(c *config.Config) {
		c.Units = []config.Unit{{Name: "康大营镇"}, {Name: "城关镇",
			Targets: map[int]config.YearTarget{2015: {Channels: map[string]int{"portal": 12}}}}}
		c.Sources = []config.Source{{Name: "city-cgz", Kind: config.KindUpperPortal, Unit: "城关镇",
			Channel: store.ChannelUpperPortal, Match: config.Match{Names: []string{"城关镇"}}}}
	})
	ctx := context.Background()
	cgz := &store.Document{ID: "cgz-1", Source: "cgz", Channel: "portal", Unit: "城关镇", Title: "城关镇召开村务公开工作会议",
		Body: "城关镇召开会议。", Published: day2015(4, 1), Category: "工作动态"}
	if _, err := f.st.Upsert(ctx, cgz); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SaveMatchReject(ctx, &store.MatchReject{URL: "http://city.example/t1.html", Source: "city-cgz",
		Title: "各乡镇学习城关镇经验", Published: day2015(5, 1), Origin: "来源：市政府办公室",
		Reason: "标题提及“城关镇”，但来源、发布机构、作者均未写明本单位", Seen: day2015(5, 2)}); err != nil {
		t.Fatal(err)
	}
	sess, _ := f.login()
	var county struct {
		Unit  string
		Total int
		Units []struct {
			Unit     string
			Total    int
			Channels map[string]struct{ Count, Target int }
		}
	}
	decodeJSON(t, wantStatus(t, f.get("/api/stats?year=2015", sess), http.StatusOK), &county)
	if county.Unit != "" || len(county.Units) != 2 || county.Units[0].Total+county.Units[1].Total != county.Total ||
		county.Units[1].Unit != "城关镇" || county.Units[1].Total != 1 || county.Units[1].Channels["portal"].Target != 12 {
		t.Fatalf("county view %+v", county)
	}
	var one struct {
		Unit  string
		Total int
	}
	decodeJSON(t, wantStatus(t, f.get("/api/stats?year=2015&unit=城关镇", sess), http.StatusOK), &one)
	if one.Unit != "城关镇" || one.Total != 1 {
		t.Fatalf("城关镇 alone %+v", one)
	}
	wantJSONError(t, f.get("/api/stats?year=2015&unit=柳河镇", sess), http.StatusBadRequest)

	page := wantStatus(t, f.get("/staff?year=2015", sess), http.StatusOK)
	for _, want := range []string{`id="units"`, `id="unit-form"`, "全部单位", "城关镇", "1 / 12"} {
		if !strings.Contains(page, want) {
			t.Errorf("county dashboard lacks %q", want)
		}
	}
	page = wantStatus(t, f.get("/staff?year=2015&unit=城关镇", sess), http.StatusOK)
	for _, want := range []string{`id="rejects"`, "各乡镇学习城关镇经验", "标题提及“城关镇”", `name="unit" value="城关镇"`} {
		if !strings.Contains(page, want) {
			t.Errorf("城关镇's dashboard lacks %q", want)
		}
	}
	if page := wantStatus(t, f.get("/staff?year=2015&unit=康大营镇", sess), http.StatusOK); strings.Contains(page, `id="rejects"`) {
		t.Error("康大营镇's dashboard shows 城关镇's turned-away items")
	}
	wantStatus(t, f.get("/staff?unit=柳河镇", sess), http.StatusBadRequest)
	if page := wantStatus(t, f.get("/trends?year=2015&unit=城关镇", sess), http.StatusOK); !strings.Contains(page, "城关镇 · 2015") {
		t.Error("the trends page does not name the unit")
	}
}

// TestUnitManualEntries enters an offline entry for a unit: it is the
// unit's, listed on its dashboard and not on the other's.
func TestUnitManualEntries(t *testing.T) {
	f := newFixture(t, func(c *config.Config) {
		c.Units = []config.Unit{{Name: "康大营镇"}, {Name: "城关镇"}}
	})
	sess, csrf := f.login()
	form := url.Values{"csrf": {csrf}, "year": {"2015"}, "unit": {"城关镇"}, "date": {"2015-04-01"},
		"channel": {"board"}, "title": {"城关镇公开栏第二季度"}, "count": {"3"}}
	resp := f.postForm("/staff/manual", form, sess)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "unit=") {
		t.Fatalf("add: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	es, err := f.st.ManualEntries(context.Background(), day2015(1, 1), day2015(12, 31))
	if err != nil || len(es) != 1 || es[0].Unit != "城关镇" {
		t.Fatalf("entries %+v %v", es, err)
	}
	if page := wantStatus(t, f.get("/staff?year=2015&unit=城关镇", sess), http.StatusOK); !strings.Contains(page, "城关镇公开栏第二季度") {
		t.Error("城关镇's dashboard does not list its entry")
	}
	if page := wantStatus(t, f.get("/staff?year=2015&unit=康大营镇", sess), http.StatusOK); strings.Contains(page, "城关镇公开栏第二季度") {
		t.Error("康大营镇's dashboard lists 城关镇's entry")
	}
	form.Set("unit", "柳河镇")
	wantStatus(t, f.postForm("/staff/manual", form, sess), http.StatusBadRequest)
}

// TestUnitReportPage asks the report page and its download for one unit of
// two: the unit selector beside the year's, the unit's own totals (those of
// /api/stats?unit=), a download named for the unit; the county's report
// states the sum; an unknown unit is refused.
func TestUnitReportPage(t *testing.T) {
	f := newFixture(t, func(c *config.Config) {
		c.Units = []config.Unit{{Name: "康大营镇"}, {Name: "城关镇"}}
	})
	cgz := &store.Document{ID: "cgz-1", Source: "cgz", Channel: "portal", Unit: "城关镇", Title: "城关镇召开村务公开工作会议",
		Body: "城关镇召开会议。", Published: day2015(4, 1), Category: "工作动态"}
	if _, err := f.st.Upsert(context.Background(), cgz); err != nil {
		t.Fatal(err)
	}
	sess, _ := f.login()
	total := func(unit string) string {
		var s struct {
			Total       int `json:"total"`
			TotalUnique int `json:"total_unique"`
		}
		decodeJSON(t, wantStatus(t, f.get("/api/stats?year=2015&unit="+url.QueryEscape(unit), sess), http.StatusOK), &s)
		return fmt.Sprintf("共主动公开政府信息%d条（不同渠道公开相同信息计1条，计%d条）", s.Total, s.TotalUnique)
	}
	page := wantStatus(t, f.get("/staff/report?year=2015&unit="+url.QueryEscape("城关镇"), sess), http.StatusOK)
	for _, want := range []string{`id="year-form"`, `id="unit-form"`, `<option value="城关镇" selected>`, "年度报告 · 城关镇 · 2015 年",
		"城关镇2015年政府信息公开工作年度报告", total("城关镇"), `id="unit-tables"`} {
		if !strings.Contains(page, want) {
			t.Errorf("城关镇's report page lacks %q", want)
		}
	}
	resp := f.get("/staff/report?year=2015&format=md&unit="+url.QueryEscape("城关镇"), sess)
	md := wantStatus(t, resp, http.StatusOK)
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err != nil || params["filename"] != "gongkai-report-2015-城关镇.md" {
		t.Errorf("download named %q (%v)", resp.Header.Get("Content-Disposition"), err)
	}
	if !strings.HasPrefix(md, "# 城关镇2015年") || !strings.Contains(md, total("城关镇")) || total("城关镇") == total("") {
		t.Errorf("城关镇's report, want %s:\n%.600s", total("城关镇"), md)
	}
	county := wantStatus(t, f.get("/staff/report?year=2015&format=md", sess), http.StatusOK)
	if !strings.Contains(county, total("")) {
		t.Errorf("county report, want %s:\n%.600s", total(""), county)
	}
	wantStatus(t, f.get("/staff/report?year=2015&unit="+url.QueryEscape("柳河镇"), sess), http.StatusBadRequest)
}
