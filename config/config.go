// Package config reads gongkai.yaml: sources to crawl, category rules, annual
// targets, staleness rules, search dictionaries, server settings and staff
// accounts. Every setting has a built-in default (see Default).
package config

import "time"

// Config is the whole configuration file.
type Config struct {
	// Units are the townships or bureaus of one installation, each with its
	// own sources, targets and staleness rules; none means one unit, DefaultUnit.
	Units      []Unit     `yaml:"units,omitempty"`
	Sources    []Source   `yaml:"sources"`
	Categories Categories `yaml:"categories"`
	// Targets per year ("2015": {...}).
	Targets   map[int]YearTarget `yaml:"targets"`
	Staleness Staleness          `yaml:"staleness"`
	Search    Search             `yaml:"search"`
	Server    Server             `yaml:"server"`
	Analytics Analytics          `yaml:"analytics"`
	Alerts    Alerts             `yaml:"alerts"`
	Site      Site               `yaml:"site"`
	Crawl     Crawl              `yaml:"crawl"`
	// Attachments: which linked files the crawler fetches and how much.
	Attachments Attachments `yaml:"attachments"`
}

// Crawl holds the crawler's limits. A page or file over a limit is recorded
// as failed with the reason too_large, never dropped silently.
type Crawl struct {
	// MaxPageBytes bounds the HTML pages that are parsed (articles, list
	// pages, saved pages): parsing and extraction hold about 50 times the
	// page in memory. Default 4 MiB, far above real article pages (the
	// largest of the fixtures is 250 KB).
	MaxPageBytes int64 `yaml:"max_page_bytes"`
	// MaxFileBytes bounds every response (feeds, JSON archives, attachments); default 20 MiB.
	MaxFileBytes   int64         `yaml:"max_file_bytes"`
	Timeout        time.Duration `yaml:"timeout"`         // one whole response, body included; default 60s
	ConnectTimeout time.Duration `yaml:"connect_timeout"` // connection and TLS handshake; default 10s
}

// Names of the built-in source kinds. Kinds register themselves with
// RegisterKind (package crawler registers these and the others it has).
const (
	KindPortal       = "portal"        // a government website crawled through its list pages
	KindWeChatURLs   = "wechat_urls"   // a text file of WeChat article URLs, one per line
	KindWeChatFolder = "wechat_folder" // a folder of saved WeChat article pages
	KindWeChatFeed   = "wechat_feed"   // an RSS/Atom/JSON feed of WeChat articles
	KindWeChatJSON   = "wechat_json"   // the JSON an archive exporter writes
	KindFeed         = "feed"          // an RSS, Atom or JSON Feed of any channel
	KindUpperPortal  = "upper_portal"  // the city or county portal, for the township's adopted items
)

// Portal list drivers.
const (
	DriverAuto     = "auto"     // detect from the first list page
	DriverStatic   = "static"   // index.html, index_1.html, ...
	DriverTRS      = "trs"      // createPageHTML(pages, current, "index", "html")
	DriverHanweb   = "hanweb"   // XML records in the page, dataproxy.jsp POST for more
	DriverNextLink = "nextlink" // follow the "下一页" link
)

// Source is one place documents come from. Which settings a source takes
// depends on its kind (see Kind); the loader reports the others.
type Source struct {
	Name string `yaml:"name"`
	Kind string `yaml:"kind"` // a registered kind; default portal
	// Unit is the unit the source's documents belong to; may be left out
	// when the installation has one unit.
	Unit    string `yaml:"unit,omitempty"`
	Channel string `yaml:"channel"` // channel of its documents; default: the kind's
	// Category puts every document of the source in this local category
	// instead of the category rules.
	Category string `yaml:"category,omitempty"`
	// List pages (portal, upper_portal).
	Start          []string  `yaml:"start,omitempty"`           // list page URLs
	Driver         string    `yaml:"driver,omitempty"`          // one of the Driver constants; default auto
	ArticlePattern []string  `yaml:"article_pattern,omitempty"` // regexps an article URL must match; default: any same-host .html/.htm/.shtml link in the list area
	MaxPages       int       `yaml:"max_pages,omitempty"`       // per start URL; default 50
	Rate           float64   `yaml:"rate"`                      // requests per second for this source's host; default 1; 0 in config means default, negative means unlimited
	Selectors      Selectors `yaml:"selectors"`
	// The crawler connects to public addresses only. AllowPrivate lets this
	// source's fetches (pages, redirects, items, attachments) reach any
	// address: loopback, private, link-local, CGNAT; AllowNetworks only
	// these CIDRs or addresses (an intranet portal at 10.1.2.3).
	AllowPrivate  bool     `yaml:"allow_private,omitempty"`
	AllowNetworks []string `yaml:"allow_networks,omitempty"`
	// Archives and feeds: a URL (feed, JSON, URL list) or a local path (folder, file).
	URL  string `yaml:"url,omitempty"`
	Path string `yaml:"path,omitempty"`
	// Account is the WeChat account name, used where pages do not tell it.
	Account string `yaml:"account,omitempty"`
	// Match picks the township's items on an upper portal.
	Match Match `yaml:"match,omitempty"`
}

