package consult

// Blocks: residents and addresses barred from commenting, with the reason.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// Ban is a participant barred from commenting; lifting it keeps the record.
type Ban struct {
	ID        int64
	AccountID int64
	Email     string
	Reason    string
	CreatedAt time.Time
	LiftedAt  time.Time
}

// AddBlock bars an account or an e-mail address.
func (s *Store) AddBlock(ctx context.Context, tx *db.Tx, munID int64, b *Ban, by int64) error {
	b.CreatedAt = s.DB.Now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO consult_blocks (municipality_id, account_id, email, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		munID, nullID(b.AccountID), strings.ToLower(b.Email), b.Reason, nullID(by), b.CreatedAt)
	if err != nil {
		return fmt.Errorf("add block: %w", err)
	}
	b.ID = id
	return nil
}

// LiftBlock ends a block; the record stays.
func (s *Store) LiftBlock(ctx context.Context, tx *db.Tx, munID, id, by int64) error {
	res, err := tx.Exec(ctx, `UPDATE consult_blocks SET lifted_by = ?, lifted_at = ? WHERE municipality_id = ? AND id = ? AND lifted_at IS NULL`, nullID(by), s.DB.Now(), munID, id)
	if err != nil {
		return fmt.Errorf("lift block %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("block %d: %w", id, db.ErrNotFound)
	}
	return nil
}

// Blocks lists a municipality's blocks, active first.
func (s *Store) Blocks(ctx context.Context, munID int64, limit, offset int) ([]Ban, int, error) {
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM consult_blocks WHERE municipality_id = ?`, munID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count blocks: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT id, COALESCE(account_id, 0), email, reason, created_at, lifted_at FROM consult_blocks WHERE municipality_id = ?
		ORDER BY CASE WHEN lifted_at IS NULL THEN 0 ELSE 1 END, id DESC LIMIT ? OFFSET ?`, munID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list blocks: %w", err)
	}
	defer rows.Close()
	var out []Ban
	for rows.Next() {
		var b Ban
		var lifted sql.NullTime
		if err := rows.Scan(&b.ID, &b.AccountID, &b.Email, &b.Reason, &b.CreatedAt, &lifted); err != nil {
			return nil, 0, err
		}
		b.LiftedAt = lifted.Time
		out = append(out, b)
	}
	return out, total, rows.Err()
}

// Blocked reports whether an account or address is barred now.
func (s *Store) Blocked(ctx context.Context, munID, accountID int64, email string) (bool, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM consult_blocks WHERE municipality_id = ? AND lifted_at IS NULL AND ((account_id IS NOT NULL AND account_id = ?) OR (email <> '' AND email = ?))`,
		munID, accountID, strings.ToLower(strings.TrimSpace(email))).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check block: %w", err)
	}
	return n > 0, nil
}
