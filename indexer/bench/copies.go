package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

// CopiesOptions says what `gongkai bench --copies N` measures: N copies of
// a corpus in a data folder, stored, indexed and searched as the product
// does, by processes of their own, so that the copies are never held in
// memory and each step's peak RSS is its own.
type CopiesOptions struct {
	Corpus  string
	Queries []string // judged query sets, here for latency only
	Copies  int
	Data    string // the data folder: Data/gongkai.db and Data/index
	// Unit is the unit a stored copy gets when it names none: the source's
	// or the home unit of the configuration gongkai runs with.
	Unit func(*store.Document) string
	// Command runs gongkai on Data with the caller's global flags: the
	// build is Command + "index", the measurement Command + "bench CORPUS
	// --existing".
	Command []string
}

// buildRecord is what the build of a data folder's index cost, kept in the
// folder (buildRecordFile) so that a later bench on the same folder reports
// it without building again.
type buildRecord struct {
	Date      time.Time `json:"date"`
	Documents int       `json:"documents"`
	WallS     float64   `json:"wall_s"`
	CPUS      float64   `json:"cpu_s"`
	PeakRSSKB int64     `json:"peak_rss_kb"`
	Load      string    `json:"load_at_start"`
}

const buildRecordFile = "bench-build.json"

// RunCopies writes the copies the data folder's store lacks, brings its
// index up to date with `gongkai index` in a child process (timed, its peak
// RSS read from the kernel), then measures the index in another child
// (`gongkai bench --existing`), and writes one table to w. There is no
// baseline and no quality figure: the judgements name the original ids.
func RunCopies(ctx context.Context, o CopiesOptions, w io.Writer) error {
	if o.Copies < 1 {
		return fmt.Errorf("bench: --copies %d: want at least 1", o.Copies)
	}
	if err := os.MkdirAll(o.Data, 0o700); err != nil {
		return fmt.Errorf("bench data folder: %w", err)
	}
	var t table
	add := t.add
	add("machine", "%d CPUs, load average %s at start", runtime.NumCPU(), loadAverage())
	n, err := storeCopies(ctx, o, add)
	if err != nil {
		return err
	}
	rec, built, err := buildIndex(ctx, o, n)
	if err != nil {
		return err
	}
	switch {
	case rec.Date.IsZero():
		add("index build (`gongkai index`, own process)", "built earlier, not recorded (no %s in the data folder)", buildRecordFile)
	default:
		when := "built by this run"
		if !built {
			when = "built earlier, " + rec.Date.UTC().Format("2006-01-02 15:04 UTC")
		}
		add("index build (`gongkai index`, own process)", "%s: %.0f s, %.0f CPU-s, peak RSS %d MB (load average %s at its start)",
			when, rec.WallS, rec.CPUS, rec.PeakRSSKB/1024, rec.Load)
	}
	args := append(append([]string{}, o.Command[1:]...), "bench", o.Corpus, "--existing")
	for _, q := range o.Queries {
		args = append(args, "--queries", q)
	}
	cmd := exec.CommandContext(ctx, o.Command[0], args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("bench --existing on %s: %w", o.Data, err)
	}
	fmt.Fprintf(w, "### %s, %d copies in a data folder (stored and indexed by their own processes; no baseline)\n\n```\n",
		filepath.Base(o.Corpus), o.Copies)
	t.write(w)
	w.Write(out)
	fmt.Fprintln(w, "```")
	return nil
}

// storeCopies writes the copies the store lacks and returns how many
// documents it holds.
func storeCopies(ctx context.Context, o CopiesOptions, add func(k, f string, a ...any)) (int, error) {
	st, err := store.Open(filepath.Join(o.Data, "gongkai.db"))
	if err != nil {
		return 0, err
	}
	defer st.Close()
	docs, err := store.ReadJSONLFile(o.Corpus)
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	wrote, err := StoreCopies(ctx, st, docs, o.Copies, o.Unit)
	if err != nil {
		return 0, err
	}
	n, err := st.Count(ctx)
	if err != nil {
		return 0, err
	}
	var textBytes int64
	for _, d := range docs {
		textBytes += int64(len(d.Title) + len(d.Body))
	}
	size, _ := dirSize(filepath.Join(o.Data, "gongkai.db"))
	add("documents", "%d (%.2f GB title+body)", n, float64(textBytes)*float64(o.Copies)/1e9)
	add("store (SQLite, streamed a batch at a time)", "%.2f GB; %d copies written by this run in %.0f s", float64(size)/1e9, wrote, time.Since(t0).Seconds())
	return n, nil
}

