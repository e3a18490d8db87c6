package indexer

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestSearchWaitsForItsTurn(t *testing.T) {
	e := newEnv(t, testDocs)
	slots := e.ix.admit.free
	for range slots { // every CPU busy
		if err := e.ix.admit.acquire(context.Background(), 0); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := e.ix.Search(ctx, Query{Text: "危房改造"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("search while all CPUs are busy: err %v, want the context's deadline", err)
	}
	done := make(chan error)
	go func() {
		_, err := e.ix.Search(context.Background(), Query{Text: "危房改造"})
		done <- err
	}()
	e.ix.admit.release() // one CPU frees up
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for range slots - 1 {
		e.ix.admit.release()
	}
	var wg sync.WaitGroup
	for range 4 * slots {
		wg.Go(func() {
			if res, err := e.ix.Search(context.Background(), Query{Text: "低保"}); err != nil || res.Total == 0 {
				t.Errorf("concurrent search: %v, %v", res, err)
			}
		})
	}
	wg.Wait()
	if e.ix.admit.free != slots || len(e.ix.admit.waiting) != 0 {
		t.Fatalf("after the searches: %d free slots, %d waiting; want %d, 0", e.ix.admit.free, len(e.ix.admit.waiting), slots)
	}
}

// TestAdmissionCheapestFirstOldestWhenOverdue admits waiting searches
// cheapest first, but one that waited past maxWait before the others.
func TestAdmissionCheapestFirstOldestWhenOverdue(t *testing.T) {
	for _, c := range []struct {
		name    string
		maxWait time.Duration
		want    []uint64
	}{
		{"cheapest first", time.Hour, []uint64{10, 30, 500}},
		{"overdue first, oldest first", 0, []uint64{500, 10, 30}},
	} {
		a := newAdmission(1, c.maxWait)
		if err := a.acquire(context.Background(), 0); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var order []uint64
		var wg sync.WaitGroup
		for i, cost := range []uint64{500, 10, 30} { // arrival order
			wg.Go(func() {
				if err := a.acquire(context.Background(), cost); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				order = append(order, cost)
				mu.Unlock()
				a.release()
			})
			for { // wait until it queues, so that the arrival order is fixed
				a.mu.Lock()
				n := len(a.waiting)
				a.mu.Unlock()
				if n == i+1 {
					break
				}
				time.Sleep(time.Millisecond)
			}
		}
		time.Sleep(2 * time.Millisecond)
		a.release()
		wg.Wait()
		if !slices.Equal(order, c.want) {
			t.Errorf("%s: admitted %v, want %v", c.name, order, c.want)
		}
	}
}

func TestAdmissionCancelledWaiterLeaves(t *testing.T) {
	a := newAdmission(1, time.Hour)
	if err := a.acquire(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := a.acquire(ctx, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("acquire with every slot taken: %v, want the deadline", err)
	}
	a.release()
	if a.free != 1 || len(a.waiting) != 0 {
		t.Fatalf("%d free, %d waiting after the cancelled waiter; want 1, 0", a.free, len(a.waiting))
	}
}
