package attachment

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// zeroDeflate is a raw deflate stream of mb MiB of zeros and their CRC-32,
// built cheaply: the second flushed megabyte refers only to zeros in the
// window, so its bytes can be repeated for every further megabyte.
func zeroDeflate(t testing.TB, mb int) ([]byte, uint32) {
	t.Helper()
	zero := make([]byte, 1<<20)
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(zero)
	fw.Flush()
	first := append([]byte{}, buf.Bytes()...)
	buf.Reset()
	fw.Write(zero)
	fw.Flush()
	next := append([]byte{}, buf.Bytes()...)
	buf.Reset()
	fw.Close()
	out := append([]byte{}, first...)
	crc := crc32.Update(0, crc32.IEEETable, zero)
	for range mb - 1 {
		out = append(out, next...)
		crc = crc32.Update(crc, crc32.IEEETable, zero)
	}
	return append(out, buf.Bytes()...), crc
}

// zipWith builds a zip holding name → mb MiB of zeros (deflated to almost
// nothing), beside the small entries in extra.
func zipWith(t testing.TB, name string, mb int, extra map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for n, body := range extra {
		w, _ := zw.Create(n)
		w.Write([]byte(body))
	}
	raw, crc := zeroDeflate(t, mb)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(raw)), UncompressedSize64: uint64(mb) << 20})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestZipBombs gives each zip format an entry that inflates to 64 MB from
