package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

type fixture struct {
	db          *store.DB
	own, other  *taotai.Enterprise // in 鞍山 and in 阜新
	steel, coal int64
}

func setup(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{db: db}
	inds, _ := db.Industries(context.Background())
	for _, i := range inds {
		switch i.Key {
		case "steel":
			f.steel = i.ID
		case "coal":
			f.coal = i.ID
		}
	}
	admin := taotai.NewContextWithActor(context.Background(), taotai.System)
	f.own = &taotai.Enterprise{Name: "鞍山宏达钢铁有限公司", CreditCode: "91210300241471030L", Address: "鞍山市铁东区园林路1号",
		RegionCode: "210302", IndustryID: f.steel, ProductionState: taotai.StateNormal}
	f.other = &taotai.Enterprise{Name: "阜新海州钢铁有限公司", CreditCode: "91210900MA0000001" + string(taotai.USCCCheckDigit("91210900MA0000001")),
		Address: "阜新市海州区中华路2号", RegionCode: "210902", IndustryID: f.steel, ProductionState: taotai.StatePartial}
	for _, e := range []*taotai.Enterprise{f.own, f.other} {
		if err := db.CreateEnterprise(admin, e, false); err != nil {
			t.Fatal(err)
		}
	}
	addUser(t, db, "ansh_clerk", taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
	addUser(t, db, "ansh_inspector", taotai.RoleInspector, "210302", taotai.SectorNonCoal)
	return f
}

func TestLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		setup(t, db)
		ts := newServer(t, db)
		c := newClient(t, ts)
		if r := c.get("/"); r.Status != http.StatusSeeOther || r.Location != "/login" {
			t.Fatalf("anonymous home: %d → %q", r.Status, r.Location)
		}
		r := c.post("/login", url.Values{"csrf_token": {c.csrf("/login")}, "username": {"ansh_clerk"}, "password": {"wrong password"}})
		if r.Status != http.StatusUnauthorized || text(r, "#login-error") != "用户名或密码不正确。" {
			t.Fatalf("bad password: %d %q", r.Status, text(r, "#login-error"))
		}
		if v, _ := r.Doc.Find("#username").Attr("value"); v != "ansh_clerk" {
			t.Errorf("username not kept in the form: %q", v)
		}
		c.login("ansh_clerk")
		home := c.get("/")
		if home.Status != 200 || !strings.Contains(text(home, "#lane-region"), "鞍山市") || text(home, "#lane-sector") != "非煤" {
			t.Fatalf("home: %d region %q sector %q", home.Status, text(home, "#lane-region"), text(home, "#lane-sector"))
		}
		if got := text(home, "#count-enterprises"); got != "1" {
			t.Errorf("enterprises in lane = %s, want 1", got)
		}
		out := c.post("/logout", url.Values{"csrf_token": {c.csrf("/")}})
		if out.Status != http.StatusSeeOther {
			t.Fatalf("logout: %d", out.Status)
		}
		if r := c.get("/enterprises"); r.Status != http.StatusSeeOther {
			t.Fatalf("after logout: %d", r.Status)
		}
	})
}

// TestOtherJurisdictionIsNotFound: a city user who types another city's
// enterprise id gets 404, on every enterprise address.
func TestOtherJurisdictionIsNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := newClient(t, newServer(t, db))
		c.login("ansh_clerk")
		for _, p := range []string{idPath(f.other.ID, ""), idPath(f.other.ID, "/edit")} {
			if r := c.get(p); r.Status != http.StatusNotFound || strings.Contains(r.Body, f.other.Name) {
				t.Errorf("GET %s: %d", p, r.Status)
			}
		}
		tok := c.csrf("/")
		r := c.post(idPath(f.other.ID, ""), url.Values{"csrf_token": {tok}, "name": {"改名"}, "version": {"1"}})
		if r.Status != http.StatusNotFound {
			t.Errorf("POST edit: %d", r.Status)
		}
		r = c.post(idPath(f.other.ID, "/keylist"), url.Values{"csrf_token": {tok}, "year": {"2020"}, "listed": {"1"}})
		if r.Status != http.StatusNotFound {
			t.Errorf("POST keylist: %d", r.Status)
		}
		if list := c.get("/enterprises?q=" + url.QueryEscape("阜新")); strings.Contains(list.Body, f.other.Name) {
			t.Error("the list shows another city's enterprise")
		}
		got, _ := db.FindEnterprise(taotai.NewContextWithActor(context.Background(), taotai.System), f.other.ID)
		if got.Name != f.other.Name || got.Version != 1 || len(got.KeyYears) != 0 {
			t.Fatalf("another city's enterprise changed: %+v", got)
		}
		if r := c.get(idPath(f.own.ID, "")); r.Status != 200 || text(r, "#enterprise-name") != f.own.Name {
			t.Fatalf("own enterprise: %d", r.Status)
		}
	})
}

