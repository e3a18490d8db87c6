package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// migrations are applied in order; the schema version is PRAGMA user_version.
// Never edit a released migration: append a new one.
var migrations = []string{
	// 1: documents and crawl state.
	`CREATE TABLE documents (
		id TEXT PRIMARY KEY,
		seq INTEGER NOT NULL UNIQUE,
		url TEXT NOT NULL DEFAULT '',
		source TEXT NOT NULL DEFAULT '',
		channel TEXT NOT NULL DEFAULT '',
		column_name TEXT NOT NULL DEFAULT '',
		title TEXT NOT NULL,
		body TEXT NOT NULL,
		html TEXT NOT NULL DEFAULT '',
		published INTEGER,
		written INTEGER,
		publisher TEXT NOT NULL DEFAULT '',
		doc_number TEXT NOT NULL DEFAULT '',
		index_number TEXT NOT NULL DEFAULT '',
		subject TEXT NOT NULL DEFAULT '',
		category TEXT NOT NULL DEFAULT '',
		genre TEXT NOT NULL DEFAULT '',
		attachments TEXT NOT NULL DEFAULT '[]',
		meta TEXT NOT NULL DEFAULT '{}',
		content_hash TEXT NOT NULL,
		fetched_at INTEGER,
		status TEXT NOT NULL DEFAULT 'live'
	);
	CREATE INDEX documents_published ON documents(published);
	CREATE TABLE crawl_state (
		url TEXT PRIMARY KEY,
		source TEXT NOT NULL DEFAULT '',
		doc_id TEXT NOT NULL DEFAULT '',
		etag TEXT NOT NULL DEFAULT '',
		last_modified TEXT NOT NULL DEFAULT '',
		content_hash TEXT NOT NULL DEFAULT '',
		last_fetch INTEGER,
		http_status INTEGER NOT NULL DEFAULT 0,
		failure TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX crawl_state_source ON crawl_state(source);`,
	// 2: crawl runs and manual entries of offline channels.
	`CREATE TABLE crawl_runs (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		source TEXT NOT NULL,
		started INTEGER NOT NULL,
		ended INTEGER,
		fetched INTEGER NOT NULL DEFAULT 0,
		new INTEGER NOT NULL DEFAULT 0,
		changed INTEGER NOT NULL DEFAULT 0,
		unchanged INTEGER NOT NULL DEFAULT 0,
		failed INTEGER NOT NULL DEFAULT 0,
		failures TEXT NOT NULL DEFAULT '{}',
		note TEXT NOT NULL DEFAULT ''
	);
	CREATE TABLE manual_entries (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		date INTEGER NOT NULL,
		channel TEXT NOT NULL,
		category TEXT NOT NULL DEFAULT '',
		title TEXT NOT NULL,
		count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1),
		note TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX manual_entries_date ON manual_entries(date);`,
	// 3: query log for hot searches; text hash for cross-channel de-duplication.
	`CREATE TABLE query_log (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		query TEXT NOT NULL,
		hits INTEGER NOT NULL,
		at INTEGER NOT NULL
	);
	CREATE INDEX query_log_at ON query_log(at);
	ALTER TABLE documents ADD COLUMN text_hash TEXT NOT NULL DEFAULT '';`,
	// 4: 有效性 as a column, and a covering index for Items, so analytics never
	// reads the rows themselves (whose bodies live in overflow pages).
	`ALTER TABLE documents ADD COLUMN validity TEXT NOT NULL DEFAULT '';
	UPDATE documents SET validity = COALESCE(json_extract(meta, '$."有效性"'), '');
	CREATE INDEX documents_items ON documents(status, published, channel, source, column_name, category,
		publisher, title, doc_number, genre, text_hash, validity, written, id);`,
	// 5: validity normalised to one of Validities (backfillValidity), and the
	// notice that repeals a document (ApplyRepeals).
	`ALTER TABLE documents ADD COLUMN repealed_by TEXT NOT NULL DEFAULT '';
	UPDATE documents SET validity = '未注明' WHERE validity = '';`,
	// 6: the layouts the crawler learned of each host's article pages (body
	// container, date label, how many clean pages showed each), and how many
	// pages of a run were read with one.
	`CREATE TABLE site_templates (
		host TEXT NOT NULL,
		body TEXT NOT NULL,
		date_label TEXT NOT NULL DEFAULT '',
		pages INTEGER NOT NULL DEFAULT 0,
		updated INTEGER,
		PRIMARY KEY (host, body, date_label)
	);
	ALTER TABLE crawl_runs ADD COLUMN templated INTEGER NOT NULL DEFAULT 0;`,
	// 7: the thesaurus as staff edited it, and who changed what and when.
	`CREATE TABLE thesaurus (
		word TEXT PRIMARY KEY,
		official TEXT NOT NULL,
		updated_by TEXT NOT NULL,
		updated_at INTEGER NOT NULL
	);
	CREATE TABLE thesaurus_log (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		at INTEGER NOT NULL,
		user TEXT NOT NULL,
		word TEXT NOT NULL,
		before TEXT,
		after TEXT
	);`,
	// 8: the attachments the crawler fetched: what each file holds and the
	// validators of its next conditional request, per document and URL.
	`CREATE TABLE attachments (
		doc_id TEXT NOT NULL,
		url TEXT NOT NULL,
		name TEXT NOT NULL DEFAULT '',
		sha256 TEXT NOT NULL DEFAULT '',
		type TEXT NOT NULL DEFAULT '',
		bytes INTEGER NOT NULL DEFAULT 0,
		pages INTEGER NOT NULL DEFAULT 0,
		state TEXT NOT NULL DEFAULT '',
		reason TEXT NOT NULL DEFAULT '',
		text TEXT NOT NULL DEFAULT '',
		etag TEXT NOT NULL DEFAULT '',
		last_modified TEXT NOT NULL DEFAULT '',
		fetched_at INTEGER,
		PRIMARY KEY (doc_id, url)
	);
	CREATE INDEX attachments_sha256 ON attachments(sha256);`,
	// 9: alerts: the state last recorded per alert key, each change as an
	// event (payload: the alert as JSON), and its delivery on each channel.
	`CREATE TABLE alert_state (
		key TEXT PRIMARY KEY,
		state TEXT NOT NULL,
		since INTEGER NOT NULL
	);
	CREATE TABLE alert_events (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		at INTEGER NOT NULL,
		key TEXT NOT NULL,
		state TEXT NOT NULL,
		previous TEXT NOT NULL DEFAULT '',
		payload TEXT NOT NULL
	);
	CREATE INDEX alert_events_at ON alert_events(at);
	CREATE TABLE alert_deliveries (
		event_id INTEGER NOT NULL REFERENCES alert_events(id),
		channel TEXT NOT NULL,
		status TEXT NOT NULL,
		attempts INTEGER NOT NULL DEFAULT 0,
		error TEXT NOT NULL DEFAULT '',
		sent_at INTEGER,
		PRIMARY KEY (event_id, channel)
	);
	CREATE INDEX alert_deliveries_status ON alert_deliveries(channel, status);`,
	// 10: the unit (township, bureau) of every document and manual entry,
	// assigned by AssignUnits; manual entries read from a unit's list of
	// reports sent carry the list's path (origin); the items of an upper
	// portal its match rule turned away, with the reason, for staff.
	`ALTER TABLE documents ADD COLUMN unit TEXT NOT NULL DEFAULT '';
	DROP INDEX documents_items;
	CREATE INDEX documents_items ON documents(status, published, channel, source, column_name, category,
		publisher, title, doc_number, genre, text_hash, validity, written, unit, id);
	ALTER TABLE manual_entries ADD COLUMN unit TEXT NOT NULL DEFAULT '';
	ALTER TABLE manual_entries ADD COLUMN origin TEXT NOT NULL DEFAULT '';
	CREATE TABLE match_rejects (
		url TEXT PRIMARY KEY,
		source TEXT NOT NULL,
		title TEXT NOT NULL,
		published INTEGER,
		origin TEXT NOT NULL DEFAULT '',
		reason TEXT NOT NULL,
		seen INTEGER NOT NULL
	);
	CREATE INDEX match_rejects_source ON match_rejects(source);`,
	// 11: the annual report's staff tables (表三, 表四) cell by cell, and who
	// changed which cell from what to what, when, and how (web form or import).
	`CREATE TABLE report_cells (
		year INTEGER NOT NULL,
		tbl TEXT NOT NULL,
		row TEXT NOT NULL,
		col INTEGER NOT NULL,
		value INTEGER NOT NULL CHECK (value >= 0),
		updated_by TEXT NOT NULL,
		updated_at INTEGER NOT NULL,
		PRIMARY KEY (year, tbl, row, col)
	);
	CREATE TABLE report_cells_log (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		at INTEGER NOT NULL,
		user TEXT NOT NULL,
		via TEXT NOT NULL,
		year INTEGER NOT NULL,
		tbl TEXT NOT NULL,
		row TEXT NOT NULL,
		col INTEGER NOT NULL,
		before INTEGER,
		after INTEGER NOT NULL
	);
	CREATE INDEX report_cells_log_year ON report_cells_log(year, at);`,
	// 12: hot searches counted by distinct clients: a keyed hash of the
	// client's address (never the address), the queries staff hid from the
	// home page, and the installation's secrets (the hash key).
	`ALTER TABLE query_log ADD COLUMN client TEXT NOT NULL DEFAULT '';
	CREATE TABLE hot_hidden (
		query TEXT PRIMARY KEY,
		hidden_by TEXT NOT NULL,
		at INTEGER NOT NULL
	);
	CREATE TABLE secrets (
		name TEXT PRIMARY KEY,
		value BLOB NOT NULL
	);`,
	// 13: an alert delivery being sent is claimed (status sending, since
	// claimed_at), so two processes (a crawl beside serve) never send it twice.
	`ALTER TABLE alert_deliveries ADD COLUMN claimed_at INTEGER;`,
	// 14: documents purged by staff (a page withdrawn because it exposed
	// personal data): the tombstone that keeps a crawl or an ingest from
	// storing it again, and the audit log of purges and lifts.
	`CREATE TABLE tombstones (
		id TEXT PRIMARY KEY,
		url TEXT NOT NULL DEFAULT '',
		purged_at INTEGER NOT NULL,
		purged_by TEXT NOT NULL,
		reason TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX tombstones_url ON tombstones(url);
	CREATE TABLE audit_log (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		at INTEGER NOT NULL,
		who TEXT NOT NULL,
		action TEXT NOT NULL,
		doc_id TEXT NOT NULL,
		url TEXT NOT NULL DEFAULT '',
		title TEXT NOT NULL DEFAULT '',
		detail TEXT NOT NULL DEFAULT ''
	);`,
	// 15: the 大家常问 topics of the search page and the best bets (documents
	// staff pin to a query, by its folded form), both edited by staff; the
	// topics start as the list the code held before. Edits go to audit_log.
	`CREATE TABLE topics (
		query TEXT PRIMARY KEY,
		pos INTEGER NOT NULL,
		added_by TEXT NOT NULL,
		added_at INTEGER NOT NULL
	);
	INSERT INTO topics (query, pos, added_by, added_at) VALUES
		('低保', 1, '', 0), ('医保', 2, '', 0), ('养老', 3, '', 0), ('危房改造', 4, '', 0),
		('惠农补贴', 5, '', 0), ('救灾', 6, '', 0), ('村务公开', 7, '', 0);
	CREATE TABLE best_bets (
		query TEXT NOT NULL,
		doc_id TEXT NOT NULL,
		pinned_by TEXT NOT NULL,
		pinned_at INTEGER NOT NULL,
		PRIMARY KEY (query, doc_id)
	);`,
	// 16: staff sessions, so that a restart does not log everyone out; the
	// cookie's token is kept only as its SHA-256.
	`CREATE TABLE sessions (
		token_hash TEXT PRIMARY KEY,
		user TEXT NOT NULL,
		csrf TEXT NOT NULL,
		expires INTEGER NOT NULL
	);
	CREATE INDEX sessions_expires ON sessions(expires);`,
	// 17: the documents and manual entries AssignUnits has still to give a
	// unit, so that opening the store finds none without scanning them all.
	`CREATE INDEX documents_unassigned ON documents(id) WHERE unit = '';
	CREATE INDEX manual_entries_unassigned ON manual_entries(id) WHERE unit = '';`,
	// 18: an attachment's text is kept deflated in text_z (about a third of
	// its size); backfillAttachmentText converts the rows and drops text.
	`ALTER TABLE attachments ADD COLUMN text_z BLOB NOT NULL DEFAULT x'';`,
}

