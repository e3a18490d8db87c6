package csvsafe

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestText(t *testing.T) {
	cases := map[string]string{
		"=1+2":                              "'=1+2",
		`=HYPERLINK("http://evil.example")`: `'=HYPERLINK("http://evil.example")`,
		"-2+3":                              "'-2+3",
		"+86 10 1234":                       "'+86 10 1234",
		"@SUM(A1:A2)":                       "'@SUM(A1:A2)",
		"\t=1+2":                            "'\t=1+2",
		"\r=1+2":                            "'\r=1+2",
		"-5":                                "'-5", // text that looks like a negative number stays text
		"康大营镇人民政府":                          "康大营镇人民政府",
		"12":                                "12",
		"":                                  "",
		"a=1":                               "a=1",
	}
	for in, want := range cases {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.Write("=1+2", "标题"); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRaw([]string{"-3", Text("@x")}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][0] != "'=1+2" || recs[0][1] != "标题" || recs[1][0] != "-3" || recs[1][1] != "'@x" {
		t.Errorf("records %q", recs)
	}
}
