package attachment

import (
	"archive/zip"
	"bytes"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/richardlehane/mscfb"
)

var (
	pdfMagic = []byte("%PDF-")
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Detect tells data's format from its bytes: the PDF header, the entries
// of a zip (word/document.xml, xl/workbook.xml, OFD.xml) or of an OLE
// compound file (WordDocument, Workbook), or text that is not binary. The
// name only breaks ties: a Word document named .wps is WPS, and a zip or
// OLE file too damaged to list its entries takes the zip or OLE type its
// extension names (so that extraction fails with a reason).
func Detect(data []byte, name string) Type {
	ext := strings.ToLower(path.Ext(name))
	switch {
	case bytes.Contains(head(data, 1024), pdfMagic):
		return PDF
	case isZip(data):
		return zipType(data, ext)
	case bytes.HasPrefix(data, oleMagic):
		return oleType(data, ext)
	}
	return textType(data, ext)
}

func head(data []byte, n int) []byte {
	return data[:min(n, len(data))]
}

func isZip(data []byte) bool { return bytes.HasPrefix(data, zipMagic) }

// zipType names an OOXML or OFD package by the entries in its directory.
// A zip whose directory cannot be read (a truncated download) takes the
// type its name gives, if a zip type, so that extraction says what failed.
func zipType(data []byte, ext string) Type {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return byExt(ext, DOCX, XLSX, OFD, WPS)
	}
	for _, f := range zr.File {
		switch strings.ToLower(f.Name) {
		case "word/document.xml":
			if ext == ".wps" {
				return WPS
			}
			return DOCX
		case "xl/workbook.xml":
			return XLSX
		case "ofd.xml":
			return OFD
		}
	}
	return Unknown
}

// oleType names a compound file by its streams: WordDocument for Word
// (and WPS, which saves in the Word format), Workbook or Book for Excel.
func oleType(data []byte, ext string) Type {
	r, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return byExt(ext, DOC, XLS, WPS)
	}
	for f, err := r.Next(); err == nil; f, err = r.Next() {
		switch f.Name {
		case "WordDocument":
			if ext == ".wps" {
				return WPS
			}
			return DOC
		case "Workbook", "Book":
			return XLS
		}
	}
	return Unknown
}

// byExt is the type among allowed that the extension ext names.
func byExt(ext string, allowed ...Type) Type {
	t := Type(strings.TrimPrefix(ext, "."))
	if t == "et" {
		t = XLS
	}
	for _, a := range allowed {
		if a == t {
			return t
		}
	}
	return Unknown
}

// textType calls data text when its first 8 KB hold no NUL and few other
// control bytes (UTF-16 text starts with a byte order mark), and HTML when
// it opens with a tag such as <html> or <!doctype html>.
func textType(data []byte, ext string) Type {
	h := head(data, 8192)
	if len(h) == 0 {
		return Unknown
	}
	if bytes.HasPrefix(h, []byte{0xFF, 0xFE}) || bytes.HasPrefix(h, []byte{0xFE, 0xFF}) {
		return TXT
	}
	control := 0
	for _, c := range h {
		if c == 0 {
			return Unknown
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1B {
			control++
		}
	}
	if control*100 > len(h) {
		return Unknown
	}
	if !utf8.Valid(h) && !mostlyMultibyte(h) {
		return Unknown
	}
	lower := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(h, []byte("\xEF\xBB\xBF")), " \t\r\n"))
	for _, tag := range []string{"<!doctype html", "<html", "<head", "<body", "<meta", "<title", "<!--"} {
		if bytes.HasPrefix(lower, []byte(tag)) {
			return HTML
		}
	}
	if (ext == ".html" || ext == ".htm") && bytes.HasPrefix(lower, []byte("<")) {
		return HTML
	}
	return TXT
}

// mostlyMultibyte reports whether bytes that are not UTF-8 look like a
// two-byte Chinese encoding (GBK, GB18030, Big5): high bytes come in
// pairs whose second byte is in the trail range.
func mostlyMultibyte(h []byte) bool {
	pairs, bad := 0, 0
	for i := 0; i < len(h); i++ {
		c := h[i]
		if c < 0x80 {
			continue
		}
		if c == 0x80 || c == 0xFF || i+1 >= len(h) {
			bad++
			continue
		}
		if t := h[i+1]; t >= 0x40 && t != 0x7F && t != 0xFF {
			pairs++
			i++
			continue
		}
		bad++
	}
	return bad*20 <= pairs
}
