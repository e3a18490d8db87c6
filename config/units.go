package config

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// DefaultUnit is the name of the unit of an installation that configures none.
const DefaultUnit = "本单位"

// Unit is one township or county bureau of an installation. Targets and
// Staleness left out are the top-level ones; a Staleness block sets only
// the rules it names, the others are the top-level ones.
type Unit struct {
	Name      string             `yaml:"name"`
	Targets   map[int]YearTarget `yaml:"targets,omitempty"`
	Staleness *Staleness         `yaml:"staleness,omitempty"`
	// Reports is a CSV file of the reports the unit sent upward (报送):
	// date, title and optionally count and category per line; a relative
	// path is read from the configuration file's folder.
	Reports string `yaml:"reports,omitempty"`
}

// UnitNames returns the names of the configured units, in order, or
// DefaultUnit alone when none is configured.
func (c *Config) UnitNames() []string {
	if len(c.Units) == 0 {
		return []string{DefaultUnit}
	}
	out := make([]string, len(c.Units))
	for i, u := range c.Units {
		out[i] = u.Name
	}
	return out
}

// MultiUnit reports whether the installation has several units (and so a
// county view that sums them).
func (c *Config) MultiUnit() bool { return len(c.Units) > 1 }

// HomeUnit is the unit of documents and entries that name none (JSONL lines
// without a unit, rows stored before units existed): the first unit.
func (c *Config) HomeUnit() string { return c.UnitNames()[0] }

// SourceUnit returns the unit of a source: its own, or the home unit.
func (c *Config) SourceUnit(s Source) string {
	if s.Unit != "" {
		return s.Unit
	}
	return c.HomeUnit()
}

// SourceUnits maps each source name to its unit.
func (c *Config) SourceUnits() map[string]string {
	out := make(map[string]string, len(c.Sources))
	for _, s := range c.Sources {
		out[s.Name] = c.SourceUnit(s)
	}
	return out
}

// ForUnit returns the configuration of one unit: its sources, targets and
// staleness rules, the rest shared. It reports false for an unknown unit.
func (c *Config) ForUnit(name string) (*Config, bool) {
	if !slices.Contains(c.UnitNames(), name) {
		return nil, false
	}
	out := *c
	out.Sources = nil
	for _, s := range c.Sources {
		if c.SourceUnit(s) == name {
			out.Sources = append(out.Sources, s)
		}
	}
	out.Units = []Unit{{Name: name}}
	for _, u := range c.Units {
		if u.Name != name {
			continue
		}
		out.Units = []Unit{u}
		if u.Targets != nil {
			out.Targets = u.Targets
		}
		out.Staleness = c.unitStaleness(u)
	}
	return &out, true
}

// CountyTargets are the targets of the whole installation: per year, the
// sums of the units' channel, category and month targets. A year's period
// end is the first unit's that sets one.
func (c *Config) CountyTargets() map[int]YearTarget {
	out := map[int]YearTarget{}
	for _, name := range c.UnitNames() {
		u, _ := c.ForUnit(name)
		for year, t := range u.Targets {
			sum, ok := out[year]
			if !ok {
				sum = YearTarget{Channels: map[string]int{}, Categories: map[string]int{}, Months: map[string]map[string]int{}}
			}
			if sum.PeriodEnd == "" {
				sum.PeriodEnd = t.PeriodEnd
			}
			addCounts(sum.Channels, t.Channels)
			addCounts(sum.Categories, t.Categories)
			for m, byChannel := range t.Months {
				if sum.Months[m] == nil {
					sum.Months[m] = map[string]int{}
				}
				addCounts(sum.Months[m], byChannel)
			}
			out[year] = sum
		}
	}
	return out
}

func addCounts(to, from map[string]int) {
	for k, v := range from {
		to[k] += v
	}
}

// unitStaleness is the staleness rules of unit u: the settings its block
// names, the top-level rules for the others (and for all without a block).
func (c *Config) unitStaleness(u Unit) Staleness {
	top := c.Staleness
	if u.Staleness == nil {
		return top
	}
	st := *u.Staleness
	for _, f := range []struct {
		v   *int
		def int
	}{
		{&st.HomepageDays, top.HomepageDays}, {&st.ColumnDays, top.ColumnDays}, {&st.WeChatDays, top.WeChatDays},
		{&st.VillageDays, top.VillageDays}, {&st.DisclosureWorkdays, top.DisclosureWorkdays},
	} {
		setInt(f.v, f.def)
	}
	if st.WarnShare == 0 {
		st.WarnShare = top.WarnShare
	}
	for _, f := range []struct {
		v   *[]string
		def []string
	}{
		{&st.Villages, top.Villages}, {&st.Holidays, top.Holidays}, {&st.Workdays, top.Workdays},
	} {
		if *f.v == nil {
			*f.v = f.def
		}
	}
	if st.Columns == nil {
		st.Columns = top.Columns
	}
	return st
}

// validateUnits checks that units have distinct names and that every
// source names a configured unit, or none when there is only one.
func (c *Config) validateUnits(add addFunc) {
	seen := map[string]int{}
	for i, u := range c.Units {
		p := fmt.Sprintf("units[%d]", i)
		name := u.Name // trimmed by fill
		switch j, dup := seen[name]; {
		case name == "":
			add(p+".name", "every unit needs a name (a township or bureau, e.g. 康大营镇)")
		case dup:
			add(p+".name", "unit %q is already units[%d]", name, j)
		}
		seen[name] = i
		validateTargets(add, p+".targets", u.Targets)
		if u.Staleness != nil {
			sub := Config{Staleness: c.unitStaleness(u)}
			sub.validateStaleness(func(path, format string, args ...any) { add(p+"."+path, format, args...) })
		}
	}
	names := c.UnitNames()
	for i, s := range c.Sources {
		p := fmt.Sprintf("sources[%d].unit", i)
		switch {
		case s.Unit == "" && c.MultiUnit():
			add(p, "with several units every source names its unit (one of %s)", strings.Join(names, ", "))
		case s.Unit != "" && !slices.Contains(names, s.Unit):
			if len(c.Units) == 0 {
				add(p, "unknown unit %q: no units are configured (add `units: [{name: %s}]`)", s.Unit, s.Unit)
			} else {
				add(p, "unknown unit %q (configured units: %s)", s.Unit, strings.Join(names, ", "))
			}
		}
	}
}

// resolvePaths makes the units' relative report paths relative to dir, the
// folder of the configuration file.
func (c *Config) resolvePaths(dir string) {
	for i := range c.Units {
		if r := c.Units[i].Reports; r != "" && !filepath.IsAbs(r) {
			c.Units[i].Reports = filepath.Join(dir, r)
		}
	}
}
