package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/crawler/attachment"
	"github.com/gongkai-project/gongkai/crawler/extract"
)

func (a *app) extractCmd() *cobra.Command {
	var pageURL string
	cmd := &cobra.Command{
		Use:   "extract [--url URL] FILE",
		Short: "print the document extracted from a saved page, or the text of an attachment (PDF, Word, Excel, WPS, OFD, text), as JSON",
		Long: `A saved HTML page prints the extracted article and exits non-zero for pages that are not articles.
Any other file (its type detected from the bytes) prints the attachment extraction result:
type, pages, state (extracted, image_only, failed, unsupported, too_large), reason and text;
it exits non-zero when no text could be extracted for a reason other than a scan.`,
		Example: `  gongkai extract --url http://www.example.gov.cn/art/2015/3/1/art_12_345.html saved.html
  gongkai extract 附件1.pdf`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			raw, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("extract: %w", err)
			}
			if typ := attachment.Detect(raw, args[0]); typ != attachment.HTML {
				return printAttachment(cmd.OutOrStdout(), cmd, raw, args[0])
			}
			art, err := extract.Extract(pageURL, raw, "", config.Selectors{})
			if err != nil {
				return err
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(art); err != nil {
				return err
			}
			if art.Kind == extract.KindError {
				return fmt.Errorf("%s is not an article: %s", args[0], art.Reason)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&pageURL, "url", "", "the address the page was saved from (makes links absolute)")
	return cmd
}

// printAttachment prints the extraction result of an attachment file as
// JSON; the error says why a file gave no text (a scan is not an error).
func printAttachment(w io.Writer, cmd *cobra.Command, raw []byte, name string) error {
	res := attachment.Extract(cmd.Context(), raw, name, attachment.Limits{})
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return err
	}
	if res.State != attachment.Extracted && res.State != attachment.ImageOnly {
		return fmt.Errorf("%s: %s (%s)", name, res.State, res.Reason)
	}
	return nil
}
