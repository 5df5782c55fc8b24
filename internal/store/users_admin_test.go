package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// account is an account the tests make, with its lane.
type account struct {
	name, role, region, sector string
}

// accountFixture makes accounts in several lanes as the operator does and
// returns their ids by name, and a context acting as the signed-in
// administrator of 鞍山's non-coal lane (a real account, so that "self" is
// known).
func accountFixture(t *testing.T, db *store.DB) (map[string]int64, context.Context) {
	t.Helper()
	ids := map[string]int64{}
	for _, a := range fixtureAccounts {
		u := &taotai.User{Username: a.name, DisplayName: "姓名" + a.name, Role: a.role, RegionCode: a.region, Sector: a.sector}
		if err := db.CreateUser(context.Background(), u, goodPassword); err != nil {
			t.Fatalf("create %s: %v", a.name, err)
		}
		ids[a.name] = u.ID
	}
	return ids, actingAs(t, db, ids["as_admin"])
}

var fixtureAccounts = []account{
	{"as_admin", taotai.RoleAdmin, anshan, taotai.SectorNonCoal},
	{"as_clerk", taotai.RoleCityClerk, anshan, taotai.SectorNonCoal},
	{"td_inspector", taotai.RoleInspector, tiedong, taotai.SectorNonCoal},
	{"as_auditor", taotai.RoleAuditor, anshan, taotai.SectorNonCoal},
	{"as_coal", taotai.RoleCityClerk, anshan, taotai.SectorCoal},
	{"as_both", taotai.RolePartner, anshan, ""},
	{"fx_clerk", taotai.RoleCityClerk, fuxin, taotai.SectorNonCoal},
	{"prov_admin", taotai.RoleAdmin, taotai.ProvinceCode, ""},
	{"prov_reviewer", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal},
}

// actingAs returns a context acting as the account id, as the web does.
func actingAs(t *testing.T, db *store.DB, id int64) context.Context {
	t.Helper()
	u, err := db.FindUser(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.ActorFor(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	return taotai.NewContextWithActor(context.Background(), a)
}

func TestAccountsLane(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids, city := accountFixture(t, db)
		// An independent recount: 鞍山's non-coal lane holds the accounts
		// of 210300 and its counties whose sector is non-coal.
		var want []string
		for _, a := range fixtureAccounts {
			if strings.HasPrefix(a.region, "2103") && a.sector == taotai.SectorNonCoal {
				want = append(want, a.name)
			}
		}
		list, total, err := db.Accounts(city, taotai.AccountFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range list {
			got = append(got, a.Username)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) || total != len(want) {
			t.Fatalf("the city admin sees %v (total %d), want %v", got, total, want)
		}
		prov := actingAs(t, db, ids["prov_admin"])
		if _, total, _ := db.Accounts(prov, taotai.AccountFilter{}); total != len(fixtureAccounts) {
			t.Errorf("the province admin sees %d accounts, want %d", total, len(fixtureAccounts))
		}
		// Outside the lane, every read and write answers ENOTFOUND and
		// changes nothing, whatever the id.
		before := auditCount(t, db)
		for _, name := range []string{"as_coal", "as_both", "fx_clerk", "prov_admin", "prov_reviewer"} {
			id := ids[name]
			_, err1 := db.Account(city, id)
			_, err2 := db.ResetPassword(city, id, "试探")
			err3 := db.SetAccountDisabled(city, id, true, "试探")
			_, err4 := db.UpdateAccount(city, id, taotai.AccountUpdate{DisplayName: "x", Role: taotai.RoleInspector, RegionCode: anshan,
				Sector: taotai.SectorNonCoal, Reason: "试探", Version: 1})
			err5 := db.UnlockAccount(city, id, "")
			_, err6 := db.EndAccountSessions(city, id)
			for i, err := range []error{err1, err2, err3, err4, err5, err6} {
				if taotai.ErrorCode(err) != taotai.ENOTFOUND {
					t.Errorf("%s, call %d: %v, want ENOTFOUND", name, i+1, err)
				}
			}
		}
		if n := auditCount(t, db); n != before {
			t.Errorf("refused calls wrote %d audit entries", n-before)
		}
		if u, _ := db.FindUser(context.Background(), ids["prov_admin"]); u.Disabled || u.MustChangePassword {
			t.Errorf("the province admin's account was touched: %+v", u)
		}
		// Not an administrator: nothing.
		clerk := actingAs(t, db, ids["as_clerk"])
		if _, _, err := db.Accounts(clerk, taotai.AccountFilter{}); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Errorf("a clerk lists accounts: %v", err)
		}
		if _, err := db.CreateAccount(clerk, &taotai.User{Username: "x"}); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Errorf("a clerk creates an account: %v", err)
		}
	})
}

