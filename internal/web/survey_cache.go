package web

import (
	"sync"
	"time"
)

// surveyCacheTTL is how long the public pages reuse a survey design or a
// widget setting read from the database: a change made through the API
// or by another instance shows within this time.
const surveyCacheTTL = 5 * time.Second

// maxCacheEntries bounds a ttlCache; past it the cache starts over.
const maxCacheEntries = 10_000

// ttlCache keeps values for surveyCacheTTL. The public pages read the same
// few surveys for every visitor; caching them saves a query per page view.
type ttlCache[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]ttlEntry[V]
}

type ttlEntry[V any] struct {
	v  V
	at time.Time
}

// get returns the value of k, loading it when missing or stale; a load
// error is returned and not cached.
func (c *ttlCache[K, V]) get(k K, now time.Time, load func() (V, error)) (V, error) {
	c.mu.Lock()
	e, ok := c.m[k]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < surveyCacheTTL && !now.Before(e.at) {
		return e.v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCacheEntries {
		c.m = map[K]ttlEntry[V]{}
	}
	c.m[k] = ttlEntry[V]{v, now}
	c.mu.Unlock()
	return v, nil
}

// forget drops k, after this process changed it.
func (c *ttlCache[K, V]) forget(k K) {
	c.mu.Lock()
	delete(c.m, k)
	c.mu.Unlock()
}
