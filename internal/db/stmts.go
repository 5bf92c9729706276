package db

import (
	"container/list"
	"context"
	"database/sql"
	"sync"
)

// maxCachedStatements bounds the reader's prepared statements. The
// portal's queries are a few hundred texts (a filter adds a variant, a
// list of n ids another), each kept prepared on at most every reader
// connection; past the bound the least recently used is dropped.
const maxCachedStatements = 512

// stmtCache keeps SQLite's read queries prepared, by their text. Parsing
// and planning a statement cost about a third of a simple query in the
// pure-Go SQLite (26 of 76 µs for a 20-row page, and 15 % of the search
// page's CPU), and pages run the same few texts again and again.
// PostgreSQL needs none: pgx keeps a statement cache per connection.
type stmtCache struct {
	db    *sql.DB
	max   int // maxCachedStatements; tests lower it
	mu    sync.Mutex
	byQ   map[string]*list.Element
	order list.List // of *cachedStmt, the most recently used first
}

type cachedStmt struct {
	q    string
	stmt *sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, max: maxCachedStatements, byQ: map[string]*list.Element{}}
}

// get returns q prepared, or nil when it cannot be (the caller then runs
// q unprepared, which reports the error the way an unprepared query does).
func (c *stmtCache) get(ctx context.Context, q string) *sql.Stmt {
	c.mu.Lock()
	if e, ok := c.byQ[q]; ok {
		c.order.MoveToFront(e)
		s := e.Value.(*cachedStmt).stmt
		c.mu.Unlock()
		return s
	}
	c.mu.Unlock()
	s, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byQ[q]; ok { // prepared meanwhile by another request
		s.Close()
		c.order.MoveToFront(e)
		return e.Value.(*cachedStmt).stmt
	}
	c.byQ[q] = c.order.PushFront(&cachedStmt{q: q, stmt: s})
	if c.order.Len() > c.max {
		old := c.order.Remove(c.order.Back()).(*cachedStmt)
		delete(c.byQ, old.q)
		// database/sql closes it on each connection once no query uses it.
		old.stmt.Close()
	}
	return s
}

// close closes every cached statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.byQ {
		e.Value.(*cachedStmt).stmt.Close()
	}
	c.byQ = map[string]*list.Element{}
	c.order.Init()
}
