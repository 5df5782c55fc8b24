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

// TestPlanPages: 鞍山's clerk drafts the city's plan (a bad month or an
// .exe is refused with its message, nothing kept), saves it with a file,
// submits it; a draft cannot be approved, nor a plan returned without a
// reason, nor approved by the clerk; the approver approves it. The plan page, /coverage and the
// worklist show the progress (one done, one overdue) as recounted here;
// 阜新 and a county inspector get 404.
func TestPlanPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, _ := enforcementSetup(t, db) // f.own inspected on 9 May
		admin := taotai.NewContextWithActor(context.Background(), taotai.System)
		late := &taotai.Enterprise{Name: "鞍山海城水泥有限公司", CreditCode: "91210300MA0000009" + string(taotai.USCCCheckDigit("91210300MA0000009")),
			Address: "鞍山市铁东区胜利路9号", RegionCode: "210302", IndustryID: f.steel, ProductionState: taotai.StateNormal}
		if err := db.CreateEnterprise(admin, late, false); err != nil {
			t.Fatal(err)
		}
		for _, e := range []*taotai.Enterprise{f.own, late, f.other} {
			if err := db.SetKeyListed(admin, 2020, e.ID, true, "正常生产"); err != nil {
				t.Fatal(err)
			}
		}
		addUser(t, db, "fx_clerk", taotai.RoleCityClerk, "210900", taotai.SectorNonCoal)
		db.Clock().(*taotai.FixedClock).T = time.Date(2020, 7, 15, 10, 0, 0, 0, taotai.Shanghai)
		ts := newServer(t, db)
		clerk, appr, fx, insp := newClient(t, ts), newClient(t, ts), newClient(t, ts), newClient(t, ts)
		clerk.login("ansh_clerk")
		appr.login("ansh_approver")
		fx.login("fx_clerk")
		insp.login("ansh_inspector")

		list := clerk.get("/plans")
		if list.Status != http.StatusOK || list.Doc.Find("#plan-open").Length() != 1 || list.Doc.Find("#plans-empty").Length() != 1 {
			t.Fatalf("plans: %d", list.Status)
		}
		r := clerk.post("/plans", url.Values{"csrf_token": {clerk.csrf("/plans")}, "year": {"2020"}})
		if r.Status != http.StatusSeeOther || !strings.HasSuffix(r.Location, "/edit") {
			t.Fatalf("open: %d %q", r.Status, r.Location)
		}
		edit := r.Location
		page := strings.TrimSuffix(edit, "/edit")
		form := clerk.get(edit)
		if n := form.Doc.Find("#plan-entries select").Length(); n != 2 {
			t.Fatalf("the edit form offers %d enterprises, want 鞍山's 2", n)
		}
		tok := clerk.csrf(edit)
		fields := url.Values{"csrf_token": {tok}, "version": {"1"}, "scheme": {"分两轮开展检查\n一、组织"},
			fmt.Sprintf("month_%d", f.own.ID): {"5"}, fmt.Sprintf("month_%d", late.ID): {"13"}}
		docx := []byte("PK\x03\x04" + strings.Repeat("检查方案", 100))
		if r := clerk.postFiles(page, fields, "scheme_files", map[string][]byte{"方案.docx": docx}); r.Status != http.StatusBadRequest ||
			!strings.Contains(text(r, "#error-message"), "1至12月") || text(r, "#scheme") != "分两轮开展检查\n一、组织" {
			t.Fatalf("month 13: %d %q", r.Status, text(r, "#error-message"))
		}
		fields.Set(fmt.Sprintf("month_%d", late.ID), "6")
		if r := clerk.postFiles(page, fields, "scheme_files", map[string][]byte{"方案.exe": []byte("MZ")}); r.Status != http.StatusBadRequest ||
			!strings.Contains(text(r, "#error-message"), "方案.exe") {
			t.Fatalf(".exe: %d %q", r.Status, text(r, "#error-message"))
		}
		if p := clerk.get(page); text(p, "#plan-progress") != "计划检查0家，已检查0家，逾期未检查0家" {
			t.Fatalf("a refused edit changed the plan: %q", text(p, "#plan-progress"))
		}
		if r := clerk.postFiles(page, fields, "scheme_files", map[string][]byte{"方案.docx": docx}); r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d %q", r.Status, text(r, "#error-message"))
		}
		p := clerk.get(page)
		// The recount: own was inspected on 9 May (done); late, planned for
		// June, was not, and June has ended by 15 July (overdue).
		if got := text(p, "#plan-progress"); got != "计划检查2家，已检查1家，逾期未检查1家" {
			t.Fatalf("progress: %q", got)
		}
		if got := text(p, "#plan-items tr.progress-overdue"); !strings.Contains(got, late.Name) || !strings.Contains(got, "6月") {
			t.Errorf("overdue row: %q", got)
		}
		href, _ := p.Doc.Find("#plan-files a").Attr("href")
		if dl := appr.get(href); dl.Status != http.StatusOK || dl.Body != string(docx) {
			t.Fatalf("file download: %d, %d bytes", dl.Status, len(dl.Body))
		}
		if dl := fx.get(href); dl.Status != http.StatusNotFound {
			t.Fatalf("阜新 downloads 鞍山's file: %d", dl.Status)
		}
		if r := appr.post(page+"/approve", url.Values{"csrf_token": {appr.csrf(page)}, "version": {"2"}}); r.Status != http.StatusConflict {
			t.Fatalf("a draft approved: %d", r.Status)
		}
		if r := clerk.post(page+"/submit", url.Values{"csrf_token": {tok}, "version": {"2"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("submit: %d %q", r.Status, text(r, "#error-message"))
		}
		if r := clerk.post(page+"/approve", url.Values{"csrf_token": {tok}, "version": {"3"}}); r.Status != http.StatusForbidden {
			t.Fatalf("the clerk approves: %d", r.Status)
		}
		if r := appr.post(page+"/return", url.Values{"csrf_token": {appr.csrf(page)}, "version": {"3"}, "reason": {" "}}); r.Status != http.StatusBadRequest ||
			!strings.Contains(text(r, "#error-message"), "理由") {
			t.Fatalf("return without a reason: %d", r.Status)
		}
		if ap := appr.get(page); ap.Doc.Find("#plan-approve").Length() != 1 || text(ap, "#plan-state") != "待市级审核" {
			t.Fatalf("approver's page: %q", text(ap, "#plan-state"))
		}
		if r := appr.post(page+"/approve", url.Values{"csrf_token": {appr.csrf(page)}, "version": {"3"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("approve: %d %q", r.Status, text(r, "#error-message"))
		}
		if got := text(clerk.get(page), "#plan-state"); got != "已批准" {
			t.Fatalf("state: %q", got)
		}
		cov := clerk.get("/coverage?year=2020")
		if got := text(cov, "#coverage-plan-total"); !strings.Contains(got, "计划检查2家，已检查1家，逾期未检查1家") {
			t.Errorf("coverage: %q", got)
		}
		if got := text(clerk.get("/"), "#wl-plan-overdue"); !strings.Contains(got, late.Name) || strings.Contains(got, f.own.Name) {
			t.Errorf("worklist: %q", got)
		}
		if got := text(clerk.get("/plans?year=2020"), "#plans-table tbody"); !strings.Contains(got, "已批准") {
			t.Errorf("list: %q", got)
		}
		for name, c := range map[string]*client{"阜新": fx, "铁东区's inspector": insp} {
			if r := c.get(page); r.Status != http.StatusNotFound {
				t.Errorf("%s reads 鞍山's plan: %d", name, r.Status)
			}
			if r := c.get("/plans?year=2020"); r.Doc.Find("#plans-table").Length() != 0 {
				t.Errorf("%s lists 鞍山's plan", name)
			}
		}
		entries, _, err := db.FindAudit(admin, taotai.AuditFilter{Entity: "inspection_plan", Action: taotai.AuditExport, Limit: 10})
		if err != nil || len(entries) != 1 {
			t.Fatalf("the download is not audited: %d %v", len(entries), err)
		}
	})
}
