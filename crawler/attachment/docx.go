package attachment

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// docxText writes the text of word/document.xml: each paragraph (also
// inside a table cell) on its own line, tabs and breaks kept.
func docxText(ctx context.Context, data []byte, lim Limits, out *textBuf) error {
	zr, err := openZip(data, lim)
	if err != nil {
		return err
	}
	f := zipEntry(zr, "word/document.xml")
	if f == nil {
		return errors.New("缺少 word/document.xml")
	}
	body, err := readEntry(f, lim.MaxBytes)
	if err != nil {
		return err
	}
	return wordXMLText(ctx, body, out)
}

// wordXMLText walks WordprocessingML: w:t is text, w:tab a tab, w:br and
// w:cr line breaks, the end of w:p a new line. Deleted text (w:delText)
// and field codes (w:instrText) are left out by not being w:t.
func wordXMLText(ctx context.Context, body []byte, out *textBuf) error {
	dec := xml.NewDecoder(bytes.NewReader(body))
	inText, inProps := false, 0
	for n := 0; !out.full(); n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("document.xml 不是完好的 XML：%w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "pPr":
				inProps++ // tab stops (w:tabs/w:tab) are not tabs in the text
			case "t":
				inText = true
			case "tab":
				if inProps == 0 {
					out.WriteString("\t")
				}
			case "br", "cr":
				out.WriteString("\n")
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "pPr":
				inProps--
			case "t":
				inText = false
			case "p":
				out.line()
			}
		case xml.CharData:
			if inText {
				out.WriteString(string(t))
			}
		}
	}
	return nil
}
