package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/pquerna/otp/totp"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

func TestForcedPasswordChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.CreateUser(ctx, &taotai.User{Username: "newbie", Role: taotai.RoleCityClerk, RegionCode: "210300",
			Sector: taotai.SectorNonCoal, MustChangePassword: true}, password); err != nil {
			t.Fatal(err)
		}
		c := newClient(t, newServer(t, db))
		c.login("newbie")
		for _, p := range []string{"/", "/enterprises", "/keylist"} {
			if r := c.get(p); r.Status != http.StatusSeeOther || r.Location != "/account" {
				t.Fatalf("GET %s before changing the password: %d → %q", p, r.Status, r.Location)
			}
		}
		page := c.get("/account")
		if text(page, "h1") != "请修改密码" {
			t.Fatalf("account page: %q", text(page, "h1"))
		}
		tok := c.csrf("/account")
		r := c.post("/account/password", url.Values{"csrf_token": {tok}, "current": {password}, "password": {"newbie2026!xyz"}, "confirm": {"newbie2026!xyz"}})
		if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#password-error"), "不能包含用户名") {
			t.Fatalf("password with the username: %d %q", r.Status, text(r, "#password-error"))
		}
		r = c.post("/account/password", url.Values{"csrf_token": {tok}, "current": {password}, "password": {"a fresh long secret"}, "confirm": {"another one"}})
		if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#confirm-error"), "不一致") {
			t.Fatalf("mismatch: %d %q", r.Status, text(r, "#confirm-error"))
		}
		r = c.post("/account/password", url.Values{"csrf_token": {tok}, "current": {password}, "password": {"a fresh long secret"}, "confirm": {"a fresh long secret"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("change: %d %s", r.Status, text(r, "#error-summary"))
		}
		if r := c.get("/enterprises"); r.Status != http.StatusOK {
			t.Fatalf("after the change: %d", r.Status)
		}
	})
}

func TestLockoutMessage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		addUser(t, db, "clerk", taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
		c := newClient(t, newServer(t, db))
		tok := c.csrf("/login")
		var r *response
		for i := 0; i < taotai.MaxFailedLogins; i++ {
			r = c.post("/login", url.Values{"csrf_token": {tok}, "username": {"clerk"}, "password": {"wrong password"}})
		}
		if r.Status != http.StatusUnauthorized || !strings.Contains(text(r, "#login-error"), "已被锁定") {
			t.Fatalf("fifth failure: %d %q", r.Status, text(r, "#login-error"))
		}
		r = c.post("/login", url.Values{"csrf_token": {tok}, "username": {"clerk"}, "password": {password}})
		if r.Status != http.StatusUnauthorized || !strings.Contains(text(r, "#login-error"), "后再试") {
			t.Fatalf("right password while locked: %d %q", r.Status, text(r, "#login-error"))
		}
	})
}

func TestTOTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		addUser(t, db, "prov", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
		addUser(t, db, "clerk", taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
		ts := newServer(t, db)
		city := newClient(t, ts)
		city.login("clerk")
		if r := city.post("/account/totp/setup", url.Values{"csrf_token": {city.csrf("/account")}}); r.Status != http.StatusForbidden {
			t.Fatalf("a city account sets up TOTP: %d", r.Status)
		}
		c := newClient(t, ts)
		c.login("prov")
		tok := c.csrf("/account")
		r := c.post("/account/totp/setup", url.Values{"csrf_token": {tok}})
		secret := text(r, "#totp-secret")
		if r.Status != http.StatusOK || len(secret) < 16 {
			t.Fatalf("setup: %d %q", r.Status, secret)
		}
		if r := c.post("/account/totp", url.Values{"csrf_token": {tok}, "code": {"000000"}}); r.Status != http.StatusBadRequest {
			t.Fatalf("wrong code accepted: %d", r.Status)
		}
		code, _ := totp.GenerateCode(secret, time.Now())
		if r := c.post("/account/totp", url.Values{"csrf_token": {tok}, "code": {code}}); r.Status != http.StatusSeeOther {
			t.Fatalf("enable: %d %s", r.Status, text(r, "#error-summary"))
		}
		// Signing in now asks for the code.
		d := newClient(t, ts)
		r = d.post("/login", url.Values{"csrf_token": {d.csrf("/login")}, "username": {"prov"}, "password": {password}})
		if r.Status != http.StatusSeeOther || r.Location != "/login/totp" {
			t.Fatalf("password step: %d → %q", r.Status, r.Location)
		}
		if r := d.get("/"); r.Status != http.StatusSeeOther || r.Location != "/login" {
			t.Fatalf("signed in before the code: %d %q", r.Status, r.Location)
		}
		tok = d.csrf("/login/totp")
		if r := d.post("/login/totp", url.Values{"csrf_token": {tok}, "code": {"999999"}}); r.Status != http.StatusUnauthorized || text(r, "#totp-error") == "" {
			t.Fatalf("wrong code: %d", r.Status)
		}
		code, _ = totp.GenerateCode(secret, time.Now())
		if r := d.post("/login/totp", url.Values{"csrf_token": {tok}, "code": {code}}); r.Status != http.StatusSeeOther {
			t.Fatalf("right code: %d", r.Status)
		}
		if r := d.get("/"); r.Status != http.StatusOK {
			t.Fatalf("home after the code: %d", r.Status)
		}
	})
}

func TestSessionsAndAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		addUser(t, db, "root", taotai.RoleAdmin, taotai.ProvinceCode, "")
		addUser(t, db, "auditor", taotai.RoleAuditor, taotai.ProvinceCode, "")
		ts := newServer(t, db)
		clerk := newClient(t, ts)
		clerk.login("ansh_clerk")
		tok := clerk.csrf("/account")
		form := url.Values{"csrf_token": {tok}, "name": {f.own.Name}, "credit_code": {f.own.CreditCode}, "address": {"新地址88号"},
			"region": {f.own.RegionCode}, "industry": {"1"}, "production_state": {"normal"}, "version": {"1"}}
		if r := clerk.post(idPath(f.own.ID, ""), form); r.Status != http.StatusSeeOther {
			t.Fatalf("edit: %d", r.Status)
		}
		admin := newClient(t, ts)
		admin.login("root")
		list := admin.get("/admin/sessions")
		row := list.Doc.Find("#session-table tr").FilterFunction(func(_ int, s *goquery.Selection) bool { return strings.Contains(s.Text(), "ansh_clerk") })
		action, ok := row.Find("form").Attr("action")
		if !ok {
			t.Fatalf("the clerk's session is not listed: %q", text(list, "#session-table"))
		}
		if r := admin.post(action, url.Values{"csrf_token": {admin.csrf("/admin")}}); r.Status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", r.Status)
		}
		if r := clerk.get("/enterprises"); r.Status != http.StatusSeeOther || r.Location != "/login" {
			t.Fatalf("revoked session still works: %d", r.Status)
		}

		aud := newClient(t, ts)
		aud.login("auditor")
		page := aud.get("/admin/audit?entity=enterprise&action=update")
		if !strings.Contains(text(page, "#audit-table"), "新地址88号") || !strings.Contains(text(page, "#audit-table"), "ansh_clerk") {
			t.Fatalf("audit page: %q", text(page, "#audit-table"))
		}
		if r := aud.get("/admin/audit?from=2020-13-01"); r.Status != http.StatusBadRequest {
			t.Fatalf("bad date: %d", r.Status)
		}
		csv := aud.get("/admin/audit.csv?user=ansh_clerk")
		if csv.Status != http.StatusOK || !strings.HasPrefix(csv.Body, "\uFEFF序号,时间,用户") || !strings.Contains(csv.Body, "新地址88号") {
			t.Fatalf("csv: %d %.200q", csv.Status, csv.Body)
		}
		if strings.Contains(csv.Body, "root") {
			t.Error("the user filter did not apply to the export")
		}
		exports, _, _ := db.FindAudit(taotai.NewContextWithActor(context.Background(), taotai.System), taotai.AuditFilter{Action: taotai.AuditExport})
		if len(exports) != 1 || exports[0].Username != "auditor" {
			t.Fatalf("the export was not recorded: %v", exports)
		}
		logins, _, _ := db.FindAudit(taotai.NewContextWithActor(context.Background(), taotai.System), taotai.AuditFilter{Action: taotai.AuditLogin})
		if len(logins) != 3 {
			t.Fatalf("%d logins recorded, want 3", len(logins))
		}
	})
}
