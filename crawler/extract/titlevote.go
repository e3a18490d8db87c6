package extract

import (
	"regexp"
	"strings"
)

// titleCand is one signal's title and how much it is trusted alone.
type titleCand struct {
	text   string
	weight float64
	from   string
}

var (
	// tagSepRe splits a <title> at the separators sites put between the
	// headline, the column and the site name.
	tagSepRe = regexp.MustCompile(`\s*(?:_|\s-\s|-{2,}|－|——|\s*[|｜]\s*|::|·|»|&raquo;|\s>\s|\s-$|-\s)\s*`)
	// furnitureRe matches toolbar and breadcrumb text that is never a title.
	// crumbSepRe separates the steps of a breadcrumb.
	crumbSepRe  = regexp.MustCompile(`[>»＞]`)
	furnitureRe = regexp.MustCompile(`字号|打印|关闭窗口|收藏本页|分享到|当前位置|您现在的位置|所在位置|首页\s*[>»＞]|[>»＞].*[>»＞]|留言列表|发表评论|网友评论`)
)

// chooseTitle returns the title most signals agree on and the signal it
// was taken from. The candidates are the ArticleTitle meta, the visible
// headline, a labelled title (标题：, 主题：), the parts of <title> and
// og:title split at site separators, and the line just above the byline.
// Toolbar and breadcrumb text and the site's own name are left out by what
// they are. Each candidate scores the weights of all candidates that agree
// with it (equal, or one holding the other); the best cluster's most
// trusted member is the title. Replacement characters left by a title cut
// in the middle of a multibyte character are removed and the cut text
// weighs less, so a complete agreeing candidate is preferred.
func chooseTitle(p *page, head *headline, labels map[string]string) (string, string) {
	cands := titleCandidates(p, head, labels)
	var kept []titleCand
	for _, c := range cands {
		sq := squeeze(c.text)
		if runeLen(sq) < 4 || furnitureRe.MatchString(c.text) || isSiteName(p, sq) || inBreadcrumb(p, sq) {
			continue
		}
		kept = append(kept, c)
	}
	if len(kept) == 0 && len(cands) > 0 {
		return cands[0].text, cands[0].from // only furniture-like text: the most trusted signal
	}
	bestScore, best := 0.0, -1
	for i, c := range kept {
		score := 0.0
		for _, o := range kept {
			if titlesAgree(c.text, o.text) {
				score += o.weight
			}
		}
		if score > bestScore {
			bestScore, best = score, i
		}
	}
	if best < 0 {
		return "", "none"
	}
	pick := kept[best]
	for _, o := range kept {
		if titlesAgree(pick.text, o.text) && (o.weight > pick.weight ||
			(o.weight == pick.weight && runeLen(squeeze(o.text)) > runeLen(squeeze(pick.text)))) {
			pick = o
		}
	}
	return pick.text, pick.from
}

// titleCandidates collects the title signals of a page in order of trust.
func titleCandidates(p *page, head *headline, labels map[string]string) []titleCand {
	var out []titleCand
	add := func(text string, w float64, from string) {
		text = strings.TrimSpace(text)
		if strings.ContainsRune(text, '\uFFFD') {
			text = strings.TrimSpace(strings.ReplaceAll(text, "\uFFFD", ""))
			w /= 2
		}
		if text != "" {
			out = append(out, titleCand{text: text, weight: w, from: from})
		}
	}
	add(p.meta["ArticleTitle"], 3, "meta:ArticleTitle")
	if head != nil {
		add(head.text, 2.5, "headline")
	}
	add(labels[LabelTitle], 2.5, "label")
	add(lineAboveByline(p), 2, "byline")
	tags := []struct{ text, from string }{{p.titleTag, "title_tag"}}
	if og := p.meta["og:title"]; squeeze(og) != squeeze(p.titleTag) {
		tags = append(tags, struct{ text, from string }{og, "og:title"})
	}
	for _, tag := range tags {
		text := strings.TrimSpace(tag.text)
		seps := tagSepRe.FindAllStringIndex(text, -1)
		if len(seps) == 0 {
			add(text, 1, tag.from)
			continue
		}
		// Each part, and each run of parts from the start, since a
		// separator may belong to the headline itself.
		prev := 0
		for i, sep := range append(seps, []int{len(text), len(text)}) {
			w := 0.5
			if i == 0 {
				w = 1.5
			}
			add(trimTitle(text[prev:sep[0]]), w, tag.from)
			if i > 0 && sep[0] < len(text) {
				add(trimTitle(text[:sep[0]]), 0.5, tag.from)
			}
			prev = sep[1]
		}
	}
	return out
}

// isSiteName reports whether sq (spaces removed) is the site's name: the
// SiteName or og:site_name meta, or a part of <title> that the banner line
// at the top of the page (not a breadcrumb) shows with more beside it.
func isSiteName(p *page, sq string) bool {
	if sq == squeeze(p.rawMeta["sitename"]) || sq == squeeze(p.rawMeta["og:site_name"]) {
		return true
	}
	if len(p.lines) == 0 {
		return false
	}
	first := squeeze(p.lines[0].text)
	if strings.ContainsAny(first, "/>»＞") || len(findDates(first)) > 0 { // a breadcrumb, path or byline, not a banner
		return false
	}
	return len(first) > len(sq) && strings.Contains(first, sq) && strings.Contains(squeeze(p.titleTag), sq) &&
		squeeze(p.titleTag) != sq
}

// titlesAgree reports whether two titles are the same, or one holds the
// other and is at least half as long (a title cut short, or with the
// column name added).
func titlesAgree(a, b string) bool {
	a, b = squeeze(a), squeeze(b)
	if a == b {
		return true
	}
	if runeLen(a) > runeLen(b) {
		a, b = b, a
	}
	return runeLen(a) >= 6 && 2*runeLen(a) >= runeLen(b) && strings.Contains(b, a)
}

// inBreadcrumb reports whether sq (spaces removed) is one step of a
// breadcrumb line ("首页 > 新闻 > 央视论坛 > 帖子") other than the last.
func inBreadcrumb(p *page, sq string) bool {
	if p.crumbs == nil {
		p.crumbs = map[string]bool{}
		for _, l := range p.lines {
			if !strings.ContainsAny(l.text, ">»＞") {
				continue
			}
			steps := crumbSepRe.Split(l.text, -1)
			if len(steps) < 3 {
				continue
			}
			for _, step := range steps[:len(steps)-1] { // the last step may be the page itself
				p.crumbs[squeeze(step)] = true
			}
		}
	}
	return p.crumbs[sq]
}

// lineAboveByline returns the short line just above the first byline
// (作者：, 来源：, a date) near the top of the body, where pages without
// markup for their headline print it.
func lineAboveByline(p *page) string {
	bodyStart := p.start[p.body]
	for i := max(1, bodyStart-15); i < min(len(p.lines), bodyStart+10); i++ {
		text := p.lines[i].text
		if runeLen(text) > 60 || (!bylineRe.MatchString(text) && len(findDates(text)) == 0) {
			continue
		}
		above := p.lines[i-1]
		l := runeLen(squeeze(above.text))
		if l < 4 || l > 80 || bylineRe.MatchString(above.text) || len(findDates(above.text)) > 0 ||
			strings.Contains(above.text, "\t") || linkShare(above.block) > 0.5 {
			return ""
		}
		return above.text
	}
	return ""
}
