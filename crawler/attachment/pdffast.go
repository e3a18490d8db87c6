package attachment

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"runtime"
	"strings"
	"unicode"
	"unicode/utf16"

	lpdf "github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/charmap"
)

// The fast path reads a PDF's text layer with a pure-Go parser
// (ledongthuc/pdf for the file structure, our own content lexer, text
// state machine and font maps for the content), ten to a hundred times
// faster than PDFium in WebAssembly. It gives up, and PDFium reads the
// file, whenever its text might be wrong: a font it cannot map to Unicode
// (Type 3, a CID font without a ToUnicode map, a vertical or unknown
// CMap), glyphs that map to private-use, replacement or control
// characters or to nothing, forms nested past 8 levels or drawn more than
// 1,000 times on a page, more operands or font codes than a memory bound,
// a page the parser cannot find, a file on which the parser would recurse
// without end, or any parse error. The checks hold for any document; none
// is fitted to a producer.

// fallbackError says why the fast path gave a file to PDFium.
type fallbackError struct{ reason string }

func (e *fallbackError) Error() string { return "PDF 快速提取放弃：" + e.reason }

func fallback(format string, args ...any) error {
	return &fallbackError{fmt.Sprintf(format, args...)}
}

// maxBadGlyphs is the share of shown glyphs that may map to nothing or to
// a character no text holds (private use, U+FFFD, controls) before the
// fast path's text is distrusted: a few stray symbols in a long text are
// tolerated, a font that maps badly is not.
const maxBadGlyphs = 0.01

// fastPDF extracts the text of data's pages like pdfText, without PDFium.
// It returns a *fallbackError when PDFium should read the file instead,
// and ctx's error when ctx ends.
func fastPDF(ctx context.Context, data []byte, lim Limits, out *textBuf) (pages int, err error) {
	defer func() {
		if p := recover(); p != nil {
			switch e := p.(type) {
			case *fallbackError:
				err = e
			case ctxAbort:
				err = e.err
			default:
				err = fallback("解析出错（%v）", p)
			}
		}
	}()
	if hasName(data, "Encrypt") && hasName(data, "XRef") {
		// Opening an encrypted file resolves its /Encrypt before
		// checkObjectStreams can look at the cross-reference streams.
		return 0, fallback("加密文件的交叉引用在流中，对象流无法先行检查")
	}
	r, err := lpdf.NewReader(ctxReader{ctx, bytes.NewReader(data)}, int64(len(data)))
	if err != nil {
		return 0, fallback("%v", err)
	}
	checkObjectStreams(r)
	pages = r.NumPage()
	if pages == 0 {
		return 0, fallback("没有页面")
	}
	x := &extractor{ctx: ctx, fonts: map[string]*pdfFont{}, budget: lim.MaxBytes, maxText: lim.MaxText}
	for i := 1; i <= min(pages, lim.MaxPages) && !out.full(); i++ {
		if err := ctx.Err(); err != nil {
			return pages, err
		}
		p := r.Page(i)
		if p.V.IsNull() {
			// The parser finds only kids typed /Page within the counts
			// the tree states; PDFium reads a looser tree.
			return pages, fallback("页面树中找不到第 %d 页", i)
		}
		x.page(p)
		if i > 1 {
			out.line()
			out.WriteString("\f\n")
		}
		out.WriteString(tidyLines(normalizeLines(x.text.String())))
		if x.cut {
			out.truncated = true
			break
		}
	}
	if x.glyphs > 0 && float64(x.bad) > maxBadGlyphs*float64(x.glyphs) {
		return pages, fallback("%d 个字形中有 %d 个无法映射为文字", x.glyphs, x.bad)
	}
	return pages, nil
}

// ctxReader fails every read once ctx has ended. The PDF parser's own
// loops (a /Prev or /Extends chain, a page tree or /Parent that leads back
// into itself) never check a context, but they read the file at every
// step, so that they end with the extraction's limit instead of keeping a
// core busy forever.
type ctxReader struct {
	ctx context.Context
	r   io.ReaderAt
}

