package crawler

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/gongkai-project/gongkai/crawler/attachment"
	"github.com/gongkai-project/gongkai/crawler/fetch"
	"github.com/gongkai-project/gongkai/store"
)

// fetchAttachments fetches, stores and extracts the attachments of a
// stored document, after its page. With recheck, every file is asked for
// again (conditionally, so an unchanged file costs a 304); without it (the
// page itself was unchanged) only files with no record yet or not fetched
// last time are. Failures are recorded per attachment; only store errors
// are returned.
func (c *Crawler) fetchAttachments(ctx context.Context, rs *runState, doc *store.Document, recheck bool) error {
	if c.cfg.Attachments.Off || len(doc.Attachments) == 0 {
		return nil
	}
	page, err := url.Parse(doc.URL)
	if err != nil || (page.Scheme != "http" && page.Scheme != "https") {
		return nil // a saved page without its address: its links cannot be judged
	}
	for _, link := range doc.Attachments {
		if ctx.Err() != nil {
			return nil
		}
		if err := c.fetchAttachment(ctx, rs, doc.ID, page, link, recheck); err != nil {
			return err
		}
	}
	return nil
}

// fetchAttachment fetches one attachment of document docID (see fetchAttachments).
func (c *Crawler) fetchAttachment(ctx context.Context, rs *runState, docID string, page *url.URL, link store.Attachment, recheck bool) error {
	prev, v, err := c.st.Attachment(ctx, docID, link.URL)
	switch {
	case errors.Is(err, store.ErrNotFound):
		prev = nil
	case err != nil:
		return storeFailure(ctx, err)
	}
	if prev != nil && !recheck && prev.State != store.AttachmentNotFetched {
		return nil
	}
	rec := &store.Attachment{Name: link.Name, URL: link.URL, State: store.AttachmentNotFetched}
	u, err := url.Parse(link.URL)
	if err != nil || !c.attachmentHost(page, u) {
		rec.Reason = fmt.Sprintf("off-site: %s is not on the article's site (%s) nor in attachments.hosts", hostOf(link.URL), page.Hostname())
		return c.saveAttachment(ctx, docID, prev, rec, v)
	}
	at := c.cfg.Attachments
	if c.attBytes.Load() >= at.MaxCrawlBytes {
		rec.Reason = fmt.Sprintf("budget: this crawl fetched its %d bytes of attachments (attachments.max_crawl_bytes)", at.MaxCrawlBytes)
		return c.saveAttachment(ctx, docID, prev, rec, v)
	}
	var cond fetch.Conditional
	if prev != nil && prev.SHA256 != "" {
		cond = fetch.Conditional{ETag: v.ETag, LastModified: v.LastModified}
	}
	c.setRates(rs.src, link.URL)
	resp, err := c.f.GetFile(ctx, link.URL, cond, at.MaxFileBytes)
	if ctx.Err() != nil {
		return nil
	}
	wctx := context.WithoutCancel(ctx)
	if err != nil {
		return c.attachmentFailed(wctx, docID, prev, rec, v, err)
	}
	v = store.AttachmentFetch{ETag: resp.ETag, LastModified: resp.LastModified, FetchedAt: now()}
	if resp.NotModified && prev != nil {
		return c.saveAttachment(wctx, docID, prev, prev, v)
	}
	c.attBytes.Add(int64(len(resp.Body)))
	return c.keepAttachment(wctx, docID, prev, rec, resp.Body, v)
}

// attachmentFailed records a failed request. A file fetched before keeps
// its record unless it is gone (404, 410); one too large says so.
func (c *Crawler) attachmentFailed(ctx context.Context, docID string, prev, rec *store.Attachment, v store.AttachmentFetch, err error) error {
	status := fetch.StatusOf(err)
	if prev != nil && prev.SHA256 != "" && status != http.StatusNotFound && status != http.StatusGone {
		return nil // a passing failure: the file as fetched before stays, and is asked for next time
	}
	if fetch.KindOf(err) == fetch.KindTooLarge {
		rec.State = store.AttachmentTooLarge
	}
	rec.Reason = failureText(err)
	return c.saveAttachment(ctx, docID, prev, rec, store.AttachmentFetch{FetchedAt: now()})
}

// keepAttachment stores the bytes of a fetched attachment and its text:
// extracted once per content (a file already read, here or under another
// document, is not read again).
func (c *Crawler) keepAttachment(ctx context.Context, docID string, prev, rec *store.Attachment, data []byte, v store.AttachmentFetch) error {
	sha, err := c.st.PutFile(data)
	if err != nil {
		return storeFailure(ctx, err)
	}
	if prev != nil && prev.SHA256 == sha && prev.State != store.AttachmentNotFetched {
		return c.saveAttachment(ctx, docID, prev, prev, v)
	}
	rec.SHA256, rec.Bytes = sha, int64(len(data))
	same, err := c.st.AttachmentBySHA(ctx, sha)
	switch {
	case err == nil:
		rec.Type, rec.Pages, rec.State, rec.Reason, rec.Text = same.Type, same.Pages, same.State, same.Reason, same.Text
	case errors.Is(err, store.ErrNotFound):
		at := c.cfg.Attachments
		r := attachment.Extract(ctx, data, rec.Name, attachment.Limits{Timeout: at.Timeout, MaxBytes: at.MaxFileBytes, MaxText: at.MaxText})
		rec.Type, rec.Pages, rec.State, rec.Reason, rec.Text = string(r.Type), r.Pages, string(r.State), r.Reason, r.Text
	default:
		return storeFailure(ctx, err)
	}
	return c.saveAttachment(ctx, docID, prev, rec, v)
}

// saveAttachment writes rec (with validators v) unless it would replace a
// record of a fetched file by a failure to fetch it again.
func (c *Crawler) saveAttachment(ctx context.Context, docID string, prev, rec *store.Attachment, v store.AttachmentFetch) error {
	if prev != nil && prev.SHA256 != "" && rec.State == store.AttachmentNotFetched {
		return nil
	}
	err := c.write(func() error { _, err := c.st.SaveAttachment(ctx, docID, rec, v); return err })
	if err != nil && !errors.Is(err, store.ErrNotFound) { // a document removed meanwhile has no attachments to keep
		return storeFailure(ctx, err)
	}
	c.opt.Logger.Debug("attachment", "doc", docID, "url", rec.URL, "state", rec.State, "type", rec.Type, "reason", rec.Reason)
	return nil
}

// attachmentHost says whether a file at u may be fetched for an article at
// page: the same host, the same registrable domain (www.x.gov.cn and
// file.x.gov.cn; addresses must be equal), or a host of attachments.hosts.
func (c *Crawler) attachmentHost(page, u *url.URL) bool {
	if u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	fh, ph := strings.ToLower(u.Hostname()), strings.ToLower(page.Hostname())
	if fh == ph || slices.ContainsFunc(c.cfg.Attachments.Hosts, func(h string) bool { return strings.EqualFold(h, fh) }) {
		return true
	}
	if net.ParseIP(fh) != nil || net.ParseIP(ph) != nil {
		return false
	}
	a, err1 := publicsuffix.EffectiveTLDPlusOne(fh)
	b, err2 := publicsuffix.EffectiveTLDPlusOne(ph)
	return err1 == nil && err2 == nil && a == b
}
