package config_test

// These tests read configurations with sources, whose kinds package
// crawler registers.

import (
	"bytes"
	"errors"
	"fmt"
	. "github.com/gongkai-project/gongkai/config"
	_ "github.com/gongkai-project/gongkai/crawler"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

func TestExampleFileIsValid(t *testing.T) {
	c, err := Load("../gongkai.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Targets[2015].Channels["portal"] != 56 || c.Server.RecrawlEvery != 6*time.Hour ||
		c.Sources[0].Rate != 1 || c.Sources[1].Channel != "wechat" || c.Staleness.Columns[1].Days != 183 {
		t.Fatalf("example file read wrongly: %+v", c)
	}
}

// TestExampleStalenessIsTheDefault checks that the example configuration
// states every built-in staleness default (the inspection rules), and states
// it as Default has it: the staleness section read on its own, with no
// defaults underneath, equals Default's except for the local lists
// (villages, holidays, workdays).
func TestExampleStalenessIsTheDefault(t *testing.T) {
	data, err := os.ReadFile("../gongkai.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var keys struct {
		Staleness map[string]any `yaml:"staleness"`
	}
	if err := yaml.Unmarshal(data, &keys); err != nil {
		t.Fatal(err)
	}
	var example struct {
		Staleness Staleness `yaml:"staleness"`
	}
	if err := yaml.Unmarshal(data, &example); err != nil {
		t.Fatal(err)
	}
	got, want := example.Staleness, Default().Staleness
	local := map[string]bool{"villages": true, "holidays": true, "workdays": true}
	st := reflect.TypeOf(want)
	for i := range st.NumField() {
		key := strings.Split(st.Field(i).Tag.Get("yaml"), ",")[0]
		if local[key] {
			continue
		}
		if _, ok := keys.Staleness[key]; !ok {
			t.Errorf("the example does not state staleness.%s (default %v)", key, reflect.ValueOf(want).Field(i))
		}
	}
	got.Villages, got.Holidays, got.Workdays = want.Villages, want.Holidays, want.Workdays
	if !reflect.DeepEqual(got, want) {
		t.Errorf("example staleness %+v\nbuilt-in default %+v", got, want)
	}
}

func TestProblemsHaveLines(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string // "line:fragment"
	}{
		{"unknown keys everywhere", `
sources:
  - name: a
    kind: portal
    strat: [http://x]
server:
  adr: 1
colour: red
`, []string{"5:unknown key \"strat\"", "7:unknown key \"adr\"", "8:unknown key \"colour\""}},
		{"semantic", `
sources:
  - name: a
    kind: portal
    start: [ftp://x]
    article_pattern: ["("]
  - name: a
    kind: rss
targets:
  2015:
    period_end: "13-40"
    channels: {portal: -1}
server:
  users:
    - name: staff
      password_hash: secret
      role: boss
analytics:
  as_of: 2015/12/31
`, []string{"5:not an http(s) URL", "6:bad regular expression", "7:already used", "8:unknown kind",
			"11:not a day of the year", "12:must not be negative", "16:not a bcrypt hash", "17:not a role",
			"19:not a date"}},
		{"settings of another kind", `
sources:
  - name: feed
    kind: feed
    url: http://x/feed.xml
    driver: trs
  - name: city
    kind: upper_portal
    start: [http://city/col/index.html]
`, []string{`6:"driver" does not apply to a feed source`, "7:needs the names its township's items carry"}},
		{"type error", "server:\n  search_burst: many\n", []string{"2:"}},
		{"syntax error", "sources:\n  - name: [unclosed\n", []string{":"}},
		{"list where a mapping goes", "server:\n  - addr\n", []string{"2:a list is not allowed"}},
	}
	for _, tc := range cases {
		_, err := Parse("test.yaml", []byte(tc.yaml))
		var ps Problems
		if !errors.As(err, &ps) {
			t.Errorf("%s: error %v is not Problems", tc.name, err)
			continue
		}
		msg := err.Error()
		for _, w := range tc.want {
			line, frag, _ := strings.Cut(w, ":")
			if !strings.Contains(msg, "test.yaml:"+line) || !strings.Contains(msg, frag) {
				t.Errorf("%s: want line %s with %q in:\n%s", tc.name, line, frag, msg)
			}
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	if _, err := Load("testdata/nope.yaml"); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	data, _ := os.ReadFile("../gongkai.example.yaml")
	f.Add(data)
	f.Add([]byte("server: {addr: ':1'}\n"))
	f.Add([]byte("targets: {2015: {months: {'13': {x: 1}}}}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse("fuzz.yaml", b)
		if err == nil && c == nil {
			t.Fatal("nil config without error")
		}
	})
}

func TestMarshalRoundTrip(t *testing.T) {
	c, err := Load("../gongkai.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("written.yaml", b)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	again, _ := Marshal(back)
	if !bytes.Equal(b, again) || !reflect.DeepEqual(c.Targets, back.Targets) || !reflect.DeepEqual(c.Server, back.Server) {
		t.Fatalf("round trip changed the configuration:\n%s\n---\n%s", b, again)
	}
}

func TestAllowNetworks(t *testing.T) {
	yaml := "sources:\n  - name: intranet\n    start: [http://10.1.2.3/col/index.html]\n    allow_networks: [10.1.2.3, 10.20.0.0/16, fd00::/8]\n  - name: bad\n    start: [http://10.1.2.3/x/index.html]\n    allow_networks: [intranet.local]\n"
	_, err := Parse("gongkai.yaml", []byte(yaml))
	if err == nil || !strings.Contains(err.Error(), "sources[1].allow_networks[0]") || strings.Contains(err.Error(), "sources[0]") {
		t.Fatalf("want one problem with sources[1].allow_networks[0], got %v", err)
	}
}

func TestCrawlLimits(t *testing.T) {
	c := Default()
	if c.Crawl.MaxPageBytes != DefaultMaxPageBytes || c.Crawl.MaxFileBytes != DefaultMaxFileBytes || c.Crawl.Timeout == 0 || c.Crawl.ConnectTimeout == 0 {
		t.Errorf("defaults: %+v", c.Crawl)
	}
	c, err := Parse("gongkai.yaml", []byte("crawl:\n  max_page_bytes: 1048576\n  timeout: 30s\n"))
	if err != nil || c.Crawl.MaxPageBytes != 1<<20 || c.Crawl.Timeout.Seconds() != 30 || c.Crawl.MaxFileBytes != DefaultMaxFileBytes {
		t.Fatalf("parsed: %+v %v", c, err)
	}
	_, err = Parse("gongkai.yaml", []byte("crawl:\n  max_page_bytes: 50000000\n"))
	if err == nil || !strings.Contains(err.Error(), "crawl.max_page_bytes") {
		t.Errorf("a page limit over the file limit: %v", err)
	}
}

// TestServeMemoryLimit: server.memory_limit_mb defaults to
// DefaultServeMemoryMB, -1 turns it off, and a limit below what gse's
// dictionary holds is refused.
func TestServeMemoryLimit(t *testing.T) {
	if c := Default(); c.Server.MemoryLimitMB != DefaultServeMemoryMB {
		t.Errorf("default: %d MB, want %d", c.Server.MemoryLimitMB, DefaultServeMemoryMB)
	}
	for _, v := range []string{"-1", "256", "2048"} {
		if c, err := Parse("gongkai.yaml", []byte("server:\n  memory_limit_mb: "+v+"\n")); err != nil || fmt.Sprint(c.Server.MemoryLimitMB) != v {
			t.Errorf("memory_limit_mb: %s: %v", v, err)
		}
	}
	for _, v := range []string{"-2", "100"} {
		if _, err := Parse("gongkai.yaml", []byte("server:\n  memory_limit_mb: "+v+"\n")); err == nil || !strings.Contains(err.Error(), "server.memory_limit_mb") {
			t.Errorf("memory_limit_mb: %s: %v, want it refused", v, err)
		}
	}
}
