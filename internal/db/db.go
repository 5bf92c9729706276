// Package db opens the embedded SQLite database or PostgreSQL, applies the
// per-engine migrations, and hides the few dialect differences behind one API
// so that areas write one set of queries.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Dialect names the engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// ErrNotFound is returned by stores when a row does not exist; callers map it
// to 404 in one place.
var ErrNotFound = errors.New("not found")

// Clock gives the current time; tests inject a fixed one.
type Clock func() time.Time

// SystemClock is the wall clock truncated to seconds in UTC, so that stored
// timestamps compare the same way on both engines.
func SystemClock() time.Time { return time.Now().UTC().Truncate(time.Second) }

// DB is a database with a writer and a reader pool. On SQLite the writer has
// exactly one connection (SQLite allows one writer at a time, and a queue in
// Go is cheaper than busy retries); on PostgreSQL both are the same pool.
type DB struct {
	Dialect Dialect
	Write   *sql.DB
	Read    *sql.DB
	Now     Clock
	// OnWrite is called after every write through this DB (a statement, a
	// committed transaction) with the tags of what it changed (WriteTags:
	// table names, or Everything); the anonymous page cache drops the pages
	// that read those tables. Writes of quiet tables only do not call it.
	OnWrite func(tags []string)
	pool    *pgxpool.Pool
	// node names this process in the invalidations it announces to other
	// processes on the same PostgreSQL database (see Listen).
	node string
	// channel is the NOTIFY channel of this database's schema.
	channel string
	// stmts keeps the reader's queries prepared (SQLite only).
	stmts *stmtCache
}

// wrote reports a write of tables (nil: not known) to OnWrite and, on
// PostgreSQL with a listener, to the other processes. inTx, when given,
// carries the announcement in the transaction itself, so that it is
// delivered exactly when the transaction commits.
func (d *DB) wrote(ctx context.Context, tables []string, inTx *sql.Tx) {
	tags := WriteTags(tables)
	if len(tags) == 0 {
		return
	}
	if d.Dialect == Postgres {
		d.publish(ctx, tags, inTx)
	}
	if inTx == nil && d.OnWrite != nil {
		d.OnWrite(tags)
	}
}

// IsPostgres reports whether the URL names a PostgreSQL database.
func IsPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// Open opens the database named by url: a postgres:// URL or a SQLite file path.
func Open(ctx context.Context, url string) (*DB, error) {
	if IsPostgres(url) {
		return openPostgres(ctx, url)
	}
	return openSQLite(ctx, url)
}

// sqliteMmapSize is how much of a SQLite database file each connection
// maps (see openSQLite for why). It covers the search tables, which lie in
// the first ~140 MB at a hundred times the demo's data, and no more: each
// connection maps the file on its own, and a page read through several
// mappings counts once per mapping in the resident size (the whole 1 GB
// file mapped showed 6.5 GB resident with 0.9 GB in use).
const sqliteMmapSize = 256 << 20

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	// busy_timeout must come before journal_mode so that switching to WAL
	// waits for other connections instead of failing. mmap_size lets each
	// connection read the database file through a memory map instead of
	// its page cache: SQLite as modernc builds it (ENABLE_MEMORY_MANAGEMENT)
	// keeps the page caches of all connections under one mutex, and
	// concurrent searches of a large index (bm25 reads a row of document
	// sizes per match) queued on it (docs/benchmarks.md).
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(ON)&_pragma=synchronous(NORMAL)&_pragma=mmap_size(" + strconv.Itoa(sqliteMmapSize) + ")&_time_format=sqlite"
	w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite writer: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite reader: %w", err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	d := &DB{Dialect: SQLite, Write: w, Read: r, Now: SystemClock, stmts: newStmtCache(r)}
	if err := d.Ping(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse postgres url: %w", err)
	}
	if cfg.MaxConns < 10 {
		cfg.MaxConns = 10
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect postgres: %w", err)
	}
	sdb := stdlib.OpenDBFromPool(pool)
	d := &DB{Dialect: Postgres, Write: sdb, Read: sdb, Now: SystemClock, pool: pool, node: newNodeID()}
	if err := d.Ping(ctx); err != nil {
		d.Close()
		return nil, err
	}
	// The schema named in the URL, not current_schema(): a restore opens a
	// database whose schema it has yet to create.
	d.channel = pagesChannelOf(firstSchema(cfg.ConnConfig.RuntimeParams["search_path"]))
	return d, nil
}

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.Read.PingContext(ctx); err != nil {
		return fmt.Errorf("database does not answer: %w", err)
	}
	return nil
}

