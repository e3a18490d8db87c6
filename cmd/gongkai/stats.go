package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/analytics"
	"github.com/gongkai-project/gongkai/config"
	"github.com/gongkai-project/gongkai/store"
)

func (a *app) statsCmd() *cobra.Command {
	var year int
	var asOf, unit string
	var asJSON, asCSV bool
	cmd := &cobra.Command{
		Use:   "stats --year Y [--unit NAME] [--as-of DATE] [--json|--csv]",
		Short: "publication counts of a year against its targets, with staleness alerts (one unit, or all of them side by side)",
		Example: `  gongkai stats --year 2015
  gongkai stats --year 2015 --unit 康大营镇
  gongkai stats --year 2015 --as-of 2015-06-30 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if asJSON && asCSV {
				return &usageError{"--json and --csv exclude each other"}
			}
			stats, err := a.yearStats(cmd, year, asOf, unit)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			switch {
			case asJSON:
				return stats.WriteJSON(out)
			case asCSV:
				return stats.WriteCSV(out)
			}
			return stats.WriteText(out)
		},
	}
	f := cmd.Flags()
	f.IntVar(&year, "year", 0, "the year (required)")
	f.StringVar(&asOf, "as-of", "", "compute as of YYYY-MM-DD (default: analytics.as_of, else today)")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.BoolVar(&asCSV, "csv", false, "print CSV")
	f.StringVar(&unit, "unit", "", "one unit's figures (default: all units, the county view when there are several)")
	cmd.MarkFlagRequired("year")
	return cmd
}

// yearStats computes the statistics of year as of --as-of for unit ("" all).
func (a *app) yearStats(cmd *cobra.Command, year int, asOf, unit string) (*analytics.YearStats, error) {
	day, cfg, unit, err := a.yearScope(year, asOf, unit)
	if err != nil {
		return nil, err
	}
	st, err := a.openStore()
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return analytics.ComputeUnit(cmd.Context(), st, cfg, year, day, unit)
}

// yearScope checks the flags stats and report share, --year, --as-of and
// --unit, and returns the as-of day (zero: the default), the configuration
// and the unit trimmed; a bad value is a usage error naming its flag.
func (a *app) yearScope(year int, asOf, unit string) (time.Time, *config.Config, string, error) {
	if year < 1990 || year > 2100 {
		return time.Time{}, nil, "", &usageError{fmt.Sprintf("--year %d is not a year", year)}
	}
	day, err := parseDay(asOf)
	if err != nil {
		return time.Time{}, nil, "", &usageError{"--as-of: " + err.Error()}
	}
	cfg, err := a.config()
	if err != nil {
		return time.Time{}, nil, "", err
	}
	if unit, err = checkUnit(cfg, unit); err != nil {
		return time.Time{}, nil, "", err
	}
	return day, cfg, unit, nil
}

// checkUnit returns the --unit value trimmed, as the configured names are,
// or a usage error when it names no configured unit.
func checkUnit(cfg *config.Config, unit string) (string, error) {
	unit = strings.TrimSpace(unit)
	if unit != "" && !slices.Contains(cfg.UnitNames(), unit) {
		return "", &usageError{fmt.Sprintf("--unit %q: not a configured unit (units: %s)", unit, strings.Join(cfg.UnitNames(), ", "))}
	}
	return unit, nil
}

func (a *app) reportCmd() *cobra.Command {
	var year int
	var asOf, format, staff, output, unit string
	cmd := &cobra.Command{
		Use:   "report --year Y [--unit NAME] [--format md|html|xlsx|docx] [--staff FILE.yaml] [-o FILE]",
		Short: "write the annual report (政府信息公开工作年度报告) of a year, of the whole installation or one unit",
		Example: `  gongkai report --year 2015 -o 2015年报.md
  gongkai report --year 2015 --format xlsx --staff staff2015.yaml -o 2015年报.xlsx
  gongkai report --year 2015 --unit 城关镇 -o 城关镇2015年报.md`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "md" && format != "html" && format != "xlsx" && format != "docx" {
				return &usageError{fmt.Sprintf("--format %q: want md, html, xlsx or docx", format)}
			}
			if (format == "xlsx" || format == "docx") && output == "" {
				return &usageError{fmt.Sprintf("--format %s needs -o FILE.%s", format, format)}
			}
			day, cfg, unit, err := a.yearScope(year, asOf, unit)
			if err != nil {
				return err
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			defer st.Close()
			// The stored tables 三/四 are the installation's: a unit's report
			// of several uses the file's tables for itself and stores nothing.
			if unit == "" || !cfg.MultiUnit() {
				if err := importStaffTables(cmd, st, year, staff); err != nil {
					return err
				}
			}
			rep, err := analytics.ReportUnit(cmd.Context(), st, cfg, year, day, unit, staff)
			if err != nil {
				return err
			}
			if err := writeOutput(cmd.OutOrStdout(), output, func(w io.Writer) error {
				return rep.Write(w, format)
			}); err != nil {
				return err
			}
			if err := rep.Err(); err != nil {
				return fmt.Errorf("the report was written, but staff figures fail their checks:\n%w", err)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&year, "year", 0, "the year (required)")
	f.StringVar(&asOf, "as-of", "", "compute as of YYYY-MM-DD")
	f.StringVar(&format, "format", "md", "md, html, xlsx or docx (a 公文 per GB/T 9704)")
	f.StringVar(&staff, "staff", "", "staff-filled YAML with the application and appeal tables (see analytics/testdata); its tables 三 and 四 are stored as the year's (audited as an import), except with --unit of several units, where they are this unit's report's only")
	f.StringVar(&unit, "unit", "", "one unit's report, with its own figures (default: the whole installation, the county's sums when there are several)")
	f.StringVarP(&output, "output", "o", "", "write to FILE instead of standard output")
	cmd.MarkFlagRequired("year")
	return cmd
}

// importStaffTables stores tables 三 and 四 of the staff YAML at path (if
// any) as the tables of year, logged as an import by the operating-system
// user. Tables failing their checks are not stored; the report then shows
// the problems and the command fails after writing it.
func importStaffTables(cmd *cobra.Command, st *store.Store, year int, path string) error {
	if path == "" {
		return nil
	}
	in, err := analytics.LoadStaff(path)
	if err != nil {
		return err
	}
	if in.Table3 == nil && in.Table4 == nil {
		return nil
	}
	n, err := analytics.SaveStaffTables(cmd.Context(), st, year, in.Table3, in.Table4, osUser(), "import "+filepath.Base(path), time.Now())
	if _, bad := errors.AsType[*analytics.CheckError](err); bad {
		fmt.Fprintf(cmd.ErrOrStderr(), "%s: tables 三/四 fail their checks and were not stored\n", path)
		return nil
	}
	if err != nil {
		return fmt.Errorf("import the tables of %s: %w", path, err)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "%s: tables 三/四 stored as those of %d (%d cells changed)\n", path, year, n)
	return nil
}

// osUser names who runs the command, for the audit trail.
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "命令行"
}

// writeOutput writes to path (through a temporary file renamed into place, so
// a failure leaves no half-written report) or to stdout when path is "".
func writeOutput(stdout io.Writer, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	f, err := os.CreateTemp(dirOf(path), ".gongkai-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
