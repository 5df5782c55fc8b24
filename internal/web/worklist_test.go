package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestWorklistCountsHonestly: the home page's worklist belongs to the
// campaign year open on the clock's day (2020 seen from 2026), each group
// says how many records it has in all, not how many it shows, and links to
// the list that holds exactly them; a partner, who cannot act, is not told
// the work is theirs to decide.
func TestWorklistCountsHonestly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, _ := enforcementSetup(t, db) // one major hazard of the own enterprise, due 2020-05-30
		admin := taotai.NewContextWithActor(context.Background(), taotai.System)
		addUser(t, db, "ansh_partner", taotai.RolePartner, "210300", "")
		day := func(m time.Month, d int) time.Time { return time.Date(2020, m, d, 0, 0, 0, 0, taotai.Shanghai) }
		db.Clock().(*taotai.FixedClock).T = time.Date(2020, 6, 10, 9, 0, 0, 0, taotai.Shanghai)
		// 13 general hazards of the own enterprise, all overdue by 2026, and
		// one of the other city's, outside the lane.
		agency := map[int64]int64{}
		for _, u := range []struct {
			name, region string
			e            *taotai.Enterprise
		}{{"ws_ansh", "210302", f.own}, {"ws_fx", "210902", f.other}} {
			acc := &taotai.User{Username: u.name, Role: taotai.RoleInspector, RegionCode: u.region, Sector: taotai.SectorNonCoal}
			if err := db.CreateUser(admin, acc, password); err != nil {
				t.Fatal(err)
			}
			agency[u.e.ID] = acc.AgencyID
		}
		for i, e := range []*taotai.Enterprise{f.own, f.other} {
			var hs []*taotai.Hazard
			for j := 0; j < 13-12*i; j++ {
				hs = append(hs, &taotai.Hazard{Description: fmt.Sprintf("隐患%d", j+1), Level: taotai.HazardGeneral, Deadline: day(6, 20+j%5)})
			}
			in := &taotai.Inspection{EnterpriseID: e.ID, Date: day(6, 9), Kind: taotai.InspectionRoutine, Inspectors: "张明、李强", InspectorCount: 2,
				AgencyID: agency[e.ID]}
			if err := db.RecordInspection(admin, in, hs); err != nil {
				t.Fatal(err)
			}
		}
		// 12 listed enterprises of 鞍山 never inspected, and the own one,
		// inspected.
		if err := db.SetKeyListed(admin, 2020, f.own.ID, true, "正常生产"); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 12; i++ {
			first := fmt.Sprintf("9121030%010d", i)
			e := &taotai.Enterprise{Name: fmt.Sprintf("鞍山未检%02d钢铁有限公司", i), CreditCode: first + string(taotai.USCCCheckDigit(first)),
				Address: "鞍山市铁东区某路", RegionCode: "210302", IndustryID: f.steel, ProductionState: taotai.StateNormal}
			if err := db.CreateEnterprise(admin, e, false); err != nil {
				t.Fatal(err)
			}
			if err := db.SetKeyListed(admin, 2020, e.ID, true, "正常生产"); err != nil {
				t.Fatal(err)
			}
		}
		db.Clock().(*taotai.FixedClock).T = time.Date(2026, 12, 6, 9, 0, 0, 0, taotai.Shanghai)
		ts := newServer(t, db)
		clerk := newClient(t, ts)
		clerk.login("ansh_clerk")
		home := clerk.get("/")
		if home.Status != http.StatusOK {
			t.Fatalf("home: %d", home.Status)
		}
		if got := text(home, "#worklist-title"); got != "2020年度待办事项" {
			t.Errorf("worklist title %q: the open campaign year is 2020", got)
		}
		for _, g := range []struct {
			id    string
			total int
		}{{"wl-overdue", 14}, {"wl-uninspected", 12}, {"wl-stop", 1}, {"wl-guarantees", 1}} {
			heading := text(home, "#"+g.id+"-title")
			if !strings.HasSuffix(heading, "（"+strconv.Itoa(g.total)+"）") {
				t.Errorf("%s: heading %q, want the total %d", g.id, heading, g.total)
			}
			shown := home.Doc.Find("#" + g.id + " li").Length()
			if shown != min(g.total, store.WorklistShown) {
				t.Errorf("%s: %d shown of %d", g.id, shown, g.total)
			}
			all, ok := home.Doc.Find("#" + g.id + "-all").Attr("href")
			if !ok {
				t.Fatalf("%s: no link to the full list", g.id)
			}
			if g.total > shown && !strings.Contains(text(home, "#"+g.id+"-all"), "查看全部"+strconv.Itoa(g.total)+"项") {
				t.Errorf("%s: link %q does not say how many", g.id, text(home, "#"+g.id+"-all"))
			}
			list := clerk.get(all)
			n := list.Doc.Find("#list-table tbody tr, #gaps-table tbody tr").Length()
			if total, _ := list.Doc.Find("#result-count").Attr("data-total"); list.Status != http.StatusOK ||
				(total != "" && total != strconv.Itoa(g.total)) || !strings.Contains(text(list, "#result-count"), strconv.Itoa(g.total)) {
				t.Errorf("%s: %s answers %d, count %q (%s), want %d", g.id, all, list.Status, total, text(list, "#result-count"), g.total)
			}
			if n != min(g.total, 20) {
				t.Errorf("%s: %s lists %d rows, want %d", g.id, all, n, min(g.total, 20))
			}
		}
		// Urgency: major hazards before overdue ones, the coverage last; the
		// clerk's own work first, then what the approver decides (the
		// yellow card the major hazard gave, past its deadline).
		var order []string
		home.Doc.Find("#worklist section.workgroup h3").Each(func(_ int, s *goquery.Selection) { order = append(order, s.AttrOr("id", "")) })
		if strings.Join(order, " ") != "wl-stop-title wl-guarantees-title wl-overdue-title wl-uninspected-title wl-red-title" {
			t.Errorf("groups in the order %v", order)
		}
		if got := text(home, "#wl-red-title + .decider"); got != "由市级审核决定。" {
			t.Errorf("the red candidates do not say who decides: %q", got)
		}
		if home.Doc.Find("#wl-overdue-title + .decider").Length() != 0 {
			t.Errorf("the clerk's own work is said to be another's")
		}
		if r := clerk.get("/?year=2031"); r.Status != http.StatusNotFound {
			t.Errorf("a year not configured: %d", r.Status)
		}
		if r := clerk.get("/?year=20x0"); r.Status != http.StatusBadRequest {
			t.Errorf("a bad year: %d", r.Status)
		}

		partner := newClient(t, ts)
		partner.login("ansh_partner")
		ph := partner.get("/")
		wl := text(ph, "#worklist")
		if strings.Contains(wl, "由您决定") || strings.Contains(wl, "待办") {
			t.Errorf("partner's home claims the work: %q", wl)
		}
		if !strings.Contains(text(ph, "#wl-overdue-title"), "（14）") || !strings.Contains(wl, "由执法人员、市级填报、市级审核决定") {
			t.Errorf("partner's home does not say who decides: %q", wl)
		}
		if ph.Doc.Find("#reports-panel").Length() != 0 {
			t.Errorf("a partner is reminded of reports it does not send")
		}
		if ph.Doc.Find(`#worklist a[href*="/new"], #worklist form, #worklist button`).Length() != 0 {
			t.Errorf("partner's home offers an action")
		}
		// The coverage gaps: 录入检查 for those who record, who records
		// for the others; 20 a page.
		pg := partner.get("/coverage/gaps?year=2020")
		if pg.Doc.Find(`a[href$="/inspections/new"]`).Length() != 0 || !strings.Contains(text(pg, "#gaps-who"), "执法人员") {
			t.Errorf("partner's gaps: record links %d, says %q", pg.Doc.Find(`a[href$="/inspections/new"]`).Length(), text(pg, "#gaps-who"))
		}
		cg := clerk.get("/coverage/gaps?year=2020")
		if n := cg.Doc.Find(`#gaps-table a[href$="/inspections/new"]`).Length(); n != 12 || cg.Doc.Find("#gaps-who").Length() != 0 {
			t.Errorf("clerk's gaps: %d record links, want 12", n)
		}
	})
}
