package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"gongkai/indexer/bench"
	"gongkai/store"
)

func (a *app) benchCmd() *cobra.Command {
	var queries, write string
	var replicate int
	cmd := &cobra.Command{
		Use:   "bench CORPUS.jsonl[.gz] [--queries FILE.tsv] [--replicate N] [--write FILE.md]",
		Short: "measure search quality, indexing and query speed, with Bleve's cjk analyzer as the baseline",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.config()
			if err != nil {
				return err
			}
			tmp, err := os.MkdirTemp("", "gongkai-bench-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(tmp)
			var report bytes.Buffer
			out := io.MultiWriter(cmd.OutOrStdout(), &report)
			fmt.Fprintf(out, "### %s\n\n```\n", filepath.Base(args[0]))
			opts := bench.BenchOptions{Corpus: args[0], Queries: queries, Config: cfg, TempDir: tmp}
			if err := bench.RunBench(cmd.Context(), opts, out); err != nil {
				return err
			}
			fmt.Fprintln(out, "```")
			if replicate > 1 {
				big := filepath.Join(tmp, fmt.Sprintf("corpus-x%d.jsonl", replicate))
				if err := replicateCorpus(args[0], big, replicate); err != nil {
					return err
				}
				fmt.Fprintf(out, "\n### %s replicated %d times (ids made unique)\n\n```\n", filepath.Base(args[0]), replicate)
				opts := bench.BenchOptions{Corpus: big, Queries: queries, LatencyOnly: true, Config: cfg, TempDir: tmp}
				if err := bench.RunBench(cmd.Context(), opts, out); err != nil {
					return err
				}
				fmt.Fprintln(out, "```")
			}
			if write == "" {
				return nil
			}
			return writeBenchSection(write, report.String())
		},
	}
	cmd.Flags().StringVar(&queries, "queries", "", "judged queries: qid<TAB>question<TAB>docid")
	cmd.Flags().IntVar(&replicate, "replicate", 1, "also measure a copy of the corpus replicated N times")
	cmd.Flags().StringVar(&write, "write", "", "put the tables, with the machine and date, into this Markdown file")
	return cmd
}

// replicateCorpus writes n copies of the corpus, each id suffixed with #copy.
func replicateCorpus(src, dst string, n int) error {
	var lines [][]byte
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(src, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("replicate %s: %w", src, err)
		}
		r = zr
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), store.MaxLineBytes)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			lines = append(lines, bytes.Clone(sc.Bytes()))
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("replicate %s: %w", src, err)
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	for c := range n {
		for _, line := range lines {
			var doc map[string]any
			if err := json.Unmarshal(line, &doc); err != nil {
				out.Close()
				return fmt.Errorf("replicate %s: %w", src, err)
			}
			doc["id"] = fmt.Sprintf("%v#%d", doc["id"], c)
			b, _ := json.Marshal(doc)
			w.Write(append(b, '\n'))
		}
	}
	if err := w.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

const benchStart, benchEnd = "<!-- gongkai bench: start -->", "<!-- gongkai bench: end -->"

// writeBenchSection replaces the bench section of a Markdown file (or adds
// it), keeping the rest of the file.
func writeBenchSection(path, tables string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	section := fmt.Sprintf("%s\n## `gongkai bench` (%s)\n\nMachine: %s.\n\n%s%s", benchStart,
		time.Now().Format("2006-01-02"), machine(), tables, benchEnd)
	text := string(old)
	if i, j := strings.Index(text, benchStart), strings.Index(text, benchEnd); i >= 0 && j > i {
		text = text[:i] + section + text[j+len(benchEnd):]
	} else {
		text = strings.TrimRight(text, "\n") + "\n\n" + section + "\n"
	}
	return writeOutput(nil, path, func(w io.Writer) error {
		_, err := io.WriteString(w, text)
		return err
	})
}

// machine describes the CPU, cores and memory, from /proc where it exists.
func machine() string {
	cpu, mem := "unknown CPU", "unknown memory"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err == nil {
			mem = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	return fmt.Sprintf("%s, %d cores, %s, %s %s/%s", cpu, runtime.NumCPU(), mem, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