func (c ctxReader) ReadAt(p []byte, off int64) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	var pcs [maxReadDepth]uintptr
	if runtime.Callers(1, pcs[:]) == len(pcs) {
		return 0, fmt.Errorf("对象引用自身，读取嵌套超过 %d 层", maxReadDepth)
	}
	return c.r.ReadAt(p, off)
}

// maxReadDepth bounds the calls under a read of the file. The PDF parser
// resolves an object in an object stream by recursion, reading the file
// at each level, and a stream whose /Length lies inside itself never ends
// it: the stack would overflow, which ends the process. A valid file
// reads from a few dozen calls deep.
const maxReadDepth = 4096

// checkObjectStreams hands the file to PDFium when an object's
// cross-reference entry puts it in an object stream that is itself in an
// object stream. ledongthuc/pdf follows such a chain by recursion without
// a bound, and a chain that loops (a hundred bytes make one) overflows the
// stack, which ends the process: no recover catches it. The standard
// forbids a stream inside an object stream, so no valid file is sent
// away. The reader keeps its entries unexported, so they are read by
// reflection; should a new version rename them, every PDF gives a
// fallback here, which TestPDFPaths reports.
func checkObjectStreams(r *lpdf.Reader) {
	xref := reflect.ValueOf(r).Elem().FieldByName("xref")
	for i := range xref.Len() {
		e := xref.Index(i)
		if !e.FieldByName("inStream").Bool() {
			continue
		}
		s := e.FieldByName("stream").FieldByName("id").Uint()
		if s < uint64(xref.Len()) && xref.Index(int(s)).FieldByName("inStream").Bool() {
			panic(fallback("对象 %d 所在的对象流 %d 本身在对象流中", i, s))
		}
	}
}

// hasName reports whether data holds the name /want anywhere, with any
// of its characters written as #xx escapes, as the PDF parser reads names.
func hasName(data []byte, want string) bool {
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '/')
		if j < 0 {
			return false
		}
		k := 0 // characters of want matched; past len(want) on a mismatch
		for i += j + 1; i < len(data) && isRegular(data[i]); i++ {
			c := data[i]
			if c == '#' && i+2 < len(data) && isHexDigit(data[i+1]) && isHexDigit(data[i+2]) {
				c, i = hexString(data[i+1 : i+3])[0], i+2
			}
			if k < len(want) && want[k] == c {
				k++
			} else {
				k = len(want) + 1
			}
		}
		if k == len(want) {
			return true
		}
	}
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// ctxAbort carries ctx's error out of the content interpreter.
type ctxAbort struct{ err error }

// extractor holds what one document's pages share: the parsed fonts and
// the counts behind the fallback checks.
type extractor struct {
	ctx    context.Context
	fonts  map[string]*pdfFont // by the font dictionary's printed form
	budget int64               // the most bytes of one page's content streams
	glyphs int                 // glyphs shown
	bad    int                 // glyphs without a usable character
	text   strings.Builder     // the current page's text
	buf    []byte              // the current page's content streams
	forms  int                 // form XObjects run on the current page
	codes  int                 // codes mapped by the fonts parsed so far
	// maxText bounds a page's text as laid out (forms drawn again and
	// again could otherwise make gigabytes of it); cut says text was
	// dropped there.
	maxText int
	cut     bool
}

// textState is the part of the graphics state that places glyphs.
type textState struct {
	ctm                  matrix
	font                 *pdfFont
	size, cs, ws, hs, tl float64
	rise                 float64
	tm, tlm              matrix
}

// matrix is a PDF transformation [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul is m × n (m applied first).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// page writes one page's text to x.text, a line per baseline.
func (x *extractor) page(p lpdf.Page) {
	x.text.Reset()
	contents := p.V.Key("Contents")
	if contents.IsNull() {
		return
	}
	x.buf = x.content(contents, x.buf[:0])
	x.forms = 0
	g := textState{ctm: identity, hs: 1, tm: identity, tlm: identity}
	l := &layout{out: &x.text, max: x.maxText}
	x.run(x.buf, p.Resources(), &g, l, 0)
	x.cut = l.cut
}

// maxForms bounds the form XObjects run on one page (each Do of a form
// counts), and maxFormDepth the forms inside one another.
const (
	maxForms     = 1000
	maxFormDepth = 8
)

