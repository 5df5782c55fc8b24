package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestCoalMinePages: 阜新's coal clerk lists a mine (without choosing one,
// or without the measure, the form comes back with the message beside the
// field), changes its state; the .xlsx holds the row; the coal inspector
// reads without a form; a non-coal clerk gets 404.
func TestCoalMinePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		sys := taotai.NewContextWithActor(context.Background(), taotai.System)
		inds, _ := db.Industries(sys)
		var coal int64
		for _, i := range inds {
			if i.Key == "coal" {
				coal = i.ID
			}
		}
		first := "91210900MA0000007"
		mine := &taotai.Enterprise{Name: "阜新五龙煤矿", CreditCode: first + string(taotai.USCCCheckDigit(first)), Address: "阜新市海州区五龙路1号",
			RegionCode: "210902", IndustryID: coal, ProductionState: taotai.StateNormal}
		if err := db.CreateEnterprise(sys, mine, false); err != nil {
			t.Fatal(err)
		}
		addUser(t, db, "fx_coal", taotai.RoleCityClerk, "210900", taotai.SectorCoal)
		addUser(t, db, "fx_coal_insp", taotai.RoleInspector, "210902", taotai.SectorCoal)
		addUser(t, db, "fx_noncoal", taotai.RoleCityClerk, "210900", taotai.SectorNonCoal)
		ts := newServer(t, db)
		clerk, insp, noncoal := newClient(t, ts), newClient(t, ts), newClient(t, ts)
		clerk.login("fx_coal")
		insp.login("fx_coal_insp")
		noncoal.login("fx_noncoal")
		if r := noncoal.get("/coal-mines"); r.Status != http.StatusNotFound {
			t.Fatalf("the non-coal clerk: %d", r.Status)
		}
		p := clerk.get("/coal-mines")
		if p.Status != http.StatusOK || p.Doc.Find("#enterprise option[value='"+strconv.FormatInt(mine.ID, 10)+"']").Length() != 1 {
			t.Fatalf("list: %d", p.Status)
		}
		tok := clerk.csrf("/coal-mines")
		form := url.Values{"csrf_token": {tok}, "year": {"2020"}, "conditions": {"未按规定建立瓦斯抽采系统\n超能力生产"}, "measure": {"责令停产整顿"},
			"state": {taotai.CoalSuspended}}
		if r := clerk.post("/coal-mines", form); r.Status != http.StatusBadRequest || text(r, "#enterprise-error") == "" ||
			text(r, "#conditions") != "未按规定建立瓦斯抽采系统\n超能力生产" {
			t.Fatalf("no mine chosen: %d %q", r.Status, text(r, "#error-summary"))
		}
		form.Set("enterprise", strconv.FormatInt(mine.ID, 10))
		form.Set("measure", " ")
		if r := clerk.post("/coal-mines", form); r.Status != http.StatusBadRequest || text(r, "#measure-error") == "" {
			t.Fatalf("no measure: %d %q", r.Status, text(r, "#error-summary"))
		}
		form.Set("measure", "责令停产整顿")
		if r := clerk.post("/coal-mines", form); r.Status != http.StatusSeeOther {
			t.Fatalf("add: %d %q", r.Status, text(r, "#error-summary"))
		}
		row := text(insp.get("/coal-mines?year=2020"), "#coal-mines tbody tr")
		if !strings.Contains(row, mine.Name) || !strings.Contains(row, "停产整顿中") || !strings.Contains(row, "阜新市海州区") {
			t.Fatalf("the inspector's list: %q", row)
		}
		href, _ := clerk.get("/coal-mines").Doc.Find("#coal-mines a").Attr("href")
		if insp.get(href).Doc.Find("#coal-edit").Length() != 0 {
			t.Error("the inspector gets the edit form")
		}
		r := clerk.post(href, url.Values{"csrf_token": {tok}, "version": {"1"}, "conditions": {"超能力生产"}, "measure": {"报请市政府关闭"},
			"state": {taotai.CoalClosed}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("update: %d %q", r.Status, text(r, "#error-summary"))
		}
		if got := text(clerk.get(href), "#coal-state"); got != "已关闭退出" {
			t.Fatalf("state: %q", got)
		}
		x := clerk.get("/coal-mines/export?year=2020")
		if x.Status != http.StatusOK {
			t.Fatalf("export: %d", x.Status)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.Body)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, _ := f.GetRows("煤矿企业清单")
		if !slices.ContainsFunc(rows, func(r []string) bool {
			return slices.Equal(r, []string{"1", "阜新市海州区", mine.Name, mine.Address, "超能力生产", "报请市政府关闭", "已关闭退出"})
		}) {
			t.Fatalf("the workbook: %q", rows)
		}
		if r := noncoal.get("/coal-mines/export?year=2020"); r.Status != http.StatusNotFound {
			t.Fatalf("the non-coal clerk exports: %d", r.Status)
		}
	})
}
