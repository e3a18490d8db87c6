package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// queryLogger writes the public searches to the query log off the request
// path: searches wait in a bounded queue and are written in batches, one
// transaction each. A full queue drops the search (counted in
// gongkai_query_log_dropped_total) rather than slow the answer; close writes
// whatever waits, so a clean shutdown loses nothing. It also prunes the log
// to the retention period once a day (New prunes once before run starts). It calls changed (the
// hot searches are recomputed there) at most once a hotRefresh after
// writes, on sync and after each daily prune.
type queryLogger struct {
	st      *store.Store
	log     *slog.Logger
	key     []byte           // keys the client hash; the address is never stored
	keep    func() time.Time // searches logged before this are pruned
	dropped func()           // counts a dropped search
	changed func()           // called when the log was written or pruned
	dirty   bool             // written since changed was last called; run's only

	queue chan store.LoggedQuery
	flush chan chan struct{}
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
}

const (
	queryQueue = 4096 // searches waiting to be written
	queryBatch = 256  // searches per transaction
	// hotRefresh is how often at most the hot searches are recomputed after
	// writes: the aggregate over the log took 48 ms at 50,000 searches.
	hotRefresh = time.Minute
)

func newQueryLogger(st *store.Store, log *slog.Logger, key []byte, keep func() time.Time, dropped, changed func()) *queryLogger {
	return &queryLogger{st: st, log: log, key: key, keep: keep, dropped: dropped, changed: changed,
		queue: make(chan store.LoggedQuery, queryQueue), flush: make(chan chan struct{}),
		stop: make(chan struct{}), done: make(chan struct{})}
}

// clientHash is the keyed hash the log keeps of a client address.
func (l *queryLogger) clientHash(addr string) string {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(addr))
	return hex.EncodeToString(m.Sum(nil)[:12])
}

// add queues one search of the client at addr.
func (l *queryLogger) add(query string, hits int, addr string, at time.Time) {
	q := store.LoggedQuery{Query: query, Hits: hits, Client: l.clientHash(addr), At: at}
	select {
	case <-l.stop:
		l.log.Warn("query log closed; search not logged", "query", query)
		l.dropped()
	case l.queue <- q:
	default:
		l.dropped()
	}
}

// run writes queued searches until close, then the rest, and prunes daily.
func (l *queryLogger) run() {
	defer close(l.done)
	daily := time.NewTicker(24 * time.Hour)
	defer daily.Stop()
	refresh := time.NewTicker(hotRefresh)
	defer refresh.Stop()
	for {
		select {
		case q := <-l.queue:
			l.write(q)
		case <-refresh.C:
			l.refresh()
		case ack := <-l.flush:
			l.drain()
			l.refresh()
			close(ack)
		case <-daily.C:
			l.prune()
			l.dirty = true // the hot searches' window moved, whatever was pruned
			l.refresh()
		case <-l.stop:
			l.drain()
			return
		}
	}
}

// write writes q and whatever else waits, up to a batch.
func (l *queryLogger) write(q store.LoggedQuery) {
	batch := []store.LoggedQuery{q}
	for len(batch) < queryBatch {
		select {
		case more := <-l.queue:
			batch = append(batch, more)
			continue
		default:
		}
		break
	}
	if err := l.st.LogQueries(context.Background(), batch); err != nil {
		l.log.Error("query log: write failed; searches not logged", "searches", len(batch), "err", err)
		return
	}
	l.dirty = true
}

// refresh calls changed when the log was written since it last did.
func (l *queryLogger) refresh() {
	if l.dirty {
		l.dirty = false
		l.changed()
	}
}

// drain writes everything queued.
func (l *queryLogger) drain() {
	for {
		select {
		case q := <-l.queue:
			l.write(q)
		default:
			return
		}
	}
}

func (l *queryLogger) prune() {
	before := l.keep()
	n, err := l.st.PruneQueryLog(context.Background(), before)
	if err != nil {
		l.log.Error("query log: prune failed", "err", err)
		return
	}
	if n > 0 {
		l.log.Info("query log pruned", "deleted", n, "before", before.Format(time.DateOnly))
	}
}

// sync waits until every search queued so far is written.
func (l *queryLogger) sync() {
	ack := make(chan struct{})
	select {
	case l.flush <- ack:
		<-ack
	case <-l.done:
	}
}

// close writes what waits and stops the logger; later calls do nothing.
func (l *queryLogger) close() {
	l.once.Do(func() { close(l.stop) })
	<-l.done
}