// Match picks the items of an upper (city or county) portal that came from
// the township: those whose 来源, 作者单位 or 发布机构 names it.
type Match struct {
	Names  []string `yaml:"names"`  // the township's name and aliases (康大营镇, 康大营镇人民政府)
	Fields []string `yaml:"fields"` // labels of the extracted document read; default 来源, 发布机构, 作者 (and the publisher)
	Body   bool     `yaml:"body"`   // also count items whose body text names it
}

// Selectors override the extractor's defaults for one site (CSS selectors).
type Selectors struct {
	ListItem string `yaml:"list_item"` // links to articles on list pages
	Next     string `yaml:"next"`      // the next-page link
	Title    string `yaml:"title"`
	Body     string `yaml:"body"`
	Date     string `yaml:"date"`
	Source   string `yaml:"source"`
}

// Categories is the local category list and the rules that map an item to it.
type Categories struct {
	List    []string `yaml:"list"`
	Rules   []Rule   `yaml:"rules"`
	Default string   `yaml:"default"` // category of items no rule matches; default 其他
}

// Rule maps an item to a local category when any of its conditions holds.
// Rules are tried in order; the first match wins.
type Rule struct {
	Category string   `yaml:"category"`
	Column   []string `yaml:"column"`  // substrings of the ColumnName / source column
	Subject  []string `yaml:"subject"` // substrings of the published 主题分类
	URL      []string `yaml:"url"`     // regexps on the URL
	Title    []string `yaml:"title"`   // keywords in the title
}

// YearTarget is what staff must publish in one year.
type YearTarget struct {
	PeriodEnd  string                    `yaml:"period_end"` // "MM-DD", the day statistics close; default analytics.period_end
	Channels   map[string]int            `yaml:"channels"`   // per channel, for the whole period
	Categories map[string]int            `yaml:"categories"` // per category, for the whole period
	Months     map[string]map[string]int `yaml:"months"`     // "01".."12" -> channel -> count
}

// Staleness holds the inspection rules (国办秘函〔2019〕19号 defaults).
type Staleness struct {
	HomepageDays int           `yaml:"homepage_days"` // default 14
	Columns      []ColumnLimit `yaml:"columns"`       // first match wins
	ColumnDays   int           `yaml:"column_days"`   // other columns: "long neglected"; default 365
	WeChatDays   int           `yaml:"wechat_days"`   // default 14
	VillageDays  int           `yaml:"village_days"`  // 村务公开 per village; default 92 (quarterly)
	Villages     []string      `yaml:"villages"`
	// Proactive disclosure within N working days of the written date (条例第二十六条); default 20.
	DisclosureWorkdays int      `yaml:"disclosure_workdays"`
	Holidays           []string `yaml:"holidays"`   // YYYY-MM-DD days off that fall on weekdays
	Workdays           []string `yaml:"workdays"`   // YYYY-MM-DD weekend days that are worked (调休)
	WarnShare          float64  `yaml:"warn_share"` // 即将超期 in the last share of the window; default 0.2
}

// ColumnLimit is the update limit of columns whose name contains one of Match.
type ColumnLimit struct {
	Match []string `yaml:"match"`
	Days  int      `yaml:"days"`
}

// Search holds the Chinese-analysis settings.
type Search struct {
	UserDict []string   `yaml:"user_dict"` // words gse must keep whole (place names, agencies)
	Synonyms [][]string `yaml:"synonyms"`  // groups of words that find each other
	// Hot searches: how many days of the query log count; default 30.
	HotDays int `yaml:"hot_days"`
	// HotMinClients is how many different clients must have searched a query
	// before it shows among the hot searches; default 3.
	HotMinClients int `yaml:"hot_min_clients"`
	// QueryLogDays is how long searches are kept in the query log; default 180.
	QueryLogDays int `yaml:"query_log_days"`
	// MemoryMB is the memory budget of a gongkai process in MB: indexing
	// batches, Bleve's merges and Go's heap limit are sized to it; default 512.
	MemoryMB int `yaml:"memory_mb"`
}

