// Package demo generates a sample township — a government portal and a WeChat
// article archive — from its own templates and word lists, and serves both on
// loopback. The same Options always give the same documents and the same page
// bytes, so crawler, index and analytics tests can rely on exact figures.
package demo

import (
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// Names of the sample township.
const (
	TownName    = "康大营镇"
	CountyName  = "河阳县"
	SiteName    = "康大营镇人民政府"
	AccountName = "康大营镇发布" // the WeChat account
)

// DefaultSeed, DefaultFromYear and DefaultToYear are the Options used for zero fields.
const (
	DefaultSeed     = 1
	DefaultFromYear = 2014
	DefaultToYear   = 2016
	maxYears        = 20
)

// Options select the generated township: Seed drives every random choice,
// FromYear..ToYear the years of publication, Units the townships (康大营镇
// and Units-1 others, each with its own portal and targets, at most
// MaxUnits). Zero fields take the defaults (seed 1, 2014–2016, one unit); a
// range longer than 20 years is cut to its last 20.
type Options struct {
	Seed             int64
	FromYear, ToYear int
	Units            int
}

// Item is one generated document as the sites publish it. Fields a page does
// not show are empty (for instance Subject on Hanweb pages and WeChat posts).
type Item struct {
	ID          string // stable demo id: trs-<n>, art-<col>-<n> or wx-<mid>-<idx>
	Path        string // path (and query) on its site; deterministic
	URL         string // full URL, filled by Serve
	Channel     string // store.ChannelPortal or store.ChannelWeChat
	Column      string // portal ColumnName or the WeChat account
	Category    string // the local category the config rules map the item to
	Kind        string // 村务公开 item kind (财务收支, ...), else empty
	Title       string
	Body        string // plain text, paragraphs separated by "\n"
	Publisher   string // 发布机构 / 信息来源; empty on WeChat
	Author      string // WeChat author
	DocNumber   string // 文号, e.g. 康镇政〔2015〕12号
	IndexNumber string // 索引号, e.g. 013562871/2015-00012
	Subject     string // 主题分类 as shown in the metadata table
	Genre       string // 公文种类
	Validity    string // 有效性 as the page shows it (有效, 废止, 失效, 已修改) for documents with a number
	Normative   bool   // a 行政规范性文件 (doc number 康镇规〔Y〕N号)
	Abolishes   string // for a 废止 decision: the doc number it abolishes
	Village     string
	Published   time.Time // Beijing time
	Written     time.Time // 成文日期 where shown, else zero
	Attachments []store.Attachment
	GBK         bool   // the page is served in GBK (declared gb2312)
	Repost      string // WeChat: the ID of the portal item this post republishes word for word

	paras     []string // body paragraphs
	col       *column  // portal column; nil on WeChat
	wx        *wxMeta  // WeChat identity; nil on the portal
	seq       int      // number within its id space
	attFiles  []attachment
	prefix    string // doc number prefix, numbered in finish
	topic     string // normative topic
	abolished *Item  // the document a 废止 decision abolishes (during generation)
	repostOf  *Item  // during generation
	reposted  bool
}

// Township is a generated sample township.
type Township struct {
	Name     string
	County   string
	Account  string
	Villages []string
	Options  Options
	// Items are the real documents, oldest first.
	Items []Item
	// Unavailable are the deleted and expired WeChat pages the feed lists
	// (paths before Serve, full URLs after).
	Unavailable []string
	// Disallowed are pages robots.txt forbids (paths before Serve, full URLs after).
	Disallowed []string
	// AsOf is the day analytics are computed as of: 12-31 of the last year, Beijing midnight.
	AsOf time.Time
	// City are the items of the city portal's 区县动态 column, newest first.
	City []CityItem
	// Neighbours are the other townships of a demo of several units.
	Neighbours []*Neighbour

	columns []*column
	gone    []wxGone          // deleted and expired WeChat posts
	codes   map[string]string // publisher -> 9-character organisation code
	biz     string
}

// normalize fills the defaults of o.
func (o Options) normalize() Options {
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.FromYear == 0 {
		o.FromYear = DefaultFromYear
	}
	if o.ToYear == 0 {
		o.ToYear = DefaultToYear
	}
	if o.FromYear > o.ToYear {
		o.FromYear, o.ToYear = o.ToYear, o.FromYear
	}
	o.Units = max(1, min(o.Units, MaxUnits))
	if o.ToYear-o.FromYear >= maxYears {
		o.FromYear = o.ToYear - maxYears + 1
	}
	return o
}

// date is midnight Beijing of y-m-d.
func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, store.Beijing)
}
