package web

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// PageCache keeps rendered pages for anonymous visitors, each tagged with
// the tables it read while it was rendered (db.TrackReads). A write drops
// only the pages that read a table it changed (db.DB.OnWrite calls
// Invalidate with the write's tags; db.Everything drops every page), so a
// visitor never sees a page older than the last change to what it shows,
// and writes a page does not show leave it cached. A short lifetime covers
// what changes with the clock alone ("until 12 December").
//
// Staleness is decided with one counter: every invalidation takes the next
// number and stamps it on its tags; a page remembers the number current
// when its render began and is fresh while none of its tags (nor
// Everything) carries a later stamp. A write that commits while a page is
// being rendered therefore makes that page stale at once.
//
// Concurrent misses of the same page are collapsed into one render: the
// first request renders, the others wait for it and are served its page
// when it is cacheable and still fresh.
//
// Only requests without credentials or a session are served from it: a
// signed-in page, a flash message, an API call with a token are always fresh.
type PageCache struct {
	mu       sync.RWMutex
	entries  map[string]*cachedPage
	seq      uint64            // the last invalidation's number
	allAt    uint64            // the last db.Everything
	tagAt    map[string]uint64 // each tag's last invalidation
	bytes    int
	maxBytes int
	ttl      time.Duration

	flightMu sync.Mutex
	flights  map[string]*flight

	// SessionCookie is the name of the session cookie; requests carrying it
	// bypass the cache.
	SessionCookie string
}

type cachedPage struct {
	began  uint64   // the invalidation number when its render began
	tags   []string // the tables it read
	at     time.Time
	status int
	header http.Header
	body   []byte
	// pattern is the route that rendered the page, for the metrics of hits.
	pattern string
}

// flight is a render that concurrent requests for the same page wait for.
type flight struct {
	done chan struct{}
	page *cachedPage // nil when the answer could not be shared
}

// NewPageCache holds at most maxBytes of pages, each for at most ttl.
func NewPageCache(maxBytes int, ttl time.Duration, sessionCookie string) *PageCache {
	return &PageCache{entries: map[string]*cachedPage{}, tagAt: map[string]uint64{}, flights: map[string]*flight{},
		maxBytes: maxBytes, ttl: ttl, SessionCookie: sessionCookie}
}

// Invalidate drops the pages that read any of tags (table names;
// db.Everything: every page). The database calls it after each write, and
// the listener for other processes' writes with theirs.
func (c *PageCache) Invalidate(tags []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	for _, t := range tags {
		if t == db.Everything {
			c.allAt = c.seq
		} else {
			c.tagAt[t] = c.seq
		}
	}
}

// InvalidateAll drops every page.
func (c *PageCache) InvalidateAll() { c.Invalidate([]string{db.Everything}) }

// fresh reports whether e shows no change made after its render began;
// c.mu must be held.
func (c *PageCache) fresh(e *cachedPage) bool {
	if c.allAt > e.began || time.Since(e.at) >= c.ttl {
		return false
	}
	for _, t := range e.tags {
		if c.tagAt[t] > e.began {
			return false
		}
	}
	return true
}

func (c *PageCache) lookup(key string) *cachedPage {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if e := c.entries[key]; e != nil && c.fresh(e) {
		return e
	}
	return nil
}

func (c *PageCache) isFresh(e *cachedPage) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.fresh(e)
}

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

func serveCached(w http.ResponseWriter, r *http.Request, e *cachedPage) {
	h := w.Header()
	for k, v := range e.header {
		h[k] = v
	}
	h.Set("X-Cache", "hit")
	noteRoute(r, e.pattern)
	w.WriteHeader(e.status)
	_, _ = w.Write(e.body)
}

// Middleware serves cached pages and stores fresh ones.
func (c *PageCache) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !c.cacheable(r) {
			next.ServeHTTP(w, r)
			return
		}
		key := c.key(r)
		if e := c.lookup(key); e != nil {
			serveCached(w, r, e)
			return
		}
		c.flightMu.Lock()
		f := c.flights[key]
		if f != nil {
			c.flightMu.Unlock()
			select {
			case <-f.done:
			case <-r.Context().Done():
				return // the visitor left
			}
			if f.page != nil && c.isFresh(f.page) {
				serveCached(w, r, f.page)
				return
			}
			// The answer was not shareable (an error, a cookie) or a write
			// came during the render: render for this request.
			c.render(w, r, next, key)
			return
		}
		f = &flight{done: make(chan struct{})}
		c.flights[key] = f
		c.flightMu.Unlock()
		defer func() {
			c.flightMu.Lock()
			delete(c.flights, key)
			c.flightMu.Unlock()
			close(f.done)
		}()
		f.page = c.render(w, r, next, key)
	})
}

// render runs the handler, tracking the tables it reads, and stores the
// page when it may be shared; it returns the stored page or nil.
func (c *PageCache) render(w http.ResponseWriter, r *http.Request, next http.Handler, key string) *cachedPage {
	c.mu.RLock()
	began := c.seq
	c.mu.RUnlock()
	ctx, reads := db.TrackReads(r.Context())
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	next.ServeHTTP(rec, r.WithContext(ctx))
	if rec.status != http.StatusOK || rec.Header().Get("Set-Cookie") != "" || rec.buf.Len() > 1<<20 {
		return nil
	}
	ct := rec.Header().Get("Content-Type")
	if !strings.HasPrefix(ct, "text/html") && !strings.Contains(ct, "xml") {
		return nil
	}
	var pattern string
	if n, ok := r.Context().Value(routeNoteKey{}).(*routeNote); ok {
		pattern = n.pattern
	}
	e := &cachedPage{began: began, tags: reads.Tables(), at: time.Now(), status: rec.status,
		header: rec.Header().Clone(), body: bytes.Clone(rec.buf.Bytes()), pattern: pattern}
	c.store(key, e)
	return e
}

func (c *PageCache) store(key string, e *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.entries[key]; old != nil {
		c.bytes -= len(old.body)
	}
	// Drop stale pages first, then anything, to stay under the bound.
	if c.bytes+len(e.body) > c.maxBytes {
		for k, v := range c.entries {
			if !c.fresh(v) {
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
