package extract

import (
	"testing"
)

func TestParseDate(t *testing.T) {
	cases := []struct {
		in, want string // want "YYYY-MM-DD HH:MM" (time shown only if the input has one), "" for no date
		hasTime  bool
	}{
		{"2021-01-19", "2021-01-19 00:00", false},
		{"发布日期：2021年01月19日", "2021-01-19 00:00", false},
		{"2021年1月9日", "2021-01-09 00:00", false},
		{"2022-01-28 00:00:00", "2022-01-28 00:00", false},
		{"2019-09-18 06:23", "2019-09-18 06:23", true},
		{"2007-08-20-23:59:59", "2007-08-20 23:59", true},
		{"2005年3月6日 16:17", "2005-03-06 16:17", true},
		{"7/5/2005 9:23:57 PM", "2005-07-05 21:23", true},
		{"12/31/2004 12:05:00 AM", "2004-12-31 00:05", true},
		{"2005/05/17 22:11:42", "2005-05-17 22:11", true},
		{"2021.03.05", "2021-03-05 00:00", false},
		{"2021年03月05日 星期五 10时20分", "2021-03-05 10:20", true},
		{"Saturday, September 10th, 2005  10:56 am", "2005-09-10 10:56", true},
		{"2022-02-06T12:48:06+00:00", "2022-02-06 20:48", true},
		{"2022-02-06T23:48:06Z", "2022-02-07 07:48", true},
		{"发表于:2005-07-31 12:30", "2005-07-31 12:30", true},
		{"Dec 28 Sat 2013 00:28", "2013-12-28 00:28", true}, // pixnet blog byline
		{"2021-02-30", "", false},
		{"11220000013544357T/2022-00426", "", false},
		{"浏览次数：2021", "", false},
	}
	for _, c := range cases {
		got, hasTime, ok := parseDate(c.in)
		if c.want == "" {
			if ok {
				t.Errorf("parseDate(%q) = %v, want no date", c.in, got)
			}
			continue
		}
		if !ok || got.Format("2006-01-02 15:04") != c.want || hasTime != c.hasTime {
			t.Errorf("parseDate(%q) = %v %v %v, want %s time %v", c.in, got, hasTime, ok, c.want, c.hasTime)
			continue
		}
		if _, off := got.Zone(); off != 8*3600 {
			t.Errorf("parseDate(%q) zone offset %d, want Beijing", c.in, off)
		}
	}
}

func TestURLDate(t *testing.T) {
	for path, want := range map[string]string{
		"/xxgk/202101/t20210119_123.html":   "2021-01-19",
		"/art/2021/1/9/art_1229_5.html":     "2021-01-09",
		"/news/2005-07/31/content_1.htm":    "2005-07-31",
		"/blog/archive/2005/07/31/255.aspx": "2005-07-31",
		"/index.html":                       "",
		"/a/20211399_1.html":                "",
	} {
		got, ok := urlDate(path)
		if (want == "") == ok || (ok && got.Format("2006-01-02") != want) {
			t.Errorf("urlDate(%q) = %v %v, want %q", path, got, ok, want)
		}
	}
}