// a few tens of KB: extraction refuses it at the 4 × 4 MB limit and says
// so. A bomb whose directory lies about the size is stopped by readEntry
// and archive/zip (TestZipEntryLimit).
func TestZipBombs(t *testing.T) {
	lim := Limits{MaxBytes: 4 << 20}
	cases := []struct {
		name, entry string
		extra       map[string]string
		want        Type
	}{
		{"bomb.docx", "word/document.xml", nil, DOCX},
		{"bomb.ofd", "Doc_0/Document.xml", map[string]string{
			"OFD.xml": `<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`}, OFD},
		{"bomb.xlsx", "xl/worksheets/sheet1.xml", map[string]string{
			"xl/workbook.xml":            `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>`,
			"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
			"[Content_Types].xml":        `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		}, XLSX},
	}
	for _, c := range cases {
		data := zipWith(t, c.entry, 64, c.extra)
		if len(data) > 1<<20 {
			t.Fatalf("%s: the bomb is %d bytes, not small", c.name, len(data))
		}
		r := Extract(context.Background(), data, c.name, lim)
		if r.Type != c.want || r.State != TooLarge || r.Reason == "" {
			t.Errorf("%s: %s %s (%s), want too_large with a reason", c.name, r.Type, r.State, r.Reason)
		}
	}
}

// TestTruncatedFiles cuts every test file of each format short: each
// gives failed with a reason (or, if what is left still parses, text),
// never a panic or unknown type.
func TestTruncatedFiles(t *testing.T) {
	for _, file := range []string{"plan.docx", "dibao.xlsx", "plan.doc", "dibao.xls", "dibao-county.xls", "ofdrw-invoice.ofd", "plan.pdf", "plan-gb18030.txt"} {
		data := readTestdata(t, file)
		for _, cut := range []int{len(data) / 2, len(data) - 100, 600} {
			r := Extract(context.Background(), data[:cut], file, Limits{})
			if r.Type == Unknown || (r.State != Failed && r.State != Extracted) || (r.State == Failed) == (r.Reason == "") {
				t.Errorf("%s cut at %d: %s %s (%s)", file, cut, r.Type, r.State, r.Reason)
			}
		}
	}
}

// TestPDFInflatingStream gives PDFium a 400 KB content stream that
// inflates to 256 MB of zeros: it is read within the memory cap or fails,
// and returns within the time limit.
func TestPDFInflatingStream(t *testing.T) {
	raw, _ := zeroDeflate(t, 256)
	// A zlib stream (FlateDecode): header, the raw deflate data, Adler-32.
	var z bytes.Buffer
	z.Write([]byte{0x78, 0x01})
	z.Write(raw)
	binary.Write(&z, binary.BigEndian, adlerZeros(256<<20))
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n")
	b.WriteString("2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n")
	b.WriteString("3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n")
	fmt.Fprintf(&b, "4 0 obj<</Length %d/Filter/FlateDecode>>stream\n", z.Len())
	b.Write(z.Bytes())
	b.WriteString("\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
	r := Extract(context.Background(), b.Bytes(), "huge.pdf", Limits{Timeout: 3 * time.Second})
	if r.Type != PDF || r.State == Extracted && strings.TrimSpace(r.Text) != "" {
		t.Errorf("inflating stream: %s %s (%s) %q", r.Type, r.State, r.Reason, r.Text)
	}
}

// adlerZeros is the Adler-32 checksum of n zero bytes: a stays 1, b adds
// 1 for each byte.
func adlerZeros(n int) uint32 {
	return uint32(n%65521)<<16 | 1
}

// TestTimeout stops an extraction whose limit has passed: failed, saying so.
func TestTimeout(t *testing.T) {
	r := Extract(context.Background(), readTestdata(t, "dibao-county.xls"), "x.xls", Limits{Timeout: time.Nanosecond})
	if r.State != Failed || !strings.Contains(r.Reason, "超时") {
		t.Errorf("1 ns limit: %s (%s), want failed by timeout", r.State, r.Reason)
	}
}

// TestRandomBytes feeds random bytes behind each magic number.
func TestRandomBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, magic := range [][]byte{pdfMagic, zipMagic, oleMagic, nil} {
		for range 20 {
			data := append(append([]byte{}, magic...), randomBytes(rng, 4096)...)
			r := Extract(context.Background(), data, "random.bin", Limits{})
			if r.State == Extracted && !utf8.ValidString(r.Text) {
				t.Errorf("random bytes after %q: invalid UTF-8", magic)
			}
			if r.State != Extracted && r.Reason == "" {
				t.Errorf("random bytes after %q: %s without a reason", magic, r.State)
			}
		}
	}
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.UintN(256))
	}
	return b
}

// TestZipEntryLimit reads an entry through readEntry's limit: 64 MB of
// zeros stop at the limit, whatever the directory claims.
func TestZipEntryLimit(t *testing.T) {
	data := zipWith(t, "word/document.xml", 64, nil)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readEntry(zr.File[0], 1<<20); !errors.Is(err, errTooLarge) {
		t.Errorf("64 MB entry read with a 1 MB limit: %v, want too large", err)
	}
}

// ofdZip builds a one-page OFD package whose page is content.
func ofdZip(t testing.TB, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range []struct{ name, body string }{
		{"OFD.xml", `<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`},
		{"Doc_0/Document.xml", `<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`},
		{"Doc_0/Pages/Page_0/Content.xml", content},
	} {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, e.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ofdPageXML is a page's Content.xml holding the TextObjects objs.
func ofdPageXML(objs ...string) string {
	return `<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="2">` +
		strings.Join(objs, "") + `</ofd:Layer></ofd:Content></ofd:Page>`
}

// TestOFDDeltaXBomb gives a two-character TextCode a DeltaX of 9 million
// advances (an 18 MB Content.xml from a package of a few tens of KB):
// extraction gives the text, and reading the advances takes only the two
// it needs. Splitting the whole list first allocated 144 MB for them (the
// whole extraction 307 MB instead of 163); the allocation is measured
// around deltaX alone, since the extraction's own figure moves with the
// build (273 MB under -race).
func TestOFDDeltaXBomb(t *testing.T) {
	const advances = 9 << 20
	list := strings.Repeat("1 ", advances)
	content := ofdPageXML(`<ofd:TextObject ID="3" Boundary="10 10 50 5" Font="4" Size="4">` +
		`<ofd:TextCode X="0" Y="4" DeltaX="` + list + `">公开</ofd:TextCode></ofd:TextObject>`)
	data := ofdZip(t, content)
	if len(data) > 1<<20 {
		t.Fatalf("the bomb is %d bytes, not small", len(data))
	}
	r := Extract(context.Background(), data, "bomb.ofd", Limits{})
	if r.State != Extracted || strings.TrimSpace(r.Text) != "公开" {
		t.Fatalf("%s %s (%s), text %q; want extracted 公开", r.Type, r.State, r.Reason, r.Text)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got := deltaX(list, 2)
	runtime.ReadMemStats(&after)
	if fmt.Sprint(got) != "[1 1]" {
		t.Fatalf("deltaX gave %v, want [1 1]", got)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("DeltaX %d MB, reading two advances allocated %d KB", len(list)>>20, alloc>>10)
	if alloc > 1<<20 {
		t.Errorf("reading two advances of a %d MB DeltaX allocated %d MB, want at most 1 MB", len(list)>>20, alloc>>20)
	}
}

// TestOFDDeltaX reads DeltaX lists, repeats and malformed ones: a
// repeat count that overflows or is negative, or a value out of range,
// ends the list there.
func TestOFDDeltaX(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want []float64
	}{
		{"1 2 3", 2, []float64{1, 2}},
		{"g 3 1.5 2", 5, []float64{1.5, 1.5, 1.5, 2}},
		{"g 100000000000000000000000 1 5", 3, nil},
		{"2 g 99999999999999999999 1", 3, []float64{2}},
		{"g -4 1 5", 3, []float64{5}},
		{"1 1e400 2", 3, []float64{1}},
		{"1 g 2", 3, []float64{1}},
		{"1 x 2", 3, []float64{1}},
		{"1 NaN 2", 3, []float64{1}},
		{"g 2 +Inf 1", 3, nil},
		{"g 2 3 4 " + strings.Repeat("1 ", 1000), 3, []float64{3, 3, 4}},
	} {
		got := deltaX(c.s, c.n)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("deltaX(%.30q, %d) = %v, want %v", c.s, c.n, got, c.want)
		}
	}
}
