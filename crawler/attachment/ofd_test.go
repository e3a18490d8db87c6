package attachment

import (
	"context"
	"testing"
)

// TestOFDLayout places TextObjects on a page and checks the line they
// read as: pieces placed by their glyphs join when they touch, pieces
// placed only by their Boundary (often a whole table cell) keep a space.
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
