package main

// Helpers for tests that run the real binary as a separate process. The
// binary is built once per test run, on first use, and removed by TestMain.

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

var testbin struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if testbin.dir != "" {
		os.RemoveAll(testbin.dir)
	}
	os.Exit(code)
}

// buildTaotai returns the path of the taotai binary built from this
// package, building it on the first call of the test run.
func buildTaotai(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	testbin.once.Do(func() {
		testbin.dir, testbin.err = os.MkdirTemp("", "taotai-testbin-")
		if testbin.err != nil {
			return
		}
		testbin.path = filepath.Join(testbin.dir, "taotai")
		cmd := exec.Command(goTool(), "build", "-o", testbin.path, ".")
		if out, err := cmd.CombinedOutput(); err != nil {
			testbin.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if testbin.err != nil {
		t.Fatal(testbin.err)
	}
	return testbin.path
}

// goTool returns the go command that runs these tests: go test puts its
// own GOROOT/bin first on the tests' PATH (since Go 1.19).
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go" // not found: running it says so
}

// freeAddr returns a 127.0.0.1 address with a port free at the moment.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// procOutput collects a process's stderr; safe while the process writes.
type procOutput struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *procOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *procOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// startServe runs `taotai serve --addr 127.0.0.1:PORT args...` on a free
// port and waits until /healthz answers 200. Without --db in args it uses
// a fresh SQLite file; with --tls-cert the base URL is https:// (check it
// with insecureClient). The process is killed at the end of the test and
// its output shown if the test failed. A test that stops the process
// itself waits for its end with waitExit or exited, never cmd.Wait.
func startServe(t testing.TB, bin string, args ...string) (baseURL string, cmd *exec.Cmd) {
	t.Helper()
	addr := freeAddr(t)
	argv := append([]string{"serve", "--addr", addr}, args...)
	if !slices.Contains(args, "--db") {
		argv = append(argv, "--db", filepath.Join(t.TempDir(), "taotai.db"))
	}
	scheme := "http"
	if slices.Contains(args, "--tls-cert") {
		scheme = "https"
	}
	out := &procOutput{}
	cmd = exec.Command(bin, argv...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{done: make(chan struct{})}
	procs.Store(cmd, p)
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
		procs.Delete(cmd)
		if t.Failed() {
			t.Logf("taotai serve output:\n%s", out)
		}
	})
	baseURL = scheme + "://" + addr
	waitHealthy(t, baseURL, out, p.done)
	return baseURL, cmd
}

// waitHealthy polls /healthz for up to 30 s, until the process ends.
func waitHealthy(t testing.TB, baseURL string, out *procOutput, done <-chan struct{}) {
	t.Helper()
	hc := insecureClient()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		res, err := hc.Get(baseURL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-done:
			t.Fatalf("taotai serve exited before answering:\n%s", out)
		default:
		}
	}
	t.Fatalf("taotai serve did not become healthy at %s:\n%s", baseURL, out)
}

// insecureClient is an HTTP client that accepts the self-signed
// certificates of tests and follows no redirects.
func insecureClient() *http.Client {
	return &http.Client{
		Timeout:       20 * time.Second,
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// proc is the end of a process started by startServe, which waits for it
// (tests must not call cmd.Wait themselves).
type proc struct {
	done chan struct{} // closed when the process has ended
	err  error         // its exit error, nil for status 0
}

var procs sync.Map // *exec.Cmd → *proc

// exited returns a channel closed when the process started by startServe
// ends.
func exited(t testing.TB, cmd *exec.Cmd) <-chan struct{} {
	t.Helper()
	p, ok := procs.Load(cmd)
	if !ok {
		t.Fatal("exited: the process was not started by startServe")
	}
	return p.(*proc).done
}

// waitExit waits up to timeout for the process started by startServe to
// end and returns its exit error (nil for status 0); past the timeout it
// fails the test (and the process is killed at cleanup).
func waitExit(t testing.TB, cmd *exec.Cmd, timeout time.Duration) error {
	t.Helper()
	select {
	case <-exited(t, cmd):
		p, _ := procs.Load(cmd)
		return p.(*proc).err
	case <-time.After(timeout):
		t.Fatalf("taotai did not exit within %v", timeout)
		return nil
	}
}
