package analytics

import (
	"fmt"
	"html/template"
	"io"
	"strings"
)

// meta is the line under the title: period, as-of day, format.
func (r *AnnualReport) meta() string {
	names := map[string]string{FormatFree: "自由格式（2019年以前）", FormatTrial: "试行格式（2019—2020年）", FormatNational: "国办公开办函〔2021〕30号格式"}
	return fmt.Sprintf("统计期间：%s至%s；数据截至%s；格式：%s。", chineseDate(r.Stats.Period.From),
		chineseDate(r.Stats.Period.Last()), chineseDate(r.Stats.AsOf), names[r.Format])
}

// WriteMarkdown writes the report as Markdown, failed checks first.
func (r *AnnualReport) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%s\n\n", r.Title, r.meta())
	if len(r.Problems) > 0 {
		b.WriteString("> **校验未通过**\n>\n")
		for _, p := range r.Problems {
			fmt.Fprintf(&b, "> - %s\n", p)
		}
		b.WriteString("\n")
	}
	for _, s := range r.Sections {
		fmt.Fprintf(&b, "## %s\n\n", s.Heading)
		for _, p := range s.Paragraphs {
			fmt.Fprintf(&b, "%s\n\n", p)
		}
		for _, t := range s.Tables {
			writeMarkdownTable(&b, t)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMarkdownTable(b *strings.Builder, t Table) {
	cell := func(s string) string {
		return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
	}
	fmt.Fprintf(b, "**%s**\n\n|", t.Title)
	for _, h := range t.Header {
		fmt.Fprintf(b, " %s |", cell(h))
	}
	b.WriteString("\n|")
	for range t.Header {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	for _, row := range t.Rows {
		b.WriteString("|")
		for _, v := range row {
			fmt.Fprintf(b, " %s |", cell(CellText(v)))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

var reportHTML = template.Must(template.New("report").Funcs(template.FuncMap{"cell": CellText}).Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:"SimSun","Songti SC",serif;max-width:960px;margin:2em auto;line-height:1.8}
h1{text-align:center;font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em}p{text-indent:2em}
table{border-collapse:collapse;margin:1em 0;width:100%}th,td{border:1px solid #333;padding:.3em .5em;font-size:.9em}
caption{font-weight:bold;margin-bottom:.3em}.meta{text-align:center;text-indent:0;color:#555}
.problems{border:2px solid #c00;padding:.5em 1em;color:#900}.todo{background:#ffefa0}</style></head>
<body><h1>{{.Title}}</h1><p class="meta">{{.Meta}}</p>
{{if .Problems}}<div class="problems"><strong>校验未通过</strong><ul>{{range .Problems}}<li>{{.}}</li>{{end}}</ul></div>{{end}}
{{range .Sections}}<h2>{{.Heading}}</h2>
{{range .Paragraphs}}<p{{if eq . $.Placeholder}} class="todo"{{end}}>{{.}}</p>
{{end}}{{range .Tables}}<table><caption>{{.Title}}</caption><thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range .}}<td>{{cell .}}</td>{{end}}</tr>{{end}}</tbody></table>
{{end}}{{end}}</body></html>
`))

// WriteHTML writes the report as a standalone HTML document, failed checks first.
func (r *AnnualReport) WriteHTML(w io.Writer) error {
	problems := make([]string, len(r.Problems))
	for i, p := range r.Problems {
		problems[i] = p.String()
	}
	return reportHTML.Execute(w, map[string]any{
		"Title": r.Title, "Meta": r.meta(), "Problems": problems, "Sections": r.Sections, "Placeholder": Placeholder,
	})
}

// Tables returns the report's text as a first table (one line per heading or
// paragraph) followed by every table of the report.
func (r *AnnualReport) Tables() []Table {
	text := Table{Name: "report", Title: "报告正文", Header: []string{r.Title}}
	text.Rows = append(text.Rows, []any{r.meta()})
	for _, p := range r.Problems {
		text.Rows = append(text.Rows, []any{"校验未通过：" + p.String()})
	}
	var tables []Table
	for _, s := range r.Sections {
		text.Rows = append(text.Rows, []any{s.Heading})
		for _, p := range s.Paragraphs {
			text.Rows = append(text.Rows, []any{p})
		}
		for _, t := range s.Tables {
			text.Rows = append(text.Rows, []any{"（见表：" + t.Title + "）"})
			tables = append(tables, t)
		}
	}
	return append([]Table{text}, tables...)
}

// WriteXLSX writes the report as a workbook: the text, then one sheet per table.
func (r *AnnualReport) WriteXLSX(w io.Writer) error { return WriteTablesXLSX(w, r.Tables()) }

// Write writes the report in format: md (Markdown), html, xlsx or docx (a
// 公文); any other format is an error that names it.
func (r *AnnualReport) Write(w io.Writer, format string) error {
	switch format {
	case "md":
		return r.WriteMarkdown(w)
	case "html":
		return r.WriteHTML(w)
	case "xlsx":
		return r.WriteXLSX(w)
	case "docx":
		return r.WriteDOCX(w)
	}
	return fmt.Errorf("annual report format %q: want md, html, xlsx or docx", format)
}
