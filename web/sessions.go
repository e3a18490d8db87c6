package web

import (
	"sync"
	"time"
)

// session is one logged-in staff member. CSRF is the token every form of the
// session must send back.
type session struct {
	User    string
	CSRF    string
	expires time.Time
}

// sessions are kept in memory under random tokens; a restart logs everyone out.
type sessions struct {
	mu  sync.Mutex
	ttl time.Duration
	m   map[string]*session
}

func newSessions(ttl time.Duration) *sessions {
	if ttl <= 0 {
		ttl = 12 * time.Hour
	}
	return &sessions{ttl: ttl, m: map[string]*session{}}
}

// create starts a session for user and returns its token.
func (ss *sessions) create(user string) (string, *session) {
	now := time.Now()
	token := randomToken(32)
	sess := &session{User: user, CSRF: randomToken(32), expires: now.Add(ss.ttl)}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for t, old := range ss.m {
		if now.After(old.expires) {
			delete(ss.m, t)
		}
	}
	ss.m[token] = sess
	return token, sess
}

// get returns the live session of token, or nil.
func (ss *sessions) get(token string) *session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	sess, ok := ss.m[token]
	if !ok {
		return nil
	}
	if time.Now().After(sess.expires) {
		delete(ss.m, token)
		return nil
	}
	return sess
}

// drop ends the session of token.
func (ss *sessions) drop(token string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.m, token)
}
