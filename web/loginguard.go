package web

import (
	"context"
	"sync"
	"time"
)

// loginGuard slows password guessing without ever locking anyone out. Each
// (user, client) pair, and each client across users, gets a few free
// failures; after them every attempt of that pair or client waits longer
// before its password is checked (base, 2×base, 4×base … up to max).
// Attempts are never refused for failures: a correct password logs in once
// its wait is over, failures from one client never delay another, and a
// correct login forgets the failures of its pair and client.
type loginGuard struct {
	mu         sync.Mutex
	freePair   int           // failures of a (user, client) pair before delays start
	freeClient int           // failures of a client, over all users, before delays start
	base, max  time.Duration // first and longest delay
	forget     time.Duration // failures older than this no longer count
	m          map[string]*failures
}

// failures are the failed logins of one key.
type failures struct {
	n    int
	next time.Time // the next attempt's password is checked no earlier
	last time.Time // the last failure
}

// maxGuardKeys is the size at which forgotten keys are dropped.
const maxGuardKeys = 4096

func newLoginGuard() *loginGuard {
	return &loginGuard{freePair: 3, freeClient: 10, base: time.Second, max: 30 * time.Second,
		forget: time.Hour, m: map[string]*failures{}}
}

func pairKey(user, client string) string { return "u\x00" + user + "\x00" + client }
func clientKey(client string) string     { return "c\x00" + client }

// guardKey is one count an attempt of a user from a client is booked on,
// with the failures it gets free.
type guardKey struct {
	key  string
	free int
}

// keys are the counts of user from client: the pair's and the client's.
func (g *loginGuard) keys(user, client string) [2]guardKey {
	return [2]guardKey{{pairKey(user, client), g.freePair}, {clientKey(client), g.freeClient}}
}

// delay is how long an attempt waits after n failures with free ones free.
func (g *loginGuard) delay(n, free int) time.Duration {
	if n < free {
		return 0
	}
	d := g.base
	for i := free; i < n && d < g.max; i++ {
		d *= 2
	}
	return min(d, g.max)
}

// reserve books the next check of user from client and returns how long
// to wait for it. Attempts that overlap are queued one delay apart, so
// parallel guesses gain nothing. ok is false only when the queue of one
// client's overlapping attempts is longer than twice the longest delay.
func (g *loginGuard) reserve(user, client string, now time.Time) (wait time.Duration, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.prune(now)
	type booking struct {
		f    *failures
		slot time.Time
		free int
	}
	var bs []booking
	for _, k := range g.keys(user, client) {
		f := g.m[k.key]
		if f == nil {
			continue
		}
		if now.Sub(f.last) > g.forget && now.After(f.next) {
			delete(g.m, k.key)
			continue
		}
		slot := f.next
		if slot.Before(now) {
			slot = now
		}
		wait = max(wait, slot.Sub(now))
		bs = append(bs, booking{f, slot, k.free})
	}
	if wait > 2*g.max {
		return 0, false
	}
	for _, b := range bs {
		b.f.next = b.slot.Add(g.delay(b.f.n, b.free))
	}
	return wait, true
}

// failed counts a wrong password of user from client at now.
func (g *loginGuard) failed(user, client string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, k := range g.keys(user, client) {
		f := g.m[k.key]
		if f == nil {
			f = &failures{}
			g.m[k.key] = f
		}
		f.n++
		f.last = now
		if next := now.Add(g.delay(f.n, k.free)); next.After(f.next) {
			f.next = next
		}
	}
}

// succeeded forgets the failures of user's pair with client and of client.
func (g *loginGuard) succeeded(user, client string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.m, pairKey(user, client))
	delete(g.m, clientKey(client))
}

// prune drops keys whose last failure is older than forget, once the map
// is large, so a flood of names and addresses cannot grow it without bound.
func (g *loginGuard) prune(now time.Time) {
	if len(g.m) < maxGuardKeys {
		return
	}
	for k, f := range g.m {
		if now.Sub(f.last) > g.forget && now.After(f.next) {
			delete(g.m, k)
		}
	}
}

// sleep waits d or until ctx ends, and says whether it waited all of d.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
