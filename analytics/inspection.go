package analytics

// Verdict is one single-veto check of the website and new-media inspection
// (国办秘函〔2019〕19号) applied to the staleness rows.
type Verdict struct {
	Unit   string   `json:"unit,omitempty"` // in the county view: the unit checked
	Rule   string   `json:"rule"`
	Count  int      `json:"count"`   // scopes breaking the rule
	FailAt int      `json:"fail_at"` // the count at which the check fails
	Failed bool     `json:"failed"`
	Scopes []string `json:"scopes"`
}

// inspect applies the inspection's counting rules: an overdue homepage fails;
// 5 or more columns overdue under a column rule (动态/要闻 two weeks,
// 通知公告/政策文件 six months) fail; 10 or more columns overdue under the
// general limit (long neglected) fail; an overdue WeChat account fails.
func inspect(rows []StaleRow, r *rules) []Verdict {
	v := []Verdict{
		{Rule: "首页超过更新时限", FailAt: 1},
		{Rule: "动态要闻、通知公告、政策文件类栏目未按时更新", FailAt: 5},
		{Rule: "栏目长期未更新", FailAt: 10},
		{Rule: "政务新媒体超过更新时限", FailAt: 1},
	}
	for _, row := range rows {
		if row.State != StateOverdue {
			continue
		}
		i := -1
		switch row.Kind {
		case ScopeHomepage:
			i = 0
		case ScopeColumn:
			i = 2
			if _, matched := r.columnRule(row.Name); matched {
				i = 1
			}
		case ScopeWeChat:
			i = 3
		}
		if i >= 0 {
			v[i].Count++
			v[i].Scopes = append(v[i].Scopes, row.Scope)
		}
	}
	for i := range v {
		v[i].Failed = v[i].Count >= v[i].FailAt
		if v[i].Scopes == nil {
			v[i].Scopes = []string{}
		}
	}
	return v
}
