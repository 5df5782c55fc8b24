package web_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
	"taotai/internal/web"
)

// logBuffer collects JSON log lines written by the server's goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// requests returns the access-log records, waiting up to two seconds for
// n of them: a line is written just after the answer is sent.
func (b *logBuffer) requests(t *testing.T, n int) []map[string]any {
	t.Helper()
	var recs []map[string]any
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		b.mu.Lock()
		lines := strings.Split(strings.TrimSpace(b.buf.String()), "\n")
		b.mu.Unlock()
		recs = recs[:0]
		for _, l := range lines {
			var rec map[string]any
			if json.Unmarshal([]byte(l), &rec) == nil && rec["msg"] == "request" {
				recs = append(recs, rec)
			}
		}
		if len(recs) >= n || time.Now().After(deadline) {
			return recs
		}
	}
}

func TestEveryRequestLoggedOnce(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	addUser(t, db, "root", taotai.RoleAdmin, taotai.ProvinceCode, "")
	logs := &logBuffer{}
	srv, err := web.New(web.Config{Store: db, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	c := newClient(t, ts)
	c.login("root")            // GET /login, POST /login
	c.get("/enterprises/9999") // not found, signed in

	recs := logs.requests(t, 3)
	if len(recs) != 3 {
		t.Fatalf("%d request lines for 3 requests: %v", len(recs), recs)
	}
	last := recs[2]
	want := map[string]any{"level": "INFO", "method": "GET", "pattern": "GET /enterprises/{id}", "path": "/enterprises/9999", "status": float64(404), "user": "root"}
	for k, v := range want {
		if last[k] != v {
			t.Errorf("%s = %v, want %v", k, last[k], v)
		}
	}
	for _, k := range []string{"duration", "remote"} {
		if _, ok := last[k]; !ok {
			t.Errorf("no %s in %v", k, last)
		}
	}
	if _, ok := recs[0]["user"]; ok {
		t.Errorf("anonymous GET /login logged with a user: %v", recs[0])
	}
}
