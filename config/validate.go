package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// validate returns every semantic problem, with the path of the setting.
func (c *Config) validate() []Problem {
	var ps []Problem
	add := func(path, format string, args ...any) {
		ps = append(ps, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	c.validateSources(add)
	c.validateUnits(add)
	c.validateCategories(add)
	validateTargets(add, "targets", c.Targets)
	c.validateStaleness(add)
	c.validateServer(add)
	c.validateCrawl(add)
	c.validateAlerts(add)
	if c.Search.HotMinClients < 1 || c.Search.QueryLogDays < 1 || c.Search.HotDays < 1 {
		add("search", "hot_days, hot_min_clients and query_log_days must be at least 1")
	}
	if c.Search.MemoryMB < MinMemoryMB {
		add("search.memory_mb", "%d MB is too little: gse's dictionary and the index need at least %d", c.Search.MemoryMB, MinMemoryMB)
	}
	if m := c.Server.MemoryLimitMB; m != -1 && m < MinServeMemoryMB {
		add("server.memory_limit_mb", "%d MB is too little: gse's dictionary alone holds about 200 MB; at least %d, or -1 for no limit", m, MinServeMemoryMB)
	}
	c.validateSite(add)
	if c.Analytics.AsOf != "" {
		if _, err := time.Parse(time.DateOnly, c.Analytics.AsOf); err != nil {
			add("analytics.as_of", "%q is not a date as YYYY-MM-DD", c.Analytics.AsOf)
		}
	}
	if !validMonthDay(c.Analytics.PeriodEnd) {
		add("analytics.period_end", "%q is not a day of the year as MM-DD", c.Analytics.PeriodEnd)
	}
	if c.Analytics.DedupeDays < 0 {
		add("analytics.dedupe_days", "must not be negative")
	}
	c.validateAttachments(add)
	return ps
}

// validateAttachments checks the limits and hosts of attachment fetching.
func (c *Config) validateAttachments(add addFunc) {
	at := c.Attachments
	if at.MaxFileBytes < 0 || at.MaxCrawlBytes < 0 || at.Timeout < 0 || at.MaxText < 0 {
		add("attachments", "max_file_bytes, max_crawl_bytes, timeout and max_text must not be negative")
	}
	for i, h := range at.Hosts {
		if h == "" || strings.ContainsAny(h, "/ ") {
			add(fmt.Sprintf("attachments.hosts[%d]", i), "%q is not a host name (files.example.gov.cn)", h)
		}
	}
}

// validateTargets checks the targets of every year under path.
func validateTargets(add addFunc, path string, targets map[int]YearTarget) {
	for year, t := range targets {
		p := fmt.Sprintf("%s.%d", path, year)
		if year < 1990 || year > 2100 {
			add(p, "year %d out of range", year)
		}
		if t.PeriodEnd != "" && !validMonthDay(t.PeriodEnd) {
			add(p+".period_end", "%q is not a day of the year as MM-DD (e.g. 12-15)", t.PeriodEnd)
		}
		checkCounts(add, p+".channels", t.Channels)
		checkCounts(add, p+".categories", t.Categories)
		for m, byChannel := range t.Months {
			if !validMonth(m) {
				add(p+".months."+m, "month %q must be 01 to 12", m)
			}
			checkCounts(add, p+".months."+m, byChannel)
		}
	}
}

type addFunc func(path, format string, args ...any)

var drivers = []string{DriverAuto, DriverStatic, DriverTRS, DriverHanweb, DriverNextLink}

// validateSources checks what every source needs (a unique name, a
// registered kind) and leaves the rest to the kind's own checks.
func (c *Config) validateSources(add addFunc) {
	names := map[string]int{}
	for i, s := range c.Sources {
		p := fmt.Sprintf("sources[%d]", i)
		if s.Name == "" {
			add(p+".name", "every source needs a name")
		} else if j, dup := names[s.Name]; dup {
			add(p+".name", "name %q is already used by sources[%d]", s.Name, j)
		}
		names[s.Name] = i
		k, ok := KindNamed(s.Kind)
		if !ok {
			add(p+".kind", "unknown kind %q (want %s)", s.Kind, strings.Join(KindNames(), ", "))
			continue
		}
		for j, n := range s.AllowNetworks {
			if !validNetwork(n) {
				add(fmt.Sprintf("%s.allow_networks[%d]", p, j), "%q is neither a CIDR (10.1.0.0/16) nor an IP address", n)
			}
		}
		if k.Validate != nil {
			k.Validate(s, Check{path: p, add: add})
		}
	}
}

// ValidDriver reports whether d is a portal list driver.
func ValidDriver(d string) bool { return slices.Contains(drivers, d) }

// Drivers returns the portal list drivers.
func Drivers() []string { return slices.Clone(drivers) }

func checkURL(add addFunc, path, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		add(path, "%q is not an http(s) URL", raw)
	}
}

func (c *Config) validateCategories(add addFunc) {
	for i, r := range c.Categories.Rules {
		p := fmt.Sprintf("categories.rules[%d]", i)
		if r.Category == "" {
			add(p+".category", "every rule needs a category")
		} else if len(c.Categories.List) > 0 && !slices.Contains(c.Categories.List, r.Category) {
			add(p+".category", "category %q is not in categories.list", r.Category)
		}
		if len(r.Column)+len(r.Subject)+len(r.URL)+len(r.Title) == 0 {
			add(p, "a rule needs at least one of column, subject, url, title")
		}
		for j, re := range r.URL {
			if _, err := regexp.Compile(re); err != nil {
				add(fmt.Sprintf("%s.url[%d]", p, j), "bad regular expression: %v", err)
			}
		}
	}
}

func (c *Config) validateStaleness(add addFunc) {
	st := c.Staleness
	for name, v := range map[string]int{"homepage_days": st.HomepageDays, "column_days": st.ColumnDays,
		"wechat_days": st.WeChatDays, "village_days": st.VillageDays, "disclosure_workdays": st.DisclosureWorkdays} {
		if v < 0 {
			add("staleness."+name, "must not be negative")
		}
	}
	for i, cl := range st.Columns {
		if len(cl.Match) == 0 || cl.Days <= 0 {
			add(fmt.Sprintf("staleness.columns[%d]", i), "needs match words and days > 0")
		}
	}
	for _, list := range []struct {
		name string
		days []string
	}{{"holidays", st.Holidays}, {"workdays", st.Workdays}} {
		for i, d := range list.days {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				add(fmt.Sprintf("staleness.%s[%d]", list.name, i), "%q is not a date as YYYY-MM-DD", d)
			}
		}
	}
	if st.WarnShare <= 0 || st.WarnShare >= 1 {
		add("staleness.warn_share", "must be between 0 and 1")
	}
}

