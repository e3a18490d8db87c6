package web

import (
	"net/http"
	"time"
)

// elderCookie remembers the 长辈版 choice (适老化: larger type, higher
// contrast, one column) for a year.
const elderCookie = "gk_elder"

// elderMode reports whether the visitor chose 长辈版.
func elderMode(r *http.Request) bool {
	c, err := r.Cookie(elderCookie)
	return err == nil && c.Value == "1"
}

// handleElder switches 长辈版 on (or off with ?off=1) and goes back to
// ?next= (a path on this site), so the switch is a plain link that works
// without JavaScript.
func (s *Server) handleElder(w http.ResponseWriter, r *http.Request) {
	c := &http.Cookie{Name: elderCookie, Value: "1", Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.overTLS(r)}
	if r.URL.Query().Get("off") != "" {
		c.Value, c.MaxAge = "", -1
	}
	http.SetCookie(w, c)
	next := r.URL.Query().Get("next")
	if next == "" || safeNext(next) != next {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
