package demo

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// wxPage is a saved article page with the identity the request must carry.
type wxPage struct {
	sn   string
	page *page
}

// wechatSite is the rendered WeChat archive.
type wechatSite struct {
	feed, index *page
	articles    map[string]wxPage // by "mid/idx"
}

func wxKey(mid, idx string) string { return mid + "/" + idx }

// wechatPages renders the archive for the base URL it is served at.
func (t *Township) wechatPages(base string) (*wechatSite, error) {
	s := &wechatSite{articles: map[string]wxPage{}}
	var newest time.Time
	for i := range t.Items {
		it := &t.Items[i]
		if it.wx == nil {
			continue
		}
		p := newPage([]byte(t.wechatArticle(it, base)), ctypeHTML, it.Published)
		s.articles[wxKey(fmt.Sprint(it.wx.Mid), fmt.Sprint(it.wx.Idx))] = wxPage{it.wx.SN, p}
		newest = later(newest, it.Published)
	}
	for _, g := range t.gone {
		p := newPage([]byte(wechatNotice(g.Notice)), ctypeHTML, g.Published)
		s.articles[wxKey(fmt.Sprint(g.wx.Mid), fmt.Sprint(g.wx.Idx))] = wxPage{g.wx.SN, p}
		newest = later(newest, g.Published)
	}
	feed, err := t.feed(base, newest)
	if err != nil {
		return nil, err
	}
	s.feed = newPage(feed, ctypeRSS, newest)
	s.index = newPage([]byte(t.wechatIndex(base)), ctypeHTML, newest)
	return s, nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// jsString quotes s for a JavaScript string literal in single or double quotes.
func jsString(s string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`, `"`, `\"`, "<", `\x3c`, ">", `\x3e`, "\n", `\n`).Replace(s)
}

// wechatArticle is a saved WeChat article page (docs/sources.md).
func (t *Township) wechatArticle(it *Item, base string) string {
	var b strings.Builder
	link := base + it.Path
	dig := digest(it.paras)
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1.0,maximum-scale=1.0,user-scalable=0,viewport-fit=cover">
<meta property="og:title" content="%[1]s">
<meta property="og:url" content="%[2]s">
<meta property="og:description" content="%[3]s">
<meta property="og:site_name" content="微信公众平台">
<meta property="og:type" content="article">
<meta name="author" content="%[4]s">
<title>%[1]s</title>
</head>
<body id="activity-detail" class="zh_CN wx_wap_page">
<div id="js_article" class="rich_media">
<div class="rich_media_inner"><div id="page-content" class="rich_media_area_primary"><div class="rich_media_area_primary_inner">
<h1 class="rich_media_title" id="activity-name">
%[1]s
</h1>
<div id="meta_content" class="rich_media_meta_list">
<span class="rich_media_meta rich_media_meta_text" id="js_author_name">%[4]s</span>
<span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a href="javascript:void(0);" id="js_name">%[5]s</a></span>
<em id="publish_time" class="rich_media_meta rich_media_meta_text"></em>
</div>
<div class="rich_media_content js_underline_content" id="js_content" style="visibility: hidden;">
<section>
`, esc(it.Title), esc(link), esc(dig), esc(it.Author), esc(AccountName))
	for _, p := range it.paras {
		fmt.Fprintf(&b, "<p><span style=\"font-size: 15px;\">%s</span></p>\n", esc(p))
	}
	fmt.Fprintf(&b, `</section>
</div>
</div></div></div></div>
<script type="text/javascript">
var nickname = "%s";
var user_name = "gh_6b6479c0a1f2";
var appmsg_type = "9";
var item_show_type = "0";
var ct = "%d";
var msg_title = '%s'.html(false);
var msg_desc = "%s";
var msg_link = "%s";
var biz = "%s" || "";
var mid = "%d" || "" || "";
var idx = "%d" || "" || "";
var sn = "%s" || "" || "";
</script>
</body>
</html>
`, jsString(AccountName), it.Published.Unix(), jsString(it.Title), jsString(dig), jsString(link),
		t.biz, it.wx.Mid, it.wx.Idx, it.wx.SN)
	return b.String()
}

// wechatNotice is the page WeChat shows for a deleted or expired article.
func wechatNotice(msg string) string {
	return `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1.0,maximum-scale=1.0,user-scalable=0">
<title></title>
</head>
<body>
<div class="weui-msg">
<div class="weui-msg__icon-area"><i class="weui-icon-warn weui-icon_msg"></i></div>
<div class="weui-msg__text-area"><h2 class="weui-msg__title">` + msg + `</h2></div>
</div>
</body>
</html>
`
}

type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string  `xml:"title"`
	Link        string  `xml:"link"`
	GUID        rssGUID `xml:"guid"`
	PubDate     string  `xml:"pubDate"`
	Description string  `xml:"description"`
}

type rssGUID struct {
	Value     string `xml:",chardata"`
	Permalink bool   `xml:"isPermaLink,attr"`
}

// feedEntry is one post of the feed, document or not.
type feedEntry struct {
	title, digest, path string
	at                  time.Time
}

// feed is the RSS 2.0 feed of every post, newest first, the deleted and
// expired ones included.
func (t *Township) feed(base string, newest time.Time) ([]byte, error) {
	var entries []feedEntry
	for i := range t.Items {
		if it := &t.Items[i]; it.Channel == store.ChannelWeChat {
			entries = append(entries, feedEntry{it.Title, digest(it.paras), it.Path, it.Published})
		}
	}
	for _, g := range t.gone {
		entries = append(entries, feedEntry{g.Title, g.Digest, g.Path, g.Published})
	}
	sortEntries(entries)
	ch := rssChannel{
		Title: AccountName, Link: base + "/", Language: "zh-cn",
		Description:   AccountName + "——" + TownName + "人民政府政务微信公众号文章存档",
		LastBuildDate: newest.Format(time.RFC1123Z),
	}
	for _, e := range entries {
		ch.Items = append(ch.Items, rssItem{
			Title: e.title, Link: base + e.path, GUID: rssGUID{base + e.path, true},
			PubDate: e.at.Format(time.RFC1123Z), Description: e.digest,
		})
	}
	out, err := xml.MarshalIndent(rss{Version: "2.0", Channel: ch}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("write feed: %w", err)
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

// sortEntries orders entries newest first; posts of one push keep idx order.
func sortEntries(entries []feedEntry) {
	slices.SortStableFunc(entries, func(a, b feedEntry) int {
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	})
}

// wechatIndex is the archive's index page linking the feed and every post.
func (t *Township) wechatIndex(base string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>%s 文章存档</title>\n</head>\n<body>\n<h1>%s 文章存档</h1>\n<p><a href=\"%s/feed.xml\">RSS 订阅</a></p>\n<ul>\n",
		AccountName, AccountName, base)
	for i := len(t.Items) - 1; i >= 0; i-- {
		if it := &t.Items[i]; it.Channel == store.ChannelWeChat {
			fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a> %s</li>\n", esc(base+it.Path), esc(it.Title), it.Published.Format("2006-01-02"))
		}
	}
	b.WriteString("</ul>\n</body>\n</html>\n")
	return b.String()
}
