package attachment

import (
	"context"
	"encoding/xml"
	"testing"
)

// TestOFDLayout places TextObjects on a page and checks the line they
// read as: pieces placed by their glyphs join when they touch, pieces
// placed only by their Boundary (often a whole table cell) keep a space,
// and a number that is NaN or infinite counts as no number.
func TestOFDLayout(t *testing.T) {
	for _, c := range []struct {
		name string
		objs []string
		want string
	}{
		{"boundaries touch", []string{
			`<ofd:TextObject ID="1" Boundary="10 10 20 5" Size="4"><ofd:TextCode>100.00</ofd:TextCode></ofd:TextObject>`,
			`<ofd:TextObject ID="2" Boundary="30 10 10 5" Size="4"><ofd:TextCode>6%</ofd:TextCode></ofd:TextObject>`,
		}, "100.00 6%"},
		{"not a number", []string{
			`<ofd:TextObject ID="1" Boundary="18 10 4 5" Size="4"><ofd:TextCode X="0" Y="4">丙</ofd:TextCode></ofd:TextObject>`,
			`<ofd:TextObject ID="2" Boundary="NaN 10 4 5" Size="4"><ofd:TextCode X="0" Y="4">乙</ofd:TextCode></ofd:TextObject>`,
			`<ofd:TextObject ID="3" Boundary="10 10 4 5" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="Inf">甲</ofd:TextCode></ofd:TextObject>`,
			`<ofd:TextObject ID="4" Boundary="22 10 8 5" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="NaN">丁戊</ofd:TextCode></ofd:TextObject>`,
		}, "乙\n甲丙丁戊"}, // a Boundary that is no number: the piece is kept, at the top left
		{"a space apart", []string{ // 0.25 em: more than the h/5 of spaceBetween
			`<ofd:TextObject ID="1" Boundary="10 10 30 5" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="g 4 2">Hello</ofd:TextCode></ofd:TextObject>`,
			`<ofd:TextObject ID="2" Boundary="21 10 30 5" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="g 4 2">World</ofd:TextCode></ofd:TextObject>`,
		}, "Hello World"},
		{"kerned", []string{ // 0.15 em: less than h/5
			`<ofd:TextObject ID="1" Boundary="10 10 30 5" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="g 4 2">Hello</ofd:TextCode></ofd:TextObject>`,
			`<ofd:TextObject ID="2" Boundary="20.6 10 30 5" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="g 4 2">World</ofd:TextCode></ofd:TextObject>`,
		}, "HelloWorld"},
		{"glyphs touch", []string{
			`<ofd:TextObject ID="1" Boundary="10 10 20 5" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="2 2">202</ofd:TextCode></ofd:TextObject>`,
			`<ofd:TextObject ID="2" Boundary="16 10 10 5" Size="4"><ofd:TextCode X="0" Y="4">3</ofd:TextCode></ofd:TextObject>`,
		}, "2023"},
	} {
		r := Extract(context.Background(), ofdZip(t, ofdPageXML(c.objs...)), "x.ofd", Limits{})
		if r.State != Extracted || r.Text != c.want+"\n" {
			t.Errorf("%s: %s (%s) %q, want %q", c.name, r.State, r.Reason, r.Text, c.want)
		}
	}
}

// TestOFDGlyphSpan checks where a TextObject's piece starts and how wide
// it is: the glyphs' extent, left or right of X (a negative DeltaX steps
// back), cut to the Boundary; vertical or rotated text keeps the
// Boundary.
func TestOFDGlyphSpan(t *testing.T) {
	for _, c := range []struct {
		name, obj string
		x, w      float64
		glyphs    bool
	}{
		{"negative advances", `<ofd:TextObject Boundary="100 10 20 5" Size="4"><ofd:TextCode X="10" Y="4" DeltaX="-2 -2">abc</ofd:TextCode></ofd:TextObject>`, 106, 6, true},
		{"past the boundary", `<ofd:TextObject Boundary="100 10 20 5" Size="4"><ofd:TextCode X="18" Y="4">公开</ofd:TextCode></ofd:TextObject>`, 118, 2, true},
		{"vertical", `<ofd:TextObject Boundary="100 10 5 20" Size="4"><ofd:TextCode X="0.5" Y="4" DeltaY="5 5">公开信</ofd:TextCode></ofd:TextObject>`, 100, 5, false},
		{"read direction", `<ofd:TextObject Boundary="100 10 20 5" Size="4" ReadDirection="180"><ofd:TextCode X="1" Y="4">公开</ofd:TextCode></ofd:TextObject>`, 100, 20, false},
		{"char direction", `<ofd:TextObject Boundary="100 10 20 5" Size="4" CharDirection="90"><ofd:TextCode X="1" Y="4">公开</ofd:TextCode></ofd:TextObject>`, 100, 20, false},
	} {
		var page ofdContent
		if err := xml.Unmarshal([]byte(ofdPageXML(c.obj)), &page); err != nil {
			t.Fatal(err)
		}
		p := contentPieces(page)
		if len(p) != 1 || p[0].x != c.x || p[0].w != c.w || p[0].glyphs != c.glyphs {
			t.Errorf("%s: pieces %+v, want x %g, w %g, glyphs %v", c.name, p, c.x, c.w, c.glyphs)
		}
	}
}
