package attachment

import (
	"context"
	"strings"
	"testing"
)

// TestExtractRealGovernmentFiles reads official documents found in public
// repositories (see testdata/README.md), a provincial form and a national
// law, against a second tool's text of the same files (LibreOffice,
// poppler): every character of the key must come out in order, with the
// title, some sentences and table cells as lines of their own.
func TestExtractRealGovernmentFiles(t *testing.T) {
	cases := []struct {
		file, key string
		typ       Type
		pages     int
		lines     []string
	}{
		{"data-security-law.pdf", "data-security-law.poppler.txt", PDF, 7,
			[]string{"中华人民共和国数据安全法", "2021 年 6 月 10 日第十三届全国人民代表大会常务委员会第二十九次会议通过",
				"第五章 政务数据安全与开放", "第五十五条 本法自 2021 年 9 月 1 日起施行。"}},
		{"hebei-health-form.doc", "hebei-health-form-doc.soffice.txt", DOC, 0,
			[]string{"河北省食品药品从业人员健康检查表", "痢疾杆菌", "谷丙转氨酶", "HEV-IgM *"}},
		{"hebei-health-form.docx", "hebei-health-form-docx.soffice.txt", DOCX, 0,
			[]string{"河北省食品药品从业人员健康检查表", "伤寒或副伤寒", "胸部x射线"}},
	}
	for _, c := range cases {
		data := readTestdata(t, c.file)
		if got := Detect(data, "download.jsp"); got != c.typ {
			t.Errorf("%s: detected %s without a name, want %s", c.file, got, c.typ)
		}
		r := Extract(context.Background(), data, c.file, Limits{})
		if r.State != Extracted || r.Type != c.typ || r.Pages != c.pages {
			t.Errorf("%s: %s %s, %d pages (%s); want extracted %s, %d pages", c.file, r.Type, r.State, r.Pages, r.Reason, c.typ, c.pages)
			continue
		}
		key := string(readTestdata(t, c.key))
		if got := inOrder(key, r.Text); got < 0.999 {
			t.Errorf("%s: %.4f of %s in order, want all:\n%s", c.file, got, c.key, r.Text)
		}
		for _, line := range c.lines {
			if !strings.Contains("\n"+strings.ReplaceAll(r.Text, " \n", "\n")+"\n", "\n"+line+"\n") {
				t.Errorf("%s: no line %q:\n%s", c.file, line, r.Text)
			}
		}
	}
}