// run interprets the content stream data with the resources res from the
// graphics state g, placing text through l; a form XObject it draws runs
// the same way with its own resources and matrix.
func (x *extractor) run(data []byte, res lpdf.Value, g *textState, l *layout, depth int) {
	lx := contentLexer{data: data}
	fonts := res.Key("Font")
	xobjects := res.Key("XObject")
	var stack []textState
	byName := map[string]*pdfFont{} // the fonts by resource name
	num := func(i int) float64 {    // operand i as a number, counted from the first
		if i < 0 || i >= len(lx.args) {
			return 0
		}
		return lx.args[i].num
	}
	last := func() operand {
		if len(lx.args) == 0 {
			return operand{}
		}
		return lx.args[len(lx.args)-1]
	}
	for ops := 1; ; ops++ {
		op, ok := lx.next()
		if !ok {
			return
		}
		if lx.tooMany {
			panic(fallback("内容流中一个操作符的操作数超过 %d 个", maxOperands))
		}
		if ops&1023 == 0 {
			if err := x.ctx.Err(); err != nil {
				panic(ctxAbort{err})
			}
		}
		n := len(lx.args)
		switch op {
		case "q":
			stack = append(stack, *g)
		case "Q":
			if k := len(stack); k > 0 {
				*g, stack = stack[k-1], stack[:k-1]
			}
		case "cm":
			if n >= 6 {
				g.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(g.ctm)
			}
		case "BT":
			g.tm, g.tlm = identity, identity
		case "Tf":
			if n >= 2 {
				name := lx.args[0].str
				if byName[name] == nil {
					byName[name] = x.font(fonts.Key(name))
				}
				g.font = byName[name]
				g.size = num(1)
			}
		case "Tc":
			g.cs = num(n - 1)
		case "Tw":
			g.ws = num(n - 1)
		case "Tz":
			g.hs = num(n-1) / 100
		case "TL":
			g.tl = num(n - 1)
		case "Ts":
			g.rise = num(n - 1)
		case "Td", "TD":
			if n >= 2 {
				if op == "TD" {
					g.tl = -num(1)
				}
				g.tlm = matrix{1, 0, 0, 1, num(0), num(1)}.mul(g.tlm)
				g.tm = g.tlm
			}
		case "Tm":
			if n >= 6 {
				g.tm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				g.tlm = g.tm
			}
		case "T*":
			g.nextLine()
		case "Tj":
			x.show(g, l, last().str)
		case "'":
			g.nextLine()
			x.show(g, l, last().str)
		case "\"":
			if n >= 3 {
				g.ws, g.cs = num(0), num(1)
			}
			g.nextLine()
			x.show(g, l, last().str)
		case "TJ":
			for _, e := range last().arr {
				if e.kind == 's' {
					x.show(g, l, e.str)
				} else {
					g.tm = matrix{1, 0, 0, 1, -e.num / 1000 * g.size * g.hs, 0}.mul(g.tm)
				}
			}
		case "Do":
			x.draw(xobjects.Key(last().str), res, g, l, depth)
		}
	}
}

// draw runs a form XObject (an image has no text).
func (x *extractor) draw(xo, res lpdf.Value, g *textState, l *layout, depth int) {
	switch sub := xo.Key("Subtype").Name(); {
	case sub == "Image":
		return
	case sub != "Form":
		panic(fallback("无法识别的对象（XObject %q）", sub))
	case depth >= maxFormDepth:
		panic(fallback("表单对象嵌套超过 %d 层", maxFormDepth))
	}
	if x.forms++; x.forms > maxForms {
		panic(fallback("一页的表单对象超过 %d 次", maxForms))
	}
	saved := *g
	defer func() { *g = saved }()
	if m := xo.Key("Matrix"); m.Len() == 6 {
		var fm matrix
		for i := range fm {
			fm[i] = m.Index(i).Float64()
		}
		g.ctm = fm.mul(g.ctm)
	}
	if r := xo.Key("Resources"); !r.IsNull() {
		res = r
	}
	x.run(x.content(xo, nil), res, g, l, depth+1)
}

func (g *textState) nextLine() {
	g.tlm = matrix{1, 0, 0, 1, 0, -g.tl}.mul(g.tlm)
	g.tm = g.tlm
}

