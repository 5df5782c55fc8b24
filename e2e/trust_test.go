package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"taotai"
	"taotai/internal/store"
)

// trustFixture: 鞍山's steel works with a major hazard found on 9 May 2020
// and due on 30 May (so a yellow card), seen on 2 June: the card is a red
// candidate and the hazard overdue.
func trustFixture(t *testing.T, db *store.DB) *taotai.Enterprise {
	t.Helper()
	sys := taotai.NewContextWithActor(context.Background(), taotai.System)
	inds, _ := db.Industries(sys)
	e := &taotai.Enterprise{Name: "鞍山宏达钢铁有限公司", CreditCode: "91210300241471030L", Address: "鞍山市铁东区园林路1号",
		RegionCode: "210302", IndustryID: inds[0].ID, ProductionState: taotai.StateNormal}
	if err := db.CreateEnterprise(sys, e, false); err != nil {
		t.Fatal(err)
	}
	if err := db.SetKeyListed(sys, 2020, e.ID, true, "正常生产"); err != nil {
		t.Fatal(err)
	}
	insp := &taotai.User{Username: "ansh_inspector", DisplayName: "李强", Role: taotai.RoleInspector, RegionCode: "210302", Sector: taotai.SectorNonCoal}
	if err := db.CreateUser(sys, insp, password); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2020, 5, 9, 0, 0, 0, 0, taotai.Shanghai)
	crits, err := db.CriteriaOn(sys, e.IndustryID, day) // the criteria in force that day
	if err != nil || len(crits) == 0 {
		t.Fatalf("criteria in force on %v: %v", day, err)
	}
	in := &taotai.Inspection{EnterpriseID: e.ID, Date: day, Kind: taotai.InspectionRoutine,
		Inspectors: "李强、王伟", InspectorCount: 2, AgencyID: insp.AgencyID}
	h := &taotai.Hazard{Description: "转炉水冷元件未设置监测报警", Level: taotai.HazardMajor, CriterionID: crits[len(crits)-1].ID,
		Deadline: time.Date(2020, 5, 30, 0, 0, 0, 0, taotai.Shanghai)}
	if err := db.RecordInspection(sys, in, []*taotai.Hazard{h}); err != nil {
		t.Fatal(err)
	}
	db.Clock().(*taotai.FixedClock).T = time.Date(2020, 6, 2, 9, 0, 0, 0, taotai.Shanghai)
	return e
}

// TestRedCardChecked: a city approver turns a yellow card red through its
// check-your-answers step — what changes, for whom, what is published —
// and the reason is kept in the card's history, at a desktop's width and
// a phone's.
func TestRedCardChecked(t *testing.T) {
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			ctx := browser(t)
			db, base := app(t)
			e := trustFixture(t, db)
			addUser(t, db, "ansh_approver", taotai.RoleCityApprover, "210300", taotai.SectorNonCoal)
			must := func(step string, err error) {
				t.Helper()
				if err != nil {
					page, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main"), chromedp.AtLeast(0)))
					t.Fatalf("%s: %v\n%.800s", step, err, page)
				}
			}
			opts := []chromedp.EmulateViewportOption{}
			if vp.mobile {
				opts = append(opts, chromedp.EmulateMobile)
			}
			must("viewport", chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, opts...)))
			must("sign in", login(ctx, base, "ansh_approver", password))
			must("worklist", chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#wl-red a")), chromedp.Click(chromedp.CSS("#wl-red a")),
				chromedp.WaitVisible(chromedp.CSS("#card-state"))))
			// The recommended change comes first, the one that cannot
			// succeed is disabled with its reason.
			first, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.transition').id`))
			if first != "to-red" {
				t.Errorf("first change offered: %q, want to-red", first)
			}
			if _, err := waitText(ctx, "#lock-cleared", "整改期限"); err != nil {
				t.Error(err)
			}
			noSidewaysScroll(t, ctx, "the card page")
			const why = "整改期限已过，复查仍未合格"
			must("fill", chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#red-why"), why)))
			must("continue", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#to-red button.primary")), chromedp.WaitVisible(chromedp.CSS("#check-confirm"))))
			for sel, want := range map[string]string{"#check-enterprise": e.Name, "#check-answers": why, "#check-effects": "公布"} {
				if _, err := waitText(ctx, sel, want); err != nil {
					t.Error(err)
				}
			}
			noSidewaysScroll(t, ctx, "the check page")
			c, _, err := db.FindCard(taotai.NewContextWithActor(context.Background(), taotai.System), e.ID, 2020)
			if err != nil || c.State != taotai.CardYellow {
				t.Fatalf("the check page changed the card: %v %v", c, err)
			}
			must("confirm", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#check-confirm"))))
			if _, err := waitText(ctx, "#card-state", "红牌"); err != nil {
				t.Fatal(err)
			}
			if _, err := waitText(ctx, "#card-history", why); err != nil {
				t.Errorf("the reason is not kept: %v", err)
			}
		})
	}
}

// TestPartnerHomeReadOnly: a partner department's home shows the city's
// open work for information, says who decides each group, and offers no
// action it cannot take, at a desktop's width and a phone's.
func TestPartnerHomeReadOnly(t *testing.T) {
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			ctx := browser(t)
			db, base := app(t)
			trustFixture(t, db)
			addUser(t, db, "ansh_partner", taotai.RolePartner, "210300", "")
			must := func(step string, err error) {
				t.Helper()
				if err != nil {
					page, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main"), chromedp.AtLeast(0)))
					t.Fatalf("%s: %v\n%.800s", step, err, page)
				}
			}
			opts := []chromedp.EmulateViewportOption{}
			if vp.mobile {
				opts = append(opts, chromedp.EmulateMobile)
			}
			must("viewport", chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, opts...)))
			must("sign in", login(ctx, base, "ansh_partner", password))
			must("home", chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#worklist"))))
			wl, err := waitText(ctx, "#worklist", "由市级审核决定")
			if err != nil {
				t.Error(err)
			}
			if strings.Contains(wl, "由您决定") || strings.Contains(wl, "待办") {
				t.Errorf("the partner's home claims the work: %q", wl)
			}
			actions, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('main a[href$="/inspections/new"], main form[method=post], main button.primary').length`))
			if actions != 0 {
				t.Errorf("the partner's home offers %d actions", actions)
			}
			noSidewaysScroll(t, ctx, "the partner's home")
			must("gaps", chromedp.Do(ctx, chromedp.Navigate(base+"/coverage/gaps?year=2020"), chromedp.WaitVisible(chromedp.CSS("#result-count"))))
			if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('a[href$="/inspections/new"]').length`)); n != 0 {
				t.Errorf("the gaps offer the partner %d 录入检查 links", n)
			}
		})
	}
}
