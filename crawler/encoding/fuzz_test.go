package encoding

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzDecode checks that Decode never panics and always returns valid UTF-8.
func FuzzDecode(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "seeds", "*"))
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "")
		f.Add(b, "text/html; charset=gbk")
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		text, _, err := Decode(body, contentType)
		if err == nil && !utf8.ValidString(text) {
			t.Errorf("Decode(%q, %q) returned invalid UTF-8", body, contentType)
		}
	})
}