// content reads a page's or a form's content streams, appended to buf, counting their
// decoded bytes against the document's budget, so that a stream that
// inflates without end sends the file to PDFium (which runs under a
// memory cap) instead of taking memory here.
func (x *extractor) content(contents lpdf.Value, buf []byte) []byte {
	streams := []lpdf.Value{contents}
	if contents.Kind() == lpdf.Array {
		streams = streams[:0]
		for i := range contents.Len() {
			streams = append(streams, contents.Index(i))
		}
	}
	for _, s := range streams {
		rd := s.Reader()
		for {
			if len(buf) == cap(buf) {
				buf = append(buf, 0)[:len(buf)]
			}
			n, err := rd.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if int64(len(buf)) > x.budget {
				rd.Close()
				panic(fallback("内容流超过 %d 字节", x.budget))
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				rd.Close()
				panic(fallback("内容流无法读取（%v）", err))
			}
			if err := x.ctx.Err(); err != nil {
				rd.Close()
				panic(ctxAbort{err})
			}
		}
		rd.Close()
		buf = append(buf, '\n') // streams end between tokens
	}
	return buf
}

// show places the glyphs of the string s.
func (x *extractor) show(g *textState, l *layout, s string) {
	f := g.font
	if f == nil {
		panic(fallback("文字没有设定字体"))
	}
	for len(s) > 0 {
		code, n := f.next(s)
		s = s[n:]
		x.glyphs++
		text := f.text(code)
		if text == "" || !usable(text) {
			x.bad++
			text = ""
		}
		trm := matrix{g.size * g.hs, 0, 0, g.size, 0, g.rise}.mul(g.tm).mul(g.ctm)
		adv := f.width(code) * g.size
		if n == 1 && code == 32 {
			adv += g.ws
		}
		adv = (adv + g.cs) * g.hs
		g.tm = matrix{1, 0, 0, 1, adv, 0}.mul(g.tm)
		if text != "" {
			// Positions are taken along the text's own direction, so
			// that rotated pages and forms lay out like upright ones.
			dx, dy := trm[0], trm[1]
			if h := math.Hypot(dx, dy); h > 0 {
				dx, dy = dx/h, dy/h
			} else {
				dx, dy = 1, 0
			}
			after := g.tm.mul(g.ctm)
			l.glyph(text, glyphPos{
				dx: dx, dy: dy,
				along:  trm[4]*dx + trm[5]*dy,
				across: trm[5]*dx - trm[4]*dy,
				end:    after[4]*dx + after[5]*dy,
				size:   math.Hypot(trm[2], trm[3]),
			})
		}
	}
}

// usable reports whether s is text: no private-use, replacement or
// control characters (other than spaces).
func usable(s string) bool {
	for _, r := range s {
		switch {
		case r == unicode.ReplacementChar, r == 0xFFFE, r == 0xFFFF:
			return false
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r':
			return false
		case r >= 0x7F && r < 0xA0:
			return false
		case unicode.Is(unicode.Co, r):
			return false
		}
	}
	return true
}

// glyphPos places a glyph: the unit vector of its text direction on the
// page, where it starts and the next glyph would start along that
// direction, its baseline across it, and its size.
type glyphPos struct {
	dx, dy, along, end, across, size float64
}

// layout turns placed glyphs into lines: a glyph whose baseline is more
// than half its size from the line's, or whose direction differs, starts
// a new line; one that starts past the last glyph's end by more than an
// eighth of its size gets a space before it (LibreOffice and Word set
// Chinese and Latin text a fifth of an em apart).
type layout struct {
	out     *strings.Builder
	max     int  // the most bytes of text kept
	cut     bool // text past max was dropped
	started bool
	last    glyphPos
}

