package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// unitChoice is the unit selector of the dashboard and trends: the chosen
// unit ("" for all of them, the county view), the units offered, and the
// page and year the form keeps. Units is empty with a single unit.
type unitChoice struct {
	Unit   string
	Units  []string
	Year   int
	Action string
}

// unit is the unit of a staff request: ?unit= (or the unit field of a
// form), "" for all units; a unit not configured is a bad parameter.
func (s *Server) unit(r *http.Request) (string, error) {
	u := strings.TrimSpace(r.URL.Query().Get("unit"))
	if r.Method == http.MethodPost && r.PostFormValue("unit") != "" {
		u = strings.TrimSpace(r.PostFormValue("unit"))
	}
	if u != "" && !slices.Contains(s.cfg.UnitNames(), u) {
		return "", badf("单位 %q 不存在，已配置的单位：%s", u, strings.Join(s.cfg.UnitNames(), "、"))
	}
	return u, nil
}

// unitChoice offers the units of a multi-unit installation.
func (s *Server) unitChoice(action string, year int, unit string) unitChoice {
	c := unitChoice{Unit: unit, Year: year, Action: action}
	if s.cfg.MultiUnit() {
		c.Units = s.cfg.UnitNames()
	}
	return c
}

// unitSources are the names of the sources of unit; none for all units.
func (s *Server) unitSources(unit string) []string {
	if unit == "" {
		return nil
	}
	var out []string
	for src, u := range s.cfg.SourceUnits() {
		if u == unit {
			out = append(out, src)
		}
	}
	if out == nil {
		out = []string{""} // a unit without sources has none
	}
	return out
}

// unitValues are the query parameters of a redirect back to the dashboard
// of unit ("" all units) with the notice key=value.
func unitValues(unit, key, value string) url.Values {
	v := url.Values{key: {value}}
	if unit != "" {
		v.Set("unit", unit)
	}
	return v
}
