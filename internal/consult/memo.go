package consult

import "sync"

// memo keeps values computed from texts that change rarely (a municipality's
// word list and wording rules, a published version of a draft, which never
// changes under its id), so that a comment or a check does not parse them
// again. It holds at most max entries and starts afresh when full: the
// entries are few and cheap to rebuild, so no eviction order is kept.
type memo[K comparable, V any] struct {
	mu  sync.Mutex
	m   map[K]V
	max int
}

func newMemo[K comparable, V any](max int) *memo[K, V] {
	return &memo[K, V]{m: map[K]V{}, max: max}
}

// lookup returns the value kept for k.
func (c *memo[K, V]) lookup(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

// put keeps v for k; for values whose building reads the database or can
// fail, built outside the lock between lookup and put.
func (c *memo[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keep(k, v)
}

// get returns the value kept for k, or builds, keeps and returns it; build
// runs under the lock, so it must be quick and must not fail.
func (c *memo[K, V]) get(k K, build func() V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.m[k]; ok {
		return v
	}
	v := build()
	c.keep(k, v)
	return v
}

// keep stores v under the held lock, starting afresh when full.
func (c *memo[K, V]) keep(k K, v V) {
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[k] = v
}
