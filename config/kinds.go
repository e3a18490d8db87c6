package config

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Kind is what the configuration knows of one kind of source: the settings
// it takes, the channel of its documents, its defaults and its checks.
// Source kinds register themselves (package crawler does, in init) before
// any configuration is read, as Bleve's analyzers do.
type Kind struct {
	Name    string
	Channel string   // channel of its documents when the source names none
	Keys    []string // keys it takes beyond the common ones (see commonKeys)
	// Fill sets the defaults of its settings; nil for none.
	Fill func(*Source)
	// Validate reports what is wrong with a source's settings; nil for nothing to check.
	Validate func(Source, Check)
}

// commonKeys are the source keys every kind takes.
var commonKeys = []string{"name", "kind", "unit", "channel", "category", "rate", "selectors", "allow_private", "allow_networks"}

var (
	kindsMu sync.RWMutex
	kinds   = map[string]Kind{}
)

// RegisterKind makes a source kind known to the configuration. It panics
// when the name is empty or taken, or a key is not a source setting.
func RegisterKind(k Kind) {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	if k.Name == "" || kinds[k.Name].Name != "" {
		panic(fmt.Sprintf("config: source kind %q registered twice or unnamed", k.Name))
	}
	for _, key := range k.Keys {
		if !slices.Contains(sourceKeys, key) {
			panic(fmt.Sprintf("config: source kind %s: %q is not a source setting", k.Name, key))
		}
	}
	kinds[k.Name] = k
}

// KindNamed returns the registered kind with this name.
func KindNamed(name string) (Kind, bool) {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	k, ok := kinds[name]
	return k, ok
}

// KindNames returns the names of the registered kinds, sorted.
func KindNames() []string {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	out := make([]string, 0, len(kinds))
	for n := range kinds {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// takes reports whether a source of kind k may set key.
func (k Kind) takes(key string) bool {
	return slices.Contains(commonKeys, key) || slices.Contains(k.Keys, key)
}

// Check collects the problems a kind finds in one source's settings.
type Check struct {
	path string
	add  addFunc
}

// Add reports a problem with the setting key ("" for the source as a whole).
func (c Check) Add(key, format string, args ...any) {
	p := c.path
	if key != "" {
		p += "." + key
	}
	c.add(p, format, args...)
}

// URL reports raw, the value of key, when it is not an http(s) URL.
func (c Check) URL(key, raw string) { checkURL(c.add, c.path+"."+key, raw) }

// Regexp reports re, the value of key, when it does not compile.
func (c Check) Regexp(key, re string) {
	if _, err := regexp.Compile(re); err != nil {
		c.Add(key, "bad regular expression: %v", err)
	}
}

// sourceKeys are the keys of Source, from its yaml tags.
var sourceKeys = tags(reflect.TypeOf(Source{}))

// unfitKeys reports the keys a source sets that its kind does not take,
// with the paths that walk recorded (lines has "sources[i].key").
func unfitKeys(add addFunc, lines map[string]int, i int, k Kind) {
	prefix := fmt.Sprintf("sources[%d].", i)
	for p := range lines {
		key, ok := strings.CutPrefix(p, prefix)
		if !ok || strings.ContainsAny(key, ".[") || k.takes(key) || !slices.Contains(sourceKeys, key) {
			continue
		}
		keys := append(slices.Clone(k.Keys), commonKeys...)
		add(p, "%q does not apply to a %s source (it takes: %s)", key, k.Name, strings.Join(keys, ", "))
	}
}
