package auth

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/gob"
	"errors"
	"fmt"
	"maps"
	"slices"
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

// sessionRefresh is how far behind the expiry that scs asks for a stored
// session's expiry may be before it is written again. With an idle timeout
// scs commits the session at the end of every request only to move its
// expiry, so every signed-in page view would be a write: all writes queue
// on SQLite's one writer, and after each one every reader connection drops
// its page cache and memory map at its next read (docs/benchmarks.md). So
// an unchanged session is written at most once a minute, and the idle
// timeout is enforced up to a minute early, never late.
const sessionRefresh = time.Minute

// Commit stores a session whose data changed, or whose expiry moved by
// sessionRefresh or more. "Changed" compares bytes, which is why the
// sessions are encoded by sortedCodec.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	// Straight to the writer, not DB.Exec: a session is not content, and
	// must not empty the page cache on every signed-in request. A session
	// that the WHERE leaves as it is writes no page, so the database file
	// and its log do not change.
	expiry = expiry.UTC()
	_, err := s.DB.Write.ExecContext(context.Background(), s.DB.Rebind(`INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry
		WHERE sessions.data <> excluded.data OR sessions.expiry <= ? OR sessions.expiry > excluded.expiry`), token, b, expiry, expiry.Add(-sessionRefresh))
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
	sm.Codec = sortedCodec{}
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 2 * time.Hour
	sm.Cookie.Name = "glasnost_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = 2 // http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	return sm
}

// sortedCodec encodes a session with its values in the order of their
// keys, so that the same session always gives the same bytes. scs's
// GobCodec encodes the values' map in Go's random order, and a session
// with two values (account and epoch) came out different on about half of
// the requests, which defeated the unchanged-session check in Commit.
type sortedCodec struct{}

// sortedCodecVersion starts every session sortedCodec writes. Sessions
// written before by scs's GobCodec start with the length of its type
// definition (0x25), never with this byte, and are still read.
const sortedCodecVersion = 0x01

type sortedSession struct {
	Deadline time.Time
	Keys     []string
	Values   []any
}

func (sortedCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	s := sortedSession{Deadline: deadline, Keys: slices.Sorted(maps.Keys(values))}
	for _, k := range s.Keys {
		s.Values = append(s.Values, values[k])
	}
	b := bytes.NewBuffer([]byte{sortedCodecVersion})
	if err := gob.NewEncoder(b).Encode(&s); err != nil {
		return nil, fmt.Errorf("encode session: %w", err)
	}
	return b.Bytes(), nil
}

func (sortedCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) == 0 || b[0] != sortedCodecVersion {
		return scs.GobCodec{}.Decode(b)
	}
	var s sortedSession
	if err := gob.NewDecoder(bytes.NewReader(b[1:])).Decode(&s); err != nil {
		return time.Time{}, nil, fmt.Errorf("decode session: %w", err)
	}
	if len(s.Keys) != len(s.Values) {
		return time.Time{}, nil, errors.New("decode session: keys and values differ in number")
	}
	values := make(map[string]any, len(s.Keys))
	for i, k := range s.Keys {
		values[k] = s.Values[i]
	}
	return s.Deadline, values, nil
}
