package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestProbeCommand probes a one-page list on loopback: the text report
// names the driver and prints a sources: block that `config check` accepts,
// --json gives the documented fields, a page without links exits non-zero
// and a bad URL is a usage error.
func TestProbeCommand(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/tzgg/index.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><meta name="SiteName" content="某镇人民政府"><meta name="ColumnName" content="通知公告"></head>
<body><ul class="list"><li><a href="./202403/t20240305_42.html">关于做好春耕备耕工作的通知</a><span>2024-03-05</span></li></ul></body></html>`)
	})
	mux.HandleFunc("/tzgg/202403/t20240305_42.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<html><head><title>关于做好春耕备耕工作的通知</title></head><body><h1>关于做好春耕备耕工作的通知</h1>
<div class="info">发布日期：2024-03-05</div><div class="TRS_Editor">%s</div></body></html>`,
			strings.Repeat("<p>各村要抓住农时，做好种子、化肥和农机的准备，确保春耕生产顺利进行。</p>", 6))
	})
	mux.HandleFunc("/empty/index.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><p>暂无信息</p></body></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	data := t.TempDir()

	out, errOut, err := run(t, "--data", data, "probe", "--allow-private", srv.URL+"/tzgg/index.html")
	if err != nil {
		t.Fatalf("probe: %v\n%s", err, errOut)
	}
	for _, want := range []string{"列表驱动：static", "文章链接：1 个", "关于做好春耕备耕工作的通知", "发布日期 2024-03-05", "问题：\n  无", "name: 某镇人民政府-通知公告"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	block := out[strings.Index(out, "sources:"):]
	if out, errOut, err := run(t, "config", "check", writeFile(t, "gongkai.yaml", block)); err != nil {
		t.Errorf("config check of the printed block: %v\n%s%s", err, out, errOut)
	}

	out, _, err = run(t, "--data", data, "probe", "--allow-private", "--json", srv.URL+"/tzgg/index.html")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Driver, CMS, Config string
		Articles            []struct {
			URL, Title, Published, Category string
			BodyChars                       int `json:"body_chars"`
		}
		Problems []any
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if rep.Driver != "static" || rep.CMS != "trs" || len(rep.Articles) != 1 || rep.Articles[0].Published != "2024-03-05" ||
		rep.Articles[0].BodyChars < 100 || rep.Articles[0].Category == "" || rep.Problems == nil || !strings.HasPrefix(rep.Config, "sources:") {
		t.Errorf("--json report %+v", rep)
	}

	out, _, err = run(t, "--data", data, "probe", "--allow-private", srv.URL+"/empty/index.html")
	if err == nil || !strings.Contains(out, "[no_links]") {
		t.Errorf("probe of a page without links: err %v\n%s", err, out)
	}
	var ue *usageError
	if _, _, err := run(t, "probe", "ftp://example.gov.cn/"); !errors.As(err, &ue) {
		t.Errorf("probe of a non-http URL: %v, want a usage error", err)
	}
}
