// Package events is the append-only record of public events — an act
// published, a consultation opened or closed, a meeting held, a report
// published. Areas write an event in the same transaction as their change;
// the roadmap counts events as evidence, and feeds read them.
package events

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// Event is one public fact. It never carries personal data.
type Event struct {
	ID             int64
	MunicipalityID int64
	Kind           Kind
	ObjectType     string
	ObjectID       string
	Title          string
	URL            string
	Spheres        []string
	OccurredAt     time.Time
}

// Record appends an event in the caller's transaction.
func Record(ctx context.Context, q db.Querier, e Event) error {
	if !Known(e.Kind) {
		return fmt.Errorf("record event: undeclared kind %q", e.Kind)
	}
	_, err := q.Exec(ctx, `INSERT INTO public_events (municipality_id, kind, object_type, object_id, title, url, spheres, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.MunicipalityID, string(e.Kind), e.ObjectType, e.ObjectID, e.Title, e.URL, strings.Join(e.Spheres, ","), e.OccurredAt.UTC())
	if err != nil {
		return fmt.Errorf("record event %s: %w", e.Kind, err)
	}
	return nil
}

// Query selects events of some kinds within a time window.
type Query struct {
	MunicipalityID int64
	// Municipalities, when set, replaces MunicipalityID: the events of any
	// of them (the regional report reads a whole region at once).
	Municipalities []int64
	Kinds          []Kind
	// ObjectType and ObjectID, when both set, keep the events of one
	// object (read through the index on them, so that a page asking about
	// its own object does not read the events of every other).
	ObjectType, ObjectID string
	From, To             time.Time
	Limit                int
}

// List returns matching events, oldest first.
func List(ctx context.Context, d *db.DB, q Query) ([]Event, error) {
	where := `WHERE municipality_id = ?`
	args := []any{q.MunicipalityID}
	if len(q.Municipalities) > 0 {
		where = `WHERE municipality_id IN (` + db.Placeholders(len(q.Municipalities)) + `)`
		args = args[:0]
		for _, id := range q.Municipalities {
			args = append(args, id)
		}
	}
	if len(q.Kinds) > 0 {
		where += ` AND kind IN (` + db.Placeholders(len(q.Kinds)) + `)`
		for _, k := range q.Kinds {
			args = append(args, string(k))
		}
	}
	if q.ObjectType != "" && q.ObjectID != "" {
		where += ` AND object_type = ? AND object_id = ?`
		args = append(args, q.ObjectType, q.ObjectID)
	}
	if !q.From.IsZero() {
		where += ` AND occurred_at >= ?`
		args = append(args, q.From.UTC())
	}
	if !q.To.IsZero() {
		where += ` AND occurred_at < ?`
		args = append(args, q.To.UTC())
	}
	limit := q.Limit
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	rows, err := d.Query(ctx, `SELECT id, municipality_id, kind, object_type, object_id, title, url, spheres, occurred_at FROM public_events `+where+` ORDER BY occurred_at, id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var spheres string
		if err := rows.Scan(&e.ID, &e.MunicipalityID, &e.Kind, &e.ObjectType, &e.ObjectID, &e.Title, &e.URL, &spheres, &e.OccurredAt); err != nil {
			return nil, err
		}
		if spheres != "" {
			e.Spheres = strings.Split(spheres, ",")
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
