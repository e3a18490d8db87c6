package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"testing"
)

func TestNonPublic(t *testing.T) {
	for _, tc := range []struct{ ip, want string }{
		{"127.0.0.1", "loopback"},
		{"127.8.9.10", "loopback"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"},
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"172.31.255.255", "private"},
		{"192.168.1.1", "private"},
		{"::ffff:192.168.1.1", "private"},
		{"fc00::1", "private"},
		{"fd12:3456::1", "private"},
		{"169.254.169.254", "link-local"},
		{"::ffff:169.254.169.254", "link-local"},
		{"64:ff9b::a9fe:a9fe", "link-local"}, // NAT64 form of 169.254.169.254
		{"fe80::1", "link-local"},
		{"0.0.0.0", "unspecified"},
		{"0.1.2.3", "unspecified"},
		{"::", "unspecified"},
		{"224.0.0.1", "multicast"},
		{"239.255.255.250", "multicast"},
		{"ff02::1", "multicast"},
		{"100.64.0.1", "shared (CGNAT)"},
		{"100.127.255.254", "shared (CGNAT)"},
		{"255.255.255.255", "reserved"},
		{"::ffff:100.64.0.1", "shared (CGNAT)"},
		// public
		{"8.8.8.8", ""},
		{"172.32.0.1", ""},
		{"100.128.0.1", ""},
		{"169.255.0.1", ""},
		{"202.96.128.86", ""},
		{"::ffff:202.96.128.86", ""},
		{"2400:3200::1", ""},
	} {
		if got := NonPublic(netip.MustParseAddr(tc.ip)); got != tc.want {
			t.Errorf("NonPublic(%s) = %q, want %q", tc.ip, got, tc.want)
		}
	}
}

func TestAllowPermits(t *testing.T) {
	nets, err := ParseNets([]string{"10.20.0.0/16", "192.168.1.7", "fd00::/8"})
	if err != nil {
		t.Fatal(err)
	}
	a := Allow{Nets: nets}
	for ip, want := range map[string]bool{
		"10.20.3.4": true, "::ffff:10.20.3.4": true, "10.21.0.1": false,
		"192.168.1.7": true, "192.168.1.8": false, "fd01::1": true, "fc00::1": false,
		"127.0.0.1": false, "169.254.169.254": false, "8.8.8.8": true,
	} {
		if got := a.permits(netip.MustParseAddr(ip)); got != want {
			t.Errorf("%v permits %s = %v, want %v", nets, ip, got, want)
		}
	}
	if !(Allow{Private: true}).permits(netip.MustParseAddr("169.254.169.254")) {
		t.Error("allow_private should permit every address")
	}
	if _, err := ParseNets([]string{"10.0.0.0/33"}); err == nil {
		t.Error("10.0.0.0/33 parsed")
	}
	if _, err := ParseNets([]string{"intranet"}); err == nil {
		t.Error("a host name parsed as a network")
	}
}

// loopbackSite serves one page and counts its requests.
func loopbackSite(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	n := new(atomic.Int32)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s, n
}

func ok(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("<html><body>ok</body></html>")) }

func TestGuardRefusesLoopback(t *testing.T) {
	s, hits := loopbackSite(t, ok)
	opts := Options{Rate: -1, Retries: -1}
	ctx := context.Background()
	port := s.Listener.Addr().(*net.TCPAddr).Port
	// By address, and by a name that resolves to it: the check is on the address connected to.
	for _, u := range []string{s.URL + "/a.html", fmt.Sprintf("http://localhost:%d/a.html", port)} {
		_, err := New(opts).Get(ctx, u, Conditional{})
		var ne *NonPublicError
		if KindOf(err) != KindNonPublic || !errors.As(err, &ne) || ne.Reason != "loopback" {
			t.Errorf("%s: want the guard's refusal, got %v", u, err)
		}
		if Reason(err) != "non_public_address" {
			t.Errorf("%s: reason %q", u, Reason(err))
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the refused server got %d requests", n)
	}

	// Allowed by the fetcher's options, or by the source's networks in the context.
	if _, err := New(Options{Rate: -1, Allow: Allow{Private: true}}).Get(ctx, s.URL+"/a.html", Conditional{}); err != nil {
		t.Errorf("allowed by Options.Allow: %v", err)
	}
	f := New(opts)
	allowed := WithAllow(ctx, Allow{Nets: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	if _, err := f.Get(allowed, s.URL+"/a.html", Conditional{}); err != nil {
		t.Errorf("allowed by the context: %v", err)
	}
	// The same fetcher still refuses it for a context without the allowance:
	// allowances do not share connections.
	if _, err := f.Get(ctx, s.URL+"/b.html", Conditional{}); KindOf(err) != KindNonPublic {
		t.Errorf("after an allowed fetch, a fetch without the allowance: %v", err)
	}
}

// A redirect from an allowed loopback address to another one that is not
// allowed is refused at the connection to the second.
func TestGuardRefusesRedirect(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	var innerHits atomic.Int32
	inner := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { innerHits.Add(1); ok(w, r) }))
	inner.Listener.Close()
	inner.Listener = l
	inner.Start()
	t.Cleanup(inner.Close)

	outer, _ := loopbackSite(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, inner.URL+"/secret", http.StatusFound)
	})
	ctx := WithAllow(context.Background(), Allow{Nets: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	_, err = New(Options{Rate: -1, Retries: -1}).Get(ctx, outer.URL+"/a.html", Conditional{})
	var ne *NonPublicError
	if !errors.As(err, &ne) || ne.Addr != netip.MustParseAddr("127.0.0.2") {
		t.Fatalf("redirect to 127.0.0.2: want the guard's refusal, got %v", err)
	}
	if n := innerHits.Load(); n != 0 {
		t.Errorf("the redirect target got %d requests", n)
	}
	// Allowing the whole loopback network follows the redirect.
	ctx = WithAllow(context.Background(), Allow{Nets: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	r, err := New(Options{Rate: -1, Retries: -1}).Get(ctx, outer.URL+"/a.html", Conditional{})
	if err != nil || r.FinalURL != inner.URL+"/secret" {
		t.Fatalf("redirect within 127.0.0.0/8: %v", err)
	}
}
