package store

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
)

// MaxLineBytes is the longest JSONL line Ingest accepts.
const MaxLineBytes = 32 << 20

// jsonDoc is one JSONL line: the fields of Document, with dates as text.
type jsonDoc struct {
	ID          string            `json:"id"`
	URL         string            `json:"url"`
	Source      string            `json:"source"`
	Channel     string            `json:"channel"`
	Unit        string            `json:"unit"`
	Column      string            `json:"column"`
	Title       string            `json:"title"`
	Body        string            `json:"body"`
	HTML        string            `json:"html"`
	Published   string            `json:"published"`
	Written     string            `json:"written"`
	Publisher   string            `json:"publisher"`
	DocNumber   string            `json:"doc_number"`
	IndexNumber string            `json:"index_number"`
	Subject     string            `json:"subject"`
	Category    string            `json:"category"`
	Genre       string            `json:"genre"`
	Validity    string            `json:"validity"` // normalised on store; see NormalizeValidity
	Attachments []Attachment      `json:"attachments"`
	Meta        map[string]string `json:"meta"`
	ContentHash string            `json:"content_hash"` // ignored: recomputed
	FetchedAt   string            `json:"fetched_at"`
	Status      string            `json:"status"`
}

var channelRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// ParseJSONLine turns one JSONL line into a document, or says what is wrong
// with it. id, title and body are required; unknown fields are errors.
func ParseJSONLine(line []byte) (*Document, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	var j jsonDoc
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value on the line")
	}
	d := &Document{ID: strings.TrimSpace(j.ID), URL: j.URL, Source: j.Source, Channel: j.Channel,
		Unit: strings.TrimSpace(j.Unit), Column: j.Column, Title: strings.TrimSpace(j.Title), Body: j.Body, HTML: j.HTML,
		Publisher: j.Publisher, DocNumber: j.DocNumber, IndexNumber: j.IndexNumber, Subject: j.Subject,
		Category: j.Category, Genre: j.Genre, Validity: strings.TrimSpace(j.Validity), Attachments: j.Attachments, Meta: j.Meta, Status: j.Status}
	switch {
	case d.ID == "":
		return nil, errors.New("missing id")
	case d.Title == "":
		return nil, errors.New("missing title")
	case strings.TrimSpace(d.Body) == "":
		return nil, errors.New("missing body")
	case d.Channel != "" && !channelRE.MatchString(d.Channel):
		return nil, fmt.Errorf("invalid channel %q (lower-case letters, digits, _ and -)", d.Channel)
	case d.Status != "" && d.Status != StatusLive && d.Status != StatusRemoved:
		return nil, fmt.Errorf("invalid status %q (live or removed)", d.Status)
	}
	for _, a := range d.Attachments {
		if err := checkAttachment(a); err != nil {
			return nil, err
		}
	}
	var err error
	for _, f := range []struct {
		name string
		in   string
		out  *time.Time
	}{{"published", j.Published, &d.Published}, {"written", j.Written, &d.Written}, {"fetched_at", j.FetchedAt, &d.FetchedAt}} {
		if *f.out, err = ParseDate(f.in); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	return d, nil
}

// dateLayouts are the forms ParseDate reads; month and day may have one
// digit or two.
var dateLayouts = []string{time.RFC3339Nano, "2006-1-2T15:04:05", "2006-1-2 15:04:05", "2006-1-2 15:04", "2006-1-2",
	"2006/1/2", "2006.1.2", "2006年1月2日"}

// ParseDay reads a YYYY-MM-DD date as the start of that Beijing day.
func ParseDay(s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, Beijing)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date as YYYY-MM-DD", s)
	}
	return t, nil
}

// ParseDate reads a date as the JSONL format, exporters and staff write it:
// RFC 3339, or a date (2015-03-01, 2015/3/1, 2015.3.1, 2015年3月1日) and
// optional time without zone, taken as Beijing time. "" is the zero time.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range dateLayouts {
		if t, err := time.ParseInLocation(layout, s, Beijing); err == nil {
			return t.In(Beijing), nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised date %q (want YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or RFC 3339)", s)
}

