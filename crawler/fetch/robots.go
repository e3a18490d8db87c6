package fetch

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// How long a host's robots.txt answer is trusted.
const (
	robotsTTL     = 12 * time.Hour   // a readable or missing robots.txt
	robotsFailTTL = 5 * time.Minute  // 5xx (disallow for now) or unreachable
	maxCrawlDelay = 30 * time.Second // longer Crawl-delay values are capped
)

// robotsCache keeps one robots.txt per scheme and host.
type robotsCache struct {
	mu sync.Mutex
	m  map[string]*robotsEntry
}

type robotsEntry struct {
	mu      sync.Mutex // held while the file is fetched, so each host is asked once
	data    *robotstxt.RobotsData
	err     error // the host could not be reached
	expires time.Time
}

func (c *robotsCache) entry(key string) *robotsEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok {
		e = &robotsEntry{}
		c.m[key] = e
	}
	return e
}

// allowed reports a KindRobots error when the host's robots.txt disallows u
// for gongkai, loading and caching the file first.
func (f *Fetcher) allowed(ctx context.Context, u *url.URL) error {
	e := f.robots.entry(u.Scheme + "://" + u.Host)
	e.mu.Lock()
	defer e.mu.Unlock()
	if time.Now().After(e.expires) {
		if err := f.loadRobots(ctx, u, e); err != nil {
			return err
		}
	}
	if e.err != nil {
		return e.err
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if !e.data.TestAgent(path, agentToken) {
		return &Error{Kind: KindRobots, Method: http.MethodGet, URL: u.String()}
	}
	return nil
}

// loadRobots fetches robots.txt into e: 2xx is parsed, 4xx allows all,
// 429 and 5xx disallow all for a few minutes, firewall challenges and
// transport errors are kept for a few minutes. Only cancellation of ctx is returned.
func (f *Fetcher) loadRobots(ctx context.Context, u *url.URL, e *robotsEntry) error {
	robotsURL := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}).String()
	resp, err := f.do(ctx, request{method: http.MethodGet, url: robotsURL, skipRobots: true})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	e.data, e.err, e.expires = nil, nil, time.Now().Add(robotsTTL)
	status := StatusOf(err)
	switch {
	case err == nil:
		e.data = f.parseRobots(robotsURL, resp.Body)
	case KindOf(err) == KindWAF: // every page would meet the same challenge
		e.err = err
		e.expires = time.Now().Add(robotsFailTTL)
		return nil
	case status == http.StatusTooManyRequests || status >= 500:
		e.data, _ = robotstxt.FromStatusAndBytes(http.StatusServiceUnavailable, nil)
		e.expires = time.Now().Add(robotsFailTTL)
	case status >= 400:
		e.data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
	default:
		e.err = err
		e.expires = time.Now().Add(robotsFailTTL)
		return nil
	}
	if g := e.data.FindGroup(agentToken); g.CrawlDelay > 0 {
		f.hosts.get(u.Host).slowTo(min(g.CrawlDelay, maxCrawlDelay))
	}
	return nil
}

// parseRobots parses a robots.txt body; an unparsable file allows all.
func (f *Fetcher) parseRobots(robotsURL string, body []byte) *robotstxt.RobotsData {
	data, err := robotstxt.FromBytes(body)
	if err != nil {
		f.opt.Logger.Warn("unparsable robots.txt, treated as allow all", "url", robotsURL, "error", err)
		data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
	}
	return data
}
