// Package store keeps taotai's data in SQLite (embedded, the default) or
// PostgreSQL (production). All SQL lives here, and every query that reads
// or writes lane-bound records carries the caller's lane in its WHERE
// clause, so a caller cannot forget it.
package store

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers "sqlite"

	"taotai"
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

//go:embed migrations
var migrations embed.FS

// DB is the store: a database handle, its dialect and the clock that sets
// "now" for every write.
type DB struct {
	db      *pool
	dialect string
	clock   taotai.Clock
	dsn     string
	// noAudit switches the audit trail off; only the benchmarks that
	// measure its cost set it (export_test.go).
	noAudit bool
	// oneByOne has readAll send its reads one by one on PostgreSQL too;
	// only tests set it, to compare (export_test.go).
	oneByOne bool
	// figures keeps boards between requests until the next write
	// (figures.go), shared by the store's views; noFigureCache switches
	// it off (tests that compare).
	figures       *figureCache
	noFigureCache bool

	mu    sync.Mutex
	stmts map[string]*sql.Stmt // prepared once, for the hottest queries
}

// stmt returns query for use in tx: on a statement prepared once at start
// (database/sql prepares it again on each connection as needed), or, for a
// query not prepared at start, prepared on the transaction's own connection
// (preparing on the pool here could wait for a connection that waits for
// this transaction). The caller closes it: both kinds are closed with the
// transaction, but a statement prepared here would otherwise stay open on
// the connection until then, one more for each call; closing one made by
// tx.StmtContext only detaches it from the statement prepared at start.
func (s *DB) stmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	st, ok := s.stmts[query]
	s.mu.Unlock()
	if ok {
		return tx.StmtContext(ctx, st), nil
	}
	return tx.PrepareContext(ctx, query)
}

// hotQueries are prepared at start, by Migrate.
var hotQueries = map[string][]string{
	SQLite:   {auditHeadSQL, auditInsertOneSQL},
	Postgres: {auditAppendSQL, auditAppendBatchSQL},
}

func (s *DB) prepareHot(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stmts == nil {
		s.stmts = map[string]*sql.Stmt{}
	}
	for _, q := range hotQueries[s.dialect] {
		if _, ok := s.stmts[q]; ok {
			continue
		}
		st, err := s.db.PrepareContext(ctx, q) //nolint:sqlclosecheck // kept in s.stmts for the life of the DB; Close closes it
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		s.stmts[q] = st
	}
	return nil
}

// IsPostgresDSN reports whether dsn names a PostgreSQL database.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Tuning sizes the database handle for a server (taotai serve's flags;
// the reasons and measurements are in docs/benchmarks.md). A zero field
// takes its default.
type Tuning struct {
	// Conns is the most connections open at once: SQLite 8 (readers run
	// side by side under WAL, one writer at a time), PostgreSQL 20. All
	// stay open when idle.
	Conns int
	// CacheMiB is SQLite's page cache per connection, in MiB (default 2,
	// SQLite's own: with the file mapped, reads come from the mapping and
	// the cache holds mostly the pages being written).
	CacheMiB int
	// MmapMiB is how much of the SQLite file each connection maps (default
	// 2047 MiB: the whole file up to that size, shared by all connections
	// through the operating system's page cache).
	MmapMiB int
}

// The defaults of Tuning.
const (
	DefaultSQLiteConns   = 8
	DefaultPostgresConns = 20
	DefaultCacheMiB      = 2
	DefaultMmapMiB       = 2047
)

// Open connects to dsn: a postgres:// URL, or else an SQLite file path,
// with the default Tuning. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string, clock taotai.Clock) (*DB, error) {
	return OpenTuned(ctx, dsn, clock, Tuning{})
}

