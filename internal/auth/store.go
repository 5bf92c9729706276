package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/web"
)

// Account is a person who can sign in.
type Account struct {
	ID             int64
	MunicipalityID int64
	Email          string
	FullName       string
	DepartmentID   int64
	Department     string
	Roles          []string
	Confirmed      bool
	Disabled       bool
	CreatedAt      time.Time
	// SessionEpoch is copied into each session at login; EndSessions
	// raises it, which ends every session opened before.
	SessionEpoch int64
	// IdentityLevel is IdentityEmail or IdentityVerified (identity.go).
	IdentityLevel string
	passwordHash  string
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// Errors shown to users.
var (
	ErrEmailTaken      = web.Invalid("Учётная запись с таким адресом уже есть.")
	ErrBadCredentials  = web.Invalid("Неверный адрес электронной почты или пароль.")
	ErrNotConfirmed    = web.Invalid("Адрес электронной почты не подтверждён. Откройте ссылку из письма.")
	ErrPasswordShort   = web.Invalid(fmt.Sprintf("Пароль должен быть не короче %d символов.", MinPasswordLength))
	ErrTokenInvalid    = web.Invalid("Ссылка недействительна или устарела. Запросите новую.")
	ErrUnknownRole     = web.Invalid("Неизвестная роль.")
	ErrAccountDisabled = web.Invalid("Учётная запись заблокирована.")
)

// HashPassword hashes with bcrypt.
func HashPassword(pw string) (string, error) {
	if err := CheckPassword(pw); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// NormalizeEmail lower-cases and trims an address.
func NormalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// Store reads and writes accounts.
type Store struct {
	DB *db.DB

	detachers []Detacher
}

// Create inserts an account with its roles in tx.
func (s *Store) Create(ctx context.Context, tx *db.Tx, a *Account, password string) error {
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.CreateHashed(ctx, tx, a, hash)
}

// CreateHashed is Create with the password already hashed by HashPassword.
// Accounts made in a batch with one password (the demo's staff) share one
// hash: bcrypt takes about 0.1 s a hash, and ten times that under the race
// detector, where hashing every demo account was most of loading the demo.
func (s *Store) CreateHashed(ctx context.Context, tx *db.Tx, a *Account, hash string) error {
	// A password passed here by mistake would be stored as it is typed.
	if _, err := bcrypt.Cost([]byte(hash)); err != nil {
		return fmt.Errorf("create account: the password is not hashed: %w", err)
	}
	for _, r := range a.Roles {
		if !ValidRole(r) {
			return fmt.Errorf("%w (%s)", ErrUnknownRole, r)
		}
	}
	a.Email = NormalizeEmail(a.Email)
	var dept any
	if a.DepartmentID != 0 {
		dept = a.DepartmentID
	}
	var confirmed any
	if a.Confirmed {
		confirmed = s.DB.Now()
	}
	id, err := db.InsertID(ctx, tx, `INSERT INTO accounts (municipality_id, email, full_name, password_hash, department_id, confirmed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.MunicipalityID, a.Email, a.FullName, hash, dept, confirmed, s.DB.Now())
	if db.IsUniqueViolation(err) {
		return ErrEmailTaken
	}
	if err != nil {
		return fmt.Errorf("create account: %w", err)
	}
	a.ID = id
	return s.setRoles(ctx, tx, id, a.Roles)
}

func (s *Store) setRoles(ctx context.Context, tx *db.Tx, id int64, roles []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM account_roles WHERE account_id = ?`, id); err != nil {
		return fmt.Errorf("clear roles: %w", err)
	}
	seen := map[string]bool{}
	for _, r := range roles {
		if seen[r] {
			continue
		}
		seen[r] = true
		if !ValidRole(r) {
			return fmt.Errorf("%w (%s)", ErrUnknownRole, r)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO account_roles (account_id, role) VALUES (?, ?)`, id, r); err != nil {
			return fmt.Errorf("add role: %w", err)
		}
	}
	return nil
}

// SetRole gives the account the role (on) or takes it away (off) in tx,
// leaving its other roles; it reports whether anything changed.
func (s *Store) SetRole(ctx context.Context, tx *db.Tx, accountID int64, role string, on bool) (bool, error) {
	if !ValidRole(role) {
		return false, fmt.Errorf("%w (%s)", ErrUnknownRole, role)
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM account_roles WHERE account_id = ? AND role = ?`, accountID, role).Scan(&n); err != nil {
		return false, fmt.Errorf("read role: %w", err)
	}
	switch {
	case on && n == 0:
		if _, err := tx.Exec(ctx, `INSERT INTO account_roles (account_id, role) VALUES (?, ?)`, accountID, role); err != nil {
			return false, fmt.Errorf("add role: %w", err)
		}
	case !on && n > 0:
		if _, err := tx.Exec(ctx, `DELETE FROM account_roles WHERE account_id = ? AND role = ?`, accountID, role); err != nil {
			return false, fmt.Errorf("remove role: %w", err)
		}
	default:
		return false, nil
	}
	return true, nil
}

// Update changes an account's name, department, roles and disabled flag.
func (s *Store) Update(ctx context.Context, tx *db.Tx, a Account) error {
	var dept any
	if a.DepartmentID != 0 {
		dept = a.DepartmentID
	}
	var wasDisabled bool
	if err := tx.QueryRow(ctx, `SELECT disabled FROM accounts WHERE id = ? AND municipality_id = ?`, a.ID, a.MunicipalityID).Scan(&wasDisabled); err != nil {
		return fmt.Errorf("read account %d: %w", a.ID, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE accounts SET full_name = ?, department_id = ?, disabled = ? WHERE id = ? AND municipality_id = ?`,
		a.FullName, dept, a.Disabled, a.ID, a.MunicipalityID); err != nil {
		return fmt.Errorf("update account: %w", err)
	}
	if a.Disabled && !wasDisabled {
		// Disabling ends every session and token for good: enabling the
		// account again must not revive them.
		if err := s.EndSessions(ctx, tx, a.ID); err != nil {
			return err
		}
	}
	return s.setRoles(ctx, tx, a.ID, a.Roles)
}

const accountColumns = `a.id, a.municipality_id, a.email, a.full_name, COALESCE(a.department_id, 0), COALESCE(d.name, ''), a.confirmed_at IS NOT NULL, a.disabled, a.created_at, a.session_epoch, a.identity_level, a.password_hash`

func scanAccount(row interface{ Scan(...any) error }) (Account, error) {
	var a Account
	err := row.Scan(&a.ID, &a.MunicipalityID, &a.Email, &a.FullName, &a.DepartmentID, &a.Department, &a.Confirmed, &a.Disabled, &a.CreatedAt, &a.SessionEpoch, &a.IdentityLevel, &a.passwordHash)
	return a, err
}

func (s *Store) one(ctx context.Context, q db.Querier, where string, args ...any) (Account, error) {
	a, err := scanAccount(q.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts a LEFT JOIN departments d ON d.id = a.department_id WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("account: %w", db.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("read account: %w", err)
	}
	a.Roles, err = s.roles(ctx, q, a.ID)
	return a, err
}

func (s *Store) roles(ctx context.Context, q db.Querier, id int64) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT role FROM account_roles WHERE account_id = ? ORDER BY role`, id)
	if err != nil {
		return nil, fmt.Errorf("read roles: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Names returns the full names of a municipality's accounts by id, in one
// query, whatever their state: a disabled employee still signed what they
// did. Areas fill the names of a page of records with it instead of
// joining the accounts table.
func (s *Store) Names(ctx context.Context, q db.Querier, munID int64, ids []int64) (map[int64]string, error) {
	return s.column(ctx, q, munID, ids, "full_name")
}

// Emails returns the e-mail addresses of a municipality's accounts by id, in
// one query, for staff pages that show whom a record belongs to (an expert's
// address on the verification list). It is not a mailing list: letters go
// through Recipients, which leaves out whoever may not be written to.
func (s *Store) Emails(ctx context.Context, q db.Querier, munID int64, ids []int64) (map[int64]string, error) {
	return s.column(ctx, q, munID, ids, "email")
}

// column reads one text column of the accounts with the given ids; col is
// one of the constants above, never user input.
func (s *Store) column(ctx context.Context, q db.Querier, munID int64, ids []int64, col string) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	var args []any
	seen := map[int64]bool{}
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			args = append(args, id)
		}
	}
	if len(args) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, `SELECT id, `+col+` FROM accounts WHERE municipality_id = ? AND id IN (`+db.Placeholders(len(args))+`)`, append([]any{munID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("read accounts' %s: %w", col, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			return nil, fmt.Errorf("read accounts' %s: %w", col, err)
		}
		out[id] = v
	}
	return out, rows.Err()
}

// ByID finds an account of a municipality.
func (s *Store) ByID(ctx context.Context, munID, id int64) (Account, error) {
	return s.one(ctx, s.DB, `a.municipality_id = ? AND a.id = ?`, munID, id)
}

// ByEmail finds an account of a municipality by e-mail.
func (s *Store) ByEmail(ctx context.Context, munID int64, email string) (Account, error) {
	return s.one(ctx, s.DB, `a.municipality_id = ? AND a.email = ?`, munID, NormalizeEmail(email))
}

// Authenticate checks a password. It spends the same time whether or not
// the account exists, so that the answer does not reveal which addresses
// are registered.
func (s *Store) Authenticate(ctx context.Context, munID int64, email, password string) (Account, error) {
	a, err := s.ByEmail(ctx, munID, email)
	if errors.Is(err, db.ErrNotFound) {
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return Account{}, ErrBadCredentials
	}
	if err != nil {
		return Account{}, err
	}
	if bcrypt.CompareHashAndPassword([]byte(a.passwordHash), []byte(password)) != nil {
		return Account{}, ErrBadCredentials
	}
	if a.Disabled {
		return Account{}, ErrAccountDisabled
	}
	if !a.Confirmed {
		return Account{}, ErrNotConfirmed
	}
	return a, nil
}

// dummyHash is compared against when an address is unknown, to spend the
// same time as a real check.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("no-such-account-password"), bcrypt.DefaultCost)
	return h
})

// SetPassword replaces an account's password.
func (s *Store) SetPassword(ctx context.Context, tx *db.Tx, id int64, password string) error {
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE accounts SET password_hash = ? WHERE id = ?`, hash, id); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	// A new password ends whatever the old one opened.
	return s.EndSessions(ctx, tx, id)
}

// List returns one page of a municipality's accounts and the total.
func (s *Store) List(ctx context.Context, munID int64, query string, limit, offset int) ([]Account, int, error) {
	where := `a.municipality_id = ?`
	args := []any{munID}
	if query != "" {
		where += ` AND (a.email LIKE ? ESCAPE '\' OR a.full_name LIKE ? ESCAPE '\')`
		args = append(args, db.Like(strings.ToLower(query)), db.Like(query))
	}
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM accounts a WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count accounts: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT `+accountColumns+` FROM accounts a LEFT JOIN departments d ON d.id = a.department_id WHERE `+where+` ORDER BY a.email LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	byID := map[int64]int{}
	var ids []any
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, 0, err
		}
		byID[a.ID] = len(out)
		ids = append(ids, a.ID)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(ids) > 0 {
		// One query for the roles of the whole page, not one per account.
		rr, err := s.DB.Query(ctx, `SELECT account_id, role FROM account_roles WHERE account_id IN (`+db.Placeholders(len(ids))+`) ORDER BY role`, ids...)
		if err != nil {
			return nil, 0, fmt.Errorf("list roles: %w", err)
		}
		defer rr.Close()
		for rr.Next() {
			var id int64
			var role string
			if err := rr.Scan(&id, &role); err != nil {
				return nil, 0, err
			}
			out[byID[id]].Roles = append(out[byID[id]].Roles, role)
		}
		if err := rr.Err(); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func hashToken(t string) string {
	s := sha256.Sum256([]byte(t))
	return hex.EncodeToString(s[:])
}

// Email token purposes.
const (
	PurposeConfirm = "confirm"
	PurposeReset   = "reset"
)

// CreateEmailToken makes a one-time link token.
func (s *Store) CreateEmailToken(ctx context.Context, tx *db.Tx, accountID int64, purpose string, ttl time.Duration) (string, error) {
	t := randomToken()
	if _, err := tx.Exec(ctx, `INSERT INTO email_tokens (token_hash, account_id, purpose, expires_at) VALUES (?, ?, ?, ?)`,
		hashToken(t), accountID, purpose, s.DB.Now().Add(ttl)); err != nil {
		return "", fmt.Errorf("create email token: %w", err)
	}
	return t, nil
}

// UseEmailToken consumes a token and returns its account id.
func (s *Store) UseEmailToken(ctx context.Context, tx *db.Tx, token, purpose string) (int64, error) {
	var id int64
	var expires time.Time
	err := tx.QueryRow(ctx, `SELECT account_id, expires_at FROM email_tokens WHERE token_hash = ? AND purpose = ? AND used_at IS NULL`, hashToken(token), purpose).Scan(&id, &expires)
	if err != nil || s.DB.Now().After(expires) {
		return 0, ErrTokenInvalid
	}
	if _, err := tx.Exec(ctx, `UPDATE email_tokens SET used_at = ? WHERE token_hash = ?`, s.DB.Now(), hashToken(token)); err != nil {
		return 0, fmt.Errorf("use email token: %w", err)
	}
	return id, nil
}

// Confirm marks an account's e-mail confirmed.
func (s *Store) Confirm(ctx context.Context, tx *db.Tx, id int64) error {
	_, err := tx.Exec(ctx, `UPDATE accounts SET confirmed_at = ? WHERE id = ? AND confirmed_at IS NULL`, s.DB.Now(), id)
	return err
}

// SortRoles orders roles as AllRoles does.
func SortRoles(roles []string) {
	pos := map[string]int{}
	for i, r := range AllRoles {
		pos[r.Value] = i
	}
	sort.Slice(roles, func(i, j int) bool { return pos[roles[i]] < pos[roles[j]] })
}
