package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// The city portal above the township: a TRS column of 区县动态 that carries
// items of several townships. Those whose 来源 names 康大营镇 (or its alias
// 康大营党政办) are the township's reports the city adopted (采用).
const (
	CityName         = "河阳市人民政府"
	citySlug         = "qxdt"
	cityColumn       = "区县动态"
	cityPerPage      = 20
	reportSent       = 36 // 报送 in the report year, as the township's report states
	reportAdopted    = 53 // 采用 in the report year's statistics period
	otherAdopted     = 6  // the township's items in the city's other years
	cityAlias        = "康大营党政办"
	otherTownships   = 4
	otherPerTownYear = 10
)

// CityMatch are the names the township's items on the city portal carry.
var CityMatch = []string{TownName, cityAlias}

// CityItem is one item of the city portal.
type CityItem struct {
	Path      string
	URL       string // filled by Serve
	Title     string
	Source    string // 来源 as the page shows it
	Town      bool   // the township's: its 来源 names it
	Published time.Time
	paras     []string
}

var (
	cityTowns  = [otherTownships]string{"城关镇", "前营乡", "柳河镇", "南口镇"}
	cityTopics = []string{"召开安全生产工作会议", "开展冬春农田水利建设", "推进村务公开规范化", "组织防汛演练",
		"落实惠农补贴发放", "开展环境卫生整治", "举办农民实用技术培训", "做好低保动态管理", "推进危房改造",
		"开展春季植树造林", "召开党风廉政建设会议", "开展消防安全检查"}
	townSources = []string{TownName + "人民政府", TownName + "党政办", cityAlias, TownName + "农业服务中心"}
)

// cityItems generates the city column: the township's 53 items in the
// report year's statistics period, a few in the years around it (one just
// after the period closes), and the other townships' items, one of which
// mentions the township in its text without coming from it. It uses no
// random choices, so the township's own documents stay as they were.
func cityItems(o Options) []CityItem {
	var out []CityItem
	add := func(town, source string, ours bool, day time.Time, i int) {
		topic := cityTopics[i%len(cityTopics)]
		it := CityItem{Title: town + topic, Source: source, Town: ours, Published: day.Add(time.Duration(9+i%8) * time.Hour),
			paras: []string{
				fmt.Sprintf("近日，%s%s，镇村干部和群众代表参加。", town, topic),
				fmt.Sprintf("%s要求各村结合实际抓好落实，确保各项工作取得实效，并及时向上级报送工作进展。", town),
			}}
		out = append(out, it)
	}
	if o.FromYear <= reportYear && reportYear <= o.ToYear {
		from := date(reportYear-1, 12, 16)
		for i := range reportAdopted { // spread over the period, none after 12-15
			add(TownName, townSources[i%len(townSources)], true, from.AddDate(0, 0, 3+i*6), i)
		}
		add(TownName, TownName+"人民政府", true, date(reportYear, 12, 20), 1) // after the period closes
		add("城关镇", "城关镇人民政府", false, date(reportYear, 6, 3), 2)
		out[len(out)-1].paras = append(out[len(out)-1].paras, "城关镇组织人员赴康大营镇学习村务公开经验。")
	}
	for y := o.FromYear; y <= o.ToYear; y++ {
		if y != reportYear {
			for i := range otherAdopted / 2 {
				add(TownName, townSources[i%len(townSources)], true, date(y, time.Month(2+i*4), 10), i+3)
			}
		}
		for k, town := range cityTowns {
			for i := range otherPerTownYear {
				add(town, town+"人民政府", false, date(y, time.Month(1+i), 5+k*5), i+k)
			}
		}
	}
	sortCity(out)
	for i := range out {
		it := &out[i]
		it.Path = fmt.Sprintf("/col/%s/%s/t%s_%d.html", citySlug, it.Published.Format("200601"), it.Published.Format("20060102"), 7001+i)
	}
	return out
}

