package attachment

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
	"golang.org/x/text/encoding/charmap"
)

// oleStreams reads the named streams of an OLE compound file, each at
// most limit bytes.
func oleStreams(data []byte, limit int64, names ...string) (map[string][]byte, error) {
	r, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("读取 OLE 复合文档失败：%w", err)
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	out := map[string][]byte{}
	for f, err := r.Next(); err == nil; f, err = r.Next() {
		if !want[f.Name] || len(f.Path) > 0 {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(f, limit+1))
		if err != nil {
			return nil, fmt.Errorf("读取 %s 流失败：%w", f.Name, err)
		}
		if int64(len(b)) > limit {
			return nil, fmt.Errorf("%s 流超过 %d 字节：%w", f.Name, limit, errTooLarge)
		}
		out[f.Name] = b
	}
	return out, nil
}

// docText writes the main text of a Word 97-2003 document (and of WPS
// files saved in that format): the FIB gives the piece table (Clx) in
// the table stream, whose pieces are runs of UTF-16 or of 8-bit
// characters in the WordDocument stream. Field codes are left out, their
// results kept; paragraph, cell and line marks become line ends.
func docText(ctx context.Context, data []byte, lim Limits, out *textBuf) error {
	s, err := oleStreams(data, lim.MaxBytes, "WordDocument", "0Table", "1Table")
	if err != nil {
		return err
	}
	wd := s["WordDocument"]
	if len(wd) < 0x22 {
		return errors.New("没有 WordDocument 流或 FIB 不完整")
	}
	flags := binary.LittleEndian.Uint16(wd[0x0A:])
	if flags&0x0100 != 0 {
		return errors.New("该 Word 文档已加密，需要密码才能打开")
	}
	table := s["0Table"]
	if flags&0x0200 != 0 {
		table = s["1Table"]
	}
	ccpText, fcClx, lcbClx, err := readFIB(wd)
	if err != nil {
		return err
	}
	if int64(fcClx)+int64(lcbClx) > int64(len(table)) {
		return errors.New("FIB 指向的片段表超出了表流")
	}
	pieces, err := pieceTable(table[fcClx : fcClx+lcbClx])
	if err != nil {
		return err
	}
	w := wordWriter{out: out}
	for _, p := range pieces {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if p.cpStart >= ccpText || out.full() {
			break
		}
		n := min(p.cpEnd, ccpText) - p.cpStart
		text, err := p.read(wd, n)
		if err != nil {
			return err
		}
		w.write(text)
	}
	return nil
}

// readFIB finds ccpText and the Clx's place in the table stream by
// walking the FIB's variable parts (csw, cslw, cbRgFcLcb), not by fixed
// offsets, so Word 97 to 2003 files all read.
func readFIB(wd []byte) (ccpText, fcClx, lcbClx uint32, err error) {
	bad := errors.New("FIB 不完整")
	pos := 0x20
	csw := int(binary.LittleEndian.Uint16(wd[pos:]))
	pos += 2 + csw*2
	if pos+2 > len(wd) {
		return 0, 0, 0, bad
	}
	cslw := int(binary.LittleEndian.Uint16(wd[pos:]))
	pos += 2
	if cslw < 4 || pos+cslw*4+2 > len(wd) {
		return 0, 0, 0, bad
	}
	ccpText = binary.LittleEndian.Uint32(wd[pos+3*4:])
	pos += cslw * 4
	cb := int(binary.LittleEndian.Uint16(wd[pos:]))
	pos += 2
	const clx = 33 // fcClx is the 34th pair of fibRgFcLcb97
	if cb <= clx || pos+(clx+1)*8 > len(wd) {
		return 0, 0, 0, bad
	}
	fcClx = binary.LittleEndian.Uint32(wd[pos+clx*8:])
	lcbClx = binary.LittleEndian.Uint32(wd[pos+clx*8+4:])
	return ccpText, fcClx, lcbClx, nil
}

type wordPiece struct {
	cpStart, cpEnd uint32
	fc             uint32
	compressed     bool
}

// pieceTable parses a Clx: property records (0x01) are skipped, then the
// Pcdt (0x02) holds n+1 character positions and n piece descriptors.
func pieceTable(clx []byte) ([]wordPiece, error) {
	for len(clx) > 0 && clx[0] == 0x01 {
		if len(clx) < 3 {
			return nil, errors.New("片段表不完整")
		}
		n := 3 + int(binary.LittleEndian.Uint16(clx[1:]))
		if n > len(clx) {
			return nil, errors.New("片段表不完整")
		}
		clx = clx[n:]
	}
	if len(clx) < 5 || clx[0] != 0x02 {
		return nil, errors.New("找不到片段表（Pcdt）")
	}
	size := int(binary.LittleEndian.Uint32(clx[1:]))
	plc := clx[5:]
	if size > len(plc) || (size-4)%12 != 0 {
		return nil, errors.New("片段表长度不对")
	}
	n := (size - 4) / 12
	pieces := make([]wordPiece, n)
	for i := range pieces {
		fc := binary.LittleEndian.Uint32(plc[(n+1)*4+i*8+2:])
		pieces[i] = wordPiece{
			cpStart:    binary.LittleEndian.Uint32(plc[i*4:]),
			cpEnd:      binary.LittleEndian.Uint32(plc[(i+1)*4:]),
			fc:         fc &^ 0x40000000,
			compressed: fc&0x40000000 != 0,
		}
		if pieces[i].cpEnd < pieces[i].cpStart {
			return nil, errors.New("片段表的字符位置倒序")
		}
	}
	return pieces, nil
}

// read returns the piece's first n characters.
func (p wordPiece) read(wd []byte, n uint32) (string, error) {
	if p.compressed {
		start := int64(p.fc / 2)
		if start+int64(n) > int64(len(wd)) {
			return "", errors.New("片段超出 WordDocument 流")
		}
		return charmap.Windows1252.NewDecoder().String(string(wd[start : start+int64(n)]))
	}
	start := int64(p.fc)
	if start+2*int64(n) > int64(len(wd)) {
		return "", errors.New("片段超出 WordDocument 流")
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(wd[start+2*int64(i):])
	}
	return string(utf16.Decode(u)), nil
}

// wordWriter turns Word's special characters into text: 0x0D paragraph
// and 0x0B line breaks end lines, 0x07 ends a table cell (a line, as in
// DOCX), 0x0C a page; 0x13 starts a field whose code runs to 0x14 (left
// out) and whose result runs to 0x15 (kept); other control characters
// (pictures, footnote marks) are dropped.
type wordWriter struct {
	out   *textBuf
	field []bool // for each open field, whether its code is being read
}

func (w *wordWriter) write(s string) {
	var sb strings.Builder
	for _, r := range s {
		switch r {
		case 0x13:
			w.field = append(w.field, true)
			continue
		case 0x14:
			if len(w.field) > 0 {
				w.field[len(w.field)-1] = false
			}
			continue
		case 0x15:
			if len(w.field) > 0 {
				w.field = w.field[:len(w.field)-1]
			}
			continue
		}
		if len(w.field) > 0 && w.field[len(w.field)-1] {
			continue
		}
		switch {
		case r == 0x0D || r == 0x0B || r == 0x07 || r == 0x0C:
			sb.WriteByte('\n')
		case r == '\t':
			sb.WriteByte('\t')
		case r < 0x20:
		default:
			sb.WriteRune(r)
		}
	}
	w.out.WriteString(strings.ReplaceAll(sb.String(), "\n\n", "\n"))
}
