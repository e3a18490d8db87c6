package analytics

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// Adoption compares the reports the township sent upward (报送: manual
// entries of the report channel) with its items the upper portal published
// (采用: documents of the upper_portal channel) in the statistics period.
type Adoption struct {
	Sent    int           `json:"sent"`
	Adopted int           `json:"adopted"`
	Rate    float64       `json:"rate"` // adopted / sent, to two decimals; 0 when nothing was sent
	Items   []AdoptedItem `json:"items"`
}

// AdoptedItem is one of the township's items on the upper portal.
type AdoptedItem struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	Published string `json:"published"` // YYYY-MM-DD
}

// ownRecords returns the township's own records, leaving out the items of
// the upper portal, which count only as adopted.
func ownRecords(recs []record) []record {
	out := make([]record, 0, len(recs))
	for _, r := range recs {
		if r.channel != store.ChannelUpperPortal {
			out = append(out, r)
		}
	}
	return out
}

// adoption counts the reports sent and adopted in [from, to), the adopted
// items by date.
func adoption(recs []record, from, to time.Time) Adoption {
	a := Adoption{Items: []AdoptedItem{}}
	for _, r := range recs {
		if r.published.Before(from) || !r.published.Before(to) {
			continue
		}
		switch {
		case r.manual && r.channel == store.ChannelReport:
			a.Sent += r.count
		case r.channel == store.ChannelUpperPortal:
			a.Adopted++
			a.Items = append(a.Items, AdoptedItem{ID: r.id, Title: r.title, Source: r.source, Published: r.published.Format(DateLayout)})
		}
	}
	if a.Sent > 0 {
		a.Rate = math.Round(float64(a.Adopted)/float64(a.Sent)*100) / 100
	}
	slices.SortStableFunc(a.Items, func(x, y AdoptedItem) int { return strings.Compare(x.Published, y.Published) })
	return a
}

// adoptionSentence states the reports sent and adopted, for the annual
// report ("全年报送信息36条，被上级门户采用53条。"), or "" when there were none.
func adoptionSentence(s *YearStats) string {
	a := s.Adoption
	if a.Sent == 0 && a.Adopted == 0 {
		return ""
	}
	return fmt.Sprintf("全年报送信息%d条，被上级门户采用%d条。", a.Sent, a.Adopted)
}
