// Package store is gongkai's archive: documents, crawl state, crawl runs,
// manual entries of offline channels and the query log, in one SQLite file.
// It is the source of truth; the search index is derived from it.
package store

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Channels of publication. Portal, WeChat and upper-portal items are
// crawled; board, screen and report items are entered by staff as manual
// entries. A configuration may name other channels.
const (
	ChannelPortal = "portal" // 政府网站
	ChannelWeChat = "wechat" // 政务微信公众号
	ChannelBoard  = "board"  // 公开栏
	ChannelScreen = "screen" // 显示屏
	ChannelReport = "report" // 信息报送
	// ChannelUpperPortal holds the township's items as the city or county
	// portal published them: adopted reports (采用), not the township's own
	// publications.
	ChannelUpperPortal = "upper_portal"
	// ChannelFeed is for documents of a feed whose source counts them apart
	// from the portal and WeChat (channel: feed in its configuration).
	ChannelFeed = "feed"
)

// channelLabels are the Chinese names of the channels.
var channelLabels = map[string]string{
	ChannelPortal:      "政府网站",
	ChannelWeChat:      "政务微信公众号",
	ChannelBoard:       "公开栏",
	ChannelScreen:      "显示屏",
	ChannelReport:      "信息报送",
	ChannelUpperPortal: "上级门户采用",
	ChannelFeed:        "订阅源",
}

// ChannelCode returns the code of the channel whose code or Chinese name s
// is (spaces trimmed); other text is returned lower-cased.
func ChannelCode(s string) string {
	s = strings.TrimSpace(s)
	if s == "微信公众号" { // the label before 政务微信公众号, still in staff's files
		return ChannelWeChat
	}
	for code, label := range channelLabels {
		if s == label {
			return code
		}
	}
	return strings.ToLower(s)
}

// ChannelLabel returns the Chinese name of channel c, or c itself when it
// has none.
func ChannelLabel(c string) string {
	if l, ok := channelLabels[c]; ok {
		return l
	}
	return c
}

// Document statuses.
const (
	StatusLive    = "live"
	StatusRemoved = "removed" // removed at the source
)

// Beijing is the time zone of every date in the domain.
var Beijing = time.FixedZone("CST", 8*3600)

// Attachment is a file linked from a document: its name and address as the
// page gives them and, once the crawler fetched it, what the file holds.
// The fetched fields live in the attachments table (SaveAttachment), not in
// the document's content hash.
type Attachment struct {
	Name   string `json:"name"`
	URL    string `json:"url"`
	Type   string `json:"type,omitempty"`   // from the bytes: pdf, docx, xlsx, doc, xls, wps, ofd, txt, html
	Bytes  int64  `json:"bytes,omitempty"`  // size of the file
	Pages  int    `json:"pages,omitempty"`  // pages of a PDF or OFD
	State  string `json:"state,omitempty"`  // one of the AttachmentStates; "" not fetched yet
	Reason string `json:"reason,omitempty"` // what failed, for a state other than extracted
	SHA256 string `json:"sha256,omitempty"` // of the bytes: the file's name in the attachment folder
	Text   string `json:"text,omitempty"`   // the extracted text
}

// States of an attachment: the extraction states, and not_fetched for a
// file the crawler did not get (another site, robots.txt, a failed request,
// the crawl's byte budget).
const (
	AttachmentExtracted   = "extracted"
	AttachmentImageOnly   = "image_only" // 图片版，无文字: pages without a text layer
	AttachmentFailed      = "failed"
	AttachmentUnsupported = "unsupported"
	AttachmentTooLarge    = "too_large"
	AttachmentNotFetched  = "not_fetched"
)

// AttachmentStates are the states an attachment record may have.
var AttachmentStates = []string{AttachmentExtracted, AttachmentImageOnly, AttachmentFailed,
	AttachmentUnsupported, AttachmentTooLarge, AttachmentNotFetched}

