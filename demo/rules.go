package demo

import "github.com/gongkai-project/gongkai/config"

// titleRule maps titles holding one of keywords to a category.
type titleRule struct {
	category string
	keywords []string
}

// titleRules tell apart the categories of the 民生服务 column and of WeChat
// posts; the first rule with a keyword in the title wins.
var titleRules = []titleRule{
	{"危房改造", []string{"危房"}},
	{"救灾救济", []string{"救灾", "救济", "救助"}},
	{"惠农政策", []string{"惠农", "补贴"}},
	{"社会保障", []string{"低保", "最低生活保障", "养老", "医疗保险", "新农合", "医保", "合作医疗", "社会保障", "高龄津贴", "特困"}},
	{"环境保护", []string{"环境", "环保", "污染", "秸秆", "散煤", "河道", "垃圾", "生态"}},
}

// categoryRules are the mapping rules of the demo config, in order: portal
// columns of one category by ColumnName, then title keywords, then the WeChat
// account's remaining posts as 工作动态.
func (t *Township) categoryRules() []config.Rule {
	var rules []config.Rule
	for _, c := range t.columns {
		if len(c.Categories) == 1 {
			rules = append(rules, config.Rule{Category: c.Categories[0], Column: []string{c.Name}})
		}
	}
	for _, r := range titleRules {
		rules = append(rules, config.Rule{Category: r.category, Title: r.keywords})
	}
	return append(rules, config.Rule{Category: "工作动态", Column: []string{AccountName}})
}
