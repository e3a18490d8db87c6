package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// In the report season (January to March) the staff pages open on the year
// just closed, and every link and form keeps the year shown; later in the
// year they open on the current one. The clock is the server's, injected.
func TestYearSelectorDefaultsToTheYearJustClosed(t *testing.T) {
	f := newFixture(t, nil)
	sess, csrf := f.login()
	f.s.asOf = func() time.Time { return time.Date(2016, 2, 10, 9, 0, 0, 0, store.Beijing) }
	for _, path := range []string{"/staff", "/trends", "/staff/report"} {
		page := wantStatus(t, f.get(path, sess), http.StatusOK)
		for _, want := range []string{`id="year-form"`, `<option value="2015" selected>`, `<option value="2016">`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s in February 2016 lacks %s", path, want)
			}
		}
	}
	dash := wantStatus(t, f.get("/staff", sess), http.StatusOK)
	for _, want := range []string{"工作台 · 2015 年", `/staff/report?year=2015`, `/trends?year=2015`,
		`/staff/export/stats.xlsx?year=2015`, `name="year" value="2015"`} {
		if !strings.Contains(dash, want) {
			t.Errorf("dashboard in February 2016 lacks %s", want)
		}
	}
	if strings.Contains(dash, "year=2016") {
		t.Error("a dashboard link points at the new, empty year 2016")
	}
	// A form posted from the 2015 dashboard comes back to it.
	resp := f.postForm("/staff/manual", url.Values{"csrf": {csrf}, "year": {"2015"}, "date": {"2015-11-02"},
		"channel": {"board"}, "title": {"十一月村务公开栏"}, "count": {"1"}}, sess)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/staff?added=1&year=2015") {
		t.Errorf("manual entry from the 2015 dashboard: %d to %q, want back to year 2015", resp.StatusCode, loc)
	}
	f.s.asOf = func() time.Time { return time.Date(2016, 4, 1, 9, 0, 0, 0, store.Beijing) }
	if page := wantStatus(t, f.get("/staff", sess), http.StatusOK); !strings.Contains(page, "工作台 · 2016 年") {
		t.Error("from April 2016 the dashboard should open on 2016")
	}
	wantStatus(t, f.get("/staff/report?year=19", sess), http.StatusBadRequest)
}

// With statistics closing on 12-15, an entry of 12-20 belongs to the next
// year's period, and the dashboard lists it there, not under the calendar year.
func TestDashboardFollowsThePeriodEnd(t *testing.T) {
	f := newFixture(t, func(c *config.Config) { c.Analytics.PeriodEnd = "12-15" })
	sess, csrf := f.login()
	for _, e := range []struct{ date, title string }{{"2015-12-14", "十二月中旬公开栏"}, {"2015-12-20", "十二月下旬公开栏"}} {
		resp := f.postForm("/staff/manual", url.Values{"csrf": {csrf}, "year": {"2015"}, "date": {e.date},
			"channel": {"board"}, "title": {e.title}, "count": {"1"}}, sess)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add %s: %d", e.date, resp.StatusCode)
		}
		if loc := resp.Header.Get("Location"); !strings.Contains(loc, "year=2015") {
			t.Errorf("after adding, back to %s: the year is lost", loc)
		}
	}
	y2015 := wantStatus(t, f.get("/staff?year=2015", sess), http.StatusOK)
	y2016 := wantStatus(t, f.get("/staff?year=2016", sess), http.StatusOK)
	if !strings.Contains(y2015, "十二月中旬公开栏") || strings.Contains(y2015, "十二月下旬公开栏") {
		t.Error("2015 (closing 12-15) should list the entry of 12-14 and not the one of 12-20")
	}
	if !strings.Contains(y2016, "十二月下旬公开栏") {
		t.Error("2016 (from 2015-12-16) should list the entry of 12-20")
	}
}
