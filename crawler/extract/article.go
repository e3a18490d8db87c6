// Package extract turns a fetched article page into an Article: title,
// dates, publisher, 信息公开 metadata, plain-text body, sanitised HTML and
// attachments. It knows government CMS pages (TRS, Hanweb, UCAP), WeChat
// article pages and, through a text-density fallback, ordinary news pages.
package extract

import (
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// Kinds of extracted pages.
const (
	KindArticle = "article" // a portal or news article
	KindWeChat  = "wechat"  // a WeChat official-account article
	KindError   = "error"   // a page that shows no article; see Reason
)

// Article is what one page says about the item it publishes.
type Article struct {
	Kind             string             `json:"kind"`
	Reason           string             `json:"reason,omitempty"`
	URL              string             `json:"url"`
	Title            string             `json:"title"`
	TitleFrom        string             `json:"title_from,omitempty"`     // which signal gave the title
	Published        time.Time          `json:"published,omitzero"`       // Beijing time
	PublishedFrom    string             `json:"published_from,omitempty"` // which signal gave the date; "none" if the page shows none
	PublishedHasTime bool               `json:"published_has_time,omitempty"`
	Written          time.Time          `json:"written,omitzero"` // 成文日期
	Publisher        string             `json:"publisher,omitempty"`
	Author           string             `json:"author,omitempty"`
	Column           string             `json:"column,omitempty"` // ColumnName meta or WeChat account
	DocNumber        string             `json:"doc_number,omitempty"`
	IndexNumber      string             `json:"index_number,omitempty"`
	Subject          string             `json:"subject,omitempty"`
	Genre            string             `json:"genre,omitempty"`
	Validity         string             `json:"validity,omitempty"`  // 有效性, one of store.Validities
	Body             string             `json:"body"`                // plain text, one paragraph per line
	BodyFrom         string             `json:"body_from,omitempty"` // selector, template, container:SELECTOR or density
	HTML             string             `json:"html"`                // sanitised
	Meta             map[string]string  `json:"meta,omitempty"`
	Attachments      []store.Attachment `json:"attachments,omitempty"`
	WeChat           *WeChatID          `json:"wechat,omitempty"`
	Charset          string             `json:"charset,omitempty"` // the charset the page was decoded from
	// Learned is the site template this page supports (nil unless the page
	// extracted cleanly); UsedTemplate says the site template given to
	// ExtractWith was used.
	Learned      *Template `json:"-"`
	UsedTemplate bool      `json:"-"`
	dateLabel    string    // the label or meta the date was read under
}
