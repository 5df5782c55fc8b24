package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"taotai"
)

// TestReportJourney: with the clock in June 2020, 鞍山's non-coal clerk
// prepares June's report, the city approver submits it, the coal
// channel's reviewer cannot see it, the non-coal reviewer returns it with a
// reason, the clerk prepares it again (the records changed meanwhile: the
// page compares the versions), the approver resubmits; on 26 June the
// grid shows 鞍山's June on time and 阜新's missing; the reviewer accepts
// and the locked page says why, since when, by whom and who can unlock.
// At 390 px the grid, the report and the consolidated form stay within
// the screen's width (screenshots in TAOTAI_E2E_SHOTS when set).
func TestReportJourney(t *testing.T) {
	ctx := browser(t)
	db, base := app(t)
	clock := db.Clock().(*taotai.FixedClock)
	clock.T = time.Date(2020, 6, 20, 10, 0, 0, 0, taotai.Shanghai)
	addUser(t, db, "ansh_clerk", taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
	addUser(t, db, "ansh_approver", taotai.RoleCityApprover, "210300", taotai.SectorNonCoal)
	addUser(t, db, "ansh_inspector", taotai.RoleInspector, "210302", taotai.SectorNonCoal)
	addUser(t, db, "prov_noncoal", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
	addUser(t, db, "prov_coal", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorCoal)
	sys := taotai.NewContextWithActor(context.Background(), taotai.System)
	inds, _ := db.Industries(sys)
	e := &taotai.Enterprise{Name: "鞍山宏达钢铁有限公司", CreditCode: "91210300241471030L", Address: "鞍山市铁东区园林路1号",
		RegionCode: "210302", IndustryID: inds[0].ID, ProductionState: taotai.StateNormal}
	if err := db.CreateEnterprise(sys, e, false); err != nil {
		t.Fatal(err)
	}
	u, _ := db.Authenticate(context.Background(), "ansh_inspector", password)
	a, _ := db.ActorFor(context.Background(), u)
	inspect := func(day, people int) {
		t.Helper()
		in := &taotai.Inspection{EnterpriseID: e.ID, Date: time.Date(2020, 6, day, 0, 0, 0, 0, taotai.Shanghai),
			Kind: taotai.InspectionRoutine, Inspectors: "张明、李强", InspectorCount: people}
		if err := db.RecordInspection(taotai.NewContextWithActor(context.Background(), a), in, nil); err != nil {
			t.Fatal(err)
		}
	}
	inspect(15, 2)
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
	count := func(sel string) int {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.querySelectorAll("+strconv.Quote(sel)+").length"))
		must("count "+sel, err)
		return n
	}
	// waitNotice waits for the page after a form's submission to say want.
	waitNotice := func(step, want string) {
		t.Helper()
		for range 100 {
			if n, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('.notice, .error-summary')||{}).textContent||''`)); strings.Contains(n, want) {
				return
			} else if strings.Contains(n, "未成功") {
				t.Fatalf("%s: %s", step, n)
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("%s: no notice %q on the page: %.500s", step, want, textOf("main"))
	}
	signOut := func() {
		t.Helper()
		must("sign out", chromedp.Do(ctx, chromedp.Navigate(base+"/account"), chromedp.Click(chromedp.CSS("header form button")),
			chromedp.WaitVisible(chromedp.CSS("#username"))))
	}
	as := func(user string) {
		t.Helper()
		must(user+" signs in", login(ctx, base, user, password))
		must(user+" is in", chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("header .who"))))
	}
	page := base + "/reports/2020-06/210300/noncoal"
	open := func(url, sel string) {
		t.Helper()
		must("open "+url, chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(sel))))
	}
	prepare := func() {
		t.Helper()
		open(page, "#prepare-form")
		must("fill the report", setForm(ctx, map[string]string{"person": "王丽", "phone": "0412-5551234"}))
		must("generate", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#prepare-form button.primary"))))
		waitNotice("prepare", "已生成")
	}
	submit := func() {
		t.Helper()
		open(page, "#submit-form")
		must("submit", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#submit-form button.primary"))))
		waitNotice("submit", "已报送")
	}

	as("ansh_clerk")
	prepare()
	signOut()
	as("ansh_approver")
	submit()
	signOut()

	// The coal channel's reviewer: not found, and not on the coal grid.
	as("prov_coal")
	must("open as coal", chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#error-message"))))
	if title := textOf("h1"); !strings.Contains(title, "未找到") && !strings.Contains(textOf("#error-message"), "未找到") {
		t.Errorf("the coal reviewer's view of the non-coal report: %q %q", title, textOf("#error-message"))
	}
	open(base+"/reports", "#grid-title")
	if !strings.Contains(textOf("#grid-title"), "煤矿") || count("#unit-210300") != 0 || count("[id^='cell-210300-']") != 0 {
		t.Errorf("the coal grid: %q, 鞍山 rows %d", textOf("#grid-title"), count("#unit-210300"))
	}
	signOut()

	// The non-coal reviewer returns it with a reason.
	as("prov_noncoal")
	open(page, "#return-form")
	must("give the reason", setForm(ctx, map[string]string{"reason": "附件2漏报6月18日的检查"}))
	must("return", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#return-form button"))))
	waitNotice("return", "已退回")
	signOut()

	// The clerk reads the reason; the records changed meanwhile; a second version.
	clock.T = time.Date(2020, 6, 21, 9, 0, 0, 0, taotai.Shanghai)
	inspect(18, 2)
	as("ansh_clerk")
	open(page, "#version-1")
	if got := textOf("#version-1 .review-note"); got != "附件2漏报6月18日的检查" {
		t.Errorf("the clerk reads the reason %q", got)
	}
	prepare()
	signOut()
	as("ansh_approver")
	submit()
	signOut()

	// 26 June: the grid shows 鞍山 on time, 阜新 missing.
	clock.T = time.Date(2020, 6, 26, 9, 0, 0, 0, taotai.Shanghai)
	as("prov_noncoal")
	open(base+"/reports?year=2020&sector=noncoal", "#report-grid")
	if got := textOf("#cell-210300-2020-06"); got != "按时报送" {
		t.Errorf("鞍山's June: %q", got)
	}
	if got := textOf("#cell-210900-2020-06"); got != "未报送，已逾期1天" {
		t.Errorf("阜新's June: %q", got)
	}
	// The versions compared: 1 → 2 inspections, 2 → 4 person-times.
	open(page, "#changes-2")
	if got := strings.Join(strings.Fields(textOf("#changes-2-form2 li.row-changed")), " "); !strings.Contains(got, e.Name) ||
		!strings.Contains(got, "检查企业次数 1 → 2") || !strings.Contains(got, "执法检查人员数量（人次） 2 → 4") {
		t.Errorf("version 2 against version 1: %q", got)
	}
	must("accept", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#accept-form button.primary"))))
	waitNotice("accept", "审核通过")
	open(base+"/reports?year=2020&sector=noncoal", "#report-grid")
	if got := textOf("#cell-210300-2020-06"); got != "已通过" {
		t.Errorf("鞍山's June after acceptance: %q", got)
	}
	shots(t, ctx, base+"/reports?year=2020&sector=noncoal", "grid", "#report-grid")
	// A change to the records after acceptance: the consolidated form
	// keeps what was accepted and marks where the records now differ.
	inspect(22, 2)
	open(base+"/reports/consolidated/view?period=2020-06&sector=noncoal&form=2&compare=1", "#consolidated-table")
	if got := textOf("#diff-count strong"); got != "2处与现有记录不一致" {
		t.Errorf("the consolidated form's differences: %q", got)
	}
	if got := strings.Join(strings.Fields(textOf("#unit-210300 td.differs")), " "); got != "2 现有记录：3" {
		t.Errorf("the first marked cell: %q", got)
	}
	shots(t, ctx, base+"/reports/consolidated/view?period=2020-06&sector=noncoal&form=2&compare=1", "consolidated", "#consolidated-table")
	signOut()

	// Locked: why, since when, by whom, who can unlock.
	as("ansh_clerk")
	open(page, "#lock-message")
	lock := textOf("#lock-message")
	for _, want := range []string{"已锁定", "第2版", "2020年6月26日09:00", "张明", "审核通过", "省应急管理厅", "解锁"} {
		if !strings.Contains(lock, want) {
			t.Errorf("the lock's message %q lacks %q", lock, want)
		}
	}
	if count("#prepare-form, #submit-form") != 0 {
		t.Error("the locked report still offers the clerk an action")
	}
	shots(t, ctx, page, "report", "#lock-message")
}

// shots opens url at 1280 px and at 390 px (a phone held in one hand):
// at 390 px the page may not be wider than the screen (a wide table
// scrolls within itself), and sel must be seen. Each width's screenshot
// goes to the test's temporary directory, and to TAOTAI_E2E_SHOTS when
// set, for a person to look at.
func shots(t *testing.T, ctx context.Context, url, name, sel string) {
	t.Helper()
	dir := t.TempDir()
	if d := os.Getenv("TAOTAI_E2E_SHOTS"); d != "" {
		dir = d
	}
	for _, w := range []int64{1280, 390} {
		err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 844), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("open %s at %d px: %v", url, w, err)
		}
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if w == 390 && wide > 390 {
			t.Errorf("%s at 390 px is %d px wide: the page scrolls sideways", name, wide)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+"-"+strconv.FormatInt(w, 10)+".png"), png, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
}
