package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// extractFile extracts a hand-written page of testdata.
func extractFile(t *testing.T, name, pageURL string) *Article {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Extract(pageURL, raw, "", config.Selectors{})
	if err != nil {
		t.Fatalf("Extract(%s): %v", name, err)
	}
	return a
}

func beijing(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, store.Beijing)
	if err != nil {
		panic(err)
	}
	return t
}

func TestTRSTableAndCommentTrap(t *testing.T) {
	a := extractFile(t, "trs_table.html", "HTTP://Example.GOV.cn:80/xxgk/202101/t20210119_1.html#top")
	want := map[string]string{
		LabelIndex: "000014349/2021-00110", LabelDocNumber: "示政办发〔2021〕3号",
		LabelSubject: `农业、林业、水利\农业、畜牧业、渔业`, LabelPublisher: "示例县人民政府办公室",
		LabelWritten: "2021年01月15日", LabelValidity: "有效", LabelGenre: "通知",
		"SiteName": "示例县人民政府", "ColumnName": "通知公告",
	}
	for k, v := range want {
		if a.Meta[k] != v {
			t.Errorf("Meta[%s] = %q, want %q", k, a.Meta[k], v)
		}
	}
	if a.Title != "示例县关于做好2021年 春耕备耕工作的通知" && squeeze(a.Title) != "示例县关于做好2021年春耕备耕工作的通知" {
		t.Errorf("Title = %q", a.Title)
	}
	if strings.Contains(a.Title, "<") {
		t.Errorf("Title keeps markup: %q", a.Title)
	}
	if !a.Published.Equal(beijing("2021-01-19 09:30")) || !a.PublishedHasTime {
		t.Errorf("Published = %v (time %v)", a.Published, a.PublishedHasTime)
	}
	if !a.Written.Equal(beijing("2021-01-15 00:00")) {
		t.Errorf("Written = %v", a.Written)
	}
	if a.IndexNumber != "000014349/2021-00110" || a.DocNumber != "示政办发〔2021〕3号" || a.Genre != "通知" {
		t.Errorf("IndexNumber %q DocNumber %q Genre %q", a.IndexNumber, a.DocNumber, a.Genre)
	}
	if a.Publisher != "示例县人民政府办公室" || a.Column != "通知公告" {
		t.Errorf("Publisher %q Column %q", a.Publisher, a.Column)
	}
	if a.URL != "http://example.gov.cn/xxgk/202101/t20210119_1.html" {
		t.Errorf("URL = %q", a.URL)
	}
	if !strings.HasPrefix(a.Body, "各乡镇人民政府，县直各部门：\n") || strings.Contains(a.Body, "脚本内容") ||
		strings.Contains(a.Body, "WRONG") || !strings.Contains(a.Body, "2021年1月15日") {
		t.Errorf("Body = %q", a.Body)
	}
}

func TestAttachments(t *testing.T) {
	a := extractFile(t, "trs_table.html", "http://example.gov.cn/xxgk/202101/t20210119_1.html")
	want := []store.Attachment{
		{Name: "春耕备耕工作方案.pdf", URL: "http://example.gov.cn/xxgk/202101/P020210119.pdf"},
		{Name: "任务分解表", URL: "http://example.gov.cn/files/plan.docx"},
	}
	if len(a.Attachments) != len(want) {
		t.Fatalf("Attachments = %+v", a.Attachments)
	}
	for i := range want {
		if a.Attachments[i] != want[i] {
			t.Errorf("Attachments[%d] = %+v, want %+v", i, a.Attachments[i], want[i])
		}
	}
}

func TestSanitizedHTML(t *testing.T) {
	a := extractFile(t, "trs_table.html", "http://example.gov.cn/xxgk/202101/t20210119_1.html")
	for _, bad := range []string{"<script", "document.write", "onerror", "javascript:", "<style", "<iframe"} {
		if strings.Contains(a.HTML, bad) {
			t.Errorf("HTML keeps %q: %s", bad, a.HTML)
		}
	}
	for _, good := range []string{`src="http://example.gov.cn/images/2021/spring.jpg"`,
		`href="http://example.gov.cn/xxgk/202101/P020210119.pdf"`, "为做好今年春耕备耕工作"} {
		if !strings.Contains(a.HTML, good) {
			t.Errorf("HTML lacks %q: %s", good, a.HTML)
		}
	}
}

