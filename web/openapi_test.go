package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/gongkai-project/gongkai/config"
)

// strict forbids properties a schema does not name, so that a field the
// handlers write and the document lacks fails the test (the served document
// itself leaves objects open, for clients of later versions).
func strict(s *openapi3.Schema, seen map[*openapi3.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if s.Type.Is("object") && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil && len(s.Properties) > 0 {
		no := false
		s.AdditionalProperties.Has = &no
	}
	for _, p := range s.Properties {
		strict(p.Value, seen)
	}
	if s.Items != nil {
		strict(s.Items.Value, seen)
	}
	if s.AdditionalProperties.Schema != nil {
		strict(s.AdditionalProperties.Schema.Value, seen)
	}
}

// TestOpenAPIMatchesHandlers sends real requests to every route of the
// OpenAPI document, for each status it documents that a request can bring
// about, and validates request and response against the document
// (kin-openapi): parameters the server rejects are those the document
// rejects, and every response has the documented status, type and fields.
func TestOpenAPIMatchesHandlers(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	raw := wantStatus(t, f.get("/api/openapi.json"), http.StatusOK)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("the OpenAPI document is invalid: %v", err)
	}
	seen := map[*openapi3.Schema]bool{}
	for _, s := range doc.Components.Schemas {
		strict(s.Value, seen)
	}
	for _, p := range doc.Paths.Map() {
		for _, op := range p.Operations() {
			for _, r := range op.Responses.Map() {
				for _, c := range r.Value.Content {
					strict(c.Schema.Value, seen)
				}
			}
		}
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	sess, _ := f.login()
	limited := newFixture(t, func(c *config.Config) { c.Server.SearchRate, c.Server.SearchBurst = 0.001, 1 })
	if err := limited.st.MarkRemoved(ctx, "wx-yanglao"); err != nil { // removed at the source: 410
		t.Fatal(err)
	}
	cases := []struct {
		fx         *fixture
		target     string
		cookie     *http.Cookie
		status     int
		badRequest bool // the document rejects the request too
	}{
		{f, "/api/search?q=" + url.QueryEscape("低保"), nil, 200, false},
		{f, "/api/search?q=" + url.QueryEscape("危房改造补助标准是多少") + "&limit=5&offset=0", nil, 200, false},
		{f, "/api/search?channel=portal&from=2015-01-01&to=2015-12-31&sort=date", nil, 200, false},
		{f, "/api/search?q=" + url.QueryEscape("通知") + "&category=" + url.QueryEscape("通知公告") + "&validity=" + url.QueryEscape("现行有效"), nil, 200, false},
		{f, "/api/search?q=" + url.QueryEscape("低保") + "&after=1&after=dibao-2015", nil, 200, false},
		{f, "/api/search?q=dibao", nil, 200, false},
		{f, "/api/search?limit=0", nil, 400, true},
		{f, "/api/search?limit=101", nil, 400, true},
		{f, "/api/search?offset=-1", nil, 400, true},
		{f, "/api/search?from=2015-13-01", nil, 400, true},
		{f, "/api/search?sort=title", nil, 400, true},
		{f, "/api/search?q=" + strings.Repeat("长", 101), nil, 400, true},
		{limited, "/api/search?q=x", nil, 200, false},
		{limited, "/api/search?q=x", nil, 429, false},
		{limited, "/api/suggest?q=x", nil, 429, false},
		{f, "/api/suggest?q=" + url.QueryEscape("低"), nil, 200, false},
		{f, "/api/suggest?q=" + strings.Repeat("长", 101), nil, 400, true},
		{f, "/api/documents/dibao-2015", nil, 200, false},
		{f, "/api/documents/nope", nil, 404, false},
		{f, "/api/stats?year=2015", sess, 200, false},
		{f, "/api/stats", sess, 200, false},
		{f, "/api/stats?year=abc", sess, 400, true},
		{f, "/api/stats?year=2015", nil, 401, false},
		{limited, "/api/documents/wx-yanglao", nil, 410, false},
		{f, "/api/manual?year=2015", sess, 200, false},
		{f, "/api/manual", nil, 401, false},
		{f, "/api/openapi.json", nil, 200, false},
	}
	covered := map[string][]int{}
	for _, tc := range cases {
		resp := tc.fx.do(http.MethodGet, tc.target, nil, nil, cookies(tc.cookie)...)
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.target, resp.StatusCode, tc.status, body)
			continue
		}
		req := resp.Request.Clone(ctx)
		req.URL.Scheme, req.URL.Host = "", ""
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Errorf("%s: not in the OpenAPI document: %v", tc.target, err)
			continue
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		err = openapi3filter.ValidateRequest(ctx, in)
		if tc.badRequest != (err != nil) {
			t.Errorf("%s: request validation %v, want a rejection %v", tc.target, err, tc.badRequest)
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode,
			Header: resp.Header, Body: io.NopCloser(bytes.NewReader(body)),
			Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			t.Errorf("%s: response %d does not match the document: %v", tc.target, resp.StatusCode, err)
		}
		covered[route.Path] = append(covered[route.Path], resp.StatusCode)
	}
	for path, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for code := range op.Responses.Map() {
				if code != "500" && !slices.ContainsFunc(covered[path], func(c int) bool { return http.StatusText(c) != "" && code == strconv.Itoa(c) }) {
					t.Errorf("%s: documented status %s is never checked", path, code)
				}
			}
		}
	}
}

func cookies(c *http.Cookie) []*http.Cookie {
	if c == nil {
		return nil
	}
	return []*http.Cookie{c}
}
