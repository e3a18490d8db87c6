package crawler

import (
	"context"
	"fmt"
	"strings"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/list"
	"github.com/gongkai-project/gongkai/store"
)

func init() {
	Register(Kind{Kind: config.Kind{Name: config.KindPortal, Channel: store.ChannelPortal,
		Keys: portalKeys, Fill: fillPortal, Validate: checkPortal}, Open: openPortal})
}

// portalKeys are the settings of a portal's list pages.
var portalKeys = []string{"start", "driver", "article_pattern", "max_pages"}

// portal is a government website crawled through its list pages.
type portal struct {
	src config.Source
}

func openPortal(src config.Source) (Source, error) { return &portal{src: src}, nil }

func (p *portal) Channel() string { return p.src.Channel }

// List walks the list pages; on an incremental crawl paging stops at a page
// of known URLs.
func (p *portal) List(ctx context.Context, env *Env, found func(List) error) error {
	w := &list.Walker{Fetcher: env.Fetcher, Source: p.src, Known: env.Known, Logger: env.Logger, MaxPageBytes: env.MaxPageBytes}
	return w.Walk(ctx, func(pg list.Page) error {
		items := make([]Item, len(pg.Links))
		for i, link := range pg.Links {
			items[i] = Item{URL: link}
		}
		return found(List{URL: pg.URL, Fetched: true, Items: items})
	})
}

func fillPortal(s *config.Source) {
	if s.Driver == "" {
		s.Driver = config.DriverAuto
	}
	if s.MaxPages == 0 {
		s.MaxPages = list.DefaultMaxPages
	}
}

func checkPortal(s config.Source, c config.Check) {
	if len(s.Start) == 0 {
		c.Add("start", "a %s source needs at least one start URL", s.Kind)
	}
	for j, u := range s.Start {
		c.URL(fmt.Sprintf("start[%d]", j), u)
	}
	if !config.ValidDriver(s.Driver) {
		c.Add("driver", "unknown driver %q (want %s)", s.Driver, strings.Join(config.Drivers(), ", "))
	}
	for j, re := range s.ArticlePattern {
		c.Regexp(fmt.Sprintf("article_pattern[%d]", j), re)
	}
	if s.MaxPages < 0 {
		c.Add("max_pages", "must not be negative")
	}
}
