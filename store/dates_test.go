package store

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	day := time.Date(2015, 3, 1, 0, 0, 0, 0, Beijing)
	for in, want := range map[string]time.Time{
		"2015-03-01": day, "2015-3-1": day, "2015/3/1": day, "2015/03/01": day, "2015.3.1": day,
		"2015年3月1日": day, "2015年03月01日": day, " 2015-03-01 ": day,
		"2015-03-01 09:30":          day.Add(9*time.Hour + 30*time.Minute),
		"2015-03-01 09:30:15":       day.Add(9*time.Hour + 30*time.Minute + 15*time.Second),
		"2015-03-01T09:30:15":       day.Add(9*time.Hour + 30*time.Minute + 15*time.Second),
		"2015-03-01T01:30:15Z":      day.Add(9*time.Hour + 30*time.Minute + 15*time.Second),
		"2015-03-01T09:30:15+08:00": day.Add(9*time.Hour + 30*time.Minute + 15*time.Second),
		"":                          {},
	} {
		got, err := ParseDate(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"yesterday", "2015-13-01", "01/03/2015", "2015-03"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) succeeded", bad)
		}
	}
	if got, err := ParseDay("2015-03-01"); err != nil || !got.Equal(day) {
		t.Errorf("ParseDay: %v %v", got, err)
	}
	for _, bad := range []string{"", "2015/3/1", "2015-3-1", "2015-03-01 09:30"} {
		if _, err := ParseDay(bad); err == nil {
			t.Errorf("ParseDay(%q) succeeded", bad)
		}
	}
}
