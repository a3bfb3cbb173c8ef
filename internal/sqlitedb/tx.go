package sqlitedb

import (
	"context"
	"database/sql"
)

// Tx is a write transaction that prepares each statement once and reuses it across
// the rows of a batch (demo data, imports and sync pages write thousands of rows in
// one transaction). Exec, Query and QueryRow shadow *sql.Tx's with the same meaning;
// QueryContext and QueryRowContext do too, so a Tx reads like the reader pool.
type Tx struct {
	*sql.Tx
	ctx   context.Context
	stmts map[string]*sql.Stmt
}

// Context is the context the transaction runs under.
func (t *Tx) Context() context.Context { return t.ctx }

// Stmt returns the prepared statement of q, preparing it the first time.
func (t *Tx) Stmt(q string) (*sql.Stmt, error) {
	if st, ok := t.stmts[q]; ok {
		return st, nil
	}
	st, err := t.Tx.PrepareContext(t.ctx, q)
	if err != nil {
		return nil, err
	}
	t.stmts[q] = st
	return st, nil
}

// Exec runs q with args.
func (t *Tx) Exec(q string, args ...any) (sql.Result, error) {
	st, err := t.Stmt(q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(t.ctx, args...)
}

// Query runs q with args.
func (t *Tx) Query(q string, args ...any) (*sql.Rows, error) {
	st, err := t.Stmt(q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(t.ctx, args...)
}

// QueryRow runs q with args for one row.
func (t *Tx) QueryRow(q string, args ...any) *sql.Row {
	st, err := t.Stmt(q)
	if err != nil {
		// Surface the prepare error through Scan, as QueryRow does.
		return t.Tx.QueryRowContext(t.ctx, q, args...)
	}
	return st.QueryRowContext(t.ctx, args...)
}

// QueryContext is Query, under the transaction's context.
func (t *Tx) QueryContext(_ context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.Query(q, args...)
}

// QueryRowContext is QueryRow, under the transaction's context.
func (t *Tx) QueryRowContext(_ context.Context, q string, args ...any) *sql.Row {
	return t.QueryRow(q, args...)
}

// Prepared is how many statements the transaction has prepared.
func (t *Tx) Prepared() int { return len(t.stmts) }

// Write runs fn in one write transaction: all that fn writes commits together, or
// none of it.
func (db *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	sqlTx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return Classify(err)
	}
	t := &Tx{Tx: sqlTx, ctx: ctx, stmts: map[string]*sql.Stmt{}}
	err = fn(t)
	for _, st := range t.stmts {
		st.Close()
	}
	if err != nil {
		_ = sqlTx.Rollback()
		return Classify(err)
	}
	return Classify(sqlTx.Commit())
}

// Querier is what reads need: the reader pool, the writer, or a Tx.
type Querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}
