// Package alert tells staff, on the channels they already use, which
// columns, WeChat accounts and villages are overdue or about to be, and which
// disclosures came out later than the working-day rule allows. Each alert is
// sent once per change of its state; the changes of a run go out as one
// digest per channel, and a channel that fails gets them again on the next run.
package alert

import (
	"fmt"
	"strings"

	"github.com/gongkai-project/gongkai/analytics"
)

// Kinds of alert: the staleness scopes of analytics, and a late disclosure.
const (
	KindHomepage   = analytics.ScopeHomepage
	KindColumn     = analytics.ScopeColumn
	KindWeChat     = analytics.ScopeWeChat
	KindVillage    = analytics.ScopeVillage
	KindDisclosure = "disclosure"
)

// States of an alert.
const (
	StateOK      = "ok"      // back within its limit (sent once, as 已恢复正常)
	StateSoon    = "soon"    // in the last staleness.warn_share of the limit: the dashboard's 即将超期
	StateOverdue = "overdue" // past the limit
	StateLate    = "late"    // published more than the working-day limit after it was written
)

var stateLabels = map[string]string{StateOK: "已恢复正常", StateSoon: "即将超期", StateOverdue: "已超期", StateLate: "逾期公开"}

// StateLabel is the words staff read for a state.
func StateLabel(state string) string {
	if l, ok := stateLabels[state]; ok {
		return l
	}
	return state
}

// Alert is the state of one scope or late item as of a day.
type Alert struct {
	Key        string `json:"key"`            // kind:name (kind:unit·name with several units), or disclosure:document id
	Kind       string `json:"kind"`           // homepage, column, wechat, village, disclosure
	Unit       string `json:"unit,omitempty"` // with several units: the unit the scope is of
	Scope      string `json:"scope"`
	State      string `json:"state"`
	StateLabel string `json:"state_label"`
	Previous   string `json:"previous,omitempty"` // the state sent before; "" for a first alert
	AsOf       string `json:"as_of"`
	// Staleness scopes.
	Last      string `json:"last,omitempty"` // day of the newest item; "" when none
	Days      int    `json:"days"`           // since Last; -1 when there is no item
	LimitDays int    `json:"limit_days,omitempty"`
	DaysLeft  int    `json:"days_left"` // before the limit runs out; negative when overdue
	// Late disclosures.
	DocID     string `json:"doc_id,omitempty"`
	Title     string `json:"title,omitempty"`
	Written   string `json:"written,omitempty"`
	Published string `json:"published,omitempty"`
	Workdays  int    `json:"workdays,omitempty"` // working days from written to published
	Limit     int    `json:"limit_workdays,omitempty"`
	Message   string `json:"message"` // the sentence staff read
}

// Current returns the alerts in force as of w's day: every scope overdue or
// due soon (as the dashboard judges it), and every late disclosure of the period.
func Current(w *analytics.Watch) []Alert {
	var out []Alert
	asOf := w.AsOf.Format(analytics.DateLayout)
	for _, row := range w.Stale {
		if a := scopeAlert(row, asOf); a.State != StateOK {
			out = append(out, a)
		}
	}
	for _, it := range w.Disclosure.Items {
		a := Alert{Key: KindDisclosure + ":" + it.ID, Kind: KindDisclosure, Unit: it.Unit, Scope: "《" + it.Title + "》",
			State: StateLate, AsOf: asOf, DocID: it.ID, Title: it.Title, Days: -1,
			Written: it.Written.Format(analytics.DateLayout), Published: it.Published.Format(analytics.DateLayout),
			Workdays: it.Workdays, Limit: it.LimitWorkdays}
		if it.Unit != "" {
			a.Scope = it.Unit + "·" + a.Scope
		}
		out = append(out, finish(a))
	}
	return out
}

// Changes returns the alerts whose state differs from the one last recorded
// (states, by key): new and changed alerts, and scopes that were overdue or
// due soon and are within their limit again.
func Changes(w *analytics.Watch, states map[string]string) []Alert {
	var out []Alert
	asOf := w.AsOf.Format(analytics.DateLayout)
	current := map[string]bool{}
	for _, a := range Current(w) {
		current[a.Key] = true
		if prev := states[a.Key]; prev != a.State {
			a.Previous = prev
			out = append(out, finish(a))
		}
	}
	for _, row := range w.Stale {
		a := scopeAlert(row, asOf)
		if prev := states[a.Key]; !current[a.Key] && prev != "" && prev != StateOK {
			a.Previous = prev
			out = append(out, finish(a))
		}
	}
	return out
}

// scopeAlert is the alert of a staleness row, in the row's state: one rule
// for 即将超期 on the dashboard and in alerts (docs/alerts.md).
func scopeAlert(row analytics.StaleRow, asOf string) Alert {
	key := row.Kind + ":" + row.Name
	if row.Unit != "" {
		key = row.Kind + ":" + row.Unit + "·" + row.Name
	}
	a := Alert{Key: key, Kind: row.Kind, Unit: row.Unit, Scope: row.Scope, AsOf: asOf,
		Days: row.Days, LimitDays: row.LimitDays, DaysLeft: row.LimitDays - row.Days}
	if !row.Last.IsZero() {
		a.Last = row.Last.Format(analytics.DateLayout)
	}
	switch row.State {
	case analytics.StateOverdue:
		a.State = StateOverdue
	case analytics.StateWarning:
		a.State = StateSoon
	default:
		a.State = StateOK
	}
	if row.Days < 0 {
		a.DaysLeft = -1
	}
	return finish(a)
}

// finish fills the label and the message.
func finish(a Alert) Alert {
	a.StateLabel = StateLabel(a.State)
	a.Message = a.sentence(func(s string) string { return s })
	return a
}

// sentence says what the alert is about; esc escapes the untrusted names
// and titles for the format it goes into.
func (a Alert) sentence(esc func(string) string) string {
	if a.Kind == KindDisclosure {
		return fmt.Sprintf("%s成文于 %s，%s 才公开，相隔 %d 个工作日（时限 %d 个工作日）",
			esc(a.Scope), a.Written, a.Published, a.Workdays, a.Limit)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s：", esc(a.Scope), a.StateLabel)
	switch {
	case a.Days < 0:
		fmt.Fprintf(&b, "尚无任何发布（时限 %d 天）", a.LimitDays)
		return b.String()
	case a.State == StateOverdue:
		fmt.Fprintf(&b, "最近更新 %s，已 %d 天未更新，超过时限 %d 天", a.Last, a.Days, -a.DaysLeft)
	case a.State == StateSoon && a.DaysLeft == 0:
		fmt.Fprintf(&b, "最近更新 %s，今天到期", a.Last)
	case a.State == StateSoon:
		fmt.Fprintf(&b, "最近更新 %s，还剩 %d 天到期", a.Last, a.DaysLeft)
	default:
		fmt.Fprintf(&b, "最近更新 %s", a.Last)
	}
	fmt.Fprintf(&b, "（时限 %d 天）", a.LimitDays)
	return b.String()
}
