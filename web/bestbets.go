package web

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/indexer/chinese"
	"github.com/gongkai-project/gongkai/store"
)

// pinKey folds a query as the search does before it looks up its pins:
// full-width forms to ASCII, lower case, traditional to simplified, runs of
// spaces (full-width too) to one, surrounding spaces trimmed.
func (s *Server) pinKey(q string) string {
	q = strings.Join(strings.Fields(strings.ToLower(chinese.FoldWidth(q))), " ")
	q, _ = s.t2s.Convert(q)
	return q
}

// bestBetsCache holds what every search needs of the best bets, so that a
// search asks the store only for a query that has pins: the 大家常问 topics
// and the set of pinned (folded) queries. Only handleBestBetsEdit changes
// them, and it reloads the cache after each edit.
type bestBetsCache struct {
	mu  sync.Mutex // one reload at a time, so the last one stored is the newest
	cur atomic.Pointer[bestBetsState]
}

type bestBetsState struct {
	topics []string
	pinned map[string]bool
}

// reloadBestBets reads the topics and the pinned queries into the cache.
func (s *Server) reloadBestBets(ctx context.Context) error {
	s.bets.mu.Lock()
	defer s.bets.mu.Unlock()
	ts, err := s.st.Topics(ctx)
	if err != nil {
		return err
	}
	pins, err := s.st.BestBets(ctx)
	if err != nil {
		return err
	}
	st := &bestBetsState{topics: make([]string, 0, len(ts)), pinned: make(map[string]bool, len(pins))}
	for _, t := range ts {
		st.topics = append(st.topics, t.Query)
	}
	for _, p := range pins {
		st.pinned[p.Query] = true
	}
	s.bets.cur.Store(st)
	return nil
}

// pinsApply says whether pinned results go before the hits of q: only on
// the first page of a query without filters (a pin ignores the filters, so
// a filtered search shows only what matches them).
func pinsApply(q indexer.Query) bool {
	return strings.TrimSpace(q.Text) != "" && q.Offset == 0 && len(q.After) == 0 &&
		q.Category == "" && q.Channel == "" && q.Publisher == "" && q.Validity == "" && q.Unit == "" && q.Attachment == "" &&
		q.From.IsZero() && q.To.IsZero()
}

// withPins returns res with the documents pinned to q first, marked Pinned,
// and not again among the other hits. Pins of documents removed at their
// source or purged are left out. res itself is not changed.
func (s *Server) withPins(ctx context.Context, q indexer.Query, res *indexer.Result) (*indexer.Result, error) {
	if !pinsApply(q) {
		return res, nil
	}
	key := s.pinKey(q.Text)
	if !s.bets.cur.Load().pinned[key] {
		return res, nil
	}
	pins, err := s.st.PinnedFor(ctx, key)
	if err != nil || len(pins) == 0 {
		return res, err
	}
	var hits []indexer.Hit
	seen := map[string]bool{}
	for _, p := range pins {
		d, err := s.st.Get(ctx, p.DocID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("pinned document of %q: %w", q.Text, err)
		}
		if d.Status != store.StatusLive {
			continue
		}
		seen[d.ID] = true
		hits = append(hits, pinnedHit(d))
	}
	if len(hits) == 0 {
		return res, nil
	}
	out := *res
	for _, h := range res.Hits {
		if !seen[h.ID] {
			hits = append(hits, h)
		}
	}
	out.Hits = hits
	return &out, nil
}

// pinnedSnippetRunes bounds the opening of the body shown under a pin.
const pinnedSnippetRunes = 120

// pinnedHit is the hit of a pinned document: its snippet is the escaped
// opening of its body.
func pinnedHit(d *store.Document) indexer.Hit {
	body := strings.Join(strings.Fields(d.Body), " ")
	if utf8.RuneCountInString(body) > pinnedSnippetRunes {
		body = string([]rune(body)[:pinnedSnippetRunes]) + "…"
	}
	return indexer.Hit{ID: d.ID, Title: d.Title, URL: d.URL, Published: d.Published, Category: d.Category,
		Channel: d.Channel, Publisher: d.Publisher, Validity: d.Validity, Snippet: html.EscapeString(body), MatchedIn: []string{}, Pinned: true}
}

// topicList returns the 大家常问 topics for the search page.
func (s *Server) topicList() []string {
	return s.bets.cur.Load().topics
}

// bestBetsView is the staff page of the topics and best bets.
type bestBetsView struct {
	Topics  []topicRow
	Pins    []pinRow
	Changes []store.AuditEntry
	CSRF    string
	Notice  string
	Errors  []string
	Query   string // the pin form's values, kept when refused
	Doc     string
	Topic   string
}

type topicRow struct{ Query, By, At string }

type pinRow struct {
	Query, DocID, Title, By, At string
	Gone                        bool // removed at its source or purged: not shown to residents
}

// bestBetsLog is how many edits the staff page lists.
const bestBetsLog = 30

// handleBestBets lists the topics, the pins and the latest edits.
func (s *Server) handleBestBets(w http.ResponseWriter, r *http.Request) {
	v, err := s.bestBetsPage(r)
	if err != nil {
		s.serverError(w, r, "best bets", err)
		return
	}
	q := r.URL.Query()
	for _, k := range []string{"pinned", "unpinned", "added", "removed"} {
		if q.Has(k) {
			v.Notice = map[string]string{"pinned": "已置顶", "unpinned": "已取消置顶", "added": "已添加常问", "removed": "已删除常问"}[k] +
				"“" + q.Get(k) + "”，立即生效"
		}
	}
	s.render(w, r, http.StatusOK, "bestbets.html", "常问与置顶", v)
}

