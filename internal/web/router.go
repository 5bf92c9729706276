package web

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// Access says who may use a route. The zero value admits nobody: routes are
// denied by default and each one states its audience.
type Access struct {
	public   bool
	signedIn bool
	roles    []string
}

// Public admits everyone, signed in or not.
func Public() Access { return Access{public: true} }

// SignedIn admits any authenticated account.
func SignedIn() Access { return Access{signedIn: true} }

// Roles admits accounts holding at least one of the roles.
func Roles(roles ...string) Access { return Access{roles: roles} }

// Allows reports whether v may use a route with this access.
func (a Access) Allows(v *Viewer) bool {
	switch {
	case a.public:
		return true
	case v == nil:
		return false
	case a.signedIn:
		return true
	default:
		return v.Has(a.roles...)
	}
}

// String describes the access for the route table test.
func (a Access) String() string {
	switch {
	case a.public:
		return "public"
	case a.signedIn:
		return "signed-in"
	case len(a.roles) == 0:
		return "nobody"
	default:
		r := append([]string(nil), a.roles...)
		sort.Strings(r)
		return strings.Join(r, ",")
	}
}

// Route is one registered pattern with its access.
type Route struct {
	Pattern string
	Access  Access
}

// Router is a ServeMux that knows every route's access and checks it before
// the handler runs, so that no handler can forget to.
type Router struct {
	mux    *http.ServeMux
	routes []Route
	access map[string]Access
	errs   *Errors
}

// NewRouter returns an empty router that reports refusals through errs.
func NewRouter(errs *Errors) *Router {
	return &Router{mux: http.NewServeMux(), errs: errs, access: map[string]Access{}}
}

// Handle registers h for pattern ("GET /acts/{id}") with the given access.
func (rt *Router) Handle(pattern string, access Access, h http.Handler) {
	rt.routes = append(rt.routes, Route{Pattern: pattern, Access: access})
	rt.access[pattern] = access
	rt.mux.Handle(pattern, rt.guard(access, h))
}

// HandleFunc is Handle for a function.
func (rt *Router) HandleFunc(pattern string, access Access, h http.HandlerFunc) {
	rt.Handle(pattern, access, h)
}

// Moved answers GET from an old address with 301 Moved Permanently to its
// new one (keeping the query), so that addresses saved in feed readers and
// bookmarks keep working after a route is renamed. It is public: it only
// points elsewhere, and the target checks its own access.
func (rt *Router) Moved(from, to string) {
	rt.HandleFunc("GET "+from, Public(), func(w http.ResponseWriter, r *http.Request) {
		target := to
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	})
}

func (rt *Router) guard(access Access, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := ViewerFrom(r.Context())
		if !access.Allows(v) {
			if v == nil {
				rt.errs.Unauthenticated(w, r)
				return
			}
			rt.errs.Render(w, r, ErrForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Allows reports whether v may GET path, by the access of the route that
// would serve it: menus use it to offer only links that will open.
func (rt *Router) Allows(v *Viewer, path string) bool {
	u, err := url.Parse(path)
	if err != nil {
		return false
	}
	_, pattern := rt.mux.Handler(&http.Request{Method: http.MethodGet, URL: u})
	a, ok := rt.access[pattern]
	return ok && a.Allows(v)
}

// Routes lists every registered route.
func (rt *Router) Routes() []Route { return append([]Route(nil), rt.routes...) }

// ServeHTTP serves through the mux, rendering 404 and 405 pages ourselves.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, pattern := rt.mux.Handler(r)
	noteRoute(r, pattern)
	if pattern == "" {
		// The mux's own 404/405 handlers print English plain text; answer in
		// Russian in the site's layout instead.
		rec := &statusProbe{header: http.Header{}}
		h.ServeHTTP(rec, r)
		if rec.status == http.StatusMethodNotAllowed {
			if allow := rec.header.Get("Allow"); allow != "" {
				w.Header().Set("Allow", allow)
			}
			rt.errs.Render(w, r, ErrMethodNotAllowed)
			return
		}
		if rec.status == http.StatusMovedPermanently || rec.status == http.StatusTemporaryRedirect || rec.status == http.StatusPermanentRedirect {
			http.Redirect(w, r, rec.header.Get("Location"), rec.status)
			return
		}
		rt.errs.Render(w, r, ErrNotFound)
		return
	}
	rt.mux.ServeHTTP(w, r)
}

// statusProbe captures what the mux's fallback handler would answer.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header         { return p.header }
func (p *statusProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *statusProbe) WriteHeader(s int)           { p.status = s }
