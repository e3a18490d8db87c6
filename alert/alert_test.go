package alert

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gongkai-project/gongkai/analytics"
	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

func bj(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, store.Beijing) }

// receiver is a real HTTP server standing in for the 企业微信 and 钉钉 robots
// and a generic webhook: it checks what each must check (the 钉钉 signature,
// the webhook HMAC) and keeps the bodies it accepted.
type receiver struct {
	srv          *httptest.Server
	dingSecret   string
	hookSecret   string
	mu           sync.Mutex
	failHook     bool          // answer the webhook with HTTP 500
	hookDelay    time.Duration // wait before answering the webhook
	bodies       map[string][]map[string]any
	dingRejected int
}

func newReceiver(t *testing.T, dingSecret, hookSecret string) *receiver {
	rc := &receiver{dingSecret: dingSecret, hookSecret: hookSecret, bodies: map[string][]map[string]any{}}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.handle))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) handle(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	if r.URL.Path == "/hook" {
		time.Sleep(rc.hookDelay)
	}
	var body map[string]any
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") ||
		json.Unmarshal(raw, &body) != nil {
		http.Error(w, "want a JSON POST", http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	switch r.URL.Path {
	case "/wecom":
		if r.URL.Query().Get("key") != "wecom-key" {
			json.NewEncoder(w).Encode(map[string]any{"errcode": 93000, "errmsg": "invalid webhook url"})
			return
		}
	case "/dingtalk":
		q := r.URL.Query()
		ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
		m := hmac.New(sha256.New, []byte(rc.dingSecret))
		m.Write([]byte(q.Get("timestamp") + "\n" + rc.dingSecret))
		want := base64.StdEncoding.EncodeToString(m.Sum(nil))
		if err != nil || time.Since(time.UnixMilli(ts)).Abs() > time.Hour || q.Get("sign") != want || q.Get("access_token") != "ding-token" {
			rc.dingRejected++
			json.NewEncoder(w).Encode(map[string]any{"errcode": 310000, "errmsg": "sign not match"})
			return
		}
	case "/hook":
		if rc.failHook {
			http.Error(w, "down for maintenance", http.StatusInternalServerError)
			return
		}
		m := hmac.New(sha256.New, []byte(rc.hookSecret))
		m.Write(raw)
		if r.Header.Get(SignatureHeader) != "sha256="+hex.EncodeToString(m.Sum(nil)) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		rc.bodies[r.URL.Path] = append(rc.bodies[r.URL.Path], body)
		return
	default:
		http.NotFound(w, r)
		return
	}
	rc.bodies[r.URL.Path] = append(rc.bodies[r.URL.Path], body)
	w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
}

func (rc *receiver) got(path string) []map[string]any {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]map[string]any(nil), rc.bodies[path]...)
}

// fixture is a township as of 2016-12-31: 通知公告 last updated 2016-05-01
// (183-day limit: overdue), 工作动态 on 2016-12-19 (14 days: 2 left, due
// soon), a configured WeChat account that never posted (overdue), and a
// notice written 2016-11-01 but published 2016-12-20 (late).
func fixture(t *testing.T) (*store.Store, *config.Config) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	docs := []*store.Document{
		{ID: "n1", Channel: store.ChannelPortal, Source: "镇政府网站", Column: "通知公告", Title: "关于开展秋季防火的通知", Body: "正文一", Published: bj(2016, 5, 1)},
		{ID: "d1", Channel: store.ChannelPortal, Source: "镇政府网站", Column: "工作动态", Title: "镇里召开冬季安全生产会议", Body: "正文二", Published: bj(2016, 12, 19)},
		{ID: "d2", Channel: store.ChannelPortal, Source: "镇政府网站", Column: "工作动态", Title: "关于调整低保标准的通知", Body: "正文三",
			Published: bj(2016, 12, 15), Written: bj(2016, 11, 1)},
	}
	for _, d := range docs {
		d.URL, d.Status = "https://example.gov.cn/"+d.ID, store.StatusLive
	}
	if _, err := st.UpsertBatch(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Sources = []config.Source{{Name: "公众号", Kind: config.KindWeChatFolder, Channel: store.ChannelWeChat, Account: "康大营发布"}}
	return st, cfg
}

func newNotifier(st *store.Store, cfg *config.Config) *Notifier {
	n := New(st, cfg, nil)
	n.client = &http.Client{Timeout: 10 * time.Second}
	return n
}

