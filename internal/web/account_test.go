package web_test

import (
	"context"
	"fmt"
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
		ts := newServer(t, db)
		c := newClient(t, ts)
		tok := c.csrf("/login")
		var r, ghost *response
		for i := 0; i < taotai.MaxFailedLogins; i++ {
			r = c.post("/login", url.Values{"csrf_token": {tok}, "username": {"clerk"}, "password": {"wrong password"}})
			ghost = c.post("/login", url.Values{"csrf_token": {tok}, "username": {"no_such_clerk"}, "password": {"wrong password"}})
		}
		if r.Status != http.StatusUnauthorized || !strings.Contains(text(r, "#login-error"), "已被锁定") {
			t.Fatalf("fifth failure: %d %q", r.Status, text(r, "#login-error"))
		}
		if ghost.Status != r.Status || text(ghost, "#login-error") != text(r, "#login-error") {
			t.Fatalf("fifth failure of an unknown name: %d %q", ghost.Status, text(ghost, "#login-error"))
		}
		r = c.post("/login", url.Values{"csrf_token": {tok}, "username": {"clerk"}, "password": {password}})
		if r.Status != http.StatusTooManyRequests || !strings.Contains(text(r, "#login-error"), "后再试") || r.Header.Get("Retry-After") != "900" {
			t.Fatalf("right password while locked: %d %q (Retry-After %q)", r.Status, text(r, "#login-error"), r.Header.Get("Retry-After"))
		}
		ghost = c.post("/login", url.Values{"csrf_token": {tok}, "username": {"no_such_clerk"}, "password": {password}})
		if ghost.Status != r.Status || text(ghost, "#login-error") != text(r, "#login-error") || ghost.Header.Get("Retry-After") != "900" {
			t.Fatalf("an unknown name while locked: %d %q", ghost.Status, text(ghost, "#login-error"))
		}
		// The stranger's failures do not lock the clerk out at their desk.
		newClient(t, ts).login("clerk")
	})
}

// totpCode is the code of secret at the store's clock, which the tests set.
func totpCode(t *testing.T, db *store.DB, secret string) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, db.Clock().Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// nextStep moves the store's clock to the next TOTP time step.
func nextStep(db *store.DB) {
	clock := db.Clock().(*taotai.FixedClock)
	clock.T = clock.T.Add(30 * time.Second)
}

// withTOTP signs in the provincial account name and sets up its second
// factor through the account page; it returns the secret.
func withTOTP(t *testing.T, db *store.DB, c *client, name string) string {
	t.Helper()
	c.login(name)
	tok := c.csrf("/account")
	r := c.post("/account/totp/setup", url.Values{"csrf_token": {tok}})
	secret := text(r, "#totp-secret")
	if r.Status != http.StatusOK || len(secret) < 16 {
		t.Fatalf("setup: %d %q", r.Status, secret)
	}
	if r := c.post("/account/totp", url.Values{"csrf_token": {tok}, "code": {"000000"}}); r.Status != http.StatusBadRequest {
		t.Fatalf("wrong code accepted: %d", r.Status)
	}
	if r := c.post("/account/totp", url.Values{"csrf_token": {tok}, "code": {totpCode(t, db, secret)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("enable: %d %s", r.Status, text(r, "#error-summary"))
	}
	nextStep(db)
	return secret
}

// passwordStep gives the password of name and expects to be asked for
// the code.
func passwordStep(t *testing.T, c *client, name string) {
	t.Helper()
	r := c.post("/login", url.Values{"csrf_token": {c.csrf("/login")}, "username": {name}, "password": {password}})
	if r.Status != http.StatusSeeOther || r.Location != "/login/totp" {
		t.Fatalf("password step: %d → %q %s", r.Status, r.Location, text(r, "#login-error"))
	}
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
		secret := withTOTP(t, db, c, "prov")
		// A second set-up would replace the factor without password and code.
		if r := c.post("/account/totp/setup", url.Values{"csrf_token": {c.csrf("/account")}}); r.Status != http.StatusConflict {
			t.Fatalf("set-up over an enabled factor: %d", r.Status)
		}
		// Signing in now asks for the code.
		d := newClient(t, ts)
		passwordStep(t, d, "prov")
		if r := d.get("/"); r.Status != http.StatusSeeOther || r.Location != "/login" {
			t.Fatalf("signed in before the code: %d %q", r.Status, r.Location)
		}
		tok := d.csrf("/login/totp")
		if r := d.post("/login/totp", url.Values{"csrf_token": {tok}, "code": {"999999"}}); r.Status != http.StatusUnauthorized || text(r, "#totp-error") == "" {
			t.Fatalf("wrong code: %d", r.Status)
		}
		if r := d.post("/login/totp", url.Values{"csrf_token": {tok}, "code": {totpCode(t, db, secret)}}); r.Status != http.StatusSeeOther {
			t.Fatalf("right code: %d %s", r.Status, text(r, "#totp-error"))
		}
		if r := d.get("/"); r.Status != http.StatusOK {
			t.Fatalf("home after the code: %d", r.Status)
		}
	})
}

