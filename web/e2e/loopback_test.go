package e2e

import "testing"

func TestOnLoopback(t *testing.T) {
	for raw, want := range map[string]bool{
		"http://127.0.0.1:8080/static/site.css": true,
		"http://localhost/api/suggest?q=di":     true,
		"http://[::1]:80/":                      true,
		"data:image/svg+xml;base64,AAAA":        true,
		"blob:http://127.0.0.1:8080/0f3c":       true,
		"https://cdn.jsdelivr.net/echarts.js":   false,
		"http://127.0.0.2/":                     false,
		"http://127.0.0.1.example.com/":         false,
		"https://fonts.googleapis.com/css":      false,
		"chrome-extension://abc/x.js":           false,
	} {
		if got := onLoopback(raw); got != want {
			t.Errorf("onLoopback(%q) = %v, want %v", raw, got, want)
		}
	}
}
