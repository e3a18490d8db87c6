package proof

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	_ "modernc.org/sqlite" // the driver the store uses; opened read-only for integrity checks

	"github.com/gongkai-project/gongkai/store"
)

// binDir holds the gongkai binary built for this test run; set by TestMain.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gongkai-proof-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "proof: temp dir for the binary:", err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildOnce builds cmd/gongkai once per test binary.
var buildOnce = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(binDir, "gongkai")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/gongkai-project/gongkai/cmd/gongkai")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build gongkai/cmd/gongkai: %v\n%s", err, out)
	}
	return bin, nil
})

// gongkaiBinary returns the path of the freshly built gongkai binary.
func gongkaiBinary(t testing.TB) string {
	t.Helper()
	bin, err := buildOnce()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// skipHeavy skips the crash and load tests with -short, and under -race:
// there the test process (demo sites, HTTP server, indexing) runs several
// times slower, which measures the race detector, and a crash test takes six
// minutes instead of three. Their code is one goroutine driving subprocesses
// or plain HTTP clients; the packages they exercise run their own tests
// with -race.
func skipHeavy(t *testing.T, what string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("%s: skipped with -short", what)
	}
	if raceEnabled {
		t.Skipf("%s: skipped under -race (too slow to mean anything); run `go test -v ./proof/` without -race", what)
	}
}

// integrityCheck runs PRAGMA integrity_check on the SQLite file at path,
// opened read-only, and returns its answer ("ok" when intact).
func integrityCheck(path string) (string, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return "", fmt.Errorf("open %s read-only: %w", path, err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil {
		return "", fmt.Errorf("integrity_check %s: %w", path, err)
	}
	return res, nil
}

// snapshot is what a store holds, read through the store package.
type snapshot struct {
	docs []*store.Document          // every document, in id order
	live map[string]*store.Document // live documents by id
	hash map[string]string          // content hash by id, every document
}

// readStore opens the store at path (the product path: WAL recovery and
// migrations included) and reads every document.
func readStore(ctx context.Context, path string) (*snapshot, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return &snapshot{live: map[string]*store.Document{}, hash: map[string]string{}}, nil
	}
	st, err := store.Open(path)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	s := &snapshot{live: map[string]*store.Document{}, hash: map[string]string{}}
	err = st.Each(ctx, func(d *store.Document) error {
		s.docs = append(s.docs, d)
		s.hash[d.ID] = d.ContentHash
		if d.Status == store.StatusLive {
			s.live[d.ID] = d
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return s, nil
}

// liveIDs returns the sorted ids of the live documents.
func (s *snapshot) liveIDs() []string {
	ids := make([]string, 0, len(s.live))
	for id := range s.live {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// lostFrom lists the documents of before that s no longer holds with the same content.
func (s *snapshot) lostFrom(before *snapshot) []string {
	var lost []string
	for id, h := range before.hash {
		if got, ok := s.hash[id]; !ok || got != h {
			lost = append(lost, id)
		}
	}
	sort.Strings(lost)
	return lost
}

// duplicateIDs lists ids that occur more than once among the documents.
func (s *snapshot) duplicateIDs() []string {
	seen := map[string]int{}
	var dup []string
	for _, d := range s.docs {
		if seen[d.ID]++; seen[d.ID] == 2 {
			dup = append(dup, d.ID)
		}
	}
	return dup
}

// diffIDs returns the ids only in a and only in b (both sorted).
func diffIDs(a, b []string) (onlyA, onlyB []string) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i] < b[j]):
			onlyA = append(onlyA, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			onlyB = append(onlyB, b[j])
			j++
		default:
			i++
			j++
		}
	}
	return onlyA, onlyB
}

// firstN cuts a list for messages.
func firstN(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
