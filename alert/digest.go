package alert

import (
	"fmt"
	"strings"
)

// Digest is one message listing the alerts of a run on one channel.
type Digest struct {
	AsOf    string  // the day the run judged
	Alerts  []Alert // in the order they were recorded
	SiteURL string  // the public address of gongkai; "" leaves the link out
}

// groups are the sections of a digest, in order.
var groups = []struct{ state, heading string }{
	{StateOverdue, "已超期"},
	{StateSoon, "即将超期"},
	{StateLate, "逾期公开（超过工作日时限）"},
	{StateOK, "已恢复正常"},
}

// Title is the one-line summary: the day and how many alerts of each state.
func (d Digest) Title() string {
	var parts []string
	for _, g := range groups {
		if n := d.count(g.state); n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d 项", StateLabel(g.state), n))
		}
	}
	return fmt.Sprintf("政务公开更新提醒（%s）：%s", d.AsOf, strings.Join(parts, "，"))
}

func (d Digest) count(state string) int {
	n := 0
	for _, a := range d.Alerts {
		if a.State == state {
			n++
		}
	}
	return n
}

// Markdown renders the digest for the group robots in at most max bytes
// (0: no limit); untrusted names are made inert, and alerts that do not fit
// are counted at the end.
func (d Digest) Markdown(max int) string {
	return d.render("### ", markdownInert, max)
}

// Text renders the digest as plain text (the e-mail body).
func (d Digest) Text() string {
	return d.render("", func(s string) string { return s }, 0)
}

func (d Digest) render(heading string, esc func(string) string, max int) string {
	var b strings.Builder
	b.WriteString(heading + d.Title() + "\n")
	var tail string
	if d.SiteURL != "" {
		tail = "\n详情见仪表盘：" + strings.TrimRight(d.SiteURL, "/") + "/staff#alert-history\n"
	}
	left := len(d.Alerts)
	for _, g := range groups {
		n := d.count(g.state)
		if n == 0 {
			continue
		}
		section := fmt.Sprintf("\n%s%s（%d）\n", heading, g.heading, n)
		for _, a := range d.Alerts {
			if a.State != g.state {
				continue
			}
			line := "- " + a.sentence(esc) + "\n"
			if max > 0 && b.Len()+len(section)+len(line)+len(tail)+160 > max {
				fmt.Fprintf(&b, "\n……另有 %d 项未列出，请到仪表盘查看。\n", left)
				return b.String() + tail
			}
			b.WriteString(section + line)
			section = ""
			left--
		}
	}
	return b.String() + tail
}

// markdownInert replaces the characters that make links, emphasis, headings
// or HTML in robot markdown by their full-width forms, so a crawled title
// cannot inject a link into a staff group.
var markdownInert = strings.NewReplacer(
	"[", "［", "]", "］", "(", "（", ")", "）", "<", "＜", ">", "＞", "*", "＊", "_", "＿",
	"`", "｀", "#", "＃", "!", "！", "\\", "＼", "\n", " ", "\r", " ",
).Replace
