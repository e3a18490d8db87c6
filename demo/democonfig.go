package demo

import (
	"slices"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// Password is the password of the demo config's staff user "staff".
const Password = "kangdaying-demo"

// passwordHash is bcrypt (cost 10) of Password.
const passwordHash = "$2a$10$gUSpU0QXjRX.slcBvj276e8TMqTI3xt4HhDTvTH7yzb3faPZxZr5."

// Source names of the demo config.
const (
	SourceTRS    = "康大营镇政府网站-信息公开"
	SourceHanweb = "康大营镇政府网站-政务动态"
	SourceWeChat = "康大营镇发布-文章存档"
	SourceCity   = "河阳市政府门户-区县动态" // the upper portal: adopted items
)

// demoRate is the demo sources' request rate: the sites are on loopback.
const demoRate = 50

// loopback is what the demo sources may reach beyond public addresses: the
// address the sample sites listen on (the crawler's address guard refuses it
// to every other source).
func loopback() []string { return []string{"127.0.0.1"} }

// Config is a configuration for crawling and analysing the served township:
// its sources, category rules that map every item to its Category, targets
// for every year (the 2015 report's 56 and 20; the first other year misses
// its WeChat target), staleness rules, dictionaries, AsOf and a staff user.
func (t *Township) Config(s *Sites) *config.Config {
	c := config.Default()
	var trs, hanweb []string
	for _, col := range t.columns {
		if col.Style == styleTRS {
			trs = append(trs, s.PortalURL+col.listPath())
		} else {
			hanweb = append(hanweb, s.PortalURL+col.listPath())
		}
	}
	c.Sources = []config.Source{
		{Name: SourceTRS, Kind: config.KindPortal, Channel: store.ChannelPortal, Start: trs, Driver: config.DriverTRS,
			ArticlePattern: []string{`/col/[a-z]+/\d{6}/t\d{8}_\d+\.html$`}, MaxPages: 50, Rate: demoRate, AllowNetworks: loopback()},
		{Name: SourceHanweb, Kind: config.KindPortal, Channel: store.ChannelPortal, Start: hanweb, Driver: config.DriverHanweb,
			ArticlePattern: []string{`/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$`}, MaxPages: 50, Rate: demoRate, AllowNetworks: loopback()},
		{Name: SourceWeChat, Kind: config.KindWeChatFeed, Channel: store.ChannelWeChat, URL: s.FeedURL,
			Account: AccountName, Rate: demoRate, AllowNetworks: loopback()},
		{Name: SourceCity, Kind: config.KindUpperPortal, Channel: store.ChannelUpperPortal, Start: []string{s.CityURL + "/col/" + citySlug + "/index.html"},
			Driver: config.DriverTRS, ArticlePattern: []string{`/col/` + citySlug + `/\d{6}/t\d{8}_\d+\.html$`}, MaxPages: 50, Rate: demoRate, AllowNetworks: loopback(),
			Match: config.Match{Names: slices.Clone(CityMatch)}},
	}
	c.Categories = config.Categories{List: append([]string(nil), config.DefaultCategories...), Rules: t.categoryRules(), Default: "其他"}
	c.Targets = t.targets()
	c.Staleness.Columns = []config.ColumnLimit{
		{Match: []string{"动态", "要闻"}, Days: 14},
		{Match: []string{"通知公告", "政策文件", "法规政策"}, Days: 183},
	}
	c.Staleness.Villages = append([]string(nil), t.Villages...)
	c.Search.UserDict = t.userDict()
	c.Search.Synonyms = [][]string{
		{"低保", "最低生活保障"},
		{"新农合", "新型农村合作医疗", "城乡居民基本医疗保险", "城乡居民医保"},
		{"养老保险", "养老金"},
		{"危房改造", "危改"},
		{"惠农补贴", "惠农资金"},
		{"种粮直补", "耕地地力保护补贴"},
		{"一事一议", "筹资筹劳"},
	}
	c.Units = []config.Unit{{Name: TownName}}
	if len(t.Neighbours) > 0 {
		t.addNeighbours(c, s)
	}
	c.Analytics.AsOf = t.AsOf.Format("2006-01-02")
	c.Analytics.PeriodEnd = periodEnd
	c.Server.Users = []config.User{{Name: "staff", PasswordHash: passwordHash}}
	// The sample township's identity; a real site also sets site_code, icp and psb.
	c.Site.Name, c.Site.Sponsor = "康大营镇政务公开（演示）", "康大营镇人民政府"
	return c
}

// periodEnd is the day the township's statistics close every year.
const periodEnd = "12-15"

// period is the statistics period of year, closing on periodEnd: the
// Beijing days [from, to).
func period(year int) (from, to time.Time) { return date(year-1, 12, 16), date(year, 12, 16) }

// focusCategories get category targets (the 2016 plan of the report).
var focusCategories = []string{"危房改造", "环境保护", "惠农政策", "救灾救济"}

// targets are met by every year except the first year other than 2015,
// whose WeChat target is 10 above its count.
func (t *Township) targets() map[int]config.YearTarget {
	out := map[int]config.YearTarget{}
	lagging := t.LaggingYear()
	for y := t.Options.FromYear; y <= t.Options.ToYear; y++ {
		portal, wechat := t.PeriodCount(store.ChannelPortal, y), t.PeriodCount(store.ChannelWeChat, y)
		yt := config.YearTarget{PeriodEnd: periodEnd, Channels: map[string]int{}, Categories: map[string]int{}}
		switch y {
		case reportYear:
			yt.Channels[store.ChannelPortal], yt.Channels[store.ChannelWeChat] = reportPortal, reportWeChat
		case lagging:
			yt.Channels[store.ChannelPortal], yt.Channels[store.ChannelWeChat] = portal/10*10, wechat+10
		default:
			yt.Channels[store.ChannelPortal], yt.Channels[store.ChannelWeChat] = portal/10*10, wechat/10*10
		}
		for _, cat := range focusCategories {
			if n := t.periodCategory(cat, y) / 5 * 5; n >= 5 {
				yt.Categories[cat] = n
			}
		}
		out[y] = yt
	}
	return out
}

// LaggingYear is the year whose WeChat count misses its target in Config:
// the first year of the range other than 2015, or 0 when there is none.
func (t *Township) LaggingYear() int {
	for y := t.Options.FromYear; y <= t.Options.ToYear; y++ {
		if y != reportYear {
			return y
		}
	}
	return 0
}

// periodCategory counts the documents of category, every channel, in the
// statistics period of year.
func (t *Township) periodCategory(cat string, year int) int {
	from, to := period(year)
	n := 0
	for i := range t.Items {
		it := &t.Items[i]
		if it.Category == cat && !it.Published.Before(from) && it.Published.Before(to) {
			n++
		}
	}
	return n
}

// userDict are the place and agency names the segmenter must keep whole.
func (t *Township) userDict() []string {
	words := []string{TownName, CountyName, AccountName, SiteName, "一事一议", "筹资筹劳", "新农合", "危房改造",
		"惠农补贴", "耕地地力保护补贴", "种粮直补", "良种补贴", "村务公开", "最低生活保障", "秸秆禁烧", "散煤治理"}
	words = append(words, t.Villages...)
	for _, o := range offices {
		words = append(words, TownName+o)
	}
	for _, v := range t.Villages {
		words = append(words, v+"村民委员会", strings.TrimSuffix(v, "村"))
	}
	return words
}

// addNeighbours makes c a configuration of several units: 康大营镇 with its
// sources and targets, and each other township with its portal, its items
// on the city portal, its own targets and villages.
func (t *Township) addNeighbours(c *config.Config, s *Sites) {
	c.Units[0].Targets = c.Targets
	for i := range c.Sources {
		c.Sources[i].Unit = TownName
	}
	for _, nb := range t.Neighbours {
		c.Units = append(c.Units, config.Unit{Name: nb.Name, Targets: nb.targets(t.Options),
			Staleness: &config.Staleness{Villages: slices.Clone(nb.Villages)}})
		c.Sources = append(c.Sources, nb.sources(s.CityURL)...)
		c.Search.UserDict = append(c.Search.UserDict, nb.Name)
	}
}
