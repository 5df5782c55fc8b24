package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"taotai"
)

// TestPlanJourney: on 15 July 2020 鞍山's non-coal clerk drafts the city's
// inspection plan in the browser — two key-list enterprises, one for May
// (inspected on 9 May) and one for June (not inspected), the 检查方案's
// text and a file — and submits it; the city approver approves it; the
// plan, /coverage and the worklist then show one done and one overdue.
func TestPlanJourney(t *testing.T) {
	ctx := browser(t)
	db, base := app(t)
	db.Clock().(*taotai.FixedClock).T = time.Date(2020, 7, 15, 10, 0, 0, 0, taotai.Shanghai)
	addUser(t, db, "ansh_clerk", taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
	addUser(t, db, "ansh_approver", taotai.RoleCityApprover, "210300", taotai.SectorNonCoal)
	addUser(t, db, "ansh_inspector", taotai.RoleInspector, "210302", taotai.SectorNonCoal)
	sys := taotai.NewContextWithActor(context.Background(), taotai.System)
	inds, _ := db.Industries(sys)
	mk := func(name, code string) *taotai.Enterprise {
		first := "9121" + code
		e := &taotai.Enterprise{Name: name, CreditCode: first + string(taotai.USCCCheckDigit(first)), Address: "鞍山市铁东区园林路1号",
			RegionCode: "210302", IndustryID: inds[0].ID, ProductionState: taotai.StateNormal}
		if err := db.CreateEnterprise(sys, e, false); err != nil {
			t.Fatal(err)
		}
		if err := db.SetKeyListed(sys, 2020, e.ID, true, "正常生产"); err != nil {
			t.Fatal(err)
		}
		return e
	}
	done, late := mk("鞍山宏达钢铁有限公司", "0300MA0000001"), mk("鞍山铁东钢铁有限公司", "0300MA0000002")
	u, _ := db.Authenticate(context.Background(), "ansh_inspector", password)
	a, _ := db.ActorFor(context.Background(), u)
	if err := db.RecordInspection(taotai.NewContextWithActor(context.Background(), a), &taotai.Inspection{EnterpriseID: done.ID,
		Date: time.Date(2020, 5, 9, 0, 0, 0, 0, taotai.Shanghai), Kind: taotai.InspectionRoutine, Inspectors: "张明、李强", InspectorCount: 2}, nil); err != nil {
		t.Fatal(err)
	}
	scheme := filepath.Join(t.TempDir(), "鞍山市检查方案.pdf")
	if err := os.WriteFile(scheme, []byte("%PDF-1.7\n检查方案"), 0o600); err != nil {
		t.Fatal(err)
	}
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	textOf := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string]("(document.querySelector("+strconv.Quote(sel)+")||{}).innerText||''"))
		must("read "+sel, err)
		return strings.TrimSpace(s)
	}
	waitText := func(step, sel, want string) {
		t.Helper()
		for range 100 {
			if strings.Contains(textOf(sel), want) {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("%s: %s says %q, want %q; page: %.400s", step, sel, textOf(sel), want, textOf("main"))
	}
	as := func(user string) {
		t.Helper()
		must(user+" signs in", login(ctx, base, user, password))
		must(user+" is in", chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("header .who"))))
	}
	signOut := func() {
		t.Helper()
		must("sign out", chromedp.Do(ctx, chromedp.Navigate(base+"/account"), chromedp.Click(chromedp.CSS("header form button")),
			chromedp.WaitVisible(chromedp.CSS("#username"))))
	}

	as("ansh_clerk")
	must("open the plans", chromedp.Do(ctx, chromedp.Navigate(base+"/plans"), chromedp.WaitVisible(chromedp.CSS("#plan-open button"))))
	must("draft", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#plan-open button")), chromedp.WaitVisible(chromedp.CSS("#plan-form"))))
	must("fill the plan", setForm(ctx, map[string]string{fmt.Sprintf("month_%d", done.ID): "5", fmt.Sprintf("month_%d", late.ID): "6"}))
	must("type the scheme", chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#scheme"), "一、检查组织：市局两个检查组。\n二、检查重点：煤气、冶金安全。"),
		chromedp.SetUploadFiles(chromedp.CSS("#scheme_files"), []string{scheme})))
	must("save", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#plan-form button[type=submit]"))))
	waitText("save", ".notice", "已保存")
	if got := textOf("#plan-files"); !strings.Contains(got, "鞍山市检查方案.pdf") {
		t.Fatalf("the scheme's file: %q", got)
	}
	must("submit", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#plan-submit button"))))
	waitText("submit", "#plan-state", "待市级审核")
	plan, err := chromedp.Run(ctx, chromedp.Evaluate[string]("location.href"))
	must("read the address", err)
	signOut()

	as("ansh_approver")
	must("open the plan", chromedp.Do(ctx, chromedp.Navigate(plan), chromedp.WaitVisible(chromedp.CSS("#plan-approve button"))))
	if got := textOf("#plan-scheme"); !strings.Contains(got, "煤气、冶金安全") {
		t.Errorf("the approver reads the scheme: %q", got)
	}
	must("approve", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#plan-approve button"))))
	waitText("approve", "#plan-state", "已批准")
	// Progress: done was inspected on 9 May; late's June has ended.
	if got := textOf("#plan-progress"); got != "计划检查2家，已检查1家，逾期未检查1家" {
		t.Errorf("progress: %q", got)
	}
	if got := textOf("#plan-items tr.progress-overdue"); !strings.Contains(got, late.Name) || !strings.Contains(got, "逾期未检查") {
		t.Errorf("the overdue row: %q", got)
	}
	must("coverage", chromedp.Do(ctx, chromedp.Navigate(base+"/coverage"), chromedp.WaitVisible(chromedp.CSS("#coverage-plan-total"))))
	if got := textOf("#coverage-plan-total"); !strings.Contains(got, "计划检查2家，已检查1家，逾期未检查1家") {
		t.Errorf("coverage: %q", got)
	}
	must("worklist", chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#worklist"))))
	if got := textOf("#wl-plan-overdue"); !strings.Contains(got, late.Name) || strings.Contains(got, done.Name) {
		t.Errorf("worklist: %q", got)
	}
}
