package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// userIDs returns the ids of the accounts by username.
func userIDs(t *testing.T, db *store.DB) map[string]int64 {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT id, username FROM users`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		out[name] = id
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// userRow is what an account's row holds, to compare before and after.
func userRow(t *testing.T, db *store.DB, id int64) string {
	t.Helper()
	var row string
	err := db.SQL().QueryRow(`SELECT username || '|' || display_name || '|' || role || '|' || region_code || '|' || sector || '|' ||
		CASE WHEN disabled THEN 'd' ELSE '-' END || '|' || CASE WHEN must_change_password THEN 'm' ELSE '-' END || '|' || password_hash
		FROM users WHERE id = $1`, id).Scan(&row)
	if err != nil {
		t.Fatal(err)
	}
	return row
}

func countRows(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAdminUsersLane: 鞍山's administrator sees only 鞍山's non-coal
// accounts, and every page and act on another account — guessed ids
// included — answers 404 and changes nothing.
func TestAdminUsersLane(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		lanes := []struct{ name, role, region, sector string }{
			{"as_admin", taotai.RoleAdmin, "210300", taotai.SectorNonCoal},
			{"as_clerk", taotai.RoleCityClerk, "210300", taotai.SectorNonCoal},
			{"td_inspector", taotai.RoleInspector, "210302", taotai.SectorNonCoal},
			{"as_coal", taotai.RoleCityClerk, "210300", taotai.SectorCoal},
			{"fx_clerk", taotai.RoleCityClerk, "210900", taotai.SectorNonCoal},
			{"prov_admin", taotai.RoleAdmin, taotai.ProvinceCode, ""},
			{"prov_reviewer", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal},
		}
		var want []string
		for _, u := range lanes {
			addUser(t, db, u.name, u.role, u.region, u.sector)
			if strings.HasPrefix(u.region, "2103") && u.sector == taotai.SectorNonCoal {
				want = append(want, u.name)
			}
		}
		ids := userIDs(t, db)
		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("as_admin")
		page := c.get("/admin/users")
		var got []string
		page.Doc.Find("#user-table td[data-label=用户名]").Each(func(_ int, s *goquery.Selection) { got = append(got, strings.TrimSpace(s.Text())) })
		slices.Sort(got)
		slices.Sort(want)
		if page.Status != http.StatusOK || !slices.Equal(got, want) {
			t.Fatalf("the city admin's list: %d %v, want %v", page.Status, got, want)
		}
		if !strings.Contains(text(page, "#result-count"), fmt.Sprintf("共 %d 个账号", len(want))) {
			t.Errorf("count: %q", text(page, "#result-count"))
		}
		// A search for a province account finds nothing.
		if r := c.get("/admin/users?q=prov"); !strings.Contains(text(r, "#result-count"), "没有符合条件的账号") {
			t.Errorf("search outside the lane: %q", text(r, "#result-count"))
		}
		tok := c.csrf("/admin/users/new")
		audits, sessions := countRows(t, db, "audit_log"), countRows(t, db, "sessions")
		before := map[string]string{}
		outside := []string{"prov_admin", "prov_reviewer", "fx_clerk", "as_coal"}
		for _, name := range outside {
			before[name] = userRow(t, db, ids[name])
		}
		guesses := []int64{ids["prov_admin"], ids["prov_reviewer"], ids["fx_clerk"], ids["as_coal"], 999999}
		for _, id := range guesses {
			base := fmt.Sprintf("/admin/users/%d", id)
			for _, p := range []string{base, base + "/edit"} {
				if r := c.get(p); r.Status != http.StatusNotFound || strings.Contains(r.Body, "prov_") {
					t.Errorf("GET %s: %d", p, r.Status)
				}
			}
			acts := map[string]url.Values{
				base: {"display_name": {"改名"}, "role": {taotai.RoleInspector}, "region": {"210300"}, "sector": {taotai.SectorNonCoal},
					"version": {"1"}, "reason": {"试探"}, "confirm": {"1"}},
				base + "/password":     {"reason": {"试探"}, "confirm": {"1"}},
				base + "/disable":      {"reason": {"试探"}, "confirm": {"1"}},
				base + "/enable":       {},
				base + "/unlock":       {},
				base + "/end-sessions": {},
			}
			for p, form := range acts {
				form.Set("csrf_token", tok)
				if r := c.post(p, form); r.Status != http.StatusNotFound {
					t.Errorf("POST %s: %d", p, r.Status)
				}
				// Without the confirmation too.
				form.Del("confirm")
				if r := c.post(p, form); r.Status != http.StatusNotFound {
					t.Errorf("POST %s (unconfirmed): %d", p, r.Status)
				}
			}
		}
		for _, name := range outside {
			if now := userRow(t, db, ids[name]); now != before[name] {
				t.Errorf("%s changed: %s → %s", name, before[name], now)
			}
		}
		if n := countRows(t, db, "audit_log"); n != audits {
			t.Errorf("refused requests wrote %d audit entries", n-audits)
		}
		if n := countRows(t, db, "sessions"); n != sessions {
			t.Errorf("refused requests changed the sessions: %d → %d", sessions, n)
		}
		// The sessions page is the lane's too.
		prov := newClient(t, ts)
		prov.login("prov_admin")
		if r := c.get("/admin/sessions"); strings.Contains(text(r, "#session-table"), "prov_admin") ||
			!strings.Contains(text(r, "#session-table"), "as_admin") {
			t.Errorf("the city admin's sessions page: %q", text(r, "#session-table"))
		}
	})
}

// TestAdminCreatesUser: bad input is refused in Chinese with nothing made;
// a good account shows its password once, and its user must change it
// before anything else.
func TestAdminCreatesUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		addUser(t, db, "as_admin", taotai.RoleAdmin, "210300", taotai.SectorNonCoal)
		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("as_admin")
		if r := c.get("/admin"); !strings.Contains(r.Body, `href="/admin/users"`) {
			t.Error("the admin home does not link to the users")
		}
		form := c.get("/admin/users/new")
		var roles []string
		form.Doc.Find("input[name=role]").Each(func(_ int, s *goquery.Selection) { v, _ := s.Attr("value"); roles = append(roles, v) })
		if slices.Contains(roles, taotai.RoleAuditor) || slices.Contains(roles, taotai.RoleProvinceReviewer) || !slices.Contains(roles, taotai.RoleAdmin) {
			t.Errorf("roles offered to a city admin: %v", roles)
		}
		tok := c.csrf("/admin/users/new")
		good := url.Values{"csrf_token": {tok}, "username": {"wangli"}, "display_name": {"王丽"}, "role": {taotai.RoleCityClerk},
			"region": {"210302"}, "sector": {taotai.SectorNonCoal}}
		users, audits := countRows(t, db, "users"), countRows(t, db, "audit_log")
		bad := []struct {
			key, value, field, msg string
		}{
			{"username", "", "username", "用户名不能为空"},
			{"display_name", "", "display_name", "请填写姓名"},
			{"role", taotai.RoleAuditor, "role", "只有省级系统管理员可以授予“审计管理员”角色"},
			{"role", "boss", "role", "请从列表中选择角色"},
			{"region", "210900", "region", "只能选择您管辖范围内的地区"},
			{"region", taotai.ProvinceCode, "region", "只能选择您管辖范围内的地区"},
			{"sector", taotai.SectorCoal, "sector", "行业类别只能选“非煤”"},
			{"username", "as_admin", "username", "已被使用"},
		}
		for _, b := range bad {
			f := url.Values{}
			for k, v := range good {
				f[k] = v
			}
			f.Set(b.key, b.value)
			r := c.post("/admin/users", f)
			if r.Status != http.StatusBadRequest && r.Status != http.StatusConflict {
				t.Errorf("%s=%q: status %d", b.key, b.value, r.Status)
			}
			if msg := text(r, "#error-summary"); !strings.Contains(msg, b.msg) {
				t.Errorf("%s=%q: summary %q, want %q", b.key, b.value, msg, b.msg)
			}
			if href, _ := r.Doc.Find("#error-summary a").First().Attr("href"); href != "#"+b.field {
				t.Errorf("%s=%q: the summary links to %q", b.key, b.value, href)
			}
			if r.Doc.Find("#new-password").Length() != 0 {
				t.Errorf("%s=%q: a password was shown", b.key, b.value)
			}
		}
		if countRows(t, db, "users") != users || countRows(t, db, "audit_log") != audits {
			t.Fatal("refused creations changed the database")
		}
		r := c.post("/admin/users", good)
		pw := text(r, "#new-password")
		if r.Status != http.StatusOK || len(pw) != 19 {
			t.Fatalf("create: %d %q %s", r.Status, pw, text(r, "#error-summary"))
		}
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("the password page may be cached: %q", r.Header.Get("Cache-Control"))
		}
		// Shown once: the account page does not show it again.
		id := userIDs(t, db)["wangli"]
		if again := c.get(fmt.Sprintf("/admin/users/%d", id)); strings.Contains(again.Body, pw) || again.Doc.Find("#new-password").Length() != 0 {
			t.Error("the password is shown again")
		}
		u := newClient(t, ts)
		u.loginAs("wangli", pw)
		for _, p := range []string{"/", "/enterprises", "/forms"} {
			if r := u.get(p); r.Status != http.StatusSeeOther || r.Location != "/account" {
				t.Errorf("the new user GET %s: %d %q, want the password change first", p, r.Status, r.Location)
			}
		}
		ch := u.post("/account/password", url.Values{"csrf_token": {u.csrf("/account")}, "current": {pw}, "password": {"王丽的新密码2020"},
			"confirm": {"王丽的新密码2020"}})
		if ch.Status != http.StatusSeeOther {
			t.Fatalf("change the password: %d %s", ch.Status, text(ch, "#error-summary"))
		}
		if r := u.get("/"); r.Status != http.StatusOK {
			t.Fatalf("after the change: %d", r.Status)
		}
		e, _, _ := db.FindAudit(storetest.ActorContext(db, taotai.RoleAuditor, taotai.ProvinceCode, ""),
			taotai.AuditFilter{Entity: "user", EntityID: fmt.Sprint(id), Action: taotai.AuditCreate})
		if len(e) != 1 || e[0].Username != "as_admin" {
			t.Fatalf("the creation's audit entry: %+v", e)
		}
	})
}

// TestAdminUserActs: the consequential acts ask to confirm, with their
// reason, and change nothing until confirmed; then they do, end the
// user's sessions and keep the reason.
func TestAdminUserActs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		addUser(t, db, "as_admin", taotai.RoleAdmin, "210300", taotai.SectorNonCoal)
		addUser(t, db, "as_clerk", taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
		ids := userIDs(t, db)
		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("as_admin")
		clerk := newClient(t, ts)
		clerk.login("as_clerk")
		base := fmt.Sprintf("/admin/users/%d", ids["as_clerk"])
		tok := c.csrf(base)
		before := userRow(t, db, ids["as_clerk"])

		// Disable: no reason → the page again with the message by the field.
		r := c.post(base+"/disable", url.Values{"csrf_token": {tok}, "reason": {""}})
		if r.Status != http.StatusBadRequest || text(r, "#disable-reason-error") != "请填写理由（将记入操作日志）。" ||
			r.Doc.Find(`#error-summary a[href="#disable-reason"]`).Length() != 1 {
			t.Fatalf("disable without a reason: %d %q", r.Status, text(r, "#disable .error-message"))
		}
		r = c.post(base+"/disable", url.Values{"csrf_token": {tok}, "reason": {"已调离本单位"}})
		if r.Status != http.StatusOK || r.Doc.Find("#confirm-form").Length() != 1 || text(r, "#confirm-reason") != "已调离本单位" ||
			!strings.Contains(text(r, "#confirm-effects"), "1个登录会话将立即结束") {
			t.Fatalf("the check before disabling: %d %q", r.Status, text(r, "main"))
		}
		if userRow(t, db, ids["as_clerk"]) != before {
			t.Fatal("disabled before the confirmation")
		}
		form := url.Values{}
		r.Doc.Find("#confirm-form input").Each(func(_ int, s *goquery.Selection) {
			n, _ := s.Attr("name")
			v, _ := s.Attr("value")
			form.Set(n, v)
		})
		if r = c.post(base+"/disable", form); r.Status != http.StatusSeeOther {
			t.Fatalf("confirm disabling: %d %s", r.Status, text(r, "main"))
		}
		if r := clerk.get("/"); r.Status != http.StatusSeeOther || r.Location != "/login" {
			t.Errorf("the disabled user's session goes on: %d %q", r.Status, r.Location)
		}
		if page := c.get(base); text(page, "#f-state") != "已停用" {
			t.Errorf("state after disabling: %q", text(page, "#f-state"))
		}
		if r := c.post(base+"/enable", url.Values{"csrf_token": {tok}}); r.Status != http.StatusSeeOther {
			t.Fatalf("enable: %d", r.Status)
		}

		// Role: the form, the check with before → after, then the change.
		clerk.login("as_clerk")
		edit := c.get(base + "/edit")
		version, _ := edit.Doc.Find("input[name=version]").Attr("value")
		upd := url.Values{"csrf_token": {tok}, "display_name": {"王丽"}, "role": {taotai.RoleCityApprover}, "region": {"210300"},
			"sector": {taotai.SectorNonCoal}, "version": {version}, "reason": {""}}
		if r := c.post(base, upd); r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#error-summary"), "请填写理由") {
			t.Fatalf("a change without a reason: %d %q", r.Status, text(r, "#error-summary"))
		}
		upd.Set("reason", "任命为审核人员")
		r = c.post(base, upd)
		if r.Status != http.StatusOK || !strings.Contains(text(r, "#confirm-changes"), "市级填报") ||
			!strings.Contains(text(r, "#confirm-changes"), "市级审核") {
			t.Fatalf("the check before the change: %d %q", r.Status, text(r, "main"))
		}
		upd.Set("confirm", "1")
		if r := c.post(base, upd); r.Status != http.StatusSeeOther {
			t.Fatalf("confirm the change: %d %s", r.Status, text(r, "main"))
		}
		if r := clerk.get("/"); r.Status != http.StatusSeeOther {
			t.Errorf("the user's session survived a change of role: %d", r.Status)
		}
		u, _ := db.FindUser(context.Background(), ids["as_clerk"])
		if u.Role != taotai.RoleCityApprover || u.DisplayName != "王丽" {
			t.Fatalf("after the change: %+v", u)
		}
		// The same form again is stale.
		if r := c.post(base, upd); r.Status != http.StatusConflict {
			t.Errorf("a stale change: %d", r.Status)
		}

		// Reset: the check, then a password shown once.
		clerk.login("as_clerk")
		r = c.post(base+"/password", url.Values{"csrf_token": {tok}, "reason": {"本人来电，已核实身份"}})
		if r.Status != http.StatusOK || r.Doc.Find("#confirm-form").Length() != 1 || r.Doc.Find("#new-password").Length() != 0 {
			t.Fatalf("the check before a reset: %d", r.Status)
		}
		r = c.post(base+"/password", url.Values{"csrf_token": {tok}, "reason": {"本人来电，已核实身份"}, "confirm": {"1"}})
		pw := text(r, "#new-password")
		if r.Status != http.StatusOK || pw == "" {
			t.Fatalf("reset: %d", r.Status)
		}
		if r := clerk.get("/"); r.Status != http.StatusSeeOther || r.Location != "/login" {
			t.Errorf("the user's session survived the reset: %d %q", r.Status, r.Location)
		}
		clerk.loginAs("as_clerk", pw)
		if r := clerk.get("/"); r.Location != "/account" {
			t.Errorf("after a reset the user goes on without changing the password: %d %q", r.Status, r.Location)
		}
		e, _, _ := db.FindAudit(storetest.ActorContext(db, taotai.RoleAuditor, taotai.ProvinceCode, ""),
			taotai.AuditFilter{Entity: "user", EntityID: fmt.Sprint(ids["as_clerk"])})
		var notes []string
		for _, x := range e {
			notes = append(notes, x.Note)
		}
		all := strings.Join(notes, "\n")
		for _, want := range []string{"已调离本单位", "任命为审核人员", "本人来电，已核实身份"} {
			if !strings.Contains(all, want) {
				t.Errorf("the reason %q is not in the audit trail:\n%s", want, all)
			}
		}

		// One's own account: no disable, no reset, no change of role.
		self := fmt.Sprintf("/admin/users/%d", ids["as_admin"])
		page := c.get(self)
		if page.Doc.Find("#disable, #password").Length() != 0 || page.Doc.Find("#user-self").Length() != 1 {
			t.Error("one's own account page offers to disable or reset it")
		}
		if r := c.post(self+"/disable", url.Values{"csrf_token": {tok}, "reason": {"试试"}, "confirm": {"1"}}); r.Status != http.StatusBadRequest {
			t.Errorf("disable oneself: %d", r.Status)
		}
		if u, _ := db.FindUser(context.Background(), ids["as_admin"]); u.Disabled {
			t.Fatal("the admin disabled themselves")
		}
	})
}
