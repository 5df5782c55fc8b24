package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestConsolidatedView: 鞍山's first report is accepted, then its records
// change — one more inspection of a listed enterprise, and an enterprise
// inspected that the report did not hold. The page of the province-wide
// 附件2 shows 鞍山's rows as accepted with its 小计, marks the two cells
// the records now contradict (submitted and live value) and the row the
// records added, counts the three places at the top, links the .xlsx, and
// names the units not yet accepted. The coal reviewer gets 404; a city
// sees its own part only.
func TestConsolidatedView(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, _ := enforcementSetup(t, db) // 鞍山: an inspection of f.own on 9 May, 1 person
		addUser(t, db, "prov_rev", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
		addUser(t, db, "prov_coal", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorCoal)
		addUser(t, db, "fx_clerk", taotai.RoleCityClerk, "210900", taotai.SectorNonCoal)
		db.Clock().(*taotai.FixedClock).T = time.Date(2020, 5, 11, 10, 0, 0, 0, taotai.Shanghai)
		as := func(role, region, sector string) context.Context {
			return storetest.ActorContext(db, role, region, sector)
		}
		v, err := db.PrepareReport(as(taotai.RoleCityClerk, "210300", taotai.SectorNonCoal), &taotai.ReportPreparation{
			PeriodKey: "2020-05", RegionCode: "210300", Sector: taotai.SectorNonCoal, Person: "王丽", Phone: "0412-5551234"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SubmitReport(as(taotai.RoleCityApprover, "210300", taotai.SectorNonCoal), v.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.AcceptReport(as(taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal), v.ID, "同意"); err != nil {
			t.Fatal(err)
		}
		// After acceptance: f.own inspected again on 10 May by 2 people; a new enterprise inspected.
		u, _ := db.Authenticate(context.Background(), "ansh_inspector", password)
		a, _ := db.ActorFor(context.Background(), u)
		inspector := taotai.NewContextWithActor(context.Background(), a)
		sys := taotai.NewContextWithActor(context.Background(), taotai.System)
		late := &taotai.Enterprise{Name: "鞍山钢城特钢有限公司", CreditCode: "91210300MA0000002" + string(taotai.USCCCheckDigit("91210300MA0000002")),
			Address: "鞍山市立山区胜利路8号", RegionCode: "210302", IndustryID: f.steel, ProductionState: taotai.StateNormal}
		if err := db.CreateEnterprise(sys, late, false); err != nil {
			t.Fatal(err)
		}
		for _, in := range []*taotai.Inspection{
			{EnterpriseID: f.own.ID, Date: time.Date(2020, 5, 10, 0, 0, 0, 0, taotai.Shanghai), Kind: taotai.InspectionRoutine, Inspectors: "张明、李强", InspectorCount: 2},
			{EnterpriseID: late.ID, Date: time.Date(2020, 5, 10, 0, 0, 0, 0, taotai.Shanghai), Kind: taotai.InspectionRoutine, Inspectors: "张明、李强", InspectorCount: 2},
		} {
			if err := db.RecordInspection(inspector, in, nil); err != nil {
				t.Fatal(err)
			}
		}

		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("prov_rev")
		grid := c.get("/reports?year=2020&sector=noncoal")
		link, ok := grid.Doc.Find(`#consolidated-2020-05 a.consolidated-view`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			h, _ := s.Attr("href")
			return strings.Contains(h, "form=2")
		}).Attr("href")
		if !ok || !strings.HasPrefix(link, "/reports/consolidated/view?") {
			t.Fatalf("no page of May's 附件2 on the grid: %q", text(grid, "#consolidated-links"))
		}
		p := c.get(link)
		if p.Status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", link, p.Status, text(p, "#error-message"))
		}
		// The live records are recounted only when asked: the page offers it.
		if p.Doc.Find("#diff-count, #diff-none").Length() != 0 {
			t.Error("the page compared the live records unasked")
		}
		compare, ok := p.Doc.Find("#compare-live").Attr("href")
		if !ok || !strings.Contains(compare, "compare=1") {
			t.Fatalf("no link to compare with the live records: %q", text(p, "#diff-offer"))
		}
		if p = c.get(compare); p.Status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", compare, p.Status, text(p, "#error-message"))
		}
		// Independently: 1 → 2 inspections, 2 → 4 person-times, one row added: three places.
		if got := text(p, "#diff-count strong"); got != "3处与现有记录不一致" {
			t.Errorf("the count: %q", got)
		}
		unit := p.Doc.Find("#unit-210300")
		cells := map[string]string{}
		unit.Find("td.differs").Each(func(_ int, td *goquery.Selection) {
			label, _ := td.Attr("data-label")
			cells[label] = strings.Join(strings.Fields(td.Text()), " ")
		})
		want := map[string]string{"检查企业次数": "1 现有记录：2", "执法检查人员数量（人次）": "2 现有记录：4"}
		if len(cells) != len(want) || cells["检查企业次数"] != want["检查企业次数"] || cells["执法检查人员数量（人次）"] != want["执法检查人员数量（人次）"] {
			t.Errorf("marked cells %v, want %v", cells, want)
		}
		if live := unit.Find("tr.row-live"); live.Length() != 1 || !strings.Contains(live.Text(), late.Name) || !strings.Contains(live.Text(), "报送后新增") {
			t.Errorf("the live-only row: %q", live.Text())
		}
		sub := unit.Find("tr.subtotal td")
		if sub.Length() < 3 || strings.TrimSpace(sub.Eq(1).Text()) != "鞍山市小计" || strings.TrimSpace(sub.Eq(3).Text()) != "1" {
			t.Errorf("鞍山's 小计 (as accepted: 1 inspection): %q", unit.Find("tr.subtotal").Text())
		}
		if tot := p.Doc.Find("#consolidated-total td"); strings.TrimSpace(tot.Eq(1).Text()) != "合计" || strings.TrimSpace(tot.Eq(3).Text()) != "1" {
			t.Errorf("合计: %q", text(p, "#consolidated-total"))
		}
		if m := text(p, "#consolidated-missing"); !strings.Contains(m, "阜新市") || strings.Contains(m, "鞍山市") {
			t.Errorf("missing: %q", m)
		}
		if href, _ := p.Doc.Find("#consolidated-download").Attr("href"); href != "/reports/consolidated?form=2&period=2020-05&sector=noncoal" {
			t.Errorf("download link %q", href)
		}
		if r := c.get("/reports/consolidated?form=2&period=2020-05&sector=noncoal"); r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "PK") {
			t.Errorf("the download: %d", r.Status)
		}
		// 附件1 (鞍山's key list was empty) and 附件3 (f.own's yellow card) of the same period, reached from the page.
		for form, want := range map[string]string{"1": "鞍山市小计共0家", "3": f.own.Name} {
			href, ok := p.Doc.Find("a.form-switch").FilterFunction(func(_ int, s *goquery.Selection) bool {
				return strings.TrimSpace(s.Text()) == "附件"+form
			}).Attr("href")
			if !ok {
				t.Fatalf("no link to 附件%s", form)
			}
			if r := c.get(href); r.Status != http.StatusOK || r.Doc.Find("#unit-210300").Length() != 1 || !strings.Contains(text(r, "#unit-210300"), want) {
				t.Errorf("附件%s: %d %q", form, r.Status, text(r, "#consolidated-table"))
			}
		}
		// A month's report holds no 附件1.
		if r := c.get("/reports/consolidated/view?form=1&period=2020-06&sector=noncoal"); r.Status != http.StatusBadRequest {
			t.Errorf("June's 附件1: %d", r.Status)
		}

		coal := newClient(t, ts)
		coal.login("prov_coal")
		if r := coal.get(link); r.Status != http.StatusNotFound {
			t.Errorf("the coal reviewer's view of the non-coal form: %d", r.Status)
		}
		fx := newClient(t, ts)
		fx.login("fx_clerk")
		if r := fx.get(link); r.Status != http.StatusOK || strings.Contains(r.Body, f.own.Name) || r.Doc.Find("#consolidated-empty").Length() != 1 {
			t.Errorf("阜新's clerk sees 鞍山's part: %d %q", r.Status, text(r, "#consolidated-table"))
		}
		ansh := newClient(t, ts)
		ansh.login("ansh_clerk")
		if r := ansh.get(link + "&compare=1"); r.Status != http.StatusOK || r.Doc.Find("tbody.consolidated-unit").Length() != 1 || text(r, "#diff-count strong") != "3处与现有记录不一致" {
			t.Errorf("鞍山's clerk: %d %q", r.Status, text(r, "#consolidated-table"))
		}
	})
}