func TestCheckListsWithoutRecording(t *testing.T) {
	st, cfg := fixture(t)
	rep, err := newNotifier(st, cfg).Check(context.Background(), bj(2016, 12, 31))
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, a := range rep.Current {
		states[a.Key] = a.State
	}
	want := map[string]string{
		"column:通知公告": StateOverdue, "column:工作动态": StateSoon, "homepage:": StateSoon,
		"wechat:康大营发布": StateOverdue, "disclosure:d2": StateLate,
	}
	for k, s := range want {
		if states[k] != s {
			t.Errorf("%s: state %q, want %q (all: %v)", k, states[k], s, states)
		}
	}
	if len(rep.Changes) != len(rep.Current) || rep.Sent {
		t.Errorf("a first check should list every current alert as a change and send nothing: %+v", rep)
	}
	again, _ := newNotifier(st, cfg).Check(context.Background(), bj(2016, 12, 31))
	if len(again.Changes) != len(rep.Changes) {
		t.Errorf("Check recorded something: %d changes, then %d", len(rep.Changes), len(again.Changes))
	}
}

func TestSendToEveryChannelOncePerChange(t *testing.T) {
	st, cfg := fixture(t)
	rc := newReceiver(t, "SECding", "hook-secret")
	mailSrv, caFile := startSMTP(t, "gk", "mail-pass")
	host, port, _ := strings.Cut(mailSrv.ln.Addr().String(), ":")
	portN, _ := strconv.Atoi(port)
	cfg.Server.PublicURL = "https://gk.example.gov.cn/"
	cfg.Alerts.Channels = []config.AlertChannel{
		{Name: "企业微信群", Type: config.ChannelWeCom, URL: rc.srv.URL + "/wecom?key=wecom-key"},
		{Name: "钉钉群", Type: config.ChannelDingTalk, URL: rc.srv.URL + "/dingtalk?access_token=ding-token", Secret: "SECding"},
		{Name: "值班系统", Type: config.ChannelWebhook, URL: rc.srv.URL + "/hook", Secret: "hook-secret"},
		{Name: "办公室邮箱", Type: config.ChannelEmail, Host: host, Port: portN, Username: "gk", Password: "mail-pass",
			From: "康大营镇政务公开 <gk@example.gov.cn>", To: []string{"办公室 <office@example.gov.cn>"}, CAFile: caFile},
	}
	n := newNotifier(st, cfg)
	ctx := context.Background()
	rep, err := n.Send(ctx, bj(2016, 12, 31))
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if len(rep.Deliveries) != 4 {
		t.Fatalf("deliveries %+v, want one per channel", rep.Deliveries)
	}
	title := Digest{AsOf: "2016-12-31", Alerts: rep.Changes}.Title()

	wecom := rc.got("/wecom")
	if len(wecom) != 1 || wecom[0]["msgtype"] != "markdown" {
		t.Fatalf("企业微信 got %v", wecom)
	}
	content := wecom[0]["markdown"].(map[string]any)["content"].(string)
	for _, want := range []string{title, "网站栏目：通知公告 已超期", "微信公众号：康大营发布 已超期：尚无任何发布", "还剩 2 天到期",
		"《关于调整低保标准的通知》成文于 2016-11-01", "https://gk.example.gov.cn/staff#alert-history"} {
		if !strings.Contains(content, want) {
			t.Errorf("企业微信 markdown lacks %q:\n%s", want, content)
		}
	}
	ding := rc.got("/dingtalk")
	if len(ding) != 1 || ding[0]["msgtype"] != "markdown" || ding[0]["markdown"].(map[string]any)["title"] != title {
		t.Fatalf("钉钉 got %v (rejected %d)", ding, rc.dingRejected)
	}
	hook := rc.got("/hook")
	if len(hook) != 1 || hook[0]["source"] != "gongkai" || hook[0]["as_of"] != "2016-12-31" || len(hook[0]["alerts"].([]any)) != len(rep.Changes) {
		t.Fatalf("webhook got %v", hook)
	}
	checkMail(t, mailSrv.got(), title)

	// The same day again: nothing changed, nothing sent.
	rep, err = n.Send(ctx, bj(2016, 12, 31))
	if err != nil || len(rep.Changes) != 0 || len(rep.Deliveries) != 0 {
		t.Fatalf("second run: %+v, %v", rep, err)
	}
	if len(rc.got("/wecom")) != 1 || len(mailSrv.got()) != 1 {
		t.Fatal("an unchanged state was sent again")
	}

	// 工作动态 updated: it is back to normal, sent once as 已恢复正常.
	if _, err := st.Upsert(ctx, &store.Document{ID: "d3", URL: "https://example.gov.cn/d3", Channel: store.ChannelPortal, Source: "镇政府网站",
		Column: "工作动态", Title: "元旦值班安排", Body: "正文四", Published: bj(2016, 12, 31), Status: store.StatusLive}); err != nil {
		t.Fatal(err)
	}
	rep, err = n.Send(ctx, bj(2016, 12, 31))
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, a := range rep.Changes {
		keys[a.Key] = a.State + "<-" + a.Previous
	}
	if len(keys) != 2 || keys["column:工作动态"] != "ok<-soon" || keys["homepage:"] != "ok<-soon" {
		t.Fatalf("changes after the update: %v", keys)
	}
	if got := rc.got("/wecom"); len(got) != 2 || !strings.Contains(got[1]["markdown"].(map[string]any)["content"].(string), "网站栏目：工作动态 已恢复正常") {
		t.Fatalf("recovery message: %v", got)
	}
}

