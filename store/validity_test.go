package store

import (
	"context"
	"testing"
)

func TestNormalizeValidity(t *testing.T) {
	for raw, want := range map[string]struct {
		v  string
		ok bool
	}{
		"有效": {ValidityCurrent, true}, "现行有效": {ValidityCurrent, true}, " 有 效 ": {ValidityCurrent, true},
		"长期有效": {ValidityCurrent, true}, "尚未生效": {ValidityCurrent, true},
		"废止": {ValidityRepealed, true}, "已废止": {ValidityRepealed, true}, "已作废": {ValidityRepealed, true},
		"失效": {ValidityExpired, true}, "已失效": {ValidityExpired, true}, "无效": {ValidityExpired, true},
		"部分失效": {ValidityModified, true}, "部分废止": {ValidityModified, true},
		"已修改": {ValidityModified, true}, "已被修改": {ValidityModified, true}, "修订": {ValidityModified, true},
		"": {ValidityUnknown, true}, "未注明": {ValidityUnknown, true},
		"待定": {ValidityUnknown, false}, "2020-01-01至2022-12-31": {ValidityUnknown, false},
	} {
		if v, ok := NormalizeValidity(raw); v != want.v || ok != want.ok {
			t.Errorf("NormalizeValidity(%q) = %q, %v; want %q, %v", raw, v, ok, want.v, want.ok)
		}
	}
}

// TestStoreValidity stores validities as given, read from meta, and not
// understood (kept as written in meta); a repeal mark survives a re-store.
func TestStoreValidity(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	cases := []struct {
		id, validity, meta, want, wantMeta string
	}{
		{"given", "废止", "", ValidityRepealed, ""},
		{"from-meta", "", "有效", ValidityCurrent, "有效"},
		{"none", "", "", ValidityUnknown, ""},
		{"unknown", "待定", "", ValidityUnknown, "待定"},
	}
	for _, c := range cases {
		d := sampleDoc(c.id)
		d.Meta, d.Validity = nil, c.validity
		if c.meta != "" {
			d.Meta = map[string]string{"有效性": c.meta}
		}
		if _, err := s.Upsert(ctx, d); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, c.id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Validity != c.want || got.Meta["有效性"] != c.wantMeta || got.ComputeHash() != got.ContentHash {
			t.Errorf("%s: validity %q meta %q, want %q %q (hash consistent: %v)", c.id, got.Validity,
				got.Meta["有效性"], c.want, c.wantMeta, got.ComputeHash() == got.ContentHash)
		}
	}
	d := sampleDoc("given")
	d.Meta, d.Validity = nil, ValidityCurrent
	if r, err := s.Upsert(ctx, d); err != nil || r != Updated {
		t.Fatalf("validity change: %v %v, want updated", r, err)
	}
}

func TestJSONLValidity(t *testing.T) {
	d, err := ParseJSONLine([]byte(`{"id":"a","title":"关于公布低保标准的通知","body":"正文","validity":"已失效"}`))
	if err != nil || d.Validity != "已失效" {
		t.Fatalf("validity field: %+v %v", d, err)
	}
	if _, err := ParseJSONLine([]byte(`{"id":"a","title":"t","body":"b","validty":"有效"}`)); err == nil {
		t.Fatal("a misspelt validity field was accepted")
	}
}
