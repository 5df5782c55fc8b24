package main

import (
	"net/http"
	"os/exec"
	"regexp"
	"testing"
	"time"
)

// TestDemoBannerAnswers: the address `taotai demo` prints is the one it
// serves, with the scheme it serves (plain HTTP here, not https://).
func TestDemoBannerAnswers(t *testing.T) {
	bin := buildTaotai(t)
	out := &procOutput{}
	cmd := exec.Command(bin, "demo", "--addr", freeAddr(t))
	cmd.Dir = t.TempDir()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	banner := regexp.MustCompile(`已启动：(\S+)`)
	var url string
	for deadline := time.Now().Add(60 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if m := banner.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		t.Fatalf("no banner:\n%s", out.String())
	}
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`).MatchString(url) {
		t.Fatalf("banner address %q, want http://127.0.0.1:PORT", url)
	}
	res, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatalf("GET %s/healthz: %v", url, err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s/healthz: %d", url, res.StatusCode)
	}
}
