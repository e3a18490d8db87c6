package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/analytics"
	"github.com/gongkai-project/gongkai/store"
)

// dashboardView is the staff dashboard.
type dashboardView struct {
	Year     int
	Choice   yearChoice
	Units    unitChoice
	Stats    *analytics.YearStats
	Alerts   []analytics.StaleRow // scopes overdue or about to be
	Runs     []store.CrawlRun
	History  []alertEntry // alerts recorded and their delivery on each channel
	Failures []sourceFailures
	Manual   []store.ManualEntry
	// Rejects are the upper-portal items of the period that name a unit but
	// failed its match rule (at most maxRejectsShown), RejectsTotal all of them.
	Rejects      []store.MatchReject
	RejectsTotal int
	Channels     [][2]string // manual channels: code, name
	Categories   []string
	Today        string
	CSRF         string
	Notice       string
	Errors       []string // what was wrong with the submitted form or CSV file
	Form         manualForm
	Charts       []chartView
}

// sourceFailures are the pages of one source whose last fetch failed.
type sourceFailures struct {
	Source string
	States []store.CrawlState
	More   int // failures not shown
}

// manualForm is the entry form's values, kept when they were refused.
type manualForm struct{ Date, Channel, Category, Title, Count, Note, Unit string }

const (
	maxFailuresShown = 20
	maxRejectsShown  = 50
)

// handleDashboard shows the dashboard of ?year= (default analytics.DefaultYear).
func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	v := s.dashboardOrError(w, r)
	if v == nil {
		return
	}
	switch {
	case r.URL.Query().Has("imported"):
		v.Notice = "已导入 " + r.URL.Query().Get("imported") + " 条线下渠道记录"
	case r.URL.Query().Has("added"):
		v.Notice = "已添加一条线下渠道记录"
	case r.URL.Query().Has("deleted"):
		v.Notice = "已删除一条线下渠道记录"
	}
	s.render(w, r, http.StatusOK, "dashboard.html", "工作台", v)
}

// dashboardOrError gathers the dashboard, or answers the request itself (400
// for a parameter the client got wrong, else 500) and returns nil.
func (s *Server) dashboardOrError(w http.ResponseWriter, r *http.Request) *dashboardView {
	v, err := s.dashboard(r)
	if _, bad := errors.AsType[*badParam](err); bad {
		s.errorPage(w, r, http.StatusBadRequest, err.Error())
		return nil
	}
	if err != nil {
		s.serverError(w, r, "dashboard", err)
		return nil
	}
	return v
}

// dashboard gathers what the dashboard shows.
func (s *Server) dashboard(r *http.Request) (*dashboardView, error) {
	ctx := r.Context()
	now := s.now()
	year, err := s.year(r)
	if err != nil {
		return nil, err
	}
	v := &dashboardView{Year: year, Today: day(now), CSRF: sessionOf(r).CSRF,
		Categories: s.cfg.Categories.List, Form: manualForm{Date: day(now), Count: "1"}}
	if v.Choice, err = s.yearChoice(ctx, "/staff", year); err != nil {
		return nil, err
	}
	unit, err := s.unit(r)
	if err != nil {
		return nil, err
	}
	v.Units, v.Choice.Unit = s.unitChoice("/staff", year, unit), unit
	for _, code := range []string{store.ChannelBoard, store.ChannelScreen, store.ChannelReport} {
		v.Channels = append(v.Channels, [2]string{code, store.ChannelLabel(code)})
	}
	if v.Stats, err = s.stats.ComputeUnit(ctx, s.cfg, v.Year, now, unit); err != nil {
		return nil, err
	}
	for _, row := range v.Stats.Stale {
		if row.State != analytics.StateOK {
			v.Alerts = append(v.Alerts, row)
		}
	}
	if v.Runs, err = s.st.RecentRuns(ctx, 10); err != nil {
		return nil, err
	}
	if v.History, err = s.alertHistory(ctx); err != nil {
		return nil, err
	}
	if v.Failures, err = s.failures(r, v.Runs); err != nil {
		return nil, err
	}
	if v.Manual, err = s.st.ManualEntries(ctx, v.Stats.Period.From, v.Stats.Period.To); err != nil {
		return nil, err
	}
	if unit != "" {
		v.Manual = slices.DeleteFunc(v.Manual, func(e store.ManualEntry) bool { return e.Unit != unit })
	}
	if v.Rejects, v.RejectsTotal, err = s.st.MatchRejects(ctx, v.Stats.Period.From, v.Stats.Period.To, maxRejectsShown, s.unitSources(unit)...); err != nil {
		return nil, err
	}
	v.Charts = s.dashboardCharts(r, v.Stats)
	return v, nil
}

