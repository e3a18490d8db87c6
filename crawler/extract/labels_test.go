package extract

import (
	"reflect"
	"testing"
)

func TestParseLabels(t *testing.T) {
	cases := []struct {
		line string
		want []labelled
	}{
		{"索 引 号：\t000014349/2017-00110\t分\u3000\u3000类：\t综合政务\\政务公开", []labelled{
			{LabelIndex, true, "000014349/2017-00110"}, {LabelSubject, true, `综合政务\政务公开`}}},
		{"发文机关：\t吉林省人民政府\t发文字号：\t吉政明电〔2022〕1号", []labelled{
			{LabelPublisher, true, "吉林省人民政府"}, {LabelDocNumber, true, "吉政明电〔2022〕1号"}}},
		{"发布时间：2021-01-19 来源：示例县融媒体中心 浏览次数：12", []labelled{
			{LabelPublished, true, "2021-01-19"}, {LabelSource, false, "示例县融媒体中心"}}},
		{"信息来源：市发改委", []labelled{{LabelPublisher, true, "市发改委"}}},
		{"[ 黄宇 ] 来源：[ 人民网 ]", []labelled{{LabelSource, false, "人民网"}}},
		{"有 效 性\t有效", []labelled{{LabelValidity, true, "有效"}}},
		{"主题词：", []labelled{{LabelKeywords, true, ""}}},
		{"本报讯 这是正文，没有标签。", nil},
		{"资金来源：财政拨款", nil}, // 来源 inside a word is no label
		// A publisher field running on into the date, then a toolbar.
		{"发布机构：县人民政府办公室发布日期：2017-10-13【浏览字号：大 中 小】", []labelled{
			{LabelPublisher, true, "县人民政府办公室"}, {LabelPublished, true, "2017-10-13"}}},
	}
	for _, c := range cases {
		got := parseLabels(c.line)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("parseLabels(%q) = %+v, want %+v", c.line, got, c.want)
		}
	}
}

func TestCanonicalLabels(t *testing.T) {
	for raw, want := range map[string]string{
		"索 引 号": LabelIndex, "信息索引号": LabelIndex, "发文字号": LabelDocNumber, "分类": LabelSubject,
		"发文机关": LabelPublisher, "所属机构": LabelPublisher, "生成日期": LabelWritten, "公开日期": LabelPublished,
		"体裁分类": LabelGenre, "时效": LabelValidity, "主题词": LabelKeywords, "组配分类": LabelSubject,
	} {
		if got, ok := canonical(raw); !ok || got.label != want {
			t.Errorf("canonical(%q) = %+v, want %s", raw, got, want)
		}
	}
}

func TestStripMarkup(t *testing.T) {
	for in, want := range map[string]string{
		"<div>为现代化建设<br>凝聚力量</div>": "为现代化建设 凝聚力量",
		"A &amp; B":              "A & B",
		"  plain   text ":        "plain text",
		"<script>x()</script>标题": "标题",
	} {
		if got := stripMarkup(in); got != want {
			t.Errorf("stripMarkup(%q) = %q, want %q", in, got, want)
		}
	}
}
