package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Sites are the township's two running sites and the city portal above it.
type Sites struct {
	PortalURL string // http://127.0.0.1:port of the portal, without a trailing slash
	WeChatURL string // http://127.0.0.1:port of the WeChat archive
	FeedURL   string // the archive's RSS feed
	CityURL   string // http://127.0.0.1:port of the city portal
	// Neighbours are the portals of the other townships, in Township.Neighbours order.
	Neighbours []string

	mu     sync.Mutex
	counts map[string]map[string]int // host -> path -> requests
}

// Requests returns how many requests a path received, conditional ones
// included. A bare path ("/robots.txt") counts on both sites; a full URL
// counts on its own site only.
func (s *Sites) Requests(p string) int {
	host := ""
	if u, err := url.Parse(p); err == nil && u.Host != "" {
		host, p = u.Host, u.Path
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for h, m := range s.counts {
		if host == "" || h == host {
			n += m[p]
		}
	}
	return n
}

func (s *Sites) count(host string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.counts[host][r.URL.Path]++
		s.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// Serve starts the portal, the WeChat archive and the city portal on three
// loopback ports and fills the items' URLs (and those of Unavailable and
// Disallowed) for them. The sites stop when ctx ends.
func (t *Township) Serve(ctx context.Context) (*Sites, error) {
	var lc net.ListenConfig
	var ls []net.Listener
	whats := []string{"portal", "WeChat archive", "city portal"}
	for _, nb := range t.Neighbours {
		whats = append(whats, "portal of "+nb.Name)
	}
	for _, what := range whats {
		l, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
		if err != nil {
			for _, l := range ls {
				l.Close()
			}
			return nil, fmt.Errorf("listen for the demo %s: %w", what, err)
		}
		ls = append(ls, l)
	}
	s := &Sites{
		PortalURL: "http://" + ls[0].Addr().String(), WeChatURL: "http://" + ls[1].Addr().String(),
		CityURL: "http://" + ls[2].Addr().String(), counts: map[string]map[string]int{},
	}
	for _, l := range ls {
		s.counts[l.Addr().String()] = map[string]int{}
	}
	s.FeedURL = s.WeChatURL + "/feed.xml"
	three, err := t.handlers(s)
	handlers := three[:]
	for i, nb := range t.Neighbours {
		if err != nil {
			break
		}
		var h http.Handler
		h, err = nb.handler()
		handlers = append(handlers, h)
		base := "http://" + ls[3+i].Addr().String()
		nb.fillURLs(base)
		s.Neighbours = append(s.Neighbours, base)
	}
	if err != nil {
		for _, l := range ls {
			l.Close()
		}
		return nil, err
	}
	t.fillURLs(s)
	for i, l := range ls {
		srv := &http.Server{Handler: s.count(l.Addr().String(), handlers[i]), ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				slog.Error("demo site stopped", "addr", l.Addr().String(), "err", err)
			}
		}()
		context.AfterFunc(ctx, func() {
			sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			srv.Shutdown(sctx)
		})
	}
	return s, nil
}

// handlers renders the sites and returns the portal's, the archive's and
// the city portal's handler.
func (t *Township) handlers(s *Sites) ([3]http.Handler, error) {
	portal, err := t.portalPages()
	if err != nil {
		return [3]http.Handler{}, fmt.Errorf("render the demo portal: %w", err)
	}
	wx, err := t.wechatPages(s.WeChatURL)
	if err != nil {
		return [3]http.Handler{}, fmt.Errorf("render the demo WeChat archive: %w", err)
	}
	city, err := t.cityPages()
	if err != nil {
		return [3]http.Handler{}, fmt.Errorf("render the demo city portal: %w", err)
	}
	ph := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == dataproxyPath {
			t.dataproxy(w, r)
			return
		}
		servePage(w, r, portal[r.URL.Path])
	})
	wh := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			servePage(w, r, wx.feed)
		case "/":
			servePage(w, r, wx.index)
		case "/s":
			servePage(w, r, wx.article(r.URL.Query(), t.biz))
		default:
			servePage(w, r, nil)
		}
	})
	ch := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { servePage(w, r, city[r.URL.Path]) })
	return [3]http.Handler{ph, wh, ch}, nil
}

// article is the page of the post the query names, or nil.
func (s *wechatSite) article(q url.Values, biz string) *page {
	p, ok := s.articles[wxKey(q.Get("mid"), q.Get("idx"))]
	if !ok || q.Get("__biz") != biz || q.Get("sn") != p.sn {
		return nil
	}
	return p.page
}

// servePage answers GET and HEAD with p (404 when nil), with its ETag and
// Last-Modified, and 304 to a matching If-None-Match or If-Modified-Since.
func servePage(w http.ResponseWriter, r *http.Request, p *page) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "不支持的请求方法", http.StatusMethodNotAllowed)
		return
	}
	if p == nil {
		http.Error(w, "404 页面不存在", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", p.ctype)
	w.Header().Set("ETag", p.etag)
	http.ServeContent(w, r, "", p.mod, bytes.NewReader(p.body))
}

// fillURLs makes the items' paths full URLs of the sites.
func (t *Township) fillURLs(s *Sites) {
	for i := range t.Items {
		it := &t.Items[i]
		base := s.PortalURL
		if it.wx != nil {
			base = s.WeChatURL
		}
		it.URL = base + it.Path
		it.setAttachments(s.PortalURL)
	}
	for i := range t.City {
		t.City[i].URL = s.CityURL + t.City[i].Path
	}
	t.setUnavailable(s.WeChatURL)
	t.setDisallowed(s.PortalURL)
}
