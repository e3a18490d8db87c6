package proof

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/demo"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/internal/shareddata"
	"github.com/gongkai-project/gongkai/store"
	"github.com/gongkai-project/gongkai/web"
)

// Bounds of the load test: it stops at whichever limit comes first.
const (
	loadClients  = 50
	loadDuration = 12 * time.Second
	loadRequests = 20000
	// The second client of the flood phase asks once per interval.
	politeEvery    = 100 * time.Millisecond
	baselineFor    = 3 * time.Second
	floodFor       = 5 * time.Second
	floodWorkers   = 16
	errorsToReport = 5
)

// loadFixture is a store and an index holding the demo documents and the
// eval corpus, with the queries to ask.
type loadFixture struct {
	st      *store.Store
	ix      *indexer.Index
	cfg     *config.Config
	queries []string
	docs    int
}

// TestLoad serves /api/search over the demo documents plus
// ../shared/eval/corpus.jsonl.gz on a real loopback server. First 50
// concurrent clients ask real queries for up to 12 s: there must be no error
// at all. Then, with the default per-client rate limit, one client floods the
// API from 16 goroutines while a second client on another loopback address
// asks once every 100 ms: the flooder must be refused with 429 and the second
// client must keep its latency (see flood). The phases take 25 s in all.
func TestLoad(t *testing.T) {
	skipHeavy(t, "load test: indexes the eval corpus and runs 50 clients")
	corpus := shareddata.Path(t, "eval/corpus.jsonl.gz")
	questions := shareddata.Path(t, "eval/queries_dev.tsv")
	f := buildLoadFixture(t, corpus, questions)
	t.Run("50 clients", func(t *testing.T) { fiftyClients(t, f) })
	t.Run("flood", func(t *testing.T) { flood(t, f) })
}

