package list

import (
	"fmt"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/fetch"
)

// Survey is what one list page tells without fetching anything more: the
// driver that reads it, its article links and its pagination.
type Survey struct {
	Driver     string     // a config.Driver* value: the source's, or detected when it says auto
	Links      []string   // absolute article URLs on the page, in page order
	Pagination Pagination // what the page announces about its other pages
}

// Pagination is what a list page says about its other pages and the second
// page the driver would request. Counts are 0 when the page tells none.
type Pagination struct {
	Pages   int    `json:"pages,omitempty"`    // pages announced by createPageHTML, or records / per page (Hanweb)
	Records int    `json:"records,omitempty"`  // records announced by a Hanweb list
	PerPage int    `json:"per_page,omitempty"` // records per page of a Hanweb list
	Next    string `json:"next,omitempty"`     // the second page, none after an empty page; for Hanweb the dataproxy request
	Form    string `json:"form,omitempty"`     // for Hanweb, the form POSTed with Next
}

// Inspect reads a fetched list page as the walk for src would, without
// fetching further pages.
func Inspect(resp *fetch.Response, src config.Source) (*Survey, error) {
	p, err := parsePage(resp)
	if err != nil {
		return nil, err
	}
	m, err := newMatcher(src.ArticlePattern)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", src.Name, err)
	}
	s := &Survey{Driver: driverOf(src, p)}
	switch s.Driver {
	case config.DriverHanweb:
		s.Links = recordLinks(p, m, p.text)
		if jp, err := readJPage(p); err == nil {
			s.Pagination = Pagination{Records: jp.total, PerPage: jp.perPage, Form: jp.form.Encode()}
			if jp.total > 0 {
				s.Pagination.Pages = (jp.total + jp.perPage - 1) / jp.perPage
			}
			if jp.total == 0 || jp.first <= jp.total {
				s.Pagination.Next, _ = jp.request(jp.first)
			}
		}
	case config.DriverTRS:
		s.Links = articleLinks(p, m, src.Selectors.ListItem)
		if total, name, ext, ok := trsPager(p.text); ok {
			s.Pagination.Pages = total
			if u, err := p.url.Parse(name + "_1." + ext); err == nil && total > 1 {
				s.Pagination.Next = u.String()
			}
		}
	case config.DriverNextLink:
		s.Links = articleLinks(p, m, src.Selectors.ListItem)
		s.Pagination.Next = nextHref(p, src.Selectors.Next)
	case config.DriverStatic:
		s.Links = articleLinks(p, m, src.Selectors.ListItem)
		s.Pagination.Next = staticPageURL(p, 1)
	default:
		return nil, fmt.Errorf("list %s: unknown driver %q", resp.URL, s.Driver)
	}
	if len(s.Links) == 0 && s.Driver != config.DriverHanweb {
		s.Pagination.Next = "" // the walk stops after an empty page
	}
	return s, nil
}
