package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/crawler/fetch"
	"github.com/gongkai-project/gongkai/crawler/probe"
)

func (a *app) probeCmd() *cobra.Command {
	var asJSON, allowPrivate bool
	var samples int
	cmd := &cobra.Command{
		Use:   "probe [--json] URL",
		Short: "try a portal list page as a crawl would read it and print the sources: block for gongkai.yaml",
		Long: `probe fetches one list page politely (robots.txt honoured, one request a second),
names the CMS and the list driver, lists the article links and the pagination,
extracts sample articles (title, date, category by the configured rules, body
length), says what will not work, and prints a sources: block to paste into
gongkai.yaml. It exits 1 when a crawl of the page would find no articles.
Like the crawler it connects to public addresses only, unless the source
configured for URL allows more or --allow-private is given (an intranet
portal; then add allow_private or allow_networks to the source).`,
		Example: `  gongkai probe http://www.example.gov.cn/col/col123/index.html
  gongkai probe --json http://www.example.gov.cn/zwgk/tzgg/ > probe.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if u, err := url.Parse(args[0]); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return &usageError{fmt.Sprintf("probe: %q is not an http(s) URL", args[0])}
			}
			cfg, err := a.config()
			if err != nil {
				return err
			}
			f := fetch.New(fetch.Options{Allow: fetch.Allow{Private: allowPrivate}})
			defer f.Close()
			rep, err := probe.Probe(cmd.Context(), f, args[0], probe.Options{Config: cfg, Samples: samples})
			if err != nil {
				return fmt.Errorf("probe %s: %w", args[0], err)
			}
			if asJSON {
				err = writeProbeJSON(cmd.OutOrStdout(), rep)
			} else {
				writeProbe(cmd.OutOrStdout(), rep)
			}
			if err != nil {
				return err
			}
			if !rep.Usable() {
				return fmt.Errorf("probe %s: a crawl of this page would find no articles", args[0])
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.Flags().IntVar(&samples, "samples", probe.DefaultSamples, "sample articles to extract")
	cmd.Flags().BoolVar(&allowPrivate, "allow-private", false, "also connect to loopback, private and link-local addresses")
	return cmd
}

// problemView is a probe problem with its words for people.
type problemView struct {
	probe.Problem
	Message string `json:"message"`
}

// writeProbeJSON prints the report with a message beside each problem code.
func writeProbeJSON(w io.Writer, rep *probe.Report) error {
	out := struct {
		*probe.Report
		Problems []problemView `json:"problems"`
	}{Report: rep, Problems: []problemView{}}
	for _, p := range rep.Problems {
		out.Problems = append(out.Problems, problemView{p, problemMessage(p)})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// maxLinksShown is how many article links the text report lists.
const maxLinksShown = 10

// writeProbe prints the report for people.
func writeProbe(w io.Writer, rep *probe.Report) {
	fmt.Fprintf(w, "地址：%s\n", rep.URL)
	if rep.Source != "" {
		fmt.Fprintf(w, "配置中的来源：%s\n", rep.Source)
	}
	fmt.Fprintf(w, "内容管理系统：%s", rep.CMS)
	if len(rep.CMSEvidence) > 0 {
		fmt.Fprintf(w, "（依据：%s）", strings.Join(rep.CMSEvidence, "、"))
	}
	fmt.Fprintln(w)
	if rep.Driver != "" {
		fmt.Fprintf(w, "列表驱动：%s\n", rep.Driver)
		fmt.Fprintf(w, "文章链接：%d 个\n", len(rep.Links))
		for _, l := range rep.Links[:min(maxLinksShown, len(rep.Links))] {
			fmt.Fprintf(w, "  %s\n", l)
		}
		if len(rep.Links) > maxLinksShown {
			fmt.Fprintf(w, "  ……另有 %d 个\n", len(rep.Links)-maxLinksShown)
		}
		fmt.Fprintf(w, "分页：%s\n", paginationText(rep))
	}
	if len(rep.Articles) > 0 {
		fmt.Fprintln(w, "样例文章：")
		for i, a := range rep.Articles {
			writeSample(w, i+1, a)
		}
	}
	fmt.Fprintln(w, "问题：")
	if len(rep.Problems) == 0 {
		fmt.Fprintln(w, "  无")
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "  - %s [%s]", problemMessage(p), p.Code)
		if p.URL != "" && p.URL != rep.URL {
			fmt.Fprintf(w, " %s", p.URL)
		}
		fmt.Fprintln(w)
	}
	if rep.Config != "" {
		fmt.Fprintln(w, "粘贴到 gongkai.yaml 的配置：")
		fmt.Fprint(w, rep.Config)
	}
}

func writeSample(w io.Writer, n int, a probe.Article) {
	if a.Problem != "" {
		fmt.Fprintf(w, "  %d. %s\n     未能读取：%s\n", n, a.URL, problemMessage(probe.Problem{Code: a.Problem}))
		return
	}
	date := a.Published
	if date == "" {
		date = "无"
	}
	fmt.Fprintf(w, "  %d. %s\n     发布日期 %s　分类 %s　正文 %d 字\n     %s\n", n, a.Title, date, a.Category, a.BodyChars, a.URL)
}

// paginationText says what the list announces about its pages and what the
// second page gave.
func paginationText(rep *probe.Report) string {
	pg := rep.Pagination
	var parts []string
	if pg.Pages > 0 {
		parts = append(parts, fmt.Sprintf("共 %d 页", pg.Pages))
	}
	if pg.Records > 0 {
		parts = append(parts, fmt.Sprintf("共 %d 条，每页 %d 条", pg.Records, pg.PerPage))
	}
	switch {
	case len(rep.Pages) > 1:
		parts = append(parts, fmt.Sprintf("第二页 %s 有 %d 个新链接", rep.Pages[1].URL, rep.Pages[1].Links))
	case pg.Next == "":
		parts = append(parts, "没有找到下一页")
	default:
		parts = append(parts, "只有一页（"+pg.Next+" 不存在）")
	}
	return strings.Join(parts, "；")
}

// problemMessage is the words for a probe problem.
func problemMessage(p probe.Problem) string {
	switch p.Code {
	case probe.RobotsDisallowed:
		return "robots.txt 不允许抓取此地址，gongkai 遵守该规定；如需抓取，请网站管理员在 robots.txt 中放行"
	case probe.WAFChallenge:
		return fmt.Sprintf("网站防火墙要求执行脚本验证（HTTP %d），gongkai 不绕过；请联系网站管理员将本机加入白名单", p.Status)
	case probe.FetchFailed:
		return "无法获取页面（" + p.Detail + "）"
	case probe.NotHTML:
		return "返回的不是 HTML 网页（" + p.Detail + "），请填写栏目列表页的地址"
	case probe.ListUnreadable:
		return "无法读取列表页：" + p.Detail
	case probe.ScriptList:
		return "页面上没有文章链接，列表由浏览器中的脚本生成，gongkai 不执行脚本；请改用该栏目的静态列表页"
	case probe.NoLinks:
		return "页面上没有找到文章链接；请确认这是栏目列表页，或在配置中设置 article_pattern 或 selectors.list_item"
	case probe.PaginationFailed:
		return "无法读取第二页（" + p.Detail + "），抓取将只得到第一页的文章"
	case probe.PaginationEmpty:
		return "第二页没有新的文章链接，抓取将只得到第一页的文章"
	case probe.NoDates:
		return fmt.Sprintf("%d 篇样例文章找不到发布日期，它们将不计入按月统计；可在配置中设置 selectors.date", p.Count)
	case probe.NotArticle:
		return "链接打开的页面不是文章（已删除或只有提示信息）"
	case probe.ArticleUnreadable:
		return "无法解析样例文章"
	}
	return string(p.Code)
}
