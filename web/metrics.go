package web

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics is the server's own Prometheus registry: request counts and
// latencies by route, scheduled re-crawl outcomes, and gauges read from the
// store and the index at scrape time.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	recrawls *prometheus.CounterVec
	dropped  prometheus.Counter
}

func newMetrics(s *Server) (*metrics, error) {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gongkai_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "gongkai_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
		recrawls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gongkai_recrawls_total", Help: "Scheduled re-crawls by result (ok, error).",
		}, []string{"result"}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gongkai_query_log_dropped_total", Help: "Public searches not logged because the query log's queue was full.",
		}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.latency, m.recrawls, m.dropped, &storeCollector{s},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		if err := m.reg.Register(c); err != nil {
			return nil, fmt.Errorf("register metrics: %w", err)
		}
	}
	return m, nil
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// metricsHandler serves /metrics to the scrapers the configuration allows:
// with server.metrics_token, requests bearing that token; without one, all
// requests on the separate listener (server.metrics_addr, where the address
// is the protection) and on the main one only those from this machine that
// no proxy forwarded (loopback peer, no X-Forwarded-For, X-Real-IP or
// Forwarded header).
func (s *Server) metricsHandler(separate bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.serveMetrics(w, r, separate)
	}
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request, separate bool) {
	if !s.metricsAllowed(r, separate) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="gongkai metrics"`)
		http.Error(w, "metrics need server.metrics_token (Authorization: Bearer) or a local scraper",
			http.StatusUnauthorized)
		return
	}
	s.metrics.handler().ServeHTTP(w, r)
}

func (s *Server) metricsAllowed(r *http.Request, separate bool) bool {
	if token := s.cfg.Server.MetricsToken; token != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		return ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(token)) == 1
	}
	if separate {
		return true
	}
	for _, h := range []string{"X-Forwarded-For", "X-Real-IP", "Forwarded"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	return peerAddr(r).IsLoopback()
}

// metricsMux is the handler of the separate metrics listener
// (server.metrics_addr): /metrics and nothing else.
func (s *Server) metricsMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", s.metricsHandler(true))
	return mux
}

// storeCollector reads the document count, the index size and the last crawl
// run of every source when Prometheus scrapes.
type storeCollector struct{ s *Server }

var (
	descDocs = prometheus.NewDesc("gongkai_documents", "Documents in the store.", nil, nil)
	descIdx  = prometheus.NewDesc("gongkai_index_documents", "Documents in the search index.", nil, nil)
	descSize = prometheus.NewDesc("gongkai_index_size_bytes", "Size of the search index on disk.", nil, nil)
	descRun  = prometheus.NewDesc("gongkai_crawl_last_run_pages",
		"Pages of the last crawl run of each source, by result.", []string{"source", "result"}, nil)
	descRunT = prometheus.NewDesc("gongkai_crawl_last_run_end_timestamp_seconds",
		"When the last crawl run of each source ended (0: interrupted).", []string{"source"}, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descDocs
	ch <- descIdx
	ch <- descSize
	ch <- descRun
	ch <- descRunT
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if n, err := c.s.st.Count(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(descDocs, prometheus.GaugeValue, float64(n))
	} else {
		ch <- prometheus.NewInvalidMetric(descDocs, err)
	}
	if n, err := c.s.idx.DocCount(); err == nil {
		ch <- prometheus.MustNewConstMetric(descIdx, prometheus.GaugeValue, float64(n))
	} else {
		ch <- prometheus.NewInvalidMetric(descIdx, err)
	}
	if n, err := c.s.idx.SizeOnDisk(); err == nil {
		ch <- prometheus.MustNewConstMetric(descSize, prometheus.GaugeValue, float64(n))
	} else {
		ch <- prometheus.NewInvalidMetric(descSize, err)
	}
	runs, err := c.s.st.RecentRuns(ctx, 200)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(descRun, err)
		return
	}
	seen := map[string]bool{}
	for _, r := range runs { // newest first: the first run of a source is its last
		if seen[r.Source] {
			continue
		}
		seen[r.Source] = true
		for result, n := range map[string]int{"fetched": r.Fetched, "new": r.New, "changed": r.Changed,
			"unchanged": r.Unchanged, "failed": r.Failed} {
			ch <- prometheus.MustNewConstMetric(descRun, prometheus.GaugeValue, float64(n), r.Source, result)
		}
		end := 0.0
		if !r.Ended.IsZero() {
			end = float64(r.Ended.Unix())
		}
		ch <- prometheus.MustNewConstMetric(descRunT, prometheus.GaugeValue, end, r.Source)
	}
}
