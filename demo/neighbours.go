package demo

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// MaxUnits is the most townships a demo generates: 康大营镇 and the other
// townships whose items the city portal carries.
const MaxUnits = 1 + otherTownships

// Neighbour is another township of the county, generated when a demo asks
// for several units: a small TRS-style portal of its own (two columns),
// its own targets, and its items on the city portal (adopted).
type Neighbour struct {
	Name     string
	Villages []string
	URL      string // http://127.0.0.1:port of its portal, filled by Serve
	Items    []NeighbourItem
	k        int // its place among the neighbours
}

// NeighbourItem is one article of a neighbour's portal.
type NeighbourItem struct {
	Path, URL, Column, Title string
	Published                time.Time
	paras                    []string
}

// neighbourColumns are the columns of a neighbour's portal: name and slug.
var neighbourColumns = [2][2]string{{"工作动态", "gzdt"}, {"通知公告", "tzgg"}}

const neighbourPerPage = 20

// neighbours generates n-1 townships beside 康大营镇, deterministically.
func neighbours(o Options) []*Neighbour {
	var out []*Neighbour
	for k := range o.Units - 1 {
		name := cityTowns[k]
		nb := &Neighbour{Name: name, k: k, Villages: []string{strings.TrimSuffix(strings.TrimSuffix(name, "镇"), "乡") + "东村"}}
		for y := o.FromYear; y <= o.ToYear; y++ {
			n := 24 + 6*k + 4*(y%2)
			for i := range n {
				col := neighbourColumns[i%2]
				day := date(y, 1, 3).AddDate(0, 0, i*350/n).Add(time.Duration(9+i%8) * time.Hour)
				topic := cityTopics[(i+k)%len(cityTopics)]
				it := NeighbourItem{Column: col[0], Published: day,
					Title: fmt.Sprintf("%s%d年%s（第%d期）", name, y, topic, i+1),
					paras: []string{
						fmt.Sprintf("%s%s，各村“两委”干部参加。", name, topic),
						fmt.Sprintf("会议要求，各村要结合实际，细化措施，确保%s各项工作落到实处。", topic),
					}}
				it.Path = fmt.Sprintf("/col/%s/%s/t%s_%d.html", col[1], day.Format("200601"), day.Format("20060102"), 8000+1000*k+len(nb.Items))
				nb.Items = append(nb.Items, it)
			}
		}
		out = append(out, nb)
	}
	return out
}

// PeriodCount counts the neighbour's items in the statistics period of year.
func (nb *Neighbour) PeriodCount(year int) int {
	from, to := period(year)
	n := 0
	for _, it := range nb.Items {
		if !it.Published.Before(from) && it.Published.Before(to) {
			n++
		}
	}
	return n
}

// targets are each year's portal count rounded down to ten, except that
// every second neighbour aims ten higher in the last year (and lags).
func (nb *Neighbour) targets(o Options) map[int]config.YearTarget {
	out := map[int]config.YearTarget{}
	for y := o.FromYear; y <= o.ToYear; y++ {
		want := nb.PeriodCount(y) / 10 * 10
		if y == o.ToYear && nb.k%2 == 1 {
			want += 10
		}
		out[y] = config.YearTarget{PeriodEnd: periodEnd, Channels: map[string]int{store.ChannelPortal: want}}
	}
	return out
}

// siteName is the name its portal shows.
func (nb *Neighbour) siteName() string { return nb.Name + "人民政府" }

// pages renders the neighbour's portal: a list per column (index.html,
// index_1.html …, newest first) and every article.
func (nb *Neighbour) pages() (map[string]*page, error) {
	pages := map[string]*page{}
	for _, col := range neighbourColumns {
		var items []*NeighbourItem
		for i := len(nb.Items) - 1; i >= 0; i-- {
			if nb.Items[i].Column == col[0] {
				items = append(items, &nb.Items[i])
			}
		}
		n := (len(items) + neighbourPerPage - 1) / neighbourPerPage
		for cur := range n {
			name := "index.html"
			if cur > 0 {
				name = fmt.Sprintf("index_%d.html", cur)
			}
			chunk := items[cur*neighbourPerPage : min(len(items), (cur+1)*neighbourPerPage)]
			p, err := htmlPage(nb.listPage(col, chunk, cur, n), false, chunk[0].Published)
			if err != nil {
				return nil, err
			}
			pages["/col/"+col[1]+"/"+name] = p
		}
	}
	for i := range nb.Items {
		it := &nb.Items[i]
		p, err := htmlPage(nb.article(it), false, it.Published)
		if err != nil {
			return nil, err
		}
		pages[it.Path] = p
	}
	return pages, nil
}

