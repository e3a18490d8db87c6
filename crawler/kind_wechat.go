package crawler

import (
	"context"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/wechat"
	"github.com/gongkai-project/gongkai/store"
)

// The archives of a WeChat account: a file of article URLs, a folder of
// saved article pages, the JSON an archive exporter writes.
func init() {
	keys := []string{"url", "path", "account"}
	Register(Kind{Kind: config.Kind{Name: config.KindWeChatURLs, Channel: store.ChannelWeChat, Keys: keys, Validate: checkList},
		Open: archive(func(data []byte) ([]wechat.Item, error) { return wechat.URLList(data), nil })})
	Register(Kind{Kind: config.Kind{Name: config.KindWeChatJSON, Channel: store.ChannelWeChat, Keys: keys, Validate: checkList},
		Open: archive(wechat.ExporterJSON)})
	Register(Kind{Kind: config.Kind{Name: config.KindWeChatFolder, Channel: store.ChannelWeChat, Keys: []string{"path", "account"},
		Validate: checkFolder}, Open: archive(nil)})
}

// wechatArchive lists the articles of an archive; parse reads a list file,
// nil means the source is a folder of saved pages.
type wechatArchive struct {
	src   config.Source
	parse func([]byte) ([]wechat.Item, error)
}

func archive(parse func([]byte) ([]wechat.Item, error)) func(config.Source) (Source, error) {
	return func(src config.Source) (Source, error) { return &wechatArchive{src: src, parse: parse}, nil }
}

func (a *wechatArchive) Channel() string { return a.src.Channel }

func (a *wechatArchive) List(ctx context.Context, env *Env, found func(List) error) error {
	where := firstOf(a.src.URL, a.src.Path)
	var items []wechat.Item
	var err error
	fetched := false
	if a.parse == nil {
		items, err = wechat.Folder(a.src.Path)
	} else {
		var data []byte
		data, fetched, err = readList(ctx, env, a.src)
		if err != nil || data == nil { // unchanged since the last complete crawl
			return orFound(err, found, List{URL: where, Fetched: fetched})
		}
		items, err = a.parse(data)
	}
	if err != nil {
		return err
	}
	out := make([]Item, len(items))
	for i, it := range items {
		out[i] = Item{URL: it.URL, File: it.File, Stable: true, Title: it.Title, Published: it.Published,
			Author: it.Author, Column: a.src.Account}
	}
	return found(List{URL: where, Fetched: fetched, Items: dedupe(out)})
}

func checkFolder(s config.Source, c config.Check) {
	if s.Path == "" {
		c.Add("path", "a %s source needs a path", s.Kind)
	}
}
