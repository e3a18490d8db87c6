package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestSessionsHashedAndPruned(t *testing.T) {
	ctx := context.Background()
	st, err := Open(filepath.Join(t.TempDir(), "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	if err := st.CreateSession(ctx, "old-token", Session{User: "a", CSRF: "c1", Expires: now.Add(time.Hour)}, now); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := st.db.QueryRowContext(ctx, "SELECT count(*) FROM sessions WHERE token_hash = 'old-token' OR csrf = 'old-token'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("raw token stored: %d rows, %v", n, err)
	}
	got, err := st.Session(ctx, "old-token", now)
	if err != nil || got.User != "a" || got.CSRF != "c1" {
		t.Fatalf("Session = %+v, %v", got, err)
	}
	if _, err := st.Session(ctx, "old-token", now.Add(2*time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired session: %v, want ErrNotFound", err)
	}
	// A login two hours later prunes the expired row.
	if err := st.CreateSession(ctx, "new-token", Session{User: "b", CSRF: "c2", Expires: now.Add(3 * time.Hour)}, now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := st.db.QueryRowContext(ctx, "SELECT count(*) FROM sessions").Scan(&n); err != nil || n != 1 {
		t.Errorf("%d sessions after pruning, want 1 (%v)", n, err)
	}
	if err := st.DeleteSession(ctx, "new-token"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Session(ctx, "new-token", now); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted session: %v", err)
	}
}
