package attachment

import (
	"context"
	"strings"
	"testing"
)

// TestExtractRealGovernmentFiles reads forms a provincial government
// published, as found in a public repository (see testdata/README.md),
// against LibreOffice's text of the same files: every character of the
// key must come out in order, with the title and some table cells as
// lines of their own.
func TestExtractRealGovernmentFiles(t *testing.T) {
	cases := []struct {
		file, key string
		typ       Type
		lines     []string
	}{
		{"hebei-health-form.doc", "hebei-health-form-doc.soffice.txt", DOC,
			[]string{"河北省食品药品从业人员健康检查表", "痢疾杆菌", "谷丙转氨酶", "HEV-IgM *"}},
		{"hebei-health-form.docx", "hebei-health-form-docx.soffice.txt", DOCX,
			[]string{"河北省食品药品从业人员健康检查表", "伤寒或副伤寒", "胸部x射线"}},
	}
	for _, c := range cases {
		data := readTestdata(t, c.file)
		if got := Detect(data, "download.jsp"); got != c.typ {
			t.Errorf("%s: detected %s without a name, want %s", c.file, got, c.typ)
		}
		r := Extract(context.Background(), data, c.file, Limits{})
		if r.State != Extracted || r.Type != c.typ {
			t.Errorf("%s: %s %s (%s), want extracted %s", c.file, r.Type, r.State, r.Reason, c.typ)
			continue
		}
		key := string(readTestdata(t, c.key))
		if got := inOrder(key, r.Text); got < 0.999 {
			t.Errorf("%s: %.4f of %s in order, want all:\n%s", c.file, got, c.key, r.Text)
		}
		for _, line := range c.lines {
			if !strings.Contains("\n"+r.Text+"\n", "\n"+line+"\n") {
				t.Errorf("%s: no line %q:\n%s", c.file, line, r.Text)
			}
		}
	}
}
