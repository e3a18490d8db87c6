package attachment

import (
	"context"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParse runs detection and the parsers this package implements on
// arbitrary bytes without Extract's recover, so a panic is a finding.
// PDF is left out: PDFium runs inside WebAssembly, where a crash is an
// error, and it has its own fuzzing upstream; the fast path's own content
// lexer has FuzzContentLexer. Seeds: the small test files.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"plan.docx", "dibao.xlsx", "plan.doc", "dibao.xls", "ofdrw-invoice.ofd", "plan.html", "plan-gb18030.txt"} {
		f.Add(readTestdata(f, name), name)
	}
	lim := Limits{MaxBytes: 1 << 20, MaxText: 1 << 16}.withDefaults()
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		typ := Detect(data, name)
		if typ == PDF || typ == Unknown {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		out := &textBuf{max: lim.MaxText}
		parse(ctx, typ, data, lim, out)
		if out.Len() > lim.MaxText || !utf8.ValidString(out.String()) {
			t.Errorf("%s: %d bytes of text (limit %d), valid UTF-8 %v", typ, out.Len(), lim.MaxText, utf8.ValidString(out.String()))
		}
	})
}

// FuzzContentLexer runs the PDF fast path's content-stream lexer on
// arbitrary bytes: it must end, each operator must move it forward, and
// no operand may hold more bytes than the stream.
func FuzzContentLexer(f *testing.F) {
	f.Add([]byte("BT /F1 12 Tf 72 712 Td (x\\(y\\)) Tj [(a) -250 <0041>] TJ ET"))
	f.Add([]byte("q 1 0 0 1 0 0 cm BI /W 1 /H 1 /BPC 8 ID \x00\xffEI Q % comment\n<< /MCID 0 >> BDC EMC"))
	f.Add([]byte("[[[[(unbalanced <4E2D"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lx := contentLexer{data: data}
		for ops := 0; ; ops++ {
			before := lx.pos
			_, ok := lx.next()
			if !ok {
				return
			}
			if lx.pos <= before || ops > len(data) {
				t.Fatalf("operator %d did not move the lexer (at %d of %d)", ops, lx.pos, len(data))
			}
			for _, a := range lx.args {
				if len(a.str) > len(data) {
					t.Fatalf("operand of %d bytes from %d bytes", len(a.str), len(data))
				}
			}
		}
	})
}
