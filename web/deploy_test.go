package web

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/config"
)

// TestTrustedProxies: over a real listener, X-Forwarded-For names the
// client only when the peer is a trusted proxy, and then the rightmost
// address that is not itself a proxy counts, so a client cannot pick its
// own rate-limit bucket by sending the header.
func TestTrustedProxies(t *testing.T) {
	oneSearch := func(c *config.Config) { c.Server.SearchRate, c.Server.SearchBurst = 0.001, 1 }
	search := func(t *testing.T, base string, xff ...string) int {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, base+"/api/search?q=x", nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range xff {
			req.Header.Add("X-Forwarded-For", v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	t.Run("trusted", func(t *testing.T) {
		f := newFixture(t, func(c *config.Config) {
			oneSearch(c)
			c.Server.TrustedProxies = []string{"127.0.0.1/8", "10.0.0.0/8"}
		})
		ts := httptest.NewServer(f.s)
		defer ts.Close()
		steps := []struct {
			xff  []string
			want int
		}{
			{[]string{"203.0.113.1"}, 200},
			{[]string{"203.0.113.1"}, 429},               // same client, bucket empty
			{[]string{"203.0.113.2"}, 200},               // another client behind the proxy
			{[]string{"203.0.113.3, 10.1.2.3"}, 200},     // through a second, trusted proxy
			{[]string{"203.0.113.3"}, 429},               // the same client
			{[]string{"198.51.100.9, 203.0.113.1"}, 429}, // a forged left part changes nothing
			{[]string{"198.51.100.9", "203.0.113.2"}, 429},
			{[]string{"203.0.113.4:4711"}, 200}, // a hop with a port
		}
		for i, st := range steps {
			if got := search(t, ts.URL, st.xff...); got != st.want {
				t.Errorf("step %d, X-Forwarded-For %q: %d, want %d", i, st.xff, got, st.want)
			}
		}
	})
	t.Run("untrusted", func(t *testing.T) {
		f := newFixture(t, oneSearch) // no trusted proxies: the header is ignored
		ts := httptest.NewServer(f.s)
		defer ts.Close()
		if got := search(t, ts.URL, "203.0.113.1"); got != 200 {
			t.Fatalf("first search: %d", got)
		}
		if got := search(t, ts.URL, "203.0.113.2"); got != 429 {
			t.Errorf("a forged X-Forwarded-For from an untrusted peer got its own bucket: %d, want 429", got)
		}
	})
}

func TestClientIP(t *testing.T) {
	f := newFixture(t, func(c *config.Config) { c.Server.TrustedProxies = []string{"10.0.0.1", "fd00::/8"} })
	cases := []struct {
		peer, xff, real, want string
	}{
		{"192.0.2.1:1", "203.0.113.1", "", "192.0.2.1"}, // untrusted peer
		{"10.0.0.1:1", "203.0.113.1", "", "203.0.113.1"},
		{"10.0.0.1:1", "", "203.0.113.7", "203.0.113.7"}, // X-Real-IP without X-Forwarded-For
		{"10.0.0.1:1", "", "", "10.0.0.1"},
		{"10.0.0.1:1", "garbage, 203.0.113.1", "", "203.0.113.1"},
		{"10.0.0.1:1", "203.0.113.1, garbage", "", "10.0.0.1"}, // nothing left of a bad hop is believed
		{"[fd00::1]:1", "2001:db8::5, fd00::2", "", "2001:db8::5"},
		{"[::ffff:10.0.0.1]:1", "203.0.113.1", "", "203.0.113.1"},
		{"10.0.0.2:1", "203.0.113.1", "", "10.0.0.2"}, // not in the list
	}
	for _, c := range cases {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if c.real != "" {
			r.Header.Set("X-Real-IP", c.real)
		}
		if got := f.s.clientIP(r); got != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q, X-Real-IP %q: client %s, want %s", c.peer, c.xff, c.real, got, c.want)
		}
	}
}

// TestSecureCookiesAndHSTS: cookies are Secure and responses carry HSTS over
// TLS or when the configuration says a proxy terminates TLS, and not otherwise.
func TestSecureCookiesAndHSTS(t *testing.T) {
	check := func(t *testing.T, ts *httptest.Server, secure bool) {
		t.Helper()
		resp, err := ts.Client().Get(ts.URL + "/staff/login")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		hsts := resp.Header.Get("Strict-Transport-Security")
		if secure != strings.Contains(hsts, "max-age=31536000") {
			t.Errorf("HSTS %q, want it %v", hsts, secure)
		}
		c := cookieOf(resp, csrfCookie)
		if c == nil || c.Secure != secure {
			t.Errorf("cookie %+v, want Secure %v", c, secure)
		}
	}
	t.Run("plain", func(t *testing.T) {
		ts := httptest.NewServer(newFixture(t, nil).s)
		defer ts.Close()
		check(t, ts, false)
	})
	t.Run("tls", func(t *testing.T) {
		ts := httptest.NewTLSServer(newFixture(t, nil).s)
		defer ts.Close()
		check(t, ts, true)
	})
	t.Run("behind_tls", func(t *testing.T) {
		ts := httptest.NewServer(newFixture(t, func(c *config.Config) { c.Server.BehindTLS = true }).s)
		defer ts.Close()
		check(t, ts, true)
	})
	t.Run("session cookie", func(t *testing.T) {
		f := newFixture(t, func(c *config.Config) { c.Server.BehindTLS = true })
		resp := f.get("/staff/login")
		page := wantStatus(t, resp, http.StatusOK)
		resp = f.postForm("/staff/login", map[string][]string{"csrf": {csrfOf(t, page)}, "user": {testUser},
			"password": {testPassword}}, cookieOf(resp, csrfCookie))
		if c := cookieOf(resp, sessionCookie); c == nil || !c.Secure {
			t.Errorf("session cookie behind TLS: %+v, want Secure", c)
		}
	})
}

// TestServeTLS: with tls_cert and tls_key, Serve speaks HTTPS with HSTS.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	cert, key := writeTestCert(t, dir)
	f := newFixture(t, func(c *config.Config) { c.Server.TLSCert, c.Server.TLSKey = cert, key })
	addr := serveFixture(t, f)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := client.Get("https://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.TLS == nil || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("HTTPS answer: TLS %v, HSTS %q", resp.TLS != nil, resp.Header.Get("Strict-Transport-Security"))
	}
}

// serveFixture serves f on a loopback port until the test ends, then checks
// that Serve stopped cleanly, and returns the port's address.
func serveFixture(t *testing.T, f *fixture) string {
	t.Helper()
	ln, err := f.s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// writeTestCert writes a self-signed certificate for 127.0.0.1 and its key.
func writeTestCert(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestMetricsAccess: /metrics is not public. Without a token only a local,
// unproxied scraper gets it; with server.metrics_token only the bearer of
// the token; with server.metrics_addr it is served there and not on the
// site.
func TestMetricsAccess(t *testing.T) {
	f := newFixture(t, nil)
	wantStatus(t, f.get("/metrics"), http.StatusUnauthorized) // a visitor
	f.peer = "127.0.0.1:5555"
	wantStatus(t, f.get("/metrics"), http.StatusOK)
	resp := f.do(http.MethodGet, "/metrics", nil, map[string]string{"X-Forwarded-For": "203.0.113.1"})
	wantStatus(t, resp, http.StatusUnauthorized) // a visitor through a local proxy

	const token = "s3cret-metrics-token-0123"
	f = newFixture(t, func(c *config.Config) { c.Server.MetricsToken = token })
	for _, auth := range []string{"", "Bearer wrong-token-0123456789", "Basic " + token, token} {
		resp := f.do(http.MethodGet, "/metrics", nil, map[string]string{"Authorization": auth})
		wantStatus(t, resp, http.StatusUnauthorized)
	}
	f.peer = "127.0.0.1:5555" // the token is required from loopback as well
	wantStatus(t, f.get("/metrics"), http.StatusUnauthorized)
	resp = f.do(http.MethodGet, "/metrics", nil, map[string]string{"Authorization": "Bearer " + token})
	if body := wantStatus(t, resp, http.StatusOK); !strings.Contains(body, "gongkai_documents") {
		t.Error("metrics with the token lack gongkai_documents")
	}

	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := probe.Addr().String()
	probe.Close()
	f = newFixture(t, func(c *config.Config) { c.Server.MetricsAddr = metricsAddr })
	f.peer = "127.0.0.1:5555"
	wantStatus(t, f.get("/metrics"), http.StatusNotFound) // not on the site at all
	serveFixture(t, f)
	var got *http.Response
	for range 100 { // the metrics listener opens just after Serve starts
		if got, err = http.Get("http://" + metricsAddr + "/metrics"); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	if body := wantStatus(t, got, http.StatusOK); !strings.Contains(body, "gongkai_documents") {
		t.Error("the metrics listener lacks gongkai_documents")
	}
	resp2, err := http.Get("http://" + metricsAddr + "/staff")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, resp2, http.StatusNotFound) // only /metrics there
}

// TestPublicLinksBehindTLS: without server.public_url, the absolute links
// of the sitemap, robots.txt and feeds are https when a proxy serves HTTPS
// (server.behind_tls), not the plain http gongkai itself speaks.
func TestPublicLinksBehindTLS(t *testing.T) {
	f := newFixture(t, func(c *config.Config) { c.Server.BehindTLS = true })
	for _, path := range []string{"/sitemap.xml", "/robots.txt"} {
		body := wantStatus(t, f.get(path), http.StatusOK)
		if strings.Contains(body, "http://example.com") || !strings.Contains(body, "https://example.com/") {
			t.Errorf("%s behind TLS links over plain http:\n%.400s", path, body)
		}
	}
}