func (c *Config) validateServer(add addFunc) {
	sv := c.Server
	if _, _, err := net.SplitHostPort(sv.Addr); err != nil {
		add("server.addr", "%q is not host:port: %v", sv.Addr, err)
	}
	if sv.PublicURL != "" {
		checkURL(add, "server.public_url", sv.PublicURL)
	}
	if sv.SearchRate < 0 || sv.SearchBurst < 1 {
		add("server", "search_rate must not be negative and search_burst must be at least 1")
	}
	if sv.RecrawlEvery < 0 || (sv.RecrawlEvery > 0 && sv.RecrawlEvery < time.Minute) {
		add("server.recrawl_every", "must be 0 (off) or at least 1m")
	}
	for i, p := range sv.TrustedProxies {
		if _, err := ParseCIDR(p); err != nil {
			add(fmt.Sprintf("server.trusted_proxies[%d]", i), "%v", err)
		}
	}
	if (sv.TLSCert == "") != (sv.TLSKey == "") {
		add("server", "tls_cert and tls_key go together: set both or neither")
	}
	if sv.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(sv.MetricsAddr); err != nil {
			add("server.metrics_addr", "%q is not host:port: %v", sv.MetricsAddr, err)
		}
	}
	if sv.MetricsToken != "" && len(sv.MetricsToken) < 16 {
		add("server.metrics_token", "too short to guess hard: use at least 16 characters")
	}
	if sv.MaxRequestBody < 0 {
		add("server.max_request_body", "must not be negative")
	}
	seen := map[string]bool{}
	for i, u := range sv.Users {
		p := fmt.Sprintf("server.users[%d]", i)
		if u.Name == "" || seen[u.Name] {
			add(p+".name", "user name %q is empty or used twice", u.Name)
		}
		seen[u.Name] = true
		if u.Role != "" && u.Role != RoleStaff && u.Role != RoleLeader {
			add(p+".role", "%q is not a role: use %s or %s", u.Role, RoleStaff, RoleLeader)
		}
		if _, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil {
			add(p+".password_hash", "not a bcrypt hash (make one with `gongkai passwd`): %v", err)
		}
	}
}

// ParseCIDR reads a trusted proxy: a CIDR such as 10.0.0.0/8 or a single
// address (a /32 or /128).
func ParseCIDR(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(strings.TrimSpace(s))
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8: %v", s, err)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an address or a CIDR such as 10.0.0.0/8: %v", s, err)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func checkCounts(add addFunc, path string, m map[string]int) {
	for k, v := range m {
		if v < 0 {
			add(path+"."+k, "target %d must not be negative", v)
		}
	}
}

func validMonthDay(s string) bool {
	_, err := time.Parse("01-02", s)
	return err == nil
}

func validMonth(s string) bool {
	_, err := time.Parse("01", s)
	return err == nil && len(s) == 2
}

// validNetwork reports whether s is a CIDR or a single IP address.
func validNetwork(s string) bool {
	if _, err := netip.ParsePrefix(s); err == nil {
		return true
	}
	_, err := netip.ParseAddr(s)
	return err == nil
}

// validateCrawl checks the crawler's limits.
func (c *Config) validateCrawl(add addFunc) {
	cr := c.Crawl
	switch {
	case cr.MaxPageBytes < 0:
		add("crawl.max_page_bytes", "must not be negative")
	case cr.MaxFileBytes < 0:
		add("crawl.max_file_bytes", "must not be negative")
	case cr.MaxPageBytes > cr.MaxFileBytes:
		add("crawl.max_page_bytes", "%d is more than crawl.max_file_bytes (%d), which bounds every response", cr.MaxPageBytes, cr.MaxFileBytes)
	}
	if cr.Timeout < 0 {
		add("crawl.timeout", "must not be negative")
	}
	if cr.ConnectTimeout < 0 {
		add("crawl.connect_timeout", "must not be negative")
	}
}
