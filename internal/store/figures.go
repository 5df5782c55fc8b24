package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/singleflight"

	"taotai"
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
//   - on PostgreSQL each transaction also notifies figureChannel, which
//     PostgreSQL delivers at its commit to every process that listens
//     (FollowWrites, run by `taotai serve`): another taotai instance on
//     the same database forgets what it kept within milliseconds of the
//     commit. What no notification reaches (a command run beside a server
//     on SQLite, a listener reconnecting, a write in SQL by hand) is seen
//     when the result's figureLife ends, which bounds how old a kept
//     result can be (docs/scaling.md);
//   - what a board depends on besides the data (the day, for overdue
//     hazards and late reports; the actor's lane; the query) is in its key.
//
// The kept value is shared by the requests that read it: callers must not
// change it.
type figureCache struct {
	gen       atomic.Uint64
	listening atomic.Bool // FollowWrites is listening
	flight    singleflight.Group
	mu        sync.Mutex
	m         map[string]keptFigures
}

type keptFigures struct {
	gen   uint64
	until time.Time
	v     any
}

// figureLife is how long a result is kept without a write; figureSweep is
// how many results are kept before those ended are dropped, and figureMax
// how many at most (only what was read in the last figureLife lives: a
// few per lane and page).
const (
	figureLife  = 5 * time.Second
	figureSweep = 128
	figureMax   = 1000
)

func newFigureCache() *figureCache { return &figureCache{m: map[string]keptFigures{}} }

// laneKey is the key of a kept result of the actor's lane (region path
// and sector, what where.lane reads) on day: kind, the lane, day and the
// query's parts. Every kept result of a lane is keyed so.
func laneKey(kind string, a *taotai.Actor, day time.Time, parts ...string) string {
	return strings.Join(append([]string{kind, a.RegionPath, a.Sector, dateString(taotai.Today(day))}, parts...), "|")
}

// wrote moves the generation on: every kept result is stale.
func (c *figureCache) wrote() { c.gen.Add(1) }

// keptRead returns the result kept under key, or computes it with fn and
// keeps it. An error is not kept. Requests that miss the same result at
// once (every connection of a busy page when its result's life ends)
// wait for one computation (singleflight) rather than each making its
// own: a flight is of one generation, so a request after a write never
// takes the result of a computation begun before it.
func keptRead[T any](ctx context.Context, s *DB, key string, fn func() (T, error)) (T, error) {
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
	v, err, _ := c.flight.Do(key+"\x00"+strconv.FormatUint(gen, 10), func() (any, error) {
		v, err := fn()
		if err != nil {
			return v, err
		}
		c.keep(key, gen, v)
		return v, nil
	})
	if err != nil {
		// The request that computed went away (its client left): this
		// one, still wanted, computes its own.
		if ctx.Err() == nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			return fn()
		}
		var zero T
		return zero, err
	}
	return v.(T), nil
}

// keep keeps v under key for figureLife, first dropping what ended once
// figureSweep results are kept.
func (c *figureCache) keep(key string, gen uint64, v any) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= figureSweep {
		for key, k := range c.m {
			if k.gen != c.gen.Load() || !now.Before(k.until) {
				delete(c.m, key)
			}
		}
		if len(c.m) >= figureMax {
			clear(c.m)
		}
	}
	c.m[key] = keptFigures{gen: gen, until: now.Add(figureLife), v: v}
}

// figureChannel is the PostgreSQL channel every transaction notifies
// (transactOnce): its notification is delivered at the commit, and not at
// all after a rollback.
const figureChannel = "taotai_writes"

// FollowWrites listens to figureChannel until ctx ends, forgetting the
// kept figures at each write a process commits to the database (this one
// included). A lost connection is logged and opened again a second later;
// what was kept is forgotten at each (re)start. On SQLite, whose writers
// are the processes on this machine, it returns at once.
func (s *DB) FollowWrites(ctx context.Context, log *slog.Logger) {
	if s.dialect != Postgres || s.figures == nil {
		return
	}
	for {
		err := s.listenWrites(ctx)
		s.figures.listening.Store(false)
		s.figures.wrote()
		if ctx.Err() != nil {
			return
		}
		log.Warn("listen for writes", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// listenWrites is one connection of FollowWrites: it returns its error.
func (s *DB) listenWrites(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, postgresDSN(s.dsn))
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(ctx, "LISTEN "+figureChannel); err != nil {
		return err
	}
	s.figures.wrote() // what was kept before listening may have missed a write
	s.figures.listening.Store(true)
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		s.figures.wrote()
	}
}
