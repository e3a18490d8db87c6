package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/analytics/charts"
)

// static holds the CSS, the scripts and, when the build put it there,
// vendor/echarts.min.js (git-ignored; the Makefile copies it from npm).
//
//go:embed static
var staticFS embed.FS

// echartsPath is where the ECharts script is expected inside static/.
const echartsPath = "vendor/echarts.min.js"

// handleStatic serves the embedded static files with a long cache lifetime
// and an ETag from their content.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	if r.URL.Path == charts.EChartsPath {
		name = echartsPath
	}
	data, err := fs.ReadFile(staticFS, path.Join("static", path.Clean("/" + name)[1:]))
	if err != nil || name == "" || strings.HasSuffix(name, "/") {
		if name == echartsPath {
			s.log.Error("static/vendor/echarts.min.js is missing from the binary: charts cannot draw; " +
				"run `make` (it copies echarts.min.js from npm into web/static/vendor) and rebuild")
		}
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(data)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}

// hasECharts says whether the ECharts script was embedded.
func hasECharts() bool {
	_, err := fs.Stat(staticFS, "static/"+echartsPath)
	return err == nil
}
