package demo

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Hanweb site parameters.
const (
	dataproxyPath = "/module/web/jpage/dataproxy.jsp"
	hanwebWebID   = 1
)

// hanwebRecord is one list record, as the XML datastore holds it.
func hanwebRecord(it *Item) string {
	return fmt.Sprintf("<record><![CDATA[\n<li><a href=\"%s\" target=\"_blank\" title=\"%s\">%s</a><span>%s</span></li>\n]]></record>\n",
		it.Path, esc(it.Title), esc(it.Title), it.Published.Format("2006-01-02"))
}

// nextGroup is the datastore's nextgroup element.
func nextGroup(c *column) string {
	q := fmt.Sprintf("page=1&webid=%d&path=/&columnid=%d&unitid=%d&webname=%s&permissiontype=0",
		hanwebWebID, c.ColumnID, c.UnitID, url.QueryEscape(SiteName))
	return fmt.Sprintf("<nextgroup><![CDATA[<a href=\"%s?%s\"></a>]]></nextgroup>\n", dataproxyPath, esc(q))
}

// hanwebPages renders the list page, articles and attachments of a Hanweb column.
func (t *Township) hanwebPages(c *column, pages map[string]*page) error {
	p, err := htmlPage(t.hanwebList(c), c.GBK, t.newest(c.items))
	if err != nil {
		return fmt.Errorf("list page of %s: %w", c.Name, err)
	}
	pages[c.listPath()] = p
	return articlePages(c, pages, t.hanwebArticle)
}

// hanwebList is the column page: the first hanwebGroup pages of records inline,
// the rest only through the dataproxy POST.
func (t *Township) hanwebList(c *column) string {
	var b strings.Builder
	t.portalHeader(&b, c.Name+"_"+SiteName, c.GBK, nil)
	fmt.Fprintf(&b, "<div class=\"position\">您当前的位置：<a href=\"/\">首页</a> &gt; %s</div>\n", c.Name)
	fmt.Fprintf(&b, "<div class=\"list-main\">\n<div id=\"%d\"><script type=\"text/xml\"><datastore>\n", c.UnitID)
	b.WriteString(nextGroup(c))
	b.WriteString("<recordset>\n")
	for _, it := range c.items[:min(len(c.items), hanwebPerPage*hanwebGroup)] {
		b.WriteString(hanwebRecord(it))
	}
	b.WriteString("</recordset>\n</datastore></script></div>\n</div>\n")
	fmt.Fprintf(&b, `<script type="text/javascript">
$(document).ready(function(){
	$('#%d').jpage({
		dataStore: dataStore,
		proxyUrl: "%s",
		perPage: %d,
		totalRecord: %d,
		groupSize: %d,
		barPosition: "bottom",
		ajaxParam: {col: 1, appid: 1, webid: %d, path: "/", columnid: %d, sourceContentType: 1, unitid: %d, webname: "%s", permissiontype: 0}
	});
});
</script>
`, c.UnitID, dataproxyPath, hanwebPerPage, len(c.items), hanwebGroup, hanwebWebID, c.ColumnID, c.UnitID, SiteName)
	portalFooter(&b)
	return b.String()
}

func (t *Township) hanwebArticle(it *Item) string {
	var b strings.Builder
	c := it.col
	t.portalHeader(&b, it.Title, c.GBK, func(b *strings.Builder) { standardMeta(b, it) })
	fmt.Fprintf(&b, "<div class=\"position\">您当前的位置：<a href=\"/\">首页</a> &gt; <a href=\"%s\">%s</a></div>\n", c.listPath(), c.Name)
	fmt.Fprintf(&b, `<table class="main-article" width="100%%">
<tr><td class="title"><!--<$[标题名称]>begin-->%s<!--<$[标题名称]>end--></td></tr>
<tr><td class="info">发布日期：<!--<$[发布日期]>begin-->%s<!--<$[发布日期]>end-->　信息来源：<!--<$[信息来源]>begin-->%s<!--<$[信息来源]>end--></td></tr>
<tr><td><div id="zoom"><!--<$[信息内容]>begin-->
`, esc(it.Title), it.Published.Format("2006-01-02 15:04"), esc(it.Publisher))
	paragraphs(&b, it.paras)
	attachmentLinks(&b, it, func(a attachment) string { return a.Path })
	b.WriteString("<!--<$[信息内容]>end--></div></td></tr>\n</table>\n")
	portalFooter(&b)
	return b.String()
}

// dataproxy answers the jpage POST: records startrecord..endrecord (1-based,
// inclusive) of the column named by the form fields columnid, unitid and webid.
func (t *Township) dataproxy(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "dataproxy.jsp 只接受 POST 请求", http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "表单无法解析："+err.Error(), http.StatusBadRequest)
		return
	}
	q := r.URL.Query()
	start, err1 := strconv.Atoi(q.Get("startrecord"))
	end, err2 := strconv.Atoi(q.Get("endrecord"))
	per, err3 := strconv.Atoi(q.Get("perpage"))
	if err1 != nil || err2 != nil || err3 != nil || start < 1 || end < start || per < 1 {
		http.Error(w, "startrecord、endrecord、perpage 参数错误", http.StatusBadRequest)
		return
	}
	c := t.hanwebColumn(r.PostForm.Get("columnid"), r.PostForm.Get("unitid"), r.PostForm.Get("webid"))
	if c == nil {
		http.Error(w, "columnid、unitid、webid 不对应任何栏目", http.StatusNotFound)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<datastore>\n<totalrecord>%d</totalrecord>\n<totalpage>%d</totalpage>\n",
		len(c.items), pageCount(len(c.items), per))
	b.WriteString(nextGroup(c))
	b.WriteString("<recordset>\n")
	for _, it := range c.items[min(start-1, len(c.items)):min(end, len(c.items))] {
		b.WriteString(hanwebRecord(it))
	}
	b.WriteString("</recordset>\n</datastore>\n")
	w.Header().Set("Content-Type", ctypeXML)
	w.Write([]byte(b.String()))
}

func (t *Township) hanwebColumn(columnID, unitID, webID string) *column {
	for _, c := range t.columns {
		if c.Style == styleHanweb && strconv.Itoa(c.ColumnID) == columnID &&
			strconv.Itoa(c.UnitID) == unitID && webID == strconv.Itoa(hanwebWebID) {
			return c
		}
	}
	return nil
}
