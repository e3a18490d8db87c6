package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Session is a logged-in staff member's session as stored.
type Session struct {
	User    string
	CSRF    string
	Expires time.Time
}

// hashToken is what the store keeps of a session token: a copy of the
// database does not give anyone a live cookie.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession stores the session of token (kept only as its SHA-256) and
// removes every session expired at now.
func (s *Store) CreateSession(ctx context.Context, token string, sess Session, now time.Time) error {
	if _, err := s.PruneSessions(ctx, now); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, "INSERT INTO sessions (token_hash, user, csrf, expires) VALUES (?, ?, ?, ?)",
		hashToken(token), sess.User, sess.CSRF, sess.Expires.UnixNano())
	if err != nil {
		return fmt.Errorf("create session for %s: %w", sess.User, err)
	}
	return nil
}

// Session returns the session of token live at now, or ErrNotFound.
func (s *Store) Session(ctx context.Context, token string, now time.Time) (Session, error) {
	var sess Session
	var exp int64
	err := s.db.QueryRowContext(ctx, "SELECT user, csrf, expires FROM sessions WHERE token_hash = ? AND expires > ?",
		hashToken(token), now.UnixNano()).Scan(&sess.User, &sess.CSRF, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("read session: %w", err)
	}
	sess.Expires = time.Unix(0, exp)
	return sess, nil
}

// DeleteSession ends the session of token (logout).
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", hashToken(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// PruneSessions deletes the sessions expired at now and returns how many.
func (s *Store) PruneSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE expires <= ?", now.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("prune sessions: %w", err)
	}
	return res.RowsAffected()
}
