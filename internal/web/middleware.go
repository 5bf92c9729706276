package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/glasnost/glasnost/internal/tenant"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies middleware so that the first listed runs first.
func Chain(h http.Handler, mw ...Middleware) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// Recover turns a panic into a 500 page and a log line with the stack.
func Recover(errs *Errors) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					errs.Log.ErrorContext(r.Context(), "panic", "value", fmt.Sprint(v), "stack", string(debug.Stack()), "request_id", RequestID(r.Context()))
					errs.Render(w, r, ErrInternal)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

type requestIDKey struct{}

// RequestID returns the id given to the request, for logs and error pages.
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey{}).(string)
	return s
}

// AssignRequestID gives each request an id, echoed in X-Request-Id.
func AssignRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// routeNote carries the pattern the router chose back out to LogRequests:
// the mux sets Request.Pattern only on its own copy of the request, so the
// metrics saw every request as unmatched.
type routeNote struct{ pattern string }

type routeNoteKey struct{}

// noteRoute records the route pattern serving r for the metrics.
func noteRoute(r *http.Request, pattern string) {
	if n, ok := r.Context().Value(routeNoteKey{}).(*routeNote); ok {
		n.pattern = pattern
	}
}

// Observer receives each request's outcome (metrics); pattern is the route
// ("GET /acts/{id}"), or "" when no route served it (a 404, or a page the
// page cache answered).
type Observer func(method, pattern string, status int, d time.Duration)

// LogRequests logs one line per request: method, path without the query
// (queries can carry personal data such as a surname typed into a search),
// status and duration.
func LogRequests(log *slog.Logger, observe Observer) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw := &statusWriter{ResponseWriter: w}
			note := &routeNote{}
			next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), routeNoteKey{}, note)))
			d := time.Since(start)
			if observe != nil {
				observe(r.Method, note.pattern, sw.status, d)
			}
			log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", sw.status), slog.Duration("duration", d),
				slog.String("request_id", RequestID(r.Context())))
		})
	}
}

// ContentSecurityPolicy forbids inline script and every foreign origin.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; font-src 'self'; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// SecurityHeaders sets the headers every response carries.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// CrossOrigin rejects state-changing requests from other origins (the Go
// standard library's Sec-Fetch-Site/Origin check), answering in Russian.
func CrossOrigin(errs *Errors) Middleware {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errs.Render(w, r, &Error{Status: http.StatusForbidden, Code: "cross_origin", Message: "Запрос отклонён: форма отправлена с другого сайта."})
	}))
	return cop.Handler
}

// ResolveMunicipality puts the municipality for the request's host into its context.
func ResolveMunicipality(store *tenant.Store, errs *Errors) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/healthz" || r.URL.Path == "/metrics" {
				// The installation's own health and metrics need no
				// municipality: a fresh install answers before it has one.
				next.ServeHTTP(w, r)
				return
			}
			m, err := store.ForHost(r.Context(), r.Host)
			if errors.Is(err, tenant.ErrNoMunicipality) {
				errs.Render(w, r, &Error{Status: http.StatusNotFound, Code: "unknown_host", Message: "На этом адресе не размещён портал муниципального образования."})
				return
			}
			if err != nil {
				errs.Render(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(tenant.WithMunicipality(r.Context(), m)))
		})
	}
}
