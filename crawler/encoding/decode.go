// Package encoding turns fetched page bytes into UTF-8 text. It finds the
// charset the way a browser does (BOM, HTTP header, <meta> declaration) and
// falls back to UTF-8 or GB18030 for undeclared pages.
package encoding

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	xenc "golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// boms are the byte order marks a page may start with, longest first.
var boms = []struct {
	mark []byte
	name string
	enc  xenc.Encoding
}{
	{[]byte{0xEF, 0xBB, 0xBF}, "utf-8", unicode.UTF8},
	{[]byte{0xFE, 0xFF}, "utf-16be", unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)},
	{[]byte{0xFF, 0xFE}, "utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)},
}

// Decode converts body to UTF-8 and names the charset it decoded from.
// The charset comes from, in order: a byte order mark (which browsers let
// override the header), the HTTP Content-Type charset, the first <meta>
// declaration in the first 16 KB that names a known charset (unless the
// bytes are plainly UTF-8: a page saved again keeps its old declaration), valid UTF-8,
// and finally GB18030. A header saying UTF-8 is believed only when the bytes
// are valid UTF-8. Labels gb2312, gbk and x-gbk decode as GB18030.
// Invalid byte sequences become U+FFFD; err is non-nil only if a decoder fails.
func Decode(body []byte, contentType string) (text string, charsetName string, err error) {
	for _, b := range boms {
		if bytes.HasPrefix(body, b.mark) {
			return decodeWith(b.enc, b.name, body[len(b.mark):])
		}
	}
	if enc, name := headerCharset(contentType); enc != nil && (name != "utf-8" || utf8.Valid(body)) {
		return decodeWith(enc, name, body)
	}
	// A header saying UTF-8 over bytes that are not is a server default
	// (common before GBK pages declared gb2312 in their meta): the page wins.
	if enc, name := metaCharset(body); enc != nil {
		if name != "utf-8" && savedAsUTF8(body) {
			// Pages re-saved by a browser or a tool keep their old
			// declaration over UTF-8 bytes.
			return decodeWith(unicode.UTF8, "utf-8", body)
		}
		return decodeWith(enc, name, body)
	}
	if utf8.Valid(body) {
		return string(body), "utf-8", nil
	}
	return decodeWith(simplifiedchinese.GB18030, "gb18030", body)
}

// minSavedRunes is how many multibyte characters valid UTF-8 must hold
// before it is believed over a declaration of another charset: GBK text of
// that length is almost never valid UTF-8 by chance.
const minSavedRunes = 64

// savedAsUTF8 reports whether body is valid UTF-8 with enough multibyte
// characters to rule out chance.
func savedAsUTF8(body []byte) bool {
	if !utf8.Valid(body) {
		return false
	}
	n := 0
	for _, c := range body {
		if c >= 0xC0 {
			n++
			if n >= minSavedRunes {
				return true
			}
		}
	}
	return false
}

// decodeWith decodes body with enc; UTF-8 is validated rather than transformed.
func decodeWith(enc xenc.Encoding, name string, body []byte) (string, string, error) {
	if name == "utf-8" {
		return strings.ToValidUTF8(string(body), "\uFFFD"), name, nil
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return "", name, fmt.Errorf("decode %d bytes as %s: %w", len(body), name, err)
	}
	return string(out), name, nil
}

// headerCharset returns the encoding named by the charset parameter of a
// Content-Type header value, or nil.
func headerCharset(contentType string) (xenc.Encoding, string) {
	if contentType == "" {
		return nil, ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, ""
	}
	return Lookup(params["charset"])
}

// Lookup maps a charset label to its decoder and canonical name following the
// WHATWG table, except that the GBK family decodes as GB18030 (a superset).
// It returns nil for unknown labels.
func Lookup(label string) (xenc.Encoding, string) {
	label = strings.Trim(strings.TrimSpace(label), `"'`)
	if label == "" {
		return nil, ""
	}
	enc, name := charset.Lookup(label)
	if enc == nil {
		return nil, ""
	}
	switch name {
	case "gbk", "gb18030":
		return simplifiedchinese.GB18030, "gb18030"
	case "utf-16be", "utf-16le":
		// A meta or header naming UTF-16 on an 8-bit stream means UTF-8 (WHATWG).
		return unicode.UTF8, "utf-8"
	}
	return enc, name
}
