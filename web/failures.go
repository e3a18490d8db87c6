package web

import (
	"strconv"
	"strings"

	"gongkai/crawler/extract"
	"gongkai/crawler/fetch"
)

// failureView is a crawl failure for staff: a Chinese label and the
// crawler's own text (status, URL, message shown by the page), which may be "".
type failureView struct{ Label, Detail string }

// fetchLabels name the failure reasons of crawler/fetch and of the crawler's
// own stages (crawler/article.go).
var fetchLabels = map[string]string{
	string(fetch.KindRobots):           "robots.txt 禁止抓取",
	string(fetch.KindWAF):              "网站防火墙拦截",
	string(fetch.KindTooLarge):         "文件过大，未抓取",
	string(fetch.KindTimeout):          "超时",
	string(fetch.KindRedirectLoop):     "网址循环跳转",
	string(fetch.KindTooManyRedirects): "网址跳转次数过多",
	string(fetch.KindNetwork):          "网络不通（连接失败）",
	string(fetch.KindTLS):              "网站证书无效",
	string(fetch.KindBadURL):           "网址格式错误",
	"cancelled":                        "抓取被中断",
	"error":                            "其他错误",
	"extract":                          "正文提取失败",
	"file":                             "文件读取失败",
}

// unavailableLabels name the reasons crawler/extract gives for pages that
// show a message instead of an article ("unavailable: <reason>").
var unavailableLabels = map[string]string{
	extract.ReasonExpired:    "页面已删除或过期",
	extract.ReasonDeleted:    "页面已删除或过期",
	extract.ReasonViolation:  "内容因违规或投诉无法查看",
	extract.ReasonVerify:     "网站要求人工验证",
	extract.ReasonNotArticle: "不是文章（错误页或登录页）",
	extract.ReasonChallenge:  "网站防火墙拦截",
	"该公众号已迁移":                "公众号已迁移",
	"此帐号已被屏蔽":                "公众号已被屏蔽",
	"此帐号已自主注销":               "公众号已注销",
}

// stageLabels name where a whole source failed (crawler.sourceStage).
var stageLabels = map[string]string{"list": "栏目列表页", "archive": "公众号文章列表"}

// describeFailure turns a failure reason ("http 404", "list timeout",
// "unavailable: 链接已过期") or a crawl-state failure text ("robots: GET …")
// into a label for staff; text it does not know is shown as it is.
func describeFailure(s string) failureView {
	if stage, rest, ok := strings.Cut(s, " "); ok && stageLabels[stage] != "" {
		if f := describeFailure(rest); f.Label != rest {
			return failureView{Label: stageLabels[stage] + "：" + f.Label, Detail: f.Detail}
		}
	}
	head, detail, _ := strings.Cut(s, ": ")
	if head == "unavailable" {
		if l, ok := unavailableLabels[detail]; ok {
			return failureView{Label: l, Detail: detail}
		}
		return failureView{Label: "页面没有正文", Detail: detail}
	}
	if l := reasonLabel(head); l != "" {
		return failureView{Label: l, Detail: detail}
	}
	return failureView{Label: s}
}

// reasonLabel is the label of one fetch or stage reason, or "".
func reasonLabel(reason string) string {
	if code, ok := strings.CutPrefix(reason, "http "); ok {
		if n, err := strconv.Atoi(code); err == nil {
			return httpLabel(n)
		}
	}
	return fetchLabels[reason]
}

// httpLabel names an HTTP error status.
func httpLabel(status int) string {
	code := "（" + strconv.Itoa(status) + "）"
	switch {
	case status == 404:
		return "网页不存在" + code
	case status == 410:
		return "网页已删除" + code
	case status == 401 || status == 403:
		return "网站拒绝访问" + code
	case status == 429:
		return "访问过于频繁，被网站限制" + code
	case status >= 500:
		return "网站服务器出错" + code
	}
	return "网站返回错误" + code
}
