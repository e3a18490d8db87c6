package analytics

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

func report(t *testing.T, st *store.Store, cfg *config.Config, year int, staff string) *AnnualReport {
	t.Helper()
	r, err := Report(context.Background(), st, cfg, year, bj(year+1, 1, 20, 0, 0), staff)
	if err != nil {
		t.Fatalf("report %d: %v", year, err)
	}
	return r
}

func render(t *testing.T, r *AnnualReport) (md, html string, x *excelize.File) {
	t.Helper()
	var b1, b2, b3 bytes.Buffer
	for _, f := range []struct {
		format string
		b      *bytes.Buffer
	}{{"md", &b1}, {"html", &b2}, {"xlsx", &b3}} {
		if err := r.Write(f.b, f.format); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Write(io.Discard, "pdf"); err == nil || !strings.Contains(err.Error(), `"pdf"`) {
		t.Errorf("a report written as pdf: %v, want an error naming the format", err)
	}
	f, err := excelize.OpenReader(&b3)
	if err != nil {
		t.Fatalf("read back xlsx: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return b1.String(), b2.String(), f
}

// The 2015 township report: portal 56, WeChat 20, 36 reports sent upward,
// 31 village boards, closing on 12-15.
func TestReport2015FreeForm(t *testing.T) {
	st := openStore(t)
	put(t, st, series("portal", "portal", "乡镇要闻", "工作动态", bj(2015, 1, 5, 9, 0), 50)...)
	put(t, st, series("budget", "portal", "财政信息", "财政信息", bj(2015, 3, 5, 9, 0), 6)...)
	put(t, st, series("wechat", "wechat", "康大营镇发布", "村务公开", bj(2015, 6, 1, 9, 0), 20)...)
	put(t, st, doc("after", "portal", "乡镇要闻", "工作动态", "统计截止后的消息", bj(2015, 12, 20, 9, 0)))
	addManual(t, st, store.ManualEntry{Date: bj(2015, 6, 30, 0, 0), Channel: "report", Category: "工作动态", Title: "信息报送", Count: 36})
	addManual(t, st, store.ManualEntry{Date: bj(2015, 9, 30, 0, 0), Channel: "board", Category: "村务公开", Title: "村务公开栏", Count: 31})
	cfg := defaultConfig()
	cfg.Targets[2015] = config.YearTarget{PeriodEnd: "12-15", Channels: map[string]int{"portal": 56, "wechat": 20}}
	r := report(t, st, cfg, 2015, "")
	if r.Format != FormatFree || r.Err() != nil {
		t.Fatalf("format %s, err %v", r.Format, r.Err())
	}
	md, html, x := render(t, r)
	for _, want := range []string{"# 2015年政府信息公开工作年度报告", "2015年1月1日至2015年12月15日，共主动公开政府信息143条",
		"政府网站56条、政务微信公众号20条、公开栏31条、信息报送36条", "公开渠道：政府网站、政务微信公众号、公开栏、信息报送",
		"财政信息6条", "## 四、存在的主要问题及改进措施", Placeholder} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if !strings.Contains(html, "<h2>二、主动公开政府信息情况</h2>") || !strings.Contains(html, `<td>政府网站</td><td>56</td>`) {
		t.Errorf("html:\n%s", html)
	}
	if v, _ := x.GetCellValue("分渠道公开情况", "B2"); v != "56" {
		t.Errorf("xlsx 分渠道公开情况!B2 = %q", v)
	}
	if rows, _ := x.GetRows("报告正文"); len(rows) < 8 || rows[2][0] != "一、概述" {
		t.Errorf("xlsx text sheet %v", rows)
	}
}

// normativeDocs stores the documents table 二 counts.
func normativeDocs(t *testing.T, st *store.Store, year int) {
	mk := func(id, title, number, genre string, m int) *store.Document {
		d := doc(id, "portal", "政策文件", "法规政策", title, bj(year, timeMonth(m), 10, 9, 0))
		d.DocNumber, d.Genre = number, genre
		d.Written = bj(year, timeMonth(m), 1, 0, 0)
		return d
	}
	old := mk("old", "关于农村宅基地管理的规定", "康政规〔2019〕1号", "", 3)
	old.Published, old.Written = bj(2019, 3, 10, 9, 0), bj(2019, 3, 1, 0, 0)
	expired := mk("expired", "关于低保评议的办法", "康政规〔2020〕2号", "", 3)
	expired.Published, expired.Written = bj(2020, 3, 10, 9, 0), bj(2020, 3, 1, 0, 0)
	expired.Meta = map[string]string{"有效性": "已失效"}
	put(t, st, old, expired,
		mk("n1", "关于村级财务管理的规定", "康政规〔2022〕1号", "", 2),
		mk("n2", "关于危房改造补助的办法", "康政规［2022］2号", "", 5),
		mk("n3", "关于环境卫生整治的实施意见", "", "行政规范性文件", 6),
		mk("rep", "关于废止部分规范性文件的决定", "康政规〔2022〕3号", "", 9),
		mk("rule", "某省农村公路条例实施办法", "省人民政府令第12号", "", 4),
		mk("plain", "关于召开会议的通知", "康政办〔2022〕5号", "通知", 7),
	)
}

func TestReportNationalFormat(t *testing.T) {
	st := openStore(t)
	put(t, st, series("portal", "portal", "乡镇要闻", "工作动态", bj(2022, 1, 5, 9, 0), 30)...)
	put(t, st, series("wechat", "wechat", "康大营镇发布", "工作动态", bj(2022, 2, 1, 9, 0), 12)...)
	normativeDocs(t, st, 2022)
	r := report(t, st, defaultConfig(), 2022, filepath.Join("testdata", "staff.yaml"))
	if r.Format != FormatNational || r.Err() != nil {
		t.Fatalf("format %s, problems %v", r.Format, r.Err())
	}
	if d := r.Docs[KindNormative]; d.Issued != 3 || d.Repealed != 1 || d.Valid != 4 || d.Total != 5 {
		t.Errorf("规范性文件 %+v (issued n1 n2 n3; repealed rep; valid old n1 n2 n3)", d)
	}
	if d := r.Docs[KindRule]; d.Issued != 1 || d.Valid != 1 {
		t.Errorf("规章 %+v", d)
	}
	var heads []string
	for _, s := range r.Sections {
		heads = append(heads, s.Heading)
	}
	if strings.Join(heads, "|") != "一、总体情况|二、主动公开政府信息情况|三、收到和处理政府信息公开申请情况|四、政府信息公开行政复议、行政诉讼情况|五、存在的主要问题及改进情况|六、其他需要报告的事项" {
		t.Errorf("headings %v", heads)
	}
	md, html, x := render(t, r)
	for _, want := range []string{"# 康大营镇人民政府2022年政府信息公开工作年度报告", "政府网站36条、政务微信公众号12条",
		"| 第二十条第（一）项 | 行政规范性文件 | 3 | 1 | 4 |", "| 第二十条第（五）项 | 行政许可（本年处理决定数量） | 15 |",
		"本年度新收政府信息公开申请8件，上年结转1件，办结8件，结转下年度继续办理1件", "一是信息公开人员不足"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(html, "校验未通过") || !strings.Contains(html, "<caption>收到和处理政府信息公开申请情况</caption>") {
		t.Errorf("html:\n%s", html)
	}
	rows, err := x.GetRows("收到和处理政府信息公开申请情况")
	if err != nil || len(rows) != 1+len(Table3Rows) {
		t.Fatalf("table 三 sheet: %v %v", rows, err)
	}
	if rows[1][0] != "一、本年新收政府信息公开申请数量" || rows[1][7] != "8" || rows[24][7] != "8" {
		t.Errorf("table 三 rows %v / %v", rows[1], rows[24])
	}
	if v, _ := x.GetCellValue("政府信息公开行政复议、行政诉讼情况", "F4"); v != "0" {
		t.Errorf("表四 复议后起诉 总计 computed: %q", v)
	}
	if v, _ := x.GetCellValue("主动公开政府信息情况", "C7"); v != "0.35" {
		t.Errorf("表二 收费 %q", v)
	}
}

func TestReportTrialFormat(t *testing.T) {
	st := openStore(t)
	normativeDocs(t, st, 2020)
	r := report(t, st, defaultConfig(), 2020, filepath.Join("testdata", "staff.yaml"))
	md, _, _ := render(t, r)
	if r.Format != FormatTrial || !strings.Contains(md, "本年新制作数量") || !strings.Contains(md, "政府集中采购（采购总金额，单位：万元） | 120.5") {
		t.Errorf("trial format:\n%s", md)
	}
	if d := r.Docs[KindNormative]; d.Made != 4 || d.Published != 4 || d.Total != 5 {
		t.Errorf("trial counts %+v", d) // the 2020 documents: expired, n1, n2, n3; old of 2019; rep is a decision
	}
}

func TestReportChecks(t *testing.T) {
	bad := `
table3:
  new: [3, 0, 0, 0, 0, 0]
  carried_over: [0, 2, 0, 0, 0, 0]
  public: [2, 1, 0, 0, 0, 0, 4]
  withheld_9: [1, 0, 0, 0, 0, 0]
  partial: [1, 0]
  total: [3, 1, 0, 0, 0, 0, 4]
table4:
  review: [1, 1, 0, 0, 3]
`
	path := filepath.Join(t.TempDir(), "staff.yaml")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	r := report(t, openStore(t), defaultConfig(), 2022, path)
	var got []string
	for _, p := range r.Problems {
		got = append(got, p.String())
	}
	want := []string{
		"表三 “withheld_9”行：未知的行",
		"表三 “三、本年度办理结果 （一）予以公开”行 “总计”列：填写 4，各列之和为 3",
		"表三 “（二）部分公开（区分处理的，只计这一情形，不计其他情形）”行：应填写 7 个数",
		"表三 “（七）总计”行 “自然人”列：填写 3，（一）至（六）之和为 2",
		"表三 “一+二 与 （七）+四”行 “法人或其他组织：商业企业”列：一、本年新收 + 二、上年结转 = 2，（七）总计 + 四、结转下年度 = 1，应相等",
		"表三 “一+二 与 （七）+四”行 “总计”列：一、本年新收 + 二、上年结转 = 5，（七）总计 + 四、结转下年度 = 4，应相等",
		"表四 “行政复议”行 “总计”列：填写 3，各列之和为 2",
	}
	joined := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("problems lack %q:\n%s", w, joined)
		}
	}
	if strings.Contains(joined, "“一+二 与 （七）+四”行 “自然人”列") {
		t.Errorf("the balanced 自然人 column (3+0 = 3+0) reported:\n%s", joined)
	}
	if len(got) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(got), len(want), joined)
	}
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "校验未通过") {
		t.Errorf("Err() = %v", err)
	}
	md, html, _ := render(t, r)
	if !strings.Contains(md, "> **校验未通过**") || !strings.Contains(html, `class="problems"`) {
		t.Error("renderings do not show the failed checks")
	}

	if err := os.WriteFile(path, []byte("tabel3: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Report(context.Background(), openStore(t), defaultConfig(), 2022, bj(2023, 1, 1, 0, 0), path); err == nil {
		t.Error("unknown top-level key accepted")
	}
}