func checkMail(t *testing.T, msgs []smtpMessage, title string) {
	t.Helper()
	if len(msgs) != 1 {
		t.Fatalf("mail server got %d messages", len(msgs))
	}
	m := msgs[0]
	if !m.TLS || !m.Authed || m.AuthUser != "gk" {
		t.Fatalf("message sent without STARTTLS or login: %+v", m)
	}
	if !strings.Contains(m.From, "<gk@example.gov.cn>") || len(m.To) != 1 || !strings.Contains(m.To[0], "<office@example.gov.cn>") {
		t.Errorf("envelope from %q to %q", m.From, m.To)
	}
	msg, err := mail.ReadMessage(strings.NewReader(m.Data))
	if err != nil {
		t.Fatal(err)
	}
	raw := msg.Header.Get("Subject")
	if !strings.HasPrefix(raw, "=?UTF-8?b?") {
		t.Errorf("subject is not RFC 2047 encoded: %q", raw)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(raw)
	if err != nil || subject != title {
		t.Errorf("subject %q (%v), want %q", subject, err, title)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || from[0].Name != "康大营镇政务公开" {
		t.Errorf("From %v %v", from, err)
	}
	if ct := msg.Header.Get("Content-Type"); ct != "text/plain; charset=UTF-8" || msg.Header.Get("Content-Transfer-Encoding") != "base64" {
		t.Errorf("content type %q", ct)
	}
	b, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
	for _, want := range []string{"已超期（2）", "网站栏目：通知公告 已超期：最近更新 2016-05-01，已 244 天未更新，超过时限 61 天（时限 183 天）"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("mail body lacks %q:\n%s", want, b)
		}
	}
}

func TestFailedChannelRetriedNextRun(t *testing.T) {
	st, cfg := fixture(t)
	rc := newReceiver(t, "SECright", "s")
	rc.failHook = true
	cfg.Alerts.Channels = []config.AlertChannel{
		{Name: "值班系统", Type: config.ChannelWebhook, URL: rc.srv.URL + "/hook", Secret: "s"},
		{Name: "钉钉群", Type: config.ChannelDingTalk, URL: rc.srv.URL + "/dingtalk?access_token=ding-token", Secret: "SECwrong"},
	}
	n := newNotifier(st, cfg)
	ctx := context.Background()
	first, err := n.Send(ctx, bj(2016, 12, 31))
	if err == nil || !strings.Contains(err.Error(), "HTTP 500") || !strings.Contains(err.Error(), "errcode 310000") {
		t.Fatalf("want both channels to fail, got %v", err)
	}
	if rc.dingRejected != 1 {
		t.Fatalf("the 钉钉 receiver should have rejected the wrong signature once, rejected %d", rc.dingRejected)
	}
	events, err := st.RecentAlerts(ctx, 50)
	if err != nil || len(events) != len(first.Changes) {
		t.Fatalf("recorded %d events (%v), want %d", len(events), err, len(first.Changes))
	}
	for _, d := range events[0].Deliveries {
		if d.Status != store.DeliveryFailed || d.Attempts != 1 || d.Error == "" {
			t.Fatalf("delivery after a failure: %+v", d)
		}
	}

	// Two days later, with the receivers fixed: one digest per channel
	// carries the retried alerts and any new change.
	rc.mu.Lock()
	rc.failHook = false
	rc.mu.Unlock()
	cfg.Alerts.Channels[1].Secret = "SECright"
	next, err := n.Send(ctx, bj(2017, 1, 2))
	if err != nil {
		t.Fatal(err)
	}
	hook := rc.got("/hook")
	if len(hook) != 1 || len(hook[0]["alerts"].([]any)) != len(first.Changes)+len(next.Changes) {
		t.Fatalf("retry digest: %d bodies, %v", len(hook), hook)
	}
	if len(rc.got("/dingtalk")) != 1 {
		t.Fatal("钉钉 retry not received")
	}
	events, _ = st.RecentAlerts(ctx, 50)
	for _, e := range events {
		for _, d := range e.Deliveries {
			if d.Status != store.DeliverySent {
				t.Fatalf("event %s on %s still %s", e.Key, d.Channel, d.Status)
			}
		}
	}
}

func TestMarkdownInertAndBounded(t *testing.T) {
	var alerts []Alert
	for i := range 400 {
		alerts = append(alerts, finish(Alert{Kind: KindColumn, Scope: "网站栏目：[点我](http://evil.example/" + strconv.Itoa(i) + ")<b>",
			State: StateOverdue, Days: 400, LimitDays: 14, DaysLeft: -386, Last: "2015-11-01"}))
	}
	md := Digest{AsOf: "2016-12-31", Alerts: alerts}.Markdown(weComMax)
	if len(md) > weComMax {
		t.Errorf("markdown is %d bytes, limit %d", len(md), weComMax)
	}
	if strings.Contains(md, "](") || strings.Contains(md, "<b>") {
		t.Errorf("a crawled name made markup:\n%s", md[:300])
	}
	if !strings.Contains(md, "另有") {
		t.Error("the alerts left out are not counted")
	}
}

// TestDingTalkSign checks the signed URL keeps the token and carries the
// timestamp and the URL-encoded signature (whose value the receiver above
// recomputes on its own).
func TestDingTalkSign(t *testing.T) {
	u, err := signDingTalk("https://oapi.dingtalk.com/robot/send?access_token=abc", "SECx", time.UnixMilli(1577262236757))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(u, "timestamp=1577262236757") || !strings.Contains(u, "access_token=abc") ||
		!strings.Contains(u, "sign="+urlQueryEscape(DingTalkSign("1577262236757", "SECx"))) {
		t.Errorf("signed URL %s", u)
	}
}

func TestNextDaily(t *testing.T) {
	now := time.Date(2016, 12, 31, 9, 0, 0, 0, store.Beijing)
	if got := NextDaily(now, 8, 30); !got.Equal(time.Date(2017, 1, 1, 8, 30, 0, 0, store.Beijing)) {
		t.Errorf("after 08:30: %v", got)
	}
	if got := NextDaily(now, 17, 0); !got.Equal(time.Date(2016, 12, 31, 17, 0, 0, 0, store.Beijing)) {
		t.Errorf("before 17:00: %v", got)
	}
}

func urlQueryEscape(s string) string {
	return (&url.URL{RawQuery: url.Values{"x": {s}}.Encode()}).RawQuery[2:]
}

// TestTwoProcessesSendOnce runs two notifiers over two connections to the
// same database at once (a crawl beside serve): the change is recorded and
// sent once.
func TestTwoProcessesSendOnce(t *testing.T) {
	st, cfg := fixture(t)
	rc := newReceiver(t, "", "s")
	rc.hookDelay = 300 * time.Millisecond
	cfg.Alerts.Channels = []config.AlertChannel{{Name: "值班系统", Type: config.ChannelWebhook, URL: rc.srv.URL + "/hook", Secret: "s"}}
	other, err := store.Open(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var wg sync.WaitGroup
	reps := make([]*Report, 2)
	errs := make([]error, 2)
	for i, s := range []*store.Store{st, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i], errs[i] = newNotifier(s, cfg).Send(context.Background(), bj(2016, 12, 31))
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	current, _ := newNotifier(st, cfg).Check(context.Background(), bj(2016, 12, 31))
	if n := len(reps[0].Changes) + len(reps[1].Changes); n != len(current.Current) {
		t.Errorf("the two runs recorded %d changes between them, want %d", n, len(current.Current))
	}
	if got := rc.got("/hook"); len(got) != 1 || len(got[0]["alerts"].([]any)) != len(current.Current) {
		t.Errorf("the webhook got %d digests, want one with every alert", len(got))
	}
}

// TestUnitsKeptApart checks that the same column of two units is two
// alerts, each keyed and labelled with its unit.
func TestUnitsKeptApart(t *testing.T) {
	row := func(unit string) analytics.StaleRow {
		return analytics.StaleRow{Unit: unit, Kind: analytics.ScopeColumn, Scope: unit + "·网站栏目：通知公告",
			Name: "通知公告", Last: bj(2016, 6, 1), Days: 200, LimitDays: 183, State: analytics.StateOverdue}
	}
	w := &analytics.Watch{AsOf: bj(2016, 12, 18),
		Stale: []analytics.StaleRow{row("康大营镇"), row("城关镇")}}
	got := Changes(w, map[string]string{"column:康大营镇·通知公告": StateOverdue})
	if len(got) != 1 || got[0].Key != "column:城关镇·通知公告" || got[0].Unit != "城关镇" || got[0].State != StateOverdue {
		t.Fatalf("changes %+v, want only 城关镇's column, newly overdue", got)
	}
}

// TestDisclosureUnitLimit checks that a late disclosure is said with the
// limit of its own unit, not one limit for the whole installation.
func TestDisclosureUnitLimit(t *testing.T) {
	w := &analytics.Watch{AsOf: bj(2016, 12, 31), Disclosure: analytics.Disclosure{UnitLimits: map[string]int{"城关镇": 10, "康大营镇": 20},
		Checked: 2, Late: 1, Items: []analytics.LateItem{{ID: "cgz-15", Title: "关于征兵的通知", Channel: store.ChannelPortal,
			Written: bj(2016, 3, 1), Published: bj(2016, 3, 22), Workdays: 15, LimitWorkdays: 10, Unit: "城关镇"}}}}
	got := Current(w)
	if len(got) != 1 || got[0].Limit != 10 || got[0].Unit != "城关镇" || got[0].Key != "disclosure:cgz-15" ||
		!strings.Contains(got[0].Message, "城关镇·《关于征兵的通知》") || !strings.Contains(got[0].Message, "时限 10 个工作日") {
		t.Fatalf("alerts %+v, want 城关镇's item with its 10-day limit", got)
	}
}

// TestSoonIsTheDashboardsWarning checks that 即将超期 is one rule: a scope is
// due soon in alerts exactly when the dashboard marks it 即将超期 (the last
// staleness.warn_share of its limit). 政策文件 has 31 of its 183 days left
// (the last 20 %, but more than 3 days); 要闻 has 3 of its 14 (not yet the last 20 %).
func TestSoonIsTheDashboardsWarning(t *testing.T) {
	st, cfg := fixture(t)
	docs := []*store.Document{
		{ID: "p1", Channel: store.ChannelPortal, Source: "镇政府网站", Column: "政策文件", Title: "关于印发扶贫方案的通知", Body: "正文四", Published: bj(2016, 8, 1)},
		{ID: "y1", Channel: store.ChannelPortal, Source: "镇政府网站", Column: "要闻", Title: "镇长调研春耕备耕", Body: "正文五", Published: bj(2016, 12, 20)},
	}
	for _, d := range docs {
		d.URL, d.Status = "https://example.gov.cn/"+d.ID, store.StatusLive
	}
	if _, err := st.UpsertBatch(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	asOf := bj(2016, 12, 31)
	rep, err := newNotifier(st, cfg).Check(context.Background(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, a := range rep.Current {
		states[a.Key] = a.State
	}
	s, err := analytics.Compute(context.Background(), st, cfg, 2016, asOf)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{analytics.StateOverdue: StateOverdue, analytics.StateWarning: StateSoon, analytics.StateOK: ""}
	seen := map[string]bool{}
	for _, row := range s.Stale {
		key := row.Kind + ":" + row.Name
		seen[row.State] = true
		if states[key] != want[row.State] {
			t.Errorf("%s: the dashboard says %s (%d of %d days), alerts %q", key, row.State, row.Days, row.LimitDays, states[key])
		}
	}
	if states["column:政策文件"] != StateSoon || states["column:要闻"] != "" || !seen[analytics.StateOK] || !seen[analytics.StateWarning] {
		t.Errorf("政策文件 %q (want soon), 要闻 %q (want none); rows %+v", states["column:政策文件"], states["column:要闻"], s.Stale)
	}
}
