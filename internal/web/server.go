// Package web serves taotai's HTML pages: server-rendered, in Chinese,
// with templates and assets embedded in the binary.
package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"taotai"
	"taotai/internal/store"
)

// Server holds what the handlers need.
type Server struct {
	store    *store.DB
	sessions *scs.SessionManager
	tmpl     *templates
	log      *slog.Logger
	secure   bool // served over TLS: Secure cookies and HSTS
	metrics  *Metrics
	idle     time.Duration // a signed-in session ends after this long unused
}

// Config configures a Server.
type Config struct {
	Store       *store.DB
	Logger      *slog.Logger
	Secure      bool
	IdleTimeout time.Duration // default 30 minutes
	Lifetime    time.Duration // absolute session lifetime, default 12 hours
	Metrics     *Metrics      // request metrics; nil: none
}

// New returns a server; a broken template fails here, not in a request.
func New(cfg Config) (*Server, error) {
	t, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	sm := scs.New()
	idle := orDefault(cfg.IdleTimeout, store.DefaultIdleTimeout)
	// Not scs's IdleTimeout, which rewrites the session on every request:
	// the store expires a row idle after its last-seen time, which
	// loadUser refreshes at most once a minute.
	sm.Store = cfg.Store.Sessions().WithIdleTimeout(idle)
	sm.Codec = store.SessionCodec{}
	sm.Lifetime = orDefault(cfg.Lifetime, 12*time.Hour)
	sm.Cookie.Name = "taotai_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.Secure
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		if clientGone(r) {
			w.WriteHeader(StatusClientClosed)
			return
		}
		cfg.Logger.Error("session", "err", err)
		http.Error(w, "系统内部错误", http.StatusInternalServerError)
	}
	return &Server{store: cfg.Store, sessions: sm, tmpl: t, log: cfg.Logger, secure: cfg.Secure, metrics: cfg.Metrics, idle: idle}, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Handler returns the whole web application.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.Routes() {
		mux.Handle(rt.Pattern, withRoute(rt.Pattern, s.wrap(rt)))
	}
	// Static files touch no session: they are served beside the pages.
	root := http.NewServeMux()
	root.Handle("GET /static/", withRoute("GET /static/", http.StripPrefix("/static/", s.static())))
	root.Handle("/", withSessionUser(s.sessions.LoadAndSave(s.loadUser(s.formToken(mux)))))
	var h http.Handler = root
	h = http.NewCrossOriginProtection().Handler(h)
	h = s.securityHeaders(h)
	h = compress(h)
	h = s.observe(h)
	return h
}

// securityHeaders sets the headers every answer carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		// One Cache-Control on every answer: a handler that caches (the
		// static files) replaces it.
		h.Set("Cache-Control", cacheNever)
		if s.secure {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// loadUser puts the signed-in user and their actor into the context.
// withSessionUser has the session store read the signed-in user with the
// session (store.WithSessionUser), for loadUser.
func withSessionUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(store.WithSessionUser(r.Context())))
	})
}

func (s *Server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(taotai.WithClientAddr(r.Context(), clientIP(r)))
		id := s.sessions.GetInt64(r.Context(), sessionUserID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		u, a, ok := store.SessionUser(r.Context(), id)
		var err error
		if !ok {
			u, a, err = s.store.FindActor(r.Context(), id)
		}
		if err != nil || u.Disabled || !s.touch(r) {
			// A session the store keeps after a failed delete still
			// meets this check on its next request.
			if err := s.sessions.Destroy(r.Context()); err != nil {
				s.log.Error("destroy session", "err", err)
			}
			next.ServeHTTP(w, r)
			return
		}
		ctx := store.WithRequestMemo(taotai.NewContextWithActor(r.Context(), a))
		ctx = context.WithValue(ctx, userKey{}, u)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// touch reports whether the signed-in session is within its idle timeout,
// and refreshes its last-seen time once that is a minute old: the one
// write a request that changes nothing may cause, at most once a minute.
func (s *Server) touch(r *http.Request) bool {
	now := time.Now()
	seen := time.Unix(s.sessions.GetInt64(r.Context(), store.SessionSeen), 0)
	if now.Sub(seen) > s.idle && seen.Unix() != 0 {
		return false
	}
	if now.Sub(seen) >= time.Minute {
		s.sessions.Put(r.Context(), store.SessionSeen, now.Unix())
	}
	return true
}

type userKey struct{}

// currentUser returns the signed-in user, or nil.
func currentUser(r *http.Request) *taotai.User {
	u, _ := r.Context().Value(userKey{}).(*taotai.User)
	return u
}

const (
	sessionUserID      = store.SessionUserID
	sessionPendingTOTP = "totp_pending"
	sessionCSRF        = "csrf"
	sessionFlash       = "flash"
)

// clientIP is the address the request came from, without the port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
