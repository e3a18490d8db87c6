package store

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestBestBetsAndTopics: the topics start as the built-in list; pins and
// topic edits are stored, logged apart from purges, and a purged document
// cannot be pinned.
func TestBestBetsAndTopics(t *testing.T) {
	ctx := context.Background()
	st, err := Open(filepath.Join(t.TempDir(), "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	topics, err := st.Topics(ctx)
	if err != nil || len(topics) != 7 || topics[0].Query != "低保" || topics[6].Query != "村务公开" || topics[0].AddedBy != "" {
		t.Fatalf("initial topics: %+v, %v", topics, err)
	}
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, Beijing)
	if ok, err := st.AddTopic(ctx, "staff", "高龄补贴", now); !ok || err != nil {
		t.Fatalf("add topic: %v %v", ok, err)
	}
	if ok, err := st.AddTopic(ctx, "staff", "高龄补贴", now); ok || err != nil {
		t.Fatalf("add the topic again: %v %v, want false", ok, err)
	}
	if ok, err := st.RemoveTopic(ctx, "staff", "救灾", now); !ok || err != nil {
		t.Fatalf("remove topic: %v %v", ok, err)
	}
	topics, _ = st.Topics(ctx)
	var names []string
	for _, tp := range topics {
		names = append(names, tp.Query)
	}
	if !slices.Equal(names, []string{"低保", "医保", "养老", "危房改造", "惠农补贴", "村务公开", "高龄补贴"}) {
		t.Errorf("topics after the edits: %v", names)
	}

	doc := func(id string) *Document {
		return &Document{ID: id, URL: "http://www.example.gov.cn/" + id + ".html", Title: "低保 " + id, Body: "正文", Channel: ChannelPortal}
	}
	if _, err := st.UpsertBatch(ctx, []*Document{doc("a"), doc("b")}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"b", "a"} {
		if ok, err := st.Pin(ctx, "staff", "低保", id, now); !ok || err != nil {
			t.Fatalf("pin %s: %v %v", id, ok, err)
		}
	}
	if pins, err := st.PinnedFor(ctx, "低保"); err != nil || len(pins) != 2 || pins[0].DocID != "b" || pins[1].PinnedBy != "staff" {
		t.Errorf("pins of 低保 (first pinned first): %+v, %v", pins, err)
	}
	if _, err := st.Purge(ctx, "b", "staff", "个人信息"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pin(ctx, "staff", "医保", "b", now); !errors.Is(err, ErrNotFound) {
		t.Errorf("pin a purged document: %v, want ErrNotFound", err)
	}
	if _, err := st.Pin(ctx, "staff", "医保", "nope", now); !errors.Is(err, ErrNotFound) {
		t.Errorf("pin a missing document: %v, want ErrNotFound", err)
	}
	if ok, err := st.Unpin(ctx, "staff", "低保", "b", now); !ok || err != nil {
		t.Errorf("unpin the purged document: %v %v", ok, err)
	}
	log, err := st.AuditLog(ctx, 10, AuditPin, AuditUnpin, AuditTopicAdd, AuditTopicRemove)
	if err != nil || len(log) != 5 || log[0].Action != AuditUnpin || log[0].Detail != "低保" || log[len(log)-1].Action != AuditTopicAdd {
		t.Errorf("edit log: %+v, %v", log, err)
	}
	if purges, err := st.AuditLog(ctx, 10, AuditPurge, AuditLift); err != nil || len(purges) != 1 {
		t.Errorf("purge log holds %d entries (%v), want the purge only", len(purges), err)
	}
}
