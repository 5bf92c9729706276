package deadline

import (
	"context"
	"fmt"
	"sync"

	"github.com/glasnost/glasnost/internal/db"
)

// Calendars are the municipalities' production calendars: the shipped one
// with each municipality's corrections by an administrator. Every area that
// counts a term asks For, so that a corrected day moves every deadline of the
// municipality alike.
type Calendars struct {
	db   *db.DB
	base Calendar

	mu    sync.Mutex
	cache map[int64]Calendar
}

// NewCalendars loads the shipped calendar; corrections are read from d.
func NewCalendars(d *db.DB) (*Calendars, error) {
	base, err := Default()
	if err != nil {
		return nil, fmt.Errorf("production calendar: %w", err)
	}
	return &Calendars{db: d, base: base, cache: map[int64]Calendar{}}, nil
}

// Shipped is the calendar without any municipality's corrections.
func (c *Calendars) Shipped() Calendar { return c.base }

// For returns the municipality's calendar with its corrections and its rule
// for a term ending on a day off (TermEnd).
func (c *Calendars) For(ctx context.Context, munID int64) (Calendar, error) {
	c.mu.Lock()
	cal, ok := c.cache[munID]
	c.mu.Unlock()
	if ok {
		return cal, nil
	}
	os, err := c.Overrides(ctx, munID)
	if err != nil {
		return Calendar{}, err
	}
	end, err := c.TermEnd(ctx, munID)
	if err != nil {
		return Calendar{}, err
	}
	cal = c.base.WithOverrides(os...).WithTermEnd(end)
	c.mu.Lock()
	c.cache[munID] = cal
	c.mu.Unlock()
	return cal, nil
}

// Overrides returns the municipality's corrections in date order.
func (c *Calendars) Overrides(ctx context.Context, munID int64) ([]Override, error) {
	rows, err := c.db.Query(ctx, `SELECT day, working, note FROM calendar_days WHERE municipality_id = ? ORDER BY day`, munID)
	if err != nil {
		return nil, fmt.Errorf("read calendar corrections: %w", err)
	}
	defer rows.Close()
	var out []Override
	for rows.Next() {
		var day string
		var o Override
		if err := rows.Scan(&day, &o.Working, &o.Note); err != nil {
			return nil, fmt.Errorf("read calendar correction: %w", err)
		}
		if o.Date, err = ParseDate(day); err != nil {
			return nil, fmt.Errorf("calendar correction %q: %w", day, err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// SetOverrides replaces the municipality's corrections in the caller's
// transaction. The cached calendar is dropped at once and again after the
// transaction commits, so a reader never keeps the old one.
func (c *Calendars) SetOverrides(ctx context.Context, tx *db.Tx, munID int64, os []Override) error {
	if _, err := tx.Exec(ctx, `DELETE FROM calendar_days WHERE municipality_id = ?`, munID); err != nil {
		return fmt.Errorf("clear calendar corrections: %w", err)
	}
	for _, o := range os {
		if err := o.validate(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO calendar_days (municipality_id, day, working, note) VALUES (?, ?, ?, ?)`,
			munID, o.Date.String(), o.Working, o.Note); err != nil {
			return fmt.Errorf("save calendar correction %s: %w", o.Date, err)
		}
	}
	c.Forget(munID)
	tx.AfterCommit(func() { c.Forget(munID) })
	return nil
}

// ForgetAll drops every cached calendar: another process on the same
// database may have corrected one.
func (c *Calendars) ForgetAll() {
	c.mu.Lock()
	clear(c.cache)
	c.mu.Unlock()
}

// Forget drops the cached calendar of a municipality.
func (c *Calendars) Forget(munID int64) {
	c.mu.Lock()
	delete(c.cache, munID)
	c.mu.Unlock()
}