func (l *layout) glyph(text string, p glyphPos) {
	if l.out.Len() > l.max {
		l.cut = true
		return
	}
	size := p.size
	if size <= 0 {
		size = 1
	}
	switch {
	case !l.started:
		l.started = true
	case p.dx*l.last.dx+p.dy*l.last.dy < 0.99 || math.Abs(p.across-l.last.across) > size/2 || p.along < l.last.end-4*size:
		l.out.WriteByte('\n')
	case p.along-l.last.end > size/8 && text != " " && !strings.HasSuffix(l.out.String(), " "):
		l.out.WriteByte(' ')
	}
	l.out.WriteString(text)
	if l.started && math.Abs(p.across-l.last.across) <= size/2 && p.dx*l.last.dx+p.dy*l.last.dy >= 0.99 {
		p.across = l.last.across // the line keeps its first baseline
	}
	l.last = p
}

// pdfFont maps a font's codes to text and widths.
type pdfFont struct {
	twoByte bool              // codes are two bytes (Identity-H, UCS-2/UTF-16 CMaps)
	utf16   bool              // the codes are UTF-16 (UniGB-UCS2-H, UniGB-UTF16-H)
	toUni   map[uint32]string // from the ToUnicode CMap
	base    *charmap.Charmap  // a simple font's encoding, nil if none
	diff    map[uint32]string // a simple font's /Differences, as text
	widths  map[uint32]float64
	dw      float64 // width of codes not in widths (glyph space / 1000)
}

// font parses the font dictionary v once per document.
func (x *extractor) font(v lpdf.Value) *pdfFont {
	if v.Kind() != lpdf.Dict {
		panic(fallback("找不到字体"))
	}
	key := v.String()
	if f, ok := x.fonts[key]; ok {
		return f
	}
	f := parseFont(v)
	if x.codes += len(f.toUni) + len(f.widths); x.codes > maxDocCodes {
		panic(fallback("字体映射的编码超过 %d 个", maxDocCodes))
	}
	x.fonts[key] = f
	return f
}

// maxFontCodes bounds the codes one font's ToUnicode map or widths may
// give (a two-byte font has 65,536), and maxDocCodes those of all a
// document's fonts, so that ranges a file states in a few bytes cannot
// fill memory; past them PDFium (under its memory cap) reads the file.
const (
	maxFontCodes = 1 << 17
	maxDocCodes  = 1 << 21
)

// checkCodes hands the file to PDFium when a font's map m grows past
// maxFontCodes.
func checkCodes[V any](m map[uint32]V, what string) {
	if len(m) > maxFontCodes {
		panic(fallback("%s超过 %d 个编码", what, maxFontCodes))
	}
}

func parseFont(v lpdf.Value) *pdfFont {
	f := &pdfFont{widths: map[uint32]float64{}}
	if tu := v.Key("ToUnicode"); tu.Kind() == lpdf.Stream {
		f.toUni = readToUnicode(tu)
	}
	enc := v.Key("Encoding")
	switch sub := v.Key("Subtype").Name(); sub {
	case "Type0":
		switch enc.Name() {
		case "Identity-H":
			f.twoByte = true
			if f.toUni == nil {
				panic(fallback("CID 字体 %s 没有 ToUnicode 映射", v.Key("BaseFont").Name()))
			}
		case "UniGB-UCS2-H", "UniGB-UTF16-H", "UniCNS-UCS2-H", "UniCNS-UTF16-H", "UniJIS-UCS2-H", "UniKS-UCS2-H":
			f.twoByte, f.utf16 = true, true
		default:
			panic(fallback("字体编码 %s 不支持", enc.String()))
		}
		cid := v.Key("DescendantFonts").Index(0)
		f.dw = 1
		if dw := cid.Key("DW"); !dw.IsNull() {
			f.dw = dw.Float64() / 1000
		}
		if !f.utf16 { // the W array is by CID, which Identity-H codes are
			readCIDWidths(cid.Key("W"), f.widths)
		}
	case "Type1", "TrueType", "MMType1":
		f.base = charmap.Windows1252
		switch enc.Kind() {
		case lpdf.Name:
			f.base = simpleEncoding(enc.Name())
		case lpdf.Dict:
			if b := enc.Key("BaseEncoding"); !b.IsNull() {
				f.base = simpleEncoding(b.Name())
			}
			f.diff = readDifferences(enc.Key("Differences"))
		}
		first := v.Key("FirstChar").Int64()
		w := v.Key("Widths")
		if w.Len() > maxFontCodes {
			panic(fallback("字宽表超过 %d 个编码", maxFontCodes))
		}
		for i := range w.Len() {
			f.widths[uint32(first)+uint32(i)] = w.Index(i).Float64() / 1000
		}
		f.dw = v.Key("FontDescriptor").Key("MissingWidth").Float64() / 1000
	default:
		panic(fallback("字体类型 %s（%s）由 PDFium 读取", sub, v.Key("BaseFont").Name()))
	}
	return f
}

