//go:build unix

package main

import (
	"context"
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// holdWriteLock takes SQLite's write lock on the file from this process,
// so that any write of the server waits (its busy timeout is 10 s), and
// returns the function that releases it.
func holdWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
			t.Error(err)
		}
		conn.Close()
	}
}

type answer struct {
	status int
	err    error
}

// failedLoginAsync posts a wrong password to base's login form, a request
// that writes (the failure is counted and recorded), and delivers the
// answer once its body is read. The form's token is fetched first.
func failedLoginAsync(t *testing.T, base string) <-chan answer {
	t.Helper()
	res, err := insecureClient().Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	_, after, _ := strings.Cut(string(b), `name="csrf_token" value="`)
	token, _, _ := strings.Cut(after, `"`)
	form := url.Values{"csrf_token": {token}, "username": {"nobody"}, "password": {"wrong password"}}
	req, err := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	for _, k := range res.Cookies() {
		req.AddCookie(k)
	}
	return doAsync(req)
}

// doAsync sends req and delivers the answer once its body is read.
func doAsync(req *http.Request) <-chan answer {
	c := make(chan answer, 1)
	go func() {
		res, err := insecureClient().Do(req)
		if err != nil {
			c <- answer{err: err}
			return
		}
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		c <- answer{status: res.StatusCode, err: err}
	}()
	return c
}

// TestShutdownFinishesRequestsInFlight sends SIGTERM while a request waits
// on the database: the server stops accepting connections at once, answers
// the request when the database frees, and exits with status 0.
func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	bin := buildTaotai(t)
	dbPath := filepath.Join(t.TempDir(), "taotai.db")
	base, cmd := startServe(t, bin, "--db", dbPath)

	release := holdWriteLock(t, dbPath)
	inFlight := failedLoginAsync(t, base) // blocks counting and recording the failure
	time.Sleep(300 * time.Millisecond)
	select {
	case a := <-inFlight:
		release()
		t.Fatalf("POST /login answered while the database was locked (%d, %v); the test holds nothing in flight", a.status, a.err)
	default:
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if conn, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), time.Second); err == nil {
		conn.Close()
		t.Error("a new connection was accepted after SIGTERM")
	}
	select {
	case <-exited(t, cmd):
		t.Fatal("the process exited with a request in flight")
	default:
	}
	release()

	select {
	case a := <-inFlight:
		if a.err != nil || a.status != http.StatusUnauthorized {
			t.Errorf("request in flight: status %d, err %v; want 401", a.status, a.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the request in flight was not answered")
	}
	if err := waitExit(t, cmd, 10*time.Second); err != nil {
		t.Errorf("exit after SIGTERM: %v, want status 0", err)
	}
}

// TestMetricsOnSeparateAddress: /metrics answers on --metrics-addr only,
// with route patterns as labels and the database pool's figures; so do
// Go's profiles (/debug/pprof/).
func TestMetricsOnSeparateAddress(t *testing.T) {
	bin := buildTaotai(t)
	metricsAddr := freeAddr(t)
	base, _ := startServe(t, bin, "--metrics-addr", metricsAddr)
	hc := insecureClient()
	get := func(url string) (int, string) {
		t.Helper()
		res, err := hc.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if status, _ := get(base + "/enterprises/42"); status != http.StatusSeeOther {
		t.Fatalf("anonymous GET /enterprises/42: %d, want 303", status)
	}
	if status, _ := get(base + "/metrics"); status != http.StatusNotFound {
		t.Errorf("GET /metrics on the public address: %d, want 404", status)
	}
	status, body := get("http://" + metricsAddr + "/metrics")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics on --metrics-addr: %d", status)
	}
	for _, want := range []string{
		`taotai_http_requests_total{method="GET",route="GET /enterprises/{id}",status="3xx"} 1`,
		`taotai_http_requests_total{method="GET",route="/",status="4xx"} 1`,
		`taotai_http_request_duration_seconds_bucket{route="GET /healthz",le="+Inf"}`,
		`go_sql_open_connections{db_name="taotai"}`,
		`go_sql_max_open_connections{db_name="taotai"} 8`,
		`go_sql_wait_count_total{db_name="taotai"}`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "/enterprises/42") {
		t.Error("metrics carry a raw path as a label")
	}
	// Go's profiles are for the operator: on the metrics address only.
	if status, body := get("http://" + metricsAddr + "/debug/pprof/"); status != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("GET /debug/pprof/ on --metrics-addr: %d", status)
	}
	if status, _ := get(base + "/debug/pprof/"); status != http.StatusNotFound {
		t.Errorf("GET /debug/pprof/ on the public address: %d, want 404", status)
	}
}
