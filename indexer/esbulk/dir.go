package esbulk

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gongkai-project/gongkai/store"
)

// Files of an export folder (WriteDir). The analysis files sit where the
// engine's configuration folder expects them, so the folder's analysis-ik
// and analysis folders are copied into it as they are.
const (
	TemplateFile = "template.json"
	ManifestFile = "export.json"
	// ChunkBytes bounds a bulk file of an export folder, so that each file is
	// one bulk request of the size the engines' documentation recommends.
	ChunkBytes = 8 << 20
)

// bulkName is the name of the n-th bulk file of an export folder.
func bulkName(n int) string { return fmt.Sprintf("bulk-%05d.ndjson", n) }

// Manifest says what an export folder holds; LastSeq is the next export's --since.
type Manifest struct {
	Index   string   `json:"index"`
	Since   int64    `json:"since"`
	LastSeq int64    `json:"last_seq"`
	Indexed int      `json:"indexed"`
	Deleted int      `json:"deleted"`
	Bulk    []string `json:"bulk"` // the bulk files, in the order to send them
}

// Dir is what WriteDir writes besides the documents.
type Dir struct {
	Index      string              // index name of the bulk actions and the template's pattern
	UserDict   []string            // the configuration's user dictionary
	Expansions map[string][]string // the thesaurus as searches use it (indexer.Expansions)
	ChunkBytes int                 // bound of a bulk file; 0 is ChunkBytes
}

// WriteDir writes an export folder: the documents stored after since as
// bulk files of at most d.ChunkBytes (whole items; one larger item alone), the
// index template, the IK dictionary and configuration, the synonym file and
// the manifest. Each file is written whole or not at all (a temporary file
// renamed into place); the manifest comes last. A folder that holds an export
// already is refused, so that unsent files are never overwritten.
func WriteDir(ctx context.Context, st *store.Store, since int64, dir string, d Dir) (Stats, error) {
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err == nil {
		return Stats{}, fmt.Errorf("export to %s: the folder holds an export already (%s); choose another folder", dir, ManifestFile)
	}
	if old, _ := filepath.Glob(filepath.Join(dir, "bulk-*.ndjson")); len(old) > 0 {
		return Stats{}, fmt.Errorf("export to %s: the folder holds bulk files already (%s); choose another folder", dir, filepath.Base(old[0]))
	}
	tmpl, err := Template(d.Index)
	if err != nil {
		return Stats{}, err
	}
	chunks, res, err := writeChunks(ctx, st, since, dir, d.Index, cmp.Or(d.ChunkBytes, ChunkBytes))
	if err != nil {
		return res, err
	}
	files := []struct {
		name string
		data []byte
	}{
		{TemplateFile, tmpl},
		{IKDictPath, IKDict(d.UserDict, d.Expansions)},
		{IKConfigPath, IKConfig()},
		{SynonymsPath, Synonyms(d.Expansions)},
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(dir, f.name), bytesOf(f.data)); err != nil {
			return res, err
		}
	}
	m, err := json.MarshalIndent(Manifest{Index: d.Index, Since: since, LastSeq: res.LastSeq,
		Indexed: res.Indexed, Deleted: res.Deleted, Bulk: chunks}, "", "  ")
	if err != nil {
		return res, err
	}
	return res, writeFile(filepath.Join(dir, ManifestFile), bytesOf(append(m, '\n')))
}

// writeChunks writes the bulk items of the documents stored after since
// into bulk files of dir of at most limit bytes and returns their names.
func writeChunks(ctx context.Context, st *store.Store, since int64, dir, index string, limit int) ([]string, Stats, error) {
	var names []string
	var chunk []byte
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		names = append(names, bulkName(len(names)+1))
		err := writeFile(filepath.Join(dir, names[len(names)-1]), bytesOf(chunk))
		chunk = chunk[:0]
		return err
	}
	res, err := eachItem(ctx, st, since, index, func(item []byte) error {
		if len(chunk) > 0 && len(chunk)+len(item) > limit {
			if err := flush(); err != nil {
				return err
			}
		}
		chunk = append(chunk, item...)
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return names, res, fmt.Errorf("bulk export after sequence %d: %w", since, err)
	}
	return names, res, nil
}

func bytesOf(b []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}
}

// writeFile writes path through a temporary file beside it, renamed into
// place once write and the sync succeed.
func writeFile(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	err = f.Chmod(0o644)
	if err == nil {
		err = write(f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("export %s: %w", path, err)
	}
	return nil
}

// WriteFile writes the bulk NDJSON alone to path, whole or not at all.
func WriteFile(ctx context.Context, st *store.Store, since int64, index, path string) (Stats, error) {
	var res Stats
	err := writeFile(path, func(w io.Writer) error {
		var err error
		res, err = WriteBulk(ctx, st, since, index, w)
		return err
	})
	return res, err
}
