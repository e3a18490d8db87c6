package encoding

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/internal/shareddata"
)

func TestDecodeOrder(t *testing.T) {
	gbkNi := []byte{0xC4, 0xE3, 0xBA, 0xC3} // 你好 in GBK
	pad := strings.Repeat("<!-- padding padding padding -->\n", 100)
	cases := []struct {
		name, ct, want, wantText string
		body                     []byte
	}{
		{"header wins over meta", "text/html; charset=GBK", "gb18030", "你好",
			append([]byte(`<meta charset="utf-8">`), gbkNi...)},
		{"bom wins over header", "text/html; charset=gbk", "utf-8", "你好",
			[]byte("\xEF\xBB\xBF<p>你好")},
		{"meta after 1024 bytes", "", "gb18030", "你好",
			append([]byte("<html><head>"+pad+`<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`), gbkNi...)},
		{"first real charset of two", "", "gb18030", "你好",
			append([]byte(`<meta charset="x-nonsense"><meta charset="gbk"><meta charset="utf-8">`), gbkNi...)},
		{"meta in comment ignored", "", "gb18030", "你好",
			append([]byte(`<!-- <meta charset="iso-8859-2"> --><meta charset="gb2312">`), gbkNi...)},
		{"unquoted http-equiv", "", "gb18030", "你好",
			append([]byte(`<meta http-equiv=Content-Type content=text/html; charset=gb2312>`), gbkNi...)},
		{"undeclared utf-8", "", "utf-8", "你好", []byte("<p>你好")},
		{"undeclared gbk", "text/html", "gb18030", "你好", append([]byte("<p>"), gbkNi...)},
		{"utf-8 header over gbk bytes defers to meta", "text/html; charset=utf-8", "gb18030", "你好",
			append([]byte(`<meta charset="gb2312">`), gbkNi...)},
		{"utf-8 header over valid utf-8 wins", "text/html; charset=utf-8", "utf-8", "你好",
			[]byte(`<meta charset="gb2312">你好`)},
		{"bad header charset falls through", "text/html; charset=bogus", "utf-8", "你好", []byte("你好")},
		{"utf-16 meta means utf-8", "", "utf-8", "你好", []byte(`<meta charset="utf-16">你好`)},
		// A page saved again as UTF-8 keeps its gb2312 declaration (as
		// Readability's saved qq.com page does): plainly UTF-8 bytes win.
		{"re-saved utf-8 under a gb2312 meta", "", "utf-8", "你好",
			[]byte(`<meta http-equiv="Content-Type" content="text/html; charset=gb2312">` + strings.Repeat("你好", 40))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, name, err := Decode(c.body, c.ct)
			if err != nil {
				t.Fatal(err)
			}
			if name != c.want || !strings.Contains(text, c.wantText) {
				t.Errorf("Decode = %q (%s), want %s containing %q", text, name, c.want, c.wantText)
			}
		})
	}
}

func TestDecodeGBKSpecials(t *testing.T) {
	// A3 A0 is the full-width space old pages indent with (WHATWG: U+3000);
	// 0x80 is the euro sign; FE 50 is a GBK-only character (not in GB2312).
	text, _, err := Decode([]byte("<meta charset=gb2312>\xA3\xA0\x80\xFE\x50"), "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(text, "\u3000€⺁") {
		t.Errorf("got %q", text)
	}
}

func TestDecodeReplacesInvalid(t *testing.T) {
	for _, body := range [][]byte{
		[]byte("<meta charset=gbk>ok\xC4"),       // truncated GBK pair
		[]byte("<meta charset=utf-8>ok\xE4\xBD"), // truncated UTF-8
		[]byte("\xEF\xBB\xBFok\xFF"),             // BOM then invalid byte
		[]byte("ok\x81\x30\x81"),                 // truncated GB18030 four-byte form
	} {
		text, _, err := Decode(body, "")
		if err != nil {
			t.Fatalf("Decode(%q): %v", body, err)
		}
		if !strings.Contains(text, "ok") || !strings.Contains(text, "\uFFFD") {
			t.Errorf("Decode(%q) = %q, want text with U+FFFD", body, text)
		}
	}
}

// TestDecodeFixtures checks the charset found for every fixture page against
// its answer key, and that no page decodes with more replacement characters
// than the key says it has invalid sequences.
func TestDecodeFixtures(t *testing.T) {
	pages := shareddata.Path(t, "fixtures/pages")
	keys, _ := filepath.Glob(filepath.Join(pages, "*.json"))
	for _, keyPath := range keys {
		var key struct {
			Encoding string `json:"encoding"`
			Invalid  int    `json:"encoding_invalid_sequences"`
		}
		raw, err := os.ReadFile(keyPath)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &key); err != nil {
			t.Fatalf("%s: %v", keyPath, err)
		}
		if key.Encoding == "" {
			continue
		}
		body, err := os.ReadFile(strings.TrimSuffix(keyPath, ".json") + ".html")
		if err != nil {
			t.Fatal(err)
		}
		text, name, err := Decode(body, "")
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(keyPath), err)
			continue
		}
		want := key.Encoding
		if want == "gbk" {
			want = "gb18030"
		}
		if name != want {
			t.Errorf("%s: charset %s, key says %s", filepath.Base(keyPath), name, key.Encoding)
		}
		// Pages keyed gb18030 use pairs of the GBK user-defined area, which
		// x/text replaces rather than mapping to private-use code points.
		if n := strings.Count(text, "\uFFFD"); n > key.Invalid && key.Encoding != "gb18030" {
			t.Errorf("%s: %d replacement characters, key allows %d", filepath.Base(keyPath), n, key.Invalid)
		}
	}
}
