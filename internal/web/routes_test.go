package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
	"taotai/internal/web"
)

// The access test walks every route the server registers, for every role,
// against a record in the user's own lane, one in another region and one
// in the other sector, and checks the status. A route without a rule here
// fails the test.

// target is the enterprise a route acts on ({id}).
type target struct {
	name string
	e    *taotai.Enterprise
	path string // region path
}

// who is a signed-in user of the walk ("" role = anonymous).
type who struct {
	role, region, sector string
	path                 string
}

func (u who) sees(t target) bool {
	return strings.HasPrefix(t.path, u.path) && (u.sector == "" || u.sector == t.e.Sector)
}

func (u who) writes() bool {
	return u.role == taotai.RoleCityClerk || u.role == taotai.RoleCityApprover || u.role == taotai.RoleAdmin
}

// rule builds the request of a route for a user and target, and says the
// status it must get.
type rule struct {
	form func(t target, n int) url.Values // nil: GET without a body
	want func(u who, t target) int
}

const (
	ok       = http.StatusOK
	redirect = http.StatusSeeOther
)

func signedIn(code int) func(u who, t target) int {
	return func(u who, t target) int {
		if u.role == "" {
			return redirect // to /login
		}
		return code
	}
}

func byRole(code int, roles ...string) func(u who, t target) int {
	return func(u who, t target) int {
		switch {
		case u.role == "":
			return redirect
		case slices.Contains(roles, u.role):
			return code
		}
		return http.StatusForbidden
	}
}

// record: the target must be in the lane (else 404), then the role must
// be allowed to write (else 403).
func record(code int, write bool) func(u who, t target) int {
	return func(u who, t target) int {
		switch {
		case u.role == "":
			return redirect
		case !u.sees(t):
			return http.StatusNotFound
		case write && !u.writes():
			return http.StatusForbidden
		}
		return code
	}
}

// provincial: the second factor is for province-level accounts only.
func provincial(code int) func(u who, t target) int {
	return func(u who, t target) int {
		switch {
		case u.role == "":
			return redirect
		case u.region != taotai.ProvinceCode:
			return http.StatusForbidden
		}
		return code
	}
}

func always(code int) func(u who, t target) int { return func(who, target) int { return code } }

func empty(target, int) url.Values { return url.Values{} }

func values(kv ...string) func(target, int) url.Values {
	return func(target, int) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
}

func enterpriseForm(t target, _ int) url.Values {
	e := t.e
	return url.Values{"name": {e.Name}, "credit_code": {e.CreditCode}, "address": {e.Address}, "region": {e.RegionCode},
		"industry": {strconv.FormatInt(e.IndustryID, 10)}, "production_state": {e.ProductionState}, "version": {strconv.Itoa(e.Version)}}
}

func newEnterpriseForm(t target, n int) url.Values {
	f := enterpriseForm(t, n)
	first := fmt.Sprintf("91210300MA%07d", n)
	f.Set("name", fmt.Sprintf("路由测试企业%d", n))
	f.Set("credit_code", first+string(taotai.USCCCheckDigit(first)))
	f.Set("region", "210302")
	return f
}

var writers = []string{taotai.RoleCityClerk, taotai.RoleCityApprover, taotai.RoleAdmin}

