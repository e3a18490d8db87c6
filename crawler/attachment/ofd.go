package attachment

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ofdText writes the text of an OFD package (GB/T 33190): OFD.xml names
// the document root, Document.xml its pages and templates, and each
// page's Content.xml holds TextObjects whose TextCode is the text. Text
// is put in reading order by position: lines top to bottom, pieces on a
// line left to right. Returns the page count.
func ofdText(ctx context.Context, data []byte, lim Limits, out *textBuf) (int, error) {
	zr, err := openZip(data, lim)
	if err != nil {
		return 0, err
	}
	var root struct {
		DocRoot string `xml:"DocBody>DocRoot"`
	}
	if err := readXMLEntry(zr, "OFD.xml", lim, &root); err != nil {
		return 0, err
	}
	if root.DocRoot == "" {
		return 0, errors.New("OFD.xml 没有 DocRoot")
	}
	docPath := cleanOFDPath("", root.DocRoot)
	var doc struct {
		Templates []struct {
			ID      string `xml:"ID,attr"`
			BaseLoc string `xml:"BaseLoc,attr"`
		} `xml:"CommonData>TemplatePage"`
		Pages []struct {
			BaseLoc string `xml:"BaseLoc,attr"`
		} `xml:"Pages>Page"`
	}
	if err := readXMLEntry(zr, docPath, lim, &doc); err != nil {
		return 0, err
	}
	dir := path.Dir(docPath)
	templates := map[string]string{}
	for _, t := range doc.Templates {
		templates[t.ID] = cleanOFDPath(dir, t.BaseLoc)
	}
	for i, p := range doc.Pages {
		if i >= lim.MaxPages || out.full() {
			break
		}
		if err := ctx.Err(); err != nil {
			return len(doc.Pages), err
		}
		pieces, err := ofdPage(zr, cleanOFDPath(dir, p.BaseLoc), templates, lim)
		if err != nil {
			return len(doc.Pages), fmt.Errorf("OFD 第 %d 页：%w", i+1, err)
		}
		if i > 0 {
			out.line()
			out.WriteString("\f\n")
		}
		writeLines(pieces, out)
	}
	return len(doc.Pages), nil
}

// cleanOFDPath resolves loc against dir: OFD paths are relative to the
// file that names them, or absolute from the package root with a slash.
func cleanOFDPath(dir, loc string) string {
	loc = strings.ReplaceAll(strings.TrimSpace(loc), "\\", "/")
	if strings.HasPrefix(loc, "/") {
		return strings.TrimPrefix(path.Clean(loc), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Join(dir, loc)), "/")
}

// readXMLEntry decodes the zip entry name into v, bounded by lim.MaxBytes.
func readXMLEntry(zr *zip.Reader, name string, lim Limits, v any) error {
	f := zipEntry(zr, name)
	if f == nil {
		return fmt.Errorf("OFD 缺少 %s", name)
	}
	b, err := readEntry(f, lim.MaxBytes)
	if err != nil {
		return err
	}
	dec := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))))
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) { return r, nil }
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s 不是完好的 XML：%w", name, err)
	}
	return nil
}

// piece is one TextObject's text and where it sits on the page (mm).
// glyphs says x and w span its glyphs, not only its Boundary.
type piece struct {
	x, y, w, h float64
	text       string
	glyphs     bool
}

// textCode is a run of text: its first glyph at X in the TextObject's
// box, each next one DeltaX further (and DeltaY lower).
type textCode struct {
	X      string `xml:"X,attr"`
	DeltaX string `xml:"DeltaX,attr"`
	DeltaY string `xml:"DeltaY,attr"`
	Text   string `xml:",chardata"`
}

type ofdContent struct {
	Templates []struct {
		ID string `xml:"TemplateID,attr"`
	} `xml:"Template"`
	Texts []struct {
		Boundary      string     `xml:"Boundary,attr"`
		Size          string     `xml:"Size,attr"`
		CTM           string     `xml:"CTM,attr"`
		ReadDirection string     `xml:"ReadDirection,attr"`
		CharDirection string     `xml:"CharDirection,attr"`
		Codes         []textCode `xml:"TextCode"`
	} `xml:"Content>Layer>TextObject"`
}

// ofdPage collects the text pieces of a page and of its templates.
func ofdPage(zr *zip.Reader, loc string, templates map[string]string, lim Limits) ([]piece, error) {
	var page ofdContent
	if err := readXMLEntry(zr, loc, lim, &page); err != nil {
		return nil, err
	}
	pieces := contentPieces(page)
	for _, t := range page.Templates {
		tloc, ok := templates[t.ID]
		if !ok {
			continue
		}
		var tpl ofdContent
		if err := readXMLEntry(zr, tloc, lim, &tpl); err != nil {
			return nil, err
		}
		pieces = append(pieces, contentPieces(tpl)...)
	}
	return pieces, nil
}

func contentPieces(c ofdContent) []piece {
	var out []piece
	for _, t := range c.Texts {
		var sb strings.Builder
		for _, code := range t.Codes {
			sb.WriteString(code.Text)
		}
		if strings.TrimSpace(sb.String()) == "" {
			continue
		}
		b := numbers(t.Boundary)
		p := piece{text: sb.String()}
		if len(b) == 4 {
			p.x, p.y, p.w, p.h = b[0], b[1], b[2], b[3]
		}
		a, d, e, scaled := scaleCTM(t.CTM)
		if size := numbers(t.Size); len(size) == 1 && (p.h == 0 || d*size[0] < p.h) {
			p.h = d * size[0]
		}
		if !scaled || len(b) != 4 || !upright(t.ReadDirection) || !upright(t.CharDirection) {
			out = append(out, p)
			continue
		}
		if x0, x1, ok := glyphSpan(t.Codes, p.h/d); ok {
			lo := min(max(a*x0+e, 0), b[2])
			hi := min(max(a*x1+e, lo), b[2])
			p.x, p.w, p.glyphs = b[0]+lo, hi-lo, true
		}
		out = append(out, p)
	}
	return out
}

