package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"taotai"
)

// TestAuditorReadsCardChange: on a phone (390 px), an auditor reads a card
// change in Chinese — 黄牌 → 红牌, the reason, the enterprise by name — and
// opens the raw record; the page does not scroll sideways.
func TestAuditorReadsCardChange(t *testing.T) {
	ctx := browser(t)
	db, base := app(t)
	bg := context.Background()
	addUser(t, db, "prov_auditor", taotai.RoleAuditor, taotai.ProvinceCode, "")
	approver := &taotai.User{Username: "as_li", DisplayName: "李强", Role: taotai.RoleCityApprover, RegionCode: "210300", Sector: taotai.SectorNonCoal}
	if err := db.CreateUser(bg, approver, password); err != nil {
		t.Fatal(err)
	}
	u, _ := db.FindUser(bg, approver.ID)
	a, _ := db.ActorFor(bg, u)
	actx := taotai.NewContextWithActor(bg, a)
	inds, _ := db.Industries(bg)
	e := &taotai.Enterprise{Name: "鞍山宏达钢铁有限公司", CreditCode: "91210300241471030L", Address: "鞍山市铁东区园林路1号",
		RegionCode: "210302", IndustryID: inds[0].ID, ProductionState: taotai.StateNormal}
	if err := db.CreateEnterprise(taotai.NewContextWithActor(bg, taotai.System), e, false); err != nil {
		t.Fatal(err)
	}
	card, _, _ := db.FindCard(actx, e.ID, 2020)
	yellow, err := db.TransitionCard(actx, e.ID, 2020, card.Version, taotai.CardTransition{To: taotai.CardYellow, Reason: taotai.ReasonBelowStandard,
		Rectify: "高炉煤气区域未设报警", Deadline: time.Date(2020, 5, 30, 0, 0, 0, 0, taotai.Shanghai), Why: "检查发现"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Clock().(*taotai.FixedClock).T = time.Date(2020, 6, 2, 9, 0, 0, 0, taotai.Shanghai)
	if _, err := db.TransitionCard(actx, e.ID, 2020, yellow.Version, taotai.CardTransition{To: taotai.CardRed, Reason: taotai.ReasonOverdue,
		Why: "逾期未整改"}, nil); err != nil {
		t.Fatal(err)
	}

	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			page, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main"), chromedp.AtLeast(0)))
			t.Fatalf("%s: %v\n%.800s", step, err, page)
		}
	}
	must("viewport", chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)))
	must("sign in", login(ctx, base, "prov_auditor", password))
	must("the audit page", chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("#lane-region")),
		chromedp.Navigate(base+"/admin/audit?entity=card"),
		chromedp.WaitVisible(chromedp.CSS("#audit-table")),
	))
	noSidewaysScroll(t, ctx, "the audit page")
	row, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#audit-table > tbody > tr:first-child")))
	must("read the newest entry", err)
	for _, want := range []string{"状态变更", "李强", "鞍山宏达钢铁有限公司 2020年度黄/红牌", "黄牌", "红牌", "逾期未整改", "安全生产条件不达标"} {
		if !strings.Contains(row, want) {
			t.Errorf("the entry does not read %q:\n%s", want, row)
		}
	}
	for _, code := range []string{"yellow", "overdue", "below_standard", `"state"`} {
		if strings.Contains(row, code) {
			t.Errorf("the entry shows the code %q before the raw record is opened:\n%s", code, row)
		}
	}
	// The before → after table keeps its columns on the phone.
	cols, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => {
		const cells = document.querySelectorAll('#audit-table > tbody > tr:first-child table.diff tbody tr:first-child > *');
		const tops = new Set([...cells].map(c => Math.round(c.getBoundingClientRect().top)));
		return tops.size === 1 ? cells.length : -cells.length;
	})()`))
	must("measure the diff", err)
	if cols != 3 {
		t.Errorf("the before → after row lays out as %d cells in a line (negative: stacked)", cols)
	}
	must("open the raw record", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#audit-table > tbody > tr:first-child details.raw summary")),
		chromedp.WaitVisible(chromedp.CSS("#audit-table > tbody > tr:first-child details.raw pre")),
	))
	raw, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#audit-table > tbody > tr:first-child details.raw")))
	must("read the raw record", err)
	if !strings.Contains(raw, `"state":"red"`) {
		t.Errorf("the raw record: %q", raw)
	}
	noSidewaysScroll(t, ctx, "the audit page with the raw record open")
	must("follow the link", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#audit-table > tbody > tr:first-child td.object a")),
		chromedp.WaitVisible(chromedp.CSS("#card-state")),
	))
	if s, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#card-state"))); s != "红牌" {
		t.Errorf("the card page says %q", s)
	}
}