// failures lists the failing pages of the sources of the recent runs.
func (s *Server) failures(r *http.Request, runs []store.CrawlRun) ([]sourceFailures, error) {
	var out []sourceFailures
	seen := map[string]bool{}
	for _, run := range runs {
		if seen[run.Source] {
			continue
		}
		seen[run.Source] = true
		states, err := s.st.Failures(r.Context(), run.Source)
		if err != nil {
			return nil, err
		}
		if len(states) == 0 {
			continue
		}
		f := sourceFailures{Source: run.Source, States: states}
		if len(states) > maxFailuresShown {
			f.States, f.More = states[:maxFailuresShown], len(states)-maxFailuresShown
		}
		out = append(out, f)
	}
	return out, nil
}

// redisplay shows the dashboard again with the problems of a refused form.
func (s *Server) redisplay(w http.ResponseWriter, r *http.Request, form manualForm, problems []string) {
	v := s.dashboardOrError(w, r)
	if v == nil {
		return
	}
	v.Errors = problems
	if form != (manualForm{}) {
		v.Form = form
	}
	s.render(w, r, http.StatusBadRequest, "dashboard.html", "工作台", v)
}

// handleManualAdd stores one offline-channel entry from the dashboard form.
func (s *Server) handleManualAdd(w http.ResponseWriter, r *http.Request) {
	f := manualForm{
		Date: r.PostFormValue("date"), Channel: r.PostFormValue("channel"),
		Category: r.PostFormValue("category"), Title: r.PostFormValue("title"),
		Count: r.PostFormValue("count"), Note: r.PostFormValue("note"),
	}
	e, err := f.entry()
	if err == nil {
		f.Unit, err = s.unit(r)
		e.Unit = f.Unit // "" is the home unit
	}
	if err == nil {
		err = s.st.AddManual(r.Context(), e)
	}
	if err != nil {
		s.redisplay(w, r, f, []string{err.Error()})
		return
	}
	s.log.Info("manual entry added", "user", sessionOf(r).User, "id", e.ID, "channel", e.Channel, "unit", e.Unit)
	http.Redirect(w, r, withYear("/staff", formYear(r), unitValues(f.Unit, "added", "1"))+"#manual", http.StatusSeeOther)
}

// entry converts the form to a validated entry.
func (f manualForm) entry() (*store.ManualEntry, error) {
	date, err := parseDay(f.Date)
	if err != nil {
		return nil, err
	}
	n := 1
	if c := strings.TrimSpace(f.Count); c != "" {
		if n, err = strconv.Atoi(c); err != nil {
			return nil, errors.New("数量 " + strconv.Quote(c) + " 不是整数")
		}
	}
	e := &store.ManualEntry{Date: date, Channel: store.ChannelCode(f.Channel), Category: strings.TrimSpace(f.Category),
		Title: strings.TrimSpace(f.Title), Count: n, Note: strings.TrimSpace(f.Note)}
	return e, e.Validate()
}

// parseDay reads a date as staff write it: 2015-03-01, 2015/3/1 or 2015年3月1日.
func parseDay(s string) (time.Time, error) {
	if t, err := store.ParseDate(s); err == nil && !t.IsZero() {
		return t, nil
	}
	return time.Time{}, errors.New("日期 " + strconv.Quote(strings.TrimSpace(s)) + " 无法识别，应写作 2015-03-01")
}

// handleManualDelete deletes one offline-channel entry.
func (s *Server) handleManualDelete(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "记录编号无效")
		return
	}
	if err := s.st.DeleteManual(r.Context(), id); errors.Is(err, store.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "没有这条记录")
		return
	} else if errors.Is(err, store.ErrListed) {
		s.errorPage(w, r, http.StatusBadRequest, "这条记录来自单位的报送清单，请在清单中修改，下次抓取时生效")
		return
	} else if err != nil {
		s.serverError(w, r, "delete manual entry", err)
		return
	}
	s.log.Info("manual entry deleted", "user", sessionOf(r).User, "id", id)
	http.Redirect(w, r, withYear("/staff", formYear(r), url.Values{"deleted": {"1"}})+"#manual", http.StatusSeeOther)
}