// upright reports whether a ReadDirection or CharDirection (degrees) is
// absent or 0: text read left to right, glyphs not rotated.
func upright(dir string) bool {
	v := numbers(dir)
	return len(v) == 0 || v[0] == 0
}

// scaleCTM reads a TextObject's CTM when it only scales and moves its
// box (x' = a·x + e, y' = d·y + f); scaled is false for a rotation or
// skew, where glyph positions are not placed. No CTM is the identity.
func scaleCTM(ctm string) (a, d, e float64, scaled bool) {
	if strings.TrimSpace(ctm) == "" {
		return 1, 1, 0, true
	}
	m := numbers(ctm)
	if len(m) != 6 || m[1] != 0 || m[2] != 0 || m[0] <= 0 || m[3] <= 0 {
		return 1, 1, 0, false
	}
	return m[0], m[3], m[4], true
}

// glyphSpan is where the glyphs of codes start and end in their
// TextObject's box, from X and the advances in DeltaX: a box is often a
// whole table cell, wider than its text. A glyph is size wide (half that
// for Latin letters and digits), and advances by that when DeltaX gives
// no advance. ok is false when a code gives no X or runs vertically
// (DeltaY without DeltaX).
func glyphSpan(codes []textCode, size float64) (x0, x1 float64, ok bool) {
	x0, x1 = math.Inf(1), math.Inf(-1)
	for _, c := range codes {
		if strings.TrimSpace(c.DeltaX) == "" && strings.TrimSpace(c.DeltaY) != "" {
			return 0, 0, false
		}
		x, ok := finite(c.X)
		if !ok {
			return 0, 0, false
		}
		deltas := deltaX(c.DeltaX, utf8.RuneCountInString(c.Text)-1)
		j := 0
		for _, r := range c.Text {
			w := size / 2
			if isCJK(r) {
				w = size
			}
			x0, x1 = min(x0, x), max(x1, x+w)
			if j < len(deltas) {
				x += deltas[j]
			} else {
				x += w
			}
			j++
		}
	}
	return x0, x1, x0 <= x1
}

// deltaX expands a DeltaX list (numbers, and "g k v" for k times v) to
// at most n advances; it stops at the first malformed entry. Fields are
// read lazily, so a huge list costs no more than its first n values.
func deltaX(s string, n int) []float64 {
	var out []float64
	var g [2]string // the k and v of a "g k v" being read
	pending := -1   // how many of g are read; -1 outside a repeat
	for f := range strings.FieldsSeq(s) {
		if len(out) >= n {
			break
		}
		if pending < 0 && f == "g" {
			pending = 0
			continue
		}
		if pending >= 0 {
			g[pending] = f
			if pending++; pending < 2 {
				continue
			}
			pending = -1
			k, err := strconv.Atoi(g[0])
			v, ok := finite(g[1])
			if err != nil || !ok {
				break
			}
			for ; k > 0 && len(out) < n; k-- {
				out = append(out, v)
			}
			continue
		}
		v, ok := finite(f)
		if !ok {
			break
		}
		out = append(out, v)
	}
	return out
}

// numbers reads a list of finite numbers; it is empty when any entry is
// not one.
func numbers(s string) []float64 {
	var out []float64
	for _, f := range strings.Fields(s) {
		v, ok := finite(f)
		if !ok {
			return nil
		}
		out = append(out, v)
	}
	return out
}

// finite reads a number, refusing NaN and infinities (which
// strconv.ParseFloat accepts) and values out of range.
func finite(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
}

// writeLines writes pieces in reading order: a piece starts a new line
// when its top is lower than the line's by more than half its height;
// pieces on a line are joined directly when they touch, by a space when
// there is a gap wider than a character, or between two pieces of Latin
// letters or digits.
func writeLines(pieces []piece, out *textBuf) {
	sort.SliceStable(pieces, func(i, j int) bool { return pieces[i].y < pieces[j].y })
	for start := 0; start < len(pieces); {
		end := start + 1
		for end < len(pieces) && pieces[end].y-pieces[start].y <= max(pieces[start].h, pieces[end].h)/2 {
			end++
		}
		line := pieces[start:end]
		sort.SliceStable(line, func(i, j int) bool { return line[i].x < line[j].x })
		for i, p := range line {
			if i > 0 && spaceBetween(line[i-1], p) {
				out.WriteString(" ")
			}
			out.WriteString(p.text)
		}
		out.WriteString("\n")
		start = end
	}
}

// spaceBetween reports whether a space separates piece b from piece a
// before it on the same line. Latin pieces placed by their glyphs are
// one word when they are less than a space's width apart (a 公文 writes
// 2023 as the pieces 202 and 3 in different fonts); a Boundary alone is
// often a whole table cell, so such pieces always get a space.
func spaceBetween(a, b piece) bool {
	gap := b.x - (a.x + a.w)
	if gap > max(b.h, 1) {
		return true
	}
	if cjkBoundary(a.text, b.text) {
		return false
	}
	return gap > b.h/5 || !a.glyphs || !b.glyphs
}

// cjkBoundary reports whether a ends or b starts with a Han character or
// CJK punctuation, where no space is written between pieces.
func cjkBoundary(a, b string) bool {
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	return isCJK(ra) || isCJK(rb)
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}
