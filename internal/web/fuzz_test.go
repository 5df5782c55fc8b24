package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// The fuzz tests throw arbitrary outside input at the parsers of forms,
// query strings and addresses, through the real handlers: the answer may
// be a refusal, never a crash or a 500, and a refused write changes nothing.

// sendable reports whether a client could put s in a URL as it is.
func sendable(s string) bool {
	for _, r := range s {
		if r < 0x21 || r == 0x7f || r == '#' {
			return false
		}
	}
	return true
}

// fuzzClient serves a fresh SQLite database and signs in as a city clerk
// (and, with admin, as an administrator).
func fuzzClient(f *testing.F, role string) (*client, *store.DB) {
	db := storetest.Open(f, store.SQLite)
	region, sector := "210300", taotai.SectorNonCoal
	if role == taotai.RoleAdmin {
		region, sector = taotai.ProvinceCode, ""
	}
	addUser(f, db, "fuzzer", role, region, sector)
	c := newClient(f, newServer(f, db))
	c.login("fuzzer")
	return c, db
}

func count(db *store.DB) int {
	_, n, _ := db.FindEnterprises(taotai.NewContextWithActor(context.Background(), taotai.System), taotai.EnterpriseFilter{Limit: 1})
	return n
}

func FuzzEnterpriseForm(f *testing.F) {
	f.Add("鞍山宏达钢铁有限公司", "91210300241471030L", "鞍山市铁东区园林路1号", "210302", "1", "normal", "024-1")
	f.Add("", "123", "", "210399", "abc", "closed", "")
	f.Add("甲\x00乙", "９１２１０３００２４１４７１０３０Ｌ", strings.Repeat("路", 300), "210902", "5", "stopped", "\u202e")
	f.Add("x", "91350100M0001TGQXM", "y", "219900", "-1", "partial", "%00")
	c, db := fuzzClient(f, taotai.RoleCityClerk)
	tok := c.csrf("/account")
	f.Fuzz(func(t *testing.T, name, code, address, region, industry, state, phone string) {
		c.t = t
		before := count(db)
		r := c.post("/enterprises", url.Values{"csrf_token": {tok}, "name": {name}, "credit_code": {code}, "address": {address},
			"region": {region}, "industry": {industry}, "production_state": {state}, "contact_phone": {phone}})
		switch r.Status {
		case http.StatusSeeOther:
			if count(db) != before+1 {
				t.Fatalf("created, but %d → %d enterprises", before, count(db))
			}
		case http.StatusBadRequest, http.StatusConflict:
			if count(db) != before {
				t.Fatalf("refused, yet %d → %d enterprises", before, count(db))
			}
			if r.Doc.Find("#error-summary").Length() != 1 {
				t.Fatalf("refused without a message: %.300s", r.Body)
			}
		default:
			t.Fatalf("status %d for %q %q %q %q %q %q", r.Status, name, code, address, region, industry, state)
		}
	})
}

func FuzzRegistryQuery(f *testing.F) {
	for _, q := range []string{"", "q=钢铁", "q=%25&page=-3", "region=210300&industry=x&state=normal&year=2020", "page=99999999999999999999",
		"q=%ff%fe", "year=2020&year=2021", "region=21%00"} {
		f.Add(q)
	}
	c, _ := fuzzClient(f, taotai.RoleCityClerk)
	f.Fuzz(func(t *testing.T, raw string) {
		c.t = t
		if !sendable(raw) {
			return // not a query string a client can send
		}
		r := c.get("/enterprises?" + raw)
		if r.Status != http.StatusOK && r.Status != http.StatusBadRequest {
			t.Fatalf("GET /enterprises?%s: %d", raw, r.Status)
		}
		if r.Status == http.StatusOK && r.Doc.Find("#result-count").Length() != 1 {
			t.Fatalf("no result count for %q", raw)
		}
	})
}

func FuzzAddresses(f *testing.F) {
	for _, p := range []string{"/enterprises/1", "/enterprises/abc/edit", "/enterprises/-0", "/keylist/20%2020", "/enterprises/1e3",
		"/admin/campaign/x", "/enterprises/%E4%B8%AD", "/keylist/99999999999"} {
		f.Add(p)
	}
	c, _ := fuzzClient(f, taotai.RoleAdmin)
	f.Fuzz(func(t *testing.T, p string) {
		c.t = t
		u, err := url.Parse(p)
		if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(p, "//") ||
			!sendable(p) || strings.Contains(p, "?") {
			return
		}
		if strings.HasPrefix(u.Path, "/admin/audit.csv") {
			return // a download, checked elsewhere
		}
		r := c.get(p)
		if r.Status >= 500 {
			t.Fatalf("GET %s: %d", p, r.Status)
		}
	})
}

func FuzzAuditQuery(f *testing.F) {
	for _, q := range []string{"", "user=admin&from=2020-05-01&to=2020-05-31", "from=2020-02-30", "action=update&entity=enterprise&id=1",
		"page=-1", "to=9999-12-31", "from=%ff"} {
		f.Add(q)
	}
	c, _ := fuzzClient(f, taotai.RoleAdmin)
	f.Fuzz(func(t *testing.T, raw string) {
		c.t = t
		if !sendable(raw) {
			return
		}
		r := c.get("/admin/audit?" + raw)
		if r.Status != http.StatusOK && r.Status != http.StatusBadRequest {
			t.Fatalf("GET /admin/audit?%s: %d", raw, r.Status)
		}
	})
}

func FuzzLoginForm(f *testing.F) {
	f.Add("fuzzer", "wrong")
	f.Add("", "")
	f.Add("fuzzer\x00", strings.Repeat("p", 2000))
	f.Add("' OR 1=1 --", "x")
	db := storetest.Open(f, store.SQLite)
	addUser(f, db, "fuzzer", taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
	ts := newServer(f, db)
	f.Fuzz(func(t *testing.T, user, pw string) {
		c := newClient(t, ts)
		if user == "fuzzer" {
			return // keep the account from locking; its lockout is tested elsewhere
		}
		r := c.post("/login", url.Values{"csrf_token": {c.csrf("/login")}, "username": {user}, "password": {pw}})
		if !taotai.ValidText(user, false) || !taotai.ValidText(pw, false) {
			// Refused before the sign-in is tried, on every database.
			if r.Status != http.StatusBadRequest || text(r, "#error-message") != taotai.MsgBadText {
				t.Fatalf("login %q %q: %d %q", user, pw, r.Status, text(r, "#error-message"))
			}
			return
		}
		// Every attempt comes from one address: past a few failures the
		// throttle answers 429 at once, which is a refusal too.
		switch {
		case r.Status == http.StatusUnauthorized && strings.Contains(text(r, "#login-error"), "不正确"):
		case r.Status == http.StatusTooManyRequests && strings.Contains(text(r, "#login-error"), "再试"):
		default:
			t.Fatalf("login %q: %d %q", user, r.Status, text(r, "#login-error"))
		}
	})
}
