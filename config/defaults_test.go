package config

import "testing"

func TestDefaults(t *testing.T) {
	c := Default()
	if c.Server.Addr != "127.0.0.1:8080" || c.Staleness.HomepageDays != 14 || c.Staleness.WeChatDays != 14 ||
		c.Analytics.PeriodEnd != "12-31" || len(c.Categories.List) == 0 || len(c.Staleness.Columns) == 0 {
		t.Fatalf("defaults: %+v", c)
	}
	if ps := c.validate(); len(ps) > 0 {
		t.Fatalf("defaults are invalid: %v", ps)
	}
}
