package extract

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/gongkai-project/gongkai/config"
)

// FuzzExtract checks that Extract never panics, returns valid UTF-8 and
// never gives an error record a body.
func FuzzExtract(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "")
	}
	f.Add([]byte("<table><tr><td>索引号：<td>\t<td>发布日期：<td>2021-13-45"), "text/html; charset=gbk")
	f.Fuzz(func(t *testing.T, raw []byte, contentType string) {
		a, err := Extract("https://mp.weixin.qq.com/s?__biz=a&mid=1&idx=1", raw, contentType, config.Selectors{})
		if err != nil {
			return
		}
		if !utf8.ValidString(a.Body) || !utf8.ValidString(a.Title) {
			t.Errorf("invalid UTF-8 in title %q or body %q", a.Title, a.Body)
		}
		if a.Kind == KindError && (a.Body != "" || a.HTML != "") {
			t.Errorf("error record %q carries content", a.Reason)
		}
		a.Document()
	})
}
