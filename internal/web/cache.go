package web

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// PageCache keeps rendered pages for anonymous visitors. Any write to the
// database bumps the generation (db.DB.OnWrite), which empties the cache, so
// a visitor never sees a page older than the last change; a short lifetime
// covers what changes with the clock alone ("until 12 December").
//
// Only requests without credentials or a session are served from it: a
// signed-in page, a flash message, an API call with a token are always fresh.
type PageCache struct {
	gen      atomic.Uint64
	mu       sync.RWMutex
	entries  map[string]*cachedPage
	bytes    int
	maxBytes int
	ttl      time.Duration
	// SessionCookie is the name of the session cookie; requests carrying it
	// bypass the cache.
	SessionCookie string
}

type cachedPage struct {
	gen    uint64
	at     time.Time
	status int
	header http.Header
	body   []byte
	// pattern is the route that rendered the page, for the metrics of hits.
	pattern string
}

// NewPageCache holds at most maxBytes of pages, each for at most ttl.
func NewPageCache(maxBytes int, ttl time.Duration, sessionCookie string) *PageCache {
	return &PageCache{entries: map[string]*cachedPage{}, maxBytes: maxBytes, ttl: ttl, SessionCookie: sessionCookie}
}

// Invalidate forgets every page; the database calls it after each write.
func (c *PageCache) Invalidate() { c.gen.Add(1) }

func (c *PageCache) cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet || r.Header.Get("Authorization") != "" || strings.HasPrefix(r.URL.Path, "/static/") ||
		r.URL.Path == "/healthz" || r.URL.Path == "/metrics" {
		return false
	}
	for _, ck := range r.Cookies() {
		if ck.Name != a11yCookie {
			return false // a session or a per-browser cookie may change the page
		}
	}
	return true
}

func (c *PageCache) key(r *http.Request) string {
	k := r.Host + "\x00" + r.URL.RequestURI()
	if ck, err := r.Cookie(a11yCookie); err == nil {
		k += "\x00" + ck.Value
	}
	return k
}

// Middleware serves cached pages and stores fresh ones.
func (c *PageCache) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !c.cacheable(r) {
			next.ServeHTTP(w, r)
			return
		}
		key := c.key(r)
		gen := c.gen.Load()
		c.mu.RLock()
		e := c.entries[key]
		c.mu.RUnlock()
		if e != nil && e.gen == gen && time.Since(e.at) < c.ttl {
			h := w.Header()
			for k, v := range e.header {
				h[k] = v
			}
			h.Set("X-Cache", "hit")
			noteRoute(r, e.pattern)
			w.WriteHeader(e.status)
			_, _ = w.Write(e.body)
			return
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.status != http.StatusOK || rec.Header().Get("Set-Cookie") != "" || rec.buf.Len() > 1<<20 {
			return
		}
		ct := rec.Header().Get("Content-Type")
		if !strings.HasPrefix(ct, "text/html") && !strings.Contains(ct, "xml") {
			return
		}
		var pattern string
		if n, ok := r.Context().Value(routeNoteKey{}).(*routeNote); ok {
			pattern = n.pattern
		}
		c.store(key, &cachedPage{gen: gen, at: time.Now(), status: rec.status, header: rec.Header().Clone(), body: bytes.Clone(rec.buf.Bytes()), pattern: pattern})
	})
}

func (c *PageCache) store(key string, e *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.entries[key]; old != nil {
		c.bytes -= len(old.body)
	}
	// Drop stale generations first, then anything, to stay under the bound.
	if c.bytes+len(e.body) > c.maxBytes {
		cur := c.gen.Load()
		for k, v := range c.entries {
			if v.gen != cur {
				c.bytes -= len(v.body)
				delete(c.entries, k)
			}
		}
		for k, v := range c.entries {
			if c.bytes+len(e.body) <= c.maxBytes {
				break
			}
			c.bytes -= len(v.body)
			delete(c.entries, k)
		}
	}
	c.entries[key] = e
	c.bytes += len(e.body)
}

// recorder copies the response as it is written.
type recorder struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
	wrote  bool
}

func (r *recorder) WriteHeader(s int) {
	if !r.wrote {
		r.status, r.wrote = s, true
	}
	r.ResponseWriter.WriteHeader(s)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	r.buf.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
