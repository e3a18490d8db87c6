package web

import (
	"net/http"
	"strings"

	"github.com/gongkai-project/gongkai/analytics/charts"
)

// routes registers every page and API endpoint. Patterns carry no method:
// allow answers other methods with 405 in the route's own format.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	page := func(pattern string, h http.HandlerFunc, methods ...string) {
		s.routeList = append(s.routeList, route{pattern, methods})
		mux.Handle(pattern, s.allow(h, false, methods...))
	}
	api := func(pattern string, h http.HandlerFunc, methods ...string) {
		s.routeList = append(s.routeList, route{pattern, methods})
		mux.Handle(pattern, s.allow(h, true, methods...))
	}
	get := http.MethodGet
	post := http.MethodPost

	page("/{$}", s.limitSearch(s.handleSearch, false), get)
	page(charts.SearchPath, s.limitSearch(s.handleSearch, false), get)
	page("/doc/{id}", s.handleDoc, get)
	page("/static/", s.handleStatic, get)
	page("/feed.xml", s.limitSearch(s.handleFeed, false), get)
	page("/feed.atom", s.limitSearch(s.handleFeed, false), get)
	page("/category/{name}", s.handleCategory, get)
	page("/category/{name}/feed.xml", s.limitSearch(s.handleCategoryFeed, false), get)
	page("/category/{name}/feed.atom", s.limitSearch(s.handleCategoryFeed, false), get)
	page("/sitemap.xml", s.handleSitemap, get)
	page("/sitemap/{file}", s.handleSitemapPart, get)
	page("/elder", s.handleElder, get)
	page("/textsize", s.handleTextSize, get)
	page("/robots.txt", s.handleRobots, get)
	page("/opensearch.xml", s.handleOpenSearch, get)
	page("/healthz", s.handleHealth, get)
	if s.cfg.Server.MetricsAddr == "" { // else on its own listener only (see Serve)
		page("/metrics", s.metricsHandler(false), get)
	}

	page("/staff/login", s.handleLogin, get, post)
	page("/staff/logout", s.loggedIn(s.handleLogout), post)
	page("/staff", s.staff(s.handleDashboard), get)
	page("/staff/manual", s.staff(s.handleManualAdd), post)
	page("/staff/manual/{id}/delete", s.staff(s.handleManualDelete), post)
	page("/staff/import", s.staff(s.handleImport), post)
	page("/staff/export/{name}", s.staff(s.handleExport), get)
	page("/staff/report", s.staff(s.handleReport), get)
	page("/staff/report/tables", s.editor(s.handleTables), get)
	page("/staff/report/tables/save", s.staff(s.handleTablesSave), post)
	page("/staff/thesaurus", s.editor(s.handleThesaurus), get)
	page("/staff/thesaurus/edit", s.staff(s.handleThesaurusSave), post)
	page("/staff/hot", s.editor(s.handleHot), get)
	page("/staff/bestbets", s.editor(s.handleBestBets), get)
	page("/staff/bestbets/edit", s.staff(s.handleBestBetsEdit), post)
	page("/staff/hot/edit", s.staff(s.handleHotEdit), post)
	page("/staff/audit", s.staff(s.handleAudit), get)
	page("/staff/purge", s.editor(s.handlePurge), post)
	page("/trends", s.staff(s.handleTrends), get)

	api("/api/search", s.limitSearch(s.handleAPISearch, true), get)
	api("/api/suggest", s.limitSearch(s.handleAPISuggest, true), get)
	api("/api/documents/{id}", s.handleAPIDocument, get)
	if s.cfg.Server.PublicStats {
		api("/api/stats", s.handleAPIStats, get)
	} else {
		api("/api/stats", s.staffAPI(s.handleAPIStats), get)
	}
	api("/api/openapi.json", s.handleOpenAPI, get)
	api("/api/manual", s.staffAPI(s.handleAPIManual), get)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "没有这个接口："+r.URL.Path)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusNotFound, "页面不存在")
	})
	return mux
}

// route is one registered pattern and its methods, kept so that tests can
// walk every route (a leader must be refused every mutating one).
type route struct {
	pattern string
	methods []string
}

// allow passes requests whose method is one of methods (HEAD counts as GET)
// and answers the others with 405 and an Allow header.
func (s *Server) allow(h http.HandlerFunc, api bool, methods ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := r.Method
		if m == http.MethodHead {
			m = http.MethodGet
		}
		for _, ok := range methods {
			if m == ok {
				h(w, r)
				return
			}
		}
		w.Header().Set("Allow", strings.Join(methods, ", "))
		if api {
			writeError(w, http.StatusMethodNotAllowed, "不支持的请求方法："+r.Method)
			return
		}
		s.errorPage(w, r, http.StatusMethodNotAllowed, "不支持的请求方法")
	})
}
