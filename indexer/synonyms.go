package indexer

import (
	"slices"
	"strings"

	"gongkai/indexer/chinese"
)

// builtinSynonyms are colloquial and official names that residents and
// documents use for the same thing; every word of a group finds the others.
var builtinSynonyms = [][]string{
	{"低保", "最低生活保障", "低保金"},
	{"新农合", "新型农村合作医疗", "城乡居民基本医疗保险", "城乡居民医保"},
	{"发改委", "发展和改革委员会", "发展改革委"},
	{"五保", "五保户", "特困人员供养", "特困供养"},
	{"医保", "医疗保险", "基本医疗保险"},
	{"社保", "社会保险"},
	{"养老金", "基本养老金", "养老保险金"},
	{"新农保", "新型农村社会养老保险", "城乡居民基本养老保险", "城乡居民养老保险"},
	{"公积金", "住房公积金"},
	{"危房改造", "农村危房改造", "危旧房改造"},
	{"残疾证", "残疾人证"},
	{"独生子女费", "独生子女父母奖励"},
	{"计生", "计划生育"},
	{"种粮补贴", "种粮直补", "粮食直补", "耕地地力保护补贴"},
	{"良种补贴", "良种补助"},
	{"农机补贴", "农机购置补贴"},
	{"拆迁", "房屋征收"},
	{"征地", "土地征收", "征收土地"},
	{"营业执照", "工商登记", "市场主体登记"},
	{"工商局", "市场监督管理局", "市场监管局"},
	{"人社局", "人力资源和社会保障局", "人力资源社会保障局"},
	{"卫健委", "卫生健康委员会", "卫生健康委", "卫计委", "卫生和计划生育委员会"},
	{"住建局", "住房和城乡建设局", "住房城乡建设局", "住建委"},
	{"国土局", "自然资源局", "国土资源局"},
	{"环保局", "生态环境局", "环境保护局"},
	{"教体局", "教育和体育局"},
	{"三公经费", "因公出国（境）费、公务用车购置及运行费和公务接待费"},
	{"一事一议", "一事一议筹资筹劳"},
	{"村干部工资", "村干部报酬"},
	{"贫困户", "建档立卡贫困户"},
	{"救灾款", "救灾救济款物", "救灾资金"},
	{"临时救助", "临时困难救助"},
	{"大病医保", "大病保险"},
	{"户口", "户籍"},
	{"身份证", "居民身份证"},
	{"驾照", "驾驶证", "机动车驾驶证"},
	{"房产证", "不动产权证书", "不动产证", "房屋所有权证"},
	{"结婚登记", "婚姻登记"},
	{"准生证", "生育服务证", "生育登记"},
	{"失业金", "失业保险金"},
	{"公租房", "公共租赁住房", "廉租房"},
	{"经适房", "经济适用住房", "经济适用房"},
	{"棚改", "棚户区改造"},
	{"高龄补贴", "高龄津贴"},
	{"残疾人补贴", "残疾人两项补贴", "困难残疾人生活补贴", "重度残疾人护理补贴"},
	{"新冠", "新冠肺炎", "新型冠状病毒", "新型冠状病毒肺炎"},
	{"复工", "复工复产"},
	{"村委会", "村民委员会"},
	{"居委会", "居民委员会"},
	{"村两委", "村党组织和村民委员会"},
	{"政务公开", "政府信息公开"},
	{"依申请公开", "政府信息公开申请"},
	{"个体户", "个体工商户"},
	{"减税降费", "税费减免"},
	{"社保减免", "社会保险费减免", "减免社会保险费"},
	{"异地就医", "跨省就医", "异地就医结算"},
	{"退伍军人", "退役军人", "复员退伍军人"},
	{"优抚", "优待抚恤"},
	{"农民工", "进城务工人员"},
	{"欠薪", "拖欠工资", "拖欠农民工工资"},
	{"留守儿童", "农村留守儿童"},
	{"退耕还林", "退耕还林补助"},
	{"网格员", "网格管理员"},
	{"12345", "政务服务便民热线", "市民热线"},
}

// synonyms finds synonym-group words in query text.
type synonyms struct {
	groups [][]string
	group  map[string]int // word -> index in groups
	maxLen int            // longest word in bytes
}

// newSynonyms merges the built-in groups with the configured ones; a
// configured group sharing a word with a built-in group extends it.
func newSynonyms(extra [][]string) *synonyms {
	s := &synonyms{group: map[string]int{}}
	for _, g := range append(slices.Clone(builtinSynonyms), extra...) {
		s.addGroup(g)
	}
	return s
}

func (s *synonyms) addGroup(words []string) {
	gi := -1
	var clean []string
	for _, w := range words {
		w = strings.ToLower(strings.TrimSpace(chinese.FoldWidth(w)))
		if w == "" {
			continue
		}
		clean = append(clean, w)
		if i, ok := s.group[w]; ok && gi < 0 {
			gi = i
		}
	}
	if len(clean) < 2 && gi < 0 {
		return
	}
	if gi < 0 {
		gi = len(s.groups)
		s.groups = append(s.groups, nil)
	}
	for _, w := range clean {
		if _, ok := s.group[w]; ok {
			continue
		}
		s.group[w] = gi
		s.groups[gi] = append(s.groups[gi], w)
		s.maxLen = max(s.maxLen, len(w))
	}
}

// synMatch is a synonym word found at [start,end) of a text.
type synMatch struct {
	start, end int
	word       string
	others     []string
}

// find returns the synonym words in text, longest match first, left to right.
func (s *synonyms) find(text string) []synMatch {
	var out []synMatch
	for i := 0; i < len(text); {
		found := false
		for l := min(s.maxLen, len(text)-i); l > 0; l-- {
			w := text[i : i+l]
			gi, ok := s.group[w]
			if !ok {
				continue
			}
			var others []string
			for _, o := range s.groups[gi] {
				if o != w {
					others = append(others, o)
				}
			}
			out = append(out, synMatch{start: i, end: i + l, word: w, others: others})
			i += l
			found = true
			break
		}
		if !found {
			i++
			for i < len(text) && text[i]&0xC0 == 0x80 {
				i++
			}
		}
	}
	return out
}

// words returns every word of every group.
func (s *synonyms) words() []string {
	out := make([]string, 0, len(s.group))
	for w := range s.group {
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}