// Server holds the web server settings.
type Server struct {
	Addr         string        `yaml:"addr"`          // default 127.0.0.1:8080
	RecrawlEvery time.Duration `yaml:"recrawl_every"` // 0 disables scheduled re-crawls; default 0
	SearchRate   float64       `yaml:"search_rate"`   // public search requests per second per client; default 10
	SearchBurst  int           `yaml:"search_burst"`  // default 20
	// BehindTLS says a reverse proxy serves gongkai over HTTPS: cookies get
	// Secure and responses carry HSTS, as when gongkai serves TLS itself.
	BehindTLS bool `yaml:"behind_tls"`
	// TLSCert and TLSKey are PEM files; with both set gongkai serves HTTPS itself.
	TLSCert string `yaml:"tls_cert"`
	TLSKey  string `yaml:"tls_key"`
	// TrustedProxies are the CIDRs (or single addresses) of reverse proxies
	// whose X-Forwarded-For and X-Real-IP name the client; from any other
	// peer those headers are ignored.
	TrustedProxies []string `yaml:"trusted_proxies,omitempty"`
	// MetricsAddr, when set, serves /metrics on this separate host:port only.
	MetricsAddr string `yaml:"metrics_addr"`
	// MetricsToken, when set, is the bearer token /metrics requires.
	MetricsToken string `yaml:"metrics_token"`
	// PublicStats opens /api/stats to everyone; by default it needs a staff login.
	PublicStats    bool          `yaml:"public_stats"`
	SessionTTL     time.Duration `yaml:"session_ttl"`      // default 12h
	Users          []User        `yaml:"users"`            // staff accounts
	MaxRequestBody int64         `yaml:"max_request_body"` // bytes; default 2 MiB
	// MemoryLimitMB is Go's soft memory limit for serve, in MB (heap,
	// stacks and the runtime's own memory; GOMEMLIMIT in the environment
	// wins); -1: none, the collector runs by GOGC alone; default
	// DefaultServeMemoryMB.
	MemoryLimitMB int `yaml:"memory_limit_mb"`
	// PublicURL is the address residents reach gongkai at (https://gk.example.gov.cn/), for the
	// links of feeds, the sitemap, OpenSearch and alerts; default: the address of each request.
	PublicURL string `yaml:"public_url"`
}

// User is a staff account; PasswordHash is a bcrypt hash. Role is RoleStaff
// (the default when empty) or RoleLeader, who may look but not change.
type User struct {
	Name         string `yaml:"name"`
	PasswordHash string `yaml:"password_hash"`
	Role         string `yaml:"role"`
}

// Roles of staff accounts.
const (
	RoleStaff  = "staff"  // sees and edits everything on the staff pages
	RoleLeader = "leader" // sees the dashboard, trends and report; edits nothing
)

// Leader reports whether the account is read-only.
func (u User) Leader() bool { return u.Role == RoleLeader }

// Analytics holds the counting settings.
type Analytics struct {
	AsOf       string `yaml:"as_of"`       // YYYY-MM-DD; empty means today
	PeriodEnd  string `yaml:"period_end"`  // MM-DD; default 12-31
	DedupeDays int    `yaml:"dedupe_days"` // same normalised title within N days on two channels counts once; default 7
}

// Attachments holds the settings of attachment fetching and extraction. A
// file is fetched from the article's own site (the same host, or the same
// registrable domain: www.x.gov.cn and file.x.gov.cn) or from one of Hosts,
// with the same politeness as pages.
type Attachments struct {
	Off           bool          `yaml:"off"`             // fetch no attachments (their links are kept)
	Hosts         []string      `yaml:"hosts"`           // other hosts that serve the site's files (e.g. a county file server)
	MaxFileBytes  int64         `yaml:"max_file_bytes"`  // larger files are recorded as too large; default crawl.max_file_bytes (20 MiB)
	MaxCrawlBytes int64         `yaml:"max_crawl_bytes"` // bytes of attachments one crawl fetches at most; default 2 GB
	Timeout       time.Duration `yaml:"timeout"`         // time to extract one file's text; default 30s
	MaxText       int           `yaml:"max_text"`        // bytes of text kept per file; default 4 MB
}
