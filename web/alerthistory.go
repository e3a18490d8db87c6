package web

import (
	"context"
	"encoding/json"

	"github.com/gongkai-project/gongkai/alert"
	"github.com/gongkai-project/gongkai/store"
)

// alertHistoryShown is how many alert events the dashboard lists.
const alertHistoryShown = 30

// alertEntry is one sent (or pending) alert on the dashboard's history.
type alertEntry struct {
	Event      store.AlertEvent
	Alert      alert.Alert
	Previous   string // label of the state before; "" for a first alert
	Deliveries []store.AlertDelivery
}

// alertHistory returns the newest alert events with their deliveries; an
// event whose payload cannot be read shows its key and state only.
func (s *Server) alertHistory(ctx context.Context) ([]alertEntry, error) {
	events, err := s.st.RecentAlerts(ctx, alertHistoryShown)
	if err != nil {
		return nil, err
	}
	out := make([]alertEntry, len(events))
	for i, e := range events {
		a := alert.Alert{Key: e.Key, State: e.State, StateLabel: alert.StateLabel(e.State), Message: e.Key}
		if err := json.Unmarshal([]byte(e.Payload), &a); err != nil {
			s.log.Warn("unreadable alert event", "id", e.ID, "err", err)
		}
		out[i] = alertEntry{Event: e, Alert: a, Deliveries: e.Deliveries}
		if e.Previous != "" {
			out[i].Previous = alert.StateLabel(e.Previous)
		}
	}
	return out, nil
}
