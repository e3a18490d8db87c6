package fetch

import (
	"bytes"
	"net/http"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// isWAF reports a firewall script challenge: status 412 or 521 with a body
// that holds a script and next to no visible text.
func isWAF(status int, body []byte) bool {
	if status != http.StatusPreconditionFailed && status != 521 {
		return false
	}
	scripts, text := 0, 0
	z := html.NewTokenizer(bytes.NewReader(body))
	inRaw := ""
	for {
		switch z.Next() {
		case html.ErrorToken:
			return scripts > 0 && text <= 20
		case html.StartTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script":
				scripts++
				inRaw = "script"
			case "style", "noscript", "title":
				inRaw = string(name)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if string(name) == inRaw {
				inRaw = ""
			}
		case html.TextToken:
			if inRaw == "" {
				text += utf8.RuneCountInString(strings.Join(strings.Fields(string(z.Text())), ""))
			}
		}
	}
}
