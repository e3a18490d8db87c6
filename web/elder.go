package web

import (
	"net/http"
	"time"
)

// Reading preferences, each remembered in a cookie for a year: 长辈版
// (适老化: larger type, higher contrast, one column) and the text size of
// document pages (大/中/小).
const (
	elderCookie = "gk_elder"
	sizeCookie  = "gk_size"
)

// textSizes are the sizes of /textsize?size=, with their labels; m is the default.
var textSizes = [][2]string{{"l", "大"}, {"m", "中"}, {"s", "小"}}

// elderMode reports whether the visitor chose 长辈版.
func elderMode(r *http.Request) bool {
	c, err := r.Cookie(elderCookie)
	return err == nil && c.Value == "1"
}

// textSize is the visitor's text size: l, s, or m (the default).
func textSize(r *http.Request) string {
	if c, err := r.Cookie(sizeCookie); err == nil && (c.Value == "l" || c.Value == "s") {
		return c.Value
	}
	return "m"
}

// handleElder switches 长辈版 on (or off with ?off=1) and goes back to
// ?next=, so the switch is a plain link that works without JavaScript.
func (s *Server) handleElder(w http.ResponseWriter, r *http.Request) {
	value := "1"
	if r.URL.Query().Get("off") != "" {
		value = ""
	}
	s.setPreference(w, r, elderCookie, value)
}

// handleTextSize sets the text size of document pages (?size=l|m|s) and
// goes back to ?next=.
func (s *Server) handleTextSize(w http.ResponseWriter, r *http.Request) {
	switch size := r.URL.Query().Get("size"); size {
	case "l", "s":
		s.setPreference(w, r, sizeCookie, size)
	case "m":
		s.setPreference(w, r, sizeCookie, "")
	default:
		s.errorPage(w, r, http.StatusBadRequest, "size 参数应为 l（大）、m（中）或 s（小）")
	}
}

// setPreference sets (or, with value "", clears) a preference cookie and
// redirects to ?next= when it is a path of this site, else to /.
func (s *Server) setPreference(w http.ResponseWriter, r *http.Request, name, value string) {
	c := &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.overTLS(r)}
	if value == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
	next := r.URL.Query().Get("next")
	if next == "" || safeNext(next) != next {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