// OpenTuned is Open with the pool and cache sized by t.
func OpenTuned(ctx context.Context, dsn string, clock taotai.Clock, t Tuning) (*DB, error) {
	if t.Conns < 0 || t.CacheMiB < 0 || t.MmapMiB < 0 {
		return nil, taotai.Errorf(taotai.EINVALID, "连接数、页缓存和内存映射的大小不能为负数。")
	}
	if t.CacheMiB == 0 {
		t.CacheMiB = DefaultCacheMiB
	}
	if t.MmapMiB == 0 {
		t.MmapMiB = DefaultMmapMiB
	}
	if clock == nil {
		clock = taotai.SystemClock{}
	}
	s := &DB{clock: clock, dsn: dsn, figures: newFigureCache()}
	var err error
	if IsPostgresDSN(dsn) {
		s.dialect = Postgres
		var db *sql.DB
		db, err = sql.Open("pgx", postgresDSN(dsn))
		s.db = newPool(db, false)
		s.db.pipeline = true
		if err == nil {
			n := cmp.Or(t.Conns, DefaultPostgresConns)
			s.db.SetMaxOpenConns(n)
			s.db.SetMaxIdleConns(n)
		}
	} else {
		s.dialect = SQLite
		var db *sql.DB
		db, err = sql.Open("sqlite", sqliteDSN(dsn, t))
		s.db = newPool(db, true)
		if err == nil {
			// One writer at a time is SQLite's rule; a small pool of
			// connections lets readers run beside it under WAL. They stay
			// open: a new connection parses the schema again and starts
			// with an empty page cache (readers running side by side spent
			// half their time there when only two stayed idle).
			n := cmp.Or(t.Conns, DefaultSQLiteConns)
			s.db.SetMaxOpenConns(n)
			s.db.SetMaxIdleConns(n)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := s.db.PingContext(ctx); err != nil {
		_ = s.db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return s, nil
}

// postgresDSN turns just-in-time compilation off and has PostgreSQL plan
// each prepared statement once, for any values (plan_cache_mode
// force_generic_plan). The statements here are short and many — two
// dozen a page —, and planning was most of their cost: in PostgreSQL's
// own choice (auto), a statement whose generic plan it estimates dearer
// than its plans for the values is planned again at every execution,
// 0.7–1.4 ms each for the home page's lists against 0.2 ms to run them;
// forced, the province's home page spends 4.8 ms a request in PostgreSQL
// instead of 6.9, the record lists 1.3–1.5 instead of 2.2
// (docs/benchmarks.md). Planning every execution (force_custom_plan,
// until 2026-12) held the enterprise page to 237 req/s. The statements
// whose best plan does depend on their values say so (valuePlanned). A
// DSN may still set plan_cache_mode.
func postgresDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	if q.Get("jit") == "" {
		// Compiling a query to machine code took 310 ms of the
		// dashboard's 3.9 s count of the province's documents at
		// --scale 100, and saved less: the queries here are short.
		q.Set("jit", "off")
	}
	if q.Get("plan_cache_mode") == "" {
		q.Set("plan_cache_mode", "force_generic_plan")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// valuePlanned returns the arguments of a statement whose best plan
// depends on its values — a name search by its bigrams, whose matches
// range from a handful to thousands —: on PostgreSQL pgx then sends it
// with its values written in (the simple protocol, pgx quoting them), so
// that PostgreSQL plans it for them, whatever plan_cache_mode says (a
// generic plan served a two-character search 54 req/s instead of 460).
// SQLite plans by the statement's text alone (dropSamples).
func (s *DB) valuePlanned(args []any) []any {
	if s.dialect != Postgres {
		return args
	}
	return append([]any{pgx.QueryExecModeSimpleProtocol}, args...)
}

// sqliteDSN turns a file path into a modernc.org/sqlite DSN with WAL,
// foreign keys, a busy timeout, immediate write transactions, and the page
// cache and memory mapping of t.
func sqliteDSN(path string, t Tuning) string {
	if strings.HasPrefix(path, "file:") {
		return path
	}
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", fmt.Sprintf("mmap_size(%d)", int64(t.MmapMiB)<<20))
	q.Add("_pragma", fmt.Sprintf("cache_size(%d)", -t.CacheMiB<<10)) // negative: KiB
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Dialect returns SQLite or Postgres.
func (s *DB) Dialect() string { return s.dialect }

// Clock returns the store's clock.
func (s *DB) Clock() taotai.Clock { return s.clock }

// WithClock returns a view of the store that takes "now" from clock: the
// same database handle and prepared statements, another clock. It is for
// loaders that replay a past year through the store's own methods (the
// demo's reporting history is prepared, submitted and reviewed on the days
// it says, each write and its audit entry dated then). The view shares the
// handle: close only the store it came from, and not before the view is
// done with.
func (s *DB) WithClock(clock taotai.Clock) *DB {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := &DB{db: s.db, dialect: s.dialect, clock: clock, dsn: s.dsn, noAudit: s.noAudit, figures: s.figures, stmts: make(map[string]*sql.Stmt, len(s.stmts))}
	for q, st := range s.stmts {
		v.stmts[q] = st
	}
	return v
}

// SQL returns the underlying handle, for tests and tools.
func (s *DB) SQL() *sql.DB { return s.db.DB }

// Close closes the database.
func (s *DB) Close() error {
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.mu.Unlock()
	return s.db.Close()
}

// Ping checks that the database answers.
func (s *DB) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Migrate applies the embedded migrations of the dialect, then the seed
// data (regions, industries, the 2020 campaign year); both are idempotent.
func (s *DB) Migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations/"+s.dialect)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	dialect := goose.DialectSQLite3
	// Migrations are numbered as they are planned and may land out of
	// order (00027 landed before 00026): a database that has a later one
	// is given the missing earlier one, which touches tables of its own.
	opts := []goose.ProviderOption{goose.WithAllowOutofOrder(true)}
	if s.dialect == Postgres {
		dialect = goose.DialectPostgres
		// Several instances may start at once on one database.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, s.db.DB, sub, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		slog.Info("migration applied", "version", r.Source.Version, "path", r.Source.Path)
	}
	if len(results) > 0 {
		if err := s.reanalyze(ctx); err != nil {
			return err
		}
	} else if err := s.dropSamples(ctx); err != nil {
		return err
	}
	if err := s.seed(ctx); err != nil {
		return err
	}
	return s.prepareHot(ctx)
}

// Transact runs fn in a transaction: commit on success, rollback on error
// or panic (which is re-raised). On PostgreSQL a serialization failure is
// retried.
func (s *DB) Transact(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	defer forgetMemo(ctx)
	if s.figures != nil {
		defer s.figures.wrote() // after the commit (figures.go)
	}
	for attempt := 0; ; attempt++ {
		err = s.transactOnce(ctx, fn)
		if attempt < 3 && isSerializationFailure(err) {
			continue
		}
		return err
	}
}

func (s *DB) transactOnce(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if s.dialect == Postgres && s.figures != nil {
		// Every process forgets its kept figures at the commit (figures.go).
		if _, err = tx.ExecContext(ctx, "NOTIFY "+figureChannel); err != nil {
			return fmt.Errorf("notify: %w", mapError(err))
		}
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", mapError(err))
	}
	return nil
}

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// actor returns the acting user of ctx, or an error: every lane-bound call
// needs one.
func actor(ctx context.Context) (*taotai.Actor, error) {
	a := taotai.ActorFromContext(ctx)
	if a == nil {
		return nil, taotai.Errorf(taotai.EUNAUTH, "请先登录。")
	}
	return a, nil
}

var errNoRows = sql.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }

// Redact hides the password of a postgres:// DSN, for logs and output.
func Redact(dsn string) string {
	if !IsPostgresDSN(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// reanalyze refreshes the planner's statistics after migrations of a
// database that holds data (on SQLite: one analyzed before, as the demo's
// load leaves it), so that the indexes a migration adds have statistics
// and are chosen; an empty database is left as it is.
func (s *DB) reanalyze(ctx context.Context) error {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'`
	if s.dialect == Postgres {
		q = `SELECT COUNT(*) FROM (SELECT 1 FROM enterprises LIMIT 1) x`
	}
	var n int
	if err := s.db.QueryRowContext(ctx, q).Scan(&n); err != nil || n == 0 {
		return err
	}
	slog.Info("planner statistics refreshed after the migrations")
	return s.Analyze(ctx)
}

// Analyze refreshes the query planner's statistics, as after a bulk load.
// On PostgreSQL it vacuums too, as autovacuum soon would after so many
// inserts: the visibility map it sets lets a count read an index alone
// (an index-only scan) instead of visiting every row's page.
func (s *DB) Analyze(ctx context.Context) error {
	q := `ANALYZE`
	if s.dialect == Postgres {
		// The counts that triggers keep are a few hundred rows updated
		// once per record loaded: after the demo's load their files held
		// 500-1,700 pages of dead versions (document_city_months: 769
		// rows in 13 MB), which every read of the dashboard and the home
		// page scanned. Rewritten compact (small, so quick: 1.6 s at
		// scale 100); autovacuum keeps them so under daily writes.
		if _, err := s.db.ExecContext(ctx, `VACUUM (FULL, ANALYZE) `+strings.Join(keptCounts, ", ")); err != nil {
			return err
		}
		q = `VACUUM (ANALYZE)`
	}
	if _, err := s.db.ExecContext(ctx, q); err != nil {
		return err
	}
	return s.dropSamples(ctx)
}

// keptCounts are the tables of counts that triggers keep in the writing
// transaction (LaneMismatches recounts them).
var keptCounts = []string{"enterprise_counts", "coverage_counts", "card_counts", "card_city_counts",
	"inspection_days", "inspection_months", "inspection_city_months", "hazard_days", "hazard_months",
	"hazard_city_months", "hazard_pending_months", "hazard_pending_city_months", "document_days",
	"document_months", "document_city_months"}

// dropSamples drops SQLite's sample statistics (sqlite_stat4), keeping the
// per-index averages (sqlite_stat1). With samples, a prepared statement
// whose parameter meets an index's leading column is planned again each
// time a value is bound (the planner reads the samples for that value):
// the enterprise page spent 45% of its CPU re-parsing its statements
// (487 -> 1,593 req/s without them, scale 100). The plans then depend on
// the statement alone, as on PostgreSQL's generic plans: a statement that
// needs a particular index says so in its text (see where.unindexed).
// Dropping the table changes the schema, so that every connection reloads
// its statistics.
func (s *DB) dropSamples(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat4'`).Scan(&n); err != nil || n == 0 {
		return err
	}
	_, err := s.db.ExecContext(ctx, `DROP TABLE sqlite_stat4`)
	return err
}
