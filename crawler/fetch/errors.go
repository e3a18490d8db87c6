package fetch

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/gongkai-project/gongkai/store/failure"
)

// Kind classifies why a fetch failed, so that a crawl can count failures by reason.
type Kind string

// Failure kinds: the codes the store records (store/failure).
const (
	KindRobots           Kind = failure.Robots           // robots.txt disallows the URL
	KindWAF              Kind = failure.WAF              // a firewall answered with a script challenge
	KindTooLarge         Kind = failure.TooLarge         // the response exceeds Options.MaxBytes
	KindTimeout          Kind = failure.Timeout          // connect or whole-response timeout
	KindStatus           Kind = failure.HTTP             // a non-success HTTP status
	KindRedirectLoop     Kind = failure.RedirectLoop     // a redirect led back to a URL already visited
	KindTooManyRedirects Kind = failure.TooManyRedirects // more than Options.MaxRedirects hops
	KindNetwork          Kind = failure.Network          // connection refused, reset, DNS, ...
	KindTLS              Kind = failure.TLS              // the site's certificate does not verify
	KindBadURL           Kind = failure.BadURL           // not an absolute http(s) URL
	KindNonPublic        Kind = failure.NonPublic        // the address guard refused a loopback, private, ... address
)

// WAFMessage tells staff what a firewall challenge means and what to do.
const WAFMessage = "网站防火墙要求执行脚本验证（HTTP 412/521），gongkai 不绕过；请联系网站管理员将本机加入白名单"

// Error is a classified fetch failure.
type Error struct {
	Kind   Kind
	Method string
	URL    string
	Status int   // HTTP status when known
	Err    error // underlying cause, may be nil
}

func (e *Error) Error() string {
	msg := string(e.Kind)
	switch e.Kind {
	case KindWAF:
		msg = "HTTP " + strconv.Itoa(e.Status) + ": " + WAFMessage
	case KindStatus:
		msg = "HTTP " + strconv.Itoa(e.Status)
	case KindRobots:
		msg = "robots.txt disallows this URL"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return fmt.Sprintf("%s %s: %s", e.Method, e.URL, msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Reason is a short, stable label for counting failures: the kind, with the
// status for HTTP errors ("http 404").
func (e *Error) Reason() string {
	if e.Kind == KindStatus {
		return failure.HTTPStatus(e.Status)
	}
	return string(e.Kind)
}

// Reason returns the failure label of any error returned by the fetcher:
// the Error reason, "cancelled" for context cancellation, else "error".
func Reason(err error) string {
	var fe *Error
	switch {
	case errors.As(err, &fe):
		return fe.Reason()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return failure.Cancelled
	}
	return failure.Other
}

// StatusOf returns the HTTP status carried by err, or 0.
func StatusOf(err error) int {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Status
	}
	return 0
}

// KindOf returns the Kind of err, or "" when it is not a fetch Error.
func KindOf(err error) Kind {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Kind
	}
	return ""
}

// CheckPageSize returns a KindTooLarge error when resp's body is over max
// bytes (0: no limit): pages that are parsed have a lower limit than files.
func CheckPageSize(resp *Response, max int64) error {
	if max <= 0 || int64(len(resp.Body)) <= max {
		return nil
	}
	return &Error{Kind: KindTooLarge, Method: "GET", URL: resp.FinalURL, Status: resp.Status,
		Err: fmt.Errorf("page of %d bytes, over the page limit of %d (crawl.max_page_bytes)", len(resp.Body), max)}
}
