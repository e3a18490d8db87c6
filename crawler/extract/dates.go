package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"gongkai/store"
)

// dateRe matches the Chinese and ISO-like date forms seen on government and
// news pages: 2021-01-19, 2021/1/19, 2021.01.19, 2021年01月19日, optionally
// followed by a time: "10:20", "10:20:30", "10时20分", and gov.cn's
// "2007-08-20-23:59:59".
var dateRe = regexp.MustCompile(`((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?(?:(?:\s*|[T-]|\s*[(（]?[星周][期]?[一二三四五六日天][)）]?\s*)(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?)?`)

// usDateRe matches the M/D/YYYY form of ASP sites: "7/5/2005 9:23:57 PM".
var usDateRe = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?)?`)

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
		if d, ok := buildDate(s, m, 1, 2, 3, 4, 5, 6, -1); ok {
			out = append(out, d)
		}
	}
	for _, m := range usDateRe.FindAllStringSubmatchIndex(s, -1) {
		if d, ok := buildDate(s, m, 3, 1, 2, 4, 5, 6, 7); ok {
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
// are absent. It rejects impossible dates such as 2021-02-30.
func buildDate(s string, m []int, yi, mi, di, hi, mini, si, ampm int) (foundDate, bool) {
	group := func(i int) string {
		if i < 0 || m[2*i] < 0 {
			return ""
		}
		return s[m[2*i]:m[2*i+1]]
	}
	num := func(i int) int {
		n, _ := strconv.Atoi(group(i))
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
	t := time.Date(y, time.Month(mo), d, h, mn, sec, 0, store.Beijing)
	if t.Day() != d {
		return foundDate{}, false
	}
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
