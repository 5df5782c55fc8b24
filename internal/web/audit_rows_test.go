package web_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// rawEnumCodes are the codes of the domain's enums as the store keeps
// them; none may be read on the audit page outside the raw record.
var rawEnumCodes = regexp.MustCompile(`\b(none|yellow|cleared|red|proposed|closed|accepted|below_standard|major_hazard|overdue|still_below|` +
	`open|rectifying|passed|failed|general|major|rect_order|stop_order|recheck|penalty|routine|follow_up|tip_off|joint|` +
	`normal|partial|stopped|coal|noncoal|inspector|city_clerk|city_approver|province_reviewer|partner|auditor|` +
	`prepared|submitted|returned|state|reason|deadline|rectify|enterprise_id|inspection_id|true|false)\b`)

// cardChange makes 鞍山's steel works yellow (a major hazard) then red (the
// deadline passed), as an inspector and an approver with names.
func cardChange(t *testing.T, db *store.DB) *taotai.Enterprise {
	t.Helper()
	bg := context.Background()
	as := func(name, display, role, region string) context.Context {
		u := &taotai.User{Username: name, DisplayName: display, Role: role, RegionCode: region, Sector: taotai.SectorNonCoal}
		if err := db.CreateUser(bg, u, password); err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindUser(bg, u.ID)
		a, _ := db.ActorFor(bg, got)
		return taotai.NewContextWithActor(bg, a)
	}
	inspector := as("td_zhang", "张明", taotai.RoleInspector, "210302")
	approver := as("as_li", "李强", taotai.RoleCityApprover, "210300")
	inds, _ := db.Industries(bg)
	e := &taotai.Enterprise{Name: "鞍山宏达钢铁有限公司", CreditCode: "91210300241471030L", Address: "鞍山市铁东区园林路1号",
		RegionCode: "210302", IndustryID: inds[0].ID, ProductionState: taotai.StateNormal}
	if err := db.CreateEnterprise(taotai.NewContextWithActor(bg, taotai.System), e, false); err != nil {
		t.Fatal(err)
	}
	crits, _ := db.Criteria(bg, e.IndustryID)
	in := &taotai.Inspection{EnterpriseID: e.ID, Date: time.Date(2020, 5, 9, 0, 0, 0, 0, taotai.Shanghai), Kind: taotai.InspectionRoutine,
		Inspectors: "张明、李强", InspectorCount: 2}
	h := &taotai.Hazard{Description: "转炉水冷元件未设置报警", Level: taotai.HazardMajor, CriterionID: crits[0].ID,
		Deadline: time.Date(2020, 5, 30, 0, 0, 0, 0, taotai.Shanghai)}
	if err := db.RecordInspection(inspector, in, []*taotai.Hazard{h}); err != nil {
		t.Fatal(err)
	}
	db.Clock().(*taotai.FixedClock).T = time.Date(2020, 6, 2, 9, 0, 0, 0, taotai.Shanghai)
	card, _, _ := db.FindCard(approver, e.ID, 2020)
	if _, err := db.TransitionCard(approver, e.ID, 2020, card.Version, taotai.CardTransition{To: taotai.CardRed, Reason: taotai.ReasonOverdue,
		Why: "逾期未整改"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExtendHazard(inspector, h.ID, h.Version, time.Date(2020, 6, 30, 0, 0, 0, 0, taotai.Shanghai), "设备到货延迟"); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestHistoryShowsNames: the card's history, the enterprise's timeline and
// a hazard's extensions name people by their names, not their logins.
func TestHistoryShowsNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := cardChange(t, db)
		addUser(t, db, "as_clerk", taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
		c := newClient(t, newServer(t, db))
		c.login("as_clerk")
		pages := map[string]string{
			fmt.Sprintf("/enterprises/%d/card/2020", e.ID): "ol.timeline",
			fmt.Sprintf("/enterprises/%d", e.ID):           "#timeline",
		}
		var hazard int64
		if err := db.SQL().QueryRow(`SELECT id FROM hazards WHERE enterprise_id = $1`, e.ID).Scan(&hazard); err != nil {
			t.Fatal(err)
		}
		pages[fmt.Sprintf("/hazards/%d", hazard)] = "#extension-table"
		for p, sel := range pages {
			r := c.get(p)
			got := text(r, sel)
			if r.Status != 200 || strings.Contains(got, "as_li") || strings.Contains(got, "td_zhang") ||
				(!strings.Contains(got, "李强") && !strings.Contains(got, "张明")) {
				t.Errorf("%s %s: %d %q", p, sel, r.Status, got)
			}
		}
	})
}

// TestAuditPageReadsACardChange: the audit page shows a card's change in
// Chinese — the fields, 黄牌 → 红牌, the enterprise by name with a link,
// the approver by name — and no raw code outside the raw record, which is
// one click away.
func TestAuditPageReadsACardChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := cardChange(t, db)
		addUser(t, db, "prov_auditor", taotai.RoleAuditor, taotai.ProvinceCode, "")
		addUser(t, db, "as_auditor", taotai.RoleAuditor, "210300", taotai.SectorNonCoal)
		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("prov_auditor")
		r := c.get("/admin/audit?entity=card")
		rows := r.Doc.Find("#audit-table > tbody > tr")
		if r.Status != 200 || rows.Length() != 2 {
			t.Fatalf("card entries: %d, %d rows", r.Status, rows.Length())
		}
		red := rows.First() // newest first: the red card
		field := func(name string) (string, string) {
			var before, after string
			red.Find("table.diff tbody tr").Each(func(_ int, tr *goquery.Selection) {
				if strings.TrimSpace(tr.Find("th").Text()) == name {
					before, after = strings.TrimSpace(tr.Find("td.before").Text()), strings.TrimSpace(tr.Find("td.after").Text())
				}
			})
			return before, after
		}
		if b, a := field("状态"); b != "黄牌" || a != "红牌" {
			t.Errorf("状态: %q → %q", b, a)
		}
		if b, a := field("原因"); b != "存在重大事故隐患" || a != "逾期未整改" {
			t.Errorf("原因: %q → %q", b, a)
		}
		link := red.Find("td.object a")
		if href, _ := link.Attr("href"); href != fmt.Sprintf("/enterprises/%d/card/2020", e.ID) || !strings.Contains(link.Text(), e.Name) {
			t.Errorf("the object: %q → %q", link.Text(), href)
		}
		if who := strings.TrimSpace(red.Find("td.who").Text()); !strings.HasPrefix(who, "李强") || !strings.Contains(who, "as_li") {
			t.Errorf("who: %q", who)
		}
		if op := strings.TrimSpace(red.Find("td.action").Text()); op != "状态变更" {
			t.Errorf("action: %q", op)
		}
		// The raw record, one click away, keeps the codes.
		if raw := red.Find("details.raw pre").Text(); !strings.Contains(raw, `"state":"red"`) || !strings.Contains(raw, `"state":"yellow"`) {
			t.Errorf("raw record: %q", raw)
		}
		// Outside the raw record and the login names, no code is read.
		main := r.Doc.Find("#audit-table").Clone()
		main.Find("details.raw, .login").Remove()
		if codes := rawEnumCodes.FindAllString(main.Text(), -1); len(codes) > 0 {
			t.Errorf("raw codes on the page: %v", codes)
		}
		// The whole trail of the case reads without codes either.
		all := c.get("/admin/audit")
		body := all.Doc.Find("#audit-table").Clone()
		body.Find("details.raw, .login").Remove()
		if codes := rawEnumCodes.FindAllString(body.Text(), -1); len(codes) > 0 {
			t.Errorf("raw codes on the whole trail: %v", codes)
		}
		for _, want := range []string{"隐患级别", "重大事故隐患", "日常检查", "被检查企业", e.Name} {
			if !strings.Contains(body.Text(), want) {
				t.Errorf("the trail does not read %q", want)
			}
		}

		// Once the enterprise has moved to 阜新, 鞍山's auditor still reads
		// the entries of its time in 鞍山, but no longer its name.
		moved, _ := db.FindEnterprise(taotai.NewContextWithActor(context.Background(), taotai.System), e.ID)
		moved.RegionCode = "210902"
		if _, err := db.UpdateEnterprise(taotai.NewContextWithActor(context.Background(), taotai.System), moved, false); err != nil {
			t.Fatal(err)
		}
		city := newClient(t, ts)
		city.login("as_auditor")
		page := city.get("/admin/audit?entity=card")
		if n := page.Doc.Find("#audit-table > tbody > tr").Length(); n != 2 {
			t.Fatalf("鞍山's auditor reads %d card entries, want 2", n)
		}
		if strings.Contains(page.Body, e.Name) || page.Doc.Find("td.object a").Length() != 0 {
			t.Errorf("鞍山's auditor learns the name of an enterprise now in 阜新: %q", text(page, "td.object"))
		}
		if !strings.Contains(text(page, "td.object"), "无法显示名称") {
			t.Errorf("the object: %q", text(page, "td.object"))
		}
	})
}
