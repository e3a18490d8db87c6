package attachment

import (
	"context"
	"strings"
	"testing"
)

// TestExtractRealGovernmentFiles reads official documents found in public
// repositories (see testdata/README.md), a provincial form and two national
// laws, against a second tool's text of the same files (LibreOffice,
// poppler): every character of the key must come out in order, with the
// title, some sentences and table cells as lines of their own.
func TestExtractRealGovernmentFiles(t *testing.T) {
	cases := []struct {
		file, key string
		typ       Type
		pages     int
		ordered   float64 // share of the key's characters in order
		lines     []string
	}{
		{"cybersecurity-law.pdf", "cybersecurity-law.poppler.txt", PDF, 14, 0.99, // poppler splits the 目 录 heading
			[]string{"中华人民共和国网络安全法", "第二节 关键信息基础设施的运行安全", "第四章 网络信息安全"}},
		{"data-security-law.pdf", "data-security-law.poppler.txt", PDF, 7, 1,
			[]string{"中华人民共和国数据安全法", "2021 年 6 月 10 日第十三届全国人民代表大会常务委员会第二十九次会议通过",
				"第五章 政务数据安全与开放", "第五十五条 本法自 2021 年 9 月 1 日起施行。"}},
		{"hebei-health-form.doc", "hebei-health-form-doc.soffice.txt", DOC, 0, 1,
			[]string{"河北省食品药品从业人员健康检查表", "痢疾杆菌", "谷丙转氨酶", "HEV-IgM *"}},
		{"hebei-health-form.docx", "hebei-health-form-docx.soffice.txt", DOCX, 0, 1,
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
		if got := inOrder(key, r.Text); got < c.ordered-0.001 {
			t.Errorf("%s: %.4f of %s in order, want ≥ %.2f:\n%s", c.file, got, c.key, c.ordered, r.Text)
		}
		if got := sameChars(key, r.Text); got < 0.999 {
			t.Errorf("%s: %.4f of %s's characters recovered, want all", c.file, got, c.key)
		}
		for _, line := range c.lines {
			if !strings.Contains("\n"+strings.ReplaceAll(r.Text, " \n", "\n")+"\n", "\n"+line+"\n") {
				t.Errorf("%s: no line %q:\n%s", c.file, line, r.Text)
			}
		}
	}
}

// TestExtractRealXLS reads the Ministry of Education's list of 2,919
// universities (an Excel 97 attachment made with WPS) against
// LibreOffice's tab-separated export of it: the sheet name comes first and
// every row of the export is a line of the text, cells trimmed; only the
// title cell that holds a line break comes out joined with a space.
func TestExtractRealXLS(t *testing.T) {
	r := Extract(context.Background(), readTestdata(t, "moe-universities-2025.xls"), "download.jsp", Limits{})
	if r.State != Extracted || r.Type != XLS {
		t.Fatalf("%s %s (%s), want extracted xls", r.Type, r.State, r.Reason)
	}
	lines := strings.Split(r.Text, "\n")
	if lines[0] != "全国普通高等学校名单" {
		t.Errorf("first line %q, want the sheet name", lines[0])
	}
	have := map[string]bool{}
	for _, l := range lines {
		have[l] = true
	}
	key := strings.ReplaceAll(string(readTestdata(t, "moe-universities-2025.soffice.tsv")), "\"全国普通高等学校名单\n（", "全国普通高等学校名单 （")
	rows, missing := 0, 0
	for _, row := range strings.Split(key, "\n") {
		cells := strings.Split(strings.ReplaceAll(row, "\"", ""), "\t")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		want := strings.TrimRight(strings.Join(cells, "\t"), "\t")
		if want == "" {
			continue
		}
		rows++
		if !have[want] {
			if missing++; missing <= 3 {
				t.Errorf("no line %q", want)
			}
		}
	}
	if rows < 2950 || missing > 0 {
		t.Errorf("%d of %d rows missing", missing, rows)
	}
}
