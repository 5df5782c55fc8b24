package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestPagesSayItPlainly: a report names people by their 姓名, not their
// login; the industries page shows no English key and makes it itself; the
// key list says when a filter matches nothing; the current section of the
// navigation is marked on a page below it.
func TestPagesSayItPlainly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, h := enforcementSetup(t, db)
		db.Clock().(*taotai.FixedClock).T = time.Date(2020, 6, 20, 10, 0, 0, 0, taotai.Shanghai)
		u, _ := db.Authenticate(context.Background(), "ansh_inspector", password)
		a, _ := db.ActorFor(context.Background(), u)
		in := &taotai.Inspection{EnterpriseID: f.own.ID, Date: time.Date(2020, 6, 15, 0, 0, 0, 0, taotai.Shanghai),
			Kind: taotai.InspectionRoutine, Inspectors: "张明、李强", InspectorCount: 2}
		if err := db.RecordInspection(taotai.NewContextWithActor(context.Background(), a), in, nil); err != nil {
			t.Fatal(err)
		}
		for login, name := range map[string]string{"ansh_clerk": "王丽华", "ansh_approver": "赵建国"} {
			if _, err := db.SQL().Exec(`UPDATE users SET display_name = $1 WHERE username = $2`, name, login); err != nil {
				t.Fatal(err)
			}
		}
		addUser(t, db, "prov_admin", taotai.RoleAdmin, taotai.ProvinceCode, "")
		ts := newServer(t, db)
		clerk, approver, admin := newClient(t, ts), newClient(t, ts), newClient(t, ts)
		clerk.login("ansh_clerk")
		approver.login("ansh_approver")
		admin.login("prov_admin")
		const page = "/reports/2020-06/210300/noncoal"
		if r := clerk.post(page+"/prepare", url.Values{"csrf_token": {clerk.csrf(page)}, "person": {"王丽华"}, "phone": {"0412-5551234"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("prepare: %d %q", r.Status, text(r, "#error-summary"))
		}
		p := approver.get(page)
		action, _ := p.Doc.Find("#submit-form form").Attr("action")
		if r := approver.post(action, url.Values{"csrf_token": {approver.csrf(page)}}); r.Status != http.StatusSeeOther {
			t.Fatalf("submit: %d", r.Status)
		}
		rp := admin.get(page)
		body := text(rp, "main")
		if !strings.Contains(body, "王丽华于") || !strings.Contains(body, "赵建国于") || strings.Contains(body, "ansh_clerk") || strings.Contains(body, "ansh_approver") {
			t.Errorf("the report names logins: %.400s", body)
		}

		r := admin.post("/admin/industries", url.Values{"csrf_token": {admin.csrf("/admin/industries")}, "name": {"铁合金"}, "sector": {"noncoal"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("industry without a key: %d %q", r.Status, text(r, "#error-summary"))
		}
		ip := admin.get("/admin/industries")
		if tbl := text(ip, "#industry-table"); !strings.Contains(tbl, "铁合金") || strings.Contains(tbl, "ind_") || strings.Contains(tbl, "steel") {
			t.Errorf("industries: %q", tbl)
		}
		if ip.Doc.Find(`input[name=key]`).Length() != 0 {
			t.Errorf("the industries form asks for a key")
		}

		sys := taotai.NewContextWithActor(context.Background(), taotai.System)
		if err := db.SetKeyListed(sys, 2020, f.own.ID, true, "正常生产"); err != nil {
			t.Fatal(err)
		}
		if kl := clerk.get("/keylist/2020?region=210303"); !strings.Contains(text(kl, "#keylist-none"), "所选地区没有") || text(kl, "#result-count") != "共 0 家企业。" {
			t.Errorf("an empty filter: %q %q", text(kl, "#result-count"), text(kl, "#keylist-none"))
		}
		if kl := clerk.get("/keylist/2020"); text(kl, "#result-count") != "共 1 家企业。" {
			t.Errorf("key list: %q", text(kl, "#result-count"))
		}

		hp := clerk.get(fmt.Sprintf("/hazards/%d", h.ID))
		if v, _ := hp.Doc.Find(`header nav a[href="/inspections"]`).Attr("aria-current"); v != "true" {
			t.Errorf("a hazard's page does not mark 执法记录: %q", v)
		}
		if hp.Doc.Find(`header nav a[aria-current]`).Length() != 1 {
			t.Errorf("%d items marked current", hp.Doc.Find(`header nav a[aria-current]`).Length())
		}
		if v, _ := clerk.get("/").Doc.Find(`header nav a[href="/"]`).Attr("aria-current"); v != "page" {
			t.Errorf("home not marked: %q", v)
		}
	})
}
