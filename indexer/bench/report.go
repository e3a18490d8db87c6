package bench

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// The bench section of a Markdown file lies between these two lines.
const sectionStart, sectionEnd = "<!-- gongkai bench: start -->", "<!-- gongkai bench: end -->"

// Splice returns the Markdown document doc with its bench section replaced
// by one holding tables (what Run wrote), dated day and naming this
// machine; a document without one gets it at its end.
func Splice(doc, tables string, day time.Time) string {
	section := fmt.Sprintf("%s\n## `gongkai bench` (%s)\n\nMachine: %s.\n\n%s%s", sectionStart,
		day.Format("2006-01-02"), machine(), tables, sectionEnd)
	if i, j := strings.Index(doc, sectionStart), strings.Index(doc, sectionEnd); i >= 0 && j > i {
		return doc[:i] + section + doc[j+len(sectionEnd):]
	}
	return strings.TrimRight(doc, "\n") + "\n\n" + section + "\n"
}

// Append returns doc with tables added at the end of its bench section
// (before the end marker); a document without one gets a new section, as
// Splice makes it.
func Append(doc, tables string, day time.Time) string {
	if i, j := strings.Index(doc, sectionStart), strings.Index(doc, sectionEnd); i >= 0 && j > i {
		return doc[:j] + "\n" + tables + doc[j:]
	}
	return Splice(doc, tables, day)
}

// machine describes the CPU, cores and memory, from /proc where it exists.
func machine() string {
	cpu, mem := "unknown CPU", "unknown memory"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
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
