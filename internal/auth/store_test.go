package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/tenant"
)

func municipality(t *testing.T, d *db.DB, slug string) int64 {
	t.Helper()
	m := tenant.Municipality{Slug: slug, Name: slug, TimeZone: "Asia/Yekaterinburg"}
	if err := d.InTx(context.Background(), func(tx *db.Tx) error { return tenant.NewStore(d).Create(context.Background(), tx, &m) }); err != nil {
		t.Fatal(err)
	}
	return m.ID
}

func TestAccounts(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := &auth.Store{DB: d}
		mun := municipality(t, d, "a")
		other := municipality(t, d, "b")
		create := func(a *auth.Account, pw string) error {
			return d.InTx(ctx, func(tx *db.Tx) error { return s.Create(ctx, tx, a, pw) })
		}
		a := &auth.Account{MunicipalityID: mun, Email: " Ivanov@Mail.RU ", FullName: "Иван Иванов", Roles: []string{auth.Resident}}
		if err := create(a, "short"); !errors.Is(err, auth.ErrPasswordShort) {
			t.Fatalf("short password: %v", err)
		}
		if err := create(a, "long-enough-password"); err != nil {
			t.Fatal(err)
		}
		if a.Email != "ivanov@mail.ru" {
			t.Errorf("e-mail not normalised: %q", a.Email)
		}
		dup := &auth.Account{MunicipalityID: mun, Email: "IVANOV@mail.ru", Roles: []string{auth.Resident}}
		if err := create(dup, "long-enough-password"); !errors.Is(err, auth.ErrEmailTaken) {
			t.Fatalf("duplicate e-mail: %v", err)
		}
		// The same address may exist in another municipality.
		if err := create(&auth.Account{MunicipalityID: other, Email: "ivanov@mail.ru", Roles: []string{auth.Resident}}, "long-enough-password"); err != nil {
			t.Fatalf("same e-mail in another municipality: %v", err)
		}
		if err := create(&auth.Account{MunicipalityID: mun, Email: "x@y.ru", Roles: []string{"king"}}, "long-enough-password"); !errors.Is(err, auth.ErrUnknownRole) {
			t.Fatalf("unknown role: %v", err)
		}
		// Unconfirmed accounts cannot sign in; wrong passwords and unknown
		// addresses get the same answer.
		if _, err := s.Authenticate(ctx, mun, "ivanov@mail.ru", "long-enough-password"); !errors.Is(err, auth.ErrNotConfirmed) {
			t.Fatalf("unconfirmed: %v", err)
		}
		var token string
		err := d.InTx(ctx, func(tx *db.Tx) error {
			var err error
			token, err = s.CreateEmailToken(ctx, tx, a.ID, auth.PurposeConfirm, time.Hour)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		useToken := func(tok, purpose string) (int64, error) {
			var id int64
			err := d.InTx(ctx, func(tx *db.Tx) error {
				var err error
				if id, err = s.UseEmailToken(ctx, tx, tok, purpose); err != nil {
					return err
				}
				return s.Confirm(ctx, tx, id)
			})
			return id, err
		}
		if _, err := useToken(token, auth.PurposeReset); !errors.Is(err, auth.ErrTokenInvalid) {
			t.Fatal("a confirmation token worked as a reset token")
		}
		if id, err := useToken(token, auth.PurposeConfirm); err != nil || id != a.ID {
			t.Fatalf("confirm: %d %v", id, err)
		}
		if _, err := useToken(token, auth.PurposeConfirm); !errors.Is(err, auth.ErrTokenInvalid) {
			t.Fatal("a token worked twice")
		}
		if _, err := s.Authenticate(ctx, mun, "ivanov@mail.ru", "wrong-password!"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := s.Authenticate(ctx, mun, "nobody@mail.ru", "whatever-password"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("unknown address: %v", err)
		}
		got, err := s.Authenticate(ctx, mun, "IVANOV@mail.ru", "long-enough-password")
		if err != nil || got.ID != a.ID || len(got.Roles) != 1 || got.Roles[0] != auth.Resident {
			t.Fatalf("authenticate: %+v %v", got, err)
		}
		// Tokens belong to their municipality.
		tok, err := s.CreateAPIToken(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if byTok, err := s.ByAPIToken(ctx, mun, tok); err != nil || byTok.ID != a.ID {
			t.Fatalf("by token: %v", err)
		}
		if _, err := s.ByAPIToken(ctx, other, tok); !errors.Is(err, db.ErrNotFound) {
			t.Fatal("a token of one municipality works in another")
		}
		// Disabled accounts cannot sign in.
		got.Disabled = true
		if err := d.InTx(ctx, func(tx *db.Tx) error { return s.Update(ctx, tx, got) }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, mun, "ivanov@mail.ru", "long-enough-password"); !errors.Is(err, auth.ErrAccountDisabled) {
			t.Fatalf("disabled: %v", err)
		}
		// Listing loads roles for the whole page.
		list, total, err := s.List(ctx, mun, "", 10, 0)
		if err != nil || total != 1 || len(list) != 1 || len(list[0].Roles) != 1 {
			t.Fatalf("list: %+v %d %v", list, total, err)
		}
	})
}

// Accounts that share a password share its one hash, each can sign in with
// the password, and a password passed where a hash belongs is refused
// rather than stored as typed.
func TestAccountsCreatedWithOneHash(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := &auth.Store{DB: d}
		mun := municipality(t, d, "a")
		hash, err := auth.HashPassword("shared-demo-password")
		if err != nil {
			t.Fatal(err)
		}
		for _, email := range []string{"one@demo.ru", "two@demo.ru"} {
			a := &auth.Account{MunicipalityID: mun, Email: email, Roles: []string{auth.Resident}, Confirmed: true}
			if created, err := auth.EnsureAccount(ctx, s, a, hash); err != nil || !created {
				t.Fatalf("%s: created %v, %v", email, created, err)
			}
			if _, err := s.Authenticate(ctx, mun, email, "shared-demo-password"); err != nil {
				t.Fatalf("%s cannot sign in with the shared password: %v", email, err)
			}
			if _, err := s.Authenticate(ctx, mun, email, "another-password"); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("%s signs in with a wrong password: %v", email, err)
			}
		}
		plain := &auth.Account{MunicipalityID: mun, Email: "plain@demo.ru", Roles: []string{auth.Resident}, Confirmed: true}
		if _, err := auth.EnsureAccount(ctx, s, plain, "shared-demo-password"); err == nil {
			t.Fatal("a plain password was taken for a hash")
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM accounts WHERE password_hash = ?`, "shared-demo-password"); n != 0 {
			t.Fatalf("%d accounts keep the password as typed", n)
		}
	})
}
