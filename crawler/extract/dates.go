package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// dateRe matches the Chinese and ISO-like date forms seen on government and
// news pages: 2021-01-19, 2021/1/19, 2021.01.19, 2021年01月19日, optionally
// followed by a time: "10:20", "10:20:30", "10时20分", and gov.cn's
// "2007-08-20-23:59:59".
var dateRe = regexp.MustCompile(`((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?(?:(?:\s*|[T-]|\s*[(（]?[星周][期]?[一二三四五六日天][)）]?\s*)(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?`)

// usDateRe matches the M/D/YYYY form of ASP sites: "7/5/2005 9:23:57 PM".
var usDateRe = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?)?`)

// enDateRe matches English dates of blogs: "Saturday, September 10th, 2005  10:56 am",
// "Dec 28 Sat 2013 00:28".
var enDateRe = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?((?:19|20)\d{2})(?:[\s,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]m)?)?`)

var months = map[string]string{"jan": "1", "feb": "2", "mar": "3", "apr": "4", "may": "5", "jun": "6",
	"jul": "7", "aug": "8", "sep": "9", "oct": "10", "nov": "11", "dec": "12"}

// foundDate is a date found in text, with the byte offset where it starts.
type foundDate struct {
	t       time.Time
	hasTime bool
	at      int
}

// findDates returns every valid date in s, in order of appearance.
func findDates(s string) []foundDate {
	var out []foundDate
	for _, m := range dateRe.FindAllStringSubmatchIndex(s, -1) {
		if d, ok := buildDate(s, m, 1, 2, 3, 4, 5, 6, -1, 7); ok {
			out = append(out, d)
		}
	}
	for _, m := range usDateRe.FindAllStringSubmatchIndex(s, -1) {
		if d, ok := buildDate(s, m, 3, 1, 2, 4, 5, 6, 7, -1); ok {
			out = append(out, d)
		}
	}
	for _, m := range enDateRe.FindAllStringSubmatchIndex(s, -1) {
		if d, ok := buildDate(s, m, 3, 1, 2, 4, 5, 6, 7, -1); ok {
			out = append(out, d)
		}
	}
	if len(out) > 1 {
		sortDates(out)
	}
	return out
}

func sortDates(ds []foundDate) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].at < ds[j-1].at; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// parseDate returns the first valid date in s.
func parseDate(s string) (time.Time, bool, bool) {
	ds := findDates(s)
	if len(ds) == 0 {
		return time.Time{}, false, false
	}
	return ds[0].t, ds[0].hasTime, true
}

// buildDate turns submatch groups into a Beijing time; group indexes of -1
// are absent. A time with a UTC offset is converted to Beijing time; times
// without one are Beijing time already. It rejects impossible dates such as
// 2021-02-30.
func buildDate(s string, m []int, yi, mi, di, hi, mini, si, ampm, zone int) (foundDate, bool) {
	group := func(i int) string {
		if i < 0 || m[2*i] < 0 {
			return ""
		}
		return s[m[2*i]:m[2*i+1]]
	}
	num := func(i int) int {
		g := group(i)
		if mo, ok := months[strings.ToLower(g[:min(3, len(g))])]; ok {
			g = mo
		}
		n, _ := strconv.Atoi(g)
		return n
	}
	y, mo, d := num(yi), num(mi), num(di)
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return foundDate{}, false
	}
	hasTime := group(hi) != ""
	h, mn, sec := num(hi), num(mini), num(si)
	switch strings.ToLower(group(ampm)) {
	case "pm":
		if h < 12 {
			h += 12
		}
	case "am":
		if h == 12 {
			h = 0
		}
	}
	if h > 23 || mn > 59 || sec > 59 {
		hasTime, h, mn, sec = false, 0, 0, 0
	}
	if h == 0 && mn == 0 && sec == 0 && group(zone) == "" {
		hasTime = false // "2022-01-28 00:00:00": CMS placeholder, not a time of day
	}
	loc := store.Beijing
	if z := group(zone); z != "" && hasTime {
		loc = zoneOf(z)
	}
	t := time.Date(y, time.Month(mo), d, h, mn, sec, 0, loc)
	if t.Day() != d {
		return foundDate{}, false
	}
	t = t.In(store.Beijing)
	return foundDate{t: t, hasTime: hasTime, at: m[0]}, true
}

// unixBeijing converts Unix seconds given as text to Beijing time.
func unixBeijing(s string) (time.Time, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, false
	}
	return time.Unix(n, 0).In(store.Beijing), true
}

// zoneOf parses "Z", "+08:00" or "-0500" into a fixed zone.
func zoneOf(z string) *time.Location {
	if z == "Z" {
		return time.UTC
	}
	z = strings.ReplaceAll(z, ":", "")
	h, _ := strconv.Atoi(z[1:3])
	m, _ := strconv.Atoi(z[3:])
	off := (h*60 + m) * 60
	if z[0] == '-' {
		off = -off
	}
	return time.FixedZone(z, off)
}
