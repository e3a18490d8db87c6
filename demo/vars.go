package demo

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// vars are the values of one document's placeholders: {T} township, {C}
// county, {Y} year (Y0 the year before, Y1/Y2/Y10 after), {M} month, {DATE}
// and {DATE7} (a week later), {QY}年{Q} the last quarter, {V}/{V2} villages,
// {B} the batch (the month), {P} a project and {PCONTENT} its works, {N1}–{N4} counts, {A1}–{A4} amounts,
// {PCT} a percentage, {MED}/{MEDS} the rural medical insurance (new name from
// 2017), {SUB} the grain subsidy (耕地地力保护补贴 from 2016), {HOL} a holiday,
// and one word from each word list.
type vars map[string]string

// fill replaces the placeholders of s; unknown ones stay as they are.
func (v vars) fill(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b.WriteString(s)
			return b.String()
		}
		key := s[i+1 : i+j]
		b.WriteString(s[:i])
		if val, ok := v[key]; ok {
			b.WriteString(val)
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
}

var projectWorks = []string{
	"路基、路面及排水设施", "管网铺设和泵站建设", "土地平整和田间道路", "机井、渠系和输电线路",
	"主体工程和附属设施", "设备购置和安装调试",
}

// vars draws the placeholder values of a document published on day d in
// village (may be empty: one is drawn).
func (g *gen) vars(d time.Time, village string) vars {
	y, m := d.Year(), int(d.Month())
	if village == "" {
		village = g.pick(villages)
	}
	v2 := g.pick(villages)
	for v2 == village {
		v2 = g.pick(villages)
	}
	qd := d.AddDate(0, 0, -40)
	med, meds := "新型农村合作医疗", "新农合"
	if y >= 2017 {
		med, meds = "城乡居民基本医疗保险", "城乡居民医保"
	}
	sub := "种粮直补和良种补贴"
	if y >= 2016 {
		sub = "耕地地力保护补贴"
	}
	v := vars{
		"T": TownName, "C": CountyName, "V": village, "V2": v2,
		"Y": strconv.Itoa(y), "Y0": strconv.Itoa(y - 1), "Y1": strconv.Itoa(y + 1),
		"Y2": strconv.Itoa(y + 2), "Y10": strconv.Itoa(y + 10), "M": strconv.Itoa(m), "B": strconv.Itoa(m),
		"DATE": cnDate(d), "DATE7": cnDate(d.AddDate(0, 0, 7)),
		"QY": strconv.Itoa(qd.Year()), "Q": quarters[(int(qd.Month())-1)/3],
		"N1": g.num(8, 160), "N2": g.num(20, 380), "N3": g.num(150, 2900), "N4": g.num(2, 9),
		"A1": g.dec(3, 95), "A2": g.num(60, 980), "A3": g.num(2000, 98000), "A4": g.dec(120, 2600),
		"PCT": g.num(55, 95), "MED": med, "MEDS": meds, "SUB": sub, "PHONE": "0319-5862017",
		"HOL": nextHoliday(y, m), "PCONTENT": g.pick(projectWorks),
		"OFFICE": g.pick(offices), "DUTY1": g.pick(duties), "DUTY2": g.pick(duties),
		"MEETING": g.pick(meetings), "ACT": g.pick(activities), "LEADER": g.pick(leaders),
		"TOPIC": g.pick(surveyTopics), "EVENT": g.pick(villageEvents), "WORK": g.pick(works),
		"AWARD": g.pick(awards), "CAMPAIGN": g.pick(campaigns), "POS": g.pick(positions),
		"PLAN": g.pick(plans), "DIS": g.pick(disasters), "SEASON": reliefSeasons[m-1],
		"VACT": g.pick(villageActs), "POLICY": g.pick(countyPolicies),
	}
	v["P"] = v.fill(g.pick(projects))
	return v
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) num(lo, hi int) string { return strconv.Itoa(lo + g.r.IntN(hi-lo+1)) }

func (g *gen) dec(lo, hi int) string {
	return fmt.Sprintf("%.1f", float64(lo)+g.r.Float64()*float64(hi-lo))
}

// cnDate writes d as 2015年3月12日.
func cnDate(d time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
}

// nextHoliday names the holiday a notice published in month m of year y is
// about, with its year: 2016年元旦 for a notice of December 2015.
func nextHoliday(y, m int) string {
	for _, h := range holidays {
		if m <= h.untilM {
			return fmt.Sprintf("%d年%s", y, h.name)
		}
	}
	return fmt.Sprintf("%d年元旦", y+1)
}
