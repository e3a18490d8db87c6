package store

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestRepealedNames(t *testing.T) {
	cases := []struct {
		title, body string
		want        []string
	}{
		{"康大营镇人民政府关于废止《康大营镇农村低保管理办法》的决定", "各村：根据上级有关规定，决定废止《康大营镇农村低保管理办法》（康镇规〔2014〕2号）。",
			[]string{"康大营镇农村低保管理办法", "康大营镇农村低保管理办法", "康镇规〔2014〕2号"}},
		{"关于公布2015年农村低保标准的通知", "本通知自2015年1月1日起执行，《关于公布2014年农村低保标准的通知》（康镇政〔2014〕5号）同时废止。",
			[]string{"关于公布2014年农村低保标准的通知", "康镇政〔2014〕5号"}},
		{"关于废止部分规范性文件的决定", "根据《中华人民共和国立法法》，决定废止下列文件：\n1.《甲乡村道路管理办法》\n2.《乙镇集市管理规定》\n二、继续有效的文件\n1.《丙村务公开办法》",
			[]string{"甲乡村道路管理办法", "乙镇集市管理规定"}},
		{"清理结果", "一、废止的文件\n（一）《甲乡村道路管理办法》（甲政发〔2010〕3号）\n二、继续有效的文件\n（一）《丙村务公开办法》",
			[]string{"甲乡村道路管理办法", "甲政发〔2010〕3号"}},
		{"关于拟废止《甲办法》的公示", "拟废止《甲乡村道路管理办法》，现征求意见。", nil},
		{"关于贯彻《中华人民共和国行政许可法》的通知", "依据《中华人民共和国行政许可法》执行。该文件废止后，相关工作按照现行规定执行。", nil},
	}
	for _, c := range cases {
		if got := RepealedNames(c.title, c.body); !slices.Equal(got, c.want) {
			t.Errorf("RepealedNames(%q) = %q, want %q", c.title, got, c.want)
		}
	}
}

// TestApplyRepeals marks the documents a notice names (by title and by
// number, not later ones), moves the sequence so the index sees it, keeps
// the mark through a re-crawl and clears it when the notice goes.
func TestApplyRepeals(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 9, 0, 0, 0, Beijing) }
	docs := []*Document{
		{ID: "old", Title: "关于公布2014年农村低保标准的通知", Body: "2014年农村低保标准为每人每年2400元。", DocNumber: "康镇政〔2014〕5号", Published: day(2014, 3, 1), Validity: "有效"},
		{ID: "rule", Title: "关于印发《康大营镇农村低保管理办法》的通知", Body: "现印发给你们。", DocNumber: "康镇规〔2014〕2号", Published: day(2014, 4, 1)},
		{ID: "later", Title: "关于公布2014年农村低保标准的通知", Body: "同名，晚于废止通知。", Published: day(2016, 1, 1)},
		{ID: "new", Title: "关于公布2015年农村低保标准的通知", Body: "本通知自2015年1月1日起执行，《关于公布2014年农村低保标准的通知》（康镇政〔2014〕5号）同时废止。", Published: day(2015, 1, 5)},
		{ID: "decision", Title: "关于废止《康大营镇农村低保管理办法》的决定", Body: "决定废止康镇规[2014]2号文件。", Published: day(2015, 6, 1)},
	}
	if _, err := s.UpsertBatch(ctx, docs); err != nil {
		t.Fatal(err)
	}
	st, err := s.ApplyRepeals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st != (RepealStats{Notices: 2, Marked: 2}) {
		t.Fatalf("stats %+v, want 2 notices marking 2 documents", st)
	}
	want := map[string]string{"old": "new", "rule": "decision", "later": "", "new": "", "decision": ""}
	check := func(when string) {
		t.Helper()
		for id, by := range want {
			d, err := s.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if d.RepealedBy != by || (by != "" && d.CurrentValidity() != ValidityRepealed) {
				t.Errorf("%s: %s repealed by %q (%s), want %q", when, id, d.RepealedBy, d.CurrentValidity(), by)
			}
		}
	}
	check("after the repeal step")
	var changed []string
	if err := s.Changes(ctx, int64(len(docs)), func(_ int64, d *Document) error { changed = append(changed, d.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if slices.Sort(changed); !slices.Equal(changed, []string{"old", "rule"}) {
		t.Fatalf("changes after the repeal step: %v, want old and rule", changed)
	}
	if again, _ := s.ApplyRepeals(ctx); again != (RepealStats{Notices: 2}) {
		t.Fatalf("second run changed %+v, want nothing", again)
	}
	recrawl := *docs[0]
	recrawl.RepealedBy = ""
	if r, err := s.Upsert(ctx, &recrawl); err != nil || r != Unchanged {
		t.Fatalf("re-storing the repealed page: %v %v, want unchanged", r, err)
	}
	check("after a re-crawl")
	if err := s.MarkRemoved(ctx, "new"); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.ApplyRepeals(ctx); st.Cleared != 1 {
		t.Fatalf("after the notice was removed: %+v, want 1 cleared", st)
	}
	want["old"] = ""
	check("after the notice was removed")
	if d, _ := s.Get(ctx, "old"); d.CurrentValidity() != ValidityCurrent {
		t.Fatalf("cleared document shows %s, want its own 现行有效", d.CurrentValidity())
	}
}
