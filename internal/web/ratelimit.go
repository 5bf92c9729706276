package web

import (
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter throttles by key (an address, an account): login attempts and
// public submissions. Idle keys are forgotten.
type Limiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	l    *rate.Limiter
	seen time.Time
}

// NewLimiter allows burst events at once and then one per interval per key.
func NewLimiter(interval time.Duration, burst int) *Limiter {
	return &Limiter{every: rate.Every(interval), burst: burst, buckets: map[string]*bucket{}, swept: time.Now()}
}

// Allow reports whether an event for key may happen now, and counts it.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucket(key).Allow()
}

// Blocked reports whether key has used up its allowance, without counting
// anything: a login form asks it before checking a password and counts
// (Allow) only failures, so that someone who signs in correctly again and
// again is never locked out.
func (l *Limiter) Blocked(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucket(key).Tokens() < 1
}

// bucket returns key's bucket, forgetting idle ones; l.mu is held.
func (l *Limiter) bucket(key string) *rate.Limiter {
	now := time.Now()
	if now.Sub(l.swept) > 10*time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 30*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{l: rate.NewLimiter(l.every, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.l
}

// ClientIP is the request's remote address without the port. glasnost is
// expected to face the network directly or behind a proxy that sets
// RemoteAddr correctly; forwarded headers are not trusted.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Limit wraps a handler with a per-address limit.
func (l *Limiter) Limit(errs *Errors, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !l.Allow(ClientIP(r)) {
			w.Header().Set("Retry-After", "60")
			errs.Render(w, r, ErrTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}
