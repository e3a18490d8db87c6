package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/indexer/esbulk"
	"github.com/gongkai-project/gongkai/store"
)

func (a *app) exportCmd() *cobra.Command {
	var format, out, index string
	var since int64
	cmd := &cobra.Command{
		Use:   "export --format es-bulk [--since SEQ] [-o FILE|DIR/] [--index NAME]",
		Short: "write the store for Elasticsearch/OpenSearch: bulk NDJSON, index template, IK dictionary, synonyms",
		Long: `export writes every document stored after store sequence SEQ (0: all) as
Elasticsearch/OpenSearch bulk NDJSON: an index action with the document for a live
document, a delete action for one removed at its source. Without -o the NDJSON goes to
standard output; -o FILE writes it to FILE; -o DIR/ (a folder: an existing one, or a
name ending in /) writes the whole set: bulk-00001.ndjson … (8 MB bulk requests),
template.json (the index template), analysis-ik/ (IK dictionary and its configuration),
analysis/gongkai_synonyms.txt (the thesaurus) and export.json, whose last_seq is the
next export's --since. See docs/SCALING.md.`,
		Example: `  gongkai export --format es-bulk -o province-export/
  gongkai export --format es-bulk --since 40680 > changes.ndjson`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "es-bulk" {
				return &usageError{msg: fmt.Sprintf("export: --format %q: want --format es-bulk", format)}
			}
			if since < 0 {
				return &usageError{msg: fmt.Sprintf("export: --since %d is negative", since)}
			}
			if index == "" || strings.ContainsAny(index, `/\*?"<>| ,#:`) || index != strings.ToLower(index) {
				return &usageError{msg: fmt.Sprintf("export: bad --index %q (lower case, without spaces or /\\*?\"<>|,#:)", index)}
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := a.export(cmd, st, since, index, out)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "export: %d indexed, %d deleted, store sequence %d (next: --since %d)\n",
				res.Indexed, res.Deleted, res.LastSeq, res.LastSeq)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "", "export format: es-bulk")
	f.Int64Var(&since, "since", 0, "only documents stored after this store sequence")
	f.StringVarP(&out, "output", "o", "", "output file, or folder (ending in / or existing) for the whole set; default standard output")
	f.StringVar(&index, "index", esbulk.DefaultIndex, "index name in the bulk actions and the template")
	return cmd
}

// export writes the export to out: standard output, a file or a folder.
func (a *app) export(cmd *cobra.Command, st *store.Store, since int64, index, out string) (esbulk.Stats, error) {
	ctx := cmd.Context()
	if out == "" {
		return esbulk.WriteBulk(ctx, st, since, index, cmd.OutOrStdout())
	}
	if fi, err := os.Stat(out); !(err == nil && fi.IsDir()) && !strings.HasSuffix(out, "/") {
		return esbulk.WriteFile(ctx, st, since, index, out)
	}
	cfg, err := a.config()
	if err != nil {
		return esbulk.Stats{}, err
	}
	rows, err := st.ThesaurusEntries(ctx)
	if err != nil {
		return esbulk.Stats{}, err
	}
	exp, err := indexer.Expansions(cfg, indexer.StaffEntries(rows))
	if err != nil {
		return esbulk.Stats{}, err
	}
	return esbulk.WriteDir(ctx, st, since, out, esbulk.Dir{Index: index, UserDict: cfg.Search.UserDict, Expansions: exp})
}