// Close closes the pools.
func (d *DB) Close() error {
	var errs []error
	if d.stmts != nil {
		d.stmts.close()
	}
	if d.Read != d.Write {
		errs = append(errs, d.Read.Close())
	}
	errs = append(errs, d.Write.Close())
	if d.pool != nil {
		d.pool.Close()
	}
	return errors.Join(errs...)
}

// Rebind turns the ? placeholders of a query into $1, $2, … for PostgreSQL.
// Queries are written once, with ?, and never contain a literal question mark.
func (d *DB) Rebind(q string) string {
	if d.Dialect != Postgres {
		return q
	}
	return rebindDollar(q)
}

func rebindDollar(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Exec runs a statement on the writer.
func (d *DB) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	res, err := d.Write.ExecContext(ctx, d.Rebind(q), args...)
	// A statement that failed or changed no row leaves every page as it was:
	// periodic jobs that find nothing to do (expired sessions, due
	// publications) must not empty the page cache every time they run.
	if err == nil {
		if n, rerr := res.RowsAffected(); rerr != nil || n > 0 {
			if st := tablesOf(q); len(st.writes) > 0 || !st.selectOnly {
				d.wrote(ctx, st.writes, nil)
			}
		}
	}
	return res, err
}

// Query runs a query on the reader pool. The tables it reads are noted in
// the context's ReadSet, if any (the page cache's tags).
func (d *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	noteReads(ctx, q)
	if s := d.prepared(ctx, q); s != nil {
		rows, err := s.QueryContext(ctx, args...)
		if !stmtClosed(err) {
			return rows, err
		}
	}
	return d.Read.QueryContext(ctx, d.Rebind(q), args...)
}

// QueryRow runs a single-row query on the reader pool, noting its tables
// like Query.
func (d *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	noteReads(ctx, q)
	if s := d.prepared(ctx, q); s != nil {
		if row := s.QueryRowContext(ctx, args...); !stmtClosed(row.Err()) {
			return row
		}
	}
	return d.Read.QueryRowContext(ctx, d.Rebind(q), args...)
}

// prepared returns q prepared on the reader, or nil where statements are
// not cached (PostgreSQL) or q cannot be prepared.
func (d *DB) prepared(ctx context.Context, q string) *sql.Stmt {
	if d.stmts == nil {
		return nil
	}
	return d.stmts.get(ctx, q)
}

// stmtClosed reports database/sql's error for a statement closed before
// its use: one that the cache dropped between handing it out and the
// query, which then runs unprepared. database/sql does not export the
// error, so its text is compared.
func stmtClosed(err error) bool { return err != nil && err.Error() == "sql: statement is closed" }

// Tx is a write transaction that rebinds queries like DB does. It collects
// the tables its statements write, announced when it commits; statements
// must go through its methods (Exec, Query, QueryRow), not the embedded
// *sql.Tx's, or the page cache does not learn what changed.
type Tx struct {
	*sql.Tx
	d           *DB
	afterCommit []func()
	ran         bool     // a statement ran through the wrappers
	written     []string // tables written
}

func (t *Tx) note(q string, rowsChanged bool) {
	t.ran = true
	st := tablesOf(q)
	if !rowsChanged {
		return
	}
	if len(st.writes) == 0 && !st.selectOnly {
		st.writes = []string{Everything} // a statement we cannot read: assume the worst
	}
	for _, w := range st.writes {
		if !slices.Contains(t.written, w) {
			t.written = append(t.written, w)
		}
	}
}

