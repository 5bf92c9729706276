package auth

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// DefaultTokenLifetime is how long an API token works unless its owner
// chose otherwise; MaxTokenLifetime bounds the choice.
const (
	DefaultTokenLifetime = 365 * 24 * time.Hour
	MaxTokenLifetime     = 2 * 365 * 24 * time.Hour
)

// APIToken is what the owner sees of a token: never the token itself,
// which is shown once when issued and kept only as a hash.
type APIToken struct {
	ID         int64
	Name       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt time.Time
}

// Expired reports whether the token no longer works at now.
func (t APIToken) Expired(now time.Time) bool { return !now.Before(t.ExpiresAt) }

// CreateAPIToken makes a bearer token for an account with the default
// lifetime; only its hash is kept.
func (s *Store) CreateAPIToken(ctx context.Context, accountID int64) (string, error) {
	return s.IssueAPIToken(ctx, s.DB, accountID, "", DefaultTokenLifetime)
}

// IssueAPIToken makes a named bearer token that works for ttl.
func (s *Store) IssueAPIToken(ctx context.Context, q db.Querier, accountID int64, name string, ttl time.Duration) (string, error) {
	if ttl <= 0 || ttl > MaxTokenLifetime {
		return "", fmt.Errorf("срок действия токена — от одного дня до %d дней", int(MaxTokenLifetime/(24*time.Hour)))
	}
	name = strings.TrimSpace(name)
	if len([]rune(name)) > 100 {
		return "", fmt.Errorf("название токена длиннее 100 знаков")
	}
	t := "gl_" + randomToken()
	now := s.DB.Now()
	if _, err := q.Exec(ctx, `INSERT INTO api_tokens (account_id, token_hash, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		accountID, hashToken(t), name, now, now.Add(ttl)); err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	return t, nil
}

// ByAPIToken finds the account of a bearer token that has not expired. The
// token's last use is recorded at most once an hour, so that its owner sees
// it without a write on every request.
func (s *Store) ByAPIToken(ctx context.Context, munID int64, token string) (Account, error) {
	now := s.DB.Now()
	h := hashToken(token)
	a, err := s.one(ctx, s.DB, `a.municipality_id = ? AND a.disabled = FALSE AND a.id = (SELECT account_id FROM api_tokens WHERE token_hash = ? AND expires_at > ?)`, munID, h, now)
	if err != nil {
		return a, err
	}
	if _, err := s.DB.Exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ? AND (last_used_at IS NULL OR last_used_at < ?)`, now, h, now.Add(-time.Hour)); err != nil {
		return a, fmt.Errorf("record token use: %w", err)
	}
	return a, nil
}

// APITokens lists an account's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, accountID int64) ([]APIToken, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, name, created_at, expires_at, last_used_at FROM api_tokens WHERE account_id = ? ORDER BY created_at DESC, id DESC`, accountID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var used sql.NullTime
		if err := rows.Scan(&t.ID, &t.Name, &t.CreatedAt, &t.ExpiresAt, &used); err != nil {
			return nil, fmt.Errorf("scan token: %w", err)
		}
		t.LastUsedAt = used.Time
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken deletes one of the account's tokens; a token of another
// account is not found.
func (s *Store) RevokeAPIToken(ctx context.Context, tx *db.Tx, accountID, tokenID int64) error {
	res, err := tx.Exec(ctx, `DELETE FROM api_tokens WHERE id = ? AND account_id = ?`, tokenID, accountID)
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("token %d: %w", tokenID, db.ErrNotFound)
	}
	return nil
}

// EndSessions ends every session and deletes every API token of an
// account: after a password reset, when it is disabled, or when it is
// deleted.
func (s *Store) EndSessions(ctx context.Context, tx *db.Tx, accountID int64) error {
	if _, err := tx.Exec(ctx, `UPDATE accounts SET session_epoch = session_epoch + 1 WHERE id = ?`, accountID); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM api_tokens WHERE account_id = ?`, accountID); err != nil {
		return fmt.Errorf("delete tokens: %w", err)
	}
	return nil
}
