package proof

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/extract"
	"github.com/gongkai-project/gongkai/demo"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

// kills is how many times each command is killed.
const kills = 20

// crashSeed fixes the kill moments, so a failure can be replayed.
const crashSeed = 20150101

// demoSetup is the demo township served in the test process, its config
// file and the config as the binary reads it.
type demoSetup struct {
	town    *demo.Township
	cfgPath string
	cfg     *config.Config
}

// crashRate is the request rate of the demo sources in the crash tests:
// twice the demo config's 50 per second keeps the test short, and still
// leaves about half of a crawl to fetching and storing, the phase a kill
// must hit (the other half is loading the dictionary and indexing).
const crashRate = 100

// serveDemo serves the demo township (default options) and writes its
// config, with the sources' rate set to crashRate.
func serveDemo(t *testing.T) demoSetup {
	t.Helper()
	town := demo.Generate(demo.Options{})
	sites, err := town.Serve(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c := town.Config(sites)
	for i := range c.Sources {
		c.Sources[i].Rate = crashRate
	}
	path := writeConfig(t, t.TempDir(), c)
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return demoSetup{town: town, cfgPath: path, cfg: cfg}
}

// TestCrashCrawl kills `gongkai crawl` of the demo township 20 times at
// random moments of a crawl (uniform over the duration of one uninterrupted
// crawl, measured first and lowered to the quickest whole crawl seen). A
// killed crawl is resumed by the next run until every item is stored; then
// one more run must complete it, and a new crawl starts from an empty store.
// After every kill the SQLite file must be intact and hold every document it
// held before, none twice and nothing that is not a demo item; every run
// that finishes must have stored every item, no unavailable page, and an
// index with exactly the store's ids.
func TestCrashCrawl(t *testing.T) {
	skipHeavy(t, "crash test: kills gongkai 20 times")
	t.Parallel()
	d := serveDemo(t)
	bin := gongkaiBinary(t)
	ref := gongkaiRun{bin: bin, data: t.TempDir(), config: d.cfgPath}
	full := ref.run(t, "crawl")
	t.Logf("one uninterrupted crawl of %d demo items (index update included): %v", len(d.town.Items), full.Round(time.Millisecond))
	checkCompleteCrawl(t, ref, d)

	rng := rand.New(rand.NewPCG(crashSeed, 1))
	g := gongkaiRun{bin: bin, config: d.cfgPath}
	var killed, midStore, chains int
	for i := range kills {
		if g.data == "" {
			g.data, chains = t.TempDir(), chains+1
		}
		before := mustRead(t, g)
		delay := time.Duration(rng.Int64N(int64(full)))
		k := g.runKilled(t, delay, "crawl")
		if !k.Killed && len(before.docs) == 0 {
			full = min(full, k.Elapsed) // a whole crawl took less under the current load
		}
		checkIntegrity(t, g)
		after := mustRead(t, g)
		t.Logf("crawl kill %2d (chain %d): %s; documents %d → %d", i+1, chains, k, len(before.docs), len(after.docs))
		checkAfterKill(t, before, after, d.town)
		switch {
		case k.Killed && len(after.docs) < len(d.town.Items):
			killed, midStore = killed+1, midStore+1
			continue // the next run resumes this crawl
		case k.Killed:
			// Every item is stored: later kills would only hit re-fetches
			// of known pages, so resume to the end and start a new crawl.
			killed++
			g.run(t, "crawl")
		case k.Exit != "exit 0":
			t.Fatalf("crawl ended with %s:\n%s", k.Exit, k.Output)
		}
		checkCompleteCrawl(t, g, d)
		g.data = ""
	}
	if g.data != "" {
		g.run(t, "crawl")
		checkCompleteCrawl(t, g, d)
	}
	t.Logf("crawl: %d of %d runs killed (%d before every item was stored), %d crawls from an empty store, each resumed to completion",
		killed, kills, midStore, chains)
	if killed < kills/3 {
		t.Errorf("only %d of %d kills hit a running crawl: the delays do not cover the crawl", killed, kills)
	}
}

// TestCrashRebuild kills `gongkai index --rebuild` 20 times at random moments
// (uniform over the quickest whole rebuild seen); after each kill `gongkai
// index` must succeed and leave an index holding exactly the ids of the
// store's live documents. Generation folders abandoned by killed rebuilds
// are counted and logged: they waste disk but lose nothing.
func TestCrashRebuild(t *testing.T) {
	skipHeavy(t, "crash test: kills gongkai 20 times")
	t.Parallel()
	d := serveDemo(t)
	g := gongkaiRun{bin: gongkaiBinary(t), data: t.TempDir(), config: d.cfgPath}
	g.run(t, "crawl")
	full := g.run(t, "index", "--rebuild")
	t.Logf("one uninterrupted index --rebuild of %d documents: %v", len(d.town.Items), full.Round(time.Millisecond))
	checkIndexMatchesStore(t, g, d.cfg)

	rng := rand.New(rand.NewPCG(crashSeed, 2))
	var killed, orphans int
	for i := range kills {
		delay := time.Duration(rng.Int64N(int64(full)))
		k := g.runKilled(t, delay, "index", "--rebuild")
		switch {
		case k.Killed:
			killed++
		case k.Exit != "exit 0":
			t.Fatalf("index --rebuild ended with %s:\n%s", k.Exit, k.Output)
		default:
			full = min(full, k.Elapsed) // a rebuild took less under the current load
		}
		restart := g.run(t, "index")
		t.Logf("rebuild kill %2d: %s; restart `gongkai index` %v; index folder: %s",
			i+1, k, restart.Round(time.Millisecond), strings.Join(listDir(t, g.indexPath()), " "))
		checkIntegrity(t, g)
		checkIndexMatchesStore(t, g, d.cfg)
		orphans = max(orphans, countGenerations(t, g.indexPath())-1)
	}
	t.Logf("index --rebuild: %d of %d runs killed mid-way; at most %d abandoned generation folders left beside the live index", killed, kills, orphans)
	if killed < kills/3 {
		t.Errorf("only %d of %d kills hit a running rebuild: the delays do not cover it", killed, kills)
	}
}

func mustRead(t *testing.T, g gongkaiRun) *snapshot {
	t.Helper()
	s, err := readStore(t.Context(), g.storePath())
	if err != nil {
		t.Fatalf("store after a kill: %v", err)
	}
	return s
}

// checkIntegrity runs SQLite's integrity check on the store file as the
// kill left it (before gongkai opens it again), when there is one.
func checkIntegrity(t *testing.T, g gongkaiRun) {
	t.Helper()
	if _, err := os.Stat(g.storePath()); err != nil {
		return
	}
	if res, err := integrityCheck(g.storePath()); err != nil || res != "ok" {
		t.Fatalf("integrity_check of %s: %q %v", g.storePath(), res, err)
	}
}

// checkAfterKill checks the store a killed (or finished) run left behind.
func checkAfterKill(t *testing.T, before, after *snapshot, town *demo.Township) {
	t.Helper()
	if lost := after.lostFrom(before); len(lost) > 0 {
		t.Fatalf("%d committed documents lost or changed by the kill: %v", len(lost), firstN(lost, 5))
	}
	if dup := after.duplicateIDs(); len(dup) > 0 {
		t.Fatalf("duplicate ids after kill: %v", firstN(dup, 5))
	}
	for _, p := range firstN(demoProblems(after, town, false), 10) {
		t.Error(p)
	}
	if t.Failed() {
		t.FailNow()
	}
}

// checkCompleteCrawl checks a data directory after a crawl that ran to its end.
func checkCompleteCrawl(t *testing.T, g gongkaiRun, d demoSetup) {
	t.Helper()
	s := mustRead(t, g)
	for _, p := range firstN(demoProblems(s, d.town, true), 10) {
		t.Error(p)
	}
	checkIndexMatchesStore(t, g, d.cfg)
	if t.Failed() {
		t.FailNow()
	}
}

// demoProblems compares a store with the generated township: every document
// must be one demo item (matched on its canonical URL, with the item's title
// and publication time), no item may be stored twice, and no unavailable
// WeChat page may be a document. complete also requires every item.
func demoProblems(s *snapshot, town *demo.Township, complete bool) []string {
	items := map[string]*demo.Item{}
	for i := range town.Items {
		items[extract.CanonicalURL(town.Items[i].URL)] = &town.Items[i]
	}
	gone := map[string]bool{}
	for _, u := range town.Unavailable {
		gone[extract.CanonicalURL(u)] = true
	}
	adopted := map[string]bool{} // the township's items on the city portal, stored besides its own
	for _, it := range town.City {
		adopted[extract.CanonicalURL(it.URL)] = it.Town
	}
	var probs []string
	stored := map[string]string{} // item id -> document id
	for _, doc := range s.docs {
		u := extract.CanonicalURL(doc.URL)
		it := items[u]
		switch {
		case gone[u]:
			probs = append(probs, fmt.Sprintf("unavailable page %s stored as document %s", u, doc.ID))
		case adopted[u]:
			continue
		case it == nil:
			probs = append(probs, fmt.Sprintf("document %s (%s) is no demo item", doc.ID, u))
		case stored[it.ID] != "":
			probs = append(probs, fmt.Sprintf("demo item %s stored twice: %s and %s", it.ID, stored[it.ID], doc.ID))
		case doc.Title != it.Title || !doc.Published.Equal(it.Published):
			probs = append(probs, fmt.Sprintf("document %s: %q %v, demo item %s is %q %v", doc.ID, doc.Title, doc.Published, it.ID, it.Title, it.Published))
		default:
			stored[it.ID] = doc.ID
		}
	}
	if complete {
		for _, it := range town.Items {
			if stored[it.ID] == "" {
				probs = append(probs, fmt.Sprintf("demo item %s (%s) not stored", it.ID, it.URL))
			}
		}
	}
	return probs
}

// checkIndexMatchesStore opens the index as gongkai would and compares its
// ids with the ids of the store's live documents.
func checkIndexMatchesStore(t *testing.T, g gongkaiRun, cfg *config.Config) {
	t.Helper()
	s := mustRead(t, g)
	st, err := store.Open(g.storePath())
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	defer st.Close()
	ix, err := indexer.Open(g.indexPath(), cfg, st)
	if err != nil {
		t.Fatalf("open index: %v", err)
	}
	defer ix.Close()
	ids, err := ix.IDs(context.Background())
	if err != nil {
		t.Fatalf("index ids: %v", err)
	}
	sort.Strings(ids)
	onlyIndex, onlyStore := diffIDs(ids, s.liveIDs())
	if len(onlyIndex)+len(onlyStore) > 0 {
		t.Fatalf("index (%d ids) and store (%d live) differ: %d only in the index %v, %d only in the store %v",
			len(ids), len(s.live), len(onlyIndex), firstN(onlyIndex, 5), len(onlyStore), firstN(onlyStore, 5))
	}
	if dup := len(ids) - len(uniq(ids)); dup > 0 {
		t.Fatalf("index lists %d ids twice", dup)
	}
}

func uniq(sorted []string) []string {
	var out []string
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// countGenerations counts the index generation folders in dir.
func countGenerations(t *testing.T, dir string) int {
	n := 0
	for _, name := range listDir(t, dir) {
		if strings.HasPrefix(name, "gen-") {
			n++
		}
	}
	return n
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("list %s: %v", dir, err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
		if e.IsDir() {
			names[i] += string(filepath.Separator)
		}
	}
	return names
}
