package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"taotai/internal/store"
	"taotai/internal/store/storetest"
	"taotai/internal/web"
)

// A client that goes away before the answer is logged as 499 and not
// counted as a server error.
func TestClientGoneIs499(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	reg := prometheus.NewRegistry()
	logs := &logBuffer{}
	srv, err := web.New(web.Config{Store: db, Metrics: web.NewMetrics(reg), Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	for i, path := range []string{"/healthz", "/"} { // the database's ping, the session's look-up fail
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // the client has left
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", path, nil).WithContext(ctx)
		if path == "/" {
			req.AddCookie(&http.Cookie{Name: "taotai_session", Value: "a-session-token-to-look-up"})
		}
		h.ServeHTTP(rec, req)
		recs := logs.requests(t, i+1)
		if len(recs) != i+1 || recs[i]["status"] != float64(web.StatusClientClosed) {
			t.Errorf("GET %s logged as %v, want status 499", path, recs)
		}
		route := map[string]string{"route": "GET " + path}
		if path == "/" {
			route["route"] = "unmatched" // the session is looked up before the route
		}
		if got := sample(t, reg, "taotai_http_errors_total", route); got != 0 {
			t.Errorf("GET %s: errors_total = %v, want 0", path, got)
		}
		route["status"] = "5xx"
		if got := sample(t, reg, "taotai_http_requests_total", route); got != 0 {
			t.Errorf("GET %s: counted as 5xx", path)
		}
		route["status"] = "4xx"
		if got := sample(t, reg, "taotai_http_requests_total", route); got != 1 {
			t.Errorf("GET %s: requests_total 4xx = %v, want 1", path, got)
		}
	}
}

// /static/ serves files, never a directory listing.
func TestStaticNoListing(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	c := newClient(t, newServer(t, db))
	if r := c.get("/static/style.css"); r.Status != http.StatusOK {
		t.Fatalf("GET /static/style.css: %d", r.Status)
	}
	for _, p := range []string{"/static/", "/static/somedir/", "/static/style.css/", "/static/somedir"} {
		r := c.get(p)
		if r.Status != http.StatusNotFound && r.Status != http.StatusMovedPermanently {
			t.Errorf("GET %s: %d, want 404", p, r.Status)
		}
		if r.Status == http.StatusMovedPermanently {
			r = c.get(r.Location)
			if r.Status != http.StatusNotFound {
				t.Errorf("GET %s → %s: %d, want 404", p, r.Location, r.Status)
			}
		}
		if r.Doc.Find(`a[href="style.css"]`).Length() != 0 {
			t.Errorf("GET %s lists the directory", p)
		}
	}
}
