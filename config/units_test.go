package config_test

import (
	"errors"
	"strings"
	"testing"

	. "github.com/gongkai-project/gongkai/config"
)

const twoUnits = `
units:
  - name: 康大营镇
    reports: reports-kdy.csv
  - name: 城关镇
    targets:
      2015: {channels: {portal: 30}}
    staleness: {wechat_days: 7}
targets:
  2015: {channels: {portal: 56, wechat: 20}}
staleness: {wechat_days: 14, homepage_days: 10}
sources:
  - name: kdy
    unit: 康大营镇
    start: [http://a.example/]
  - name: cgz
    unit: 城关镇
    start: [http://b.example/]
`

func TestUnitsGroupSourcesTargetsAndStaleness(t *testing.T) {
	c, err := Parse("/etc/gongkai/gongkai.yaml", []byte(twoUnits))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.UnitNames(); len(got) != 2 || got[0] != "康大营镇" || got[1] != "城关镇" || !c.MultiUnit() {
		t.Fatalf("units %v", got)
	}
	kdy, ok := c.ForUnit("康大营镇")
	if !ok || len(kdy.Sources) != 1 || kdy.Sources[0].Name != "kdy" || kdy.Targets[2015].Channels["portal"] != 56 ||
		kdy.Staleness.WeChatDays != 14 {
		t.Fatalf("康大营镇 takes the top-level targets and rules: %+v", kdy)
	}
	if kdy.Units[0].Reports != "/etc/gongkai/reports-kdy.csv" {
		t.Errorf("reports path %q, want it beside the configuration file", kdy.Units[0].Reports)
	}
	cgz, _ := c.ForUnit("城关镇")
	if cgz.Sources[0].Name != "cgz" || cgz.Targets[2015].Channels["portal"] != 30 || cgz.Staleness.WeChatDays != 7 ||
		cgz.Staleness.HomepageDays != 10 || cgz.Staleness.DisclosureWorkdays != 20 {
		t.Fatalf("城关镇 has its own targets and WeChat rule, the other rules the top-level ones: %+v %+v", cgz.Targets, cgz.Staleness)
	}
	if got := c.CountyTargets()[2015].Channels; got["portal"] != 86 || got["wechat"] != 20 {
		t.Errorf("county targets %v, want the sums portal 86, wechat 20", got)
	}
	if _, ok := c.ForUnit("柳河镇"); ok {
		t.Error("an unknown unit was found")
	}
	if got := c.SourceUnits(); got["cgz"] != "城关镇" {
		t.Errorf("source units %v", got)
	}
}

func TestOneUnitIsTheDefault(t *testing.T) {
	c, err := Parse("x.yaml", []byte("sources:\n  - name: a\n    start: [http://a.example/]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.MultiUnit() || c.HomeUnit() != DefaultUnit || c.SourceUnit(c.Sources[0]) != DefaultUnit {
		t.Fatalf("no units configured: home %q", c.HomeUnit())
	}
	c, err = Parse("x.yaml", []byte("units: [{name: 康大营镇}]\nsources:\n  - name: a\n    start: [http://a.example/]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.SourceUnit(c.Sources[0]) != "康大营镇" {
		t.Fatalf("a source of the only unit need not name it: %q", c.SourceUnit(c.Sources[0]))
	}
}

func TestBadUnits(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"unknown unit", strings.Replace(twoUnits, "unit: 城关镇", "unit: 柳河镇", 1),
			`:17: sources[1].unit: unknown unit "柳河镇" (configured units: 康大营镇, 城关镇)`},
		{"unit without units", "sources:\n  - name: a\n    unit: 柳河镇\n    start: [http://a.example/]\n",
			`:3: sources[0].unit: unknown unit "柳河镇": no units are configured`},
		{"source without unit", strings.Replace(twoUnits, "    unit: 城关镇\n", "", 1),
			`sources[1].unit: with several units every source names its unit (one of 康大营镇, 城关镇)`},
		{"same name twice", strings.Replace(twoUnits, "name: 城关镇", "name: 康大营镇", 1),
			`:5: units[1].name: unit "康大营镇" is already units[0]`},
		{"unnamed", "units: [{reports: x.csv}]\n", `units[0].name: every unit needs a name`},
		{"bad unit target", strings.Replace(twoUnits, "portal: 30", "portal: -1", 1),
			`units[1].targets.2015.channels.portal: target -1 must not be negative`},
		{"bad unit staleness", strings.Replace(twoUnits, "wechat_days: 7", "wechat_days: -7", 1),
			`units[1].staleness.wechat_days: must not be negative`},
		{"unknown unit key", strings.Replace(twoUnits, "reports:", "report:", 1), `unknown key "report"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("u.yaml", []byte(tc.yaml))
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("want problems, got %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("problems:\n%v\nwant one with %q", err, tc.want)
			}
		})
	}
}

// TestUnitNamesTrimmed checks that unit names are trimmed once, at load, in
// the units and in the sources that name them: a name typed with a space
// (quoted, so YAML keeps it) is the same unit as without.
func TestUnitNamesTrimmed(t *testing.T) {
	yaml := strings.Replace(strings.Replace(twoUnits, "name: 城关镇", `name: "城关镇 "`, 1), "unit: 城关镇", `unit: "　城关镇"`, 1)
	c, err := Parse("u.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.UnitNames(); got[1] != "城关镇" {
		t.Fatalf("unit names %q, want 城关镇 trimmed", got)
	}
	cgz, ok := c.ForUnit("城关镇")
	if !ok || len(cgz.Sources) != 1 || cgz.Sources[0].Name != "cgz" || cgz.Staleness.WeChatDays != 7 {
		t.Fatalf("城关镇 found %v, its sources %+v", ok, cgz)
	}
	if got := c.SourceUnits()["cgz"]; got != "城关镇" {
		t.Errorf("source cgz is of %q", got)
	}
}

// TestRemovedSoonDays checks that alerts.soon_days, replaced by
// staleness.warn_share, is refused with what replaced it.
func TestRemovedSoonDays(t *testing.T) {
	_, err := Parse("a.yaml", []byte("alerts:\n  soon_days: 3\n"))
	if err == nil || !strings.Contains(err.Error(), "a.yaml:2: alerts.soon_days: no longer used") ||
		!strings.Contains(err.Error(), "staleness.warn_share") {
		t.Fatalf("alerts.soon_days gave %v", err)
	}
}
