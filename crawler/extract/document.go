package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"

	"github.com/gongkai-project/gongkai/store"
)

// CanonicalURL normalises u for identity: scheme and host lower-cased, the
// default port and the fragment dropped, the query kept. Unparseable input
// is returned trimmed.
func CanonicalURL(u string) string {
	u = strings.TrimSpace(u)
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return u
	}
	p.Scheme = strings.ToLower(p.Scheme)
	host := strings.ToLower(p.Hostname())
	port := p.Port()
	if (p.Scheme == "http" && port == "80") || (p.Scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	p.Host = host
	p.Fragment, p.RawFragment = "", ""
	if p.Path == "" {
		p.Path = "/"
	}
	return p.String()
}

// DocID is the stable id of a portal document: "u:" and the first 16 hex
// digits of the SHA-256 of its canonical URL.
func DocID(canonicalURL string) string {
	sum := sha256.Sum256([]byte(canonicalURL))
	return "u:" + hex.EncodeToString(sum[:])[:16]
}

// Document maps the article to the stored document. WeChat articles are
// identified by biz, mid and idx; others by their canonical URL.
func (a *Article) Document() *store.Document {
	d := &store.Document{
		URL: a.URL, Title: a.Title, Body: a.Body, HTML: a.HTML, Column: a.Column,
		Published: a.Published, Written: a.Written, Publisher: a.Publisher,
		DocNumber: a.DocNumber, IndexNumber: a.IndexNumber, Subject: a.Subject, Genre: a.Genre, Validity: a.Validity,
		Attachments: a.Attachments, Meta: map[string]string{}, Channel: store.ChannelPortal,
		Status: store.StatusLive,
	}
	for k, v := range a.Meta {
		d.Meta[k] = v
	}
	if a.Author != "" {
		d.Meta[LabelAuthor] = a.Author
	}
	if a.Kind == KindError {
		d.Status = store.StatusRemoved
	}
	switch {
	case a.WeChat != nil:
		d.ID = "wx:" + a.WeChat.Biz + ":" + a.WeChat.Mid + ":" + a.WeChat.Idx
		d.Channel = store.ChannelWeChat
	default:
		d.ID = DocID(CanonicalURL(a.URL))
		if a.Kind == KindWeChat {
			d.Channel = store.ChannelWeChat
		}
	}
	d.ContentHash = d.ComputeHash()
	return d
}
