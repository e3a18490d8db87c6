package web

import (
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/gongkai-project/gongkai/config"
)

// msgTooMany is the answer to a client over its rate limit.
const msgTooMany = "请求过于频繁，请稍后再试"

// newSearchLimit is the per-client token bucket of public searches.
func newSearchLimit(c config.Server) *keyedLimiter {
	r, b := rate.Limit(c.SearchRate), c.SearchBurst
	if r <= 0 {
		r = 10
	}
	if b <= 0 {
		b = 20
	}
	return newKeyedLimiter(r, b)
}

// keyedLimiter holds one token bucket per key and forgets idle keys, so a
// flood of distinct keys cannot grow it without bound.
type keyedLimiter struct {
	mu      sync.Mutex
	r       rate.Limit
	b       int
	buckets map[string]*rate.Limiter
}

// maxIdleKeys is the size at which full buckets are forgotten.
const maxIdleKeys = 4096

func newKeyedLimiter(r rate.Limit, b int) *keyedLimiter {
	return &keyedLimiter{r: r, b: b, buckets: map[string]*rate.Limiter{}}
}

// allow takes one token from key's bucket and says whether there was one.
func (k *keyedLimiter) allow(key string) bool {
	now := time.Now()
	k.mu.Lock()
	defer k.mu.Unlock()
	lim, ok := k.buckets[key]
	if !ok {
		if len(k.buckets) >= maxIdleKeys {
			k.forgetFull(now)
		}
		lim = rate.NewLimiter(k.r, k.b)
		k.buckets[key] = lim
	}
	return lim.AllowN(now, 1)
}

// forgetFull drops the buckets that have refilled completely: forgetting
// them changes nothing for their keys.
func (k *keyedLimiter) forgetFull(now time.Time) {
	for key, lim := range k.buckets {
		if lim.TokensAt(now) >= float64(k.b) {
			delete(k.buckets, key)
		}
	}
}

// limitSearch applies the per-client search rate limit before h.
func (s *Server) limitSearch(h http.HandlerFunc, api bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.searchLimit.allow(s.clientIP(r)) {
			h(w, r)
			return
		}
		w.Header().Set("Retry-After", "1")
		if api {
			writeError(w, http.StatusTooManyRequests, msgTooMany)
			return
		}
		s.errorPage(w, r, http.StatusTooManyRequests, msgTooMany)
	}
}
