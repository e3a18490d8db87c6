package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gongkai-project/gongkai/alert"
	"github.com/gongkai-project/gongkai/config"
)

// TestDashboardAlertHistory sends the alerts of the fixture to a real
// webhook that fails once, then works: the dashboard shows the failure with
// its attempts, then the delivery.
func TestDashboardAlertHistory(t *testing.T) {
	var fail atomic.Bool
	fail.Store(true)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			http.Error(w, "维护中", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hook.Close()
	f := newFixture(t, func(c *config.Config) {
		c.Alerts.Channels = []config.AlertChannel{{Name: "值班系统", Type: config.ChannelWebhook, URL: hook.URL}}
	})
	sess, _ := f.login()
	if page := wantStatus(t, f.get("/staff", sess), http.StatusOK); !strings.Contains(page, "还没有发送过提醒") {
		t.Fatal("the dashboard should say no alert was sent yet")
	}
	n := alert.New(f.st, f.cfg, nil)
	rep, err := n.Send(context.Background(), testAsOf)
	if err == nil || len(rep.Changes) == 0 {
		t.Fatalf("want a failed send of some alerts: %+v, %v", rep, err)
	}
	page := wantStatus(t, f.get("/staff", sess), http.StatusOK)
	for _, want := range []string{`id="alert-history"`, rep.Changes[0].Message, "值班系统：发送失败 1 次", "HTTP 503"} {
		if !strings.Contains(page, want) {
			t.Errorf("dashboard after a failure lacks %q", want)
		}
	}
	fail.Store(false)
	if _, err := n.Send(context.Background(), testAsOf); err != nil {
		t.Fatal(err)
	}
	page = wantStatus(t, f.get("/staff", sess), http.StatusOK)
	if !strings.Contains(page, "值班系统：已发送") || strings.Contains(page, "发送失败") {
		t.Error("the dashboard does not show the retried delivery as sent")
	}
	checkInert(t, "dashboard", page)
}
