package notify

import (
	"context"
	"fmt"

	"github.com/glasnost/glasnost/internal/db"
)

// Subscriptions records which spheres an account follows. Reference groups
// and residents use the same mechanism: an area that publishes something in
// a sphere asks for its followers.
type Subscriptions struct{ db *db.DB }

// NewSubscriptions returns the store.
func NewSubscriptions(d *db.DB) *Subscriptions { return &Subscriptions{db: d} }

// Set replaces an account's spheres.
func (s *Subscriptions) Set(ctx context.Context, accountID int64, sphereIDs []int64) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM subscriptions WHERE account_id = ?`, accountID); err != nil {
			return fmt.Errorf("clear subscriptions: %w", err)
		}
		for _, id := range sphereIDs {
			if _, err := tx.Exec(ctx, `INSERT INTO subscriptions (account_id, sphere_id, created_at) VALUES (?, ?, ?)`, accountID, id, s.db.Now()); err != nil {
				return fmt.Errorf("subscribe: %w", err)
			}
		}
		return nil
	})
}

// Of lists the sphere ids an account follows.
func (s *Subscriptions) Of(ctx context.Context, accountID int64) ([]int64, error) {
	rows, err := s.db.Query(ctx, `SELECT sphere_id FROM subscriptions WHERE account_id = ?`, accountID)
	if err != nil {
		return nil, fmt.Errorf("list subscriptions: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Followers returns the ids of the accounts following any of the spheres,
// each once. Whether an account may be written to (confirmed, enabled) and
// its address are auth's to say: the caller asks auth.Store.Recipients.
func (s *Subscriptions) Followers(ctx context.Context, q db.Querier, sphereIDs []int64) ([]int64, error) {
	if len(sphereIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(sphereIDs))
	for i, id := range sphereIDs {
		args[i] = id
	}
	rows, err := q.Query(ctx, `SELECT DISTINCT account_id FROM subscriptions WHERE sphere_id IN (`+db.Placeholders(len(args))+`) ORDER BY account_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list followers: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list followers: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
