package fetch

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// hosts holds the politeness state of every host: its rate limiter and the
// time until which a Retry-After answer asked us to leave it alone.
type hosts struct {
	mu  sync.Mutex
	def rate.Limit
	m   map[string]*host
}

type host struct {
	lim       *rate.Limiter
	mu        sync.Mutex
	pause     time.Time
	wafStatus int       // status of the last firewall challenge
	wafRun    int       // challenges in a row
	wafUntil  time.Time // no requests until then: more would only meet the challenge again
}

// A host that answers wafLimit firewall challenges in a row is left alone
// for wafPause; a single challenged path does not stop a crawl.
const (
	wafLimit = 3
	wafPause = 10 * time.Minute
)

// answered records the outcome of a request: a firewall challenge
// (status 412/521) or not (0).
func (h *host) answered(wafStatus int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if wafStatus == 0 {
		h.wafRun = 0
		return
	}
	h.wafStatus = wafStatus
	if h.wafRun++; h.wafRun >= wafLimit {
		h.wafUntil = time.Now().Add(wafPause)
	}
}

// challenged returns the status of a recent firewall challenge, or 0.
func (h *host) challenged() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if time.Now().Before(h.wafUntil) {
		return h.wafStatus
	}
	return 0
}

// limitOf converts requests per second to a limit: 0 means def, negative means unlimited.
func limitOf(rps float64, def rate.Limit) rate.Limit {
	switch {
	case rps < 0:
		return rate.Inf
	case rps == 0:
		return def
	}
	return rate.Limit(rps)
}

func (hs *hosts) get(name string) *host {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	h, ok := hs.m[name]
	if !ok {
		h = &host{lim: rate.NewLimiter(hs.def, 1)}
		hs.m[name] = h
	}
	return h
}

// wait blocks until the host may receive another request.
func (h *host) wait(ctx context.Context) error {
	h.mu.Lock()
	d := time.Until(h.pause)
	h.mu.Unlock()
	if d > 0 {
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
	return h.lim.Wait(ctx)
}

// pauseFor keeps every request to the host back for d.
func (h *host) pauseFor(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t := time.Now().Add(d); t.After(h.pause) {
		h.pause = t
	}
}

// slowTo lowers the host's rate to at most one request per interval.
func (h *host) slowTo(interval time.Duration) {
	if l := rate.Every(interval); l < h.lim.Limit() {
		h.lim.SetLimit(l)
	}
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
