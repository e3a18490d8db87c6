package analytics

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
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
		case r >= 0x4E00 && r <= 0x9FFF: // CJK unified ideographs: letters without case
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// matchTitle is the normalised title used for matching, or "" for titles too
// short to tell items apart.
func matchTitle(title string) string {
	t := NormalizeTitle(title)
	if utf8.RuneCountInString(t) < minTitleRunes {
		return ""
	}
	return t
}

// unit is one countable item for the de-duplicated total; strings are
// interned (0: unknown, never matched).
type unit struct {
	owner   int32 // the unit (township, bureau) that published it
	channel int32
	day     int32 // Beijing day number
	title   int32 // normalised title
	hash    int32 // store.Item.TextHash
}

// uniqueCount counts units once per group of the same item of one owner:
// units with the same text hash, or with the same normalised title on
// different channels published within window days of each other
// (不同渠道和方式公开相同信息计1条). The same item published by two owners
// counts once for each. ids bounds the interned ids.
func uniqueCount(units []unit, ids int32, window int) int {
	uf := newUnionFind(len(units))
	first := make([]int32, ids)       // first unit+1 of each hash
	var firstOwned map[[2]int32]int32 // first unit+1 of each hash, per owner, once a hash has two owners
	titles := make([]int32, ids)      // units per title
	for i, u := range units {
		if u.hash != 0 {
			switch j := first[u.hash]; {
			case j == 0:
				first[u.hash] = int32(i + 1)
			case units[j-1].owner == u.owner:
				uf.union(i, int(j-1))
			default:
				if firstOwned == nil {
					firstOwned = map[[2]int32]int32{}
				}
				k := [2]int32{u.owner, u.hash}
				if o := firstOwned[k]; o > 0 {
					uf.union(i, int(o-1))
				} else {
					firstOwned[k] = int32(i + 1)
				}
			}
		}
		if u.title != 0 {
			titles[u.title]++
		}
	}
	var shared []int // units whose title other units carry too
	for i, u := range units {
		if u.title != 0 && titles[u.title] > 1 {
			shared = append(shared, i)
		}
	}
	sort.Slice(shared, func(a, b int) bool {
		ua, ub := units[shared[a]], units[shared[b]]
		if ua.title != ub.title {
			return ua.title < ub.title
		}
		if ua.owner != ub.owner {
			return ua.owner < ub.owner
		}
		return ua.day < ub.day
	})
	for start := 0; start < len(shared); {
		end := start + 1
		for end < len(shared) && units[shared[end]].title == units[shared[start]].title &&
			units[shared[end]].owner == units[shared[start]].owner {
			end++
		}
		unionByTitle(uf, units, shared[start:end], window)
		start = end
	}
	return uf.sets
}

// unionByTitle joins units of one title, sorted by day, on different
// channels whose days are within window of each other.
func unionByTitle(uf *unionFind, units []unit, idx []int, window int) {
	for a := range idx {
		for b := a + 1; b < len(idx) && int(units[idx[b]].day-units[idx[a]].day) <= window; b++ {
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
