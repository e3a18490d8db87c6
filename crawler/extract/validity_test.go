package extract

import (
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// TestValidityOnFixtures reads 有效性 from the real pages. Of the pages in
// ../shared/fixtures, one states it (吉林省信息公开专栏, 有效 written by
// document.write behind a script test, plus a commented-out copy); none of
// the others says anything about its validity, so they must be 未注明.
func TestValidityOnFixtures(t *testing.T) {
	stated := map[string]string{"cwced_e8847578": store.ValidityCurrent}
	for _, f := range loadFixtures(t) {
		a, err := Extract("", f.raw, "", config.Selectors{})
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if a.Kind == KindError {
			continue
		}
		want, ok := stated[f.name]
		if !ok {
			want = store.ValidityUnknown
		}
		if a.Validity != want {
			t.Errorf("%s: validity %q, want %q (meta 有效性 %q)", f.name, a.Validity, want, a.Meta[LabelValidity])
		}
	}
}

func TestReadValidity(t *testing.T) {
	page := func(title, table, body string) string {
		return `<html><head><meta charset="utf-8"><title>` + title + `</title></head><body>
<h1>` + title + `</h1><table class="xxgk">` + table + `</table>
<div class="TRS_Editor"><p>` + body + `</p><p>为做好农村最低生活保障工作，经研究，现将有关事项通知如下。各村要严格按照标准认真落实，确保困难群众基本生活。</p>
<p>农村低保标准由镇民政办负责解释，群众可到镇便民服务中心咨询。本通知自印发之日起执行。</p></div></body></html>`
	}
	row := func(label, value string) string { return "<tr><td>" + label + "</td><td>" + value + "</td></tr>" }
	index := row("索引号：", "013562871/2015-00012") + row("文号：", "康镇政〔2015〕3号")
	cases := []struct {
		name, html, want, meta string
	}{
		{"table 有效", page("关于公布农村低保标准的通知", index+row("有效性：", "有效"), "各村："), store.ValidityCurrent, "有效"},
		{"table 时效性 失效", page("关于公布农村低保标准的通知", index+row("时 效 性：", "已失效"), "各村："), store.ValidityExpired, "已失效"},
		{"table 部分失效", page("关于公布农村低保标准的通知", index+row("有效性：", "部分失效"), "各村："), store.ValidityModified, "部分失效"},
		{"unknown kept", page("关于公布农村低保标准的通知", index+row("有效性：", "待清理"), "各村："), store.ValidityUnknown, "待清理"},
		{"document.write", page("关于公布农村低保标准的通知", index+
			`<script>if("废止" != "有效"){document.write('<tr><td>有效性：</td><td><div id=\'e\'>废止<\/div></td></tr>');}</script>`+
			`<!--<tr><td>有效性：</td><td>有效</td></tr>-->`, "各村："), store.ValidityRepealed, "废止"},
		{"title marker", page("关于公布2014年农村低保标准的通知（已废止）", index, "各村："), store.ValidityRepealed, ""},
		{"self notice beats the table", page("关于公布农村低保标准的通知", index+row("有效性：", "有效"), "（此件已于2015年1月1日废止）各村："), store.ValidityRepealed, "有效"},
		{"other document repealed", page("关于公布2015年农村低保标准的通知", index+row("有效性：", "有效"),
			"《关于公布2014年农村低保标准的通知》同时废止。各村："), store.ValidityCurrent, "有效"},
		{"nothing stated", page("关于公布农村低保标准的通知", index, "各村："), store.ValidityUnknown, ""},
	}
	for _, c := range cases {
		a, err := Extract("http://example.gov.cn/a.html", []byte(c.html), "", config.Selectors{})
		if err != nil {
			t.Fatal(err)
		}
		if a.Validity != c.want || a.Meta[LabelValidity] != c.meta {
			t.Errorf("%s: validity %q meta %q, want %q %q", c.name, a.Validity, a.Meta[LabelValidity], c.want, c.meta)
		}
		if d := a.Document(); d.Validity != c.want || strings.Contains(d.Body, "document.write") {
			t.Errorf("%s: document validity %q", c.name, d.Validity)
		}
	}
}
