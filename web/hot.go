package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// hotView is the staff page that moderates the hot searches.
type hotView struct {
	Days, MinClients, Retention int
	Rows                        []store.QueryCount
	Hidden                      []hiddenRow
	CSRF, Notice                string
}

type hiddenRow struct{ Query, By, At string }

// maxHotRows bounds the searches listed for moderation.
const maxHotRows = 50

// hotQueries returns the hot searches of the home page, as refreshHot last
// found them.
func (s *Server) hotQueries() []store.QueryCount {
	if hot := s.hot.Load(); hot != nil {
		return *hot
	}
	return nil
}

// refreshHot recomputes the hot searches of the home page: the queries of
// the last Search.HotDays days that found something, searched by at least
// Search.HotMinClients clients, that staff did not hide. It runs when the
// server starts, after the query log is written or pruned and after staff
// hide or show a query, not on every page view; on an error the previous
// list stays.
func (s *Server) refreshHot(ctx context.Context) {
	s.hotMu.Lock() // one at a time, so the list stored last is the newest
	defer s.hotMu.Unlock()
	hot, err := s.st.HotQueries(ctx, s.now().AddDate(0, 0, -s.cfg.Search.HotDays), s.cfg.Search.HotMinClients, 10)
	if err != nil {
		s.log.Warn("hot queries", "err", err)
		return
	}
	s.hot.Store(&hot)
}

// handleHot lists the most searched queries with their clients, which of
// them show on the home page, and the hidden ones.
func (s *Server) handleHot(w http.ResponseWriter, r *http.Request) {
	s.queries.sync() // what was just searched shows
	v := hotView{Days: s.cfg.Search.HotDays, MinClients: s.cfg.Search.HotMinClients,
		Retention: s.cfg.Search.QueryLogDays, CSRF: sessionOf(r).CSRF}
	var err error
	if v.Rows, err = s.st.QueryCounts(r.Context(), s.now().AddDate(0, 0, -v.Days), maxHotRows); err != nil {
		s.serverError(w, r, "hot searches", err)
		return
	}
	hidden, err := s.st.HiddenQueries(r.Context())
	if err != nil {
		s.serverError(w, r, "hidden searches", err)
		return
	}
	for _, h := range hidden {
		v.Hidden = append(v.Hidden, hiddenRow{h.Query, h.By, h.At.Format("2006-01-02 15:04")})
	}
	switch q := r.URL.Query(); {
	case q.Has("hidden"):
		v.Notice = "已从热门搜索中隐藏“" + q.Get("hidden") + "”"
	case q.Has("shown"):
		v.Notice = "已恢复显示“" + q.Get("shown") + "”"
	}
	s.render(w, r, http.StatusOK, "hot.html", "热门搜索管理", v)
}

// handleHotEdit hides a query from the hot searches ("hide") or shows it
// again ("show").
func (s *Server) handleHotEdit(w http.ResponseWriter, r *http.Request) {
	query := strings.TrimSpace(r.PostFormValue("query"))
	if query == "" {
		s.errorPage(w, r, http.StatusBadRequest, "缺少要处理的搜索词")
		return
	}
	user := sessionOf(r).User
	var err error
	var done string
	switch r.PostFormValue("action") {
	case "hide":
		err, done = s.st.HideQuery(r.Context(), query, user, time.Now()), "hidden"
	case "show":
		err, done = s.st.UnhideQuery(r.Context(), query), "shown"
	default:
		s.errorPage(w, r, http.StatusBadRequest, "未知操作")
		return
	}
	if err != nil {
		s.serverError(w, r, "hot searches "+done, err)
		return
	}
	s.refreshHot(r.Context())
	s.log.Info("hot search moderated", "user", user, "action", done, "query", query)
	http.Redirect(w, r, "/staff/hot?"+url.Values{done: {query}}.Encode(), http.StatusSeeOther)
}
