package fetch

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// raw is one HTTP answer with its body read.
type raw struct {
	status int
	header http.Header
	body   []byte
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// withRetries sends rq to u, retrying timeouts, network errors, 429 and 5xx
// with exponential backoff and jitter, honouring Retry-After.
func (f *Fetcher) withRetries(ctx context.Context, rq request, u *url.URL) (*raw, error) {
	h := f.hosts.get(u.Host)
	for attempt := 0; ; attempt++ {
		r, err := f.once(ctx, h, rq, u)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		wait, retry := f.retryDelay(r, err, attempt)
		if !retry {
			return r, err
		}
		f.opt.Logger.Debug("retrying", "method", rq.method, "url", u.String(), "attempt", attempt+1,
			"wait", wait, "status", statusOfRaw(r), "error", err)
		if r != nil && r.header.Get("Retry-After") != "" {
			h.pauseFor(wait)
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// retryDelay decides whether an attempt is retried and after how long.
func (f *Fetcher) retryDelay(r *raw, err error, attempt int) (time.Duration, bool) {
	if f.opt.Retries < 0 || attempt >= f.opt.Retries {
		return 0, false
	}
	backoff := f.opt.Backoff << attempt
	backoff += rand.N(backoff/2 + 1)
	if err != nil {
		var dns *net.DNSError
		if errors.As(err, &dns) && dns.IsNotFound {
			return 0, false
		}
		k := KindOf(err)
		return backoff, k == KindTimeout || k == KindNetwork
	}
	if r.status != http.StatusTooManyRequests && (r.status < 500 || r.status > 599 || isWAF(r.status, r.body)) {
		return 0, false
	}
	if ra, ok := retryAfter(r.header.Get("Retry-After"), time.Now()); ok {
		return min(ra, f.opt.MaxRetryAfter), true
	}
	return backoff, true
}

// retryAfter parses a Retry-After value: delay seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// once sends a single request after waiting for the host's turn, and reads
// at most MaxBytes of the answer within the whole-response timeout.
func (f *Fetcher) once(ctx context.Context, h *host, rq request, u *url.URL) (*raw, error) {
	if err := h.wait(ctx); err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, f.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, rq.method, u.String(), bytes.NewReader(rq.body))
	if err != nil {
		return nil, &Error{Kind: KindBadURL, Method: rq.method, URL: u.String(), Err: err}
	}
	f.setHeaders(req, rq)
	resp, err := f.client(ctx).Do(req)
	if err != nil {
		return nil, f.transportError(ctx, rq.method, u, err)
	}
	defer resp.Body.Close()
	limit := f.opt.MaxBytes
	if rq.maxBytes > 0 {
		limit = rq.maxBytes
	}
	tooLarge := &Error{Kind: KindTooLarge, Method: rq.method, URL: u.String(), Status: resp.StatusCode,
		Err: fmt.Errorf("response larger than %d bytes", limit)}
	if resp.ContentLength > limit {
		return nil, tooLarge
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, f.transportError(ctx, rq.method, u, fmt.Errorf("read body: %w", err))
	}
	if int64(len(body)) > limit {
		return nil, tooLarge
	}
	return &raw{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

func (f *Fetcher) setHeaders(req *http.Request, rq request) {
	req.Header.Set("User-Agent", f.opt.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
	if rq.method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	}
	if rq.cond.ETag != "" {
		req.Header.Set("If-None-Match", rq.cond.ETag)
	}
	if rq.cond.LastModified != "" {
		req.Header.Set("If-Modified-Since", rq.cond.LastModified)
	}
}

// transportError classifies a failure to get or read a response. Cancellation
// of the caller's context is returned as it is.
func (f *Fetcher) transportError(ctx context.Context, method string, u *url.URL, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	kind := KindNetwork
	var ne net.Error
	var cert *tls.CertificateVerificationError
	switch {
	case isNonPublic(err):
		kind = KindNonPublic
	case errors.As(err, &cert):
		kind = KindTLS
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		kind = KindTimeout
	}
	return &Error{Kind: kind, Method: method, URL: u.String(), Err: err}
}

func statusOfRaw(r *raw) int {
	if r == nil {
		return 0
	}
	return r.status
}