func (s *Server) bestBetsPage(r *http.Request) (*bestBetsView, error) {
	ctx := r.Context()
	v := &bestBetsView{CSRF: sessionOf(r).CSRF}
	topics, err := s.st.Topics(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range topics {
		row := topicRow{Query: t.Query, By: t.AddedBy, At: "—"}
		if row.By == "" {
			row.By = "内置"
		}
		if !t.AddedAt.IsZero() {
			row.At = t.AddedAt.Format("2006-01-02 15:04")
		}
		v.Topics = append(v.Topics, row)
	}
	pins, err := s.st.BestBets(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range pins {
		row := pinRow{Query: p.Query, DocID: p.DocID, By: p.PinnedBy, At: p.PinnedAt.Format("2006-01-02 15:04")}
		d, err := s.st.Get(ctx, p.DocID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			row.Gone = true
		case err != nil:
			return nil, err
		default:
			row.Title, row.Gone = d.Title, d.Status != store.StatusLive
		}
		v.Pins = append(v.Pins, row)
	}
	v.Changes, err = s.st.AuditLog(ctx, bestBetsLog, store.AuditPin, store.AuditUnpin, store.AuditTopicAdd, store.AuditTopicRemove)
	return v, err
}

// docIDOf reads a document id, or the address of its page on this site
// (…/doc/ID), as staff paste it.
func docIDOf(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "/doc/"); i >= 0 {
		s = s[i+len("/doc/"):]
		if j := strings.IndexAny(s, "?#/"); j >= 0 {
			s = s[:j]
		}
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
	}
	return s
}

// handleBestBetsEdit pins a document to a query ("pin"), unpins it
// ("unpin"), adds a topic ("topic_add") or removes one ("topic_remove").
func (s *Server) handleBestBetsEdit(w http.ResponseWriter, r *http.Request) {
	user, now := sessionOf(r).User, time.Now()
	action := r.PostFormValue("action")
	query := s.pinKey(r.PostFormValue("query"))
	doc := docIDOf(r.PostFormValue("doc"))
	topic := strings.Join(strings.Fields(r.PostFormValue("topic")), " ")
	var done, what string
	var err error
	switch action {
	case "pin", "unpin":
		what = query
		done, err = s.editPin(r.Context(), user, action == "pin", query, doc, now)
	case "topic_add", "topic_remove":
		what = topic
		done, err = s.editTopic(r.Context(), user, action == "topic_add", topic, now)
	default:
		err = fmt.Errorf("未知操作 %q", action)
	}
	if err != nil {
		s.log.Info("best bets edit refused", "user", user, "action", action, "query", query, "doc", doc, "topic", topic, "err", err)
		v, perr := s.bestBetsPage(r)
		if perr != nil {
			s.serverError(w, r, "best bets", perr)
			return
		}
		v.Errors, v.Query, v.Doc, v.Topic = []string{err.Error()}, r.PostFormValue("query"), r.PostFormValue("doc"), r.PostFormValue("topic")
		s.render(w, r, http.StatusBadRequest, "bestbets.html", "常问与置顶", v)
		return
	}
	if err := s.reloadBestBets(r.Context()); err != nil {
		s.serverError(w, r, "best bets reload", err)
		return
	}
	s.log.Info("best bets edited", "user", user, "action", action, "query", query, "doc", doc, "topic", topic)
	http.Redirect(w, r, "/staff/bestbets?"+url.Values{done: {what}}.Encode(), http.StatusSeeOther)
}

// editPin pins doc to query (pin) or unpins it, and returns what was done
// ("pinned" or "unpinned"); a refusal is an error for the form, in Chinese.
func (s *Server) editPin(ctx context.Context, user string, pin bool, query, doc string, now time.Time) (string, error) {
	if query == "" || doc == "" {
		return "", fmt.Errorf("请填写搜索词和信息编号")
	}
	if utf8.RuneCountInString(query) > maxQueryRunes {
		return "", fmt.Errorf("搜索词太长（最多 %d 字）", maxQueryRunes)
	}
	if !pin {
		ok, err := s.st.Unpin(ctx, user, query, doc, now)
		if err == nil && !ok {
			return "", fmt.Errorf("“%s”没有置顶这条信息", query)
		}
		return "unpinned", err
	}
	ok, err := s.st.Pin(ctx, user, query, doc, now)
	if errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("没有这条信息，或它已被撤下：%s", doc)
	}
	if err == nil && !ok {
		return "", fmt.Errorf("这条信息已经置顶在“%s”", query)
	}
	return "pinned", err
}

// editTopic adds topic to the home page's 大家常问 (add) or removes it, and
// returns what was done ("added" or "removed"); a refusal is an error for
// the form, in Chinese.
func (s *Server) editTopic(ctx context.Context, user string, add bool, topic string, now time.Time) (string, error) {
	if topic == "" {
		return "", fmt.Errorf("请填写常问的词")
	}
	if utf8.RuneCountInString(topic) > maxQueryRunes {
		return "", fmt.Errorf("常问的词太长（最多 %d 字）", maxQueryRunes)
	}
	if !add {
		ok, err := s.st.RemoveTopic(ctx, user, topic, now)
		if err == nil && !ok {
			return "", fmt.Errorf("常问里没有“%s”", topic)
		}
		return "removed", err
	}
	ok, err := s.st.AddTopic(ctx, user, topic, now)
	if err == nil && !ok {
		return "", fmt.Errorf("“%s”已经在常问里", topic)
	}
	return "added", err
}
