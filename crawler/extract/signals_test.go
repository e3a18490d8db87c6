package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/internal/shareddata"
)

// page wraps head and body markup into a page whose body holds enough prose
// to be found; the prose is a paragraph of a real notice.
func testPage(head, top, foot string) []byte {
	prose := strings.Repeat("<p>为切实做好春耕备耕工作，确保粮食生产稳定发展，现将有关事项通知如下：各乡镇要高度重视，加强组织领导，落实工作责任。</p>", 4)
	return []byte("<html><head><meta charset=\"utf-8\">" + head + "</head><body>" + top +
		"<div class=\"article\">" + prose + "</div>" + foot + "</body></html>")
}

func TestDateSignals(t *testing.T) {
	cases := []struct {
		name, head, top, foot string
		want, from            string // want "YYYY-MM-DD HH:MM" or ""
	}{
		{"publication label over a footer update stamp", "",
			"<h1>通知</h1><div>发稿时间：2017-03-10 08:42:00 来源： 人民日报海外版</div>",
			"<div>页面更新时间：2021-05-06 10:00</div>", "2017-03-10 08:42", "label:发稿时间"},
		{"update stamp under the title loses to a publication label below", "",
			"<h1>通知</h1><div>更新时间：2021-05-06 10:00</div>",
			"<div>发布日期：2021-01-19</div>", "2021-01-19 00:00", "label:发布日期"},
		{"gov.cn first-published meta over last-modified",
			`<meta name="lastmodifiedtime" content="2021-02-01-09:00:00"><meta name="firstpublishedtime" content="2021-01-19-10:20:30">`,
			"<h1>通知</h1>", "", "2021-01-19 10:20", "meta:firstpublishedtime"},
		{"Hanweb Maketime meta", `<meta name="Maketime" content="2021-06-01 09:30:00">`, "<h1>通知</h1>", "",
			"2021-06-01 09:30", "meta:maketime"},
		{"WordPress-style article:published_time", `<meta property="article:published_time" content="2020-04-01T10:29:51+08:00">`,
			"<h1>通知</h1>", "", "2020-04-01 10:29", "meta:article:published_time"},
		{"last-modified meta only when nothing else", `<meta name="lastmodifiedtime" content="2021-02-01-09:00:00">`,
			"<h1>通知</h1>", "", "2021-02-01 09:00", "meta:lastmodifiedtime"},
		{"a date in the first paragraph is content, not the byline's", "",
			"<h1>财政部关于2021年彩票市场休市安排的公告</h1><div>来源： 财政部网站 2020-12-16 13:48</div>" +
				"<p>一、 休市时间。春节10天，休市时间为2021年2月9日0:00至2月18日24:00。国庆节4天，休市时间为2021年10月1日0:00至10月4日24:00。</p>",
			"", "2020-12-16 13:48", "byline"},
		{"no date says none", "", "<h1>通知</h1>", "", "", "none"},
		{"a date after the fetch is not a publication date", "", "<h1>通知</h1><div>发布时间：2099-01-01</div>", "", "", "none"},
		{"before 1949 is not plausible", "", "<h1>通知</h1><div>发布时间：1911-10-10</div>", "", "", "none"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Extract("", testPage(c.head, c.top, c.foot), "", config.Selectors{})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if !a.Published.IsZero() {
				got = a.Published.Format("2006-01-02 15:04")
			}
			if got != c.want || a.PublishedFrom != c.from {
				t.Errorf("published %q from %q, want %q from %q", got, a.PublishedFrom, c.want, c.from)
			}
		})
	}
}

