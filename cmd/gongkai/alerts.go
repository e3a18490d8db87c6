package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/alert"
	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

func (a *app) alertsCmd() *cobra.Command {
	var asOf string
	var asJSON, send bool
	cmd := &cobra.Command{
		Use:   "alerts [--as-of DATE] [--json] [--send]",
		Short: "list the overdue and soon-due columns, WeChat accounts and villages and the late disclosures; --send sends the changes to alerts.channels",
		Example: `  gongkai alerts --as-of 2016-12-31 --json
  gongkai alerts --send`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			day, err := parseDay(asOf)
			if err != nil {
				return &usageError{"--as-of: " + err.Error()}
			}
			cfg, err := a.config()
			if err != nil {
				return err
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			defer st.Close()
			n := alert.New(st, cfg, nil)
			check := n.Check
			if send {
				check = n.Send
			}
			rep, err := check(cmd.Context(), day)
			if rep != nil {
				if werr := writeAlerts(cmd.OutOrStdout(), rep, asJSON, cfg); werr != nil {
					return werr
				}
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&asOf, "as-of", "", "judge as of YYYY-MM-DD (default: analytics.as_of, else today)")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.BoolVar(&send, "send", false, "record the changes and send them (with what failed before) to every channel")
	return cmd
}

func writeAlerts(w io.Writer, rep *alert.Report, asJSON bool, cfg *config.Config) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintf(w, "截至 %s，在提醒之列 %d 项，状态有变化、待发送 %d 项：\n", rep.AsOf, len(rep.Current), len(rep.Changes))
	for _, a := range rep.Changes {
		fmt.Fprintf(w, "  [%s] %s\n", a.StateLabel, a.Message)
	}
	if !rep.Sent {
		if len(cfg.Alerts.Channels) == 0 {
			fmt.Fprintln(w, "未配置提醒渠道（alerts.channels），--send 只记录状态变化。")
		}
		return nil
	}
	for _, d := range rep.Deliveries {
		if d.Error != "" {
			fmt.Fprintf(w, "%s：%d 项发送失败，下次运行重发（%s）\n", d.Channel, d.Alerts, d.Error)
			continue
		}
		fmt.Fprintf(w, "%s：已发送 %d 项\n", d.Channel, d.Alerts)
	}
	return nil
}

// sendAlerts sends the alerts after a crawl when channels are configured; a
// channel that fails is logged and tried again on the next run, the crawl stands.
func sendAlerts(cmd *cobra.Command, st *store.Store, cfg *config.Config) {
	if len(cfg.Alerts.Channels) == 0 {
		return
	}
	rep, err := alert.New(st, cfg, nil).Send(cmd.Context(), time.Time{})
	if rep != nil {
		for _, d := range rep.Deliveries {
			if d.Error == "" {
				fmt.Fprintf(cmd.OutOrStdout(), "提醒 %s：已发送 %d 项\n", d.Channel, d.Alerts)
			}
		}
	}
	if err != nil {
		slog.Warn("alerts after the crawl not all sent; the next run tries again", "err", err)
	}
}
