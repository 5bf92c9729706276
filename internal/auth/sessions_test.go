package auth_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// A signed-in request that changes nothing must not write the database:
// scs commits the session after every request to move its idle expiry, and
// a write per page view queued on SQLite's one writer and made every reader
// connection drop its cache (docs/benchmarks.md).
func TestUnchangedSessionIsNotRewritten(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		sm := auth.NewSessions(d, false)
		store := sm.Store
		// writes tells how many times the database (SQLite) or the session's
		// row (PostgreSQL, its xmin) has been written since the last call.
		var writes func() string
		if d.Dialect == db.SQLite {
			conn, err := d.Read.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.Close() })
			writes = func() string {
				var v string
				if err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
					t.Fatal(err)
				}
				return v
			}
		} else {
			writes = func() string {
				var v string
				if err := d.QueryRow(ctx, `SELECT xmin::text FROM sessions WHERE token = ?`, "tok").Scan(&v); err != nil {
					t.Fatal(err)
				}
				return v
			}
		}
		values := map[string]any{"account_id": int64(42), "epoch": int64(3), "flash": "Сохранено"}
		// Find reads only live sessions, so the times are from now.
		expiry := time.Now().UTC().Add(time.Hour).Truncate(time.Second)
		deadline := expiry.Add(10 * time.Hour)
		data, err := sm.Codec.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.Commit("tok", data, expiry); err != nil {
			t.Fatal(err)
		}
		storedExpiry := func() time.Time {
			var e time.Time
			if err := d.QueryRow(ctx, `SELECT expiry FROM sessions WHERE token = ?`, "tok").Scan(&e); err != nil {
				t.Fatal(err)
			}
			return e.UTC()
		}
		for _, step := range []struct {
			name    string
			values  map[string]any
			expiry  time.Time
			written bool
		}{
			{"the next request, same data, expiry 30 s later", values, expiry.Add(30 * time.Second), false},
			{"the same data encoded again, expiry 59 s later", map[string]any{"flash": "Сохранено", "epoch": int64(3), "account_id": int64(42)}, expiry.Add(59 * time.Second), false},
			{"expiry a minute later", values, expiry.Add(time.Minute), true},
			{"changed data, same expiry", map[string]any{"account_id": int64(42), "epoch": int64(4)}, expiry.Add(time.Minute), true},
			{"an earlier expiry (a shorter lifetime)", map[string]any{"account_id": int64(42), "epoch": int64(4)}, expiry.Add(50 * time.Second), true},
		} {
			before := writes()
			data, err := sm.Codec.Encode(deadline, step.values)
			if err != nil {
				t.Fatal(err)
			}
			if err := store.Commit("tok", data, step.expiry); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			if written := writes() != before; written != step.written {
				t.Errorf("%s: written %v, want %v", step.name, written, step.written)
			}
			_, got, err := sm.Codec.Decode(mustFind(t, store, "tok"))
			if err != nil {
				t.Fatal(err)
			}
			if got["epoch"] != step.values["epoch"] {
				t.Errorf("%s: stored epoch %v, want %v", step.name, got["epoch"], step.values["epoch"])
			}
			if step.written && !storedExpiry().Equal(step.expiry) {
				t.Errorf("%s: stored expiry %v, want %v", step.name, storedExpiry(), step.expiry)
			}
		}
		// The idle timeout is never extended past what scs asked for: the
		// stored expiry lags by less than a minute or is exact.
		if e := storedExpiry(); e.After(expiry.Add(time.Minute)) {
			t.Errorf("stored expiry %v is later than asked", e)
		}
	})
}

func mustFind(t *testing.T, s scs.Store, token string) []byte {
	t.Helper()
	b, ok, err := s.Find(token)
	if err != nil || !ok {
		t.Fatalf("find session: %v, found %v", err, ok)
	}
	return b
}

// The codec gives the same bytes for the same session, whatever the order
// of Go's map, and still reads sessions that scs's own codec wrote before.
func TestSessionEncodingIsStable(t *testing.T) {
	t.Parallel()
	codec := auth.NewSessions(nil, false).Codec
	deadline := time.Date(2026, 12, 7, 22, 0, 0, 0, time.UTC)
	values := map[string]any{"account_id": int64(42), "epoch": int64(3), "flash": "Сохранено", "oidc_flow": "x"}
	first, err := codec.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	for range 30 {
		again, err := codec.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, first) {
			t.Fatal("the same session encoded to different bytes")
		}
	}
	legacy, err := scs.GobCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"this codec": first, "scs's gob codec": legacy} {
		gotDeadline, got, err := codec.Decode(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !gotDeadline.Equal(deadline) || len(got) != len(values) {
			t.Fatalf("%s: decoded %v %v", name, gotDeadline, got)
		}
		for k, v := range values {
			if got[k] != v {
				t.Errorf("%s: %s = %#v, want %#v", name, k, got[k], v)
			}
		}
	}
	if _, _, err := codec.Decode([]byte{1, 2, 3}); err == nil {
		t.Error("garbage decoded without an error")
	}
}