func TestTitleSignals(t *testing.T) {
	cases := []struct {
		name, head, top, want string
	}{
		{"title only in <title>, behind the site name; toolbar in bold",
			"<title>示例县关于做好春耕备耕工作的通知_通知公告_示例县人民政府</title>",
			"<div><b>字号：大 中 小</b> <b>打印</b></div>", "示例县关于做好春耕备耕工作的通知"},
		{"a <title> cut in the middle of a character agrees with the full headline",
			"<title>示例县关于做好春耕备耕工作的通\uFFFD</title>",
			"<h2>示例县关于做好春耕备耕工作的通知</h2>", "示例县关于做好春耕备耕工作的通知"},
		{"a breadcrumb step is not the title",
			"<title>示例县关于做好春耕备耕工作的通知</title>",
			`<div class="title"><a href="/">首页</a> &gt; <b>通知公告</b> &gt; 正文</div>`, "示例县关于做好春耕备耕工作的通知"},
		{"the line above the byline when the <title> is the site name",
			"<title>Joel on Software - 给计算机系学生的建议</title>",
			"<div><h3>Joel on Software 周思博趣谈软件</h3><p>其他文章</p><p>给计算机系学生的建议</p><p>作者： 周思博 (Joel Spolsky)</p><p>2005年1月2日</p></div>",
			"给计算机系学生的建议"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Extract("", testPage(c.head, c.top, ""), "", config.Selectors{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != c.want {
				t.Errorf("title %q (from %s), want %q", a.Title, a.TitleFrom, c.want)
			}
		})
	}
}

func TestHiddenBlocksNotInBody(t *testing.T) {
	top := `<div style="display: none">隐藏的通知模板，不应出现在正文。</div>` +
		`<div hidden>另一个隐藏块，不应出现在正文。</div>` +
		`<div style="visibility:hidden">不可见的块，不应出现在正文。</div>` +
		`<script type="text/template"><p>脚本模板里的段落，不应出现在正文。</p></script>` +
		`<noscript>请启用脚本，不应出现在正文。</noscript>` +
		`<div class="dialog hide">分享到微信，不应出现在正文。</div><div class="tab-pane d-none">切换内容，不应出现在正文。</div>`
	a, err := Extract("", testPage("<title>通知</title>", "<h1>通知</h1>"+top, ""), "", config.Selectors{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Body, "不应出现") || !strings.Contains(a.Body, "春耕备耕") {
		t.Errorf("body = %q", a.Body)
	}
}

// TestSiteTemplate learns a template from one real page of a site (two
// 网易娱乐 pages of the shared fixtures), uses it on the other, and falls
// back to the general method on a page of another site.
func TestSiteTemplate(t *testing.T) {
	pages := shareddata.Path(t, "fixtures/pages")
	read := func(path string) []byte {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	first, err := Extract("", read(filepath.Join(pages, "cwced_c2d9f85c.html")), "", config.Selectors{})
	if err != nil || first.Learned == nil {
		t.Fatalf("no template learned from a clean page: %v %+v", err, first)
	}
	tmpl := *first.Learned
	if tmpl.Body == "" || tmpl.DateLabel == "" {
		t.Fatalf("template %+v lacks the body or the date label", tmpl)
	}
	raw := read(filepath.Join(pages, "cwced_d519ec93.html"))
	general, _ := Extract("", raw, "", config.Selectors{})
	used, err := ExtractWith("", raw, "", config.Selectors{}, tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if !used.UsedTemplate || used.BodyFrom != "template" {
		t.Errorf("template %+v not used on a page of the same site (body from %s)", tmpl, used.BodyFrom)
	}
	if used.Body != general.Body || !used.Published.Equal(general.Published) || used.Title != general.Title {
		t.Errorf("template changed the result: %q %v vs %q %v", used.Title, used.Published, general.Title, general.Published)
	}
	other := read(filepath.Join(realPages, "xinhuanet.html"))
	want, _ := Extract("", other, "", config.Selectors{})
	got, err := ExtractWith("", other, "", config.Selectors{}, tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if got.UsedTemplate || got.Body != want.Body || !got.Published.Equal(want.Published) {
		t.Errorf("another site's template was not fallen back from: used=%v body from %s", got.UsedTemplate, got.BodyFrom)
	}
}

// TestSignatureKept: a notice's closing block (issuing office and date,
// from the 柘城县 recruitment notice in testdata/real) stays in the body
// though it weighs little beside the paragraphs above it.
func TestSignatureKept(t *testing.T) {
	body := `<div class="content_article" id="zoomcon"><p><span>` +
		strings.Repeat("为进一步加强我县12345政府服务热线、司法社区矫正等工作，经县政府研究，决定面向社会公开招聘工作人员。", 6) +
		`</span></p><p style="text-align: right;"><span>柘城县政府购买社会服务岗位公开招聘工作领导组<br />` +
		`&nbsp;&nbsp;2018年7月9日<br /><br />审核：高彩</span></p></div><div class="share">分享</div>`
	a, err := Extract("", []byte("<html><head><meta charset=\"utf-8\"><title>公告</title></head><body><h1>公告</h1>"+body+"</body></html>"),
		"", config.Selectors{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(squeeze(a.Body), "工作领导组2018年7月9日") || strings.Contains(a.Body, "分享") {
		t.Errorf("body = %q", a.Body)
	}
}