// sortCity orders items newest first, as the column lists them.
func sortCity(items []CityItem) {
	for i := 1; i < len(items); i++ { // insertion sort: stable, and the list is short
		for j := i; j > 0 && items[j].Published.After(items[j-1].Published); j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
}

// Reports are the township's reports sent upward (报送) in the report year,
// as staff enter them: one manual entry of the report channel each.
func (t *Township) Reports() []*store.ManualEntry {
	if t.Options.FromYear > reportYear || reportYear > t.Options.ToYear {
		return nil
	}
	var out []*store.ManualEntry
	for i := range reportSent {
		out = append(out, &store.ManualEntry{Date: date(reportYear, 1, 8).AddDate(0, 0, i*9), Channel: store.ChannelReport,
			Category: "工作动态", Title: fmt.Sprintf("%s政务信息第%d期", TownName, i+1), Count: 1, Unit: TownName})
	}
	return out
}

// Adopted counts the township's items on the city portal published in [from, to).
func (t *Township) Adopted(from, to time.Time) int {
	n := 0
	for _, it := range t.City {
		if it.Town && !it.Published.Before(from) && it.Published.Before(to) {
			n++
		}
	}
	return n
}

// cityPages renders the city column's list pages and articles.
func (t *Township) cityPages() (map[string]*page, error) {
	pages := map[string]*page{}
	n := pageCount(len(t.City), cityPerPage)
	for i := range n {
		items := t.City[min(i*cityPerPage, len(t.City)):min((i+1)*cityPerPage, len(t.City))]
		name := "index.html"
		if i > 0 {
			name = fmt.Sprintf("index_%d.html", i)
		}
		mod := date(t.Options.FromYear, 1, 1)
		if len(items) > 0 {
			mod = items[0].Published
		}
		p, err := htmlPage(cityList(items, i, n), false, mod)
		if err != nil {
			return nil, err
		}
		pages["/col/"+citySlug+"/"+name] = p
	}
	for _, it := range t.City {
		p, err := htmlPage(cityArticle(it), false, it.Published)
		if err != nil {
			return nil, err
		}
		pages[it.Path] = p
	}
	pages["/robots.txt"] = newPage([]byte("User-agent: *\nAllow: /\n"), "text/plain; charset=utf-8", date(t.Options.FromYear, 1, 1))
	return pages, nil
}

func cityHeader(b *strings.Builder, title, meta string) {
	fmt.Fprintf(b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title>\n%s%s</head><body>\n<div class=\"header\"><a href=\"/\">%s</a></div>\n",
		esc(title), meta, createPageHTML, CityName)
}

func cityList(items []CityItem, cur, n int) string {
	var b strings.Builder
	cityHeader(&b, cityColumn+"_"+CityName, "")
	fmt.Fprintf(&b, "<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; %s</div>\n<div class=\"list\">\n<ul class=\"list-ul\">\n", cityColumn)
	for _, it := range items {
		fmt.Fprintf(&b, "<li><a href=\"./%s\" target=\"_blank\" title=\"%s\">%s</a><span class=\"date\">%s</span></li>\n",
			strings.TrimPrefix(it.Path, "/col/"+citySlug+"/"), esc(it.Title), esc(it.Title), it.Published.Format("2006-01-02"))
	}
	fmt.Fprintf(&b, "</ul>\n<div class=\"page\"><script type=\"text/javascript\">createPageHTML(%d, %d, \"index\", \"html\");</script></div>\n</div>\n</body></html>\n", n, cur)
	return b.String()
}

func cityArticle(it CityItem) string {
	var b strings.Builder
	meta := fmt.Sprintf("<meta name=\"ArticleTitle\" content=\"%s\">\n<meta name=\"PubDate\" content=\"%s\">\n<meta name=\"ColumnName\" content=\"%s\">\n<meta name=\"ContentSource\" content=\"%s\">\n",
		esc(it.Title), it.Published.Format("2006-01-02 15:04"), cityColumn, esc(it.Source))
	cityHeader(&b, it.Title+"_"+CityName, meta)
	fmt.Fprintf(&b, "<div class=\"article\">\n<h1 class=\"title\">%s</h1>\n<div class=\"info\">发布时间：%s　来源：%s</div>\n<div class=\"TRS_Editor\">\n",
		esc(it.Title), it.Published.Format("2006-01-02 15:04"), esc(it.Source))
	for _, p := range it.paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", esc(p))
	}
	b.WriteString("</div>\n</div>\n</body></html>\n")
	return b.String()
}
