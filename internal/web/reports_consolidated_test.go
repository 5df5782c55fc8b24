package web_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestConsolidatedDownload: once 鞍山's June report is accepted, the
// province's reviewer downloads the province-wide 附件2 of June from the
// grid's link: 鞍山's row and its 小计, headed by the channel's unit; the
// coal reviewer's non-coal download is refused.
func TestConsolidatedDownload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, _ := enforcementSetup(t, db) // an inspection of 鞍山 on 9 May
		addUser(t, db, "prov_rev", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
		addUser(t, db, "prov_coal", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorCoal)
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
		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("prov_rev")
		grid := c.get("/reports")
		link, ok := grid.Doc.Find(`#consolidated-links a.consolidated-download`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			h, _ := s.Attr("href")
			return strings.Contains(h, "period=2020-05") && strings.Contains(h, "form=2")
		}).Attr("href")
		if !ok {
			t.Fatalf("no link to May's 附件2 on the grid: %q", text(grid, "#consolidated-links"))
		}
		r := c.get(link)
		if r.Status != 200 {
			t.Fatalf("GET %s: %d %s", link, r.Status, text(r, "#error-message"))
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(r.Body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(x.GetSheetName(0))
		all := ""
		for _, row := range rows {
			all += strings.Join(row, "|") + "\n"
		}
		if !strings.Contains(all, f.own.Name) || !strings.Contains(all, "鞍山市小计") || !strings.Contains(all, "辽宁省应急管理厅") {
			t.Errorf("the consolidated 附件2:\n%s", all)
		}
		coal := newClient(t, ts)
		coal.login("prov_coal")
		if r := coal.get("/reports/consolidated?period=2020-05&sector=noncoal&form=2"); r.Status != 404 {
			t.Errorf("the coal reviewer's non-coal consolidation: %d", r.Status)
		}
	})
}
