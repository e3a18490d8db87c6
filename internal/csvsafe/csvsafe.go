// Package csvsafe writes CSV that spreadsheets open as data, never as
// formulas (CSV injection, CWE-1236). Every CSV gongkai writes goes through
// it: crawled titles and publisher names are untrusted text.
package csvsafe

import (
	"encoding/csv"
	"io"
	"strings"
)

// Text neutralises a text cell as OWASP advises: a cell that begins with
// = + - @, a tab or a carriage return gets a leading single quote, which
// Excel, LibreOffice and WPS show as text. Text cells that look like
// negative numbers ("-2") are quoted too, since the text is not known to be
// a number; numbers gongkai computes are written with Number and stay
// numbers.
func Text(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Writer is a csv.Writer whose every cell passes through Text.
type Writer struct {
	cw  *csv.Writer
	rec []string
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{cw: csv.NewWriter(w)} }

// Write writes one record of text cells, each neutralised with Text.
func (w *Writer) Write(cells ...string) error {
	w.rec = w.rec[:0]
	for _, c := range cells {
		w.rec = append(w.rec, Text(c))
	}
	return w.cw.Write(w.rec)
}

// WriteRaw writes one record whose cells are already safe: numbers gongkai
// formatted itself, or cells passed through Text.
func (w *Writer) WriteRaw(cells []string) error { return w.cw.Write(cells) }

// Flush writes buffered data and returns the first error of any write.
func (w *Writer) Flush() error {
	w.cw.Flush()
	return w.cw.Error()
}
