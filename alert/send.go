package alert

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gongkai-project/gongkai/config"
)

// Sender delivers a digest to one channel.
type Sender interface {
	Send(ctx context.Context, d Digest) error
}

// Byte limits of the robots' markdown messages (企业微信 4096, 钉钉 20000),
// with room for the JSON around it.
const (
	weComMax    = 4000
	dingTalkMax = 18000
)

// NewSender returns the sender of a configured channel; client carries the
// webhooks and now is the clock the 钉钉 signature uses.
func NewSender(ch config.AlertChannel, client *http.Client, now func() time.Time) (Sender, error) {
	switch ch.Type {
	case config.ChannelWeCom:
		return &robot{url: ch.URL, client: client, payload: weComPayload}, nil
	case config.ChannelDingTalk:
		return &robot{url: ch.URL, client: client, payload: dingTalkPayload,
			sign: func(u string) (string, error) { return signDingTalk(u, ch.Secret, now()) }}, nil
	case config.ChannelWebhook:
		return &webhook{url: ch.URL, secret: ch.Secret, client: client}, nil
	case config.ChannelEmail:
		return newEmail(ch)
	}
	return nil, fmt.Errorf("alert channel %s: unknown type %q", ch.Name, ch.Type)
}

// robot posts to a group robot's webhook, which answers {"errcode":0} on success.
type robot struct {
	url     string
	client  *http.Client
	payload func(Digest) any
	sign    func(string) (string, error) // nil: unsigned
}

func weComPayload(d Digest) any {
	return map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": d.Markdown(weComMax)}}
}

func dingTalkPayload(d Digest) any {
	return map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": d.Title(), "text": d.Markdown(dingTalkMax)}}
}

func (r *robot) Send(ctx context.Context, d Digest) error {
	u := r.url
	if r.sign != nil {
		var err error
		if u, err = r.sign(u); err != nil {
			return err
		}
	}
	body, err := postJSON(ctx, r.client, u, r.payload(d), nil)
	if err != nil {
		return err
	}
	var res struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(body, &res); err != nil || res.ErrCode == nil {
		return fmt.Errorf("robot %s: answer is not {\"errcode\":...}: %.200s", redact(r.url), body)
	}
	if *res.ErrCode != 0 {
		return fmt.Errorf("robot %s: errcode %d: %s", redact(r.url), *res.ErrCode, res.ErrMsg)
	}
	return nil
}

// signDingTalk adds the 加签 parameters to a 钉钉 robot URL: timestamp in
// milliseconds and sign = base64(HMAC-SHA256(secret, timestamp+"\n"+secret)).
// Without a secret the URL is returned as it is.
func signDingTalk(raw, secret string, now time.Time) (string, error) {
	if secret == "" {
		return raw, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("钉钉 robot URL: %w", err)
	}
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	q := u.Query()
	q.Set("timestamp", ts)
	q.Set("sign", DingTalkSign(ts, secret))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// DingTalkSign is the 钉钉 robot signature of a millisecond timestamp.
func DingTalkSign(timestamp, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// webhook posts gongkai's own alert JSON (docs/alerts.md); any 2xx answer
// is success.
type webhook struct {
	url, secret string
	client      *http.Client
}

// WebhookPayload is the JSON the generic webhook receives.
type WebhookPayload struct {
	Source string  `json:"source"` // always "gongkai"
	AsOf   string  `json:"as_of"`
	Title  string  `json:"title"`
	Text   string  `json:"text"` // the digest as plain text
	Alerts []Alert `json:"alerts"`
}

// SignatureHeader carries the hex HMAC-SHA256 of the webhook body under the
// channel's secret, as "sha256=<hex>".
const SignatureHeader = "X-Gongkai-Signature"

func (w *webhook) Send(ctx context.Context, d Digest) error {
	p := WebhookPayload{Source: "gongkai", AsOf: d.AsOf, Title: d.Title(), Text: d.Text(), Alerts: d.Alerts}
	_, err := postJSON(ctx, w.client, w.url, p, func(body []byte) http.Header {
		if w.secret == "" {
			return nil
		}
		m := hmac.New(sha256.New, []byte(w.secret))
		m.Write(body)
		return http.Header{SignatureHeader: {"sha256=" + hex.EncodeToString(m.Sum(nil))}}
	})
	return err
}

// postJSON posts v as JSON and returns the answer's body; an answer other
// than 2xx is an error.
func postJSON(ctx context.Context, client *http.Client, u string, v any, headers func([]byte) http.Header) ([]byte, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode alert: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("post alert to %s: %w", redact(u), err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "gongkai-alerts")
	if headers != nil {
		for k, vs := range headers(body) {
			req.Header[k] = vs
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its URL holds the robot's token
		}
		return nil, fmt.Errorf("post alert to %s: %w", redact(u), err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("post alert to %s: read answer: %w", redact(u), err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("post alert to %s: HTTP %d: %.200s", redact(u), resp.StatusCode, answer)
	}
	return answer, nil
}

// redact drops the query of a URL (robot tokens and signatures live there)
// from messages that are logged and stored.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(bad URL)"
	}
	u.RawQuery, u.User = "", nil
	return u.String()
}