// Wrote records that the transaction wrote tables through the embedded
// *sql.Tx (a library given the transaction, such as the job queue's
// insert), so that the page cache learns what changed rather than assume
// everything did.
func (t *Tx) Wrote(tables ...string) {
	t.ran = true
	for _, w := range tables {
		if !slices.Contains(t.written, w) {
			t.written = append(t.written, w)
		}
	}
}

// AfterCommit runs fn once the transaction has committed; never when it
// rolls back. Caches use it to drop what the transaction changed.
func (t *Tx) AfterCommit(fn func()) { t.afterCommit = append(t.afterCommit, fn) }

// Exec runs a statement in the transaction.
func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	res, err := t.Tx.ExecContext(ctx, t.d.Rebind(q), args...)
	if err == nil {
		n, rerr := res.RowsAffected()
		t.note(q, rerr != nil || n > 0)
	}
	return res, err
}

// Query runs a query in the transaction (a write when it is INSERT …
// RETURNING and the like).
func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	noteReads(ctx, q)
	t.note(q, true)
	return t.Tx.QueryContext(ctx, t.d.Rebind(q), args...)
}

// QueryRow runs a single-row query in the transaction.
func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	noteReads(ctx, q)
	t.note(q, true)
	return t.Tx.QueryRowContext(ctx, t.d.Rebind(q), args...)
}

// DB returns the database the transaction belongs to.
func (t *Tx) DB() *DB { return t.d }

// InTx runs fn in a write transaction, committing when fn returns nil.
func (d *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	stx, err := d.Write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	tx := &Tx{Tx: stx, d: d}
	if err := fn(tx); err != nil {
		_ = stx.Rollback()
		return err
	}
	// nil: not known (nothing went through the wrappers, so the transaction
	// may have written through the embedded *sql.Tx): assume anything changed.
	var written []string
	if tx.ran {
		written = append([]string{}, tx.written...)
	}
	changed := written == nil || len(written) > 0
	if changed {
		// The announcement to other processes commits with the transaction.
		d.wrote(ctx, written, stx)
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if changed && d.OnWrite != nil {
		if tags := WriteTags(written); len(tags) > 0 {
			d.OnWrite(tags)
		}
	}
	for _, f := range tx.afterCommit {
		f()
	}
	return nil
}

// Querier is what both DB and Tx offer, so that store functions can run
// inside or outside a transaction.
type Querier interface {
	Exec(ctx context.Context, q string, args ...any) (sql.Result, error)
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// InsertID runs an INSERT … RETURNING id and returns the id. Given the DB
// itself rather than a transaction, it uses the writer: a RETURNING query is
// a write even though it reads a row back.
func InsertID(ctx context.Context, q Querier, query string, args ...any) (int64, error) {
	var id int64
	var row *sql.Row
	if d, ok := q.(*DB); ok {
		row = d.WriteRow(ctx, query+" RETURNING id", args...)
	} else {
		row = q.QueryRow(ctx, query+" RETURNING id", args...)
	}
	if err := row.Scan(&id); err != nil {
		return 0, err
	}
	return id, nil
}

// WriteRow runs a single-row statement that writes (INSERT/UPDATE …
// RETURNING) on the writer.
func (d *DB) WriteRow(ctx context.Context, q string, args ...any) *sql.Row {
	row := d.Write.QueryRowContext(ctx, d.Rebind(q), args...)
	d.wrote(ctx, tablesOf(q).writes, nil)
	return row
}

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either engine, so that handlers can tell the user the value is taken.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505") || strings.Contains(s, "duplicate key value")
}

// Placeholders returns "?, ?, ?" for n arguments.
func Placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Like escapes a user string for a LIKE pattern with ESCAPE '\'.
func Like(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
