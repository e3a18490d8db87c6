package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a document or entry does not exist.
var ErrNotFound = errors.New("not found")

// Store is the SQLite archive. It is safe for concurrent use: readers keep
// working while a writer works (WAL), and writers are serialised by SQLite.
type Store struct {
	db   *sql.DB
	path string
	home atomic.Pointer[string] // the unit of what is stored without one (AssignUnits)
	// textStmts are the prepared statements of TextHeads
	textStmts textStmts
}

// Open opens (creating if needed) the archive at path and applies every
// pending schema migration. The archive holds the query log (personal
// data): a folder it creates is 0700, and the database with its -wal and
// -shm files is 0600 whatever the umask, existing files included.
func Open(path string) (*Store, error) {
	if err := PrivateDir(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	f.Close()
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	s := &Store{db: db, path: path}
	if err := migrate(context.Background(), db, len(migrations)); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			db.Close()
			return nil, fmt.Errorf("open store %s: make it private: %w", path, err)
		}
	}
	return s, nil
}

// PrivateDir creates dir and its missing parents as 0700, whatever the
// umask. A folder that already exists is left as it is.
func PrivateDir(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.Chmod(dir, 0o700)
}

func dsn(path string) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(15000)", "synchronous(FULL)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Path is the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	s.textStmts.close()
	return s.db.Close()
}

// tx runs fn in a write transaction, committing if fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// BackupTo writes a consistent copy of the database to path (a new file,
// 0600) with VACUUM INTO, while other connections and processes keep
// reading and writing. The copy is checked with PRAGMA integrity_check.
func (s *Store) BackupTo(ctx context.Context, path string) error {
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("back up %s to %s: %w", s.path, path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("back up %s: %w", s.path, err)
	}
	copyDB, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return fmt.Errorf("check backup %s: %w", path, err)
	}
	defer copyDB.Close()
	var res string
	if err := copyDB.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		return fmt.Errorf("check backup %s: integrity_check %q: %v", path, res, err)
	}
	return nil
}
