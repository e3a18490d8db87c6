package chinese

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-ego/gse"
)

// dictCacheMagic starts the first line of a dictionary cache file:
//
//	gongkai-gse-dictionary 1 KEY TOKENS SHA256
//
// KEY names the gse release and the user words, TOKENS is the number of
// dictionary lines that follow and SHA256 their checksum. Each line is
// "word freq [pos]", sorted by word.
const dictCacheMagic = "gongkai-gse-dictionary 1"

// loadCached loads the segmenter for words (normalised) from the cache file
// when it holds one made for them, else from gse's embedded dictionary,
// and then writes the cache (a failure to write is logged: the segmenter
// is loaded all the same). A cache made of the loaded dictionary, sorted,
// builds gse's trie about twice as fast as the embedded file (whose order
// makes the double-array trie relocate its nodes) and gives the same
// words; with user words it also spares the second pass over the
// dictionary that adding them costs.
func loadCached(words []string, cache string) (*gse.Segmenter, error) {
	version := gseVersion()
	if cache == "" || version == "" {
		return loadSegmenter(words)
	}
	return loadWithCache(words, cache, dictKey(version, userWordFreq, userWordPOS, words))
}

// loadWithCache is loadCached with the cache's key. It first removes the
// stale temporary files of writes that a killed process left beside the cache.
func loadWithCache(words []string, cache, key string) (*gse.Segmenter, error) {
	removeStaleTemps(filepath.Dir(cache), time.Now().Add(-staleTempAge))
	seg, err := readDictCache(cache, key)
	if err == nil {
		return seg, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		slog.Warn("gse dictionary cache not used: loading the embedded dictionary and writing the cache again", "file", cache, "err", err)
	}
	if seg, err = loadSegmenter(words); err != nil {
		return nil, err
	}
	if err := writeDictCache(cache, key, seg); err != nil {
		slog.Warn("gse dictionary cache not written (the next start loads the embedded dictionary again)", "file", cache, "err", err)
	}
	return seg, nil
}

// gseVersion is the release of gse built into this binary, "" when the
// binary carries no module information (a test binary): then there is no
// cache, since nothing would tell a cache of another release apart.
func gseVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, d := range info.Deps {
		if d.Path != "github.com/go-ego/gse" {
			continue
		}
		if d.Replace != nil {
			return d.Replace.Path + "@" + d.Replace.Version
		}
		if d.Version != "(devel)" {
			return d.Version
		}
	}
	return ""
}

// dictKey names the dictionary a segmenter for words holds: gse's release
// and the part of its dictionary loaded (embeddedDict), the frequency and
// part of speech user words are given, and the words, so that a change to
// any of them makes the cache be written again.
func dictKey(version string, freq float64, pos string, words []string) string {
	h := sha256.Sum256(fmt.Appendf(nil, "%s %s\n%g %s\n%s", version, embeddedDict, freq, pos, strings.Join(words, "\n")))
	return hex.EncodeToString(h[:12])
}

// dictTempPattern names the temporary file a cache is written to before it
// is renamed into place (writeDictCache).
const dictTempPattern = ".gse-dict-*"

// staleTempAge is the age after which a temporary cache file is left over
// from a killed process rather than being written: a write takes a second.
const staleTempAge = 10 * time.Minute

// removeStaleTemps removes the temporary cache files in dir last modified
// before cutoff; what cannot be removed is logged and left.
func removeStaleTemps(dir string, cutoff time.Time) {
	paths, _ := filepath.Glob(filepath.Join(dir, dictTempPattern)) // the pattern is valid
	for _, p := range paths {
		info, err := os.Lstat(p)
		if err != nil || !info.Mode().IsRegular() || !info.ModTime().Before(cutoff) {
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			slog.Warn("remove a temporary gse dictionary file left by a killed process", "file", p, "err", err)
		}
	}
}

// readDictCache loads a segmenter from the cache file made for key.
func readDictCache(path, key string) (*gse.Segmenter, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	head, body, ok := bytes.Cut(b, []byte("\n"))
	var gotKey, sum string
	var tokens int
	if !ok || !bytes.HasPrefix(head, []byte(dictCacheMagic+" ")) {
		return nil, fmt.Errorf("not a gongkai dictionary cache")
	}
	if _, err := fmt.Sscanf(string(head[len(dictCacheMagic):]), " %s %d %s", &gotKey, &tokens, &sum); err != nil {
		return nil, fmt.Errorf("bad first line: %w", err)
	}
	if gotKey != key {
		return nil, fmt.Errorf("made for another gse release or other user words")
	}
	if h := sha256.Sum256(body); hex.EncodeToString(h[:]) != sum {
		return nil, fmt.Errorf("checksum does not match (damaged)")
	}
	if lines := bytes.Count(body, []byte("\n")) + 1; tokens != lines {
		return nil, fmt.Errorf("first line says %d words, the file holds %d lines", tokens, lines)
	}
	seg := &gse.Segmenter{SkipLog: true, NotLoadHMM: true}
	// the word list at its full size at once: growing it by appends cost
	// gse about a tenth of the load (copies, page faults)
	seg.Dict = gse.NewDict()
	seg.Dict.Tokens = make([]gse.Token, 0, tokens)
	seg.Init()
	if err := addCachedWords(seg, body); err != nil {
		return nil, err
	}
	if n := seg.Dict.NumTokens(); n != tokens {
		return nil, fmt.Errorf("%d words loaded, want %d", n, tokens)
	}
	seg.CalcToken()
	return seg, nil
}

