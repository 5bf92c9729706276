package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/web"
)

// Identity levels: how far the portal knows who the person behind an
// account is.
const (
	// IdentityEmail is a local account: an e-mail address (confirmed or
	// not) and a password.
	IdentityEmail = "email"
	// IdentityVerified: an identity provider (ЕСИА through its gateway,
	// a regional Keycloak) said at the last sign-in that it confirmed the
	// person's identity.
	IdentityVerified = "verified"
)

// IdentityLabel names a level in Russian, for staff pages.
func IdentityLabel(level string) string {
	switch level {
	case IdentityVerified:
		return "подтверждена через Госуслуги / единую учётную запись"
	case IdentityEmail:
		return "адрес электронной почты"
	}
	return "не записана"
}

// HasPassword reports whether the account can sign in with a password
// (an account made by signing in through a provider cannot).
func (a Account) HasPassword() bool { return a.passwordHash != "" && a.passwordHash != "!" }

// LinkedIdentity is an account's link to a provider's subject.
type LinkedIdentity struct {
	Issuer    string
	Subject   string
	Verified  bool
	LinkedAt  time.Time
	LastLogin time.Time
}

// ErrIdentityTaken: the provider's subject is linked to another account.
var ErrIdentityTaken = web.Invalid("Эта учётная запись Госуслуг (единая учётная запись) уже привязана к другой учётной записи портала.")

// ByIdentity finds the account linked to a provider's subject.
func (s *Store) ByIdentity(ctx context.Context, munID int64, issuer, subject string) (Account, error) {
	return s.one(ctx, s.DB, `a.municipality_id = ? AND a.id = (SELECT account_id FROM account_identities WHERE municipality_id = ? AND issuer = ? AND subject = ?)`,
		munID, munID, issuer, subject)
}

// CreateWithoutPassword inserts an account that signs in only through a
// provider, with its roles, in tx.
func (s *Store) CreateWithoutPassword(ctx context.Context, tx *db.Tx, a *Account) error {
	a.Email = NormalizeEmail(a.Email)
	var confirmed any
	if a.Confirmed {
		confirmed = s.DB.Now()
	}
	id, err := db.InsertID(ctx, tx, `INSERT INTO accounts (municipality_id, email, full_name, password_hash, confirmed_at, created_at) VALUES (?, ?, ?, '', ?, ?)`,
		a.MunicipalityID, a.Email, a.FullName, confirmed, s.DB.Now())
	if db.IsUniqueViolation(err) {
		return ErrEmailTaken
	}
	if err != nil {
		return fmt.Errorf("create account: %w", err)
	}
	a.ID = id
	return s.setRoles(ctx, tx, id, a.Roles)
}

// LinkIdentity links an account to a provider's subject (replacing an
// earlier link of the account to the same provider) and records what the
// provider said: the identity level, and the verified name, which then
// replaces the name the person typed.
func (s *Store) LinkIdentity(ctx context.Context, tx *db.Tx, munID, accountID int64, issuer, subject string, verified bool, fullName string) error {
	var owner int64
	err := tx.QueryRow(ctx, `SELECT account_id FROM account_identities WHERE municipality_id = ? AND issuer = ? AND subject = ?`, munID, issuer, subject).Scan(&owner)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.Exec(ctx, `DELETE FROM account_identities WHERE account_id = ? AND issuer = ?`, accountID, issuer); err != nil {
			return fmt.Errorf("replace identity link: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO account_identities (municipality_id, account_id, issuer, subject, verified, linked_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			munID, accountID, issuer, subject, verified, s.DB.Now(), s.DB.Now()); err != nil {
			if db.IsUniqueViolation(err) {
				return ErrIdentityTaken
			}
			return fmt.Errorf("link identity: %w", err)
		}
	case err != nil:
		return fmt.Errorf("read identity link: %w", err)
	case owner != accountID:
		return ErrIdentityTaken
	default:
		if _, err := tx.Exec(ctx, `UPDATE account_identities SET verified = ?, last_login_at = ? WHERE municipality_id = ? AND issuer = ? AND subject = ?`,
			verified, s.DB.Now(), munID, issuer, subject); err != nil {
			return fmt.Errorf("update identity link: %w", err)
		}
	}
	level := IdentityEmail
	if verified {
		level = IdentityVerified
	}
	if verified && fullName != "" {
		_, err = tx.Exec(ctx, `UPDATE accounts SET identity_level = ?, full_name = ? WHERE id = ? AND municipality_id = ?`, level, fullName, accountID, munID)
	} else {
		_, err = tx.Exec(ctx, `UPDATE accounts SET identity_level = ? WHERE id = ? AND municipality_id = ?`, level, accountID, munID)
	}
	if err != nil {
		return fmt.Errorf("set identity level: %w", err)
	}
	return nil
}

// Identities lists an account's links to providers.
func (s *Store) Identities(ctx context.Context, accountID int64) ([]LinkedIdentity, error) {
	rows, err := s.DB.Query(ctx, `SELECT issuer, subject, verified, linked_at, last_login_at FROM account_identities WHERE account_id = ? ORDER BY issuer`, accountID)
	if err != nil {
		return nil, fmt.Errorf("list identities: %w", err)
	}
	defer rows.Close()
	var out []LinkedIdentity
	for rows.Next() {
		var li LinkedIdentity
		var last sql.NullTime
		if err := rows.Scan(&li.Issuer, &li.Subject, &li.Verified, &li.LinkedAt, &last); err != nil {
			return nil, fmt.Errorf("read identity: %w", err)
		}
		li.LastLogin = last.Time
		out = append(out, li)
	}
	return out, rows.Err()
}