func (nb *Neighbour) header(b *strings.Builder, title string, head string) {
	fmt.Fprintf(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n%s<title>%s</title>\n</head>\n<body>\n", head, esc(title))
	fmt.Fprintf(b, "<div class=\"header\"><a href=\"/\">%s</a></div>\n<div class=\"nav\"><a href=\"/\">首页</a>", esc(nb.siteName()))
	for _, c := range neighbourColumns {
		fmt.Fprintf(b, " | <a href=\"/col/%s/index.html\">%s</a>", c[1], c[0])
	}
	b.WriteString("</div>\n")
}

func (nb *Neighbour) footer(b *strings.Builder) {
	fmt.Fprintf(b, "<div class=\"footer\">主办：%s　地址：%s%s</div>\n</body>\n</html>\n", esc(nb.siteName()), CountyName, esc(nb.Name))
}

func (nb *Neighbour) listPage(col [2]string, items []*NeighbourItem, cur, n int) string {
	var b strings.Builder
	nb.header(&b, col[0]+"_"+nb.siteName(), createPageHTML)
	fmt.Fprintf(&b, "<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; %s</div>\n<div class=\"list\">\n<ul class=\"list-ul\">\n", col[0])
	for _, it := range items {
		fmt.Fprintf(&b, "<li><a href=\"./%s\" title=\"%s\">%s</a><span class=\"date\">%s</span></li>\n",
			strings.TrimPrefix(it.Path, "/col/"+col[1]+"/"), esc(it.Title), esc(it.Title), it.Published.Format("2006-01-02"))
	}
	fmt.Fprintf(&b, "</ul>\n<div class=\"page\"><script type=\"text/javascript\">\ncreatePageHTML(%d, %d, \"index\", \"html\");\n</script></div>\n</div>\n", n, cur)
	nb.footer(&b)
	return b.String()
}

func (nb *Neighbour) article(it *NeighbourItem) string {
	var b strings.Builder
	meta := fmt.Sprintf("<meta name=\"SiteName\" content=\"%s\">\n<meta name=\"ColumnName\" content=\"%s\">\n"+
		"<meta name=\"ArticleTitle\" content=\"%s\">\n<meta name=\"PubDate\" content=\"%s\">\n<meta name=\"ContentSource\" content=\"%s\">\n",
		esc(nb.siteName()), esc(it.Column), esc(it.Title), it.Published.Format("2006-01-02 15:04"), esc(nb.siteName()))
	nb.header(&b, it.Title+"_"+nb.siteName(), meta)
	fmt.Fprintf(&b, "<div class=\"article\">\n<h1 class=\"title\">%s</h1>\n<div class=\"info\">发布时间：%s　来源：%s</div>\n<div class=\"TRS_Editor\">\n",
		esc(it.Title), it.Published.Format("2006-01-02 15:04"), esc(nb.siteName()))
	paragraphs(&b, it.paras)
	b.WriteString("</div>\n</div>\n")
	nb.footer(&b)
	return b.String()
}

// handler serves the neighbour's rendered portal.
func (nb *Neighbour) handler() (http.Handler, error) {
	pages, err := nb.pages()
	if err != nil {
		return nil, fmt.Errorf("render the demo portal of %s: %w", nb.Name, err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { servePage(w, r, pages[r.URL.Path]) }), nil
}

// fillURLs makes the items' paths full URLs of the neighbour's portal at base.
func (nb *Neighbour) fillURLs(base string) {
	nb.URL = base
	for i := range nb.Items {
		nb.Items[i].URL = base + nb.Items[i].Path
	}
}

// sources are the neighbour's portal and its items on the city portal.
func (nb *Neighbour) sources(cityURL string) []config.Source {
	var start []string
	for _, c := range neighbourColumns {
		start = append(start, nb.URL+"/col/"+c[1]+"/index.html")
	}
	return []config.Source{
		{Name: nb.Name + "政府网站", Kind: config.KindPortal, Unit: nb.Name, Channel: store.ChannelPortal, Start: start,
			Driver: config.DriverTRS, ArticlePattern: []string{`/col/[a-z]+/\d{6}/t\d{8}_\d+\.html$`}, MaxPages: 50, Rate: demoRate, AllowNetworks: loopback()},
		{Name: SourceCity + "-" + nb.Name, Kind: config.KindUpperPortal, Unit: nb.Name, Channel: store.ChannelUpperPortal,
			Start: []string{cityURL + "/col/" + citySlug + "/index.html"}, Driver: config.DriverTRS,
			ArticlePattern: []string{`/col/` + citySlug + `/\d{6}/t\d{8}_\d+\.html$`}, MaxPages: 50, Rate: demoRate, AllowNetworks: loopback(),
			Match: config.Match{Names: []string{nb.Name}}},
	}
}

// ReportsCSV is the neighbour's list of reports sent upward (报送), as
// staff keep it: one a month of every year, in the CSV form a unit's
// reports setting reads (日期, 标题, 数量).
func (nb *Neighbour) ReportsCSV(o Options) []byte {
	o = o.normalize()
	var b strings.Builder
	b.WriteString("日期,标题,数量\n")
	for y := o.FromYear; y <= o.ToYear; y++ {
		for m := range 12 {
			fmt.Fprintf(&b, "%s,%s%d年政务信息第%d期,1\n", date(y, time.Month(m+1), 8).Format("2006-01-02"), nb.Name, y, m+1)
		}
	}
	return []byte(b.String())
}