func userCount(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCreateAccountRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, city := accountFixture(t, db)
		users, audits := userCount(t, db), auditCount(t, db)
		ok := taotai.User{Username: "as_new", DisplayName: "王丽", Role: taotai.RoleCityClerk, RegionCode: tiedong, Sector: taotai.SectorNonCoal}
		refused := []struct {
			name  string
			edit  func(u *taotai.User)
			field string
		}{
			{"an auditor", func(u *taotai.User) { u.Role = taotai.RoleAuditor }, "role"},
			{"a province reviewer", func(u *taotai.User) { u.Role = taotai.RoleProvinceReviewer }, "role"},
			{"an unknown role", func(u *taotai.User) { u.Role = "boss" }, "role"},
			{"another city", func(u *taotai.User) { u.RegionCode = fuxin }, "region"},
			{"the province", func(u *taotai.User) { u.RegionCode = taotai.ProvinceCode; u.Role = taotai.RoleAdmin }, "region"},
			{"an unknown region", func(u *taotai.User) { u.RegionCode = "999999" }, "region"},
			{"the other sector", func(u *taotai.User) { u.Sector = taotai.SectorCoal }, "sector"},
			{"both sectors", func(u *taotai.User) { u.Sector = "" }, "sector"},
			{"no name", func(u *taotai.User) { u.DisplayName = " " }, "display_name"},
			{"a long name", func(u *taotai.User) { u.DisplayName = strings.Repeat("名", taotai.MaxDisplayNameLen+1) }, "display_name"},
			{"no username", func(u *taotai.User) { u.Username = "" }, "username"},
			{"a used username", func(u *taotai.User) { u.Username = "fx_clerk" }, "username"},
		}
		for _, tt := range refused {
			u := ok
			tt.edit(&u)
			_, err := db.CreateAccount(city, &u)
			var appErr *taotai.Error
			if !asError(err, &appErr) || appErr.Fields[tt.field] == "" {
				t.Errorf("%s: %v, want a message on %s", tt.name, err, tt.field)
			}
		}
		if n := userCount(t, db); n != users {
			t.Fatalf("refused creations made %d accounts", n-users)
		}
		if n := auditCount(t, db); n != audits {
			t.Fatalf("refused creations wrote %d audit entries", n-audits)
		}
		// A city admin may make another admin of the city.
		u := ok
		u.Role = taotai.RoleAdmin
		pw, err := db.CreateAccount(city, &u)
		if err != nil {
			t.Fatal(err)
		}
		if msg := taotai.ValidatePassword(u.Username, pw); msg != "" || len(pw) != 19 {
			t.Fatalf("initial password %q: %s", pw, msg)
		}
		got, err := db.Authenticate(context.Background(), "as_new", pw)
		if err != nil || !got.MustChangePassword || got.DisplayName != "王丽" || got.AgencyName != "鞍山市铁东区应急管理局" {
			t.Fatalf("the new account: %+v %v", got, err)
		}
		e := auditEntries(t, db, taotai.AuditFilter{Entity: "user", EntityID: itoa(u.ID), Action: taotai.AuditCreate})
		if len(e) != 1 || e[0].Username != "as_admin" || e[0].RegionPath != "/210000/210300/210302/" || e[0].Sector != taotai.SectorNonCoal ||
			strings.Contains(e[0].After, pw) || !strings.Contains(e[0].After, `"must_change_password":true`) {
			t.Fatalf("audit of the creation: %+v", e)
		}
	})
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func TestAccountActs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids, city := accountFixture(t, db)
		clerk := ids["as_clerk"]
		ctx := taotai.WithClientAddr(context.Background(), "192.0.2.50")
		// Locked after failed sign-ins, with two sessions.
		for range taotai.MaxFailedLogins {
			db.Authenticate(ctx, "as_clerk", "wrong password")
		}
		if _, err := db.Authenticate(ctx, "as_clerk", goodPassword); taotai.ErrorCode(err) != taotai.ETOOMANY {
			t.Fatalf("not locked: %v", err)
		}
		commitSession(t, db, "clerk-1", clerk)
		commitSession(t, db, "clerk-2", clerk)
		ac, err := db.Account(city, clerk)
		if err != nil || ac.State() != taotai.AccountLocked || ac.Sessions != 2 {
			t.Fatalf("before: %+v %v", ac, err)
		}
		if list, n, _ := db.Accounts(city, taotai.AccountFilter{State: taotai.AccountLocked}); n != 1 || list[0].ID != clerk {
			t.Fatalf("locked filter: %d", n)
		}

		// Reset: a new password to change at the next sign-in, the lock
		// lifted, the sessions ended, the reason kept.
		if _, err := db.ResetPassword(city, clerk, " "); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("reset without a reason: %v", err)
		}
		pw, err := db.ResetPassword(city, clerk, "本人忘记密码，电话核实")
		if err != nil {
			t.Fatal(err)
		}
		if ac, _ = db.Account(city, clerk); ac.State() != taotai.AccountActive || ac.Sessions != 0 || !ac.MustChangePassword {
			t.Fatalf("after reset: %+v", ac)
		}
		if sessionCount(t, db) != 0 {
			t.Fatal("sessions left after the reset")
		}
		if _, err := db.Authenticate(ctx, "as_clerk", pw); err != nil {
			t.Fatalf("sign in with the new password from the locked address: %v", err)
		}
		last := auditEntries(t, db, taotai.AuditFilter{Entity: "user", EntityID: itoa(clerk), Action: taotai.AuditPassword})
		if len(last) != 1 || !strings.Contains(last[0].Note, "本人忘记密码，电话核实") || last[0].Username != "as_admin" {
			t.Fatalf("audit of the reset: %+v", last)
		}
		if ac, _ := db.Account(city, clerk); ac.LastSignIn.IsZero() {
			t.Error("the last sign-in was not kept")
		}

		// Unlock on its own (from another address: this one has failed
		// often enough to be slowed down itself, which no unlock lifts).
		ctx = taotai.WithClientAddr(context.Background(), "192.0.2.51")
		for range taotai.MaxFailedLogins {
			db.Authenticate(ctx, "as_clerk", "wrong password")
		}
		if ac, _ = db.Account(city, clerk); ac.State() != taotai.AccountLocked {
			t.Fatalf("not locked again: %+v", ac)
		}
		if err := db.UnlockAccount(city, clerk, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, "as_clerk", pw); err != nil {
			t.Fatalf("after unlock: %v", err)
		}

		// Role and lane: before → after, sessions ended, the move seen in
		// the old lane too.
		commitSession(t, db, "clerk-3", clerk)
		ac, _ = db.Account(city, clerk)
		upd := taotai.AccountUpdate{DisplayName: "王丽", Role: taotai.RoleCityApprover, RegionCode: tiedong, Sector: taotai.SectorNonCoal,
			Version: ac.Version, Reason: "调任铁东区审核"}
		if _, err := db.UpdateAccount(city, clerk, taotai.AccountUpdate{DisplayName: "王丽", Role: taotai.RoleAuditor, RegionCode: anshan,
			Sector: taotai.SectorNonCoal, Version: ac.Version, Reason: "提权"}); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("made an auditor: %v", err)
		}
		saved, err := db.UpdateAccount(city, clerk, upd)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Role != taotai.RoleCityApprover || saved.RegionCode != tiedong || saved.AgencyName != "鞍山市铁东区应急管理局" ||
			saved.Version != ac.Version+1 || saved.Sessions != 0 {
			t.Fatalf("saved: %+v", saved)
		}
		if _, err := db.UpdateAccount(city, clerk, upd); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("a stale version: %v", err)
		}
		changes := auditEntries(t, db, taotai.AuditFilter{Entity: "user", EntityID: itoa(clerk), Action: taotai.AuditUpdate})
		var before, after map[string]any
		json.Unmarshal([]byte(changes[0].Before), &before)
		json.Unmarshal([]byte(changes[0].After), &after)
		if before["role"] != taotai.RoleCityClerk || after["role"] != taotai.RoleCityApprover || after["region_code"] != tiedong ||
			before["display_name"] != "姓名as_clerk" || changes[0].Note != "调任铁东区审核" {
			t.Fatalf("audit of the change: %+v", changes[0])
		}
		if moves := auditEntries(t, db, taotai.AuditFilter{Entity: "user", EntityID: itoa(clerk), Action: taotai.AuditMove}); len(moves) != 1 ||
			moves[0].RegionPath != "/210000/210300/" {
			t.Fatalf("the move in the old lane: %+v", moves)
		}

		// Disable and enable.
		commitSession(t, db, "clerk-4", clerk)
		if err := db.SetAccountDisabled(city, clerk, true, ""); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("disable without a reason: %v", err)
		}
		if err := db.SetAccountDisabled(city, clerk, true, "离职"); err != nil {
			t.Fatal(err)
		}
		if sessionCount(t, db) != 0 {
			t.Fatal("a disabled account kept its session")
		}
		if _, err := db.Authenticate(ctx, "as_clerk", pw); taotai.ErrorCode(err) != taotai.EUNAUTH {
			t.Fatalf("a disabled account signed in: %v", err)
		}
		if err := db.SetAccountDisabled(city, clerk, true, "离职"); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("disabled twice: %v", err)
		}
		if list, n, _ := db.Accounts(city, taotai.AccountFilter{State: taotai.AccountDisabled}); n != 1 || list[0].ID != clerk {
			t.Fatalf("disabled filter: %d", n)
		}
		if err := db.SetAccountDisabled(city, clerk, false, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, "as_clerk", pw); err != nil {
			t.Fatalf("enabled again: %v", err)
		}
		dis := auditEntries(t, db, taotai.AuditFilter{Entity: "user", EntityID: itoa(clerk), Action: taotai.AuditUpdate})
		if len(dis) < 3 || dis[1].After != `{"disabled":true}` || !strings.Contains(dis[1].Note, "离职") || dis[0].After != `{"disabled":false}` {
			t.Fatalf("audit of disable/enable: %+v %+v", dis[1], dis[0])
		}

		// End sessions.
		commitSession(t, db, "clerk-5", clerk)
		commitSession(t, db, "clerk-6", clerk)
		if n, err := db.EndAccountSessions(city, clerk); n != 2 || err != nil {
			t.Fatalf("end sessions: %d %v", n, err)
		}
		if sessionCount(t, db) != 0 {
			t.Fatal("sessions left")
		}
		if _, br, err := db.VerifyAudit(context.Background()); br != nil || err != nil {
			t.Fatalf("chain: %v %v", br, err)
		}
	})
}

