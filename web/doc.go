package web

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

type docView struct {
	Doc        *store.Document
	Meta       []metaRow
	Body       template.HTML // sanitised again at render
	Paragraphs []string      // the plain body, when there is no HTML
	Related    []indexer.Hit
	RepealedBy *store.Document // the stored notice that repeals the document, if any
}

// withdrawn is what a document removed at its source or purged shows (410).
const withdrawn = "该信息已撤下"

// Sizes are the text sizes the page offers (code, label).
func (docView) Sizes() [][2]string { return textSizes }

type metaRow struct{ Label, Value string }

// handleDoc shows one document: metadata table, body, attachments, a link
// to the original and related documents.
func (s *Server) handleDoc(w http.ResponseWriter, r *http.Request) {
	d, err := s.st.Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "没有找到这条信息，它可能已被删除")
		return
	}
	if err != nil {
		s.serverError(w, r, "get document "+r.PathValue("id"), err)
		return
	}
	if d.Status == store.StatusRemoved { // withdrawn at the source, or purged by staff
		s.errorPage(w, r, http.StatusGone, withdrawn)
		return
	}
	v := docView{Doc: d, Meta: metaRows(d)}
	if d.RepealedBy != "" {
		if v.RepealedBy, err = s.st.Get(r.Context(), d.RepealedBy); err != nil {
			s.log.Warn("repealing notice", "id", d.ID, "by", d.RepealedBy, "err", err)
		}
	}
	if strings.TrimSpace(d.HTML) != "" {
		// The crawler sanitised d.HTML already; sanitise again (defence in
		// depth), after remote images became links (see offsiteImages).
		v.Body = template.HTML(s.body.Sanitize(offsiteImages(d.HTML)))
	} else {
		v.Paragraphs = paragraphs(d.Body)
	}
	if v.Related, err = s.related(r.Context(), d.ID, 5); err != nil {
		s.log.Warn("related documents", "id", d.ID, "err", err)
	}
	s.render(w, r, http.StatusOK, "doc.html", d.Title, v)
}

// metaRows is the 政务公开 metadata table of d; unknown values show as "—".
func metaRows(d *store.Document) []metaRow {
	rows := []metaRow{
		{"索引号", d.IndexNumber},
		{"发布机构", d.Publisher},
		{"文号", d.DocNumber},
		{"成文日期", day(d.Written)},
		{"发布日期", day(d.Published)},
		{"主题分类", d.Subject},
		{"本站分类", d.Category},
		{"渠道", store.ChannelLabel(d.Channel)},
		{"有效性", d.CurrentValidity()},
	}
	for i := range rows {
		if strings.TrimSpace(rows[i].Value) == "" {
			rows[i].Value = "—"
		}
	}
	return rows
}

// paragraphs splits plain text into its non-empty lines.
func paragraphs(body string) []string {
	var out []string
	for _, line := range strings.Split(body, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// badge is how a validity is shown: its text and a CSS class.
type badge struct{ Text, Class string }

// validityClasses are the CSS classes of the validity badges; 未注明 has none.
var validityClasses = map[string]string{
	store.ValidityCurrent: "v-current", store.ValidityModified: "v-modified",
	store.ValidityRepealed: "v-repealed", store.ValidityExpired: "v-expired",
}

// validityBadge returns the badge of a validity, or nil for 未注明 and "".
func validityBadge(v string) *badge {
	c, ok := validityClasses[v]
	if !ok {
		return nil
	}
	return &badge{Text: v, Class: c}
}
