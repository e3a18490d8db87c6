package probe

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/gongkai-project/gongkai/config"
)

// sourceYAML is a portal source as gongkai.yaml spells it, without the
// settings that keep their defaults.
type sourceYAML struct {
	Name           string            `yaml:"name"`
	Kind           string            `yaml:"kind"`
	Channel        string            `yaml:"channel,omitempty"`
	Start          []string          `yaml:"start"`
	Driver         string            `yaml:"driver"`
	ArticlePattern []string          `yaml:"article_pattern,omitempty"`
	MaxPages       int               `yaml:"max_pages"`
	Rate           float64           `yaml:"rate"`
	Selectors      *config.Selectors `yaml:"selectors,omitempty"`
}

// sourcesBlock writes src as a sources: block for gongkai.yaml.
func sourcesBlock(src config.Source) (string, error) {
	s := sourceYAML{Name: src.Name, Kind: config.KindPortal, Channel: src.Channel, Start: src.Start, Driver: src.Driver,
		ArticlePattern: src.ArticlePattern, MaxPages: src.MaxPages, Rate: src.Rate}
	if s.MaxPages <= 0 {
		s.MaxPages = 50
	}
	if s.Rate == 0 {
		s.Rate = 1
	}
	if src.Selectors != (config.Selectors{}) {
		s.Selectors = &src.Selectors
	}
	b, err := yaml.Marshal(struct {
		Sources []sourceYAML `yaml:"sources"`
	}{[]sourceYAML{s}})
	if err != nil {
		return "", fmt.Errorf("write source %s: %w", src.Name, err)
	}
	return string(b), nil
}

var (
	metaRe  = regexp.MustCompile(`(?is)<meta\s[^>]*name=["']?(SiteName|ColumnName)["']?[^>]*>`)
	contRe  = regexp.MustCompile(`(?is)content=["']([^"']*)["']`)
	titleRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	tagRe   = regexp.MustCompile(`<[^>]*>`)
)

// sourceName names a new source after the page: its SiteName and
// ColumnName metas, else its <title>, else its host.
func sourceName(text, u string) string {
	metas := map[string]string{}
	for _, m := range metaRe.FindAllStringSubmatch(text, -1) {
		if c := contRe.FindStringSubmatch(m[0]); c != nil {
			metas[strings.ToLower(m[1])] = clean(c[1])
		}
	}
	var parts []string
	for _, k := range []string{"sitename", "columnname"} {
		if v := metas[k]; v != "" && !slices.Contains(parts, v) {
			parts = append(parts, v)
		}
	}
	if len(parts) == 0 {
		if m := titleRe.FindStringSubmatch(text); m != nil {
			parts = append(parts, clean(m[1]))
		}
	}
	if name := strings.Join(parts, "-"); name != "" {
		return name
	}
	if pu, err := url.Parse(u); err == nil && pu.Host != "" {
		return pu.Host
	}
	return u
}

// clean makes one line of text from a bit of markup, cut to 60 characters.
func clean(s string) string {
	s = strings.Join(strings.Fields(html.UnescapeString(tagRe.ReplaceAllString(s, " "))), " ")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60])
	}
	return s
}
