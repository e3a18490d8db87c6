package bench

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/store"
)

// returnsWithin fails the test when f has not returned within d: the draws
// below used to loop forever on a corpus they could take nothing from.
func returnsWithin(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still drawing after %v", d)
	}
}

// TestDrawsFromCorpusWithoutMaterial: latencyQueries on titles all under 4
// characters and phraseRecall on bodies without a run of Han characters
// end with an error naming what is missing; one usable title is enough.
func TestDrawsFromCorpusWithoutMaterial(t *testing.T) {
	returnsWithin(t, 10*time.Second, func() {
		qs, err := latencyQueries([]string{"通知", "公告", "简报", ""})
		if err == nil || !strings.Contains(err.Error(), "no title of at least 4 characters") {
			t.Errorf("short titles: %d queries, %v; want an error", len(qs), err)
		}
		qs, err = latencyQueries([]string{"通知", "公告", "春耕备耕工作通知"})
		if err != nil || len(qs) != 200 {
			t.Errorf("one usable title: %d queries, %v; want 200", len(qs), err)
		}
	})
	returnsWithin(t, 10*time.Second, func() {
		docs := []*store.Document{{ID: "a", Body: "通知"}, {ID: "b", Body: "Notice 2015-03-02, no Han text at all"}, {ID: "c", Body: "通 知 公 告 简 报 春 耕"}}
		if _, _, err := phraseRecall(context.Background(), nil, docs, 10); err == nil || !strings.Contains(err.Error(), "two Han characters in a row") {
			t.Errorf("bodies without Han runs: %v; want an error", err)
		}
	})
}
