package web

import (
	"strconv"

	"github.com/gongkai-project/gongkai/store/failure"
)

// failureView is a crawl failure for staff: a Chinese label and the
// crawler's own text (status, URL, message shown by the page), which may be "".
type failureView struct{ Label, Detail string }

// codeLabels name the failure codes (store/failure).
var codeLabels = map[string]string{
	failure.Robots:           "robots.txt 禁止抓取",
	failure.WAF:              "网站防火墙拦截",
	failure.TooLarge:         "文件过大，未抓取",
	failure.Timeout:          "超时",
	failure.RedirectLoop:     "网址循环跳转",
	failure.TooManyRedirects: "网址跳转次数过多",
	failure.Network:          "网络不通（连接失败）",
	failure.TLS:              "网站证书无效",
	failure.BadURL:           "网址格式错误",
	failure.NonPublic:        "目标为本机或内网地址，已拒绝连接（确需抓取请在信息源设置 allow_private 或 allow_networks）",
	failure.Cancelled:        "抓取被中断",
	failure.Other:            "其他错误",
	failure.Extract:          "正文提取失败",
	failure.File:             "文件读取失败",
}

// unavailableLabels name the messages of pages that show one instead of an
// article.
var unavailableLabels = map[string]string{
	failure.Expired:    "页面已删除或过期",
	failure.Deleted:    "页面已删除或过期",
	failure.Violation:  "内容因违规或投诉无法查看",
	failure.Verify:     "网站要求人工验证",
	failure.NotArticle: "不是文章（错误页或登录页）",
	failure.Challenge:  "网站防火墙拦截",
	failure.Migrated:   "公众号已迁移",
	failure.Blocked:    "公众号已被屏蔽",
	failure.Closed:     "公众号已注销",
}

// stageLabels name where a whole source failed.
var stageLabels = map[string]string{failure.StageList: "栏目列表页", failure.StageArchive: "公众号文章列表"}

// describeFailure turns a recorded failure ("http 404", "list timeout",
// "unavailable: 链接已过期", "robots: GET …") into a label for staff; text
// that is not a known code is shown as it is.
func describeFailure(s string) failureView {
	r, ok := failure.Parse(s)
	if !ok {
		return failureView{Label: s}
	}
	var label string
	switch r.Code {
	case failure.Unavailable:
		if label = unavailableLabels[r.Detail]; label == "" {
			label = "页面没有正文"
		}
	case failure.HTTP:
		label = httpLabel(r.Status)
	default:
		label = codeLabels[r.Code]
	}
	if r.Stage != "" {
		label = stageLabels[r.Stage] + "：" + label
	}
	return failureView{Label: label, Detail: r.Detail}
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
