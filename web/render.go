package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/analytics"
	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

//go:embed templates
var templateFS embed.FS

// day formats t as a Beijing date, or "" for the zero time.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(store.Beijing).Format("2006-01-02")
}

var templateFuncs = template.FuncMap{
	"channel": store.ChannelLabel,
	"day":     day,
	// snippet marks the indexer's highlighted snippet as HTML: the indexer
	// escapes the crawled text and adds only <mark> tags. No other crawled
	// text may be marked safe.
	"snippet":     func(s string) template.HTML { return template.HTML(s) },
	"percent":     func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"hasECharts":  hasECharts,
	"auditAction": auditActionLabel,
	"docURL":      func(id string) string { return "/doc/" + url.PathEscape(id) },
	"failure":     describeFailure,
	"validity":    validityBadge,
	"state":       analytics.StateLabel,
	"status":      analytics.StatusLabel,
	"cell":        analytics.CellText,
	"formatName":  func(f string) string { return reportFormatNames[f] },
	"attState":    store.AttachmentStateLabel,
	"upper":       strings.ToUpper,
	"size":        fileSize,
	// onlyAttachment: the query's words are in an attachment, not in the page
	"onlyAttachment": func(h indexer.Hit) bool {
		return h.Attachment != nil && !slices.Contains(h.MatchedIn, "title") && !slices.Contains(h.MatchedIn, "body")
	},
}

// parsePages parses every page template together with the layout.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, path := range names {
		name := strings.TrimPrefix(path, "templates/")
		if name == "layout.html" {
			continue
		}
		t, err := template.New(name).Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html", "templates/*.tmpl", path)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// view is what every page template receives; Page is the page's own data.
type view struct {
	Title string
	Nonce string
	Staff string // the logged-in user, or ""
	// Leader is set for a read-only account: the pages hide what it cannot use.
	Leader bool
	CSRF   string // the session's CSRF token, for the logout form
	Query  string // the text of the search box in the header
	Page   any
	Feed   *feedLink // the page's feed, for <link rel="alternate">; nil when it has none
	Site   config.Site
	// Elder is set when the visitor chose 长辈版 (larger type, higher contrast, one column).
	Elder bool
	// Size is the text size of document pages: l, m or s (/textsize).
	Size string
	// Here is the page's path and query, for links that come back to it.
	Here string
}

// render writes page name with the layout. Rendering goes to a buffer first
// so that a template error becomes a clean 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, page any) {
	v := view{Title: title, Nonce: nonceOf(r), Page: page, Query: r.URL.Query().Get("q"),
		Site: s.cfg.Site, Elder: elderMode(r), Size: textSize(r), Here: r.URL.RequestURI()}
	if p, ok := page.(interface{ FeedLink() *feedLink }); ok {
		v.Feed = p.FeedLink()
	}
	if sess := s.session(r); sess != nil {
		v.Staff, v.CSRF, v.Leader = sess.User, sess.CSRF, s.userLeader(sess.User)
	}
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		http.Error(w, "服务器内部错误", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.Error("render page", "template", name, "path", r.URL.Path, "err", err)
		http.Error(w, "服务器内部错误", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type errorView struct {
	Status  int
	Message string
}

// errorPage answers with an HTML error page.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "error.html", http.StatusText(status), errorView{Status: status, Message: msg})
}

// tooLarge answers 413 as JSON for the API and as a page elsewhere.
func (s *Server) tooLarge(w http.ResponseWriter, r *http.Request) {
	const msg = "请求内容过大"
	w.Header().Set("Connection", "close")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeError(w, http.StatusRequestEntityTooLarge, msg)
		return
	}
	s.errorPage(w, r, http.StatusRequestEntityTooLarge, msg)
}

// serverError logs err and answers 500 without showing the details.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.Error(what, "path", r.URL.Path, "err", err)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeError(w, http.StatusInternalServerError, "服务器内部错误")
		return
	}
	s.errorPage(w, r, http.StatusInternalServerError, "服务器内部错误，请稍后再试")
}

// writeJSON writes v as JSON; <, > and & are escaped, so crawled text stays inert.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeError writes {"error": msg} with status.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// fileSize writes a byte count as residents read it: 12.3 KB, 4.5 MB.
func fileSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d 字节", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
