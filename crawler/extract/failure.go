package extract

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// Reasons given for pages that are not articles.
const (
	ReasonExpired     = "链接已过期"
	ReasonDeleted     = "该内容已被发布者删除"
	ReasonViolation   = "此内容因违规无法查看"
	ReasonVerify      = "验证"
	ReasonNotArticle  = "not an article"
	ReasonChallenge   = "防火墙验证"
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
	{"该公众号已迁移", "该公众号已迁移"},
	{"此帐号已被屏蔽", "此帐号已被屏蔽"},
	{"此帐号已自主注销", "此帐号已自主注销"},
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
	msg := strings.TrimSpace(doc.Find(".weui-msg__title, .global_error_msg, .weui-msg, #js_verify").Text())
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

// notArticle reports whether a page whose body holds little prose is an
// error or login page rather than a short article.
func notArticle(doc *goquery.Document, body string, attachments int) bool {
	if attachments > 0 || proseWeight(squeeze(body)) >= 60 {
		return false
	}
	if squeeze(body) == "" {
		return true
	}
	page := doc.Find("title").Text() + " " + doc.Find("body").Text()
	login := doc.Find(`input[type=password], input[type=PASSWORD], input[name*=pass], input[name*=Pass]`).Length() > 0
	for _, m := range errorMarkers {
		if strings.Contains(page, m) {
			return true
		}
	}
	return login
}
