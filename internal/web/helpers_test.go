package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/web"
)

const password = "correct horse battery"

// newServer serves the application on a test server over db.
func newServer(t testing.TB, db *store.DB) *httptest.Server {
	t.Helper()
	srv, err := web.New(web.Config{Store: db, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// addUser creates an account in the database.
func addUser(t testing.TB, db *store.DB, name, role, region, sector string) {
	t.Helper()
	if err := db.CreateUser(context.Background(), &taotai.User{Username: name, Role: role, RegionCode: region, Sector: sector}, password); err != nil {
		t.Fatal(err)
	}
}

// client is a browser-like client: cookies, no automatic redirects.
type client struct {
	t    testing.TB
	base string
	hc   *http.Client
}

// newClient returns a client of its own: its own cookies and, like a
// person at their own desk, its own address (127.0.0.2, .3 …), so that the
// sign-in throttle, which counts failures per address, sees each client
// apart.
func newClient(t testing.TB, ts *httptest.Server) *client {
	jar, _ := cookiejar.New(nil)
	n := clients.Add(1)
	local := &net.TCPAddr{IP: net.IPv4(127, byte(n/250%250), byte(n%250), 2)}
	dialer := &net.Dialer{LocalAddr: local}
	tr := &http.Transport{DialContext: dialer.DialContext}
	t.Cleanup(tr.CloseIdleConnections)
	return &client{t: t, base: ts.URL, hc: &http.Client{Jar: jar, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// clients numbers the test clients, for their addresses.
var clients atomic.Int64

type response struct {
	Status   int
	Location string
	Header   http.Header
	Body     string
	Doc      *goquery.Document
}

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	return &response{Status: res.StatusCode, Location: res.Header.Get("Location"), Header: res.Header, Body: string(b), Doc: doc}
}

func (c *client) get(path string) *response {
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		c.t.Fatalf("request %q: %v", path, err)
	}
	return c.do(req)
}

// post sends a form as the browser would, from the same origin.
func (c *client) post(path string, form url.Values) *response {
	req, err := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatalf("request %q: %v", path, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// csrf reads the token from a page's form.
func (c *client) csrf(path string) string {
	c.t.Helper()
	r := c.get(path)
	tok, ok := r.Doc.Find(`input[name=csrf_token]`).Attr("value")
	if !ok {
		c.t.Fatalf("no csrf token on %s (status %d)", path, r.Status)
	}
	return tok
}

func (c *client) login(username string) { c.loginAs(username, password) }

func (c *client) loginAs(username, pw string) {
	c.t.Helper()
	r := c.post("/login", url.Values{"csrf_token": {c.csrf("/login")}, "username": {username}, "password": {pw}})
	if r.Status != http.StatusSeeOther {
		c.t.Fatalf("login %s: status %d: %s", username, r.Status, r.Doc.Find("#login-error").Text())
	}
}

func text(r *response, sel string) string { return strings.TrimSpace(r.Doc.Find(sel).Text()) }

func idPath(id int64, suffix string) string { return fmt.Sprintf("/enterprises/%d%s", id, suffix) }

// quiet is the tests' logger: request logs would drown the failures.
var quiet = slog.New(slog.DiscardHandler)
