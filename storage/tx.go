package storage

import (
	"context"
	"fmt"

	"github.com/lapordesk/lapordesk/internal/sqlitedb"
)

// wtx is a write transaction (prepared statements reused across the rows of a
// batch) that also queues the search index's changes.
type wtx struct {
	*sqlitedb.Tx
	// fts queues search-index changes until the end of the transaction: FTS5
	// flushes its pending terms at every statement savepoint, so index writes
	// interleaved with other statements would cost a flush (and a merge) per row.
	fts []ftsOp
}

type ftsOp struct {
	del  bool
	rid  int64
	text [4]string // title, body, location_text, category_path
}

// flushFTS applies the queued search-index changes, in order.
func (t *wtx) flushFTS() error {
	for _, op := range t.fts {
		q := "INSERT INTO report_fts (rowid, title, body, location_text, category_path) VALUES (?, ?, ?, ?, ?)"
		if op.del {
			q = "INSERT INTO report_fts (report_fts, rowid, title, body, location_text, category_path) VALUES ('delete', ?, ?, ?, ?, ?)"
		}
		if _, err := t.Exec(q, op.rid, op.text[0], op.text[1], op.text[2], op.text[3]); err != nil {
			return fmt.Errorf("update search index: %w", err)
		}
	}
	t.fts = t.fts[:0]
	return nil
}

// write runs fn in one write transaction with statement reuse.
func (s *Store) write(ctx context.Context, fn func(*wtx) error) error {
	return s.db.Write(ctx, func(tx *sqlitedb.Tx) error {
		t := &wtx{Tx: tx}
		if err := fn(t); err != nil {
			return err
		}
		return t.flushFTS()
	})
}
