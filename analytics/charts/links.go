package charts

import (
	"net/url"
	"time"

	"github.com/gongkai-project/gongkai/analytics"
)

// searchURL links to the search page with the given filters; from and to are
// inclusive Beijing days.
func searchURL(filters map[string]string, from, to time.Time) string {
	q := url.Values{}
	for k, v := range filters {
		if v != "" {
			q.Set(k, v)
		}
	}
	q.Set("from", from.Format(analytics.DateLayout))
	q.Set("to", to.Format(analytics.DateLayout))
	return SearchPath + "?" + q.Encode()
}

// monthWindow is the part of calendar month key (YYYY-MM) inside the period,
// as inclusive days.
func monthWindow(p analytics.Period, key string) (from, last time.Time, ok bool) {
	m, err := time.ParseInLocation("2006-01", key, p.From.Location())
	if err != nil {
		return time.Time{}, time.Time{}, false
	}
	from, to := m, m.AddDate(0, 1, 0)
	if from.Before(p.From) {
		from = p.From
	}
	if to.After(p.To) {
		to = p.To
	}
	if !from.Before(to) {
		return time.Time{}, time.Time{}, false
	}
	return from, to.AddDate(0, 0, -1), true
}
