package web

import (
	"archive/zip"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// tableForm is a complete table 三 form for 2022: 自然人 received 3 and had 1
// carried over; 2 answered in full, 1 in part, 1 carried forward.
func table3Form(csrf string) url.Values {
	v := url.Values{"csrf": {csrf}, "year": {"2022"}, "table": {"table3"}}
	v.Set("c.new.0", "3")
	v.Set("c.carried_over.0", "1")
	v.Set("c.public.0", "2")
	v.Set("c.partial.0", "1")
	v.Set("c.carry_forward.0", "1")
	return v
}

// Staff enter table 三 in the web form: it is stored, logged (who, which
// cell, from what to what) and filled into the report page and its
// downloads; a column that does not add up is refused with its name, and
// nothing is stored.
func TestTable3EditedInTheWeb(t *testing.T) {
	f := newFixture(t, nil)
	sess, csrf := f.login()
	page := wantStatus(t, f.get("/staff/report/tables?year=2022", sess), http.StatusOK)
	for _, want := range []string{`id="table3-form"`, `id="table4-form"`, `name="c.new.0"`, "本年度尚无修改记录"} {
		if !strings.Contains(page, want) {
			t.Errorf("tables page lacks %s", want)
		}
	}
	report := wantStatus(t, f.get("/staff/report?year=2022", sess), http.StatusOK)
	if strings.Contains(report, "一、本年新收政府信息公开申请数量</td><td>3</td>") {
		t.Fatal("the report has the figures before they were entered")
	}

	bad := table3Form(csrf)
	bad.Set("c.new.1", "2") // 商业企业: 2 received, none answered or carried forward
	bad.Set("c.public.2", "x")
	page = wantStatus(t, f.postForm("/staff/report/tables/save", bad, sess), http.StatusBadRequest)
	for _, want := range []string{"表三未保存", "“法人或其他组织：科研机构”列：“x”不是非负整数", `value="x"`} {
		if !strings.Contains(page, want) {
			t.Errorf("refused form lacks %q", want)
		}
	}
	bad.Set("c.public.2", "")
	page = html.UnescapeString(wantStatus(t, f.postForm("/staff/report/tables/save", bad, sess), http.StatusBadRequest))
	if !strings.Contains(page, "“法人或其他组织：商业企业”列：一、本年新收 + 二、上年结转 = 2，（七）总计 + 四、结转下年度 = 0，应相等") {
		t.Errorf("unbalanced column not named:\n%s", page)
	}
	if page := wantStatus(t, f.get("/staff/report/tables?year=2022", sess), http.StatusOK); !strings.Contains(page, "本年度尚无修改记录") {
		t.Error("a refused form was stored")
	}

	resp := f.postForm("/staff/report/tables/save", table3Form(csrf), sess)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "year=2022") {
		t.Fatalf("save: %d to %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	loc, _, _ := strings.Cut(resp.Header.Get("Location"), "#")
	page = wantStatus(t, f.get(loc, sess), http.StatusOK)
	for _, want := range []string{"已保存表三（5 个单元格有变化）", `name="c.new.0" value="3"`,
		"<td>staff</td><td>网页表单</td><td>表三</td><td>一、本年新收政府信息公开申请数量</td><td>自然人</td><td>（未填）</td><td>3</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("after saving, the page lacks %s", want)
		}
	}
	report = wantStatus(t, f.get("/staff/report?year=2022", sess), http.StatusOK)
	md := wantStatus(t, f.get("/staff/report?year=2022&format=md", sess), http.StatusOK)
	for _, got := range []string{report, md} {
		if !strings.Contains(got, "本年度新收政府信息公开申请3件，上年结转1件，办结3件，结转下年度继续办理1件") {
			t.Error("report does not take table 三 from the store")
		}
	}
	// The Word download (a 公文) holds the entered figures too.
	docx := wantStatus(t, f.get("/staff/report?year=2022&format=docx", sess), http.StatusOK)
	if text := docxText(t, docx); !strings.Contains(text, "一、本年新收政府信息公开申请数量3000003") ||
		!strings.Contains(text, "本年度新收政府信息公开申请3件") {
		t.Error("the DOCX report lacks table 三 as entered")
	}
	// A change is logged with the old value.
	edit := table3Form(csrf)
	edit.Set("c.new.0", "4")
	edit.Set("c.public.0", "3")
	if resp := f.postForm("/staff/report/tables/save", edit, sess); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second save: %d", resp.StatusCode)
	}
	page = wantStatus(t, f.get("/staff/report/tables?year=2022", sess), http.StatusOK)
	if !strings.Contains(page, "<td>一、本年新收政府信息公开申请数量</td><td>自然人</td><td>3</td><td>4</td>") {
		t.Error("the change 3 → 4 is not in the log")
	}
}

// docxText is the text of a DOCX's document.xml without its markup.
func docxText(t *testing.T, data string) string {
	t.Helper()
	z, err := zip.NewReader(strings.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the DOCX is not a zip: %v", err)
	}
	rc, err := z.Open("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(string(b), ""))
}
