package db

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Several glasnost processes on one PostgreSQL database keep their page
// caches coherent through LISTEN/NOTIFY: each write announces its tags on
// one channel, and every process drops the pages that read them. A
// transaction's announcement is part of the transaction, so PostgreSQL
// delivers it when (and only if) it commits; the other processes hear it
// within milliseconds.

// pagesChannel is the NOTIFY channel of page-cache invalidations.
const pagesChannel = "glasnost_pages"

// firstSchema is the schema that new tables go to under searchPath.
func firstSchema(searchPath string) string {
	first, _, _ := strings.Cut(searchPath, ",")
	first = strings.TrimSpace(first)
	if first == "" || first == `"$user"` || first == "$user" {
		return "public" // the common default: no per-user schemas here
	}
	return strings.Trim(first, `"`)
}

// pagesChannelOf is the channel of the installation in schema. NOTIFY
// reaches every session of the database whatever its search_path, so two
// installations in two schemas of one database (the tests run that way)
// would otherwise empty each other's caches with every write.
func pagesChannelOf(schema string) string {
	if schema == "" || schema == "public" {
		return pagesChannel
	}
	ch := pagesChannel + "_" + schema
	if len(ch) > 63 { // PostgreSQL truncates longer identifiers
		sum := sha256.Sum256([]byte(schema))
		ch = pagesChannel + "_" + hex.EncodeToString(sum[:12])
	}
	return ch
}

func newNodeID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// publish announces tags to the other processes; in tx when given.
func (d *DB) publish(ctx context.Context, tags []string, tx *sql.Tx) {
	payload := d.node + " " + strings.Join(tags, ",")
	if len(payload) > 7000 { // NOTIFY takes at most 8000 bytes
		payload = d.node + " " + Everything
	}
	var err error
	if tx != nil {
		_, err = tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, d.channel, payload)
	} else {
		_, err = d.pool.Exec(context.WithoutCancel(ctx), `SELECT pg_notify($1, $2)`, d.channel, payload)
	}
	if err != nil {
		// The other processes keep the pages until their lifetime ends (a
		// minute); say so rather than fail a write that succeeded.
		slog.Warn("page cache: could not announce a change to other processes", "err", err)
	}
}

// Listen passes the tags that other processes on the same PostgreSQL
// database announce (every process announces its writes, commands such as
// "glasnost roadmap import" included) to fn,
// until ctx ends. It returns once it listens. When the connection that
// listens is lost, fn gets Everything (announcements may have been missed
// meanwhile) and it connects again. On SQLite, which one process owns, it
// does nothing.
func (d *DB) Listen(ctx context.Context, fn func(tags []string)) error {
	if d.Dialect != Postgres {
		return nil
	}
	conn, err := d.listenConn(ctx)
	if err != nil {
		return err
	}
	go func() {
		for {
			d.receive(ctx, conn, fn)
			conn.Close(context.Background())
			for ctx.Err() == nil {
				fn([]string{Everything})
				if conn, err = d.listenConn(ctx); err == nil {
					fn([]string{Everything}) // what changed while we reconnected
					break
				}
				slog.Warn("page cache: cannot listen for other processes' changes", "err", err)
				select {
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
			}
			if ctx.Err() != nil {
				return
			}
		}
	}()
	return nil
}

func (d *DB) listenConn(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, d.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, fmt.Errorf("connect to listen: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{d.channel}.Sanitize()); err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("listen: %w", err)
	}
	return conn, nil
}

// receive passes announcements to fn until the connection fails or ctx ends.
func (d *DB) receive(ctx context.Context, conn *pgx.Conn, fn func([]string)) {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() == nil {
				slog.Warn("page cache: lost the connection that listens for other processes' changes", "err", err)
			}
			return
		}
		node, tags, ok := strings.Cut(n.Payload, " ")
		if !ok || node == d.node || tags == "" {
			continue // our own write, already applied
		}
		fn(strings.Split(tags, ","))
	}
}
