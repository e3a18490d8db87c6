package demo

import "github.com/gongkai-project/gongkai/store"

// attachment is a file a document links.
type attachment struct {
	Name string // link text: the file name with its extension
	Ext  string // pdf, docx or xlsx
	Kind string // what it holds (attachSpec.Kind)
	Path string
}

// setAttachments lists the item's attachments with URLs on base ("" for paths).
func (it *Item) setAttachments(base string) {
	it.Attachments = nil
	for _, a := range it.attFiles {
		it.Attachments = append(it.Attachments, store.Attachment{Name: a.Name, URL: base + a.Path})
	}
}

// setUnavailable lists the deleted and expired WeChat pages on base.
func (t *Township) setUnavailable(base string) {
	t.Unavailable = nil
	for _, g := range t.gone {
		t.Unavailable = append(t.Unavailable, base+g.Path)
	}
}

// setDisallowed lists the pages robots.txt forbids on base.
func (t *Township) setDisallowed(base string) {
	t.Disallowed = nil
	for _, p := range internalPaths {
		t.Disallowed = append(t.Disallowed, base+p)
	}
}
