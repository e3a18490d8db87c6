package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"gongkai/config"
	"gongkai/crawler/extract"
)

func (a *app) extractCmd() *cobra.Command {
	var pageURL string
	cmd := &cobra.Command{
		Use:     "extract [--url URL] FILE.html",
		Short:   "print the document extracted from a saved page as JSON; exits non-zero for pages that are not articles",
		Example: `  gongkai extract --url http://www.example.gov.cn/art/2015/3/1/art_12_345.html saved.html`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			raw, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("extract: %w", err)
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
