package extract

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/internal/shareddata"
	"github.com/gongkai-project/gongkai/store"
)

// fixtureKey is an answer key of ../shared/fixtures/pages (see its README).
type fixtureKey struct {
	File          string            `json:"file"`
	Kind          string            `json:"kind"`
	Reason        string            `json:"reason"`
	Title         *string           `json:"title"`
	Published     *string           `json:"published"`
	PublishedTime *string           `json:"published_time"`
	Publisher     *string           `json:"publisher"`
	BodyHead      *string           `json:"body_head"`
	BodyTail      *string           `json:"body_tail"`
	BodyLen       *int              `json:"body_len_approx"`
	Meta          map[string]string `json:"meta"`
}

type fixture struct {
	name string
	raw  []byte
	key  fixtureKey
}

// loadFixtures reads the shared fixture pages and their keys.
func loadFixtures(t testing.TB) []fixture {
	return loadPages(t, shareddata.Path(t, "fixtures/pages"))
}

// realPages is the directory of real pages added in this package, with
// keys in the shared format (see its README).
const realPages = "testdata/real"

// loadPages reads every NAME.json key in dir and the page NAME.html beside it.
func loadPages(t testing.TB, pages string) []fixture {
	keys, err := filepath.Glob(filepath.Join(pages, "*.json"))
	if err != nil || len(keys) == 0 {
		t.Fatalf("no answer keys in %s: %v", pages, err)
	}
	var out []fixture
	for _, k := range keys {
		f := fixture{name: strings.TrimSuffix(filepath.Base(k), ".json")}
		b, err := os.ReadFile(k)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &f.key); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		if f.raw, err = os.ReadFile(strings.TrimSuffix(k, ".json") + ".html"); err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

// norm deletes whitespace and zero-width characters, as the key README says.
func norm(s string) string { return squeeze(s) }

// tally counts passes per field.
type tally map[string][2]int

func (t tally) add(field string, pass bool) {
	c := t[field]
	c[1]++
	if pass {
		c[0]++
	}
	t[field] = c
}

func (t tally) share(field string) float64 {
	c := t[field]
	if c[1] == 0 {
		return 1
	}
	return float64(c[0]) / float64(c[1])
}

// scoreFixture compares one extraction with its key and returns failures.
func scoreFixture(a *Article, key fixtureKey, scores tally) []string {
	var fails []string
	check := func(field string, pass bool, got, want any) {
		scores.add(field, pass)
		if !pass {
			fails = append(fails, fmt.Sprintf("%s: got %q, want %q", field, got, want))
		}
	}
	if key.Kind == "error" {
		check("error", a.Kind == KindError && a.Body == "", a.Kind+"/"+a.Reason, key.Reason)
		return fails
	}
	check("not_error", a.Kind != KindError, a.Kind+"/"+a.Reason, key.Kind)
	if key.Title != nil {
		check("title", norm(a.Title) == norm(*key.Title), a.Title, *key.Title)
	}
	pub := ""
	if !a.Published.IsZero() {
		pub = a.Published.In(store.Beijing).Format("2006-01-02")
	}
	if key.Published != nil {
		check("published", pub == *key.Published, pub, *key.Published)
	}
	if key.PublishedTime != nil && a.PublishedHasTime {
		got := a.Published.In(store.Beijing).Format("15:04")
		check("published_time", got == *key.PublishedTime, got, *key.PublishedTime)
	}
	body := norm(a.Body)
	if key.BodyHead != nil {
		check("body_head", strings.Contains(body, norm(*key.BodyHead)), headOf(body), *key.BodyHead)
	}
	if key.BodyTail != nil {
		check("body_tail", strings.Contains(body, norm(*key.BodyTail)), tailOf(body), *key.BodyTail)
	}
	if key.BodyHead != nil && key.BodyTail != nil {
		scores.add("body", strings.Contains(body, norm(*key.BodyHead)) && strings.Contains(body, norm(*key.BodyTail)))
	}
	if key.BodyLen != nil {
		n, k := runeLen(body), *key.BodyLen
		check("body_len", 10*abs(n-k) <= 3*k, fmt.Sprint(n), fmt.Sprint(k))
	}
	if key.Publisher != nil {
		g, w := norm(a.Publisher), norm(*key.Publisher)
		check("publisher", g != "" && (strings.Contains(g, w) || strings.Contains(w, g)), a.Publisher, *key.Publisher)
	}
	for label, want := range key.Meta {
		check("meta", norm(a.Meta[label]) == norm(want), label+"="+a.Meta[label], want)
	}
	return fails
}

func headOf(s string) string {
	r := []rune(s)
	return string(r[:min(len(r), 40)])
}

func tailOf(s string) string {
	r := []rune(s)
	return string(r[max(0, len(r)-40):])
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// floors are the shares of pages each field must pass on the shared
// fixtures and the real pages of testdata together. "body" is a page whose
// body holds both the key's first and last words; body_len is within ±30%.
var floors = map[string]float64{"title": 0.97, "published": 0.97, "body": 0.95, "body_head": 0.95,
	"body_tail": 0.95, "body_len": 0.90, "error": 1, "not_error": 1}

// TestFixtures scores the extractor on the shared fixture pages and on the
// real pages of testdata, logs the shares per set, and fails when the two
// sets together fall under a floor. Publisher and meta are reported only.
func TestFixtures(t *testing.T) {
	all := tally{}
	for _, set := range []struct {
		name  string
		pages []fixture
	}{{"shared", loadFixtures(t)}, {"real", loadPages(t, realPages)}} {
		scores := tally{}
		for _, f := range set.pages {
			a, err := Extract("", f.raw, "", config.Selectors{})
			if err != nil {
				t.Errorf("%s: %v", f.name, err)
				continue
			}
			for _, fail := range scoreFixture(a, f.key, scores) {
				t.Logf("%s/%s: %s", set.name, f.name, fail)
			}
		}
		logScores(t, set.name, scores)
		for k, c := range scores {
			a := all[k]
			all[k] = [2]int{a[0] + c[0], a[1] + c[1]}
		}
	}
	logScores(t, "all", all)
	for field, need := range floors {
		if got := all.share(field); got < need {
			t.Errorf("%s: %.1f%% pass, need %.0f%%", field, 100*got, 100*need)
		}
	}
}

// logScores logs one line per field of a tally.
func logScores(t *testing.T, set string, scores tally) {
	fields := make([]string, 0, len(scores))
	for k := range scores {
		fields = append(fields, k)
	}
	sort.Strings(fields)
	for _, k := range fields {
		t.Logf("score %-6s %-15s %3d/%-3d %.1f%%", set, k, scores[k][0], scores[k][1], 100*scores.share(k))
	}
}
