package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Problem is one thing wrong in a configuration file.
type Problem struct {
	File string
	Line int    // 0 when the problem has no single place
	Path string // e.g. sources[0].kind
	Msg  string
}

func (p Problem) Error() string {
	loc := p.File
	if p.Line > 0 {
		loc += ":" + strconv.Itoa(p.Line)
	}
	if p.Path != "" {
		return fmt.Sprintf("%s: %s: %s", loc, p.Path, p.Msg)
	}
	return fmt.Sprintf("%s: %s", loc, p.Msg)
}

// Problems is every problem found in one file.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Load reads the configuration file at path over the defaults. It returns
// Problems listing everything wrong with the file, each with its line.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data)
}

// Parse is Load for configuration text already read; name is used in messages.
func Parse(name string, data []byte) (*Config, error) {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, Problems{{File: name, Line: errLine(err), Msg: firstLine(err)}}
	}
	lines := map[string]int{}
	var probs Problems
	for _, doc := range file.Docs {
		if doc.Body != nil {
			walk(doc.Body, reflect.TypeOf(Config{}), "", lines, func(line int, path, msg string) {
				probs = append(probs, Problem{File: name, Line: line, Path: path, Msg: msg})
			})
		}
	}
	cfg := Default()
	if err := yaml.Unmarshal(data, cfg); err != nil {
		return nil, append(probs, Problem{File: name, Line: errLine(err), Msg: firstLine(err)})
	}
	cfg.fill()
	cfg.resolvePaths(filepath.Dir(name))
	for _, p := range cfg.validate() {
		p.File, p.Line = name, lineOf(lines, p.Path)
		probs = append(probs, p)
	}
	for i, s := range cfg.Sources {
		if k, ok := KindNamed(s.Kind); ok {
			unfitKeys(func(path, format string, args ...any) {
				probs = append(probs, Problem{File: name, Line: lines[path], Path: path, Msg: fmt.Sprintf(format, args...)})
			}, lines, i, k)
		}
	}
	if len(probs) > 0 {
		sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
		return nil, probs
	}
	return cfg, nil
}

// lineOf finds the line of path, or of its nearest parent that has one.
func lineOf(lines map[string]int, path string) int {
	for path != "" {
		if l, ok := lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// walk records the line of every path in node and reports mapping keys that
// the Go type t has no field for.
func walk(node ast.Node, t reflect.Type, path string, lines map[string]int, report func(int, string, string)) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch n := node.(type) {
	case *ast.MappingNode:
		for _, mv := range n.Values {
			walkPair(mv, t, path, lines, report)
		}
	case *ast.MappingValueNode:
		walkPair(n, t, path, lines, report)
	case *ast.SequenceNode:
		if t.Kind() != reflect.Slice {
			report(n.GetToken().Position.Line, path, fmt.Sprintf("a list is not allowed here (want %s)", kindName(t)))
			return
		}
		for i, v := range n.Values {
			p := fmt.Sprintf("%s[%d]", path, i)
			lines[p] = v.GetToken().Position.Line
			walk(v, t.Elem(), p, lines, report)
		}
	}
}

// removedKeys are settings of earlier versions, each with what replaced it.
var removedKeys = map[string]string{
	"alerts.soon_days": "no longer used: 即将超期 is one rule on the dashboard and in alerts, the last " +
		"staleness.warn_share (default 0.2) of each limit; remove this line (docs/alerts.md)",
}

func walkPair(mv *ast.MappingValueNode, t reflect.Type, path string, lines map[string]int, report func(int, string, string)) {
	key := mv.Key.GetToken().Value
	line := mv.Key.GetToken().Position.Line
	var child reflect.Type
	switch t.Kind() {
	case reflect.Struct:
		f, ok := fieldByTag(t, key)
		if why, gone := removedKeys[join(path, key)]; !ok && gone {
			report(line, join(path, key), why)
			return
		}
		if !ok {
			report(line, join(path, key), fmt.Sprintf("unknown key %q (known: %s)", key, strings.Join(tags(t), ", ")))
			return
		}
		child = f.Type
	case reflect.Map:
		child = t.Elem()
	default:
		report(line, join(path, key), fmt.Sprintf("a mapping is not allowed here (want %s)", kindName(t)))
		return
	}
	p := join(path, key)
	lines[p] = line
	walk(mv.Value, child, p, lines, report)
}

func fieldByTag(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func tags(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name != "" {
			out = append(out, name)
		}
	}
	return out
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "a mapping"
	default:
		return "a single value"
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func errLine(err error) int {
	var se yaml.Error
	if errors.As(err, &se) && se.GetToken() != nil {
		return se.GetToken().Position.Line
	}
	return 0
}

// firstLine drops the source excerpt goccy appends to its messages.
func firstLine(err error) string {
	var se yaml.Error
	if errors.As(err, &se) {
		return se.GetMessage()
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return msg
}
