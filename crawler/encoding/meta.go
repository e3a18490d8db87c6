package encoding

import (
	"bytes"
	"mime"
	"strings"

	"golang.org/x/net/html"
	xenc "golang.org/x/text/encoding"
)

// prescanLimit is how far into the page a <meta> charset declaration is
// looked for. Browsers stop at 1024 bytes, but many government pages put
// long scripts and comments before their declaration.
const prescanLimit = 16 << 10

// metaCharset finds the first <meta charset> or http-equiv Content-Type
// declaration within prescanLimit bytes that names a known charset.
// Declarations inside comments and scripts are skipped, as the tokenizer
// treats them as text.
func metaCharset(body []byte) (xenc.Encoding, string) {
	if len(body) > prescanLimit {
		body = body[:prescanLimit]
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil, ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if !hasAttr || string(name) != "meta" {
				continue
			}
			if enc, label := metaTagCharset(z); enc != nil {
				return enc, label
			}
		}
	}
}

// metaTagCharset reads the attributes of the current <meta> tag and returns
// the encoding it declares, if any.
func metaTagCharset(z *html.Tokenizer) (xenc.Encoding, string) {
	var cs, content string
	httpEquiv := false
	for {
		key, val, more := z.TagAttr()
		switch strings.ToLower(string(key)) {
		case "charset":
			cs = string(val)
		case "content":
			content = string(val)
		case "http-equiv":
			httpEquiv = strings.EqualFold(strings.TrimSpace(string(val)), "content-type")
		}
		if !more {
			break
		}
	}
	if cs != "" {
		if enc, name := Lookup(cs); enc != nil {
			return enc, name
		}
	}
	if httpEquiv {
		return contentCharset(content)
	}
	return nil, ""
}

// contentCharset extracts "charset=..." from a content attribute such as
// "text/html; charset=gb2312", tolerating the malformed values pages use.
func contentCharset(content string) (xenc.Encoding, string) {
	if _, params, err := mime.ParseMediaType(content); err == nil {
		if enc, name := Lookup(params["charset"]); enc != nil {
			return enc, name
		}
	}
	lower := strings.ToLower(content)
	i := strings.Index(lower, "charset")
	if i < 0 {
		return nil, ""
	}
	rest := strings.TrimLeft(lower[i+len("charset"):], " \t")
	if !strings.HasPrefix(rest, "=") {
		return nil, ""
	}
	rest = strings.TrimLeft(rest[1:], " \t\"'")
	end := strings.IndexAny(rest, " \t;\"',")
	if end >= 0 {
		rest = rest[:end]
	}
	return Lookup(rest)
}
