// Package e2e drives the real pages in headless Chromium (Debian's), through
// chromedp. Without Chromium the tests skip, unless TAOTAI_REQUIRE_BROWSER=1
// (CI sets it), when they fail.
package e2e

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
	"taotai/internal/web"
)

// chromiumPath finds the browser, or skips (fails in CI).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("TAOTAI_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("TAOTAI_REQUIRE_BROWSER") == "1" {
		t.Fatal("TAOTAI_REQUIRE_BROWSER=1 but no Chromium found (apt-get install chromium)")
	}
	t.Skip("Chromium not installed")
	return ""
}

// browser starts a headless Chromium for the test and returns a tab
// context. Every action is bounded by the test's overall timeout.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("window-size", "1280,900"),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// Start the browser now, without a timeout (a timeout on the first run
	// would stop the whole browser).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// Three minutes: a journey of several pages took 71 s alone and 121 s
	// on the two cores shared with other test runs; a hang is still bounded.
	tctx, tcancel := context.WithTimeout(ctx, 180*time.Second)
	t.Cleanup(tcancel)
	return tctx
}

// app serves the system over a fresh SQLite database.
func app(t *testing.T) (*store.DB, string) {
	t.Helper()
	db := storetest.Open(t, store.SQLite)
	srv, err := web.New(web.Config{Store: db, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return db, ts.URL
}

const password = "correct horse battery"

func addUser(t *testing.T, db *store.DB, name, role, region, sector string) {
	t.Helper()
	u := &taotai.User{Username: name, DisplayName: "张明", Role: role, RegionCode: region, Sector: sector}
	if err := db.CreateUser(context.Background(), u, password); err != nil {
		t.Fatal(err)
	}
}

// login fills the login form.
func login(ctx context.Context, base, user, pw string) error {
	return chromedp.Do(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), user),
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
		chromedp.Click(chromedp.CSS("button.primary")),
		// The answer has arrived: a signed-in page (its sign-out form) or
		// the login page again with its error. Without this wait the next
		// navigation can cancel the sign-in's own (net::ERR_ABORTED).
		chromedp.WaitReady(chromedp.CSS(`form[action="/logout"], #login-error`)),
	)
}