// simpleEncoding is the byte encoding a simple font names.
func simpleEncoding(name string) *charmap.Charmap {
	switch name {
	case "WinAnsiEncoding", "StandardEncoding", "PDFDocEncoding":
		return charmap.Windows1252
	case "MacRomanEncoding":
		return charmap.Macintosh
	}
	panic(fallback("字体编码 %s 不支持", name))
}

// next splits the first code off s, returning it and its length.
func (f *pdfFont) next(s string) (uint32, int) {
	if f.twoByte {
		if len(s) < 2 {
			return uint32(s[0]), 1
		}
		return uint32(s[0])<<8 | uint32(s[1]), 2
	}
	return uint32(s[0]), 1
}

// text is the text of code: the ToUnicode map first, then the font's
// encoding.
func (f *pdfFont) text(code uint32) string {
	if t, ok := f.toUni[code]; ok {
		return t
	}
	switch {
	case f.utf16:
		if utf16.IsSurrogate(rune(code)) {
			return ""
		}
		return string(rune(code))
	case f.diff != nil && f.diff[code] != "":
		return f.diff[code]
	case f.base != nil && code < 256:
		if code < 32 {
			return ""
		}
		return string(f.base.DecodeByte(byte(code)))
	}
	return ""
}

func (f *pdfFont) width(code uint32) float64 {
	if w, ok := f.widths[code]; ok {
		return w
	}
	return f.dw
}

// readCIDWidths reads a CID font's W array: "c [w1 w2 …]" and
// "cFirst cLast w" entries.
func readCIDWidths(w lpdf.Value, into map[uint32]float64) {
	for i := 0; i < w.Len(); {
		c := w.Index(i)
		next := w.Index(i + 1)
		if next.Kind() == lpdf.Array {
			for j := range next.Len() {
				into[uint32(c.Int64())+uint32(j)] = next.Index(j).Float64() / 1000
			}
			checkCodes(into, "字宽表")
			i += 2
			continue
		}
		lo, hi, width := c.Int64(), next.Int64(), w.Index(i+2).Float64()/1000
		if hi-lo > 1<<16 {
			panic(fallback("字宽表范围过大"))
		}
		for k := lo; k <= hi; k++ {
			into[uint32(k)] = width
		}
		checkCodes(into, "字宽表")
		i += 3
	}
}

// readDifferences reads an encoding's /Differences array as text: glyph
// names that say their character (uniXXXX, uXXXX, one letter or digit)
// and the common punctuation names; other names are left out and count
// as unmapped if shown.
func readDifferences(d lpdf.Value) map[uint32]string {
	m := map[uint32]string{}
	code := uint32(0)
	for i := range d.Len() {
		e := d.Index(i)
		if e.Kind() == lpdf.Integer {
			code = uint32(e.Int64())
			continue
		}
		m[code] = glyphText(e.Name())
		code++
	}
	return m
}

func glyphText(name string) string {
	if len(name) == 1 && (name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z') {
		return name
	}
	for _, prefix := range []string{"uni", "u"} {
		if hex, ok := strings.CutPrefix(name, prefix); ok && (len(hex) == 4 || prefix == "u" && len(hex) <= 6) {
			var r rune
			if _, err := fmt.Sscanf(hex, "%X", &r); err == nil && len(hex) >= 4 {
				return string(r)
			}
		}
	}
	switch name {
	case "space":
		return " "
	case "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine":
		return string(rune('0' + strings.Index("zero one two three four five six seven eight nine", name)/5))
	case "period":
		return "."
	case "comma":
		return ","
	case "hyphen":
		return "-"
	}
	return ""
}