// backfills run in Go after the SQL of the migration to their version.
var backfills = map[int]func(context.Context, *sql.Tx) error{3: backfillTextHash, 5: backfillValidity, 18: backfillAttachmentText}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int { return len(migrations) }

// migrate applies migrations up to version upto, each in its own transaction
// together with the version bump, so a crash leaves a whole version.
func migrate(ctx context.Context, db *sql.DB, upto int) error {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this gongkai (%d): upgrade gongkai", v, len(migrations))
	}
	for ; v < upto; v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
		if backfill := backfills[v+1]; backfill != nil {
			if err := backfill(ctx, tx); err != nil {
				tx.Rollback()
				return fmt.Errorf("migrate to version %d: %w", v+1, err)
			}
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
	}
	return nil
}

// backfillTextHash fills text_hash for documents stored before version 3.
func backfillTextHash(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT id, title, body FROM documents")
	if err != nil {
		return err
	}
	type pair struct{ id, hash string }
	var todo []pair
	for rows.Next() {
		var d Document
		if err := rows.Scan(&d.ID, &d.Title, &d.Body); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, pair{d.ID, d.TextHash()})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range todo {
		if _, err := tx.ExecContext(ctx, "UPDATE documents SET text_hash = ? WHERE id = ?", p.hash, p.id); err != nil {
			return err
		}
	}
	return nil
}

