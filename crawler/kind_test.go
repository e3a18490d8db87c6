package crawler

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// A kind of source added in this file only: a list of article URLs given
// inline as the source's url, separated by spaces, whose documents go to
// the board channel.
func init() {
	Register(Kind{
		Kind: config.Kind{Name: "test_inline", Channel: store.ChannelBoard, Keys: []string{"url"},
			Validate: func(s config.Source, c config.Check) {
				for _, u := range strings.Fields(s.URL) {
					c.URL("url", u)
				}
			}},
		Open: func(src config.Source) (Source, error) { return inline{src}, nil },
	})
}

type inline struct{ src config.Source }

func (s inline) Channel() string { return s.src.Channel }

func (s inline) List(_ context.Context, _ *Env, found func(List) error) error {
	var items []Item
	for _, u := range strings.Fields(s.src.URL) {
		items = append(items, Item{URL: u})
	}
	return found(List{URL: "inline", Items: items})
}

func TestRegisteredKind(t *testing.T) {
	s := newTownship(t, 3, 5)
	yaml := "sources:\n  - name: board\n    kind: test_inline\n    url: " + s.URL + "/tzgg/201503/t20150302_1.html " +
		s.URL + "/tzgg/201503/t20150303_2.html\n"
	cfg, err := config.Parse("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Sources[0].Channel != store.ChannelBoard {
		t.Fatalf("channel %q, want the kind's default", cfg.Sources[0].Channel)
	}
	st, _ := setup(t, s)
	runs := runAll(t, newCrawler(st, cfg, nil))
	if r := runs["board"]; r.New != 2 {
		t.Fatalf("run: %+v", r)
	}
	st.Each(context.Background(), func(d *store.Document) error {
		if d.Channel != store.ChannelBoard || d.Source != "board" {
			t.Errorf("document %s: channel %q source %q", d.Title, d.Channel, d.Source)
		}
		return nil
	})

	// The kind's schema and checks apply, with lines.
	_, err = config.Parse("test.yaml", []byte("sources:\n  - name: board\n    kind: test_inline\n    url: ftp://x\n    start: [http://a/]\n"))
	var ps config.Problems
	if !errors.As(err, &ps) || !strings.Contains(err.Error(), "test.yaml:4: sources[0].url") ||
		!strings.Contains(err.Error(), `test.yaml:5: sources[0].start: "start" does not apply to a test_inline source`) {
		t.Fatalf("problems: %v", err)
	}
	if !strings.Contains(strings.Join(config.KindNames(), " "), "test_inline") {
		t.Errorf("kinds: %v", config.KindNames())
	}
}
