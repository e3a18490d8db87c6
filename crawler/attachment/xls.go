package attachment

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// BIFF8 record types read from an Excel 97-2003 Workbook stream.
const (
	recBOF        = 0x0809
	recEOF        = 0x000A
	recFilePass   = 0x002F
	recBoundSheet = 0x0085
	recSST        = 0x00FC
	recContinue   = 0x003C
	recLabelSST   = 0x00FD
	recLabel      = 0x0204
	recNumber     = 0x0203
	recRK         = 0x027E
	recMulRK      = 0x00BD
	recFormula    = 0x0006
	recString     = 0x0207
	recBoolErr    = 0x0205
)

// biffRecord is one record of the stream and where it started.
type biffRecord struct {
	typ  uint16
	pos  int
	data []byte
}

// xlsText writes an Excel 97-2003 workbook like xlsxText: each sheet's
// name, then its rows with cells tab-separated. Cells are shared strings
// (LABELSST), inline strings, numbers (NUMBER, RK, MULRK) and the cached
// results of formulas; numbers are written plainly (dates as their serial
// numbers, since formats are not applied).
func xlsText(ctx context.Context, data []byte, lim Limits, out *textBuf) error {
	s, err := oleStreams(data, lim.MaxBytes, "Workbook", "Book")
	if err != nil {
		return err
	}
	wb := s["Workbook"]
	if wb == nil {
		if s["Book"] != nil {
			return fmt.Errorf("工作簿是 Excel 5.0/95 格式：%w", errUnsupported)
		}
		return errors.New("没有 Workbook 流")
	}
	recs, err := biffRecords(wb)
	if err != nil {
		return err
	}
	var sst []string
	sheetAt := map[int]string{}
	var sheet *xlsSheet
	for i := 0; i < len(recs); i++ {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		r := recs[i]
		switch r.typ {
		case recFilePass:
			return errors.New("该 Excel 工作簿已加密，需要密码才能打开")
		case recBoundSheet:
			if len(r.data) >= 8 {
				sheetAt[int(binary.LittleEndian.Uint32(r.data))] = shortString(r.data[6:])
			}
		case recSST:
			segs := [][]byte{r.data}
			for i+1 < len(recs) && recs[i+1].typ == recContinue {
				i++
				segs = append(segs, recs[i].data)
			}
			sst = readSST(segs)
		case recBOF:
			if name, ok := sheetAt[r.pos]; ok {
				sheet = &xlsSheet{name: name, cells: map[[2]int]string{}}
			}
		case recEOF:
			if sheet != nil {
				sheet.write(out)
				sheet = nil
			}
		default:
			if sheet != nil {
				sheet.cell(r, sst, nextString(recs, i))
			}
		}
		if out.full() {
			break
		}
	}
	return nil
}

// biffRecords splits the stream into records.
func biffRecords(b []byte) ([]biffRecord, error) {
	var recs []biffRecord
	for pos := 0; pos+4 <= len(b); {
		typ := binary.LittleEndian.Uint16(b[pos:])
		n := int(binary.LittleEndian.Uint16(b[pos+2:]))
		if pos+4+n > len(b) {
			return recs, fmt.Errorf("工作簿流（Workbook）在第 %d 字节处截断", pos)
		}
		recs = append(recs, biffRecord{typ: typ, pos: pos, data: b[pos+4 : pos+4+n]})
		pos += 4 + n
	}
	if len(recs) == 0 || recs[0].typ != recBOF {
		return nil, errors.New("工作簿流（Workbook）不以 BOF 开始，不是 BIFF8")
	}
	return recs, nil
}

// nextString is the STRING record after a FORMULA at i: the cached
// result of a formula that gives text.
func nextString(recs []biffRecord, i int) []byte {
	if recs[i].typ == recFormula && i+1 < len(recs) && recs[i+1].typ == recString {
		return recs[i+1].data
	}
	return nil
}

type xlsSheet struct {
	name  string
	cells map[[2]int]string
}

func (s *xlsSheet) cell(r biffRecord, sst []string, str []byte) {
	d := r.data
	if len(d) < 6 {
		return
	}
	row, col := int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:]))
	set := func(c int, v string) { s.cells[[2]int{row, c}] = v }
	switch r.typ {
	case recLabelSST:
		if len(d) >= 10 {
			if k := int(binary.LittleEndian.Uint32(d[6:])); k < len(sst) {
				set(col, sst[k])
			}
		}
	case recLabel:
		if len(d) >= 9 {
			set(col, unicodeString(d[6:], 2))
		}
	case recNumber:
		if len(d) >= 14 {
			set(col, number(math.Float64frombits(binary.LittleEndian.Uint64(d[6:]))))
		}
	case recRK:
		if len(d) >= 10 {
			set(col, number(rk(binary.LittleEndian.Uint32(d[6:]))))
		}
	case recMulRK:
		for c, p := col, 4; p+6 <= len(d)-2; c, p = c+1, p+6 {
			set(c, number(rk(binary.LittleEndian.Uint32(d[p+2:]))))
		}
	case recFormula:
		if len(d) < 14 {
			return
		}
		if binary.LittleEndian.Uint16(d[12:]) != 0xFFFF { // a number
			set(col, number(math.Float64frombits(binary.LittleEndian.Uint64(d[6:]))))
		} else if d[6] == 0 && str != nil { // text, in the STRING record
			set(col, unicodeString(str, 2))
		}
	case recBoolErr:
		if len(d) >= 8 && d[7] == 0 {
			set(col, map[bool]string{true: "TRUE", false: "FALSE"}[d[6] != 0])
		}
	}
}