var rules = map[string]rule{
	"GET /healthz":     {nil, always(ok)},
	"GET /login":       {nil, func(u who, _ target) int { return map[bool]int{true: ok, false: redirect}[u.role == ""] }},
	"POST /login":      {values("username", "nobody", "password", "wrong password"), always(http.StatusUnauthorized)},
	"GET /login/totp":  {nil, always(redirect)}, // nothing pending: back to /login
	"POST /login/totp": {values("code", "123456"), always(redirect)},
	"POST /logout":     {empty, signedIn(redirect)},
	"GET /{$}":         {nil, signedIn(ok)},
	"GET /account":     {nil, signedIn(ok)},
	"POST /account/password": {values("current", "not my password", "password", "a new long secret", "confirm", "a new long secret"),
		signedIn(http.StatusBadRequest)},
	"POST /account/totp/setup":                    {empty, provincial(ok)},
	"POST /account/totp":                          {values("code", "123456"), signedIn(http.StatusBadRequest)},
	"POST /account/totp/disable":                  {empty, provincial(redirect)},
	"GET /enterprises":                            {nil, signedIn(ok)},
	"GET /enterprises/new":                        {nil, byRole(ok, writers...)},
	"POST /enterprises":                           {newEnterpriseForm, byRole(redirect, writers...)},
	"GET /enterprises/{id}":                       {nil, record(ok, false)},
	"GET /enterprises/{id}/edit":                  {nil, record(ok, true)},
	"POST /enterprises/{id}":                      {enterpriseForm, record(redirect, true)},
	"POST /enterprises/{id}/keylist":              {values("year", "2020", "listed", "1", "note", "正常生产"), record(redirect, true)},
	"GET /keylist":                                {nil, signedIn(ok)},
	"GET /keylist/{year}":                         {nil, signedIn(ok)},
	"GET /admin":                                  {nil, byRole(ok, taotai.RoleAdmin)},
	"GET /admin/industries":                       {nil, byRole(ok, taotai.RoleAdmin)},
	"POST /admin/industries":                      {industryForm, byRole(redirect, taotai.RoleAdmin)},
	"GET /admin/regions":                          {nil, byRole(ok, taotai.RoleAdmin)},
	"POST /admin/regions/{code}/coal":             {values("coal", "0"), byRole(redirect, taotai.RoleAdmin)},
	"GET /admin/campaign/{year}":                  {nil, byRole(ok, taotai.RoleAdmin)},
	"POST /admin/campaign/{year}/deadlines/{key}": {values("due", "2020-05-11"), byRole(redirect, taotai.RoleAdmin)},
	"POST /admin/campaign":                        {campaignForm, byRole(redirect, taotai.RoleAdmin)},
	"GET /admin/sessions":                         {nil, byRole(ok, taotai.RoleAdmin)},
	"POST /admin/sessions/{id}/revoke":            {empty, byRole(http.StatusNotFound, taotai.RoleAdmin)},
	"GET /admin/audit":                            {nil, byRole(ok, taotai.RoleAdmin, taotai.RoleAuditor)},
	"GET /admin/audit.csv":                        {nil, byRole(ok, taotai.RoleAdmin, taotai.RoleAuditor)},
	"/":                                           {nil, always(http.StatusNotFound)},
}

func industryForm(_ target, n int) url.Values {
	return url.Values{"name": {fmt.Sprintf("行业%d", n)}, "key": {fmt.Sprintf("k%d", n)}, "sector": {"noncoal"}}
}

func campaignForm(_ target, n int) url.Values {
	return url.Values{"year": {strconv.Itoa(2030 + n%60)}, "from": {"2020"}}
}

// missingRules returns the patterns of routes that have no rule.
func missingRules(routes []web.Route, rules map[string]rule) []string {
	var out []string
	for _, rt := range routes {
		if _, ok := rules[rt.Pattern]; !ok {
			out = append(out, rt.Pattern)
		}
	}
	return out
}

