package indexer

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/gongkai-project/gongkai/store"
)

// The tests that compare pruned and full scoring build the same indexes of
// 1,200 documents of ../shared/eval, each taking most of a minute under
// -race. The first build of a set of documents is kept, closed, in a folder
// of the test binary's, and every test opens a copy of its own, so none
// sees another's caches, merges or writes.

// TestMain runs the tests, then removes the kept builds.
func TestMain(m *testing.M) {
	code := m.Run()
	if builds.root != "" {
		os.RemoveAll(builds.root)
	}
	os.Exit(code)
}

// keptBuilds holds the folders of the kept builds by their key (buildKey).
type keptBuilds struct {
	mu   sync.Mutex
	root string
	dirs map[[sha256.Size]byte]string
}

var builds keptBuilds

// env returns an env of docs opened on a copy of their kept build named
// layout, which build makes (in a folder of t's) the first time.
func (k *keptBuilds) env(t *testing.T, layout string, docs []*store.Document, build func(*testing.T) *testEnv) *testEnv {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(k.dir(t, layout, docs, build))); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ix, err := Open(filepath.Join(dir, "index"), testConfig(), st)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return &testEnv{st: st, ix: ix, dir: dir}
}

// dir returns the folder of the kept build of docs named layout, building
// it first when there is none.
func (k *keptBuilds) dir(t *testing.T, layout string, docs []*store.Document, build func(*testing.T) *testEnv) string {
	t.Helper()
	k.mu.Lock()
	defer k.mu.Unlock()
	key := buildKey(layout, docs)
	if d, ok := k.dirs[key]; ok {
		return d
	}
	if k.root == "" {
		root, err := os.MkdirTemp("", "gongkai-indexer-builds-")
		if err != nil {
			t.Fatal(err)
		}
		k.root, k.dirs = root, map[[sha256.Size]byte]string{}
	}
	e := build(t)
	if err := e.ix.Close(); err != nil { // t's cleanups close both again, which does nothing
		t.Fatal(err)
	}
	if err := e.st.Close(); err != nil {
		t.Fatal(err)
	}
	d := filepath.Join(k.root, strconv.Itoa(len(k.dirs)))
	if err := os.CopyFS(d, os.DirFS(e.dir)); err != nil {
		t.Fatal(err)
	}
	k.dirs[key] = d
	return d
}

// buildKey tells builds apart: their layout's name and their documents'
// ids, content hashes and attachments' extracted text.
func buildKey(layout string, docs []*store.Document) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(layout + "\x00"))
	for _, d := range docs {
		h.Write([]byte(d.ID + "\x00" + d.ComputeHash() + "\x00"))
		for _, a := range d.Attachments {
			h.Write([]byte(a.Type + "\x01" + a.State + "\x01" + a.Text + "\x00"))
		}
	}
	return [sha256.Size]byte(h.Sum(nil))
}
