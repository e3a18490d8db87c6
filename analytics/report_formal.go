package analytics

import "fmt"

// formalSections lay out the six sections of the national format (2021 on)
// and of the 2019–2020 trial format, which differs in table 二.
func formalSections(r *AnnualReport, staff *StaffInput) []Section {
	s := r.Stats
	t2 := table2National(r.Docs, staff.Table2)
	if r.Format == FormatTrial {
		t2 = table2Trial(r.Docs, staff.Table2)
	}
	g3 := checkTable3(staff.Table3, &r.Problems)
	g4 := grid("表四", staff.Table4, Table4Rows, Table4Columns, &r.Problems)
	return []Section{
		{Heading: "一、总体情况", Paragraphs: []string{
			fmt.Sprintf("（一）主动公开。%s。其中：%s。按类别：%s。%s", totalSentence(s), channelSentence(s), categorySentence(s), adoptionSentence(s)),
			fmt.Sprintf("（二）依申请公开。本年度新收政府信息公开申请%d件，上年结转%d件，办结%d件，结转下年度继续办理%d件。",
				g3["new"][6], g3["carried_over"][6], g3["total"][6], g3["carry_forward"][6]),
			orPlaceholder(staff.Overview),
		}, Tables: figureTables(s)},
		{Heading: "二、主动公开政府信息情况", Tables: []Table{t2}},
		{Heading: "三、收到和处理政府信息公开申请情况", Paragraphs: notEntered(staff.Table3),
			Tables: []Table{gridTable("table3", "收到和处理政府信息公开申请情况", "项目", Table3Rows, Table3Columns, g3)}},
		{Heading: "四、政府信息公开行政复议、行政诉讼情况", Paragraphs: notEntered(staff.Table4),
			Tables: []Table{gridTable("table4", "政府信息公开行政复议、行政诉讼情况", "类别", Table4Rows, Table4Columns, g4)}},
		{Heading: "五、存在的主要问题及改进情况", Paragraphs: append(factsOfProblems(s), orPlaceholder(staff.Problems))},
		{Heading: "六、其他需要报告的事项", Paragraphs: []string{orPlaceholder(staff.Other)}},
	}
}

// table2National is 表二 of the national format: 规章 and 行政规范性文件
// counted from documents (or given by staff), the rest from staff input;
// figures nobody gave are left empty for staff.
func table2National(docs map[string]*DocCounts, in StaffTable2) Table {
	t := Table{Name: "table2", Title: "主动公开政府信息情况",
		Header: []string{"条款", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数"}}
	for _, k := range []struct {
		kind  string
		given *DocFigures
	}{{KindRule, in.Rules}, {KindNormative, in.Normative}} {
		f := docs[k.kind].DocFigures
		if k.given != nil {
			f = *k.given
		}
		t.Rows = append(t.Rows, []any{"第二十条第（一）项", k.kind, f.Issued, f.Repealed, f.Valid})
	}
	t.Rows = append(t.Rows,
		[]any{"第二十条第（五）项", "行政许可（本年处理决定数量）", intCell(in.Licensing), "", ""},
		[]any{"第二十条第（六）项", "行政处罚（本年处理决定数量）", intCell(in.Penalty), "", ""},
		[]any{"第二十条第（六）项", "行政强制（本年处理决定数量）", intCell(in.Enforcement), "", ""},
		[]any{"第二十条第（八）项", "行政事业性收费（本年收费金额，单位：万元）", floatCell(in.Fees), "", ""},
	)
	return t
}

// table2Trial is 表二 of the 2019–2020 trial format: new made, new published
// and total published 规章 and 规范性文件, then the staff figures and the
// 政府集中采购 block.
func table2Trial(docs map[string]*DocCounts, in StaffTable2) Table {
	t := Table{Name: "table2", Title: "主动公开政府信息情况",
		Header: []string{"条款", "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"}}
	for _, kind := range []string{KindRule, KindNormative} {
		d := docs[kind]
		label := kind
		if kind == KindNormative {
			label = "规范性文件"
		}
		t.Rows = append(t.Rows, []any{"第二十条第（一）项", label, d.Made, d.Published, d.Total})
	}
	t.Rows = append(t.Rows,
		[]any{"第二十条第（五）项", "行政许可（处理决定数量）", intCell(in.Licensing), "", ""},
		[]any{"第二十条第（六）项", "行政处罚（处理决定数量）", intCell(in.Penalty), "", ""},
		[]any{"第二十条第（六）项", "行政强制（处理决定数量）", intCell(in.Enforcement), "", ""},
		[]any{"第二十条第（八）项", "行政事业性收费（收费金额，单位：万元）", floatCell(in.Fees), "", ""},
		[]any{"第二十条第（九）项", "政府集中采购（采购总金额，单位：万元）", floatCell(in.Procurement), "", ""},
	)
	return t
}

// notEntered is a placeholder paragraph for a staff table nobody entered
// (neither in the web form nor in an imported YAML file).
func notEntered(table map[string][]int) []string {
	if table == nil {
		return []string{Placeholder}
	}
	return nil
}

func intCell(p *int) any {
	if p == nil {
		return ""
	}
	return *p
}

func floatCell(p *float64) any {
	if p == nil {
		return ""
	}
	return *p
}

// gridTable is a staff table as a report table.
func gridTable(name, title, first string, rows []RowDef, cols []string, g staffGrid) Table {
	t := Table{Name: name, Title: title, Header: append([]string{first}, cols...)}
	for _, r := range rows {
		row := []any{r.Label}
		for _, n := range g[r.Key] {
			row = append(row, n)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
