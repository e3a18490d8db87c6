package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/gongkai-project/gongkai/store"
)

// manifestName is the file of a backup that lists the others with their SHA-256.
const manifestName = "manifest.json"

// manifest describes a backup folder.
type manifest struct {
	Created time.Time      `json:"created"`
	Version string         `json:"version"`
	Schema  int            `json:"schema"`
	Files   []manifestFile `json:"files"`
}

type manifestFile struct {
	Path   string `json:"path"` // slash-separated, relative to the backup folder
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

func (a *app) backupCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "backup DIR",
		Short: "copy the database (consistent, while serve runs), the configuration and the attachment files into DIR",
		Long: `backup writes into DIR (created 0700; it must not exist or be empty): gongkai.db,
a consistent copy of the database made with SQLite's VACUUM INTO while gongkai
serve keeps running; gongkai.yaml, the configuration file in use (when there is
one); attachments/, the attachment files; and manifest.json with the size and
SHA-256 of each. Files are 0600: the database holds the query log. The index is
not copied: gongkai restore builds it again from the database.`,
		Example: `  gongkai --data /var/lib/gongkai --config /etc/gongkai/gongkai.yaml backup /var/backups/gongkai/2026-12-07`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if err := emptyDir(dir); err != nil {
				return fmt.Errorf("backup: %w", err)
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.BackupTo(cmd.Context(), filepath.Join(dir, "gongkai.db")); err != nil {
				return err
			}
			if cfg := a.configFile(); cfg != "" {
				if err := copyFile(cfg, filepath.Join(dir, "gongkai.yaml")); err != nil {
					return fmt.Errorf("backup: %w", err)
				}
			}
			// Attachment files are content-addressed and never rewritten; one purged
			// since the database copy is missing and skipped.
			if err := copyTree(st.AttachmentDir(), filepath.Join(dir, "attachments")); err != nil {
				return fmt.Errorf("backup: %w", err)
			}
			m, err := writeManifest(dir)
			if err != nil {
				return fmt.Errorf("backup: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "backup written to %s: %d files\n", dir, len(m.Files))
			return nil
		},
	}
}

func (a *app) restoreCmd() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "restore [--force] DIR",
		Short: "check a backup against its manifest, copy it into the data directory and rebuild the index",
		Long: `restore checks every file of a backup written by gongkai backup against its
manifest (size and SHA-256), then copies the database, the attachment files and
gongkai.yaml into the data directory (0700, files 0600) and builds the index from
the database before it returns. A data directory that is not empty is refused
unless --force, which replaces its database, attachments, configuration and index.
restore refuses, changing nothing, while gongkai serve or any other command (a
scheduled crawl, ingest, purge, index or backup) uses the data directory; a command
started during the restore refuses in turn, until the index is built.`,
		Example: `  systemctl stop gongkai
  gongkai --data /var/lib/gongkai restore --force /var/backups/gongkai/2026-12-07`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src := args[0]
			m, err := checkManifest(src)
			if err != nil {
				return fmt.Errorf("restore %s: %w", src, err)
			}
			// The data directory's lock, exclusive until the index is built:
			// refused while serve or any other command uses the directory, and
			// every command started meanwhile refuses.
			if err := a.lockData(true); err != nil {
				return err
			}
			notEmpty := emptyDir(a.dataDir, dataLockName)
			if notEmpty != nil && !force {
				return fmt.Errorf("restore: %w (give --force to replace its contents)", notEmpty)
			}
			if err := a.restoreFiles(src, m, notEmpty != nil); err != nil {
				return fmt.Errorf("restore: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "restored %d files from %s into %s; building the index\n", len(m.Files), src, a.dataDir)
			st, err := a.openStore()
			if err != nil {
				return err
			}
			defer st.Close()
			return a.syncIndex(cmd, st)
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "replace the database, attachments, configuration and index of a data directory that is not empty")
	return cmd
}

// errRestoreServing refuses a restore while a gongkai serve holds the data directory.
func (a *app) errRestoreServing() error {
	return fmt.Errorf("restore: gongkai serve 正在使用数据目录 %s，请先停止它（systemctl stop gongkai），未做任何改动 / "+
		"gongkai serve is running on %s: stop it first; nothing was changed", a.dataDir, a.dataDir)
}

// restoreFiles copies the files of the backup in src listed by m into the
// data directory; when replace is set, it first removes the database,
// attachments, configuration and index there. The caller holds the data
// directory's lock.
func (a *app) restoreFiles(src string, m *manifest, replace bool) error {
	if replace {
		for _, p := range []string{"gongkai.db", "gongkai.db-wal", "gongkai.db-shm", "attachments", "gongkai.yaml"} {
			if err := os.RemoveAll(filepath.Join(a.dataDir, p)); err != nil {
				return err
			}
		}
		if err := os.RemoveAll(a.indexPath()); err != nil {
			return err
		}
	}
	for _, f := range m.Files {
		to := filepath.Join(a.dataDir, filepath.FromSlash(f.Path))
		if err := store.PrivateDir(filepath.Dir(to)); err != nil {
			return err
		}
		if err := copyFile(filepath.Join(src, filepath.FromSlash(f.Path)), to); err != nil {
			return err
		}
	}
	return nil
}

// configFile is the configuration file in use: --config, else DATA/gongkai.yaml when it exists, else "".
func (a *app) configFile() string {
	if a.configPath != "" {
		return a.configPath
	}
	if _, err := os.Stat(a.dataConfigPath()); err == nil {
		return a.dataConfigPath()
	}
	return ""
}

// emptyDir creates dir (0700) when missing and fails when it holds
// anything but the files named in ignore.
func emptyDir(dir string, ignore ...string) error {
	if err := store.PrivateDir(dir); err != nil {
		return err
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !slices.Contains(ignore, e.Name()) {
			return fmt.Errorf("%s is not empty", dir)
		}
	}
	return nil
}

// copyFile copies from to a new file to, 0600.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s to %s: %w", from, to, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// copyTree copies the files under from into to (folders 0700); a missing from copies nothing.
func copyTree(from, to string) error {
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return store.PrivateDir(filepath.Join(to, rel))
		}
		if err := copyFile(p, filepath.Join(to, rel)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	})
	return err
}

