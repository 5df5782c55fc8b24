package web_test

import (
	"net/http"
	"strings"
	"testing"

	"taotai/internal/store"
	"taotai/internal/store/storetest"
	"taotai/internal/web"
)

// TestSignedInRoutesNeedLogin walks every registered route: those marked
// SignedIn send an anonymous visitor to the login page and change nothing.
// (The full role × region × sector walk comes with the trust issue.)
func TestSignedInRoutesNeedLogin(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	srv, err := web.New(web.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	ts := newServer(t, db)
	c := newClient(t, ts)
	for _, rt := range srv.Routes() {
		method, path, ok := strings.Cut(rt.Pattern, " ")
		if !ok {
			method, path = "GET", rt.Pattern
		}
		if rt.Pattern == "/" {
			path = "/no-such-page" // the catch-all
		}
		path = strings.NewReplacer("{id}", "1", "{year}", "2020", "{$}", "").Replace(path)
		var r *response
		if method == http.MethodPost {
			r = c.post(path, nil)
		} else {
			r = c.get(path)
		}
		switch rt.Access {
		case web.SignedIn:
			if r.Status != http.StatusSeeOther || r.Location != "/login" {
				t.Errorf("%s: %d → %q, want the login page", rt.Pattern, r.Status, r.Location)
			}
		case web.Public:
			if r.Status == http.StatusSeeOther && r.Location == "/login" {
				t.Errorf("%s is public but asks for login", rt.Pattern)
			}
		}
	}
}
