package list

import (
	"net/http"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/fetch"
)

// FuzzListPage feeds arbitrary bytes to every list-page parser: detection,
// article links, next links, TRS paging and Hanweb records and parameters.
// Crawled pages are untrusted; none of this may panic.
func FuzzListPage(f *testing.F) {
	f.Add([]byte(listHTML(trsItems(0, 3), `<script>var countPage = 3;createPageHTML(countPage, 0, "index", "html");</script><a href="index_1.html">下一页</a>`)))
	f.Add([]byte(`<script type="text/xml"><datastore><recordset>` + hanwebRecord(1) + `</recordset></datastore></script><script>$('#7').jpage({perPage: 2, totalRecord: 10, ajaxParam: {columnid: 42, unitid: 7, webid: 3}});</script>`))
	f.Add([]byte(`<base href="javascript:x"><a href="%zz">下一页</a><table><tr><td><a href="/show.aspx?id=1">x</a>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		resp := &fetch.Response{FinalURL: "http://example.gov.cn/col/index.html", Header: http.Header{}, Body: body}
		p, err := parsePage(resp)
		if err != nil {
			return
		}
		detect(p)
		articleLinks(p, matcher{}, "")
		articleLinks(p, matcher{}, "li")
		nextHref(p, "")
		trsPager(p.text)
		recordLinks(p, matcher{}, p.text)
		readJPage(p)
		for _, d := range []string{config.DriverAuto, config.DriverStatic, config.DriverTRS, config.DriverHanweb, config.DriverNextLink} {
			Inspect(resp, config.Source{Driver: d})
		}
	})
}
