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

// provinceSettings are the province-wide settings: only the province's
// administrator reaches them. Each POST carries a form that would succeed
// (the province's administrator is redirected).
var provinceSettings = []struct {
	method, path string
	form         url.Values
}{
	{"GET", "/admin/industries", nil},
	{"POST", "/admin/industries", url.Values{"name": {"铁合金"}, "key": {"ferroalloy"}, "sector": {"noncoal"}}},
	{"GET", "/admin/regions", nil},
	{"POST", "/admin/regions/210300/coal", url.Values{"coal": {"1"}}},
	{"GET", "/admin/campaign/2020", nil},
	{"POST", "/admin/campaign/2020/deadlines/first_report", url.Values{"due": {"2020-05-11"}}},
	{"POST", "/admin/campaign", url.Values{"year": {"2031"}, "from": {"2020"}}},
	{"GET", "/admin/criteria", nil},
	{"POST", "/admin/criteria", url.Values{"industry": {"steel"}, "standard": {"测试标准"}, "article": {"第九十九项"}, "text": {"测试条款"}, "active": {"1"}}},
	{"GET", "/admin/agencies", nil},
}

// TestProvinceSettingsForCityAdmin: 鞍山's administrator manages its own
// lane's accounts and sessions, and reads the audit trail, but the
// province-wide settings answer 403 with a Chinese page that says whose
// they are, change nothing, and are not offered on its settings page; the
// province's administrator reaches each of them. The store refuses the
// city administrator too.
func TestProvinceSettingsForCityAdmin(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	setup(t, db)
	addUser(t, db, "as_admin", taotai.RoleAdmin, "210300", taotai.SectorNonCoal)
	addUser(t, db, "prov_admin", taotai.RoleAdmin, taotai.ProvinceCode, "")
	ts := newServer(t, db)
	city, prov := newClient(t, ts), newClient(t, ts)
	city.login("as_admin")
	prov.login("prov_admin")
	cityTok, provTok := city.csrf("/account"), prov.csrf("/account")
	sys := taotai.NewContextWithActor(context.Background(), taotai.System)
	industries := func() int {
		inds, err := db.Industries(sys)
		if err != nil {
			t.Fatal(err)
		}
		return len(inds)
	}
	before := industries()
	send := func(c *client, tok, method, path string, form url.Values) *response {
		if method == http.MethodGet {
			return c.get(path)
		}
		f := url.Values{"csrf_token": {tok}}
		for k, v := range form {
			f[k] = v
		}
		return c.post(path, f)
	}
	for _, p := range provinceSettings {
		r := send(city, cityTok, p.method, p.path, p.form)
		if msg := text(r, "#error-message"); r.Status != http.StatusForbidden || !strings.Contains(msg, "省级系统管理员") {
			t.Errorf("%s %s as 鞍山's administrator: %d %q, want 403 naming the province's administrator", p.method, p.path, r.Status, msg)
		}
	}
	if n := industries(); n != before {
		t.Errorf("the city administrator's refused form changed the industries: %d → %d", before, n)
	}
	coal, err := db.FindRegion(sys, "210300")
	if err != nil || coal.CoalProducing {
		t.Errorf("鞍山 became coal-producing by a refused form: %v %v", coal, err)
	}
	for _, p := range provinceSettings {
		r := send(prov, provTok, p.method, p.path, p.form)
		want := http.StatusOK
		if p.method == http.MethodPost {
			want = http.StatusSeeOther
		}
		if r.Status != want {
			t.Errorf("%s %s as the province's administrator: %d, want %d (%s)", p.method, p.path, r.Status, want, text(r, "#error-summary"))
		}
	}
	// A city's administrator keeps its own lane's pages; its settings
	// page offers only them.
	for _, path := range []string{"/admin", "/admin/users", "/admin/sessions", "/admin/audit"} {
		if r := city.get(path); r.Status != http.StatusOK {
			t.Errorf("%s as 鞍山's administrator: %d", path, r.Status)
		}
	}
	home := city.get("/admin")
	for _, p := range provinceSettings {
		if p.method == http.MethodGet && home.Doc.Find(`main a[href="`+p.path+`"]`).Length() != 0 {
			t.Errorf("鞍山's administrator is offered %s", p.path)
		}
	}
	if home.Doc.Find(`main form[action="/admin/campaign"]`).Length() != 0 || text(home, "#province-settings") == "" {
		t.Errorf("鞍山's administrator's settings page: %q", text(home, "main"))
	}
	if prov.get("/admin").Doc.Find(`main a[href="/admin/criteria"]`).Length() != 1 {
		t.Error("the province's administrator is not offered the criteria")
	}
	// The store says no as well, whatever the page.
	u, err := db.Authenticate(context.Background(), "as_admin", password)
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.ActorFor(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	ctx := taotai.NewContextWithActor(context.Background(), a)
	for what, err := range map[string]error{
		"coal-producing": db.SetCoalProducing(ctx, "210300", true),
		"industry":       db.CreateIndustry(ctx, &taotai.Industry{Key: "ferro2", Name: "铁合金二", Sector: taotai.SectorNonCoal}),
		"agency mark":    db.SetAgencyMark(ctx, 1, "鞍"),
	} {
		if taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Errorf("store: %s by 鞍山's administrator: %v, want EFORBIDDEN", what, err)
		}
	}
}
