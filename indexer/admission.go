package indexer

import (
	"context"
	"slices"
	"sync"
	"time"
)

// admission runs at most a fixed number of searches at once (one per CPU:
// the others wait instead of sharing the CPUs, so each finishes sooner).
// When a slot frees, the cheapest waiting search by its estimated cost goes
// next, so short searches do not queue behind long ones; a search that has
// waited longer than maxWait goes first, oldest first, so none starves.
type admission struct {
	mu      sync.Mutex
	free    int
	waiting []*waiter // in arrival order
	maxWait time.Duration
}

type waiter struct {
	cost  uint64
	since time.Time
	ready chan struct{} // closed when the waiter is given a slot
}

func newAdmission(slots int, maxWait time.Duration) *admission {
	return &admission{free: slots, maxWait: maxWait}
}

// acquire takes a slot for a search of the given cost, waiting if none is
// free; it returns ctx's error if ctx ends first.
func (a *admission) acquire(ctx context.Context, cost uint64) error {
	a.mu.Lock()
	if a.free > 0 && len(a.waiting) == 0 {
		a.free--
		a.mu.Unlock()
		return nil
	}
	w := &waiter{cost: cost, since: time.Now(), ready: make(chan struct{})}
	a.waiting = append(a.waiting, w)
	a.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
	}
	a.mu.Lock()
	i := slices.Index(a.waiting, w)
	if i >= 0 {
		a.waiting = slices.Delete(a.waiting, i, i+1)
	}
	a.mu.Unlock()
	if i < 0 { // given a slot meanwhile: pass it on
		a.release()
	}
	return ctx.Err()
}

// release frees a slot, handing it to the next waiting search.
func (a *admission) release() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.waiting) == 0 {
		a.free++
		return
	}
	i := a.next(time.Now())
	close(a.waiting[i].ready)
	a.waiting = slices.Delete(a.waiting, i, i+1)
}

// next returns the index of the waiter to admit: the oldest if it has waited
// too long, else the cheapest (the earliest among equals).
func (a *admission) next(now time.Time) int {
	if now.Sub(a.waiting[0].since) > a.maxWait {
		return 0
	}
	best := 0
	for i, w := range a.waiting {
		if w.cost < a.waiting[best].cost {
			best = i
		}
	}
	return best
}
