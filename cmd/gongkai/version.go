package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version, commit and commitDate are set by `make build` with -ldflags "-X main.version=…";
// the VCS stamps Go writes into the binary, when it has them, take precedence for the last two.
var version, commit, commitDate = "dev", "", ""

// buildInfo describes the running binary.
type buildInfo struct {
	Version   string `json:"version"`
	Commit    string `json:"commit,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
	BuildDate string `json:"build_date,omitempty"`
	Go        string `json:"go"`
}

// readBuildInfo reads the version variable and the VCS stamps Go puts in the binary.
func readBuildInfo() buildInfo {
	bi := buildInfo{Version: version, Commit: commit, BuildDate: commitDate, Go: runtime.Version()}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return bi
	}
	if bi.Version == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		bi.Version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			bi.Commit = s.Value
		case "vcs.time":
			bi.BuildDate = s.Value
		case "vcs.modified":
			bi.Modified = s.Value == "true"
		}
	}
	return bi
}

func (a *app) versionCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version [--json]",
		Short: "print the version, commit, commit date and Go version of this binary",
		Example: `  gongkai version
  gongkai version --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			bi := readBuildInfo()
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(bi)
			}
			commit := bi.Commit
			if commit == "" {
				commit = "unknown"
			} else if bi.Modified {
				commit += " (modified)"
			}
			date := bi.BuildDate
			if date == "" {
				date = "unknown"
			}
			_, err := fmt.Fprintf(out, "gongkai %s\ncommit %s\ndate   %s\ngo     %s\n", bi.Version, commit, date, bi.Go)
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the build information as JSON")
	return cmd
}