func TestSanitizeHostile(t *testing.T) {
	raw := []byte(`<html><body><div id="zoom"><p>正文内容足够长，用于测试清洗功能是否正确处理各种危险标签和属性。</p>
<style>p{color:red}</style><iframe src="http://evil.example/"></iframe>
<a href="javascript:alert(1)" onclick="steal()">点我</a><img src="x.png" onerror="alert(1)">
<svg onload="alert(1)"></svg><form action="http://evil.example/"><input name="q"></form></div></body></html>`)
	a, err := Extract("https://example.gov.cn/a/b.html", raw, "text/html; charset=utf-8", config.Selectors{})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<style", "<iframe", "javascript:", "onclick", "onerror", "onload", "<svg", "<form", "evil.example"} {
		if strings.Contains(a.HTML, bad) {
			t.Errorf("HTML keeps %q: %s", bad, a.HTML)
		}
	}
	if !strings.Contains(a.HTML, `src="https://example.gov.cn/a/x.png"`) {
		t.Errorf("relative image not made absolute: %s", a.HTML)
	}
}

func TestHanwebComments(t *testing.T) {
	a := extractFile(t, "hanweb.html", "http://fzggw.example.gov.cn/art/2019/9/18/art_1_2.html")
	if a.Publisher != "市发改委" || a.Meta[LabelPublisher] != "市发改委" {
		t.Errorf("Publisher = %q, Meta %q", a.Publisher, a.Meta[LabelPublisher])
	}
	if a.Title != "示例市发展改革委召开项目推进会" {
		t.Errorf("Title = %q", a.Title)
	}
	if !strings.HasPrefix(a.Body, "9月17日，市发展改革委") || strings.Contains(a.Body, "信息内容") {
		t.Errorf("Body = %q", a.Body)
	}
	if !a.Published.Equal(beijing("2019-09-18 06:23")) {
		t.Errorf("Published = %v", a.Published)
	}
}

func TestWeChatPage(t *testing.T) {
	a := extractFile(t, "wechat.html", "")
	if a.Kind != KindWeChat || a.Title != "示例镇：村务公开栏全面更新" || a.Column != "示例镇发布" || a.Author != "李四" {
		t.Errorf("Kind %q Title %q Column %q Author %q", a.Kind, a.Title, a.Column, a.Author)
	}
	if !a.Published.Equal(time.Unix(1617249600, 0)) || a.Published.Location() != store.Beijing {
		t.Errorf("Published = %v", a.Published)
	}
	if a.WeChat == nil || *a.WeChat != (WeChatID{Biz: "MzA4ODUzNjAxOA==", Mid: "2671068104", Idx: "7", SN: "abc123"}) {
		t.Errorf("WeChat = %+v", a.WeChat)
	}
	if !strings.Contains(a.Body, "一事一议") || !strings.Contains(a.HTML, `src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/640"`) {
		t.Errorf("Body %q HTML %q", a.Body, a.HTML)
	}
	d := a.Document()
	if d.ID != "wx:MzA4ODUzNjAxOA==:2671068104:7" || d.Channel != store.ChannelWeChat || d.Column != "示例镇发布" {
		t.Errorf("Document ID %q Channel %q Column %q", d.ID, d.Channel, d.Column)
	}
}

