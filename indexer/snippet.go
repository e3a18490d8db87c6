package indexer

import (
	"html"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
)

// Snippet sizes in bytes of UTF-8 text (about 3 bytes per Chinese character).
const (
	snippetBytes = 360 // about 120 characters
	snippetLead  = 60  // context kept before the first match
)

type span struct{ start, end int }

// snippet returns an HTML excerpt of body around the best cluster of matches:
// the text is escaped and every matched range is wrapped in <mark>. Matches
// come from the locations of the body fields, whose offsets are into body.
func snippet(body string, locs search.FieldTermLocationMap) string {
	spans := matchSpans(body, locs)
	if len(spans) == 0 {
		return html.EscapeString(cut(body, 0, snippetBytes))
	}
	from := bestWindow(spans)
	start := runeStart(body, max(spans[from].start-snippetLead, 0))
	end := runeStart(body, min(start+snippetBytes, len(body)))
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	pos := start
	for _, s := range spans[from:] {
		if s.start >= end {
			break
		}
		b.WriteString(html.EscapeString(body[pos:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(body[s.start:min(s.end, end)]))
		b.WriteString("</mark>")
		pos = min(s.end, end)
	}
	b.WriteString(html.EscapeString(body[pos:end]))
	if end < len(body) {
		b.WriteString("…")
	}
	return b.String()
}

// matchSpans returns the merged, sorted byte ranges of body matches.
func matchSpans(body string, locs search.FieldTermLocationMap) []span {
	var spans []span
	for _, field := range []string{fBodyBi, fBody} {
		for _, ls := range locs[field] {
			for _, l := range ls {
				s, e := int(l.Start), int(l.End)
				if s >= 0 && e <= len(body) && s < e && utf8.RuneStart(body[s]) && (e == len(body) || utf8.RuneStart(body[e])) {
					spans = append(spans, span{s, e})
				}
			}
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var merged []span
	for _, s := range spans {
		if n := len(merged); n > 0 && s.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// bestWindow returns the index of the span that starts the window holding the most matched bytes.
func bestWindow(spans []span) int {
	best, bestScore, j, sum := 0, -1, 0, 0
	for i := range spans {
		for j < len(spans) && spans[j].end <= spans[i].start+snippetBytes-snippetLead {
			sum += spans[j].end - spans[j].start
			j++
		}
		if sum > bestScore {
			best, bestScore = i, sum
		}
		if j > i {
			sum -= spans[i].end - spans[i].start
		} else {
			j = i + 1
		}
	}
	return best
}

// runeStart moves i back to the start of the rune it falls in.
func runeStart(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// cut returns s[start:start+n] on rune boundaries, with … when cut.
func cut(s string, start, n int) string {
	end := runeStart(s, min(start+n, len(s)))
	out := s[start:end]
	if end < len(s) {
		out += "…"
	}
	return out
}
