package indexer

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestSearchWaitsForItsTurn(t *testing.T) {
	e := newEnv(t, testDocs)
	for range cap(e.ix.running) { // every CPU busy
		e.ix.running <- struct{}{}
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
	<-e.ix.running // one CPU frees up
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for range cap(e.ix.running) - 1 {
		<-e.ix.running
	}
	var wg sync.WaitGroup
	for range 4 * cap(e.ix.running) {
		wg.Go(func() {
			if res, err := e.ix.Search(context.Background(), Query{Text: "低保"}); err != nil || res.Total == 0 {
				t.Errorf("concurrent search: %v, %v", res, err)
			}
		})
	}
	wg.Wait()
}
