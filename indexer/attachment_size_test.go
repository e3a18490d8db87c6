package indexer_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/indexer/bench"
	"github.com/gongkai-project/gongkai/internal/shareddata"
	"github.com/gongkai-project/gongkai/store"
)

// BenchmarkAttachmentSize measures what attachment text costs on disk
// against issue 14's budget (index and store grow by no more than 1.2×
// the extracted text): 800 documents of ../shared/eval are stored and
// indexed as they are, then again with 400 of them carrying an extracted
// attachment whose text is the body of one of 400 further documents. The
// growth of the SQLite file and of the index folder, each after closing,
// is reported per byte of attachment text (store-x, index-x, total-x),
// beside the same ratios for the bodies of the 800 documents themselves.
func BenchmarkAttachmentSize(b *testing.B) {
	base, with := attachmentCorpus(b)
	var empty []*store.Document
	textBytes, bodyBytes := 0, 0
	for i, d := range base {
		bodyBytes += len(d.Body)
		e := *d
		e.Body = ""
		empty = append(empty, &e)
		for _, a := range with[i].Attachments {
			textBytes += len(a.Text)
		}
	}
	for b.Loop() {
		dbEmpty, ixEmpty := diskSize(b, empty)
		dbBase, ixBase := diskSize(b, base)
		dbWith, ixWith := diskSize(b, with)
		t := float64(textBytes)
		b.ReportMetric(float64(dbWith-dbBase)/t, "store-x")
		b.ReportMetric(float64(ixWith-ixBase)/t, "index-x")
		b.ReportMetric(float64(dbWith-dbBase+ixWith-ixBase)/t, "total-x")
		b.ReportMetric(float64(dbBase-dbEmpty+ixBase-ixEmpty)/float64(bodyBytes), "body-total-x")
		b.ReportMetric(t/1e6, "att-text-MB")
	}
}

// attachmentCorpus returns 800 documents of ../shared/eval as they are
// (base) and the same with the first 400 carrying an extracted PDF
// attachment whose text is the body of one of 400 further documents (with).
func attachmentCorpus(b *testing.B) (base, with []*store.Document) {
	docs, err := store.ReadJSONLFile(filepath.Join(shareddata.Path(b, "eval"), "corpus.jsonl.gz"))
	if err != nil {
		b.Fatal(err)
	}
	if len(docs) < 1200 {
		b.Skipf("the eval corpus has %d documents, the benchmark needs 1200", len(docs))
	}
	base, extra := docs[:800], docs[800:1200]
	for i, d := range base {
		c := *d
		if i < len(extra) {
			text := extra[i].Body
			c.Attachments = []store.Attachment{{Name: "附件1.pdf", URL: "http://eval.example/" + d.ID + ".pdf", Type: "pdf",
				Bytes: int64(len(text)), Pages: 1, State: store.AttachmentExtracted, Text: text}}
		}
		with = append(with, &c)
	}
	return base, with
}

// storeAndIndex stores docs in dir's gongkai.db and builds their index in
// dir/index (closed again); it returns the open store and the index folder.
func storeAndIndex(b *testing.B, dir string, docs []*store.Document) (*store.Store, string) {
	ctx := context.Background()
	st, err := bench.StoreCorpus(ctx, filepath.Join(dir, "gongkai.db"), docs)
	if err != nil {
		b.Fatal(err)
	}
	ixDir := filepath.Join(dir, "index")
	x, err := indexer.Create(ixDir, config.Default(), st)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := x.Sync(ctx, st, nil); err != nil {
		b.Fatal(err)
	}
	if err := x.Close(); err != nil {
		b.Fatal(err)
	}
	return st, ixDir
}

// diskSize stores and indexes docs in a new folder and returns the bytes
// of the SQLite file and of the index folder once both are closed.
func diskSize(b *testing.B, docs []*store.Document) (db, ix int64) {
	dir := b.TempDir()
	st, _ := storeAndIndex(b, dir, docs)
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	return folderSize(b, filepath.Join(dir, "gongkai.db")), folderSize(b, filepath.Join(dir, "index"))
}

// folderSize is the bytes of the files at or under path.
func folderSize(b *testing.B, path string) int64 {
	var n int64
	err := filepath.WalkDir(path, func(_ string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		info, err := e.Info()
		n += info.Size()
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}
