package auth_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/webtest"
)

// signedIn reports whether a client's session still opens the cabinet, and
// whether its bearer token still does.
func signedIn(c *webtest.Client) (session, token bool) {
	return c.Get("/account").Status == http.StatusOK, c.API("GET", "/account", nil).Status == http.StatusOK
}

// A password reset or disabling an account ends every session and token
// opened before; enabling the account again does not revive them (the
// probe found all three working).
func TestSessionsAndTokensEnd(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env := webtest.New(t, d)
		ctx := context.Background()
		cases := []struct {
			name   string
			change func(a auth.Account)
		}{
			{"password reset", func(a auth.Account) {
				if err := d.InTx(ctx, func(tx *db.Tx) error {
					return env.Accounts.SetPassword(ctx, tx, a.ID, "совсем новый пароль")
				}); err != nil {
					t.Fatal(err)
				}
			}},
			{"disabled, then enabled again", func(a auth.Account) {
				for _, off := range []bool{true, false} {
					a.Disabled = off
					if err := d.InTx(ctx, func(tx *db.Tx) error { return env.Accounts.Update(ctx, tx, a) }); err != nil {
						t.Fatal(err)
					}
				}
			}},
		}
		for _, c := range cases {
			cl := env.Client("", auth.Editor)
			if s, tk := signedIn(cl); !s || !tk {
				t.Fatalf("%s: before the change session %v, token %v", c.name, s, tk)
			}
			a, err := env.Accounts.ByID(ctx, env.Municipality.ID, cl.Account.ID)
			if err != nil {
				t.Fatal(err)
			}
			c.change(a)
			if s, tk := signedIn(cl); s || tk {
				t.Errorf("%s: after the change session %v, token %v still work", c.name, s, tk)
			}
		}
		// Signing in again works as before.
		other := env.Client("", auth.Resident)
		if s, tk := signedIn(other); !s || !tk {
			t.Fatal("an unrelated account lost its session")
		}
	})
}

// The owner issues a named token in the cabinet, sees it once, sees it
// listed with its expiry, and revokes it; an expired token does not work;
// nobody revokes another person's token.
func TestTokensInTheCabinet(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env := webtest.New(t, d)
		ctx := context.Background()
		c := env.Client("", auth.Resident)

		bad := c.PostForm("/account/tokens", url.Values{"name": {"Сводка"}, "days": {"9999"}})
		if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "от 1 до 730") || !strings.Contains(bad.Body, `value="Сводка"`) {
			t.Fatalf("a too long lifetime: %d", bad.Status)
		}
		r := c.PostForm("/account/tokens", url.Values{"name": {"Сводка для депутата"}, "days": {"30"}})
		tok := regexp.MustCompile(`gl_[A-Za-z0-9_-]{20,}`).FindString(r.Body)
		if r.Status != http.StatusOK || tok == "" || r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("issue: %d, token %q, cache %q", r.Status, tok, r.Header.Get("Cache-Control"))
		}
		if again := c.Get("/account"); strings.Contains(again.Body, tok) || !strings.Contains(again.Body, "Сводка для депутата") {
			t.Fatal("the token is shown again, or not listed by name")
		}
		prog := env.Anonymous()
		prog.Token = tok
		if prog.API("GET", "/account", nil).Status != http.StatusOK {
			t.Fatal("the new token does not work")
		}
		list, err := env.Accounts.APITokens(ctx, c.Account.ID)
		if err != nil {
			t.Fatal(err)
		}
		var mine auth.APIToken
		for _, x := range list {
			if x.Name == "Сводка для депутата" {
				mine = x
			}
		}
		if days := mine.ExpiresAt.Sub(mine.CreatedAt).Hours() / 24; days != 30 {
			t.Fatalf("expires after %.1f days, want 30", days)
		}

		stranger := env.Client("", auth.Resident)
		if r := stranger.PostForm("/account/tokens/"+strconv.FormatInt(mine.ID, 10)+"/revoke", nil); r.Status != http.StatusNotFound {
			t.Fatalf("another person revoked the token: %d", r.Status)
		}
		if r := c.PostForm("/account/tokens/"+strconv.FormatInt(mine.ID, 10)+"/revoke", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", r.Status)
		}
		if prog.API("GET", "/account", nil).Status == http.StatusOK {
			t.Fatal("a revoked token still works")
		}

		// A token past its expiry is refused.
		old, err := env.Accounts.IssueAPIToken(ctx, d, c.Account.ID, "старый", 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE api_tokens SET expires_at = ? WHERE name = 'старый'`, d.Now().Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		prog.Token = old
		if prog.API("GET", "/account", nil).Status == http.StatusOK {
			t.Fatal("an expired token works")
		}
	})
}