// readToUnicode reads a ToUnicode CMap's bfchar and bfrange entries.
// The CMap is read with a small tokenizer of its own: the entries are hex
// strings between begin/end keywords, and the PostScript around them does
// not matter here.
func readToUnicode(s lpdf.Value) map[uint32]string {
	rd := s.Reader()
	defer rd.Close()
	data, err := io.ReadAll(io.LimitReader(rd, 4<<20))
	if err != nil {
		panic(fallback("ToUnicode 映射无法读取（%v）", err))
	}
	m := map[uint32]string{}
	var section string
	var hexes []string // the hex strings of the current entry
	var array []string // the strings of a bfrange's [ … ] destination
	inArray := false
	for len(data) > 0 {
		c := data[0]
		switch {
		case c == '<' && len(data) > 1 && data[1] != '<':
			end := bytes.IndexByte(data, '>')
			if end < 0 {
				return m
			}
			h := hexString(data[1:end])
			data = data[end+1:]
			if inArray {
				array = append(array, h)
				continue
			}
			hexes = append(hexes, h)
			switch {
			case section == "bfchar" && len(hexes) == 2:
				m[codeOf(hexes[0])] = utf16Text(hexes[1])
				hexes = hexes[:0]
			case section == "bfrange" && len(hexes) == 3:
				addRange(m, codeOf(hexes[0]), codeOf(hexes[1]), hexes[2], nil)
				hexes = hexes[:0]
			}
			checkCodes(m, "ToUnicode 映射")
			continue
		case c == '[':
			inArray, array = true, array[:0]
		case c == ']':
			if section == "bfrange" && len(hexes) == 2 {
				addRange(m, codeOf(hexes[0]), codeOf(hexes[1]), "", array)
				checkCodes(m, "ToUnicode 映射")
			}
			inArray, hexes = false, hexes[:0]
		case c == '%':
			if end := bytes.IndexByte(data, '\n'); end >= 0 {
				data = data[end:]
				continue
			}
			return m
		case c >= 'a' && c <= 'z':
			end := 1
			for end < len(data) && data[end] >= 'a' && data[end] <= 'z' {
				end++
			}
			switch word := string(data[:end]); word {
			case "beginbfchar", "beginbfrange":
				section = word[5:]
			case "endbfchar", "endbfrange":
				section = ""
			}
			hexes = hexes[:0]
			data = data[end:]
			continue
		}
		data = data[1:]
	}
	return m
}

// addRange maps lo…hi: to dst with its last character counting up, or to
// the strings of list in turn.
func addRange(m map[uint32]string, lo, hi uint32, dst string, list []string) {
	if hi < lo || hi-lo > 1<<16 {
		return
	}
	if list != nil {
		for i := range min(len(list), int(hi-lo)+1) {
			m[lo+uint32(i)] = utf16Text(list[i])
		}
		return
	}
	base := []rune(utf16Text(dst))
	if len(base) == 0 {
		return
	}
	for c := lo; c <= hi; c++ {
		m[c] = string(base[:len(base)-1]) + string(base[len(base)-1]+rune(c-lo))
	}
}

// hexString decodes the digits of a PDF hex string, skipping white space;
// an odd last digit counts as followed by 0.
func hexString(b []byte) string {
	out := make([]byte, 0, len(b)/2)
	var hi byte
	odd := false
	for _, c := range b {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue
		}
		if odd {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		odd = !odd
	}
	if odd {
		out = append(out, hi<<4)
	}
	return string(out)
}

func codeOf(s string) uint32 {
	var c uint32
	for i := range min(len(s), 4) {
		c = c<<8 | uint32(s[i])
	}
	return c
}

func utf16Text(s string) string {
	if len(s) == 2 && !utf16.IsSurrogate(rune(s[0])<<8|rune(s[1])) {
		return string(rune(s[0])<<8 | rune(s[1]))
	}
	if len(s)%2 != 0 {
		return ""
	}
	u := make([]uint16, len(s)/2)
	for i := range u {
		u[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
	}
	return string(utf16.Decode(u))
}

// isFallback reports whether err asks for PDFium.
func isFallback(err error) bool {
	var f *fallbackError
	return errors.As(err, &f)
}

// tidyLines collapses runs of spaces and tabs within a line into one
// space, trims each line and drops blank ones, as PDFium's text does.
func tidyLines(s string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}