// buildIndex runs Command + "index" and returns its record, and whether
// this run built anything; an index up to date with the store keeps the
// record of the build that made it (a zero record when there is none).
func buildIndex(ctx context.Context, o CopiesOptions, docs int) (buildRecord, bool, error) {
	path := filepath.Join(o.Data, buildRecordFile)
	rec := buildRecord{Date: time.Now(), Documents: docs, Load: loadAverage()}
	args := append(append([]string{}, o.Command[1:]...), "index", "--json")
	cmd := exec.CommandContext(ctx, o.Command[0], args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.MultiWriter(&out, os.Stderr), os.Stderr
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		return rec, false, fmt.Errorf("index %s: %w", o.Data, err)
	}
	rec.WallS = time.Since(t0).Seconds()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rec.CPUS = float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
		rec.PeakRSSKB = ru.Maxrss
	}
	var res struct {
		indexer.SyncStats
		ServeRunning bool `json:"serve_running"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return rec, false, fmt.Errorf("index %s: output %q is not the JSON of `index --json`: %w", o.Data, out.String(), err)
	}
	if res.ServeRunning {
		return rec, false, fmt.Errorf("index %s: gongkai serve is running on the folder and indexes it; stop it to measure", o.Data)
	}
	if res.Indexed == 0 {
		b, err := os.ReadFile(path)
		if err == nil {
			var old buildRecord
			if err := json.Unmarshal(b, &old); err != nil {
				return rec, false, fmt.Errorf("read %s: %w", path, err)
			}
			return old, false, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return rec, false, err
		}
		return buildRecord{}, false, nil // built by something else than bench --copies
	}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return rec, true, err
	}
	return rec, true, os.WriteFile(path, b, 0o600)
}

// MeasureExisting measures ix (a data folder's index, opened by this
// process at start) as it is: the time to its first answer, the latency of
// the title substrings of corpus and of the query sets with 1 and 8
// clients, and the process's memory, anonymous apart from the mapped index
// files. It writes the table's rows (no heading) to w.
func MeasureExisting(ctx context.Context, ix *indexer.Index, corpus string, queries []string, start time.Time, w io.Writer) error {
	var t table
	add := t.add
	add("measured by", "`gongkai bench --existing` (load average %s at start)", loadAverage())
	first := time.Now()
	if _, err := ix.Search(ctx, indexer.Query{Text: "通知"}); err != nil {
		return err
	}
	add("time to first answered query", "%.2f s since the command started (store and index opened, dictionary loaded, one search; %.1f ms of it), %.2f CPU-s",
		time.Since(start).Seconds(), float64(time.Since(first).Microseconds())/1000, CPUSeconds())
	n, err := ix.DocCount()
	if err != nil {
		return err
	}
	size, err := ix.SizeOnDisk()
	if err != nil {
		return err
	}
	add("index", "%d documents, %d segment(s), %.2f GB", n, ix.Segments(), float64(size)/1e9)
	titles, err := corpusTitles(corpus)
	if err != nil {
		return err
	}
	sets, err := loadSets(queries)
	if err != nil {
		return err
	}
	if _, err := latencyOfSets(ctx, ix, titles, sets, add); err != nil {
		return err
	}
	add("peak RSS", "%s", peakRSS())
	debug.FreeOSMemory()
	add("RSS after the runs", "%s", rssSplit())
	add("load average at end", "%s", loadAverage())
	t.write(w)
	return nil
}

// corpusTitles reads the titles of a JSONL corpus, gzip-compressed or not,
// a line at a time.
func corpusTitles(path string) ([]string, error) {
	var titles []string
	err := store.EachJSONLine(path, func(line []byte) error {
		var d struct {
			Title string `json:"title"`
		}
		err := json.Unmarshal(line, &d)
		titles = append(titles, d.Title)
		return err
	})
	if err != nil {
		return nil, err
	}
	return titles, nil
}

// rssSplit reads the process's resident memory from /proc/self/smaps_rollup:
// anonymous (Go's heap, SQLite's cache) apart from file pages (the mapped
// index segments and the binary), which the kernel takes back under
// memory pressure.
func rssSplit() string {
	b, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		return "unknown"
	}
	kb := map[string]int64{}
	for line := range strings.Lines(string(b)) {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		var n int64
		if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &n); err == nil {
			kb[k] = n
		}
	}
	return fmt.Sprintf("%d MB = %d MB anonymous + %d MB file pages (mapped index, binary)",
		kb["Rss"]/1024, kb["Anonymous"]/1024, (kb["Rss"]-kb["Anonymous"])/1024)
}
