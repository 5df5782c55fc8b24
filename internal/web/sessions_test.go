package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

func countSessions(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestNoSessionForAnonymousVisitors: loading pages without signing in
// (the login form, protected pages, static files, a failed sign-in) stores
// no session; the login form's CSRF protection holds all the same.
func TestNoSessionForAnonymousVisitors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		addUser(t, db, "clerk", taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
		ts := newServer(t, db)
		for i := 0; i < 100; i++ {
			c := newClient(t, ts) // a new visitor each time, as a flood would be
			for _, p := range []string{"/login", "/", "/enterprises/1", "/admin/sessions", "/login/totp", "/static/style.css", "/no-such-page"} {
				c.get(p)
			}
		}
		c := newClient(t, ts)
		tok := c.csrf("/login")
		if r := c.post("/login", url.Values{"csrf_token": {tok}, "username": {"clerk"}, "password": {"wrong password"}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("failed sign-in: %d", r.Status)
		}
		if n := countSessions(t, db); n != 0 {
			t.Fatalf("%d session rows after anonymous requests, want 0", n)
		}

		// The double-submit cookie: HttpOnly, SameSite=Strict.
		res, err := http.Get(ts.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		var cookie *http.Cookie
		for _, k := range res.Cookies() {
			if k.Name == "taotai_csrf" {
				cookie = k
			}
		}
		if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || len(cookie.Value) != 43 {
			t.Fatalf("form token cookie: %v", res.Header["Set-Cookie"])
		}
		// A token without its cookie, or another visitor's, is refused.
		other := newClient(t, ts)
		if r := other.post("/login", url.Values{"csrf_token": {tok}, "username": {"clerk"}, "password": {password}}); r.Status != http.StatusForbidden {
			t.Fatalf("a token without its cookie: %d", r.Status)
		}
		other.csrf("/login")
		if r := other.post("/login", url.Values{"csrf_token": {tok}, "username": {"clerk"}, "password": {password}}); r.Status != http.StatusForbidden {
			t.Fatalf("another visitor's token: %d", r.Status)
		}
		if r := c.post("/login", url.Values{"username": {"clerk"}, "password": {password}}); r.Status != http.StatusForbidden {
			t.Fatalf("no token: %d", r.Status)
		}

		// The page asked for before signing in is where sign-in leads.
		if r := c.get("/keylist/2020"); r.Status != http.StatusSeeOther || r.Location != "/login" {
			t.Fatalf("anonymous /keylist/2020: %d → %q", r.Status, r.Location)
		}
		r := c.post("/login", url.Values{"csrf_token": {c.csrf("/login")}, "username": {"clerk"}, "password": {password}})
		if r.Status != http.StatusSeeOther || r.Location != "/keylist/2020" {
			t.Fatalf("sign-in: %d → %q", r.Status, r.Location)
		}
		if n := countSessions(t, db); n != 1 {
			t.Fatalf("%d session rows after one sign-in, want 1", n)
		}
		// Once signed in, the forms carry the session's token, not the
		// visitor's.
		if signed := c.csrf("/account"); signed == tok {
			t.Fatal("the session kept the visitor's token")
		}
		if r := c.post("/logout", url.Values{"csrf_token": {tok}}); r.Status != http.StatusForbidden {
			t.Fatalf("the visitor's token on a signed-in form: %d", r.Status)
		}
	})
}

type sessionRow struct {
	data    []byte
	expiry  time.Time
	seenAt  time.Time
	entries int
}

func readSession(t *testing.T, db *store.DB) sessionRow {
	t.Helper()
	var s sessionRow
	if err := db.SQL().QueryRow(`SELECT data, expiry, seen_at FROM sessions`).Scan(&s.data, &s.expiry, &s.seenAt); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM audit_log`).Scan(&s.entries); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s sessionRow) same(o sessionRow) bool {
	return bytes.Equal(s.data, o.data) && s.expiry.Equal(o.expiry) && s.seenAt.Equal(o.seenAt) && s.entries == o.entries
}

// TestSignedInGetWritesNothing: pages read by a signed-in user write
// nothing while their last-seen time is under a minute old; once it is
// older, the next request refreshes it (and so the idle expiry), once.
func TestSignedInGetWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("ansh_clerk")
		path := idPath(f.own.ID, "")
		if r := c.get(path); r.Status != http.StatusOK {
			t.Fatalf("first GET: %d", r.Status)
		}
		before := readSession(t, db)
		time.Sleep(10 * time.Millisecond)
		for _, p := range []string{path, path, "/enterprises", "/static/style.css"} {
			if r := c.get(p); r.Status != http.StatusOK {
				t.Fatalf("GET %s: %d", p, r.Status)
			}
		}
		if after := readSession(t, db); !after.same(before) {
			t.Fatalf("signed-in GETs wrote: seen %v → %v, expiry %v → %v, audit %d → %d",
				before.seenAt, after.seenAt, before.expiry, after.expiry, before.entries, after.entries)
		}
		res, err := http.Get(ts.URL + "/static/style.css")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if len(res.Cookies()) != 0 || strings.Contains(fmt.Sprint(res.Header["Vary"]), "Cookie") {
			t.Fatalf("a static file went through the session: %v", res.Header)
		}

		// Two minutes unseen: the next GET refreshes the row, then no more.
		deadline, values, err := store.SessionCodec{}.Decode(before.data)
		if err != nil {
			t.Fatal(err)
		}
		values[store.SessionSeen] = time.Now().Add(-2 * time.Minute).Unix()
		b, _ := store.SessionCodec{}.Encode(deadline, values)
		if _, err := db.SQL().Exec(`UPDATE sessions SET data = $1`, b); err != nil {
			t.Fatal(err)
		}
		c.get(path)
		refreshed := readSession(t, db)
		_, values, err = store.SessionCodec{}.Decode(refreshed.data)
		if seen, _ := values[store.SessionSeen].(int64); err != nil || time.Since(time.Unix(seen, 0)) > 5*time.Second ||
			time.Until(refreshed.expiry) < store.DefaultIdleTimeout-5*time.Second {
			t.Fatalf("a stale session was not refreshed: seen %v, expiry %v (%v)", time.Unix(seen, 0), refreshed.expiry, err)
		}
		c.get(path)
		if again := readSession(t, db); !again.same(refreshed) {
			t.Fatal("the refresh was written twice")
		}
	})
}
