package analytics

import (
	"slices"
	"strconv"

	"github.com/gongkai-project/gongkai/store"
)

// UnknownType names, in the attachment counts, the files not fetched or of
// a type not recognised.
const UnknownType = "unknown"

// attachmentMap is the JSON form of the attachment counts: year → type → count.
func attachmentMap(counts []store.AttachmentCount) map[string]map[string]int {
	m := map[string]map[string]int{}
	for _, c := range counts {
		y := strconv.Itoa(c.Year)
		if m[y] == nil {
			m[y] = map[string]int{}
		}
		m[y][typeName(c.Type)] += c.Count
	}
	return m
}

func typeName(t string) string {
	if t == "" {
		return UnknownType
	}
	return t
}

// AttachmentTable is the attachment counts as the dashboard shows them: a
// row per year, a column per type found (the searchable types first,
// unknown last).
type AttachmentTable struct {
	Types []string
	Rows  []AttachmentRow
}

// AttachmentRow is one year of AttachmentTable, its counts in Types order.
type AttachmentRow struct {
	Year   int
	Counts []int
	Total  int
}

// AttachmentTable returns the attachment counts of s as a table.
func (s *YearStats) AttachmentTable() AttachmentTable {
	var t AttachmentTable
	for _, c := range s.Attachments {
		if n := typeName(c.Type); !slices.Contains(t.Types, n) {
			t.Types = append(t.Types, n)
		}
	}
	rank := func(n string) int {
		if i := slices.Index(store.AttachmentTypes, n); i >= 0 {
			return i
		}
		if n == UnknownType {
			return 1 << 20
		}
		return len(store.AttachmentTypes)
	}
	slices.SortStableFunc(t.Types, func(a, b string) int { return rank(a) - rank(b) })
	for _, c := range s.Attachments {
		if len(t.Rows) == 0 || t.Rows[len(t.Rows)-1].Year != c.Year {
			t.Rows = append(t.Rows, AttachmentRow{Year: c.Year, Counts: make([]int, len(t.Types))})
		}
		r := &t.Rows[len(t.Rows)-1]
		r.Counts[slices.Index(t.Types, typeName(c.Type))] += c.Count
		r.Total += c.Count
	}
	return t
}
