package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/glasnost/glasnost/internal/db"
)

// SessionStore keeps scs sessions in the database on either engine.
type SessionStore struct{ DB *db.DB }

var _ scs.Store = (*SessionStore)(nil)

// Find returns a live session's data.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	var b []byte
	err := s.DB.QueryRow(context.Background(), `SELECT data FROM sessions WHERE token = ? AND expiry > ?`, token, time.Now().UTC()).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return b, true, nil
}

// Commit stores a session.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	// Straight to the writer, not DB.Exec: a session is not content, and
	// must not empty the page cache on every signed-in request.
	_, err := s.DB.Write.ExecContext(context.Background(), s.DB.Rebind(`INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`), token, b, expiry.UTC())
	if err != nil {
		return fmt.Errorf("commit session: %w", err)
	}
	return nil
}

// Delete removes a session.
func (s *SessionStore) Delete(token string) error {
	_, err := s.DB.Write.ExecContext(context.Background(), s.DB.Rebind(`DELETE FROM sessions WHERE token = ?`), token)
	return err
}

// DeleteExpired removes old sessions; a periodic job calls it.
func (s *SessionStore) DeleteExpired(ctx context.Context) error {
	_, err := s.DB.Exec(ctx, `DELETE FROM sessions WHERE expiry < ?`, time.Now().UTC())
	return err
}

// NewSessions configures the session manager.
func NewSessions(d *db.DB, secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = &SessionStore{DB: d}
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 2 * time.Hour
	sm.Cookie.Name = "glasnost_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = 2 // http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	return sm
}
