package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/indexer"
	"github.com/gongkai-project/gongkai/store"
)

func (a *app) searchCmd() *cobra.Command {
	var asJSON bool
	var q indexer.Query
	var from, to string
	cmd := &cobra.Command{
		Use:   "search [--json] [--limit N] QUERY",
		Short: "search the index; --json prints the same JSON as /api/search",
		Example: `  gongkai search 低保怎么申请
  gongkai search --attachment xlsx 张秀英
  gongkai search --json --limit 5 --channel wechat --from 2015-01-01 危房改造`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			q.Text = joinArgs(args)
			if err := setSearchFilters(&q, from, to); err != nil {
				return err
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			defer st.Close()
			ix, err := a.openExistingIndex(cmd, st)
			if err != nil {
				return err
			}
			defer ix.Close()
			q.Unit = strings.TrimSpace(q.Unit) // as the configured names are
			res, err := ix.Search(cmd.Context(), q)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetEscapeHTML(false)
				return enc.Encode(res)
			}
			printHits(cmd, res)
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print JSON (as /api/search)")
	f.IntVar(&q.Limit, "limit", indexer.DefaultLimit, fmt.Sprintf("hits per page (1-%d)", indexer.MaxLimit))
	f.IntVar(&q.Offset, "offset", 0, "hits to skip")
	f.StringVar(&q.Category, "category", "", "only this category")
	f.StringVar(&q.Channel, "channel", "", "only this channel (portal, wechat, ...)")
	f.StringVar(&q.Publisher, "publisher", "", "only this publisher")
	f.StringVar(&q.Validity, "validity", "", "only this 有效性 (现行有效, 已修改, 已废止, 已失效, 未注明)")
	f.StringVar(&q.Unit, "unit", "", "only documents of this unit (township, bureau)")
	f.StringVar(&q.Attachment, "attachment", "", "only documents with an attachment of this type ("+strings.Join(store.AttachmentTypes, ", ")+")")
	f.StringVar(&from, "from", "", "published on or after YYYY-MM-DD")
	f.StringVar(&to, "to", "", "published on or before YYYY-MM-DD")
	f.StringVar(&q.Sort, "sort", "", `"" for relevance, "date" for newest first`)
	return cmd
}

// setSearchFilters sets q's dates from the --from and --to flags (--to
// inclusive) and checks its --validity and --attachment, answering a usage
// error that names the flag.
func setSearchFilters(q *indexer.Query, from, to string) error {
	var err error
	if q.From, err = parseDay(from); err != nil {
		return &usageError{"--from: " + err.Error()}
	}
	if q.To, err = parseDay(to); err != nil {
		return &usageError{"--to: " + err.Error()}
	}
	if !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1) // --to is inclusive
	}
	if q.Validity != "" && !store.IsValidity(q.Validity) {
		return &usageError{fmt.Sprintf("--validity %q: want one of %s", q.Validity, strings.Join(store.Validities, ", "))}
	}
	if q.Attachment = strings.ToLower(q.Attachment); q.Attachment != "" && !slices.Contains(store.AttachmentTypes, q.Attachment) {
		return &usageError{fmt.Sprintf("--attachment %q: want one of %s", q.Attachment, strings.Join(store.AttachmentTypes, ", "))}
	}
	return nil
}

// openExistingIndex opens the data directory's index for searching, waiting
// up to --lock-wait while another process holds it; a missing index is an
// error that says how to make one.
func (a *app) openExistingIndex(cmd *cobra.Command, st *store.Store) (*indexer.Index, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	ix, err := indexer.WaitFor(cmd.Context(), a.lockWait, nil, func() (*indexer.Index, error) {
		return indexer.Open(a.indexPath(), cfg, st)
	})
	if errors.Is(err, indexer.ErrMissing) {
		return nil, fmt.Errorf("no index in %s: run `gongkai ingest`, `gongkai crawl` or `gongkai index` first", a.indexPath())
	}
	if err != nil {
		return nil, a.indexError(err)
	}
	return ix, nil
}

var markTag = regexp.MustCompile(`</?mark>`)

func printHits(cmd *cobra.Command, res *indexer.Result) {
	out := cmd.OutOrStdout()
	if res.DidYouMean != "" {
		fmt.Fprintf(out, "您是不是要找：%s\n", res.DidYouMean)
	}
	fmt.Fprintf(out, "%d 条结果\n", res.Total)
	for i, h := range res.Hits {
		date := ""
		if !h.Published.IsZero() {
			date = h.Published.In(store.Beijing).Format("2006-01-02")
		}
		validity := ""
		if h.Validity != store.ValidityUnknown && h.Validity != "" {
			validity = " " + h.Validity
		}
		snippet := h.Snippet
		if a := h.Attachment; a != nil && !slices.Contains(h.MatchedIn, "title") && !slices.Contains(h.MatchedIn, "body") {
			snippet = "附件 " + a.Name + "：" + strings.Join(strings.Fields(a.Snippet), " ") // a table's cells on one line
		}
		fmt.Fprintf(out, "\n%d. %s  [%s %s %s%s]\n   %s\n   %s\n", i+1, h.Title, date, h.Category, h.Channel, validity, h.ID, plainSnippet(snippet))
	}
}

// plainSnippet writes a snippet's marks as 【】 and unescapes its text.
func plainSnippet(s string) string {
	return html.UnescapeString(markTag.ReplaceAllStringFunc(s, func(m string) string {
		if m == "<mark>" {
			return "【"
		}
		return "】"
	}))
}