// wordBatch is the number of words parsed ahead of the trie in one batch.
const wordBatch = 4096

// addCachedWords adds the words of a cache's body to seg's dictionary in
// their (sorted) order, as gse's LoadDictStr does without its CalcToken.
// A second goroutine parses the lines and splits the words into gse
// tokens while this one inserts them into the trie: the insertion, which
// cannot be shared, is then all the load waits for before CalcToken.
func addCachedWords(seg *gse.Segmenter, body []byte) error {
	full, free := make(chan []gse.Token, 4), make(chan []gse.Token, 4)
	for range cap(free) {
		free <- make([]gse.Token, 0, wordBatch)
	}
	parsed := make(chan error, 1)
	go func() { parsed <- parseCachedWords(seg, body, free, full) }()
	var err error
	for batch := range full {
		for _, tok := range batch {
			if err == nil {
				err = seg.Dict.AddToken(tok)
			}
		}
		free <- batch[:0]
	}
	if perr := <-parsed; perr != nil {
		return perr
	}
	return err
}

// parseCachedWords turns the lines of a cache's body ("word freq [pos]")
// into gse tokens, sending them on full in batches taken from free, and
// closes full. Frequencies go through gse's own rules (Segmenter.Size).
func parseCachedWords(seg *gse.Segmenter, body []byte, free <-chan []gse.Token, full chan<- []gse.Token) error {
	defer close(full)
	pos := map[string]string{} // a few dozen tags: one copy each, not the text's
	batch := <-free
	var text string
	for n := 1; text != "" || len(body) > 0; n++ {
		if text == "" {
			// a piece at a time: the first batch does not wait for a copy of the whole file
			text, body = nextLines(body, parsePiece)
		}
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		fields := strings.Split(line, " ") // as written: a word may hold any other space (a tab, U+00A0)
		if len(fields) < 2 || len(fields) > 3 {
			return fmt.Errorf("line %d: %q is not \"word freq [pos]\"", n, line)
		}
		freq := seg.Size(len(fields), fields[0], fields[1])
		if freq == 0 {
			return fmt.Errorf("line %d: %q has no valid frequency", n, line)
		}
		var tag string
		if len(fields) == 3 {
			if tag = pos[fields[2]]; tag == "" {
				tag = strings.Clone(fields[2])
				pos[tag] = tag
			}
		}
		batch = append(batch, seg.ToToken(fields[0], freq, tag))
		if len(batch) == cap(batch) {
			full <- batch
			batch = <-free
		}
	}
	full <- batch
	return nil
}

// parsePiece is the length of text parseCachedWords turns into a string at once.
const parsePiece = 64 << 10

// nextLines returns the first whole lines of b of about n bytes (all of b
// when shorter) as a string, and the rest.
func nextLines(b []byte, n int) (string, []byte) {
	if len(b) <= n {
		return string(b), nil
	}
	if i := bytes.IndexByte(b[n:], '\n'); i >= 0 {
		n += i + 1
	} else {
		n = len(b)
	}
	return string(b[:n]), b[n:]
}

// writeDictCache writes seg's dictionary, sorted, to path (a temporary file
// renamed into place). A dictionary holding a word its line format cannot
// carry (a space, a line break) is not written.
func writeDictCache(path, key string, seg *gse.Segmenter) error {
	toks := seg.Dict.Tokens
	lines := make([]string, 0, len(toks))
	for i := range toks {
		t := &toks[i]
		w := t.Text()
		if w == "" || strings.TrimSpace(w) != w || strings.ContainsAny(w, " \r\n") {
			return fmt.Errorf("word %q cannot be written as a line", w)
		}
		line := w + " " + strconv.FormatFloat(t.Freq(), 'g', -1, 64)
		if p := t.Pos(); strings.ContainsAny(p, " \r\n") {
			return fmt.Errorf("part of speech %q of %q cannot be written as a line", p, w)
		} else if p != "" {
			line += " " + p
		}
		lines = append(lines, line)
	}
	slices.Sort(lines)
	body := []byte(strings.Join(lines, "\n"))
	h := sha256.Sum256(body)
	f, err := os.CreateTemp(filepath.Dir(path), dictTempPattern)
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = fmt.Fprintf(f, "%s %s %d %s\n", dictCacheMagic, key, len(lines), hex.EncodeToString(h[:]))
	if err == nil {
		_, err = f.Write(body)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