// TestTOTPGuessingLocksOut: wrong codes at the second step are counted
// with wrong passwords; the fifth locks the account for the guesser's
// address, and no further guess (not even the right code) gets in.
func TestTOTPGuessingLocksOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		addUser(t, db, "prov", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
		ts := newServer(t, db)
		secret := withTOTP(t, db, newClient(t, ts), "prov")
		thief := newClient(t, ts) // has the password
		passwordStep(t, thief, "prov")
		tok := thief.csrf("/login/totp")
		statuses := []int{}
		for i := 0; i < 15; i++ {
			if i > taotai.MaxFailedLogins {
				tok = thief.csrf("/login") // the pending step has ended
			}
			r := thief.post("/login/totp", url.Values{"csrf_token": {tok}, "code": {fmt.Sprintf("%06d", 123450+i)}})
			statuses = append(statuses, r.Status)
		}
		want := []int{401, 401, 401, 401, 401, 429, 303, 303, 303, 303, 303, 303, 303, 303, 303}
		if fmt.Sprint(statuses) != fmt.Sprint(want) {
			t.Fatalf("15 wrong codes: %v, want %v (locked at the sixth, then back to /login)", statuses, want)
		}
		passwordAgain := thief.post("/login", url.Values{"csrf_token": {thief.csrf("/login")}, "username": {"prov"}, "password": {password}})
		if passwordAgain.Status != http.StatusTooManyRequests {
			t.Fatalf("the password step while locked: %d", passwordAgain.Status)
		}
		if r := thief.post("/login/totp", url.Values{"csrf_token": {tok}, "code": {totpCode(t, db, secret)}}); r.Status != http.StatusSeeOther || r.Location != "/login" {
			t.Fatalf("the right code after the lock: %d → %q", r.Status, r.Location)
		}
		fails, _, _ := db.FindAudit(taotai.NewContextWithActor(context.Background(), taotai.System),
			taotai.AuditFilter{Username: "prov", Action: taotai.AuditLoginFailed})
		if len(fails) != taotai.MaxFailedLogins {
			t.Fatalf("%d failures recorded, want %d", len(fails), taotai.MaxFailedLogins)
		}
	})
}

// TestTOTPCodeWorksOnce: a code seen over a shoulder (or in a log) cannot
// sign in again once used.
func TestTOTPCodeWorksOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		addUser(t, db, "prov", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
		ts := newServer(t, db)
		secret := withTOTP(t, db, newClient(t, ts), "prov")
		code := totpCode(t, db, secret)
		for i, want := range []int{http.StatusSeeOther, http.StatusUnauthorized} {
			c := newClient(t, ts)
			passwordStep(t, c, "prov")
			r := c.post("/login/totp", url.Values{"csrf_token": {c.csrf("/login/totp")}, "code": {code}})
			if r.Status != want {
				t.Fatalf("use %d of one code: %d, want %d", i+1, r.Status, want)
			}
		}
	})
}

// TestTOTPDisableNeedsPasswordAndCode: a session alone (a borrowed
// computer, a stolen cookie) cannot turn the second factor off.
func TestTOTPDisableNeedsPasswordAndCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		addUser(t, db, "prov", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
		ts := newServer(t, db)
		c := newClient(t, ts)
		secret := withTOTP(t, db, c, "prov")
		tok := c.csrf("/account")
		r := c.post("/account/totp/disable", url.Values{"csrf_token": {tok}})
		if r.Status != http.StatusBadRequest || text(r, "#totp_password-error") == "" || text(r, "#totp_code-error") == "" {
			t.Fatalf("disable with the session only: %d %q", r.Status, text(r, "#error-summary"))
		}
		if u, _ := db.FindUser(context.Background(), 1); u != nil && !u.HasTOTP {
			t.Fatal("disabled with the session only")
		}
		r = c.post("/account/totp/disable", url.Values{"csrf_token": {tok}, "totp_password": {password}, "totp_code": {totpCode(t, db, secret)}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("disable with password and code: %d %q", r.Status, text(r, "#error-summary"))
		}
		if page := c.get("/account"); !strings.Contains(text(page, "#totp-state"), "未启用") {
			t.Fatalf("after disabling: %q", text(page, "#totp-state"))
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
