package indexer

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/gongkai-project/gongkai/store"
)

// attachmentDocs are testDocs with a one-line notice whose recipient list
// is in an XLSX attachment, and a plan whose text is in a DOCX.
func attachmentDocs() []*store.Document {
	docs := slices.Clone(testDocs)
	return append(docs,
		&store.Document{ID: "a1", Title: "2016年第三季度农村低保对象名单公示", Body: "名单见附件，公示期七天。", Channel: "portal", Published: day(2016, 9, 30),
			Attachments: []store.Attachment{
				{Name: "低保对象名单.xlsx", URL: "http://x.gov.cn/a1.xlsx", Type: "xlsx", Bytes: 9000, State: store.AttachmentExtracted,
					Text: "序号 村名 户主 金额\n1 王家庄村 张秀英 300\n2 李家堡村 赵德胜 280"},
				{Name: "扫描件.pdf", URL: "http://x.gov.cn/a1.pdf", Type: "pdf", Bytes: 50000, Pages: 1, State: store.AttachmentImageOnly},
			}},
		&store.Document{ID: "a2", Title: "关于印发危房改造实施方案的通知", Body: "现将实施方案印发给你们，请认真贯彻执行。", Channel: "portal", Published: day(2016, 4, 1),
			Attachments: []store.Attachment{{Name: "实施方案.docx", URL: "http://x.gov.cn/a2.docx", Type: "docx", Bytes: 12000, State: store.AttachmentExtracted,
				Text: "一、补助对象为建档立卡贫困户、低保户、分散供养特困人员和贫困残疾人家庭。二、鉴定由县住建局组织实施。"}}},
	)
}

func TestSearchAttachments(t *testing.T) {
	e := newEnv(t, attachmentDocs())

	res := e.search(t, Query{Text: "张秀英"})
	if len(res.Hits) != 1 || res.Hits[0].ID != "a1" {
		t.Fatalf("a name only in an attachment: %v", ids(res))
	}
	h := res.Hits[0]
	if !slices.Equal(h.MatchedIn, []string{"attachment"}) || h.Attachment == nil || h.Attachment.Name != "低保对象名单.xlsx" ||
		!strings.Contains(h.Attachment.Snippet, "<mark>张秀英</mark>") {
		t.Errorf("hit %+v attachment %+v", h, h.Attachment)
	}

	// the page's own text ranks above an attachment's: 低保户 is in d3's body and a2's attachment
	res = e.search(t, Query{Text: "鉴定 住建局"})
	if len(res.Hits) != 1 || res.Hits[0].ID != "a2" {
		t.Errorf("two words of the attachment: %v", ids(res))
	}
	res = e.search(t, Query{Text: "低保"})
	if i, j := slices.Index(ids(res), "d3"), slices.Index(ids(res), "a2"); i < 0 || j < 0 || i > j {
		t.Errorf("低保: %v, want d3 (body) above a2 (attachment)", ids(res))
	}
	for _, hit := range res.Hits {
		if hit.ID == "d3" && !slices.Equal(hit.MatchedIn, []string{"title", "body"}) {
			t.Errorf("d3 matched in %v", hit.MatchedIn)
		}
	}

	// a quoted phrase is checked against the attachment's text
	if res = e.search(t, Query{Text: `"县住建局组织实施"`}); len(res.Hits) != 1 || res.Hits[0].ID != "a2" {
		t.Errorf("phrase in an attachment: %v", ids(res))
	}
	if res = e.search(t, Query{Text: `"住建局鉴定"`}); len(res.Hits) != 0 {
		t.Errorf("bigrams of a phrase found apart: %v", ids(res))
	}

	// a question finds the attachment too
	res = e.search(t, Query{Text: "危房改造的补助对象有哪些人？"})
	if len(res.Hits) == 0 || !slices.Contains(ids(res)[:min(3, len(res.Hits))], "a2") {
		t.Errorf("question: %v", ids(res))
	}

	// the type filter
	for typ, want := range map[string][]string{"xlsx": {"a1"}, "docx": {"a2"}, "pdf": {"a1"}, "ofd": nil} {
		res = e.search(t, Query{Attachment: typ})
		if got := ids(res); !slices.Equal(got, want) {
			t.Errorf("attachment=%s: %v, want %v", typ, got, want)
		}
	}

	// a re-fetched attachment is indexed again
	ctx := context.Background()
	if _, err := e.st.SaveAttachment(ctx, "a1", &store.Attachment{Name: "低保对象名单.xlsx", URL: "http://x.gov.cn/a1.xlsx", Type: "xlsx",
		State: store.AttachmentExtracted, Text: "1 王家庄村 孙桂兰 300"}, store.AttachmentFetch{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ix.Sync(ctx, e.st, nil); err != nil {
		t.Fatal(err)
	}
	if res = e.search(t, Query{Text: "孙桂兰"}); len(res.Hits) != 1 || res.Hits[0].ID != "a1" {
		t.Errorf("after the new list: %v", ids(res))
	}
	if res = e.search(t, Query{Text: "张秀英"}); len(res.Hits) != 0 {
		t.Errorf("the old list is still found: %v", ids(res))
	}
}

// TestAttachmentTypeFacet checks the facet of attachment types against the
// filter: for short queries, one sorted by date, a question and a filter
// alone (counted by three paths: the top-k collector, Bleve's facets and
// the facet table), a type's count is the total the query has with
// attachment=type. One document carries five types, more than a facet
// table starts with per document.
func TestAttachmentTypeFacet(t *testing.T) {
	many := &store.Document{ID: "a3", Title: "低保资金使用情况公开", Body: "详见附件。", Channel: "portal", Unit: "王家庄镇", Published: day(2017, 2, 1)}
	for _, typ := range []string{"pdf", "docx", "xlsx", "ofd", "wps"} {
		many.Attachments = append(many.Attachments, store.Attachment{Name: "附件." + typ, URL: "http://x.gov.cn/a3." + typ,
			Type: typ, State: store.AttachmentExtracted, Text: "低保资金发放明细"})
	}
	e := newEnv(t, append(attachmentDocs(), many))
	for _, q := range []Query{{Text: "低保"}, {Text: "低保 资金"}, {Text: "低保", Sort: "date"},
		{Text: "危房改造的补助对象有哪些人？"}, {Channel: "portal"}} {
		res := e.search(t, q)
		counts := map[string]int{}
		for _, c := range res.Facets[fAttType] {
			counts[c.Term] = c.Count
		}
		if len(counts) == 0 {
			t.Errorf("%+v: no attachment types among %d hits: %v", q, res.Total, res.Facets)
		}
		for _, typ := range []string{"pdf", "docx", "xlsx", "ofd", "wps", "doc", "xls"} {
			f := q
			f.Attachment = typ
			if n := e.search(t, f).Total; counts[typ] != int(n) {
				t.Errorf("%+v: facet %s = %d, the filter finds %d", q, typ, counts[typ], n)
			}
		}
	}
	if res := e.search(t, Query{Text: "低保"}); !slices.Contains(ids(res), "a3") {
		t.Fatalf("低保 misses a3: %v", ids(res))
	}
}
