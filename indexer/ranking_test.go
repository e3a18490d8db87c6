package indexer

import (
	"slices"
	"testing"

	"github.com/gongkai-project/gongkai/store"
)

func TestQueryShape(t *testing.T) {
	e := newEnv(t, testDocs)
	for _, c := range []struct {
		text  string
		short bool
	}{
		{"低保", true},
		{"医保报销", true},
		{"危房改造补助标准", true},
		{"低保怎么申请", true},
		{"危房改造补助标准是多少？", false},
		{"重庆智能化信息系统何时上线？", false},
		{"“八闽健康码”的用途是什么?", false},
	} {
		p := e.ix.planQuery(e.ix.simplify(parseQuery(c.text)), e.ix.lex)
		if got := p.isShort(); got != c.short {
			t.Errorf("%q: short = %v, want %v (units %v, asks %v)", c.text, got, c.short, p.units, p.asks)
		}
	}
}

func TestShortQueriesNeedAllWords(t *testing.T) {
	e := newEnv(t, testDocs)
	for q, want := range map[string][]string{
		"危房改造补助标准": {"d1"},
		"危房改造":     {"d1", "d7"},
		"低保评议":     {"d3"},
		"低保":       {"d2", "d3"},
	} {
		got := ids(e.search(t, Query{Text: q}))
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%q: hits %v, want %v", q, got, want)
		}
	}
}

func TestQuestionRanksByItsWords(t *testing.T) {
	e := newEnv(t, testDocs)
	for q, first := range map[string]string{
		// d7 lacks 补助标准, d1 lacks 多少钱: a question needs not all its words.
		"农村危房改造每户的补助标准是多少钱？":    "d1",
		"低保户家庭怎样向乡镇人民政府提出书面申请？": "d2",
		// the quoted phrase is required, the other words only rank.
		"“危房改造补助标准”的用途是什么？": "d1",
	} {
		if got := ids(e.search(t, Query{Text: q})); len(got) == 0 || got[0] != first {
			t.Errorf("%q: hits %v, want %s first", q, got, first)
		}
	}
	if got := ids(e.search(t, Query{Text: "“危房改造标准补助”的用途是什么？"})); len(got) != 0 {
		t.Errorf("a question's quoted phrase is required: hits %v, want none", got)
	}
}

func TestQuestionFindsTitleAndSynonymOnlyMatches(t *testing.T) {
	docs := append(slices.Clone(testDocs), &store.Document{ID: "t1", Title: "关于调整城乡居民最低生活保障标准的通知",
		Body: "详见附件。", Category: "社会保障", Channel: "portal", Published: day(2020, 7, 1)},
		&store.Document{ID: "t2", Title: "通知", Body: "办理新型农村合作医疗转移接续。", Channel: "portal", Published: day(2020, 7, 2)})
	e := newEnv(t, docs)
	for q, id := range map[string]string{
		"今年城乡居民最低生活保障标准调整了多少？": "t1", // its title matches, its body does not
		"新农合关系在外地怎么接上？":        "t2", // only a synonym matches
	} {
		if got := ids(e.search(t, Query{Text: q})); !slices.Contains(got, id) {
			t.Errorf("%q: hits %v, want %s", q, got, id)
		}
	}
}

func TestLoneCharactersJoinTheWordsTheyTouch(t *testing.T) {
	e := newEnv(t, testDocs)
	for text, want := range map[string][]string{
		"低保":       {"低保"},
		"低保和五保":    {"低保", "五保"},         // a stop word between words separates them
		"全法实":      {"全法实"},              // three lone characters: one string
		"于人":       {"于人"},               // a stop word touching a lone character joins it
		"危房 改造":    {"危房", "改造"},         // a space separates
		"危房改造补助标准": {"危房改造", "补助", "标准"}, // no lone character: gse words
	} {
		p := e.ix.planQuery(e.ix.simplify(parseQuery(text)), e.ix.lex)
		var got []string
		for _, u := range p.units {
			got = append(got, u.words[0])
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: units %v, want %v", text, got, want)
		}
	}
}