// writeManifest lists every file under dir with its size and SHA-256 into dir/manifest.json.
func writeManifest(dir string) (*manifest, error) {
	m := &manifest{Created: time.Now().UTC(), Version: readBuildInfo().Version, Schema: store.SchemaVersion()}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		size, sum, err := hashFile(p)
		if err != nil {
			return err
		}
		m.Files = append(m.Files, manifestFile{Path: filepath.ToSlash(rel), Size: size, SHA256: sum})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return m, os.WriteFile(filepath.Join(dir, manifestName), append(b, '\n'), 0o600)
}

// checkManifest reads dir's manifest and checks that every file it lists is
// there with its size and SHA-256, and that it holds a database.
func checkManifest(dir string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return nil, fmt.Errorf("not a gongkai backup: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read %s: %w", manifestName, err)
	}
	hasDB := false
	for _, f := range m.Files {
		if !filepath.IsLocal(filepath.FromSlash(f.Path)) {
			return nil, fmt.Errorf("%s lists a path outside the backup: %q", manifestName, f.Path)
		}
		size, sum, err := hashFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			return nil, err
		}
		if size != f.Size || sum != f.SHA256 {
			return nil, fmt.Errorf("%s differs from the manifest (size %d, want %d; sha256 %s, want %s)", f.Path, size, f.Size, sum, f.SHA256)
		}
		hasDB = hasDB || f.Path == "gongkai.db"
	}
	if !hasDB {
		return nil, fmt.Errorf("%s lists no gongkai.db", manifestName)
	}
	return &m, nil
}

func hashFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", fmt.Errorf("read %s: %w", path, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}