// backfillValidity normalises the validity of documents stored before
// version 5 (the column held the 有效性 as written, which Meta keeps) and
// rehashes them, since the content hash now covers the validity.
func backfillValidity(ctx context.Context, tx *sql.Tx) error {
	// Columns added after version 5 do not exist yet; their values are empty.
	cols := strings.Replace(docColumns, ", unit", ", '' AS unit", 1)
	rows, err := tx.QueryContext(ctx, "SELECT "+cols+" FROM documents WHERE validity != '未注明'")
	if err != nil {
		return err
	}
	var docs []*Document
	for rows.Next() {
		d, _, err := scanDoc(rows)
		if err != nil {
			rows.Close()
			return err
		}
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range docs {
		d.Validity = "" // read again from Meta, where the old column came from
		normalizeValidity(d)
		if _, err := tx.ExecContext(ctx, "UPDATE documents SET validity = ?, content_hash = ? WHERE id = ?",
			d.Validity, d.ComputeHash(), d.ID); err != nil {
			return err
		}
	}
	return nil
}

// attTextChunk bounds the rows backfillAttachmentText holds at once.
const attTextChunk = 200

// backfillAttachmentText deflates into text_z the attachment text that
// versions before 18 kept plain in text, then drops that column.
func backfillAttachmentText(ctx context.Context, tx *sql.Tx) error {
	type row struct {
		id   int64
		text string
	}
	for last := int64(-1); ; {
		rows, err := tx.QueryContext(ctx, "SELECT rowid, text FROM attachments WHERE rowid > ? AND text != '' ORDER BY rowid LIMIT ?", last, attTextChunk)
		if err != nil {
			return err
		}
		var todo []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.text); err != nil {
				rows.Close()
				return err
			}
			todo = append(todo, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(todo) == 0 {
			break
		}
		for _, r := range todo {
			if _, err := tx.ExecContext(ctx, "UPDATE attachments SET text_z = ? WHERE rowid = ?", packedText{&r.text}, r.id); err != nil {
				return fmt.Errorf("attachment row %d: %w", r.id, err)
			}
		}
		last = todo[len(todo)-1].id
	}
	_, err := tx.ExecContext(ctx, "ALTER TABLE attachments DROP COLUMN text")
	return err
}
