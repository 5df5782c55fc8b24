package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"taotai"
)

// TestPenaltyJourney: the penalty procedure in the browser. An inspector
// proposes a fine of 6万元 and a partial stop in a 行政处罚告知书; the
// inspector cannot decide it; the city approver's decision on the next day
// is refused, with the day it may come, because the statement and hearing
// periods run; three working days later the decision is issued, numbered
// by the city bureau that decides,
// and the enterprise is partly stopped from that day.
func TestPenaltyJourney(t *testing.T) {
	db, base := app(t)
	clock := db.Clock().(*taotai.FixedClock) // 2020-05-10, a Sunday
	addUser(t, db, "ansh_inspector", taotai.RoleInspector, "210302", taotai.SectorNonCoal)
	addUser(t, db, "ansh_approver", taotai.RoleCityApprover, "210300", taotai.SectorNonCoal)
	sys := taotai.NewContextWithActor(context.Background(), taotai.System)
	inds, _ := db.Industries(sys)
	e := &taotai.Enterprise{Name: "鞍山宏达钢铁有限公司", CreditCode: "91210300241471030L", Address: "鞍山市铁东区园林路1号",
		RegionCode: "210302", IndustryID: inds[0].ID, ProductionState: taotai.StateNormal}
	if err := db.CreateEnterprise(sys, e, false); err != nil {
		t.Fatal(err)
	}
	u, err := db.Authenticate(sys, "ansh_inspector", password)
	if err != nil {
		t.Fatal(err)
	}
	in := &taotai.Inspection{EnterpriseID: e.ID, Date: time.Date(2020, 5, 8, 0, 0, 0, 0, taotai.Shanghai), Kind: taotai.InspectionRoutine,
		Inspectors: "张明、李强", InspectorCount: 2, AgencyID: u.AgencyID}
	if err := db.RecordInspection(sys, in, []*taotai.Hazard{{Description: "除尘器泄爆口朝向人员通道", Level: taotai.HazardGeneral,
		Deadline: time.Date(2020, 5, 30, 0, 0, 0, 0, taotai.Shanghai)}}); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("%s/inspections/%d", base, in.ID)
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	issue := func(ctx context.Context, fields map[string]string) string {
		t.Helper()
		must("open the inspection", chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#document-form"))))
		must("fill the document", setForm(ctx, fields))
		must("submit", chromedp.Do(ctx,
			chromedp.Submit(chromedp.CSS(`#document-form [name="issued_on"]`)),
			chromedp.WaitVisible(chromedp.CSS(".notice, #error-summary")),
		))
		msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".notice, #error-summary")))
		must("read the message", err)
		return msg
	}

	// The inspector proposes: the notice, with its periods.
	insp := browser(t)
	must("inspector signs in", login(insp, base, "ansh_inspector", password))
	must("signed in", chromedp.Do(insp, chromedp.WaitVisible(chromedp.CSS("#lane-region"))))
	must("open the inspection", chromedp.Do(insp, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#kind"))))
	kinds, err := chromedp.Run(insp, chromedp.Text(chromedp.CSS("#kind")))
	must("read the kinds", err)
	if !strings.Contains(kinds, "行政处罚告知书") || strings.Contains(kinds, "行政处罚决定书") {
		t.Fatalf("an inspector is offered %q", kinds)
	}
	msg := issue(insp, map[string]string{"kind": "penalty_notice", "issued_on": "2020-05-08", "fine": "6", "stop_state": "partial"})
	// Friday 8 May: three working days — Saturday 9 May was worked in
	// exchange for 劳动节 — to Tuesday 12 May for the statement, a hearing
	// (6万元, a stop) until the same day under the 2017 law.
	if !strings.Contains(msg, "（铁东）应急罚告〔2020〕1号") || !strings.Contains(msg, "陈述、申辩期限至2020年5月12日") ||
		!strings.Contains(msg, "申请听证期限至2020年5月12日") || !strings.Contains(msg, "最早于2020年5月13日作出") {
		t.Fatalf("notice: %q", msg)
	}

	// The approver decides too early: refused, and nothing is issued.
	appr := browser(t)
	must("approver signs in", login(appr, base, "ansh_approver", password))
	must("signed in", chromedp.Do(appr, chromedp.WaitVisible(chromedp.CSS("#lane-region"))))
	clock.T = time.Date(2020, 5, 11, 9, 0, 0, 0, taotai.Shanghai)
	msg = issue(appr, map[string]string{"kind": "penalty", "issued_on": "2020-05-11", "fine": "6", "stop_state": "partial", "notice": ""})
	if !strings.Contains(msg, "处罚决定最早于2020-05-13作出") {
		t.Fatalf("an early decision: %q", msg)
	}
	// A heavier fine than notified is refused too.
	clock.T = time.Date(2020, 5, 14, 9, 0, 0, 0, taotai.Shanghai)
	msg = issue(appr, map[string]string{"kind": "penalty", "issued_on": "2020-05-14", "fine": "7", "stop_state": "partial", "notice": ""})
	if !strings.Contains(msg, "不能高于告知书告知的拟罚款") {
		t.Fatalf("a heavier decision: %q", msg)
	}
	msg = issue(appr, map[string]string{"kind": "penalty", "issued_on": "2020-05-14", "fine": "6", "stop_state": "partial", "notice": ""})
	if !strings.Contains(msg, "已下达（鞍）应急罚〔2020〕1号") || !strings.Contains(msg, "企业自2020年5月14日起局部生产") {
		t.Fatalf("decision: %q", msg)
	}
	must("open the inspection", chromedp.Do(appr, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#notice-table"))))
	table, err := chromedp.Run(appr, chromedp.Text(chromedp.CSS("#notice-table")))
	must("read the notices", err)
	must("open the enterprise", chromedp.Do(appr, chromedp.Navigate(fmt.Sprintf("%s/enterprises/%d", base, e.ID)),
		chromedp.WaitVisible(chromedp.CSS("#production-stops"))))
	state, err := chromedp.Run(appr, chromedp.Text(chromedp.CSS("#f-state")))
	must("read the state", err)
	if !strings.Contains(table, "已作出") || strings.TrimSpace(state) != "局部生产" {
		t.Fatalf("notice table %q, state %q", table, state)
	}
}
