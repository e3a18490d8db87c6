package web

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/gongkai-project/gongkai/config"
)

// trustedProxies are the reverse proxies whose forwarding headers are
// believed (Config.Server.TrustedProxies).
type trustedProxies []netip.Prefix

func parseProxies(cidrs []string) (trustedProxies, error) {
	var tp trustedProxies
	for _, c := range cidrs {
		p, err := config.ParseCIDR(c)
		if err != nil {
			return nil, fmt.Errorf("server.trusted_proxies: %w", err)
		}
		tp = append(tp, p)
	}
	return tp, nil
}

func (tp trustedProxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range tp {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientIP is the address the request came from. When the peer is a
// trusted proxy, it is the rightmost address of X-Forwarded-For that is not
// itself a trusted proxy (or X-Real-IP when there is no X-Forwarded-For);
// from any other peer those headers are ignored, since anyone can send them.
func (s *Server) clientIP(r *http.Request) string {
	peer := peerAddr(r)
	if !peer.IsValid() {
		return r.RemoteAddr
	}
	if !s.proxies.trusts(peer) {
		return peer.String()
	}
	hops := forwardedFor(r.Header)
	if len(hops) == 0 {
		if real, err := netip.ParseAddr(strings.TrimSpace(r.Header.Get("X-Real-IP"))); err == nil {
			return real.Unmap().String()
		}
		return peer.String()
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			break // a malformed hop: nothing left of it can be believed
		}
		client = a
		if !s.proxies.trusts(client) {
			break
		}
	}
	return client.String()
}

// parseHop reads one X-Forwarded-For address, with or without a port.
func parseHop(hop string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(hop); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(hop); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// peerAddr is the address of the TCP peer.
func peerAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

// forwardedFor lists the addresses of every X-Forwarded-For header, left
// to right, as the proxies appended them.
func forwardedFor(h http.Header) []string {
	var hops []string
	for _, line := range h.Values("X-Forwarded-For") {
		for hop := range strings.SplitSeq(line, ",") {
			if hop = strings.TrimSpace(hop); hop != "" {
				hops = append(hops, hop)
			}
		}
	}
	return hops
}