func TestAccountSelfAndRank(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids, city := accountFixture(t, db)
		self := ids["as_admin"]
		ac, _ := db.Account(city, self)
		audits := auditCount(t, db)
		if err := db.SetAccountDisabled(city, self, true, "试试"); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Errorf("disabled themselves: %v", err)
		}
		if _, err := db.UpdateAccount(city, self, taotai.AccountUpdate{DisplayName: ac.DisplayName, Role: taotai.RoleInspector,
			RegionCode: anshan, Sector: taotai.SectorNonCoal, Version: ac.Version, Reason: "试试"}); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Errorf("demoted themselves: %v", err)
		}
		if _, err := db.UpdateAccount(city, self, taotai.AccountUpdate{DisplayName: ac.DisplayName, Role: taotai.RoleAdmin,
			RegionCode: tiedong, Sector: taotai.SectorNonCoal, Version: ac.Version, Reason: "试试"}); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Errorf("moved themselves: %v", err)
		}
		if _, err := db.ResetPassword(city, self, "试试"); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Errorf("reset their own password: %v", err)
		}
		if _, err := db.EndAccountSessions(city, self); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Errorf("ended their own sessions: %v", err)
		}
		// An auditor of the city is seen but not managed by the city's
		// administrator.
		aud := ids["as_auditor"]
		if _, err := db.Account(city, aud); err != nil {
			t.Errorf("the city's auditor is not listed: %v", err)
		}
		if _, err := db.ResetPassword(city, aud, "接管"); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Errorf("reset an auditor's password: %v", err)
		}
		if err := db.SetAccountDisabled(city, aud, true, "接管"); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Errorf("disabled an auditor: %v", err)
		}
		if n := auditCount(t, db); n != audits {
			t.Errorf("refused acts wrote %d audit entries", n-audits)
		}
		// The province's administrator manages it.
		prov := actingAs(t, db, ids["prov_admin"])
		if _, err := db.ResetPassword(prov, aud, "审计管理员忘记密码"); err != nil {
			t.Errorf("the province resets an auditor: %v", err)
		}
		// The operator's command keeps the same record of a reset.
		if err := db.SetPassword(taotai.NewContextWithActor(context.Background(), taotai.System), "as_clerk", "an operator's password"); err != nil {
			t.Fatal(err)
		}
		e := auditEntries(t, db, taotai.AuditFilter{Entity: "user", EntityID: itoa(ids["as_clerk"]), Action: taotai.AuditPassword})
		if len(e) != 1 || e[0].Username != "system" || e[0].RegionPath != "/210000/210300/" || e[0].Sector != taotai.SectorNonCoal {
			t.Errorf("the operator's reset: %+v", e)
		}
	})
}

