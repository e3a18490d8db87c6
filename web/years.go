package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gongkai-project/gongkai/analytics"
)

// yearChoice is the year selector of the staff pages: the chosen year, the
// years offered, and the page the form goes to.
type yearChoice struct {
	Unit   string // the unit chosen, kept by the form
	Year   int
	Years  []int
	Action string
}

// year is the statistics year of a staff request: ?year= (or the year field
// of a posted form) when given, else analytics.DefaultYear of today (the
// year just closed in the report season).
func (s *Server) year(r *http.Request) (int, error) {
	if y := formYear(r); r.Method == http.MethodPost && y > 0 {
		return y, nil
	}
	def, err := analytics.DefaultYear(s.cfg, s.now())
	if err != nil {
		return 0, err
	}
	return yearParam(r.URL.Query(), def)
}

// yearChoice lists the years with data, the default and current years and year itself.
func (s *Server) yearChoice(ctx context.Context, action string, year int) (yearChoice, error) {
	years, err := s.yearsWithData(ctx, s.now())
	if err != nil {
		return yearChoice{}, err
	}
	def, err := analytics.DefaultYear(s.cfg, s.now())
	if err != nil {
		return yearChoice{}, err
	}
	cur, err := analytics.YearOf(s.cfg, s.now())
	if err != nil {
		return yearChoice{}, err
	}
	for _, y := range []int{def, cur, year} {
		if !slices.Contains(years, y) {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	return yearChoice{Year: year, Years: years, Action: action}, nil
}

// withYear is path with ?year=year (and the given notice parameter) so that
// a redirect after a form keeps the year staff were looking at.
func withYear(path string, year int, extra url.Values) string {
	v := url.Values{}
	for k, vs := range extra {
		v[k] = vs
	}
	if year > 0 {
		v.Set("year", strconv.Itoa(year))
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// formYear is the year a staff form was posted from (its hidden year field),
// or 0 when absent or invalid.
func formYear(r *http.Request) int {
	y, err := strconv.Atoi(r.PostFormValue("year"))
	if err != nil || y < 1990 || y > 2100 {
		return 0
	}
	return y
}
