package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/web"
)

type serveFlags struct {
	addr        string
	dsn         string
	logJSON     bool
	metricsAddr string
	tlsCert     string
	tlsKey      string
	tls         *tls.Config // set by check when both TLS files are given
	tuning      store.Tuning
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "监听地址")
	fs.StringVar(&f.dsn, "db", defaultDSN(), dbUsage)
	fs.BoolVar(&f.logJSON, "log-json", false, "日志写成 JSON")
	fs.StringVar(&f.metricsAddr, "metrics-addr", "", "Prometheus /metrics 的监听地址，与对外地址分开（不给则不提供）")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "TLS 证书文件（PEM，含证书链）；与 --tls-key 同给时以 HTTPS 提供服务")
	fs.StringVar(&f.tlsKey, "tls-key", "", "TLS 私钥文件（PEM）")
	fs.IntVar(&f.tuning.Conns, "db-conns", 0, fmt.Sprintf("数据库连接池的最大连接数（默认 SQLite %d，PostgreSQL %d）",
		store.DefaultSQLiteConns, store.DefaultPostgresConns))
	fs.IntVar(&f.tuning.CacheMiB, "sqlite-cache", store.DefaultCacheMiB, "SQLite 每个连接的页缓存（MiB）")
	fs.IntVar(&f.tuning.MmapMiB, "sqlite-mmap", store.DefaultMmapMiB, "SQLite 数据库文件的内存映射上限（MiB）")
}

// check rejects contradictory flags and loads the TLS certificate, so that
// a mistake fails the start before anything else is done.
func (f *serveFlags) check() error {
	if f.tuning.Conns < 0 || f.tuning.CacheMiB < 1 || f.tuning.MmapMiB < 1 {
		return taotai.Errorf(taotai.EINVALID, "--db-conns 不能为负数，--sqlite-cache 和 --sqlite-mmap 至少为 1（MiB）。")
	}
	if (f.tlsCert == "") != (f.tlsKey == "") {
		return taotai.Errorf(taotai.EINVALID, "--tls-cert 和 --tls-key 必须同时给出（证书文件和私钥文件），或都不给出。")
	}
	if f.tlsCert == "" {
		return nil
	}
	cert, err := tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
	if err != nil {
		return taotai.Errorf(taotai.EINVALID, "无法读取 TLS 证书或私钥（%s，%s）：%v", f.tlsCert, f.tlsKey, err)
	}
	f.tls = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	return nil
}

func cmdServe(ctx context.Context, args []string, stderr io.Writer) error {
	var f serveFlags
	fs := newFlags("serve")
	f.register(fs)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(fs, err)
	}
	if len(rest) > 0 {
		return wrong(fs, "多余的参数："+rest[0])
	}
	if err := f.check(); err != nil {
		return err
	}
	log := newLogger(stderr, f.logJSON)
	slog.SetDefault(log)
	db, err := openStoreTuned(ctx, f.dsn, f.tuning)
	if err != nil {
		return err
	}
	defer db.Close()
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	return serve(ctx, ln, db, log, &f, nil)
}

// serve runs the web server on ln (HTTPS when f carries a certificate), and
// the metrics server on f.metricsAddr when set, until ctx ends; then it
// finishes the requests in flight (up to 20 s). ready, when set, is called
// once the servers accept connections.
func serve(ctx context.Context, ln net.Listener, db *store.DB, log *slog.Logger, f *serveFlags, ready func(url string)) error {
	tuneGC(log)
	cfg := web.Config{Store: db, Logger: log, Secure: f.tls != nil}
	var reg *prometheus.Registry
	if f.metricsAddr != "" {
		reg = newRegistry(db)
		cfg.Metrics = web.NewMetrics(reg)
	}
	srv, err := web.New(cfg)
	if err != nil {
		return err
	}
	eps := []endpoint{{name: "web", hs: newHTTPServer(srv.Handler(), log), ln: ln}}
	eps[0].hs.TLSConfig, eps[0].tls = f.tls, f.tls != nil
	if reg != nil {
		mln, err := net.Listen("tcp", f.metricsAddr)
		if err != nil {
			return fmt.Errorf("监控地址 --metrics-addr：%w", err)
		}
		eps = append(eps, endpoint{name: "metrics", hs: newHTTPServer(metricsHandler(reg, log), log), ln: mln})
	}
	return runEndpoints(ctx, eps, db, log, ready)
}

// newRegistry returns a Prometheus registry of its own (never the global
// one) with the Go runtime, the process and the database pool collectors.
func newRegistry(db *store.DB) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db.SQL(), "taotai"),
	)
	return reg
}

// metricsHandler answers GET /metrics and, for the operator profiling a
// slow page under load (docs/benchmarks.md), Go's /debug/pprof/: the
// metrics address is never the public one.
func metricsHandler(reg *prometheus.Registry, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		Registry: reg,
	}))
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return mux
}

func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
}

// endpoint is an HTTP server and the listener it serves.
type endpoint struct {
	name string
	hs   *http.Server
	ln   net.Listener
	tls  bool // served over TLS (decided at start: net/http may fill in TLSConfig itself while serving)
}

func (e endpoint) url() string {
	if e.tls {
		return "https://" + e.ln.Addr().String()
	}
	return "http://" + e.ln.Addr().String()
}

func (e endpoint) serve() error {
	if e.tls {
		return e.hs.ServeTLS(e.ln, "", "") // the certificate is in TLSConfig
	}
	return e.hs.Serve(e.ln)
}

// runEndpoints serves every endpoint until ctx ends or one fails, then shuts them
// all down, the web first, waiting for the requests in flight.
func runEndpoints(ctx context.Context, eps []endpoint, db *store.DB, log *slog.Logger, ready func(url string)) error {
	errc := make(chan error, len(eps))
	for _, e := range eps {
		go func() { errc <- e.serve() }()
		log.Info("taotai serving", "endpoint", e.name, "url", e.url(), "db", db.Dialect())
	}
	if ready != nil {
		ready(eps[0].url())
	}
	go cleanSessions(ctx, db, log)
	go db.FollowWrites(ctx, log) // forget kept figures at other processes' writes (PostgreSQL)
	var err error
	pending := len(eps)
	select {
	case err = <-errc:
		pending--
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, e := range eps {
		if serr := e.hs.Shutdown(sctx); serr != nil && err == nil {
			err = fmt.Errorf("shutdown %s: %w", e.name, serr)
		}
	}
	for ; pending > 0; pending-- {
		if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
	}
	return err
}

// cleanSessions removes expired sessions and sign-in throttle entries
// every ten minutes.
func cleanSessions(ctx context.Context, db *store.DB, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := db.Sessions().DeleteExpired(ctx); err != nil && ctx.Err() == nil {
				log.Warn("clean sessions", "err", err)
			}
			if err := db.DeleteExpiredSignIns(ctx); err != nil && ctx.Err() == nil {
				log.Warn("clean sign-in throttle", "err", err)
			}
		}
	}
}
