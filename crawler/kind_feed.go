package crawler

import (
	"context"
	"os"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/extract"
	"github.com/gongkai-project/gongkai/crawler/feed"
	"github.com/gongkai-project/gongkai/crawler/wechat"
	"github.com/gongkai-project/gongkai/store"
)

// KindFeed is an RSS, Atom or JSON feed of any channel: a portal column,
// a WeChat account (as RSSHub or a county's own feed serves them). Unless
// the source names a channel, each document's is the page's: wechat for
// WeChat articles, portal for the rest.
const KindFeed = config.KindFeed

func init() {
	keys := []string{"url", "path", "account"}
	Register(Kind{Kind: config.Kind{Name: KindFeed, Keys: keys, Validate: checkList},
		Open: func(src config.Source) (Source, error) { return &feedSource{src: src}, nil }})
	// wechat_feed is the feed of a WeChat account, as configurations written
	// before the feed kind name it: its articles are always fetched, for the
	// account details only their pages carry.
	Register(Kind{Kind: config.Kind{Name: config.KindWeChatFeed, Channel: store.ChannelWeChat, Keys: keys, Validate: checkList},
		Open: func(src config.Source) (Source, error) { return &feedSource{src: src, fetchAll: true}, nil }})
}

// feedSource reads a feed (conditionally, when it comes from a URL) and
// lists its entries: as documents when they carry the full text, else as
// pages to fetch.
type feedSource struct {
	src      config.Source
	fetchAll bool // fetch every entry's page, full text or not
}

func (s *feedSource) Channel() string { return s.src.Channel }

func (s *feedSource) List(ctx context.Context, env *Env, found func(List) error) error {
	where := firstOf(s.src.URL, s.src.Path)
	data, fetched, err := readList(ctx, env, s.src)
	if err != nil || data == nil { // unchanged since the last complete crawl
		return orFound(err, found, List{URL: where, Fetched: fetched})
	}
	title, entries, err := feed.Parse(data)
	if err != nil {
		return err
	}
	items := make([]Item, 0, len(entries))
	for _, e := range entries {
		it := Item{URL: e.Link, Title: e.Title, Published: e.Published, Author: e.Author,
			Column: firstOf(s.src.Account, title), Stable: wechat.IDFromURL(e.Link) != ""}
		if full := e.FullText(); full != "" && !s.fetchAll && !it.Stable { // WeChat pages give the account and the article's id
			art, err := extract.Extract(e.Link, e.Page(full), "text/html; charset=utf-8", s.src.Selectors)
			if err == nil && art.Kind != extract.KindError {
				it.Article = art
			}
		}
		items = append(items, it)
	}
	return found(List{URL: where, Fetched: fetched, Items: dedupe(items)})
}

// readList reads a source's list from its local path or, failing that,
// its URL (conditionally: data is nil when the list is unchanged since
// the last complete crawl).
func readList(ctx context.Context, env *Env, src config.Source) (data []byte, fetched bool, err error) {
	if src.Path != "" {
		data, err := os.ReadFile(src.Path)
		return data, false, err
	}
	resp, err := env.GetList(ctx, src.URL)
	if err != nil {
		return nil, false, err
	}
	if resp.NotModified {
		return nil, true, nil
	}
	return resp.Body, true, nil
}

// checkList checks the settings of a source read from a URL or a file.
func checkList(s config.Source, c config.Check) {
	switch {
	case s.URL == "" && s.Path == "":
		c.Add("", "a %s source needs a url or a path", s.Kind)
	case s.URL != "":
		c.URL("url", s.URL)
	}
}
