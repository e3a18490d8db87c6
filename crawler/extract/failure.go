package extract

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/gongkai-project/gongkai/store/failure"
)

// Reasons given for pages that are not articles: the messages the store
// records (store/failure).
const (
	ReasonExpired     = failure.Expired
	ReasonDeleted     = failure.Deleted
	ReasonViolation   = failure.Violation
	ReasonVerify      = failure.Verify
	ReasonNotArticle  = failure.NotArticle
	ReasonChallenge   = failure.Challenge
	maxFailurePageLen = 600 // visible characters of a page that only shows a message
)

// failurePhrases map the messages WeChat and firewalls show in place of an
// article to the reason recorded.
var failurePhrases = []struct{ phrase, reason string }{
	{"链接已过期", ReasonExpired},
	{"该内容已被发布者删除", ReasonDeleted},
	{"此内容已被发布者删除", ReasonDeleted},
	{"此内容因违规无法查看", ReasonViolation},
	{"此内容被投诉且经审核涉嫌侵权", ReasonViolation},
	{"该公众号已迁移", failure.Migrated},
	{"此帐号已被屏蔽", failure.Blocked},
	{"此帐号已自主注销", failure.Closed},
	{"环境异常", ReasonVerify},
	{"完成验证", ReasonVerify},
	{"请输入验证码", ReasonVerify},
	{"访问过于频繁", ReasonVerify},
}

// errorMarkers are phrases of CMS and forum error pages.
var errorMarkers = []string{"错误信息", "发生错误", "页面不存在", "页面未找到", "找不到页面", "404 Not Found",
	"无权访问", "没有权限", "已被删除", "不存在或已被删除", "参数错误"}

// failureReason returns why a page that only shows a message is not an
// article, or "". The message must be the page's visible text, or sit in
// WeChat's message box, so an article quoting the phrase is not flagged.
func failureReason(doc *goquery.Document, visible string) string {
	msg := ""
	if strings.TrimSpace(doc.Find("#js_content").Text()) == "" {
		// Article templates carry hidden dialogs; only a page without
		// article text is read for its message box.
		msg = strings.TrimSpace(doc.Find(".weui-msg__title, .global_error_msg, .weui-msg, #js_verify").Text())
	}
	if msg == "" && runeLen(visible) <= maxFailurePageLen {
		msg = visible
	}
	for _, f := range failurePhrases {
		if strings.Contains(msg, f.phrase) {
			return f.reason
		}
	}
	return ""
}

// notArticle reports whether a page is an error or login page rather than
// a short article: its body is empty, or holds little prose and either
// names an error (in the body or the <title>) or asks for a password.
func notArticle(doc *goquery.Document, body *html.Node, text string, attachments int) bool {
	if squeeze(text) == "" && attachments == 0 {
		return true
	}
	if attachments > 0 || proseWeight(squeeze(text)) >= 60 {
		return false
	}
	where := doc.Find("title").Text() + " " + text
	for _, m := range errorMarkers {
		if strings.Contains(where, m) {
			return true
		}
	}
	return goquery.NewDocumentFromNode(body).Find(`input[type=password], input[type=PASSWORD]`).Length() > 0
}
