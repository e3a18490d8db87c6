package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestAlertsCommand lists the alerts of an ingested archive, records them
// with --send (no channel configured), and then has nothing new to send.
func TestAlertsCommand(t *testing.T) {
	data := t.TempDir()
	jsonl := writeFile(t, "docs.jsonl", strings.Join([]string{
		`{"id":"n1","title":"关于秋季防火的通知","body":"防火。","published":"2016-05-01","channel":"portal","column":"通知公告"}`,
		`{"id":"d1","title":"关于调整低保标准的通知","body":"低保。","published":"2016-12-20","written":"2016-11-01","channel":"portal","column":"工作动态"}`,
	}, "\n"))
	if _, errOut, err := run(t, "--data", data, "ingest", jsonl); err != nil {
		t.Fatalf("ingest: %v %s", err, errOut)
	}
	out, errOut, err := run(t, "--data", data, "alerts", "--as-of", "2016-12-31", "--json")
	if err != nil {
		t.Fatalf("alerts: %v %s", err, errOut)
	}
	var rep struct {
		Current []struct{ Key, State string } `json:"current"`
		Changes []struct{ Key string }        `json:"changes"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("alerts --json: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, a := range rep.Current {
		got[a.Key] = a.State
	}
	if got["column:通知公告"] != "overdue" || got["disclosure:d1"] != "late" || len(rep.Changes) != len(rep.Current) {
		t.Fatalf("alerts: %+v", rep)
	}
	if out, _, err = run(t, "--data", data, "alerts", "--as-of", "2016-12-31", "--send"); err != nil || !strings.Contains(out, "网站栏目：通知公告 已超期") {
		t.Fatalf("alerts --send: %v\n%s", err, out)
	}
	if out, _, _ = run(t, "--data", data, "alerts", "--as-of", "2016-12-31"); !strings.Contains(out, "待发送 0 项") {
		t.Errorf("after --send the same day has nothing to send:\n%s", out)
	}
	if _, _, err = run(t, "--data", data, "alerts", "--as-of", "2016-13-01"); err == nil {
		t.Error("a bad --as-of is accepted")
	}
}