func TestAccountsFilter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids, _ := accountFixture(t, db)
		prov := actingAs(t, db, ids["prov_admin"])
		count := func(f taotai.AccountFilter, want func(a account) bool) {
			t.Helper()
			n := 0
			for _, a := range fixtureAccounts {
				if want(a) {
					n++
				}
			}
			_, total, err := db.Accounts(prov, f)
			if err != nil || total != n {
				t.Errorf("%+v: %d (%v), want %d", f, total, err, n)
			}
		}
		count(taotai.AccountFilter{Q: "CLERK"}, func(a account) bool { return strings.Contains(a.name, "clerk") })
		count(taotai.AccountFilter{Q: "姓名as_"}, func(a account) bool { return strings.HasPrefix(a.name, "as_") })
		count(taotai.AccountFilter{Q: "%"}, func(a account) bool { return false })
		count(taotai.AccountFilter{Role: taotai.RoleCityClerk}, func(a account) bool { return a.role == taotai.RoleCityClerk })
		count(taotai.AccountFilter{Region: anshan}, func(a account) bool { return strings.HasPrefix(a.region, "2103") })
		count(taotai.AccountFilter{State: taotai.AccountActive}, func(a account) bool { return true })
		count(taotai.AccountFilter{State: taotai.AccountMustChange}, func(a account) bool { return false })
		page, total, _ := db.Accounts(prov, taotai.AccountFilter{Limit: 4, Offset: 8})
		if total != len(fixtureAccounts) || len(page) != len(fixtureAccounts)-8 {
			t.Errorf("the last page: %d of %d", len(page), total)
		}
	})
}
