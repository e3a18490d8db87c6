package demo

import (
	"testing"

	"github.com/goccy/go-yaml"
	"golang.org/x/crypto/bcrypt"

	"github.com/gongkai-project/gongkai/config"
	_ "github.com/gongkai-project/gongkai/crawler" // registers the source kinds the demo configures
)

// TestConfigChecks writes the demo config as YAML and reads it back through
// config.Parse, which validates every setting.
func TestConfigChecks(t *testing.T) {
	tw := Generate(Options{})
	c := tw.Config(&Sites{PortalURL: "http://127.0.0.1:1", WeChatURL: "http://127.0.0.1:2", FeedURL: "http://127.0.0.1:2/feed.xml", CityURL: "http://127.0.0.1:3"})
	data, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	back, err := config.Parse("demo.yaml", data)
	if err != nil {
		t.Fatalf("demo config does not pass the checks: %v\n%s", err, data)
	}
	if len(back.Sources) != 4 || back.Analytics.AsOf != "2016-12-31" || back.Targets[2015].Channels["portal"] != 56 {
		t.Errorf("config read back: %d sources, as of %q, 2015 targets %v", len(back.Sources), back.Analytics.AsOf, back.Targets[2015].Channels)
	}
	if len(c.Server.Users) != 1 || c.Server.Users[0].Name != "staff" {
		t.Fatalf("users: %+v", c.Server.Users)
	}
	h := []byte(c.Server.Users[0].PasswordHash)
	if cost, err := bcrypt.Cost(h); err != nil || cost != 10 || bcrypt.CompareHashAndPassword(h, []byte(Password)) != nil {
		t.Errorf("staff hash is not bcrypt cost 10 of Password (cost %d, %v)", cost, err)
	}
}