func TestBadAddresses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		setup(t, db)
		c := newClient(t, newServer(t, db))
		c.login("ansh_clerk")
		for _, p := range []string{"/enterprises/abc", "/enterprises/-1", "/enterprises/1.5/edit", "/enterprises/99999999999999999999"} {
			r := c.get(p)
			if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#error-message"), "格式不正确") {
				t.Errorf("GET %s: %d %q", p, r.Status, text(r, "#error-message"))
			}
		}
		if r := c.get("/enterprises/999999"); r.Status != http.StatusNotFound {
			t.Errorf("unknown id: %d", r.Status)
		}
		if r := c.get("/no/such/page"); r.Status != http.StatusNotFound || text(r, "h1") != "未找到" {
			t.Errorf("unknown page: %d %q", r.Status, text(r, "h1"))
		}
		if r := c.get("/keylist/20x0"); r.Status != http.StatusBadRequest {
			t.Errorf("bad year: %d", r.Status)
		}
	})
}

func TestFormWithoutCSRFChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := newClient(t, newServer(t, db))
		c.login("ansh_clerk")
		form := url.Values{"name": {"被篡改的名称"}, "credit_code": {f.own.CreditCode}, "address": {"x"}, "region": {"210302"},
			"industry": {strconv.FormatInt(f.steel, 10)}, "production_state": {"normal"}, "version": {"1"}}
		for _, tok := range []string{"", "forged-token"} {
			if tok != "" {
				form.Set("csrf_token", tok)
			}
			r := c.post(idPath(f.own.ID, ""), form)
			if r.Status != http.StatusForbidden || !strings.Contains(text(r, "#error-message"), "安全令牌") {
				t.Fatalf("token %q: %d %q", tok, r.Status, text(r, "#error-message"))
			}
		}
		got, _ := db.FindEnterprise(taotai.NewContextWithActor(context.Background(), taotai.System), f.own.ID)
		if got.Name != f.own.Name || got.Version != 1 {
			t.Fatalf("changed without a token: %+v", got)
		}
	})
}

func TestCreateEnterpriseForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := newClient(t, newServer(t, db))
		c.login("ansh_clerk")
		tok := c.csrf("/enterprises/new")
		base := url.Values{"csrf_token": {tok}, "name": {"鞍山新建水泥有限公司"}, "credit_code": {"91210300MA0000002" + string(taotai.USCCCheckDigit("91210300MA0000002"))},
			"address": {"鞍山市铁东区建国路3号"}, "region": {"210302"}, "industry": {strconv.FormatInt(f.steel, 10)}, "production_state": {"normal"}}
		bad := []struct {
			name, field, value, wantField, wantMsg string
			status                                 int
		}{
			{"invalid credit code", "credit_code", "123", "credit_code", "应为18位", 400},
			{"bad check digit", "credit_code", "91210300241471031L", "credit_code", "校验位不符", 400},
			{"duplicate credit code", "credit_code", f.own.CreditCode, "credit_code", "已被其他企业使用", 409},
			{"unknown region", "region", "210399", "region", "不存在", 400},
			{"another city's region", "region", "210902", "region", "不在您的管辖范围内", 400},
			{"unknown industry", "industry", "777", "industry", "所属行业不存在", 400},
			{"coal industry for a non-coal clerk", "industry", strconv.FormatInt(f.coal, 10), "industry", "不属于您负责", 400},
			{"empty name", "name", "", "name", "企业名称不能为空", 400},
			{"over-long name", "name", strings.Repeat("鞍", 101), "name", "不能超过100个字", 400},
			{"unknown production state", "production_state", "closed", "production_state", "正常生产、局部生产或停产", 400},
		}
		for _, tt := range bad {
			t.Run(tt.name, func(t *testing.T) {
				form := url.Values{}
				for k, v := range base {
					form[k] = v
				}
				form.Set(tt.field, tt.value)
				r := c.post("/enterprises", form)
				if r.Status != tt.status {
					t.Fatalf("status %d, want %d", r.Status, tt.status)
				}
				sel := "#" + tt.wantField + "-error"
				if tt.wantField == "production_state" {
					sel = "#production_state .error-message"
				}
				if msg := text(r, sel); !strings.Contains(msg, tt.wantMsg) {
					t.Fatalf("message beside %s: %q, want %q", tt.wantField, msg, tt.wantMsg)
				}
				if r.Doc.Find(`#error-summary a[href="#`+tt.wantField+`"]`).Length() != 1 {
					t.Error("the error summary does not link to the field")
				}
				if tt.field != "name" {
					if v, _ := r.Doc.Find("#name").Attr("value"); v != "鞍山新建水泥有限公司" {
						t.Errorf("input lost: name=%q", v)
					}
				}
			})
		}
		_, n, _ := db.FindEnterprises(taotai.NewContextWithActor(context.Background(), taotai.System), taotai.EnterpriseFilter{})
		if n != 2 {
			t.Fatalf("%d enterprises after bad input, want 2", n)
		}
		// A bad check digit, once confirmed, is accepted.
		form := url.Values{}
		for k, v := range base {
			form[k] = v
		}
		form.Set("credit_code", "91350100M0001TGQXM")
		form.Set("confirm_code", "1")
		r := c.post("/enterprises", form)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("confirmed create: %d %s", r.Status, text(r, "#error-summary"))
		}
		page := c.get(r.Location)
		if !strings.Contains(text(page, "#f-credit-code"), "已人工确认") || !strings.Contains(text(page, ".notice"), "已登记") {
			t.Fatalf("detail after create: %q / %q", text(page, "#f-credit-code"), text(page, ".notice"))
		}
	})
}

func TestEditEnterpriseAndConflict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ts := newServer(t, db)
		alice, bob := newClient(t, ts), newClient(t, ts)
		alice.login("ansh_clerk")
		bob.login("ansh_clerk")
		formOf := func(c *client) url.Values {
			page := c.get(idPath(f.own.ID, "/edit"))
			if page.Status != 200 {
				t.Fatalf("edit page: %d", page.Status)
			}
			form := url.Values{}
			page.Doc.Find("form input, form select").Each(func(_ int, s *goquery.Selection) {
				name, _ := s.Attr("name")
				typ, _ := s.Attr("type")
				switch {
				case s.Is("select"):
					v, _ := s.Find("option[selected]").Attr("value")
					form.Set(name, v)
				case typ == "radio":
					if _, on := s.Attr("checked"); on {
						v, _ := s.Attr("value")
						form.Set(name, v)
					}
				case name != "":
					v, _ := s.Attr("value")
					form.Set(name, v)
				}
			})
			return form
		}
		a, b := formOf(alice), formOf(bob)
		a.Set("contact_phone", "0412-5550001")
		if r := alice.post(idPath(f.own.ID, ""), a); r.Status != http.StatusSeeOther {
			t.Fatalf("alice's edit: %d %s", r.Status, text(r, "#error-summary"))
		}
		b.Set("contact_phone", "0412-5550002")
		r := bob.post(idPath(f.own.ID, ""), b)
		if r.Status != http.StatusConflict || !strings.Contains(text(r, "#error-summary"), "被他人修改") {
			t.Fatalf("bob's stale edit: %d %q", r.Status, text(r, "#error-summary"))
		}
		if !strings.Contains(text(r, "#conflict"), "0412-5550001") || !strings.Contains(text(r, "#conflict"), "0412-5550002") {
			t.Fatalf("the conflict does not show both changes: %q", text(r, "#conflict"))
		}
		got, _ := db.FindEnterprise(taotai.NewContextWithActor(context.Background(), taotai.System), f.own.ID)
		if got.ContactPhone != "0412-5550001" {
			t.Fatalf("alice's change lost: %q", got.ContactPhone)
		}
		// Bob saves again on the fresh version the page now carries.
		v, _ := r.Doc.Find("input[name=version]").Attr("value")
		b.Set("version", v)
		if r := bob.post(idPath(f.own.ID, ""), b); r.Status != http.StatusSeeOther {
			t.Fatalf("bob's second save: %d", r.Status)
		}
	})
}

