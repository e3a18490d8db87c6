package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gongkai-project/gongkai/analytics"
	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// Notifier computes the alerts of a day and sends their changes. It is safe
// for concurrent use; runs in one process take turns.
type Notifier struct {
	st     *store.Store
	cfg    *config.Config
	cache  *analytics.Cache
	client *http.Client
	now    func() time.Time
	mu     sync.Mutex
}

// New returns a Notifier over st; cache may be nil (one is made).
func New(st *store.Store, cfg *config.Config, cache *analytics.Cache) *Notifier {
	if cache == nil {
		cache = analytics.NewCache(st)
	}
	return &Notifier{st: st, cfg: cfg, cache: cache, client: &http.Client{Timeout: 30 * time.Second}, now: time.Now}
}

// Report is what a run found and did.
type Report struct {
	AsOf    string  `json:"as_of"`
	Current []Alert `json:"current"` // in force: overdue, due soon, late
	// Changes are the alerts whose state changed since last recorded: what
	// a send run records and sends.
	Changes    []Alert    `json:"changes"`
	Deliveries []Delivery `json:"deliveries"` // one per channel that had something to send (send runs)
	Sent       bool       `json:"sent"`
}

// Delivery is the outcome of one digest on one channel.
type Delivery struct {
	Channel string `json:"channel"`
	Alerts  int    `json:"alerts"` // in the digest, retried ones included
	Error   string `json:"error,omitempty"`
}

// claimLease is how long a run's claim on its deliveries holds: a run that
// died while sending leaves them to the next run after it.
const claimLease = 10 * time.Minute

// Check computes the alerts as of asOf (zero: analytics.as_of, else today)
// and what a send run would send, without recording anything.
func (n *Notifier) Check(ctx context.Context, asOf time.Time) (*Report, error) {
	rep, _, err := n.check(ctx, asOf)
	return rep, err
}

func (n *Notifier) check(ctx context.Context, asOf time.Time) (*Report, *analytics.Watch, error) {
	w, err := n.cache.Watch(ctx, n.cfg, asOf)
	if err != nil {
		return nil, nil, fmt.Errorf("alerts: %w", err)
	}
	states, err := n.st.AlertStates(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("alerts: %w", err)
	}
	rep := &Report{AsOf: w.AsOf.Format(analytics.DateLayout),
		Current: nonNil(Current(w)), Changes: nonNil(Changes(w, states)), Deliveries: []Delivery{}}
	return rep, w, nil
}

// Send records the changes as of asOf and sends every channel one digest of
// what it has not received yet: this run's changes and those a failed
// earlier attempt left. A failed channel is recorded, not fatal; the error
// returned joins the channels' failures.
func (n *Notifier) Send(ctx context.Context, asOf time.Time) (*Report, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	rep, _, err := n.check(ctx, asOf)
	if err != nil {
		return nil, err
	}
	channels := n.cfg.Alerts.Channels
	names := make([]string, len(channels))
	for i, ch := range channels {
		names[i] = ch.Name
	}
	events := make([]*store.AlertEvent, len(rep.Changes))
	at := n.now()
	for i, a := range rep.Changes {
		payload, err := json.Marshal(a)
		if err != nil {
			return nil, fmt.Errorf("alerts: encode %s: %w", a.Key, err)
		}
		events[i] = &store.AlertEvent{At: at, Key: a.Key, State: a.State, Previous: a.Previous, Payload: string(payload)}
	}
	stored, err := n.st.RecordAlerts(ctx, events, names)
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	rep.Changes = recorded(rep.Changes, stored)
	rep.Sent = true
	var errs []error
	for _, ch := range channels {
		d, err := n.deliver(ctx, ch, rep.AsOf)
		if d.Alerts == 0 && err == nil {
			continue
		}
		if err != nil {
			d.Error = err.Error()
			errs = append(errs, fmt.Errorf("channel %s: %w", ch.Name, err))
		}
		rep.Deliveries = append(rep.Deliveries, d)
	}
	return rep, errors.Join(errs...)
}

// deliver sends channel ch one digest of its undelivered alerts and records
// the outcome on each of them.
func (n *Notifier) deliver(ctx context.Context, ch config.AlertChannel, asOf string) (Delivery, error) {
	d := Delivery{Channel: ch.Name}
	events, err := n.st.ClaimAlerts(ctx, ch.Name, n.now(), claimLease)
	if err != nil || len(events) == 0 {
		return d, err
	}
	ids := make([]int64, len(events))
	alerts := make([]Alert, 0, len(events))
	var sendErr error
	for i, e := range events {
		ids[i] = e.ID
		var a Alert
		if err := json.Unmarshal([]byte(e.Payload), &a); err != nil {
			sendErr = fmt.Errorf("alert event %d: %w", e.ID, err)
		}
		alerts = append(alerts, a)
	}
	d.Alerts = len(alerts)
	if sendErr == nil {
		sendErr = n.sendDigest(ctx, ch, Digest{AsOf: asOf, Alerts: alerts, SiteURL: n.cfg.Server.PublicURL})
	}
	if err := n.st.MarkAlertDeliveries(ctx, ch.Name, ids, sendErr, n.now()); err != nil {
		return d, errors.Join(sendErr, err)
	}
	if sendErr == nil {
		slog.Info("alerts sent", "channel", ch.Name, "alerts", len(alerts))
	}
	return d, sendErr
}

func (n *Notifier) sendDigest(ctx context.Context, ch config.AlertChannel, d Digest) error {
	s, err := NewSender(ch, n.client, n.now)
	if err != nil {
		return err
	}
	return s.Send(ctx, d)
}

// Daily sends the alerts every day at alerts.daily_at (Beijing time) until
// ctx ends; it returns at once when daily sending is off.
func (n *Notifier) Daily(ctx context.Context) {
	h, m, ok := n.cfg.Alerts.DailyTime()
	if !ok {
		return
	}
	for {
		t := time.NewTimer(time.Until(NextDaily(n.now(), h, m)))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if _, err := n.Send(ctx, time.Time{}); err != nil {
			slog.Error("daily alerts", "err", err)
		}
	}
}

// NextDaily is the first h:m Beijing time strictly after now.
func NextDaily(now time.Time, h, m int) time.Time {
	bj := now.In(store.Beijing)
	next := time.Date(bj.Year(), bj.Month(), bj.Day(), h, m, 0, 0, store.Beijing)
	if !next.After(now) {
		next = next.AddDate(0, 0, 1)
	}
	return next
}

// recorded keeps the changes whose event was stored (another process may
// have recorded the same change first).
func recorded(changes []Alert, stored []*store.AlertEvent) []Alert {
	keys := make(map[string]bool, len(stored))
	for _, e := range stored {
		keys[e.Key] = true
	}
	out := []Alert{}
	for _, a := range changes {
		if keys[a.Key] {
			out = append(out, a)
		}
	}
	return out
}

func nonNil(a []Alert) []Alert {
	if a == nil {
		return []Alert{}
	}
	return a
}
