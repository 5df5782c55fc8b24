package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// requestInfo is what the layers inside the router learn about a request
// for observe to report: the route pattern that answered and the user.
type requestInfo struct {
	route string // the registered pattern, or unmatched
	user  string // username, empty when nobody is signed in
}

type requestInfoKey struct{}

// unmatched names the route of a request answered before the router, such
// as one refused by the cross-origin check.
const unmatched = "unmatched"

// observe logs every request once, at Info, and records it in the metrics
// when they are configured. It is the outermost layer, so the status and
// the time include the session commit and the checks around the router. A
// request whose client went away before the answer is logged and counted
// as 499 (StatusClientClosed), not as a 5xx.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{route: unmatched}
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			p := recover()
			status := rec.code()
			switch {
			case p != nil && rec.status == 0:
				status = http.StatusInternalServerError // net/http drops the connection
			case p == nil && clientGone(r) && (rec.status == 0 || status >= 500):
				// The client left before the answer: whatever failed
				// because of it is not a server error.
				status = StatusClientClosed
			}
			s.report(r, info, status, time.Since(start))
			if p != nil {
				panic(p)
			}
		}()
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info)))
	})
}

// report writes the access log line and the metrics of one request.
func (s *Server) report(r *http.Request, info *requestInfo, status int, d time.Duration) {
	s.metrics.observe(r.Method, info.route, status, d)
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("pattern", info.route),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.Duration("duration", d),
		slog.String("remote", r.RemoteAddr),
	}
	if info.user != "" {
		attrs = append(attrs, slog.String("user", info.user))
	}
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
}

// withRoute tells observe which registered pattern answers the request and
// who is signed in (the user is known here, inside loadUser).
func withRoute(pattern string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
			info.route = pattern
			if u := currentUser(r); u != nil {
				info.user = u.Username
			}
		}
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status of the answer.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the first final status.
func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records the implicit 200 of a body written without a status.
func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// code is the status sent: 200 when the handler wrote nothing.
func (w *statusRecorder) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
