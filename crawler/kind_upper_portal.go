package crawler

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/extract"
	"github.com/gongkai-project/gongkai/store"
)

// KindUpperPortal is the portal of the city or county above the township.
// It is crawled like any portal (any list driver) and keeps only the items
// its match rule finds to come from the township: they count as adopted
// (采用) for the year of their publication.
const KindUpperPortal = config.KindUpperPortal

// DefaultMatchFields are the labels read for the origin of an item (the
// extractor files 信息来源, 文章来源, 作者单位 and the like under these).
var DefaultMatchFields = []string{extract.LabelSource, extract.LabelPublisher, extract.LabelAuthor}

func init() {
	Register(Kind{Kind: config.Kind{Name: KindUpperPortal, Channel: store.ChannelUpperPortal,
		Keys: append([]string{"match"}, portalKeys...), Fill: fillPortal, Validate: checkUpperPortal},
		Open: openUpperPortal})
}

// upperPortal is a portal whose documents are admitted by a match rule.
type upperPortal struct {
	portal
	match config.Match
}

func openUpperPortal(src config.Source) (Source, error) {
	m := src.Match
	if len(m.Fields) == 0 {
		m.Fields = DefaultMatchFields
	}
	return &upperPortal{portal: portal{src: src}, match: m}, nil
}

// Admit reports whether the document names the township as its origin:
// in one of the match fields, the publisher, or (when the rule says so)
// the body text.
func (u *upperPortal) Admit(d *store.Document) bool {
	for _, f := range u.match.Fields {
		if containsAny(d.Meta[f], u.match.Names) {
			return true
		}
	}
	return containsAny(d.Publisher, u.match.Names) || (u.match.Body && containsAny(d.Body, u.match.Names))
}

func checkUpperPortal(s config.Source, c config.Check) {
	checkPortal(s, c)
	if len(s.Match.Names) == 0 {
		c.Add("match.names", "an %s source needs the names its township's items carry (match: {names: [康大营镇]})", s.Kind)
	}
}

// NearMiss says why a document the rule did not admit names the township
// all the same: in its title, in its body when the rule reads no body, or
// in a field the rule does not read. origin is what the read fields state.
func (u *upperPortal) NearMiss(d *store.Document) (reason, origin string) {
	var parts []string
	for _, f := range u.match.Fields {
		if v := strings.TrimSpace(d.Meta[f]); v != "" {
			parts = append(parts, f+"："+v)
		}
	}
	if d.Publisher != "" {
		parts = append(parts, extract.LabelPublisher+"："+d.Publisher)
	}
	origin = strings.Join(slices.Compact(parts), "；")
	if origin == "" {
		origin = "未注明"
	}
	name := firstNamed(d.Title, u.match.Names)
	switch {
	case name != "":
		return fmt.Sprintf("标题提及“%s”，但%s均未写明本单位", name, strings.Join(u.match.Fields, "、")), origin
	case !u.match.Body && firstNamed(d.Body, u.match.Names) != "":
		return fmt.Sprintf("正文提及“%s”，但规则不读正文（match.body 未开启），%s均未写明本单位", firstNamed(d.Body, u.match.Names), strings.Join(u.match.Fields, "、")), origin
	}
	for _, k := range slices.Sorted(maps.Keys(d.Meta)) {
		if n := firstNamed(d.Meta[k], u.match.Names); n != "" && !slices.Contains(u.match.Fields, k) {
			return fmt.Sprintf("“%s”字段提及“%s”，但规则只读%s（match.fields）", k, n, strings.Join(u.match.Fields, "、")), origin
		}
	}
	return "", ""
}

// firstNamed returns the first of names that s contains, or "".
func firstNamed(s string, names []string) string {
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" && strings.Contains(s, n) {
			return n
		}
	}
	return ""
}
