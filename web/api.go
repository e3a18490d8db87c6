package web

import (
	_ "embed"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

//go:embed openapi.json
var openAPIDoc []byte

// handleAPISearch answers /api/search with the indexer's Result as JSON.
func (s *Server) handleAPISearch(w http.ResponseWriter, r *http.Request) {
	q, err := parseAPIQuery(r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	res, err := s.idx.Search(r.Context(), q)
	if err == nil {
		res, err = s.withPins(r.Context(), q, res)
	}
	if err != nil {
		s.serverError(w, r, "api search "+q.Text, err)
		return
	}
	if res.Hits == nil { // "hits": [] rather than null
		res.Hits = []indexer.Hit{}
	}
	if res.Facets == nil {
		res.Facets = map[string][]indexer.FacetCount{}
	}
	writeJSON(w, http.StatusOK, res)
}

// suggestions is the /api/suggest answer.
type suggestions struct {
	Query       string   `json:"query"`
	Suggestions []string `json:"suggestions"`
}

// handleAPISuggest answers /api/suggest?q= with up to 8 completions.
func (s *Server) handleAPISuggest(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if !utf8.ValidString(q) || utf8.RuneCountInString(q) > maxQueryRunes {
		writeError(w, http.StatusBadRequest, "q 参数无效")
		return
	}
	out := suggestions{Query: q, Suggestions: []string{}}
	if q != "" {
		sug, err := s.suggest(r.Context(), q, 8)
		if err != nil {
			s.serverError(w, r, "api suggest "+q, err)
			return
		}
		out.Suggestions = append(out.Suggestions, sug...)
	}
	writeJSON(w, http.StatusOK, out)
}

// handleAPIDocument answers /api/documents/{id} with the stored document;
// its html is sanitised again on the way out.
func (s *Server) handleAPIDocument(w http.ResponseWriter, r *http.Request) {
	d, err := s.st.Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "没有这条信息："+r.PathValue("id"))
		return
	}
	if err != nil {
		s.serverError(w, r, "api document "+r.PathValue("id"), err)
		return
	}
	if d.Status == store.StatusRemoved {
		writeError(w, http.StatusGone, withdrawn+"："+d.ID)
		return
	}
	d.HTML = s.body.Sanitize(d.HTML)
	d.Validity = d.CurrentValidity() // 已废止 when a stored notice repeals it (repealed_by names the notice)
	out := apiDocument{Document: d, Attachments: []apiAttachment{}}
	for _, a := range d.Attachments {
		out.Attachments = append(out.Attachments, apiAttachment{Name: a.Name, URL: a.URL, Type: a.Type, Bytes: a.Bytes,
			Pages: a.Pages, State: a.State, Reason: a.Reason, Text: a.Text})
	}
	writeJSON(w, http.StatusOK, out)
}

// apiDocument is a document as /api/documents/{id} answers it: every field
// of the store's, with each attachment's fields always present.
type apiDocument struct {
	*store.Document
	Attachments []apiAttachment `json:"attachments"`
}

// apiAttachment is an attachment of apiDocument; state is "" until the
// crawler fetched the file (store.AttachmentStates).
type apiAttachment struct {
	Name   string `json:"name"`
	URL    string `json:"url"`
	Type   string `json:"type"`
	Bytes  int64  `json:"bytes"`
	Pages  int    `json:"pages"`
	State  string `json:"state"`
	Reason string `json:"reason,omitempty"`
	Text   string `json:"text"`
}

// handleOpenAPI serves the hand-written OpenAPI 3 description of the API.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPIDoc)
}

// manualJSON is a manual entry in the API.
type manualJSON struct {
	ID       int64  `json:"id"`
	Date     string `json:"date"`
	Channel  string `json:"channel"`
	Category string `json:"category"`
	Title    string `json:"title"`
	Count    int    `json:"count"`
	Note     string `json:"note"`
}

// handleAPIManual lists the manual entries of ?year= (staff only).
func (s *Server) handleAPIManual(w http.ResponseWriter, r *http.Request) {
	year, err := yearParam(r.URL.Query(), s.now().Year())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, store.Beijing)
	entries, err := s.st.ManualEntries(r.Context(), from, from.AddDate(1, 0, 0))
	if err != nil {
		s.serverError(w, r, "api manual entries", err)
		return
	}
	out := []manualJSON{}
	for _, e := range entries {
		out = append(out, manualJSON{ID: e.ID, Date: day(e.Date), Channel: e.Channel,
			Category: e.Category, Title: e.Title, Count: e.Count, Note: e.Note})
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": year, "entries": out})
}

// handleHealth answers 200 when the store answers: {"status":"ok"}, or
// {"status":"warming"} while the index still loads what some queries need.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if _, err := s.st.Count(r.Context()); err != nil {
		s.log.Error("health check", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "error"})
		return
	}
	if wm, ok := s.idx.(Warmer); ok && wm.Warming() {
		writeJSON(w, http.StatusOK, map[string]string{"status": "warming"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleAPIStats answers /api/stats?year=&unit= with the statistics JSON of
// `gongkai stats --json` (one unit, or with no unit all of them).
func (s *Server) handleAPIStats(w http.ResponseWriter, r *http.Request) {
	year, err := yearParam(r.URL.Query(), s.now().Year())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	unit, err := s.unit(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	st, err := s.stats.ComputeUnit(r.Context(), s.cfg, year, s.now(), unit)
	if err != nil {
		s.serverError(w, r, "api stats", err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}
