package demo

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// createPageHTML is the TRS pager script, as TRS sites inline it.
const createPageHTML = `<script type="text/javascript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
	if(_nPageCount == null || _nPageCount <= 1){ return; }
	var nCurrIndex = _nCurrIndex || 0;
	var name = function(i){ return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; };
	if(nCurrIndex == 0){ document.write("首页 上一页 "); }
	else { document.write("<a href=\"" + name(0) + "\">首页</a> <a href=\"" + name(nCurrIndex - 1) + "\">上一页</a> "); }
	if(nCurrIndex == _nPageCount - 1){ document.write("下一页 尾页"); }
	else { document.write("<a href=\"" + name(nCurrIndex + 1) + "\">下一页</a> <a href=\"" + name(_nPageCount - 1) + "\">尾页</a>"); }
	document.write(" 共" + _nPageCount + "页");
}
</script>
`

// pageCount is how many list pages n items fill, at least one.
func pageCount(n, per int) int { return max(1, (n+per-1)/per) }

// newest is the publication time of the newest item, or the first day of the
// township's years when there is none.
func (t *Township) newest(items []*Item) time.Time {
	if len(items) == 0 {
		return date(t.Options.FromYear, 1, 1)
	}
	return items[0].Published
}

// trsPages renders the list pages, articles and attachments of a TRS column.
func (t *Township) trsPages(c *column, pages map[string]*page) error {
	n := pageCount(len(c.items), trsPerPage)
	dir := "/col/" + c.Slug + "/"
	for i := range n {
		items := c.items[min(i*trsPerPage, len(c.items)):min((i+1)*trsPerPage, len(c.items))]
		p, err := htmlPage(t.trsList(c, items, i, n), c.GBK, t.newest(items))
		if err != nil {
			return fmt.Errorf("list page %d of %s: %w", i, c.Name, err)
		}
		name := "index.html"
		if i > 0 {
			name = fmt.Sprintf("index_%d.html", i)
		}
		pages[dir+name] = p
	}
	return articlePages(c, pages, t.trsArticle)
}

// articlePages renders the articles of column c with render, and their
// attachments, into pages.
func articlePages(c *column, pages map[string]*page, render func(*Item) string) error {
	for _, it := range c.items {
		p, err := htmlPage(render(it), c.GBK, it.Published)
		if err != nil {
			return fmt.Errorf("article %s: %w", it.Path, err)
		}
		pages[it.Path] = p
		if err := addFiles(it, pages); err != nil {
			return err
		}
	}
	return nil
}

func (t *Township) trsList(c *column, items []*Item, cur, n int) string {
	var b strings.Builder
	t.portalHeader(&b, c.Name+"_"+SiteName, c.GBK, func(b *strings.Builder) { b.WriteString(createPageHTML) })
	fmt.Fprintf(&b, "<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; %s</div>\n<div class=\"list\">\n<ul class=\"list-ul\">\n", c.Name)
	for _, it := range items {
		href := "./" + strings.TrimPrefix(it.Path, "/col/"+c.Slug+"/")
		fmt.Fprintf(&b, "<li><a href=\"%s\" target=\"_blank\" title=\"%s\">%s</a><span class=\"date\">%s</span></li>\n",
			href, esc(it.Title), esc(it.Title), it.Published.Format("2006-01-02"))
	}
	b.WriteString("</ul>\n")
	if c.Name == "通知公告" && cur == 0 {
		b.WriteString("<div class=\"related\"><a href=\"/internal/draft.html\">内部审核稿（仅限内网）</a></div>\n")
	}
	fmt.Fprintf(&b, "<div class=\"page\"><script type=\"text/javascript\">\nvar currentPage = %d;//所在页从0开始\nvar countPage = %d//共多少页\ncreatePageHTML(%d, %d, \"index\", \"html\");\n</script></div>\n</div>\n",
		cur, n, n, cur)
	portalFooter(&b)
	return b.String()
}

// metaTable writes the 信息公开 metadata table; labels are spaced the way
// many sites space them, and a missing document number reads 无.
func metaTable(b *strings.Builder, it *Item) {
	doc := it.DocNumber
	if doc == "" {
		doc = "无"
	}
	fmt.Fprintf(b, `<table class="xxgk-table">
<tr><th>索 引 号：</th><td>%s</td><th>主题分类：</th><td>%s</td></tr>
<tr><th>发布机构：</th><td>%s</td><th>成文日期：</th><td>%s</td></tr>
<tr><th>名　　称：</th><td colspan="3">%s</td></tr>
<tr><th>文　　号：</th><td>%s</td><th>发布日期：</th><td>%s</td></tr>
<tr><th>公文种类：</th><td>%s</td><th>有 效 性：</th><td>%s</td></tr>
</table>
`, esc(it.IndexNumber), esc(it.Subject), esc(it.Publisher), it.Written.Format("2006年01月02日"), esc(it.Title),
		esc(doc), it.Published.Format("2006-01-02"), esc(it.Genre), esc(it.Validity))
}

func (t *Township) trsArticle(it *Item) string {
	var b strings.Builder
	c := it.col
	t.portalHeader(&b, it.Title+"_"+SiteName, c.GBK, func(b *strings.Builder) { standardMeta(b, it) })
	fmt.Fprintf(&b, "<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"../index.html\">%s</a></div>\n", c.Name)
	metaTable(&b, it)
	if it.seq%3 == 0 {
		// A stale copy of the table left in a comment, as real pages have.
		fmt.Fprintf(&b, "<!--<table class=\"xxgk-table-old\"><tr><th>发布日期：</th><td>%s</td></tr><tr><th>名称：</th><td>%s（草稿）</td></tr></table>-->\n",
			it.Written.Format("2006-01-02"), esc(it.Title))
	}
	fmt.Fprintf(&b, "<div class=\"article\">\n<h1 class=\"title\">%s</h1>\n<div class=\"info\">发布时间：%s　来源：%s</div>\n<div class=\"TRS_Editor\">\n",
		esc(it.Title), it.Published.Format("2006-01-02 15:04"), esc(it.Publisher))
	paragraphs(&b, it.paras)
	b.WriteString("</div>\n")
	dir := path.Dir(it.Path) + "/"
	attachmentLinks(&b, it, func(a attachment) string { return "./" + strings.TrimPrefix(a.Path, dir) })
	b.WriteString("</div>\n")
	portalFooter(&b)
	return b.String()
}
