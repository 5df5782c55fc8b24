package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"taotai/internal/store"
	"taotai/internal/web"
)

type serveFlags struct {
	addr    string
	dsn     string
	logJSON bool
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&f.dsn, "db", defaultDSN(), "database: SQLite file path or postgres:// URL")
	fs.BoolVar(&f.logJSON, "log-json", false, "log in JSON")
}

func cmdServe(ctx context.Context, args []string, stderr io.Writer) error {
	var f serveFlags
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	log := newLogger(stderr, f.logJSON)
	slog.SetDefault(log)
	db, err := openStore(ctx, f.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	return serve(ctx, ln, db, log, nil)
}

// serve runs the web server on ln until ctx ends, then finishes the
// requests in flight (up to 20 s). ready, when set, is called once the
// server accepts connections.
func serve(ctx context.Context, ln net.Listener, db *store.DB, log *slog.Logger, ready func(url string)) error {
	srv, err := web.New(web.Config{Store: db, Logger: log})
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	url := "http://" + ln.Addr().String()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("taotai serving", "url", url, "db", db.Dialect())
	if ready != nil {
		ready(url)
	}
	go cleanSessions(ctx, db, log)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// cleanSessions removes expired sessions every ten minutes.
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
		}
	}
}