// attachmentStateLabels are the states as residents and staff read them.
var attachmentStateLabels = map[string]string{
	AttachmentExtracted:   "已提取文字",
	AttachmentImageOnly:   "图片版，无文字",
	AttachmentFailed:      "提取失败",
	AttachmentUnsupported: "格式不支持",
	AttachmentTooLarge:    "文件过大",
	AttachmentNotFetched:  "未下载",
	"":                    "尚未下载",
}

// AttachmentStateLabel returns the Chinese name of an attachment state.
func AttachmentStateLabel(s string) string {
	if l, ok := attachmentStateLabels[s]; ok {
		return l
	}
	return s
}

// AttachmentTypes are the file types a search can ask for (attachment=…):
// every type the crawler detects.
var AttachmentTypes = []string{"pdf", "docx", "xlsx", "doc", "xls", "wps", "ofd", "txt", "html"}

// Document is one published item, whatever its channel.
type Document struct {
	ID          string    `json:"id"`
	URL         string    `json:"url,omitempty"`
	Source      string    `json:"source,omitempty"`
	Channel     string    `json:"channel,omitempty"`
	Unit        string    `json:"unit,omitempty"`   // the township or bureau it belongs to
	Column      string    `json:"column,omitempty"` // portal ColumnName or WeChat account name
	Title       string    `json:"title"`
	Body        string    `json:"body"`
	HTML        string    `json:"html,omitempty"` // sanitised, for display
	Published   time.Time `json:"published,omitzero"`
	Written     time.Time `json:"written,omitzero"`
	Publisher   string    `json:"publisher,omitempty"`
	DocNumber   string    `json:"doc_number,omitempty"`
	IndexNumber string    `json:"index_number,omitempty"`
	Subject     string    `json:"subject,omitempty"`
	Category    string    `json:"category,omitempty"`
	Genre       string    `json:"genre,omitempty"`
	Validity    string    `json:"validity,omitempty"` // 有效性 as the document states it: one of Validities
	// RepealedBy is the id of a stored notice that repeals this document
	// (set by ApplyRepeals, not part of the content).
	RepealedBy  string            `json:"repealed_by,omitempty"`
	Attachments []Attachment      `json:"attachments,omitempty"`
	Meta        map[string]string `json:"meta,omitempty"` // other labelled values (有效性, 关键词, author, ...)
	ContentHash string            `json:"content_hash,omitempty"`
	FetchedAt   time.Time         `json:"fetched_at,omitzero"`
	Status      string            `json:"status,omitempty"`
}

// ComputeHash returns the hash of the fields that make a document's content:
// a change in any of them is a change of the document.
func (d *Document) ComputeHash() string {
	h := sha256.New()
	for _, s := range []string{d.URL, d.Source, d.Channel, d.Column, d.Title, d.Body, d.HTML,
		fmtTime(d.Published), fmtTime(d.Written), d.Publisher, d.DocNumber, d.IndexNumber,
		d.Subject, d.Category, d.Genre, d.Status} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	if d.Validity != "" && d.Validity != ValidityUnknown { // hashes of documents stored before validity stay
		h.Write([]byte("validity\x01" + d.Validity + "\x00"))
	}
	if d.Unit != "" { // and so do those of documents stored before units
		h.Write([]byte("unit\x01" + d.Unit + "\x00"))
	}
	for _, a := range d.Attachments {
		h.Write([]byte(a.Name + "\x01" + a.URL + "\x00"))
	}
	for _, k := range sortedKeys(d.Meta) {
		h.Write([]byte(k + "\x01" + d.Meta[k] + "\x00"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TextHash is the hash of the normalised title and body alone, used to find the
// same item published on several channels.
func (d *Document) TextHash() string {
	norm := func(s string) string { return strings.Join(strings.Fields(s), "") }
	sum := sha256.Sum256([]byte(norm(d.Title) + "\x00" + norm(d.Body)))
	return hex.EncodeToString(sum[:16])
}

// CurrentValidity is the validity to show and search by: 已废止 when a
// stored notice repeals the document, else what the document states.
func (d *Document) CurrentValidity() string {
	switch {
	case d.RepealedBy != "":
		return ValidityRepealed
	case d.Validity == "":
		return ValidityUnknown
	}
	return d.Validity
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