// write puts the sheet's rows in order, as writeRow does for XLSX.
func (s *xlsSheet) write(out *textBuf) {
	out.line()
	out.WriteString(s.name + "\n")
	rows := map[int]map[int]string{}
	for k, v := range s.cells {
		if rows[k[0]] == nil {
			rows[k[0]] = map[int]string{}
		}
		rows[k[0]][k[1]] = v
	}
	order := make([]int, 0, len(rows))
	for r := range rows {
		order = append(order, r)
	}
	sort.Ints(order)
	for _, r := range order {
		last := 0
		for c := range rows[r] {
			last = max(last, c)
		}
		cells := make([]string, last+1)
		for c, v := range rows[r] {
			cells[c] = v
		}
		writeRow(cells, out)
	}
}

// rk decodes an RK number: an integer or the high 30 bits of a double,
// optionally divided by 100.
func rk(v uint32) float64 {
	var f float64
	if v&2 != 0 {
		f = float64(int32(v) >> 2)
	} else {
		f = math.Float64frombits(uint64(v&^3) << 32)
	}
	if v&1 != 0 {
		f /= 100
	}
	return f
}

func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// shortString reads a ShortXLUnicodeString (8-bit length).
func shortString(b []byte) string {
	if len(b) < 2 {
		return ""
	}
	return chars(b[2:], int(b[0]), b[1]&1 != 0)
}

// unicodeString reads an XLUnicodeString whose length field is lenBytes
// wide.
func unicodeString(b []byte, lenBytes int) string {
	if len(b) < lenBytes+1 {
		return ""
	}
	n := int(binary.LittleEndian.Uint16(b))
	return chars(b[lenBytes+1:], n, b[lenBytes]&1 != 0)
}

// chars decodes n characters, UTF-16 or "compressed" (the low bytes of
// UTF-16, i.e. Latin-1), as far as b holds them.
func chars(b []byte, n int, wide bool) string {
	if !wide {
		n = min(n, len(b))
		s, _ := charmap.ISO8859_1.NewDecoder().Bytes(b[:n])
		return string(s)
	}
	n = min(n, len(b)/2)
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// sstReader reads across the SST record and its CONTINUE records.
type sstReader struct {
	segs [][]byte
	seg  int
	pos  int
}

func (r *sstReader) left() int {
	if r.seg >= len(r.segs) {
		return 0
	}
	return len(r.segs[r.seg]) - r.pos
}

// next moves to the following segment when the current one is used up.
func (r *sstReader) next() bool {
	for r.seg < len(r.segs) && r.left() == 0 {
		r.seg, r.pos = r.seg+1, 0
	}
	return r.seg < len(r.segs)
}

func (r *sstReader) bytes(n int) []byte {
	var out []byte
	for n > 0 && r.next() {
		k := min(n, r.left())
		out = append(out, r.segs[r.seg][r.pos:r.pos+k]...)
		r.pos += k
		n -= k
	}
	return out
}

// readSST reads the shared strings. A string's characters may continue in
// the next CONTINUE record, which then starts with a new flags byte saying
// whether the rest is compressed.
func readSST(segs [][]byte) []string {
	r := &sstReader{segs: segs}
	head := r.bytes(8)
	if len(head) < 8 {
		return nil
	}
	count := int(binary.LittleEndian.Uint32(head[4:]))
	out := make([]string, 0, min(count, 1<<16))
	for i := 0; i < count && r.next(); i++ {
		h := r.bytes(3)
		if len(h) < 3 {
			break
		}
		n, flags := int(binary.LittleEndian.Uint16(h)), h[2]
		runs, ext := 0, 0
		if flags&0x08 != 0 {
			runs = int(binary.LittleEndian.Uint16(pad(r.bytes(2), 2)))
		}
		if flags&0x04 != 0 {
			ext = int(binary.LittleEndian.Uint32(pad(r.bytes(4), 4)))
		}
		wide := flags&0x01 != 0
		var u []uint16
		for n > 0 && r.next() {
			width := 1
			if wide {
				width = 2
			}
			k := min(n, r.left()/width)
			if k == 0 {
				break
			}
			b := r.bytes(k * width)
			for j := 0; j < k; j++ {
				if wide {
					u = append(u, binary.LittleEndian.Uint16(b[2*j:]))
				} else {
					u = append(u, uint16(b[j]))
				}
			}
			n -= k
			if n > 0 && r.left() == 0 && r.next() {
				wide = r.bytes(1)[0]&0x01 != 0 // the continuation's own flags
			}
		}
		out = append(out, string(utf16.Decode(u)))
		r.bytes(4*runs + ext)
	}
	return out
}

func pad(b []byte, n int) []byte {
	for len(b) < n {
		b = append(b, 0)
	}
	return b
}
