package probe

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/crawler/fetch"
)

// TestProblems probes pages that will not crawl, on a loopback site: each
// must be reported with its code, and none may give a config block.
func TestProblems(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/waf/", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(521)
		fmt.Fprint(w, `<html><script>document.cookie="__jsl_clearance=1";location.href=location.pathname</script></html>`)
	})
	mux.HandleFunc("/challenge/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><script>document.cookie="__jsl_clearance_s=1700000000.1|0|x;max-age=3600;path=/";location.href=location.pathname+location.search</script></head></html>`)
	})
	mux.HandleFunc("/js/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><title>通知公告</title></head><body><ul id="list"></ul>
<script>$.ajax({url: "/api/list", success: function(d){ render(d) }});</script></body></html>`)
	})
	mux.HandleFunc("/empty/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><title>机构概况</title></head><body><p>本栏目暂无信息。</p><a href="/">首页</a></body></html>`)
	})
	mux.HandleFunc("/data.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"list":[]}`)
	})
	mux.HandleFunc("/gone/", http.NotFound)
	mux.HandleFunc("/nodate/", func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString(`<html><head><title>工作动态</title></head><body><ul class="list">`)
		for i := 1; i <= 4; i++ {
			fmt.Fprintf(&b, `<li><a href="/nodate/show.aspx?id=%d">第%d条工作动态</a></li>`, i, i)
		}
		b.WriteString(`</ul></body></html>`)
		fmt.Fprint(w, b.String())
	})
	mux.HandleFunc("/nodate/show.aspx", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<html><head><title>第%s条工作动态</title></head><body><h1>第%[1]s条工作动态</h1><div class="content">%s</div></body></html>`,
			r.URL.Query().Get("id"), strings.Repeat("<p>镇政府组织开展环境整治工作，清理村庄垃圾，整修道路沟渠，群众积极参与。</p>", 8))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, tc := range []struct {
		path string
		want Code
	}{
		{"/private/index.html", RobotsDisallowed},
		{"/waf/index.html", WAFChallenge},
		{"/challenge/index.html", WAFChallenge},
		{"/js/index.html", ScriptList},
		{"/empty/index.html", NoLinks},
		{"/data.json", NotHTML},
		{"/gone/index.html", FetchFailed},
		{"/nodate/index.html", NoDates},
	} {
		t.Run(tc.path, func(t *testing.T) {
			f := fetch.New(fetch.Options{Rate: -1, Retries: -1, Backoff: time.Millisecond, Allow: fetch.Allow{Private: true}})
			defer f.Close()
			r, err := Probe(context.Background(), f, srv.URL+tc.path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			codes := make([]Code, len(r.Problems))
			for i, p := range r.Problems {
				codes[i] = p.Code
			}
			if !slices.Contains(codes, tc.want) {
				t.Errorf("problems %v, want %s (report %+v)", codes, tc.want, r)
			}
			if usable := tc.want == NoDates; r.Usable() != usable || (r.Config != "") != usable {
				t.Errorf("usable %v with config %q", r.Usable(), r.Config)
			}
		})
	}
}