func TestWeChatVarsWithoutDOM(t *testing.T) {
	raw := []byte(`<html><head><meta property="og:title" content="og标题"></head><body>
<div id="js_content"><p>只有脚本变量的页面，正文仍然在这里，内容足够长。</p></div>
<script>var msg_title = "双引号\x26amp;标题";
var nickname = '示例公众号';
var ct = "1659274471";</script></body></html>`)
	a, err := Extract("https://mp.weixin.qq.com/s?__biz=QUJD&mid=100&idx=2&sn=ff", raw, "", config.Selectors{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "双引号&标题" || a.Column != "示例公众号" {
		t.Errorf("Title %q Column %q", a.Title, a.Column)
	}
	if got := a.Published.Format("2006-01-02 15:04 -0700"); got != "2022-07-31 21:34 +0800" {
		t.Errorf("Published = %s", got)
	}
	if a.WeChat == nil || a.WeChat.Biz != "QUJD" || a.WeChat.Mid != "100" || a.WeChat.Idx != "2" {
		t.Errorf("WeChat = %+v", a.WeChat)
	}
}

func TestFailurePages(t *testing.T) {
	for name, reason := range map[string]string{
		"wechat_expired.html": ReasonExpired,
		"wechat_verify.html":  ReasonVerify,
		"forum_error.html":    ReasonNotArticle,
	} {
		a := extractFile(t, name, "")
		if a.Kind != KindError || a.Reason != reason || a.Body != "" || a.HTML != "" {
			t.Errorf("%s: Kind %q Reason %q Body %q", name, a.Kind, a.Reason, a.Body)
		}
	}
}

func TestArticleQuotingFailurePhraseIsNotError(t *testing.T) {
	body := strings.Repeat("市民反映，有的公众号文章打开后显示链接已过期，相关部门表示将加强管理。", 20)
	raw := []byte(`<html><body><h1>关于公众号链接的说明</h1><div class="article-content"><p>` + body + `</p></div></body></html>`)
	a, err := Extract("", raw, "", config.Selectors{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != KindArticle {
		t.Errorf("Kind = %q (%s)", a.Kind, a.Reason)
	}
}

func TestDensityFallback(t *testing.T) {
	a := extractFile(t, "news_density.html", "")
	if a.Charset != "gb18030" || a.Title != "示例新闻：小城旧貌换新颜" {
		t.Errorf("Charset %q Title %q", a.Charset, a.Title)
	}
	if !a.Published.Equal(beijing("2005-03-06 16:17")) || a.Publisher != "示例日报" {
		t.Errorf("Published %v Publisher %q", a.Published, a.Publisher)
	}
	if !strings.HasPrefix(a.Body, "本报讯") || !strings.Contains(a.Body, "更加舒适便利") || strings.Contains(a.Body, "相关新闻") {
		t.Errorf("Body = %q", a.Body)
	}
}

func TestSelectorsOverride(t *testing.T) {
	raw := []byte(`<html><body><div class="x-t">自定义标题</div><span class="x-d">2020-05-06</span>
<div class="x-b"><p>自定义正文，选择器指定的内容区域。</p></div><div id="zoom"><p>默认容器里的其他内容，不应被选中，因为站点配置了选择器。</p></div></body></html>`)
	a, err := Extract("", raw, "", config.Selectors{Title: ".x-t", Body: ".x-b", Date: ".x-d"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "自定义标题" || a.Body != "自定义正文，选择器指定的内容区域。" || a.Published.Format("2006-01-02") != "2020-05-06" {
		t.Errorf("Title %q Body %q Published %v", a.Title, a.Body, a.Published)
	}
}

func TestWeChatArticleWithHiddenDialog(t *testing.T) {
	raw := []byte(`<html><body><h1 id="activity-name">正常文章</h1>
<div id="js_content" style="visibility:hidden"><p>这是一篇正常的公众号文章，正文内容足够长，不应被当作失败页面。</p></div>
<div class="weui-msg" style="display:none"><p class="weui-msg__title">环境异常</p></div></body></html>`)
	a, err := Extract("https://mp.weixin.qq.com/s/abc", raw, "", config.Selectors{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != KindWeChat || a.Title != "正常文章" {
		t.Errorf("Kind %q (%s) Title %q", a.Kind, a.Reason, a.Title)
	}
}
