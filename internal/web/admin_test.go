package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

func TestAdminPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		setup(t, db)
		addUser(t, db, "root", taotai.RoleAdmin, taotai.ProvinceCode, "")
		ts := newServer(t, db)
		clerk := newClient(t, ts)
		clerk.login("ansh_clerk")
		for _, p := range []string{"/admin", "/admin/industries", "/admin/regions", "/admin/campaign/2020"} {
			if r := clerk.get(p); r.Status != http.StatusForbidden {
				t.Errorf("clerk GET %s: %d", p, r.Status)
			}
		}
		if r := clerk.post("/admin/regions/210300/coal", url.Values{"csrf_token": {clerk.csrf("/")}, "coal": {"1"}}); r.Status != http.StatusForbidden {
			t.Errorf("clerk sets coal city: %d", r.Status)
		}

		admin := newClient(t, ts)
		admin.login("root")
		tok := admin.csrf("/admin")
		r := admin.post("/admin/industries", url.Values{"csrf_token": {tok}, "name": {"铁合金"}, "key": {"ferroalloy"}, "sector": {"noncoal"}, "gb_codes": {"3140"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("add industry: %d %s", r.Status, text(r, "#error-summary"))
		}
		if page := admin.get("/admin/industries"); !strings.Contains(text(page, "#industry-table"), "铁合金") {
			t.Fatal("the new industry is not listed")
		}
		r = admin.post("/admin/industries", url.Values{"csrf_token": {tok}, "name": {"钢铁"}, "key": {"steel2"}, "sector": {"noncoal"}})
		if r.Status != http.StatusConflict || !strings.Contains(text(r, "#error-summary"), "已存在") {
			t.Fatalf("duplicate industry: %d %q", r.Status, text(r, "#error-summary"))
		}
		r = admin.post("/admin/industries", url.Values{"csrf_token": {tok}, "name": {"石灰"}, "key": {"lime"}})
		if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#sector .error-message"), "煤矿或非煤") {
			t.Fatalf("industry without sector: %d %q", r.Status, text(r, "#sector"))
		}
		if r := admin.post("/admin/regions/210300/coal", url.Values{"csrf_token": {tok}, "coal": {"1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("set coal city: %d", r.Status)
		}
		if rg, _ := db.FindRegion(t.Context(), "210300"); !rg.CoalProducing {
			t.Fatal("鞍山 not coal-producing")
		}
		if r := admin.post("/admin/campaign/2020/deadlines/first_report", url.Values{"csrf_token": {tok}, "due": {"2020-05-12"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("edit deadline: %d %s", r.Status, text(r, "#error-message"))
		}
		if r := admin.post("/admin/campaign/2020/deadlines/first_report", url.Values{"csrf_token": {tok}, "due": {"5月12日"}}); r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#error-message"), "不是有效日期") {
			t.Fatalf("bad date: %d %q", r.Status, text(r, "#error-message"))
		}
		page := admin.get("/admin/campaign/2020")
		if v, _ := page.Doc.Find(`form[action$="/first_report"] input[name=due]`).Attr("value"); v != "2020-05-12" {
			t.Fatalf("deadline shown as %q", v)
		}
		if r := admin.post("/admin/campaign", url.Values{"csrf_token": {tok}, "year": {"2021"}, "from": {"2020"}}); r.Status != http.StatusSeeOther || r.Location != "/admin/campaign/2021" {
			t.Fatalf("new year: %d %q", r.Status, r.Location)
		}
	})
}

func TestAdminCriteria(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		addUser(t, db, "root", taotai.RoleAdmin, taotai.ProvinceCode, "")
		c := newClient(t, newServer(t, db))
		c.login("root")
		page := c.get("/admin/criteria")
		if page.Status != 200 || !strings.Contains(text(page, "#criteria-table"), "瓦斯超限作业") {
			t.Fatalf("criteria page: %d", page.Status)
		}
		tok := c.csrf("/admin")
		r := c.post("/admin/criteria", url.Values{"csrf_token": {tok}, "industry": {"cement"}, "standard": {"工贸企业重大事故隐患判定标准"}, "article": {""}, "text": {"x"}, "active": {"1"}})
		if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#article-error"), "不能为空") {
			t.Fatalf("empty article: %d %q", r.Status, text(r, "#article-error"))
		}
		r = c.post("/admin/criteria", url.Values{"csrf_token": {tok}, "industry": {"cement"}, "standard": {"工贸企业重大事故隐患判定标准"},
			"article": {"第六条第（九）项"}, "text": {"水泥窑协同处置危险废物未落实安全措施"}, "active": {"1"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("add: %d %s", r.Status, text(r, "#error-summary"))
		}
		if !strings.Contains(text(c.get("/admin/criteria"), "#criteria-table"), "水泥窑协同处置") {
			t.Fatal("the new criterion is not listed")
		}
	})
}
