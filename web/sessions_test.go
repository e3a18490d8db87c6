package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// TestSessionSurvivesRestart logs in on one server, closes it and opens a new
// one on the same store: the cookie still works until it expires or logs out.
func TestSessionSurvivesRestart(t *testing.T) {
	f := newFixture(t, nil)
	sess, csrf := f.login()
	if err := f.s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := New(Options{Store: f.st, Index: f.ix, Config: f.cfg, AsOf: func() time.Time { return testAsOf },
		Logger: slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	f.s = s2
	wantStatus(t, f.get("/staff", sess), http.StatusOK)

	// Past the session lifetime (12 h by default) the cookie is refused, and the next login prunes the row.
	later := time.Now().Add(f.cfg.Server.SessionTTL + 13*time.Hour)
	s2.sessions.now = func() time.Time { return later }
	wantStatus(t, f.get("/staff", sess), http.StatusSeeOther)
	s2.sessions.now = time.Now
	wantStatus(t, f.get("/staff", sess), http.StatusOK)

	// Logout deletes the stored session: the old cookie does not come back.
	resp := f.postForm("/staff/logout", url.Values{"csrf": {csrf}}, sess)
	wantStatus(t, resp, http.StatusSeeOther)
	wantStatus(t, f.get("/staff", sess), http.StatusSeeOther)
}
