package config

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// Alert channel types.
const (
	ChannelWeCom    = "wecom"    // 企业微信群机器人 webhook
	ChannelDingTalk = "dingtalk" // 钉钉群机器人 webhook, signed when Secret is set
	ChannelWebhook  = "webhook"  // any URL taking gongkai's alert JSON (docs/alerts.md)
	ChannelEmail    = "email"    // e-mail over SMTP with STARTTLS
)

var alertChannelTypes = []string{ChannelWeCom, ChannelDingTalk, ChannelWebhook, ChannelEmail}

// Alerts says when and where staff are told that a column, WeChat account or
// village is overdue or about to be, and that a disclosure came out late.
type Alerts struct {
	// DailyAt is the Beijing time (HH:MM) serve sends the day's alerts; default 08:30, "off" disables.
	DailyAt  string         `yaml:"daily_at"`
	Channels []AlertChannel `yaml:"channels"`
}

// AlertChannel is one place alerts go. URL is the robot's or webhook's
// address; the SMTP settings are for type email only.
type AlertChannel struct {
	Name   string `yaml:"name"` // unique; deliveries are recorded under it
	Type   string `yaml:"type"` // wecom, dingtalk, webhook or email
	URL    string `yaml:"url,omitempty"`
	Secret string `yaml:"secret,omitempty"` // 钉钉 加签 secret (SEC...)
	// SMTP (type email): the server must offer STARTTLS.
	Host     string   `yaml:"host,omitempty"`
	Port     int      `yaml:"port,omitempty"` // default 587
	Username string   `yaml:"username,omitempty"`
	Password string   `yaml:"password,omitempty"`
	From     string   `yaml:"from,omitempty"`
	To       []string `yaml:"to,omitempty"`
	// CAFile is a PEM file of certificates to trust besides the system's (a private mail server).
	CAFile string `yaml:"ca_file,omitempty"`
}

// DailyTime returns the hour and minute of DailyAt; ok is false when daily
// sending is off.
func (a Alerts) DailyTime() (hour, minute int, ok bool) {
	if a.DailyAt == "off" {
		return 0, 0, false
	}
	t, err := time.Parse("15:04", a.DailyAt)
	if err != nil {
		return 0, 0, false
	}
	return t.Hour(), t.Minute(), true
}

func (c *Config) fillAlerts() {
	a := &c.Alerts
	setString(&a.DailyAt, "08:30")
	for i := range a.Channels {
		if a.Channels[i].Type == ChannelEmail {
			setInt(&a.Channels[i].Port, 587)
		}
	}
}

func (c *Config) validateAlerts(add addFunc) {
	a := c.Alerts
	if _, _, ok := a.DailyTime(); !ok && a.DailyAt != "off" {
		add("alerts.daily_at", "%q is not a time as HH:MM (or off)", a.DailyAt)
	}
	names := map[string]int{}
	for i, ch := range a.Channels {
		p := fmt.Sprintf("alerts.channels[%d]", i)
		if ch.Name == "" {
			add(p+".name", "every channel needs a name")
		} else if j, dup := names[ch.Name]; dup {
			add(p+".name", "name %q is already used by alerts.channels[%d]", ch.Name, j)
		}
		names[ch.Name] = i
		if !slices.Contains(alertChannelTypes, ch.Type) {
			add(p+".type", "unknown type %q (want %s)", ch.Type, strings.Join(alertChannelTypes, ", "))
			continue
		}
		if ch.Type != ChannelEmail {
			checkURL(add, p+".url", ch.URL)
			continue
		}
		validateEmailChannel(add, p, ch)
	}
}

func validateEmailChannel(add addFunc, p string, ch AlertChannel) {
	if ch.Host == "" {
		add(p+".host", "an email channel needs the SMTP host")
	}
	if ch.Port <= 0 || ch.Port > 65535 {
		add(p+".port", "%d is not a port", ch.Port)
	}
	if _, err := mail.ParseAddress(ch.From); err != nil {
		add(p+".from", "%q is not an e-mail address", ch.From)
	}
	if len(ch.To) == 0 {
		add(p+".to", "an email channel needs at least one recipient")
	}
	for j, to := range ch.To {
		if _, err := mail.ParseAddress(to); err != nil {
			add(fmt.Sprintf("%s.to[%d]", p, j), "%q is not an e-mail address", to)
		}
	}
}
