package extract

import (
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// WeChatID identifies a WeChat article: account (biz), message (mid), the
// position within the message (idx) and its signature (sn).
type WeChatID struct {
	Biz string `json:"biz"`
	Mid string `json:"mid"`
	Idx string `json:"idx"`
	SN  string `json:"sn,omitempty"`
}

var (
	jsVarRe    = regexp.MustCompile(`(?:var\s+|window\.)([A-Za-z_]+)\s*=\s*((?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[^;\n"'])*)`)
	jsStringRe = regexp.MustCompile(`"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'`)
	jsEscapeRe = regexp.MustCompile(`\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)`)
)

// jsVars reads the `var name = "…" || "…"` assignments of WeChat page
// scripts; each keeps the first non-empty string literal. The first
// assignment of a name wins.
func jsVars(doc *goquery.Document) map[string]string {
	out := map[string]string{}
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		for _, m := range jsVarRe.FindAllStringSubmatch(s.Text(), -1) {
			if _, seen := out[m[1]]; seen {
				continue
			}
			for _, lit := range jsStringRe.FindAllStringSubmatch(m[2], -1) {
				if v := unescapeJS(lit[1] + lit[2]); strings.TrimSpace(v) != "" {
					out[m[1]] = strings.TrimSpace(v)
					break
				}
			}
		}
	})
	return out
}

// unescapeJS decodes JavaScript string escapes and the HTML entities WeChat
// leaves in its variables.
func unescapeJS(s string) string {
	s = jsEscapeRe.ReplaceAllStringFunc(s, func(e string) string {
		switch e[1] {
		case 'x', 'u':
			if n, err := strconv.ParseUint(e[2:], 16, 32); err == nil {
				return string(rune(n))
			}
		case 'n':
			return "\n"
		case 't':
			return "\t"
		}
		return e[1:]
	})
	return html.UnescapeString(s)
}

// isWeChat reports whether the page is a WeChat article page (or one of its
// failure pages).
func isWeChat(u *url.URL, doc *goquery.Document) bool {
	if u != nil && strings.EqualFold(u.Hostname(), "mp.weixin.qq.com") {
		return true
	}
	return doc.Find("#js_content, #activity-name, .rich_media_content, #js_article").Length() > 0
}

// extractWeChat fills a from a WeChat article page (docs/sources.md).
func extractWeChat(p *page, a *Article) {
	vars := jsVars(p.doc)
	a.Kind = KindWeChat
	a.Title, a.TitleFrom = firstText(p.doc, "#activity-name", "h1.rich_media_title", "h2.rich_media_title"), "headline"
	if a.Title == "" {
		a.Title, a.TitleFrom = firstNonEmpty(vars["msg_title"], p.meta["og:title"], p.meta["ArticleTitle"]), "meta"
	}
	a.Column = firstNonEmpty(firstText(p.doc, "#js_name", "a#post-user", "#profileBt a"), vars["nickname"])
	a.Publisher = a.Column
	a.Author = firstNonEmpty(firstText(p.doc, "#js_author_name"), p.meta["Author"])
	a.PublishedFrom = "none"
	if t, ok := unixBeijing(vars["ct"]); ok {
		a.Published, a.PublishedHasTime, a.PublishedFrom = t, true, "var ct"
	} else if t, hasTime, ok := parseDate(firstText(p.doc, "#publish_time", "#post-date")); ok {
		a.Published, a.PublishedHasTime, a.PublishedFrom = t, hasTime, "byline"
	}
	a.WeChat = wechatID(vars, p.meta["og:url"], a.URL)
	if a.WeChat != nil && a.URL == "" {
		a.URL = "https://mp.weixin.qq.com/s?__biz=" + url.QueryEscape(a.WeChat.Biz) + "&mid=" + a.WeChat.Mid +
			"&idx=" + a.WeChat.Idx + "&sn=" + a.WeChat.SN
	}
}

// wechatID reads biz, mid, idx and sn from the page variables, falling back
// to the query of og:url or the page URL.
func wechatID(vars map[string]string, links ...string) *WeChatID {
	id := WeChatID{Biz: vars["biz"], Mid: firstNonEmpty(vars["mid"], vars["appmsgid"]), Idx: vars["idx"], SN: vars["sn"]}
	for _, l := range links {
		u, err := url.Parse(html.UnescapeString(l))
		if err != nil {
			continue
		}
		q := u.Query()
		id.Biz = firstNonEmpty(id.Biz, q.Get("__biz"))
		id.Mid = firstNonEmpty(id.Mid, q.Get("mid"), q.Get("appmsgid"))
		id.Idx = firstNonEmpty(id.Idx, q.Get("idx"), q.Get("itemidx"))
		id.SN = firstNonEmpty(id.SN, q.Get("sn"), q.Get("sign"))
	}
	if id.Biz == "" || id.Mid == "" {
		return nil
	}
	if id.Idx == "" {
		id.Idx = "1"
	}
	return &id
}

// firstText returns the trimmed text of the first selector that matches
// an element with text.
func firstText(doc *goquery.Document, selectors ...string) string {
	for _, s := range selectors {
		for _, n := range doc.Find(s).Nodes {
			if t := strings.TrimSpace(textOf(n)); t != "" {
				return t
			}
		}
	}
	return ""
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
