package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

// maxQueryRunes is the longest query text accepted; the page limits are
// the indexer's (indexer.MaxLimit, MaxOffset, DefaultLimit).
const maxQueryRunes = 100

// badParam is a search parameter the client got wrong; its message is shown.
type badParam struct{ msg string }

func (e *badParam) Error() string { return e.msg }

func badf(format string, args ...any) error { return &badParam{fmt.Sprintf(format, args...)} }

// parseAPIQuery reads the /api/search parameters: q, limit, offset, category,
// channel, publisher, validity, attachment, from, to (YYYY-MM-DD, both days included), sort and
// after (repeated, the sort values of the last hit of the previous page).
func parseAPIQuery(v url.Values) (indexer.Query, error) {
	q, err := parseFilters(v)
	if err != nil {
		return q, err
	}
	if q.Limit, err = intParam(v, "limit", indexer.DefaultLimit, 1, indexer.MaxLimit); err != nil {
		return q, err
	}
	if q.Offset, err = intParam(v, "offset", 0, 0, indexer.MaxOffset); err != nil {
		return q, err
	}
	if q.From, q.To, err = dateRange(v); err != nil {
		return q, err
	}
	q.After = v["after"]
	return q, nil
}

// parseFilters reads the parameters shared by the page and the API: q,
// category, channel, publisher, validity, attachment and sort.
func parseFilters(v url.Values) (indexer.Query, error) {
	q := indexer.Query{
		Text:      strings.TrimSpace(v.Get("q")),
		Category:  strings.TrimSpace(v.Get("category")),
		Channel:   strings.TrimSpace(v.Get("channel")),
		Publisher: strings.TrimSpace(v.Get("publisher")),
		Validity:  strings.TrimSpace(v.Get("validity")),
		Unit:      strings.TrimSpace(v.Get("unit")),
		// documents with an attachment of this type
		Attachment: strings.ToLower(strings.TrimSpace(v.Get("attachment"))),
	}
	if n := utf8.RuneCountInString(q.Text); n > maxQueryRunes {
		return q, badf("搜索词太长（%d 字），最多 %d 字", n, maxQueryRunes)
	}
	if !utf8.ValidString(q.Text + q.Category + q.Channel + q.Publisher + q.Validity + q.Unit) {
		return q, badf("参数不是有效的 UTF-8 文本")
	}
	if q.Validity != "" && !store.IsValidity(q.Validity) {
		return q, badf("validity 参数 %q 无效，应为 %s 之一", q.Validity, strings.Join(store.Validities, "、"))
	}
	if q.Attachment != "" && !slices.Contains(store.AttachmentTypes, q.Attachment) {
		return q, badf("attachment 参数 %q 无效，应为 %s 之一", q.Attachment, strings.Join(store.AttachmentTypes, "、"))
	}
	switch s := v.Get("sort"); s {
	case "", "relevance":
	case "date":
		q.Sort = "date"
	default:
		return q, badf("sort 参数 %q 无效，应为 relevance 或 date", s)
	}
	return q, nil
}

// intParam reads an integer parameter in [min, max], or def when absent.
func intParam(v url.Values, name string, def, min, max int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		return 0, badf("%s 参数 %q 无效，应为 %d 到 %d 之间的整数", name, s, min, max)
	}
	return n, nil
}

// dateRange reads from and to (YYYY-MM-DD, both days included) as the
// half-open range [from, to+1 day).
func dateRange(v url.Values) (from, to time.Time, err error) {
	if from, err = dateParam(v, "from"); err != nil {
		return
	}
	if to, err = dateParam(v, "to"); err != nil {
		return
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1) // "to" names the last day included
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		err = badf("from 不能晚于 to")
	}
	return
}

// dateParam reads a YYYY-MM-DD parameter as the start of that Beijing day.
func dateParam(v url.Values, name string) (time.Time, error) {
	s := v.Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := store.ParseDay(s)
	if err != nil {
		return time.Time{}, badf("%s 参数 %q 无效，日期格式应为 YYYY-MM-DD", name, s)
	}
	return t, nil
}

// yearParam reads a year parameter, or def when absent.
func yearParam(v url.Values, def int) (int, error) {
	return intParam(v, "year", def, 1990, 2100)
}
