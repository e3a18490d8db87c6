// Package esbulk writes the store as Elasticsearch/OpenSearch bulk NDJSON,
// with the index template and the IK dictionary and synonym files that let a
// distributed engine search it as gongkai does (docs/SCALING.md).
package esbulk

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

// DefaultIndex is the index name the bulk actions and the template use unless told otherwise.
const DefaultIndex = "gongkai"

// Source is one document as the engine stores it: every field of the
// store's document, the validity as it applies now beside the one stated,
// the subject split into its values and the store sequence it was written at.
type Source struct {
	ID             string             `json:"id"`
	Seq            int64              `json:"seq"`
	URL            string             `json:"url,omitempty"`
	Source         string             `json:"source,omitempty"`
	Channel        string             `json:"channel,omitempty"`
	Unit           string             `json:"unit,omitempty"`
	Column         string             `json:"column,omitempty"`
	Title          string             `json:"title"`
	Body           string             `json:"body"`
	HTML           string             `json:"html,omitempty"`
	Published      string             `json:"published,omitempty"`
	Written        string             `json:"written,omitempty"`
	Publisher      string             `json:"publisher,omitempty"`
	DocNumber      string             `json:"doc_number,omitempty"`
	IndexNumber    string             `json:"index_number,omitempty"`
	Subject        []string           `json:"subject,omitempty"`
	Category       string             `json:"category,omitempty"`
	Genre          string             `json:"genre,omitempty"`
	Validity       string             `json:"validity"`
	ValidityStated string             `json:"validity_stated,omitempty"`
	RepealedBy     string             `json:"repealed_by,omitempty"`
	Attachments    []store.Attachment `json:"attachments,omitempty"`
	Meta           map[string]string  `json:"meta,omitempty"`
	ContentHash    string             `json:"content_hash,omitempty"`
	FetchedAt      string             `json:"fetched_at,omitempty"`
}

// SourceOf returns the engine's copy of d, written at store sequence seq.
func SourceOf(d *store.Document, seq int64) Source {
	return Source{
		ID: d.ID, Seq: seq, URL: d.URL, Source: d.Source, Channel: d.Channel, Unit: d.Unit, Column: d.Column,
		Title: d.Title, Body: d.Body, HTML: d.HTML,
		Published: date(d.Published), Written: date(d.Written), FetchedAt: date(d.FetchedAt),
		Publisher: d.Publisher, DocNumber: d.DocNumber, IndexNumber: d.IndexNumber,
		Subject: indexer.SplitSubjects(d.Subject), Category: d.Category, Genre: d.Genre,
		Validity: d.CurrentValidity(), ValidityStated: d.Validity, RepealedBy: d.RepealedBy,
		Attachments: d.Attachments, Meta: d.Meta, ContentHash: d.ContentHash,
	}
}

// date formats t in Beijing time as RFC 3339 ("" for the zero time).
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(store.Beijing).Format(time.RFC3339)
}

// Stats says what a bulk export wrote.
type Stats struct {
	Indexed int   // index actions (live documents)
	Deleted int   // delete actions (documents removed at their source)
	LastSeq int64 // the highest store sequence written; the next export's --since
}

// action is the first line of a bulk item.
type action struct {
	Index  *target `json:"index,omitempty"`
	Delete *target `json:"delete,omitempty"`
}

type target struct {
	Index string `json:"_index"`
	ID    string `json:"_id"`
}

// WriteBulk writes every document stored after sequence since as bulk
// NDJSON for index: an index action with its source for a live document, a
// delete action for one removed at its source. Each document appears once,
// in sequence order. LastSeq is since when nothing was written after it.
func WriteBulk(ctx context.Context, st *store.Store, since int64, index string, w io.Writer) (Stats, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	res, err := eachItem(ctx, st, since, index, func(item []byte) error {
		_, err := bw.Write(item)
		return err
	})
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return res, fmt.Errorf("bulk export after sequence %d: %w", since, err)
	}
	return res, nil
}

// eachItem calls emit with each bulk item (its action line and, for an
// index action, its source line) of the documents stored after since.
func eachItem(ctx context.Context, st *store.Store, since int64, index string, emit func(item []byte) error) (Stats, error) {
	res := Stats{LastSeq: since}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := st.Changes(ctx, since, func(seq int64, d *store.Document) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		buf.Reset()
		t := &target{Index: index, ID: d.ID}
		var err error
		if d.Status == store.StatusRemoved {
			err = enc.Encode(action{Delete: t})
			res.Deleted++
		} else {
			err = enc.Encode(action{Index: t})
			if err == nil {
				err = enc.Encode(SourceOf(d, seq))
			}
			res.Indexed++
		}
		if err == nil {
			err = emit(buf.Bytes())
		}
		if err != nil {
			return fmt.Errorf("write document %s: %w", d.ID, err)
		}
		res.LastSeq = seq
		return nil
	})
	return res, err
}
