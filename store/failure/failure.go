// Package failure is the vocabulary of crawl failures as the store records
// them (crawl-run counts, crawl-state texts): stable codes that the crawler
// writes and the web layer translates into words for staff. It imports
// nothing of gongkai, so every layer can use it.
package failure

import (
	"strconv"
	"strings"
)

// Codes of why a page or a source failed.
const (
	Robots           = "robots"             // robots.txt disallows the URL
	WAF              = "waf"                // a firewall answered with a script challenge
	TooLarge         = "too_large"          // the response exceeds the size limit
	Timeout          = "timeout"            // connect or whole-response timeout
	HTTP             = "http"               // a non-success HTTP status, recorded as "http 404"
	RedirectLoop     = "redirect_loop"      // a redirect led back to a URL already visited
	TooManyRedirects = "too_many_redirects" // too many redirect hops
	Network          = "network"            // connection refused, reset, DNS, ...
	TLS              = "tls"                // the site's certificate does not verify
	BadURL           = "bad_url"            // not an absolute http(s) URL
	NonPublic        = "non_public_address" // the address is loopback, private, link-local, ... and the source does not allow it
	Cancelled        = "cancelled"          // the crawl was interrupted
	Other            = "error"              // any other fetch error
	Extract          = "extract"            // the article could not be extracted
	File             = "file"               // a saved page could not be read
	Unavailable      = "unavailable"        // the page shows a message instead of an article: "unavailable: <message>"
)

// Stages prefixed to a code when a whole source failed ("list timeout").
const (
	StageList    = "list"    // a portal's list pages
	StageArchive = "archive" // a WeChat archive's list of articles
)

// Messages recorded after Unavailable: what the page shows in place of an
// article (the WeChat and firewall texts), or NotArticle.
const (
	Expired    = "链接已过期"
	Deleted    = "该内容已被发布者删除"
	Violation  = "此内容因违规无法查看"
	Verify     = "验证"
	NotArticle = "not an article"
	Challenge  = "防火墙验证"
	Migrated   = "该公众号已迁移"
	Blocked    = "此帐号已被屏蔽"
	Closed     = "此帐号已自主注销"
)

// HTTPStatus returns the code recorded for an HTTP error status ("http 404").
func HTTPStatus(status int) string { return HTTP + " " + strconv.Itoa(status) }

// UnavailableBecause returns the code recorded for a page showing message.
func UnavailableBecause(message string) string { return Unavailable + ": " + message }

// Reason is a recorded failure text taken apart:
// "[stage ]code[ status][: detail]".
type Reason struct {
	Stage  string // StageList or StageArchive for a whole source, else ""
	Code   string // one of the codes above
	Status int    // the HTTP status, with Code HTTP
	Detail string // the page's message for Unavailable, else the error text ("" when none)
}

var codes = map[string]bool{
	Robots: true, WAF: true, TooLarge: true, Timeout: true, HTTP: true, RedirectLoop: true,
	TooManyRedirects: true, Network: true, TLS: true, BadURL: true, NonPublic: true, Cancelled: true, Other: true,
	Extract: true, File: true, Unavailable: true,
}

// Parse takes a recorded failure text apart; ok is false when it does not
// start with a known code (after an optional stage).
func Parse(s string) (r Reason, ok bool) {
	head, detail, _ := strings.Cut(s, ": ")
	if stage, rest, cut := strings.Cut(head, " "); cut && (stage == StageList || stage == StageArchive) {
		if inner, ok := Parse(rest + s[len(head):]); ok {
			inner.Stage = stage
			return inner, true
		}
	}
	r.Code, r.Detail = head, detail
	if code, status, cut := strings.Cut(head, " "); cut && code == HTTP {
		n, err := strconv.Atoi(status)
		if err != nil {
			return Reason{}, false
		}
		r.Code, r.Status = HTTP, n
	}
	if !codes[r.Code] || (r.Code == HTTP && r.Status == 0) {
		return Reason{}, false
	}
	return r, true
}
