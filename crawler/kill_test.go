package crawler

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/fetch"
	"github.com/gongkai-project/gongkai/store"
)

// TestKillDuringCrawl kills a crawling process with SIGKILL midway and
// crawls again: every article ends up stored exactly once.
func TestKillDuringCrawl(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a crawler process")
	}
	s := newTownship(t, 40, 5)
	db := filepath.Join(t.TempDir(), "gongkai.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrawlProcess$")
	cmd.Env = append(os.Environ(), "GONGKAI_TEST_CRAWL_SITE="+s.URL, "GONGKAI_TEST_CRAWL_DB="+db)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for articleRequests(s) < 12 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()

	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	before, _ := st.Count(context.Background())
	if before == 0 || before >= 40 {
		t.Fatalf("%d documents when the crawler was killed; the test wants a crawl cut midway", before)
	}
	runs, err := newCrawler(st, killConfig(s.URL), nil).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := st.Count(context.Background()); n != 40 || runs[0].New != 40-before || runs[0].Changed != 0 {
		t.Fatalf("after resuming: %d documents (want 40), run %+v, %d stored before the kill", n, runs[0], before)
	}
}

// TestCrawlProcess is the crawler process TestKillDuringCrawl kills.
func TestCrawlProcess(t *testing.T) {
	site, db := os.Getenv("GONGKAI_TEST_CRAWL_SITE"), os.Getenv("GONGKAI_TEST_CRAWL_DB")
	if site == "" {
		t.Skip("run by TestKillDuringCrawl")
	}
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	cfg := killConfig(site)
	cfg.Sources[0].Rate = 40 // slow enough to be killed midway
	New(st, cfg, Options{Fetch: fetch.Options{Rate: 40, Allow: fetch.Allow{Private: true}}, Progress: func(Event) {}}).Run(context.Background())
}

func killConfig(site string) *config.Config {
	cfg := config.Default()
	cfg.Sources = []config.Source{{Name: "portal", Kind: config.KindPortal, Start: []string{site + "/tzgg/index.html"}, Rate: -1}}
	return cfg
}

func articleRequests(s *township) int {
	n := 0
	for _, rq := range s.log() {
		if strings.HasPrefix(rq.path, "/tzgg/201503/") {
			n++
		}
	}
	return n
}
