package crawler

import (
	"regexp"
	"strings"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

// Categorize returns the local category of d: the category of the first
// rule that matches its column, published subject, URL or title, else
// cats.Default (config fills it in). Invalid URL patterns never match
// (config validation reports them).
func Categorize(cats config.Categories, d *store.Document) string {
	for _, r := range cats.Rules {
		if ruleMatches(r, d) {
			return r.Category
		}
	}
	return cats.Default
}

func ruleMatches(r config.Rule, d *store.Document) bool {
	return containsAny(d.Column, r.Column) || containsAny(d.Subject, r.Subject) ||
		containsAny(d.Title, r.Title) || matchesAny(d.URL, r.URL)
}

// containsAny reports whether s contains one of the non-empty substrings.
func containsAny(s string, subs []string) bool {
	if s == "" {
		return false
	}
	for _, sub := range subs {
		if sub = strings.TrimSpace(sub); sub != "" && strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func matchesAny(s string, patterns []string) bool {
	if s == "" {
		return false
	}
	for _, p := range patterns {
		if re, err := regexp.Compile(p); err == nil && re.MatchString(s) {
			return true
		}
	}
	return false
}
