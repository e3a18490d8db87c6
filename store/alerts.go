package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Delivery states of an alert event on one channel.
const (
	DeliveryPending = "pending" // queued, not tried yet
	DeliverySending = "sending" // claimed by a run that is sending it
	DeliverySent    = "sent"
	DeliveryFailed  = "failed" // tried and failed; tried again on the next run
)

// AlertEvent is one recorded change of an alert's state. Payload is the
// alert as its package encodes it; the store does not read it.
type AlertEvent struct {
	ID         int64
	At         time.Time
	Key        string
	State      string
	Previous   string // the state recorded before; "" for the first
	Payload    string
	Deliveries []AlertDelivery // filled by RecentAlerts
}

// AlertDelivery is the delivery of one event on one channel.
type AlertDelivery struct {
	EventID  int64
	Channel  string
	Status   string
	Attempts int
	Error    string
	SentAt   time.Time
}

// AlertStates returns the state last recorded for each alert key.
func (s *Store) AlertStates(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, state FROM alert_state`)
	if err != nil {
		return nil, fmt.Errorf("read alert states: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, st string
		if err := rows.Scan(&k, &st); err != nil {
			return nil, fmt.Errorf("read alert states: %w", err)
		}
		out[k] = st
	}
	return out, rows.Err()
}

// RecordAlerts stores the events whose state differs from the one recorded
// for their key (filling their IDs), sets each key's state to the event's,
// and queues a pending delivery of every event on every channel, all in one
// transaction. It returns the events it stored: an event another process
// recorded meanwhile is left out.
func (s *Store) RecordAlerts(ctx context.Context, events []*AlertEvent, channels []string) ([]*AlertEvent, error) {
	if len(events) == 0 {
		return nil, nil
	}
	var stored []*AlertEvent
	err := s.tx(ctx, func(tx *sql.Tx) error {
		stored = stored[:0]
		for _, e := range events {
			var cur string
			err := tx.QueryRowContext(ctx, `SELECT state FROM alert_state WHERE key = ?`, e.Key).Scan(&cur)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if cur == e.State {
				continue
			}
			stored = append(stored, e)
			res, err := tx.ExecContext(ctx, `INSERT INTO alert_events (at, key, state, previous, payload) VALUES (?, ?, ?, ?, ?)`,
				e.At.Unix(), e.Key, e.State, e.Previous, e.Payload)
			if err != nil {
				return err
			}
			if e.ID, err = res.LastInsertId(); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO alert_state (key, state, since) VALUES (?, ?, ?)
				ON CONFLICT(key) DO UPDATE SET state = excluded.state, since = excluded.since`, e.Key, e.State, e.At.Unix()); err != nil {
				return err
			}
			for _, ch := range channels {
				if _, err := tx.ExecContext(ctx, `INSERT INTO alert_deliveries (event_id, channel, status) VALUES (?, ?, ?)`,
					e.ID, ch, DeliveryPending); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("record %d alert events: %w", len(events), err)
	}
	return stored, nil
}

// ClaimAlerts claims the events not yet delivered on channel (pending,
// failed, or claimed more than lease before at by a run that did not finish)
// and returns them, oldest first. Claimed events are left to the caller,
// who records the outcome with MarkAlertDeliveries; no other run gets them
// meanwhile.
func (s *Store) ClaimAlerts(ctx context.Context, channel string, at time.Time, lease time.Duration) ([]AlertEvent, error) {
	var out []AlertEvent
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT e.id, e.at, e.key, e.state, e.previous, e.payload
			FROM alert_deliveries d JOIN alert_events e ON e.id = d.event_id
			WHERE d.channel = ? AND (d.status IN (?, ?) OR (d.status = ? AND d.claimed_at < ?)) ORDER BY e.id`,
			channel, DeliveryPending, DeliveryFailed, DeliverySending, at.Add(-lease).Unix())
		if err != nil {
			return err
		}
		for rows.Next() {
			e, err := scanAlertEvent(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, e := range out {
			if _, err := tx.ExecContext(ctx, `UPDATE alert_deliveries SET status = ?, claimed_at = ? WHERE event_id = ? AND channel = ?`,
				DeliverySending, at.Unix(), e.ID, channel); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim alerts of %s: %w", channel, err)
	}
	return out, nil
}

// MarkAlertDeliveries records one attempt to deliver the events ids on
// channel: sent when sendErr is nil, else failed with its message.
func (s *Store) MarkAlertDeliveries(ctx context.Context, channel string, ids []int64, sendErr error, at time.Time) error {
	status, msg, sent := DeliverySent, "", any(at.Unix())
	if sendErr != nil {
		status, msg, sent = DeliveryFailed, sendErr.Error(), nil
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE alert_deliveries SET status = ?, attempts = attempts + 1, error = ?, sent_at = ?
				WHERE event_id = ? AND channel = ?`, status, msg, sent, id, channel); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark %d alert deliveries on %s: %w", len(ids), channel, err)
	}
	return nil
}

// RecentAlerts returns the newest n alert events, newest first, with their
// deliveries.
func (s *Store) RecentAlerts(ctx context.Context, n int) ([]AlertEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, key, state, previous, payload FROM alert_events ORDER BY id DESC LIMIT ?`, n)
	if err != nil {
		return nil, fmt.Errorf("recent alerts: %w", err)
	}
	var out []AlertEvent
	byID := map[int64]int{}
	for rows.Next() {
		e, err := scanAlertEvent(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("recent alerts: %w", err)
		}
		byID[e.ID] = len(out)
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	return out, s.attachDeliveries(ctx, out, byID)
}

func (s *Store) attachDeliveries(ctx context.Context, events []AlertEvent, byID map[int64]int) error {
	marks := strings.TrimSuffix(strings.Repeat("?,", len(events)), ",")
	args := make([]any, len(events))
	for i, e := range events {
		args[i] = e.ID
	}
	rows, err := s.db.QueryContext(ctx, `SELECT event_id, channel, status, attempts, error, sent_at
		FROM alert_deliveries WHERE event_id IN (`+marks+`) ORDER BY channel`, args...)
	if err != nil {
		return fmt.Errorf("alert deliveries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d AlertDelivery
		var sent sql.NullInt64
		if err := rows.Scan(&d.EventID, &d.Channel, &d.Status, &d.Attempts, &d.Error, &sent); err != nil {
			return fmt.Errorf("alert deliveries: %w", err)
		}
		d.SentAt = fromUnix(sent)
		e := &events[byID[d.EventID]]
		e.Deliveries = append(e.Deliveries, d)
	}
	return rows.Err()
}

func scanAlertEvent(rows *sql.Rows) (AlertEvent, error) {
	var e AlertEvent
	var at int64
	err := rows.Scan(&e.ID, &at, &e.Key, &e.State, &e.Previous, &e.Payload)
	e.At = time.Unix(at, 0).In(Beijing)
	return e, err
}
