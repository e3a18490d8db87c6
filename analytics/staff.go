package analytics

import (
	"fmt"
	"os"
	"strings"

	"github.com/goccy/go-yaml"
)

// StaffInput is what staff fill in for the annual report, read from a YAML
// file (see testdata/staff.yaml for a complete example):
//
//	organ: 康大营镇人民政府          # who reports; the report title starts with it
//	overview: |                     # prose added to 一、总体情况
//	problems: |                     # 五、存在的主要问题及改进情况
//	other: |                        # 六、其他需要报告的事项
//	table2:                         # 表二 figures documents cannot tell
//	  licensing: 15                 # 行政许可 本年处理决定数量
//	  penalty: 2                    # 行政处罚 本年处理决定数量
//	  enforcement: 0                # 行政强制 本年处理决定数量
//	  fees: 0.35                    # 行政事业性收费 本年收费金额（万元）
//	  procurement: 120.5            # 政府集中采购 采购总金额（万元），2019–2020 试行格式
//	  rules: {issued: 0, repealed: 0, valid: 0}      # optional: replace the 规章 counted from documents
//	  normative: {issued: 3, repealed: 1, valid: 12} # optional: replace the 行政规范性文件 counted
//	table3:                         # 表三: rows by key, each [自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计]
//	  new: [5, 1, 0, 0, 0, 0, 6]    # 总计 may be left out: it is then the sum of the six
//	  ...                           # keys: see Table3Rows; rows left out are zero; total may be left out
//	table4:                         # 表四: each [结果维持, 结果纠正, 其他结果, 尚未审结, 总计]
//	  review: [1, 0, 0, 0, 1]       # 行政复议
//	  direct_suit: [0, 0, 0, 0, 0]  # 行政诉讼 未经复议直接起诉
//	  suit_after_review: [0, 0, 0, 0, 0] # 行政诉讼 复议后起诉
type StaffInput struct {
	Organ    string           `yaml:"organ"`
	Overview string           `yaml:"overview"`
	Problems string           `yaml:"problems"`
	Other    string           `yaml:"other"`
	Table2   StaffTable2      `yaml:"table2"`
	Table3   map[string][]int `yaml:"table3"`
	Table4   map[string][]int `yaml:"table4"`
}

// StaffTable2 holds the 表二 figures staff provide.
type StaffTable2 struct {
	Licensing   *int        `yaml:"licensing"`
	Penalty     *int        `yaml:"penalty"`
	Enforcement *int        `yaml:"enforcement"`
	Fees        *float64    `yaml:"fees"`
	Procurement *float64    `yaml:"procurement"`
	Rules       *DocFigures `yaml:"rules"`
	Normative   *DocFigures `yaml:"normative"`
}

// DocFigures are the 制发/废止/现行有效 counts of one kind of document.
type DocFigures struct {
	Issued   int `yaml:"issued" json:"issued"`     // 本年制发件数
	Repealed int `yaml:"repealed" json:"repealed"` // 本年废止件数
	Valid    int `yaml:"valid" json:"valid"`       // 现行有效件数
}

// RowDef is one row of a staff table: its YAML key and its label in the report.
type RowDef struct{ Key, Label string }

// Table3Columns are the applicant columns of 表三 (the last is the total).
var Table3Columns = []string{"自然人", "法人或其他组织：商业企业", "法人或其他组织：科研机构",
	"法人或其他组织：社会公益组织", "法人或其他组织：法律服务机构", "法人或其他组织：其他", "总计"}

// Table3Rows are the rows of 表三 in order; result rows are those between
// public and other_3, summed by total.
var Table3Rows = []RowDef{
	{"new", "一、本年新收政府信息公开申请数量"},
	{"carried_over", "二、上年结转政府信息公开申请数量"},
	{"public", "三、本年度办理结果 （一）予以公开"},
	{"partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"},
	{"withheld_1", "（三）不予公开 1.属于国家秘密"},
	{"withheld_2", "（三）不予公开 2.其他法律行政法规禁止公开"},
	{"withheld_3", "（三）不予公开 3.危及“三安全一稳定”"},
	{"withheld_4", "（三）不予公开 4.保护第三方合法权益"},
	{"withheld_5", "（三）不予公开 5.属于三类内部事务信息"},
	{"withheld_6", "（三）不予公开 6.属于四类过程性信息"},
	{"withheld_7", "（三）不予公开 7.属于行政执法案卷"},
	{"withheld_8", "（三）不予公开 8.属于行政查询事项"},
	{"unavailable_1", "（四）无法提供 1.本机关不掌握相关政府信息"},
	{"unavailable_2", "（四）无法提供 2.没有现成信息需要另行制作"},
	{"unavailable_3", "（四）无法提供 3.补正后申请内容仍不明确"},
	{"unprocessed_1", "（五）不予处理 1.信访举报投诉类申请"},
	{"unprocessed_2", "（五）不予处理 2.重复申请"},
	{"unprocessed_3", "（五）不予处理 3.要求提供公开出版物"},
	{"unprocessed_4", "（五）不予处理 4.无正当理由大量反复申请"},
	{"unprocessed_5", "（五）不予处理 5.要求行政机关确认或重新出具已获取信息"},
	{"other_1", "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"},
	{"other_2", "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"},
	{"other_3", "（六）其他处理 3.其他"},
	{"total", "（七）总计"},
	{"carry_forward", "四、结转下年度继续办理"},
}