func TestInspectorCannotEdit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := newClient(t, newServer(t, db))
		c.login("ansh_inspector")
		if r := c.get(idPath(f.own.ID, "")); r.Status != 200 || r.Doc.Find(`a[href$="/edit"]`).Length() != 0 {
			t.Fatalf("inspector detail: %d, edit link shown: %v", r.Status, r.Doc.Find(`a[href$="/edit"]`).Length())
		}
		if r := c.get(idPath(f.own.ID, "/edit")); r.Status != http.StatusForbidden {
			t.Fatalf("inspector edit page: %d", r.Status)
		}
		if r := c.get("/enterprises/new"); r.Status != http.StatusForbidden {
			t.Fatalf("inspector new page: %d", r.Status)
		}
	})
}

func TestRegistrySearchAndKeyList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		addUser(t, db, "prov", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
		c := newClient(t, newServer(t, db))
		c.login("prov")
		r := c.get("/enterprises?q=" + url.QueryEscape("海州"))
		if text(r, "#result-count") != "共 1 家企业。" || !strings.Contains(text(r, "#enterprise-table"), f.other.Name) {
			t.Fatalf("search: %q", text(r, "#result-count"))
		}
		r = c.get("/enterprises?region=210300")
		if !strings.Contains(text(r, "#enterprise-table"), f.own.Name) || strings.Contains(text(r, "#enterprise-table"), f.other.Name) {
			t.Fatalf("region filter: %q", text(r, "#enterprise-table"))
		}
		r = c.get("/enterprises?state=partial")
		if text(r, "#result-count") != "共 1 家企业。" {
			t.Fatalf("state filter: %q", text(r, "#result-count"))
		}
		// The province reviewer reads but cannot list.
		if r := c.post(idPath(f.own.ID, "/keylist"), url.Values{"csrf_token": {c.csrf("/")}, "year": {"2020"}, "listed": {"1"}}); r.Status != http.StatusForbidden {
			t.Fatalf("reviewer listing: %d", r.Status)
		}
		clerk := newClient(t, newServer(t, db))
		clerk.login("ansh_clerk")
		if r := clerk.post(idPath(f.own.ID, "/keylist"), url.Values{"csrf_token": {clerk.csrf("/")}, "year": {"2020"}, "listed": {"1"}, "note": {"正常生产"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("clerk listing: %d", r.Status)
		}
		kl := clerk.get("/keylist/2020")
		if !strings.Contains(text(kl, "#keylist-table"), f.own.Name) || !strings.Contains(text(kl, "#keylist-table"), "正常生产") {
			t.Fatalf("key list: %q", text(kl, "#keylist-table"))
		}
		if r := c.get("/enterprises?year=2020"); text(r, "#result-count") != "共 1 家企业。" {
			t.Fatalf("key year filter: %q", text(r, "#result-count"))
		}
	})
}

func TestHealthz(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := newClient(t, newServer(t, db))
		if r := c.get("/healthz"); r.Status != 200 || r.Body != "ok\n" {
			t.Fatalf("healthz: %d %q", r.Status, r.Body)
		}
		db.Close()
		if r := c.get("/healthz"); r.Status != http.StatusServiceUnavailable {
			t.Fatalf("healthz with the database closed: %d", r.Status)
		}
	})
}
