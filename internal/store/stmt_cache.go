package store

import (
	"context"
	"database/sql"
	"sync"
)

// pool is the database handle with, on SQLite, a cache of prepared
// statements: modernc's driver parses and plans a query's text on every
// call, which was 40% of the CPU of an enterprise's page (its dozen small
// queries) at scale 10. A statement prepared once is kept by its text;
// database/sql prepares it again on each connection as it is used there
// (at most eight on SQLite). pgx keeps such a cache per connection itself,
// so on PostgreSQL the pool passes queries through.
//
// The cache holds at most maxCachedStmts texts; past that, queries run
// unprepared as before. Queries are written with placeholders, never with
// values, so the texts are few (a filter's combinations); a text that is
// not a valid statement is not kept, and its call reports the error.
type pool struct {
	*sql.DB
	cache    bool
	pipeline bool // readAll sends its reads as one batch (PostgreSQL)

	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

const maxCachedStmts = 1000

func newPool(db *sql.DB, cache bool) *pool {
	return &pool{DB: db, cache: cache, stmts: map[string]*sql.Stmt{}}
}

// prepared returns the statement kept for query, preparing it the first
// time; nil when the pool does not cache or the cache is full or the
// query does not prepare.
func (p *pool) prepared(ctx context.Context, query string) *sql.Stmt {
	if !p.cache {
		return nil
	}
	p.mu.Lock()
	st, ok := p.stmts[query]
	full := len(p.stmts) >= maxCachedStmts
	p.mu.Unlock()
	if ok || full {
		return st
	}
	st, err := p.PrepareContext(ctx, query) //nolint:sqlclosecheck // kept in p.stmts for the life of the pool; Close closes it
	if err != nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if kept, ok := p.stmts[query]; ok {
		_ = st.Close() //nolint:sqlclosecheck // prepared at the same time by another request: the kept one serves
		return kept
	}
	if p.stmts == nil { // closed meanwhile
		_ = st.Close()
		return nil
	}
	p.stmts[query] = st
	return st
}

func (p *pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.prepared(ctx, query); st != nil { //nolint:sqlclosecheck // a kept statement, closed by Close
		return st.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, query, args...)
}

func (p *pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.prepared(ctx, query); st != nil { //nolint:sqlclosecheck // a kept statement, closed by Close
		return st.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, query, args...)
}

func (p *pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := p.prepared(ctx, query); st != nil { //nolint:sqlclosecheck // a kept statement, closed by Close
		return st.ExecContext(ctx, args...)
	}
	return p.DB.ExecContext(ctx, query, args...)
}

// Close closes the kept statements, then the database.
func (p *pool) Close() error {
	p.mu.Lock()
	for _, st := range p.stmts {
		_ = st.Close()
	}
	p.stmts = nil
	p.mu.Unlock()
	return p.DB.Close()
}
