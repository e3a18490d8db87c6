package analytics

import "fmt"

// freeSections lay out the figures of a pre-2019 report in the shape of the
// township's 2015 report: totals by channel, by category, the channels used,
// applications, problems and plans.
func freeSections(s *YearStats, staff *StaffInput, problems *[]Problem) []Section {
	overview := fmt.Sprintf("%s。其中：%s。", totalSentence(s), channelSentence(s))
	sections := []Section{
		{Heading: "一、概述", Paragraphs: []string{overview, orPlaceholder(staff.Overview)}},
		{Heading: "二、主动公开政府信息情况", Paragraphs: []string{
			fmt.Sprintf("按类别：%s。", categorySentence(s)),
			fmt.Sprintf("公开渠道：%s。%s", channelsUsed(s), adoptionSentence(s)),
		}, Tables: figureTables(s)},
	}
	apply := Placeholder
	if len(staff.Table3) > 0 {
		g := checkTable3(staff.Table3, problems)
		apply = fmt.Sprintf("本年度收到政府信息公开申请%d件，上年结转%d件，办结%d件，结转下年度%d件。",
			g["new"][6], g["carried_over"][6], g["total"][6], g["carry_forward"][6])
	}
	return append(sections,
		Section{Heading: "三、依申请公开政府信息情况", Paragraphs: []string{apply}},
		Section{Heading: "四、存在的主要问题及改进措施", Paragraphs: append(factsOfProblems(s), orPlaceholder(staff.Problems))},
		Section{Heading: "五、其他需要报告的事项", Paragraphs: []string{orPlaceholder(staff.Other)}},
	)
}
