package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

// ThesaurusEditor is a Searcher whose thesaurus staff can edit: the server
// gives it the staff entries of the store at start and after every edit.
type ThesaurusEditor interface {
	BaseThesaurus() []indexer.Entry
	SetStaffThesaurus(staff []indexer.Entry)
}

// applyThesaurus loads the staff entries of the store into the search engine.
func (s *Server) applyThesaurus(ctx context.Context) error {
	if s.thes == nil {
		return nil
	}
	rows, err := s.st.ThesaurusEntries(ctx)
	if err != nil {
		return err
	}
	s.thes.SetStaffThesaurus(indexer.StaffEntries(rows))
	return nil
}

// thesaurusRow is one word on the staff page.
type thesaurusRow struct {
	Word, Official, Source string
	Base                   string // the built-in or config words a staff entry replaces
	Staff, Off             bool   // set by staff; switched off
	By, At                 string
}

// changeRow is one logged edit on the staff page.
type changeRow struct{ At, User, Word, Before, After string }

// officialText describes the official words of a log entry: nil is "none"
// (the word had no staff entry, or it was deleted), empty is switched off.
func officialText(ws *[]string, none string) string {
	switch {
	case ws == nil:
		return none
	case len(*ws) == 0:
		return "（停用）"
	}
	return strings.Join(*ws, "、")
}

// thesaurusView is the staff page of the thesaurus.
type thesaurusView struct {
	Q        string
	Rows     []thesaurusRow
	Total    int // rows matching Q
	Changes  []changeRow
	CSRF     string
	Notice   string
	Errors   []string
	Word     string // the form's values, kept when refused
	Official string
}

// maxThesaurusRows bounds the rows shown; a search narrows them.
const maxThesaurusRows = 200

var sourceNames = map[string]string{indexer.SourceBuiltin: "内置", indexer.SourceConfig: "配置文件", indexer.SourceStaff: "工作人员"}

// handleThesaurus lists the thesaurus, narrowed by q, with the latest changes.
func (s *Server) handleThesaurus(w http.ResponseWriter, r *http.Request) {
	v, err := s.thesaurusPage(r, r.URL.Query().Get("q"))
	if err != nil {
		s.serverError(w, r, "thesaurus", err)
		return
	}
	switch q := r.URL.Query(); {
	case q.Has("saved"):
		v.Notice = "已保存“" + q.Get("saved") + "”，检索立即生效"
	case q.Has("deleted"):
		v.Notice = "已删除工作人员对“" + q.Get("deleted") + "”的设置，检索立即生效"
	case q.Has("off"):
		v.Notice = "已停用“" + q.Get("off") + "”，检索立即生效"
	}
	s.render(w, r, http.StatusOK, "thesaurus.html", "同义词表", v)
}

func (s *Server) thesaurusPage(r *http.Request, q string) (*thesaurusView, error) {
	if s.thes == nil {
		return nil, fmt.Errorf("the search engine has no editable thesaurus")
	}
	staff, err := s.st.ThesaurusEntries(r.Context())
	if err != nil {
		return nil, err
	}
	changes, err := s.st.ThesaurusLog(r.Context(), 20)
	if err != nil {
		return nil, err
	}
	v := &thesaurusView{Q: strings.TrimSpace(q), CSRF: sessionOf(r).CSRF}
	for _, c := range changes {
		v.Changes = append(v.Changes, changeRow{At: c.At.Format("2006-01-02 15:04"), User: c.User, Word: c.Word,
			Before: officialText(c.Before, "—"), After: officialText(c.After, "（删除）")})
	}
	for _, row := range thesaurusRows(s.thes.BaseThesaurus(), staff) {
		if v.Q != "" && !strings.Contains(row.Word, v.Q) && !strings.Contains(row.Official, v.Q) && !strings.Contains(row.Base, v.Q) {
			continue
		}
		v.Total++
		if len(v.Rows) < maxThesaurusRows {
			v.Rows = append(v.Rows, row)
		}
	}
	// staff entries first, newest first; then the list in file order
	slices.SortStableFunc(v.Rows, func(a, b thesaurusRow) int {
		switch {
		case a.Staff && b.Staff:
			return strings.Compare(b.At, a.At)
		case a.Staff:
			return -1
		case b.Staff:
			return 1
		}
		return 0
	})
	return v, nil
}

