package attachment

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode"
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
type piece struct {
	x, y, w, h float64
	text       string
}

type ofdContent struct {
	Templates []struct {
		ID string `xml:"TemplateID,attr"`
	} `xml:"Template"`
	Texts []struct {
		Boundary string `xml:"Boundary,attr"`
		Size     string `xml:"Size,attr"`
		Codes    []struct {
			Text string `xml:",chardata"`
		} `xml:"TextCode"`
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
		if size := numbers(t.Size); len(size) == 1 && (p.h == 0 || size[0] < p.h) {
			p.h = size[0]
		}
		out = append(out, p)
	}
	return out
}

func numbers(s string) []float64 {
	var out []float64
	for _, f := range strings.Fields(s) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil
		}
		out = append(out, v)
	}
	return out
}

// writeLines writes pieces in reading order: a piece starts a new line
// when its top is lower than the line's by more than half its height;
// pieces on a line are joined directly when they touch, by a space when
// there is a gap wider than a character.
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
			if i > 0 && p.x-(line[i-1].x+line[i-1].w) > max(p.h, 1) {
				out.WriteString(" ")
			} else if i > 0 && !cjkBoundary(line[i-1].text, p.text) {
				out.WriteString(" ")
			}
			out.WriteString(p.text)
		}
		out.WriteString("\n")
		start = end
	}
}

// cjkBoundary reports whether a ends or b starts with a Han character or
// CJK punctuation, where no space is written between pieces.
func cjkBoundary(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	return isCJK(ra[len(ra)-1]) || isCJK(rb[0])
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}