// Table4Columns are the columns of each 表四 block (the last is the total).
var Table4Columns = []string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}

// Table4Rows are the blocks of 表四.
var Table4Rows = []RowDef{
	{"review", "行政复议"},
	{"direct_suit", "行政诉讼：未经复议直接起诉"},
	{"suit_after_review", "行政诉讼：复议后起诉"},
}

// LoadStaff reads and decodes a staff YAML file; unknown keys are errors.
func LoadStaff(path string) (*StaffInput, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read staff input: %w", err)
	}
	var in StaffInput
	if err := yaml.UnmarshalWithOptions(data, &in, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("parse staff input %s: %w", path, err)
	}
	return &in, nil
}

// Problem is a failed check of a staff table, naming its row and column.
type Problem struct {
	Table, Row, Column string
	Message            string
}

func (p Problem) String() string {
	where := p.Table
	if p.Row != "" {
		where += " “" + p.Row + "”行"
	}
	if p.Column != "" {
		where += " “" + p.Column + "”列"
	}
	return where + "：" + p.Message
}

// CheckError lists every failed check of the staff input.
type CheckError struct{ Problems []Problem }

func (e *CheckError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return "年度报告人工填写数据校验未通过：\n" + strings.Join(lines, "\n")
}

// staffGrid is a staff table filled to full width: rows by key, totals
// computed where staff left them out.
type staffGrid map[string][]int

// grid validates a staff table against its rows and columns: unknown keys,
// wrong widths, and a given total that is not the sum of the row.
func grid(table string, in map[string][]int, rows []RowDef, cols []string, problems *[]Problem) staffGrid {
	known := map[string]string{}
	for _, r := range rows {
		known[r.Key] = r.Label
	}
	for _, k := range sortedKeys(in) {
		if _, ok := known[k]; !ok {
			*problems = append(*problems, Problem{Table: table, Row: k, Message: "未知的行，可用的行见 StaffInput 说明"})
		}
	}
	g := staffGrid{}
	for _, r := range rows {
		v := in[r.Key]
		switch len(v) {
		case 0:
			v = make([]int, len(cols)-1)
			fallthrough
		case len(cols) - 1:
			v = append(append([]int(nil), v...), sum(v))
		case len(cols):
			v = append([]int(nil), v...)
			if s := sum(v[:len(v)-1]); s != v[len(v)-1] {
				*problems = append(*problems, Problem{Table: table, Row: r.Label, Column: cols[len(cols)-1],
					Message: fmt.Sprintf("填写 %d，各列之和为 %d", v[len(v)-1], s)})
			}
		default:
			*problems = append(*problems, Problem{Table: table, Row: r.Label,
				Message: fmt.Sprintf("应填写 %d 个数（%s），实际 %d 个", len(cols), strings.Join(cols, "、"), len(v))})
			v = make([]int, len(cols))
		}
		for i, n := range v {
			if n < 0 {
				*problems = append(*problems, Problem{Table: table, Row: r.Label, Column: cols[i], Message: fmt.Sprintf("不能为负数（%d）", n)})
			}
		}
		g[r.Key] = v
	}
	return g
}

func sum(v []int) int {
	n := 0
	for _, x := range v {
		n += x
	}
	return n
}

// checkTable3 fills and checks 表三: （七）总计 is the sum of the results
// （一）–（六） (computed when left out), and 一 + 二 = （七） + 四 in every column.
func checkTable3(in map[string][]int, problems *[]Problem) staffGrid {
	const table = "表三"
	g := grid(table, in, Table3Rows, Table3Columns, problems)
	results := Table3Rows[2:23]
	_, given := in["total"]
	for c, col := range Table3Columns {
		s := 0
		for _, r := range results {
			s += g[r.Key][c]
		}
		if !given {
			g["total"][c] = s
		} else if g["total"][c] != s {
			*problems = append(*problems, Problem{Table: table, Row: "（七）总计", Column: col,
				Message: fmt.Sprintf("填写 %d，（一）至（六）之和为 %d", g["total"][c], s)})
		}
		left, right := g["new"][c]+g["carried_over"][c], g["total"][c]+g["carry_forward"][c]
		if left != right {
			*problems = append(*problems, Problem{Table: table, Row: "一+二 与 （七）+四", Column: col,
				Message: fmt.Sprintf("一、本年新收 + 二、上年结转 = %d，（七）总计 + 四、结转下年度 = %d，应相等", left, right)})
		}
	}
	return g
}
