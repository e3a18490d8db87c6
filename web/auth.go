package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

const (
	sessionCookie = "gongkai_session"
	csrfCookie    = "gongkai_csrf" // double-submit token of forms shown before login
)

// staff lets logged-in staff through; others are sent to the login page.
// POST requests must also carry the session's CSRF token, and are refused
// with 403 for leaders (read-only accounts), so every new mutating route is
// closed to them by default.
func (s *Server) staff(h http.HandlerFunc) http.HandlerFunc {
	return s.loggedIn(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead && s.leader(r) {
			s.readOnly(w, r)
			return
		}
		h(w, r)
	})
}

// editor lets only staff who may edit through: pages that exist to change
// something (the thesaurus, the report tables) answer 403 to leaders even
// when only looked at.
func (s *Server) editor(h http.HandlerFunc) http.HandlerFunc {
	return s.loggedIn(func(w http.ResponseWriter, r *http.Request) {
		if s.leader(r) {
			s.readOnly(w, r)
			return
		}
		h(w, r)
	})
}

// readOnly answers a leader's attempt to change something.
func (s *Server) readOnly(w http.ResponseWriter, r *http.Request) {
	s.log.Warn("leader refused", "user", sessionOf(r).User, "method", r.Method, "path", r.URL.Path)
	s.errorPage(w, r, http.StatusForbidden, "领导账号只能查看，不能修改")
}

// leader reports whether the request's session belongs to a read-only account.
func (s *Server) leader(r *http.Request) bool {
	sess := sessionOf(r)
	if sess == nil {
		sess = s.session(r)
	}
	return sess != nil && s.userLeader(sess.User)
}

// userLeader reports whether the configured account name is a leader's.
func (s *Server) userLeader(name string) bool {
	for _, u := range s.cfg.Server.Users {
		if u.Name == name {
			return u.Leader()
		}
	}
	return false
}

// loggedIn lets any logged-in account through (staff and leaders) and sends
// others to the login page; POST requests must carry the session's CSRF token.
func (s *Server) loggedIn(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess := s.session(r)
		if sess == nil {
			next := r.URL.Path
			if r.URL.RawQuery != "" {
				next += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, "/staff/login?next="+url.QueryEscape(next), http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost && !s.formOK(w, r, sess.CSRF) {
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), sessionKey, sess)))
	}
}

// staffAPI lets logged-in staff through and answers others with 401.
func (s *Server) staffAPI(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.session(r) == nil {
			writeError(w, http.StatusUnauthorized, "需要登录")
			return
		}
		h(w, r)
	}
}

// session returns the live session of the request's cookie, or nil.
func (s *Server) session(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	sess := s.sessions.get(r.Context(), c.Value)
	if sess == nil || !s.knownUser(sess.User) {
		return nil // a stored session outlives a restart, not its account's removal
	}
	return sess
}

// knownUser reports whether user is a staff account of the configuration.
func (s *Server) knownUser(user string) bool {
	for _, u := range s.cfg.Server.Users {
		if u.Name == user {
			return true
		}
	}
	return false
}

// sessionOf returns the session that staff put in the request context.
func sessionOf(r *http.Request) *session {
	sess, _ := r.Context().Value(sessionKey).(*session)
	return sess
}

// formOK parses the request form and checks its CSRF token against want,
// answering 413, 400 or 403 itself when something is wrong.
func (s *Server) formOK(w http.ResponseWriter, r *http.Request, want string) bool {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		if _, big := errors.AsType[*http.MaxBytesError](err); big {
			s.tooLarge(w, r)
		} else {
			s.errorPage(w, r, http.StatusBadRequest, "表单无法读取："+err.Error())
		}
		return false
	}
	got := r.PostFormValue("csrf")
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		s.errorPage(w, r, http.StatusForbidden, "表单已过期或来源不明，请刷新页面后重试")
		return false
	}
	return true
}

// loginCSRF returns the pre-login CSRF token, setting its cookie if needed.
func (s *Server) loginCSRF(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	token := randomToken(32)
	http.SetCookie(w, s.cookie(r, csrfCookie, token, 0, http.SameSiteStrictMode))
	return token
}

