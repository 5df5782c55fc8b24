package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestReportVersionChanges: 鞍山's June report is returned; by the second
// version an inspection was added for one enterprise and another
// enterprise was inspected. The page compares version 2 with version 1:
// the first enterprise's changed cells, old → new, the second as added,
// 附件3 unchanged.
func TestReportVersionChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, _ := enforcementSetup(t, db)
		clock := db.Clock().(*taotai.FixedClock)
		clock.T = time.Date(2020, 6, 20, 10, 0, 0, 0, taotai.Shanghai)
		u, _ := db.Authenticate(context.Background(), "ansh_inspector", password)
		a, _ := db.ActorFor(context.Background(), u)
		inspector := taotai.NewContextWithActor(context.Background(), a)
		inspect := func(e int64, day, people int) {
			t.Helper()
			in := &taotai.Inspection{EnterpriseID: e, Date: time.Date(2020, 6, day, 0, 0, 0, 0, taotai.Shanghai),
				Kind: taotai.InspectionRoutine, Inspectors: "张明、李强", InspectorCount: people}
			if err := db.RecordInspection(inspector, in, nil); err != nil {
				t.Fatal(err)
			}
		}
		inspect(f.own.ID, 15, 2)
		as := func(role, region, sector string) context.Context {
			return storetest.ActorContext(db, role, region, sector)
		}
		clerk, approver := as(taotai.RoleCityClerk, "210300", taotai.SectorNonCoal), as(taotai.RoleCityApprover, "210300", taotai.SectorNonCoal)
		reviewer := as(taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
		prep := &taotai.ReportPreparation{PeriodKey: "2020-06", RegionCode: "210300", Sector: taotai.SectorNonCoal, Person: "王丽", Phone: "0412-5551234"}
		v1, err := db.PrepareReport(clerk, prep)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SubmitReport(approver, v1.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.ReturnReport(reviewer, v1.ID, "漏报6月18日的检查"); err != nil {
			t.Fatal(err)
		}
		// A second inspection of the same enterprise (3 people), and one of another enterprise.
		inspect(f.own.ID, 18, 3)
		sys := taotai.NewContextWithActor(context.Background(), taotai.System)
		second := &taotai.Enterprise{Name: "鞍山钢城特钢有限公司", CreditCode: "91210300MA0000002" + string(taotai.USCCCheckDigit("91210300MA0000002")), Address: "鞍山市立山区胜利路8号", RegionCode: "210302",
			IndustryID: f.steel, ProductionState: taotai.StateNormal}
		if err := db.CreateEnterprise(sys, second, false); err != nil {
			t.Fatal(err)
		}
		inspect(second.ID, 19, 2)
		if _, err := db.PrepareReport(clerk, prep); err != nil {
			t.Fatal(err)
		}

		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("ansh_clerk")
		p := c.get("/reports/2020-06/210300/noncoal")
		if p.Doc.Find("#changes .version-changes").Length() != 1 || !strings.Contains(text(p, "#changes-2 h3"), "第2版与第1版比较") {
			t.Fatalf("the comparison: %q", text(p, "#changes"))
		}
		if got := text(p, "#changes-2-form2 .form-change-count"); got != "修改1行，新增1行" {
			t.Errorf("附件2's count: %q", got)
		}
		changed := p.Doc.Find("#changes-2-form2 li.row-changed")
		if changed.Length() != 1 || !strings.Contains(changed.Find(".row-head").Text(), f.own.Name) {
			t.Fatalf("the changed row: %q", text(p, "#changes-2-form2"))
		}
		// Independently: 1 inspection of 2 people, then 2 inspections of 2+3 people.
		want := map[string]string{"检查企业次数": "1 → 2", "执法检查人员数量（人次）": "2 → 5"}
		got := map[string]string{}
		changed.Find("dl.cell-changes dt").Each(func(_ int, dt *goquery.Selection) {
			got[strings.TrimSpace(dt.Text())] = strings.Join(strings.Fields(dt.Next().Text()), " ")
		})
		if len(got) != len(want) {
			t.Errorf("changed cells %v, want %v", got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %q, want %q", k, got[k], v)
			}
		}
		added := p.Doc.Find("#changes-2-form2 li.row-added")
		if added.Length() != 1 || !strings.Contains(added.Text(), second.Name) || !strings.Contains(added.Text(), "新增") {
			t.Errorf("the added row: %q", added.Text())
		}
		if got := text(p, "#changes-2-form3 .form-change-count"); got != "无变化" {
			t.Errorf("附件3: %q", got)
		}
		// One version: nothing to compare.
		clock.T = time.Date(2020, 7, 20, 10, 0, 0, 0, taotai.Shanghai)
		if _, err := db.PrepareReport(clerk, &taotai.ReportPreparation{PeriodKey: "2020-07", RegionCode: "210300",
			Sector: taotai.SectorNonCoal, Person: "王丽", Phone: "0412-5551234", Zero: true}); err != nil {
			t.Fatal(err)
		}
		if p := c.get("/reports/2020-07/210300/noncoal"); p.Doc.Find("#changes").Length() != 0 || p.Doc.Find("#version-1").Length() != 1 {
			t.Errorf("one version compared: %q", text(p, "#changes"))
		}
	})
}