func TestEveryRouteHasARule(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	srv, err := web.New(web.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	if m := missingRules(srv.Routes(), rules); len(m) > 0 {
		t.Fatalf("routes without an access rule: %v", m)
	}
	// The check itself fails for a route added without a rule.
	extra := append(srv.Routes(), web.Route{Pattern: "GET /new/route/without/rule", Access: web.SignedIn})
	if m := missingRules(extra, rules); !slices.Equal(m, []string{"GET /new/route/without/rule"}) {
		t.Fatalf("a route without a rule went unnoticed: %v", m)
	}
	for p := range rules {
		if !slices.ContainsFunc(srv.Routes(), func(r web.Route) bool { return r.Pattern == p }) {
			t.Errorf("rule for %q, which is not a route", p)
		}
	}
}

// TestRouteAccess: every route × every role (and anonymous) × own record,
// another region's, the other sector's, on both databases.
func TestRouteAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := taotai.NewContextWithActor(context.Background(), taotai.System)
		inds, _ := db.Industries(ctx)
		ind := map[string]int64{}
		for _, i := range inds {
			ind[i.Key] = i.ID
		}
		mk := func(name, region, industry, code string) target {
			first := "9121" + code
			e := &taotai.Enterprise{Name: name, CreditCode: first + string(taotai.USCCCheckDigit(first)), Address: "某路1号",
				RegionCode: region, IndustryID: ind[industry], ProductionState: taotai.StateNormal}
			if err := db.CreateEnterprise(ctx, e, false); err != nil {
				t.Fatal(err)
			}
			r, _ := db.FindRegion(ctx, region)
			return target{name: name, e: e, path: r.Path}
		}
		targets := []target{
			mk("本市本行业", "210302", "steel", "0300MA0000001"),
			mk("外市本行业", "210902", "steel", "0900MA0000002"),
			mk("本市外行业", "210302", "coal", "0300MA0000003"),
		}
		users := []who{
			{role: ""},
			{role: taotai.RoleInspector, region: "210302", sector: taotai.SectorNonCoal},
			{role: taotai.RoleCityClerk, region: "210300", sector: taotai.SectorNonCoal},
			{role: taotai.RoleCityApprover, region: "210300", sector: taotai.SectorNonCoal},
			{role: taotai.RoleProvinceReviewer, region: taotai.ProvinceCode, sector: taotai.SectorNonCoal},
			{role: taotai.RoleProvinceReviewer, region: taotai.ProvinceCode, sector: taotai.SectorCoal},
			{role: taotai.RolePartner, region: "210300", sector: ""},
			{role: taotai.RoleAdmin, region: taotai.ProvinceCode, sector: ""},
			{role: taotai.RoleAuditor, region: taotai.ProvinceCode, sector: ""},
		}
		srv, err := web.New(web.Config{Store: db})
		if err != nil {
			t.Fatal(err)
		}
		ts := newServer(t, db)
		n := 0
		for i, u := range users {
			r, _ := db.FindRegion(ctx, orDefault(u.region, taotai.ProvinceCode))
			u.path = r.Path
			c := newClient(t, ts)
			tokenPage := "/login"
			if u.role != "" {
				name := fmt.Sprintf("u%d_%s", i, u.role)
				addUser(t, db, name, u.role, u.region, u.sector)
				c.login(name)
				tokenPage = "/account"
			}
			token := c.csrf(tokenPage)
			for _, rt := range srv.Routes() {
				if rt.Pattern == "POST /logout" {
					continue // walked last
				}
				rl := rules[rt.Pattern]
				method, path, found := strings.Cut(rt.Pattern, " ")
				if !found {
					method, path = http.MethodGet, "/no-such-page"
				}
				for _, tg := range targets {
					if !strings.Contains(path, "{id}") && tg.name != targets[0].name {
						continue // routes without a record are walked once
					}
					n++
					if cur, err := db.FindEnterprise(ctx, tg.e.ID); err == nil {
						tg.e = cur // the current version, for edits
					}
					p := strings.NewReplacer("{id}", strconv.FormatInt(tg.e.ID, 10), "{year}", "2020", "{code}", "210300",
						"{key}", "first_report", "{$}", "").Replace(path)
					if strings.HasPrefix(rt.Pattern, "POST /admin/sessions/") {
						p = "/admin/sessions/0000000000000000/revoke"
					}
					var res *response
					if method == http.MethodPost {
						form := rl.form(tg, n)
						form.Set("csrf_token", token)
						res = c.post(p, form)
					} else {
						res = c.get(p)
					}
					want := rl.want(u, tg)
					if res.Status != want {
						t.Errorf("%s as %s@%s/%s on %s: status %d, want %d (%s)", rt.Pattern, orDefault(u.role, "anonymous"),
							u.region, u.sector, tg.name, res.Status, want, text(res, "#error-message"))
					}
					if want == redirect && u.role == "" && rt.Access != web.Public && res.Location != "/login" {
						t.Errorf("%s anonymous: redirected to %q, want /login", rt.Pattern, res.Location)
					}
				}
			}
			res := c.post("/logout", url.Values{"csrf_token": {token}})
			if want := rules["POST /logout"].want(u, targets[0]); res.Status != want {
				t.Errorf("POST /logout as %s: %d, want %d", orDefault(u.role, "anonymous"), res.Status, want)
			}
		}
		t.Logf("%d requests checked", n)
	})
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
