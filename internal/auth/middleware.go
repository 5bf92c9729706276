package auth

import (
	"net/http"
	"strings"

	"github.com/alexedwards/scs/v2"

	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

const (
	sessionAccountKey = "account_id"
	// sessionEpochKey holds the account's session epoch at login; a
	// session whose epoch is behind the account's was ended.
	sessionEpochKey = "epoch"
)

// Authenticate puts the request's account — from a bearer token or the
// session — into its context as a web.Viewer. An account of another
// municipality is not recognised on this one's host.
func Authenticate(store *Store, sessions *scs.SessionManager, errs *web.Errors) web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			m, _ := tenant.FromContext(r.Context())
			if h := r.Header.Get("Authorization"); h != "" {
				token, ok := strings.CutPrefix(h, "Bearer ")
				if !ok {
					errs.Render(w, r, web.ErrUnauthorized)
					return
				}
				a, err := store.ByAPIToken(r.Context(), m.ID, strings.TrimSpace(token))
				if err != nil {
					errs.Render(w, r, web.ErrUnauthorized)
					return
				}
				v := viewerOf(a)
				v.ViaToken = true
				next.ServeHTTP(w, r.WithContext(web.WithViewer(r.Context(), v)))
				return
			}
			id := sessions.GetInt64(r.Context(), sessionAccountKey)
			if id != 0 {
				a, err := store.ByID(r.Context(), m.ID, id)
				if err == nil && !a.Disabled && sessions.GetInt64(r.Context(), sessionEpochKey) == a.SessionEpoch {
					r = r.WithContext(web.WithViewer(r.Context(), viewerOf(a)))
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

func viewerOf(a Account) *web.Viewer {
	return &web.Viewer{ID: a.ID, Email: a.Email, Name: a.FullName, Roles: a.Roles, DepartmentID: a.DepartmentID, Department: a.Department, IdentityVerified: a.IdentityLevel == IdentityVerified}
}
