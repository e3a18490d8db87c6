package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/gongkai-project/gongkai/config"
)

const leaderUser = "leader"

// withLeader adds a read-only account with the test password.
func withLeader(t testing.TB) func(*config.Config) {
	return func(c *config.Config) {
		hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		c.Server.Users = append(c.Server.Users, config.User{Name: leaderUser, PasswordHash: string(hash), Role: config.RoleLeader})
	}
}

// loginAs logs user in and returns the session cookie and its CSRF token.
func (f *fixture) loginAs(user string) (*http.Cookie, string) {
	f.t.Helper()
	resp := f.get("/staff/login")
	page := wantStatus(f.t, resp, http.StatusOK)
	resp = f.postForm("/staff/login", url.Values{"csrf": {csrfOf(f.t, page)}, "user": {user},
		"password": {testPassword}, "next": {"/staff"}}, cookieOf(resp, csrfCookie))
	wantStatus(f.t, resp, http.StatusSeeOther)
	sess := cookieOf(resp, sessionCookie)
	if sess == nil {
		f.t.Fatalf("login of %s set no session cookie", user)
	}
	return sess, csrfOf(f.t, wantStatus(f.t, f.get("/staff", sess), http.StatusOK))
}

// concrete fills a route pattern's wildcards so that it can be requested.
func concrete(pattern string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(pattern, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(pattern[i:], '}')
		b.WriteString(pattern[:i] + "1")
		pattern = pattern[i+j+1:]
	}
	b.WriteString(pattern)
	return strings.TrimSuffix(b.String(), "{$}")
}

// A leader is refused every mutating route, found by walking the route table
// (so routes added later are covered), with a valid CSRF token; staff get
// past the role check on the same routes. Logging in and out is not editing.
func TestLeaderIsRefusedEveryMutatingRoute(t *testing.T) {
	f := newFixture(t, withLeader(t))
	lead, leadCSRF := f.loginAs(leaderUser)
	staff, staffCSRF := f.login()
	checked := 0
	for _, rt := range f.s.routeList {
		mutating := false
		for _, m := range rt.methods {
			mutating = mutating || (m != http.MethodGet && m != http.MethodHead)
		}
		path := concrete(rt.pattern)
		if !mutating || path == "/staff/login" || path == "/staff/logout" {
			continue
		}
		for _, m := range rt.methods {
			if m == http.MethodGet || m == http.MethodHead {
				continue
			}
			checked++
			form := url.Values{"csrf": {leadCSRF}, "year": {"2015"}}
			resp := f.do(m, path, strings.NewReader(form.Encode()),
				map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, lead)
			body := readBody(t, resp)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "领导账号只能查看") {
				t.Errorf("leader %s %s: %d, want 403 saying leaders only look", m, path, resp.StatusCode)
			}
			form.Set("csrf", staffCSRF)
			resp = f.do(m, path, strings.NewReader(form.Encode()),
				map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, staff)
			if body := readBody(t, resp); strings.Contains(body, "领导账号只能查看") {
				t.Errorf("staff %s %s refused as a leader", m, path)
			}
		}
	}
	if checked < 4 {
		t.Fatalf("only %d mutating routes found in the route table", checked)
	}
}

// A leader sees the dashboard, trends and the report (with its downloads) but
// no form that changes anything, and not the editing pages.
func TestLeaderSeesButCannotEdit(t *testing.T) {
	f := newFixture(t, withLeader(t))
	lead, _ := f.loginAs(leaderUser)
	dash := wantStatus(t, f.get("/staff?year=2015", lead), http.StatusOK)
	for _, form := range []string{`id="manual-form"`, `id="import-form"`, `/delete"`, `href="/staff/thesaurus"`} {
		if strings.Contains(dash, form) {
			t.Errorf("leader's dashboard shows %s", form)
		}
	}
	for _, path := range []string{"/trends?year=2015", "/staff/report?year=2015", "/staff/report?year=2015&format=xlsx",
		"/staff/export/stats.csv?year=2015"} {
		wantStatus(t, f.get(path, lead), http.StatusOK)
	}
	wantStatus(t, f.get("/staff/thesaurus", lead), http.StatusForbidden)
	resp := f.do(http.MethodPost, "/staff/logout", strings.NewReader(url.Values{"csrf": {csrfOf(t, dash)}}.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, lead)
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("leader logout: %d, want 303", resp.StatusCode)
	}
}
