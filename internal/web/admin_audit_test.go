package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestAuditPagesScopedToLane: an auditor of 鞍山 reads 鞍山's trail only —
// the page, a filter naming another city's user, and the CSV export.
func TestAuditPagesScopedToLane(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ts := newServer(t, db)
		addUser(t, db, "as_clerk", taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
		addUser(t, db, "fx_clerk", taotai.RoleCityClerk, "210900", taotai.SectorNonCoal)
		addUser(t, db, "as_auditor", taotai.RoleAuditor, "210300", "")
		addUser(t, db, "prov_auditor", taotai.RoleAuditor, taotai.ProvinceCode, "")
		ctx := taotai.NewContextWithActor(context.Background(), taotai.System)
		inds, _ := db.Industries(ctx)
		steel := int64(0)
		for _, i := range inds {
			if i.Key == "steel" {
				steel = i.ID
			}
		}
		for i, c := range []struct{ user, region, name string }{{"as_clerk", "210302", "鞍山审计钢铁公司"}, {"fx_clerk", "210902", "阜新审计钢铁公司"}} {
			first := "91210300MA000000" + strconv.Itoa(i)
			cl := newClient(t, ts)
			cl.login(c.user)
			form := url.Values{"name": {c.name}, "credit_code": {first + string(taotai.USCCCheckDigit(first))}, "address": {"某路1号"}, "region": {c.region}, "industry": {strconv.FormatInt(steel, 10)},
				"production_state": {taotai.StateNormal}, "csrf_token": {cl.csrf("/enterprises/new")}}
			if r := cl.post("/enterprises", form); r.Status != 303 {
				t.Fatalf("%s creates: %d %s", c.user, r.Status, text(r, "#error-summary"))
			}
		}
		aud := newClient(t, ts)
		aud.login("as_auditor")
		page := text(aud.get("/admin/audit"), "#audit-table")
		if !strings.Contains(page, "as_clerk") || strings.Contains(page, "fx_clerk") || strings.Contains(page, "阜新审计") {
			t.Errorf("鞍山's auditor's page: %q", page)
		}
		if page := text(aud.get("/admin/audit?user=fx_clerk"), "#audit-table"); strings.Contains(page, "fx_clerk") {
			t.Errorf("a filter naming 阜新's clerk shows their entries: %q", page)
		}
		csv := aud.get("/admin/audit.csv")
		if !strings.Contains(csv.Body, "鞍山审计钢铁公司") || strings.Contains(csv.Body, "阜新") || strings.Contains(csv.Body, "fx_clerk") {
			t.Errorf("鞍山's auditor's CSV: %.500q", csv.Body)
		}
		prov := newClient(t, ts)
		prov.login("prov_auditor")
		if csv := prov.get("/admin/audit.csv"); !strings.Contains(csv.Body, "阜新审计钢铁公司") || !strings.Contains(csv.Body, "鞍山审计钢铁公司") {
			t.Errorf("the province's auditor's CSV lacks a city: %.500q", csv.Body)
		}
	})
}
