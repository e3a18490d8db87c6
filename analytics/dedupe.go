package analytics

import (
	"sort"
	"strings"
	"unicode"
)

// minTitleRunes is the shortest normalised title matched across channels:
// shorter titles ("通知", "公告") are too generic to mean the same item.
const minTitleRunes = 4

// NormalizeTitle folds a title for cross-channel matching: leading 【…】 tags
// (【转载】, 【通知】) dropped, full-width ASCII forms to ASCII, lower case, and
// spaces, punctuation and symbols removed.
func NormalizeTitle(s string) string {
	s = strings.TrimSpace(s)
	for strings.HasPrefix(s, "【") {
		end := strings.Index(s, "】")
		if end < 0 {
			break
		}
		s = strings.TrimSpace(s[end+len("】"):])
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII variants
			r -= 0xFEE0
		}
		switch {
		case r < 0x80:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
				b.WriteRune(r)
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// unit is one countable item for the de-duplicated total.
type unit struct {
	channel string
	day     int    // Beijing day number
	title   string // normalised; "" when it must not be matched by title
	hash    string // store.Item.TextHash; "" when unknown
}

// uniqueCount counts units once per group of the same item: units with the
// same text hash, or with the same normalised title on different channels
// published within window days of each other (不同渠道和方式公开相同信息计1条).
func uniqueCount(units []unit, window int) int {
	uf := newUnionFind(len(units))
	byHash := map[string]int{}
	byTitle := map[string][]int{}
	for i, u := range units {
		if u.hash != "" {
			if j, ok := byHash[u.hash]; ok {
				uf.union(i, j)
			} else {
				byHash[u.hash] = i
			}
		}
		if u.title != "" {
			byTitle[u.title] = append(byTitle[u.title], i)
		}
	}
	for _, idx := range byTitle {
		if len(idx) > 1 {
			unionByTitle(uf, units, idx, window)
		}
	}
	return uf.sets
}

// unionByTitle joins units of one title on different channels whose days are
// within window of each other.
func unionByTitle(uf *unionFind, units []unit, idx []int, window int) {
	sort.Slice(idx, func(a, b int) bool { return units[idx[a]].day < units[idx[b]].day })
	for a := range idx {
		for b := a + 1; b < len(idx) && units[idx[b]].day-units[idx[a]].day <= window; b++ {
			if units[idx[a]].channel != units[idx[b]].channel {
				uf.union(idx[a], idx[b])
			}
		}
	}
}

type unionFind struct {
	parent []int
	sets   int
}

func newUnionFind(n int) *unionFind {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return &unionFind{parent: p, sets: n}
}

func (u *unionFind) find(i int) int {
	for u.parent[i] != i {
		u.parent[i] = u.parent[u.parent[i]]
		i = u.parent[i]
	}
	return i
}

func (u *unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		u.parent[ra] = rb
		u.sets--
	}
}
