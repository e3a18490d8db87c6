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
// error, and it has its own fuzzing upstream. Seeds: the small test files.
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