// IngestStats counts what an ingest did.
type IngestStats struct {
	New, Updated, Unchanged, Rejected int
	Withheld                          int // purged by staff: not stored again (Purge)
}

// count adds the results of a stored batch.
func (st *IngestStats) count(results []Result) {
	for _, r := range results {
		switch r {
		case New:
			st.New++
		case Updated:
			st.Updated++
		case Withheld:
			st.Withheld++
		default:
			st.Unchanged++
		}
	}
}

// LineError is a rejected JSONL line.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Ingest reads JSONL documents (gzip-compressed or not) from r and stores
// the valid ones in batches of batchSize, each batch one transaction, so an
// interrupted ingest keeps whole batches and a re-run completes it. Bad
// lines are passed to reject and skipped.
func (s *Store) Ingest(ctx context.Context, r io.Reader, batchSize int, reject func(*LineError)) (IngestStats, error) {
	var st IngestStats
	br, err := maybeGzip(r)
	if err != nil {
		return st, err
	}
	batch := make([]*Document, 0, batchSize)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := s.UpsertBatch(ctx, batch)
		if err != nil {
			return err
		}
		st.count(res)
		batch = batch[:0]
		return nil
	}
	seen := map[string]int{}
	for n := 1; ; n++ {
		line, err := readLine(br)
		if errors.Is(err, io.EOF) && len(line) == 0 {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			if errors.Is(err, errLineTooLong) {
				st.Rejected++
				reject(&LineError{n, err})
				continue
			}
			return st, fmt.Errorf("read line %d: %w", n, err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		d, perr := ParseJSONLine(line)
		if perr == nil && seen[d.ID] != 0 {
			perr = fmt.Errorf("duplicate id %q (first on line %d)", d.ID, seen[d.ID])
		}
		if perr != nil {
			st.Rejected++
			reject(&LineError{n, perr})
			continue
		}
		seen[d.ID] = n
		if batch = append(batch, d); len(batch) == batchSize {
			if err := flush(); err != nil {
				return st, err
			}
		}
	}
	return st, flush()
}

var errLineTooLong = fmt.Errorf("line longer than %d bytes", MaxLineBytes)

// readLine reads one line; a line over MaxLineBytes is consumed and reported.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) <= MaxLineBytes {
			buf = append(buf, chunk...)
		} else {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			if err == nil || errors.Is(err, io.EOF) {
				return []byte{}, errLineTooLong
			}
			return nil, err
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return buf, err
	}
}

func maybeGzip(r io.Reader) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	head, _ := br.Peek(2)
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("open gzip: %w", err)
		}
		return bufio.NewReaderSize(zr, 1<<20), nil
	}
	return br, nil
}

// ReadJSONLFile reads every document of a JSONL file, gzip-compressed or
// not; a line that does not parse is an error naming it.
func ReadJSONLFile(path string) ([]*Document, error) {
	var docs []*Document
	err := EachJSONLine(path, func(line []byte) error {
		d, err := ParseJSONLine(line)
		if err == nil {
			docs = append(docs, d)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return docs, nil
}

// EachJSONLine calls fn with each line of a JSONL file, gzip-compressed or
// not, blank lines skipped, one line at a time; the first error of fn
// stops the read and is returned naming the file and the line.
func EachJSONLine(path string, fn func(line []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := maybeGzip(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		if err := fn(sc.Bytes()); err != nil {
			return fmt.Errorf("%s line %d: %w", path, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

// checkAttachment says what is wrong with an attachment of a JSONL line.
func checkAttachment(a Attachment) error {
	switch {
	case strings.TrimSpace(a.URL) == "":
		return fmt.Errorf("attachment %q: missing url", a.Name)
	case a.State != "" && !slices.Contains(AttachmentStates, a.State):
		return fmt.Errorf("attachment %s: invalid state %q (one of %s)", a.URL, a.State, strings.Join(AttachmentStates, ", "))
	case a.State == "" && (a.Text != "" || a.SHA256 != "" || a.Type != ""):
		return fmt.Errorf("attachment %s: type, sha256 and text need a state", a.URL)
	case a.Bytes < 0 || a.Pages < 0:
		return fmt.Errorf("attachment %s: negative bytes or pages", a.URL)
	}
	return nil
}
