package proof

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/gongkai-project/gongkai/config"
	_ "github.com/gongkai-project/gongkai/crawler" // registers the source kinds the demo configures
)

// writeConfig marshals cfg to gongkai.yaml in dir and checks that
// config.Load reads back exactly cfg; every field that does not round-trip
// is reported by its path.
func writeConfig(t testing.TB, dir string, cfg *config.Config) string {
	t.Helper()
	data, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatalf("marshal config: %v", err)
	}
	path := filepath.Join(dir, "gongkai.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := config.Load(path)
	if err != nil {
		t.Fatalf("config.Load of the marshalled demo config: %v", err)
	}
	for _, d := range valueDiff("config", reflect.ValueOf(cfg).Elem(), reflect.ValueOf(back).Elem()) {
		t.Errorf("config does not round-trip through YAML: %s", d)
	}
	return path
}

// valueDiff lists the paths where a and b differ (nil and empty count as equal:
// YAML cannot tell them apart and no setting depends on the difference).
func valueDiff(path string, a, b reflect.Value) []string {
	if a.Kind() != b.Kind() {
		return []string{fmt.Sprintf("%s: kind %s vs %s", path, a.Kind(), b.Kind())}
	}
	switch a.Kind() {
	case reflect.Struct:
		var out []string
		for i := range a.NumField() {
			out = append(out, valueDiff(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i))...)
		}
		return out
	case reflect.Slice:
		if a.Len() != b.Len() {
			return []string{fmt.Sprintf("%s: %d elements written, %d read back", path, a.Len(), b.Len())}
		}
		var out []string
		for i := range a.Len() {
			out = append(out, valueDiff(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i))...)
		}
		return out
	case reflect.Map:
		var out []string
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				out = append(out, fmt.Sprintf("%s[%v]: missing after reading back", path, k))
				continue
			}
			out = append(out, valueDiff(fmt.Sprintf("%s[%v]", path, k), a.MapIndex(k), bv)...)
		}
		if b.Len() > a.Len() {
			out = append(out, fmt.Sprintf("%s: %d keys written, %d read back", path, a.Len(), b.Len()))
		}
		return out
	default:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return []string{fmt.Sprintf("%s: wrote %v, read back %v", path, a.Interface(), b.Interface())}
		}
		return nil
	}
}
