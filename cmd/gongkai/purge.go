package main

import (
	"errors"
	"fmt"
	"os/user"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/store"
)

func (a *app) purgeCmd() *cobra.Command {
	var reason, by string
	var lift bool
	cmd := &cobra.Command{
		Use:   "purge ID|URL",
		Short: "remove a document for good (text, attachments, index entry) and keep crawls and ingests from bringing it back",
		Long: `purge removes a document withdrawn at its source for a reason such as exposed
personal data: its text and metadata, its attachment records and the files no
other document uses, and (at once, or through a running gongkai serve within
seconds) its index entry. A tombstone keeps later crawls and ingests from storing
it again; --lift removes the tombstone. Every purge and lift is written to the
audit log that staff see at /staff/audit.`,
		Example: `  gongkai purge --reason "公开了身份证号" http://www.example.gov.cn/tzgg/201503/t20150301_7.html
  gongkai purge --lift 6f1c0d…`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if by == "" {
				by = "cli"
				if u, err := user.Current(); err == nil {
					by = "cli:" + u.Username
				}
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			defer st.Close()
			if lift {
				id, err := st.Lift(cmd.Context(), args[0], by)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "lifted the purge of %s: the next crawl or ingest may store it again\n", id)
				return nil
			}
			if reason == "" {
				return &usageError{"purge: give --reason (it goes into the audit log)"}
			}
			p, err := st.Purge(cmd.Context(), args[0], by, reason)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("purge: no document with id or URL %q", args[0])
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "purged %s (%s): %d attachment records, %d files removed\n",
				p.ID, p.Title, p.Attachments, len(p.Files))
			return a.syncIndex(cmd, st)
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (required; written to the audit log)")
	cmd.Flags().StringVar(&by, "by", "", "who purges, for the audit log (default cli:USER)")
	cmd.Flags().BoolVar(&lift, "lift", false, "lift an earlier purge instead")
	return cmd
}