// thesaurusRows returns a row for every word of the built-in thesaurus (its
// entries joined, in file order) and of the staff entries, which replace a
// built-in word's official words (kept as Base) or follow as new words.
func thesaurusRows(builtIn []indexer.Entry, staff []store.ThesaurusEntry) []thesaurusRow {
	base := map[string][]string{}
	var order []string
	source := map[string]string{}
	for _, e := range builtIn {
		if _, ok := base[e.Word]; !ok {
			order = append(order, e.Word)
			source[e.Word] = sourceNames[e.Source]
		}
		base[e.Word] = append(base[e.Word], e.Official...)
	}
	rows := map[string]thesaurusRow{}
	for _, w := range order {
		rows[w] = thesaurusRow{Word: w, Official: strings.Join(base[w], "、"), Source: source[w]}
	}
	for _, e := range staff {
		row := thesaurusRow{Word: e.Word, Official: strings.Join(e.Official, "、"), Source: sourceNames[indexer.SourceStaff],
			Staff: true, Off: len(e.Official) == 0, By: e.UpdatedBy, At: e.UpdatedAt.Format("2006-01-02 15:04")}
		if b, ok := base[e.Word]; ok {
			row.Base = strings.Join(b, "、")
		} else {
			order = append(order, e.Word)
		}
		rows[e.Word] = row
	}
	out := make([]thesaurusRow, len(order))
	for i, w := range order {
		out[i] = rows[w]
	}
	return out
}

// handleThesaurusSave sets the official words of a word ("save"), switches a
// word off ("off") or removes the staff entry of a word ("delete"), then
// applies the staff entries to the running search.
func (s *Server) handleThesaurusSave(w http.ResponseWriter, r *http.Request) {
	if s.thes == nil {
		s.errorPage(w, r, http.StatusNotFound, "检索引擎不支持同义词表")
		return
	}
	word := indexer.NormalizeWord(r.PostFormValue("word"))
	official := splitOfficial(r.PostFormValue("official"))
	user, now := sessionOf(r).User, time.Now() // when it was changed, not the statistics' "today"
	action := r.PostFormValue("action")
	var done string
	err := func() error {
		s.thesMu.Lock() // one edit at a time, so the last applied is the last stored
		defer s.thesMu.Unlock()
		var err error
		switch action {
		case "save":
			if err = indexer.CheckEntry(word, official); err != nil {
				return fmt.Errorf("无法保存：%w", err)
			}
			err, done = s.st.PutThesaurusEntry(r.Context(), user, word, official, now), "saved"
		case "off":
			if word == "" {
				return fmt.Errorf("无法停用：缺少词语")
			}
			err, done = s.st.PutThesaurusEntry(r.Context(), user, word, nil, now), "off"
		case "delete":
			var found bool
			if found, err = s.st.DeleteThesaurusEntry(r.Context(), user, word, now); err == nil && !found {
				return fmt.Errorf("“%s”没有工作人员的设置", word)
			}
			done = "deleted"
		default:
			return fmt.Errorf("未知操作 %q", action)
		}
		if err == nil {
			err = s.applyThesaurus(r.Context())
		}
		return err
	}()
	if err != nil {
		s.log.Info("thesaurus edit refused", "user", user, "word", word, "action", action, "err", err)
		v, perr := s.thesaurusPage(r, "")
		if perr != nil {
			s.serverError(w, r, "thesaurus", perr)
			return
		}
		v.Errors, v.Word, v.Official = []string{err.Error()}, word, r.PostFormValue("official")
		s.render(w, r, http.StatusBadRequest, "thesaurus.html", "同义词表", v)
		return
	}
	s.log.Info("thesaurus edited", "user", user, "word", word, "action", action, "official", official)
	http.Redirect(w, r, "/staff/thesaurus?"+done+"="+url.QueryEscape(word), http.StatusSeeOther)
}

// splitOfficial reads official words separated by 、，, | or spaces.
func splitOfficial(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return r == '、' || r == '，' || r == ',' || r == '|' || r == ' ' || r == '　' || r == '\n' || r == '\r' || r == '\t'
	}) {
		if w = indexer.NormalizeWord(w); w != "" && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}
