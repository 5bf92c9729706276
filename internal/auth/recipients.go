package auth

import (
	"context"
	"fmt"
	"strings"

	"github.com/glasnost/glasnost/internal/db"
)

// Recipient is an account that mail goes to.
type Recipient struct {
	ID           int64
	Email        string
	Name         string
	DepartmentID int64
}

// Audience picks accounts to tell of something: the listed accounts, and
// the staff who match the department and role filters (both optional, but
// at least one must be given for the filter to pick anyone).
type Audience struct {
	// IDs are accounts picked by id, whatever their department or roles.
	IDs []int64
	// Departments limit the filter to staff of these departments.
	Departments []int64
	// Roles limit the filter to holders of one of these roles.
	Roles []string
}

// Recipients lists the enabled accounts with a confirmed address that the
// audience picks, each once, ordered by e-mail. Areas ask this instead of
// reading the accounts tables, which belong to this kernel.
func (s *Store) Recipients(ctx context.Context, q db.Querier, munID int64, au Audience) ([]Recipient, error) {
	var picks []string
	var args []any
	if len(au.IDs) > 0 {
		picks = append(picks, `a.id IN (`+db.Placeholders(len(au.IDs))+`)`)
		for _, id := range au.IDs {
			args = append(args, id)
		}
	}
	if len(au.Departments) > 0 || len(au.Roles) > 0 {
		var conds []string
		if len(au.Departments) > 0 {
			conds = append(conds, `a.department_id IN (`+db.Placeholders(len(au.Departments))+`)`)
			for _, id := range au.Departments {
				args = append(args, id)
			}
		}
		if len(au.Roles) > 0 {
			conds = append(conds, `EXISTS (SELECT 1 FROM account_roles r WHERE r.account_id = a.id AND r.role IN (`+db.Placeholders(len(au.Roles))+`))`)
			for _, r := range au.Roles {
				args = append(args, r)
			}
		}
		picks = append(picks, `(`+strings.Join(conds, ` AND `)+`)`)
	}
	if len(picks) == 0 {
		return nil, nil
	}
	args = append([]any{munID}, args...)
	rows, err := q.Query(ctx, `SELECT a.id, a.email, a.full_name, COALESCE(a.department_id, 0) FROM accounts a
 WHERE a.municipality_id = ? AND a.disabled = FALSE AND a.confirmed_at IS NOT NULL AND (`+strings.Join(picks, ` OR `)+`)
 ORDER BY a.email`, args...)
	if err != nil {
		return nil, fmt.Errorf("list recipients: %w", err)
	}
	defer rows.Close()
	var out []Recipient
	for rows.Next() {
		var r Recipient
		if err := rows.Scan(&r.ID, &r.Email, &r.Name, &r.DepartmentID); err != nil {
			return nil, fmt.Errorf("read recipient: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Emails are the recipients' addresses.
func Emails(rs []Recipient) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Email
	}
	return out
}
