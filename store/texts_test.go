package store

import (
	"context"
	"fmt"
	"testing"
)

func TestTextsByID(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	var ids []string
	for i := range textsChunk + 7 { // more than one SELECT
		d := sampleDoc(fmt.Sprintf("d%04d", i))
		d.Body = fmt.Sprintf("第%d号文件正文", i)
		if _, err := s.Upsert(ctx, d); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	got, err := s.Texts(ctx, append(ids, "missing"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Fatalf("%d texts, want %d (the missing id absent)", len(got), len(ids))
	}
	if tx := got["d0506"]; tx.Body != "第506号文件正文" || tx.Title != sampleDoc("x").Title {
		t.Fatalf("d0506: %+v", tx)
	}
	if _, ok := got["missing"]; ok {
		t.Fatal("an id the store does not hold has a text")
	}
}