// cookie is an HttpOnly cookie for the whole site, Secure when r came over
// HTTPS (see overTLS).
func (s *Server) cookie(r *http.Request, name, value string, maxAge int, same http.SameSite) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: s.overTLS(r), SameSite: same}
}

// overTLS says whether r reached the site over HTTPS: gongkai serves TLS
// itself, or the configuration says a proxy in front of it does
// (server.behind_tls).
func (s *Server) overTLS(r *http.Request) bool {
	return r.TLS != nil || s.cfg.Server.BehindTLS
}

// handleLogin shows the login form (GET) and checks a login (POST).
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		next := safeNext(r.URL.Query().Get("next"))
		if s.session(r) != nil {
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
		s.render(w, r, http.StatusOK, "login.html", "工作人员登录", loginPage{CSRF: s.loginCSRF(w, r), Next: next})
		return
	}
	c, err := r.Cookie(csrfCookie)
	if err != nil || !s.formOK(w, r, c.Value) {
		if err != nil {
			s.errorPage(w, r, http.StatusForbidden, "表单已过期或来源不明，请刷新页面后重试")
		}
		return
	}
	next := safeNext(r.PostFormValue("next"))
	user := strings.TrimSpace(r.PostFormValue("user"))
	client := s.clientIP(r)
	wait, ok := s.guard.reserve(user, client, time.Now())
	if !ok {
		s.log.Warn("login attempts overlap", "user", user, "client", client)
		w.Header().Set("Retry-After", strconv.Itoa(int(s.guard.max.Seconds())))
		s.errorPage(w, r, http.StatusTooManyRequests, "登录尝试过于频繁，请稍后再试")
		return
	}
	if !sleep(r.Context(), wait) {
		return // the client gave up
	}
	if !s.checkPassword(user, r.PostFormValue("password")) {
		s.guard.failed(user, client, time.Now())
		s.log.Warn("login failed", "user", user, "client", client, "waited", wait.String())
		s.render(w, r, http.StatusUnauthorized, "login.html", "工作人员登录",
			loginPage{CSRF: c.Value, Next: next, User: user, Error: "用户名或密码错误"})
		return
	}
	s.guard.succeeded(user, client)
	token, _, err := s.sessions.create(r.Context(), user)
	if err != nil {
		s.log.Error("login: store the session", "user", user, "err", err)
		http.Error(w, "服务器内部错误", http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, s.cookie(r, sessionCookie, token, int(s.sessions.ttl.Seconds()), http.SameSiteLaxMode))
	s.log.Info("login", "user", user, "client", client)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

type loginPage struct {
	CSRF, Next, User, Error string
}

// checkPassword compares password with the user's bcrypt hash. Unknown users
// cost the same time as known ones.
func (s *Server) checkPassword(user, password string) bool {
	hash := s.dummyHash()
	known := false
	for _, u := range s.cfg.Server.Users {
		if u.Name == user && user != "" {
			hash, known = []byte(u.PasswordHash), true
			break
		}
	}
	return bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil && known
}

// handleLogout ends the session.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.sessions.drop(r.Context(), c.Value)
	}
	http.SetCookie(w, s.cookie(r, sessionCookie, "", -1, http.SameSiteLaxMode))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// safeNext keeps a post-login target only if it is a path on this site:
// no scheme, host or user, no control character or backslash, and no
// leading // or /\ — checked on the text as given and after each round of
// percent-decoding, since browsers and proxies may decode it again.
// Anything else becomes /staff.
func safeNext(next string) string {
	const home = "/staff"
	for text, round := next, 0; ; round++ {
		if !localPath(text) {
			return home
		}
		dec, err := url.PathUnescape(text)
		if err != nil {
			return home
		}
		if dec == text {
			break
		}
		if round == 3 {
			return home
		}
		text = dec
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return home
	}
	return next
}

// localPath says whether s starts with one slash not followed by another or
// by a backslash, and holds no control character or backslash.
func localPath(s string) bool {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.ContainsRune(s, '\\') {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}