func buildLoadFixture(t *testing.T, corpus, questions string) *loadFixture {
	t.Helper()
	start := time.Now()
	dir := t.TempDir()
	town := demo.Generate(demo.Options{})
	cfg := town.Config(&demo.Sites{})
	cfg.Sources = nil
	st, err := store.Open(filepath.Join(dir, "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var demoJSONL bytes.Buffer
	if err := town.WriteJSONL(&demoJSONL); err != nil {
		t.Fatal(err)
	}
	ingest(t, st, "demo documents", &demoJSONL)
	cf, err := os.Open(corpus)
	if err != nil {
		t.Fatal(err)
	}
	defer cf.Close()
	ingest(t, st, corpus, cf)
	ix, err := indexer.OpenOrCreate(filepath.Join(dir, "index"), cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	res, err := ix.Sync(t.Context(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := &loadFixture{st: st, ix: ix, cfg: cfg, docs: int(res.Docs)}
	f.queries = append(readQuestions(t, questions), itemTitles(town)...)
	t.Logf("fixture: %d documents indexed (demo %d + eval corpus), %d queries, built in %v",
		f.docs, len(town.Items), len(f.queries), time.Since(start).Round(time.Millisecond))
	return f
}

func ingest(t *testing.T, st *store.Store, name string, r io.Reader) {
	t.Helper()
	stats, err := st.Ingest(t.Context(), r, 500, func(e *store.LineError) { t.Errorf("%s: %v", name, e) })
	if err != nil {
		t.Fatalf("ingest %s: %v", name, err)
	}
	if stats.New == 0 {
		t.Fatalf("ingest %s: nothing stored", name)
	}
}

// readQuestions returns the question column of the eval queries (id, question, answer id).
func readQuestions(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if cols := strings.Split(sc.Text(), "\t"); len(cols) >= 2 && strings.TrimSpace(cols[1]) != "" {
			qs = append(qs, strings.TrimSpace(cols[1]))
		}
	}
	if err := sc.Err(); err != nil || len(qs) == 0 {
		t.Fatalf("read %s: %d questions, %v", path, len(qs), err)
	}
	return qs
}

// itemTitles are the demo titles, whole and cut to their first four
// characters (the way people type into a search box).
func itemTitles(town *demo.Township) []string {
	var qs []string
	for _, it := range town.Items {
		r := []rune(it.Title)
		qs = append(qs, it.Title, string(r[:min(4, len(r))]))
	}
	return qs
}

// serve starts a loopback server over f with the given per-client search limit.
func (f *loadFixture) serve(t *testing.T, rate float64, burst int) *httptest.Server {
	t.Helper()
	cfg := *f.cfg
	cfg.Server.SearchRate, cfg.Server.SearchBurst = rate, burst
	h, err := web.New(web.Options{Store: f.st, Index: f.ix, Config: &cfg, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() }) // after the listener, before the store: the queued searches are written
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// fiftyClients runs the 50 concurrent clients. The web layer keys its rate
// limit on the remote IP only (X-Forwarded-For is not trusted), so every
// client gets its own loopback address; even so, a client that asks again as
// soon as it is answered exceeds the default 10 requests per second, which is
// what the limit is for. This phase measures the engine, so it raises
// Server.SearchRate and SearchBurst; the flood phase keeps the default.
func fiftyClients(t *testing.T, f *loadFixture) {
	srv := f.serve(t, 1e6, 1e6)
	deadline := time.Now().Add(loadDuration)
	var sent atomic.Int64
	lat := make([][]time.Duration, loadClients)
	errs := make([][]string, loadClients)
	var wg sync.WaitGroup
	for c := range loadClients {
		client := clientFrom(t, fmt.Sprintf("127.0.0.%d", 10+c), 1)
		wg.Go(func() {
			for i := c; time.Now().Before(deadline) && sent.Add(1) <= loadRequests; i += loadClients {
				d, code, err := search(t.Context(), client, srv.URL, f.queries[i%len(f.queries)])
				if err != nil || code != http.StatusOK {
					errs[c] = append(errs[c], fmt.Sprintf("status %d: %v", code, err))
					continue
				}
				lat[c] = append(lat[c], d)
			}
		})
	}
	wg.Wait()
	all, failures := slices.Concat(lat...), slices.Concat(errs...)
	p50, p99 := percentiles(all)
	t.Logf("%d clients, %d requests in %v: %d errors, p50 %v, p99 %v (%d documents)",
		loadClients, len(all)+len(failures), loadDuration, len(failures), p50, p99, f.docs)
	if len(failures) > 0 {
		t.Errorf("%d of %d requests failed, first: %v", len(failures), len(all)+len(failures), firstN(failures, errorsToReport))
	}
	if len(all) < loadClients {
		t.Errorf("only %d answered requests", len(all))
	}
}

// flood measures a polite client's latency alone, then while another client
// floods the server, once with the default per-client limit and once with
// the limit lifted, for comparison.
//
// The bound, p99 ≤ 5× the polite client's own no-flood p99 + 250 ms, is for
// two shared cores: the limiter keeps the flood's searches to 10 a second,
// but refusing thousands of requests a second still costs the server CPU,
// and the 16 flooding goroutines run on the same two cores as the server
// (measured here: +50 to +200 ms at p99). Without the limit the polite
// client waits behind the flooded searches, and its median must be worse
// than with it: that is what proves the limit, not the bound alone (the
// tail is CPU contention either way, so the medians are compared).
func flood(t *testing.T, f *loadFixture) {
	limited := f.serve(t, 0, 0) // 0: the defaults, 10 per second, burst 20
	unlimited := f.serve(t, 1e6, 1e6)
	polite := clientFrom(t, "127.0.0.2", 1)
	baseline := ask(t, polite, limited.URL, f.queries, baselineFor)
	if len(baseline.errs) > 0 {
		t.Fatalf("polite client without flood: %v", firstN(baseline.errs, errorsToReport))
	}
	b50, b99 := percentiles(baseline.lat)
	t.Logf("polite client alone, one query per %v: p50 %v p99 %v (%d requests)", politeEvery, b50, b99, len(baseline.lat))

	with := floodWhile(t, f, limited.URL, polite)
	without := floodWhile(t, f, unlimited.URL, polite)
	for _, r := range []struct {
		name string
		res  floodResult
	}{{"default limit", with}, {"no limit", without}} {
		p50, p99 := percentiles(r.res.polite.lat)
		t.Logf("flood, %s, %v from %d goroutines: %d answered, %d refused with 429, %d other failures; polite client p50 %v p99 %v (%d requests, %d failed)",
			r.name, floodFor, floodWorkers, r.res.ok, r.res.refused, r.res.other, p50, p99, len(r.res.polite.lat), len(r.res.polite.errs))
	}

	if with.refused == 0 {
		t.Error("the flooding client was never refused with 429")
	}
	if limit := 20 + int64(10*floodFor.Seconds()*1.5); with.ok > limit {
		t.Errorf("the flooding client got %d answers, more than burst 20 + 10 per second allows (%d)", with.ok, limit)
	}
	if with.other > 0 {
		t.Errorf("%d flood requests failed with something else than 429", with.other)
	}
	if len(with.polite.errs) > 0 {
		t.Errorf("polite client during the flood: %d failures, first %v", len(with.polite.errs), firstN(with.polite.errs, errorsToReport))
	}
	_, p99 := percentiles(with.polite.lat)
	if bound := 5*b99 + 250*time.Millisecond; p99 > bound {
		t.Errorf("polite client's p99 during the flood %v exceeds 5× its baseline p99 %v + 250 ms", p99, b99)
	}
	p50, _ := percentiles(with.polite.lat)
	if free50, _ := percentiles(without.polite.lat); p50 >= free50 {
		t.Errorf("polite client's p50 with the limit (%v) is no better than without it (%v): the limit protects nothing", p50, free50)
	}
}

// floodResult is what one flood did and what the polite client saw meanwhile.
type floodResult struct {
	ok, refused, other int64
	polite             politeRun
}

// floodWhile floods base from floodWorkers goroutines of one client
// (127.0.0.1) for floodFor while polite asks once every politeEvery.
func floodWhile(t *testing.T, f *loadFixture, base string, polite *http.Client) floodResult {
	ctx, stop := context.WithCancel(t.Context())
	flooder := clientFrom(t, "127.0.0.1", floodWorkers)
	var ok, refused, other atomic.Int64
	var wg sync.WaitGroup
	for w := range floodWorkers {
		wg.Go(func() {
			for i := w; ctx.Err() == nil; i += floodWorkers {
				_, code, err := search(ctx, flooder, base, f.queries[i%len(f.queries)])
				switch {
				case err != nil && ctx.Err() != nil:
				case code == http.StatusOK:
					ok.Add(1)
				case code == http.StatusTooManyRequests:
					refused.Add(1)
				default:
					other.Add(1)
				}
			}
		})
	}
	p := ask(t, polite, base, f.queries, floodFor)
	stop()
	wg.Wait()
	return floodResult{ok: ok.Load(), refused: refused.Load(), other: other.Load(), polite: p}
}

// politeRun is what a polite client saw.
type politeRun struct {
	lat  []time.Duration
	errs []string
}

// ask issues one query every politeEvery for d.
func ask(t *testing.T, c *http.Client, base string, queries []string, d time.Duration) politeRun {
	var r politeRun
	tick := time.NewTicker(politeEvery)
	defer tick.Stop()
	end := time.Now().Add(d)
	for i := 0; time.Now().Before(end); i++ {
		lat, code, err := search(t.Context(), c, base, queries[(i*7)%len(queries)])
		if err != nil || code != http.StatusOK {
			r.errs = append(r.errs, fmt.Sprintf("status %d: %v", code, err))
		} else {
			r.lat = append(r.lat, lat)
		}
		<-tick.C
	}
	return r
}

// search asks /api/search for q and checks that a 200 answer is the API's JSON.
func search(ctx context.Context, c *http.Client, base, q string) (time.Duration, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/search?q="+url.QueryEscape(q), nil)
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	d := time.Since(start)
	if err != nil || resp.StatusCode != http.StatusOK {
		return d, resp.StatusCode, err
	}
	var res struct {
		Total *uint64           `json:"total"`
		Hits  []json.RawMessage `json:"hits"`
	}
	if err := json.Unmarshal(body, &res); err != nil || res.Total == nil || res.Hits == nil {
		return d, resp.StatusCode, fmt.Errorf("query %q: not a search answer (%v): %.200s", q, err, body)
	}
	return d, resp.StatusCode, nil
}

// clientFrom is an HTTP client whose connections come from the loopback
// address ip, keeping up to conns idle connections.
func clientFrom(t *testing.T, ip string, conns int) *http.Client {
	t.Helper()
	local := &net.TCPAddr{IP: net.ParseIP(ip)}
	if l, err := net.ListenTCP("tcp", &net.TCPAddr{IP: local.IP}); err != nil {
		t.Skipf("cannot use loopback address %s as a client identity (%v): needs Linux's 127.0.0.0/8 loopback", ip, err)
	} else {
		l.Close()
	}
	dialer := &net.Dialer{LocalAddr: local, Timeout: 5 * time.Second}
	tr := &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// percentiles returns the median and the 99th percentile of lat.
func percentiles(lat []time.Duration) (p50, p99 time.Duration) {
	if len(lat) == 0 {
		return 0, 0
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Microsecond), s[min(len(s)-1, len(s)*99/100)].Round(time.Microsecond)
}
