package store

import (
	"sync"
	"sync/atomic"
	"time"
)

// Figures kept between requests. A board of figures (the dashboard) is
// the same for every user of a lane on a day until something is written:
// on a deadline day a province's reviewers open it hundreds of times a
// minute, and reading its month tables, coverage and report grid cost
// more than half of each request. The store keeps such a result for a
// few seconds, and forgets it at the first write:
//
//   - every write of this process runs in Transact, which moves the
//     store's generation on after its commit (sessions, sign-in throttling
//     and uploads write outside it, and no board reads them). A result is
//     kept with the generation read before it was computed, so a write
//     committed while it was computed makes it stale at once;
//   - writes of another process (a second taotai instance on the same
//     PostgreSQL, a command run beside the server) are not seen: a result
//     is kept figureLife at most, which bounds how old a board read there
//     can be (docs/scaling.md);
//   - what a board depends on besides the data (the day, for overdue
//     hazards and late reports; the actor's lane; the query) is in its key.
//
// The kept value is shared by the requests that read it: callers must not
// change it.
type figureCache struct {
	gen atomic.Uint64
	mu  sync.Mutex
	m   map[string]keptFigures
}

type keptFigures struct {
	gen   uint64
	until time.Time
	v     any
}

// figureLife is how long a result is kept without a write of this
// process; figureMax bounds how many are (a province's boards by region,
// year and sector are a few hundred).
const (
	figureLife = 5 * time.Second
	figureMax  = 2000
)

func newFigureCache() *figureCache { return &figureCache{m: map[string]keptFigures{}} }

// wrote moves the generation on: every kept result is stale.
func (c *figureCache) wrote() { c.gen.Add(1) }

// keptRead returns the result kept under key, or computes it with fn and
// keeps it. An error is not kept.
func keptRead[T any](s *DB, key string, fn func() (T, error)) (T, error) {
	c := s.figures
	if c == nil || s.noFigureCache {
		return fn()
	}
	gen := c.gen.Load()
	now := time.Now()
	c.mu.Lock()
	k, ok := c.m[key]
	c.mu.Unlock()
	if ok && k.gen == gen && now.Before(k.until) {
		return k.v.(T), nil
	}
	v, err := fn()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if len(c.m) >= figureMax {
		for key, k := range c.m {
			if k.gen != gen || !now.Before(k.until) {
				delete(c.m, key)
			}
		}
		if len(c.m) >= figureMax {
			clear(c.m)
		}
	}
	c.m[key] = keptFigures{gen: gen, until: now.Add(figureLife), v: v}
	c.mu.Unlock()
	return v, nil
}
