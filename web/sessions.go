package web

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// session is one logged-in staff member. CSRF is the token every form of the
// session must send back.
type session struct {
	User string
	CSRF string
}

// sessions are kept in the store under the SHA-256 of random tokens, so a
// restart keeps staff logged in until their sessions expire.
type sessions struct {
	st  *store.Store
	log *slog.Logger
	ttl time.Duration
	now func() time.Time
}

func newSessions(st *store.Store, log *slog.Logger, ttl time.Duration) *sessions {
	if ttl <= 0 {
		ttl = 12 * time.Hour
	}
	return &sessions{st: st, log: log, ttl: ttl, now: time.Now}
}

// create starts a session for user and returns its token; expired sessions are pruned.
func (ss *sessions) create(ctx context.Context, user string) (string, *session, error) {
	now := ss.now()
	token := randomToken(32)
	sess := &session{User: user, CSRF: randomToken(32)}
	err := ss.st.CreateSession(ctx, token, store.Session{User: user, CSRF: sess.CSRF, Expires: now.Add(ss.ttl)}, now)
	if err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

// get returns the live session of token, or nil.
func (ss *sessions) get(ctx context.Context, token string) *session {
	s, err := ss.st.Session(ctx, token, ss.now())
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			ss.log.Error("session lookup failed", "err", err)
		}
		return nil
	}
	return &session{User: s.User, CSRF: s.CSRF}
}

// drop ends the session of token.
func (ss *sessions) drop(ctx context.Context, token string) {
	if err := ss.st.DeleteSession(ctx, token); err != nil {
		ss.log.Error("logout failed", "err", err)
	}
}
