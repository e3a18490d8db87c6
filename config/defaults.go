package config

import (
	"strings"
	"time"
)

// DefaultAddr is where the web server listens unless configured: loopback only.
const DefaultAddr = "127.0.0.1:8080"

// Crawl limits unless configured (see Crawl).
const (
	DefaultMaxPageBytes = 4 << 20
	DefaultMaxFileBytes = 20 << 20
)

// Memory budget of a process (search.memory_mb), in MB. gse's dictionary
// alone holds about 200 MB.
const (
	DefaultMemoryMB = 512
	MinMemoryMB     = 384
)

// Soft memory limit of serve (server.memory_limit_mb), in MB: serving the
// 10× copy of ../shared/eval then holds at most about 400 MB of anonymous
// memory (docs/SCALING.md). Below the minimum, gse's dictionary alone would
// keep the collector running.
const (
	DefaultServeMemoryMB = 384
	MinServeMemoryMB     = 256
)

// DefaultCategory is the category of documents no rule places.
const DefaultCategory = "其他"

// DefaultCategories is the township's category list (docs/documents.md).
var DefaultCategories = []string{
	"机构职能", "法规政策", "规划信息", "财政信息", "重点项目", "社会保障", "村务公开",
	"救灾救济", "危房改造", "惠农政策", "环境保护", "工作动态", "通知公告", DefaultCategory,
}

// InspectionColumns are the column limits of the website inspection
// (docs/inspection.md): 动态/要闻 two weeks, 通知公告/政策文件 six months.
// Other columns, 人事 and 规划 among them, have the general limit
// (Staleness.ColumnDays, a year).
func InspectionColumns() []ColumnLimit {
	return []ColumnLimit{
		{Match: []string{"动态", "要闻"}, Days: 14},
		{Match: []string{"通知公告", "政策文件"}, Days: 183},
	}
}

// Default returns a configuration with every built-in default.
func Default() *Config {
	c := &Config{
		Categories: Categories{List: append([]string(nil), DefaultCategories...)},
		Targets:    map[int]YearTarget{},
		Staleness:  Staleness{Columns: InspectionColumns()},
	}
	c.fill()
	return c
}

// fill sets the default of every setting left at its zero value.
func (c *Config) fill() {
	setString(&c.Categories.Default, DefaultCategory)
	if c.Targets == nil {
		c.Targets = map[int]YearTarget{}
	}
	for i := range c.Units {
		c.Units[i].Name = strings.TrimSpace(c.Units[i].Name)
	}
	for i := range c.Sources {
		s := &c.Sources[i]
		s.Unit = strings.TrimSpace(s.Unit) // units are matched by name: trimmed here, once
		setString(&s.Kind, KindPortal)
		if s.Rate == 0 {
			s.Rate = 1
		}
		if k, ok := KindNamed(s.Kind); ok { // an unknown kind is reported by validate
			setString(&s.Channel, k.Channel)
			if k.Fill != nil {
				k.Fill(s)
			}
		}
	}
	st := &c.Staleness
	setInt(&st.HomepageDays, 14)
	setInt(&st.ColumnDays, 365)
	setInt(&st.WeChatDays, 14)
	setInt(&st.VillageDays, 92)
	setInt(&st.DisclosureWorkdays, 20)
	if st.WarnShare == 0 {
		st.WarnShare = 0.2
	}
	setInt(&c.Search.HotDays, 30)
	setInt(&c.Search.HotMinClients, 3)
	setInt(&c.Search.QueryLogDays, 180)
	setInt(&c.Search.MemoryMB, DefaultMemoryMB)
	sv := &c.Server
	setString(&sv.Addr, DefaultAddr)
	setInt(&sv.MemoryLimitMB, DefaultServeMemoryMB)
	if sv.SearchRate == 0 {
		sv.SearchRate = 10
	}
	setInt(&sv.SearchBurst, 20)
	if sv.SessionTTL == 0 {
		sv.SessionTTL = 12 * time.Hour
	}
	if sv.MaxRequestBody == 0 {
		sv.MaxRequestBody = 2 << 20
	}
	cr := &c.Crawl
	setInt64(&cr.MaxPageBytes, DefaultMaxPageBytes)
	setInt64(&cr.MaxFileBytes, DefaultMaxFileBytes)
	if cr.Timeout == 0 {
		cr.Timeout = 60 * time.Second
	}
	if cr.ConnectTimeout == 0 {
		cr.ConnectTimeout = 10 * time.Second
	}
	at := &c.Attachments
	setInt64(&at.MaxFileBytes, cr.MaxFileBytes)
	setInt64(&at.MaxCrawlBytes, 2<<30)
	if at.Timeout == 0 {
		at.Timeout = 30 * time.Second
	}
	setInt(&at.MaxText, 4<<20)
	setString(&c.Analytics.PeriodEnd, "12-31")
	setInt(&c.Analytics.DedupeDays, 7)
	c.fillAlerts()
	setString(&c.Site.Name, DefaultSiteName)
}

func setString(p *string, v string) {
	if *p == "" {
		*p = v
	}
}

func setInt64(p *int64, v int64) {
	if *p == 0 {
		*p = v
	}
}

func setInt(p *int, v int) {
	if *p == 0 {
		*p = v
	}
}
