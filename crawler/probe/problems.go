package probe

// Code names a problem a probe found. The words for people belong to the
// screen that shows them; these codes are stable.
type Code string

// Problem codes. Those marked blocking leave a crawl of the list with nothing.
const (
	RobotsDisallowed  Code = "robots_disallowed"  // robots.txt forbids the URL (blocking for the list page)
	WAFChallenge      Code = "waf_challenge"      // a firewall answered 412/521 with a script challenge (blocking for the list page)
	FetchFailed       Code = "fetch_failed"       // HTTP error, timeout, network or TLS failure (blocking for the list page)
	NotHTML           Code = "not_html"           // the answer is not an HTML page (blocking)
	ListUnreadable    Code = "list_unreadable"    // the list page could not be parsed or its source is invalid (blocking)
	ScriptList        Code = "script_list"        // no article links, and scripts that build the list in the browser (blocking)
	NoLinks           Code = "no_links"           // no article links on the page (blocking)
	PaginationFailed  Code = "pagination_failed"  // the second list page could not be fetched
	PaginationEmpty   Code = "pagination_empty"   // the second list page holds no new article links
	NoDates           Code = "no_dates"           // sample articles show no publication date
	NotArticle        Code = "not_article"        // a sample link leads to a page that shows no article
	ArticleUnreadable Code = "article_unreadable" // a sample article could not be decoded
)

// Problem is one thing that will not work, with what it concerns.
type Problem struct {
	Code   Code   `json:"code"`
	URL    string `json:"url,omitempty"`
	Status int    `json:"status,omitempty"` // HTTP status, when one was answered
	Count  int    `json:"count,omitempty"`  // how many samples it concerns (no_dates)
	Detail string `json:"detail,omitempty"` // the technical cause: a fetch failure reason, a Content-Type
}
