package failure

import "testing"

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Reason
		ok   bool
	}{
		{"robots", Reason{Code: Robots}, true},
		{"robots: GET http://x/: robots.txt disallows this URL", Reason{Code: Robots, Detail: "GET http://x/: robots.txt disallows this URL"}, true},
		{HTTPStatus(404), Reason{Code: HTTP, Status: 404}, true},
		{"http 503: GET http://x/", Reason{Code: HTTP, Status: 503, Detail: "GET http://x/"}, true},
		{"list timeout", Reason{Stage: StageList, Code: Timeout}, true},
		{"archive http 404", Reason{Stage: StageArchive, Code: HTTP, Status: 404}, true},
		{UnavailableBecause(Expired), Reason{Code: Unavailable, Detail: Expired}, true},
		{"http", Reason{}, false},
		{"http abc", Reason{}, false},
		{"list nonsense", Reason{}, false},
		{"something else: detail", Reason{}, false},
		{"", Reason{}, false},
	} {
		got, ok := Parse(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Parse(%q) = %+v %v, want %+v %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
