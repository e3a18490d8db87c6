package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Allow names the addresses beyond the public internet that a fetch may
// connect to. The zero value allows public addresses only.
type Allow struct {
	Private bool           // every address: loopback, private, link-local, ...
	Nets    []netip.Prefix // these networks (CIDRs; a single address is a /32 or /128)
}

// permits reports whether a connection to ip is allowed.
func (a Allow) permits(ip netip.Addr) bool {
	if a.Private || NonPublic(ip) == "" {
		return true
	}
	ip = ip.Unmap()
	for _, n := range a.Nets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// union is what either a or b allows.
func (a Allow) union(b Allow) Allow {
	nets := slices.Concat(a.Nets, b.Nets)
	slices.SortFunc(nets, func(x, y netip.Prefix) int { return strings.Compare(x.String(), y.String()) })
	return Allow{Private: a.Private || b.Private, Nets: slices.Compact(nets)}
}

// key names the allowance; equal allowances share a connection pool.
func (a Allow) key() string {
	var b strings.Builder
	if a.Private {
		b.WriteString("private")
	}
	for _, n := range a.Nets {
		b.WriteString(" " + n.String())
	}
	return b.String()
}

type allowKey struct{}

// WithAllow returns a context whose fetches may also reach what a allows,
// beyond the Fetcher's Options.Allow. The crawler sets it per source.
func WithAllow(ctx context.Context, a Allow) context.Context {
	return context.WithValue(ctx, allowKey{}, a)
}

// ParseNets parses CIDRs ("10.1.0.0/16", "fd00::/8") and single addresses.
func ParseNets(ss []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range ss {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%q is neither a CIDR nor an IP address", s)
		}
		ip = ip.Unmap()
		out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
	}
	return out, nil
}

// Networks that are not the public internet, beyond what netip.Addr's
// predicates name.
var (
	cgnat       = netip.MustParsePrefix("100.64.0.0/10") // carrier-grade NAT (RFC 6598)
	thisNetwork = netip.MustParsePrefix("0.0.0.0/8")
	reserved    = netip.MustParsePrefix("240.0.0.0/4") // including 255.255.255.255
	nat64       = netip.MustParsePrefix("64:ff9b::/96")
)

// NonPublic names why ip is not a public address ("loopback", "private",
// "link-local", ...), or returns "" for a public one. IPv4 addresses in
// IPv6 form (::ffff:a.b.c.d, and NAT64's 64:ff9b::a.b.c.d) are judged by
// the IPv4 address they carry.
func NonPublic(ip netip.Addr) string {
	ip = ip.Unmap()
	if nat64.Contains(ip) {
		a := ip.As16()
		ip = netip.AddrFrom4([4]byte(a[12:]))
	}
	switch {
	case !ip.IsValid():
		return "invalid"
	case ip.IsUnspecified(), thisNetwork.Contains(ip):
		return "unspecified"
	case ip.IsLoopback():
		return "loopback"
	case ip.IsPrivate():
		return "private"
	case ip.IsLinkLocalUnicast():
		return "link-local"
	case ip.IsMulticast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast():
		return "multicast"
	case cgnat.Contains(ip):
		return "shared (CGNAT)"
	case reserved.Contains(ip):
		return "reserved"
	}
	return ""
}

// NonPublicError is a connection refused by the address guard.
type NonPublicError struct {
	Addr   netip.Addr
	Reason string // what NonPublic said
}

func (e *NonPublicError) Error() string {
	return fmt.Sprintf("connection to %s refused: %s address (allow_private or allow_networks on the source allows it)", e.Addr, e.Reason)
}

// check returns a *NonPublicError when a does not allow ip.
func (a Allow) check(ip netip.Addr) error {
	if a.permits(ip) {
		return nil
	}
	return &NonPublicError{Addr: ip.Unmap(), Reason: NonPublic(ip)}
}

// guardedTransport returns a transport whose every connection is checked
// against a after name resolution, so a redirect, a page's base URL or a
// DNS answer that changes between checks cannot reach an address a does not
// allow. Through an HTTP proxy, the target's addresses are resolved and
// checked before the request goes to the proxy (which resolves them again:
// a name answering differently the second time is not caught there).
func guardedTransport(o Options, a Allow) *http.Transport {
	var proxies sync.Map // host:port of proxies in use: connections to them are not checked
	dialer := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: o.ConnectTimeout * 3,
		Control: func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("address guard: %w", err)
			}
			return a.check(ap.Addr())
		}}
	plain := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: o.ConnectTimeout * 3}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		if _, ok := proxies.Load(addr); ok {
			return plain.DialContext(ctx, network, addr)
		}
		return dialer.DialContext(ctx, network, addr)
	}
	proxy := func(req *http.Request) (*url.URL, error) {
		pu, err := http.ProxyFromEnvironment(req)
		if pu == nil || err != nil {
			return pu, err
		}
		proxies.Store(canonicalAddr(pu), true)
		return pu, checkHost(req.Context(), a, req.URL.Hostname())
	}
	if o.DialContext != nil { // the caller's dialer decides where connections go
		dial, proxy = o.DialContext, http.ProxyFromEnvironment
	}
	return &http.Transport{
		Proxy:                 proxy,
		DialContext:           dial,
		TLSHandshakeTimeout:   o.ConnectTimeout,
		ResponseHeaderTimeout: o.Timeout,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
	}
}

// checkHost resolves host and checks each of its addresses.
func checkHost(ctx context.Context, a Allow, host string) error {
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return err
	}
	for _, ip := range ips {
		if err := a.check(ip); err != nil {
			return err
		}
	}
	return nil
}

// canonicalAddr is a proxy URL's host:port, with the scheme's port when it names none.
func canonicalAddr(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443", "socks5": "1080"}[u.Scheme]
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// isNonPublic reports whether err is a refusal of the address guard.
func isNonPublic(err error) bool {
	var be *NonPublicError
	return errors.As(err, &be)
}
