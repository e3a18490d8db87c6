package store

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestThesaurusEntriesAndLog(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	t0 := time.Date(2026, 12, 6, 10, 0, 0, 0, Beijing)
	if err := s.PutThesaurusEntry(ctx, "staff", "看病贵", []string{"医疗救助"}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.PutThesaurusEntry(ctx, "admin", "看病贵", []string{"医疗救助", "大病保险"}, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.PutThesaurusEntry(ctx, "staff", "低保", nil, t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	es, err := s.ThesaurusEntries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Word != "低保" || len(es[0].Official) != 0 || es[1].Word != "看病贵" ||
		!slices.Equal(es[1].Official, []string{"医疗救助", "大病保险"}) || es[1].UpdatedBy != "admin" || !es[1].UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("entries = %+v", es)
	}
	if found, err := s.DeleteThesaurusEntry(ctx, "staff", "看病贵", t0.Add(3*time.Minute)); err != nil || !found {
		t.Fatalf("delete = %v, %v", found, err)
	}
	if found, err := s.DeleteThesaurusEntry(ctx, "staff", "看病贵", t0.Add(4*time.Minute)); err != nil || found {
		t.Fatalf("second delete = %v, %v, want false, nil", found, err)
	}
	log, err := s.ThesaurusLog(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 4 {
		t.Fatalf("log has %d changes, want 4: %+v", len(log), log)
	}
	del, edit, add := log[0], log[2], log[3]
	if del.Word != "看病贵" || del.After != nil || len(*del.Before) != 2 || del.User != "staff" {
		t.Errorf("delete logged as %+v", del)
	}
	if edit.User != "admin" || len(*edit.Before) != 1 || len(*edit.After) != 2 {
		t.Errorf("edit logged as %+v", edit)
	}
	if add.Before != nil || !add.At.Equal(t0) {
		t.Errorf("add logged as %+v", add)
	}
	if err := s.PutThesaurusEntry(ctx, "", "x", []string{"y"}, t0); err == nil {
		t.Error("an entry without a user was stored")
	}
}
