package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"taotai"
)

// TestAcceptanceJourney: 鞍山's city approver accepts an enterprise whose
// red card was closed. From the card page the one way to accept is the
// acceptance form; the form, sent without a reason, comes back with the
// message and the answers and the evidence file kept; the check page says
// what will change; the confirmation records the acceptance and the card
// becomes 已验收. Each page is photographed at 1280 and 390 px (into
// TAOTAI_E2E_SHOTS when set) and may not scroll sideways on the phone.
func TestAcceptanceJourney(t *testing.T) {
	db, base := app(t)
	clock := db.Clock().(*taotai.FixedClock)
	clock.T = time.Date(2020, 10, 22, 10, 0, 0, 0, taotai.Shanghai)
	addUser(t, db, "ansh_approver", taotai.RoleCityApprover, "210300", taotai.SectorNonCoal)
	sys := taotai.NewContextWithActor(context.Background(), taotai.System)
	inds, _ := db.Industries(sys)
	e := &taotai.Enterprise{Name: "鞍山宏达钢铁有限公司", CreditCode: "91210300241471030L", Address: "鞍山市铁东区园林路1号",
		RegionCode: "210302", IndustryID: inds[0].ID, ProductionState: taotai.StateStopped}
	if err := db.CreateEnterprise(sys, e, false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`INSERT INTO cards (enterprise_id, year, region_path, sector, state, reason, rectify, deadline, reported_on,
		closed_on, closure_basis, version, created_at, updated_at) VALUES ($1, 2020, $2, $3, 'closed', 'overdue', '整改', '2020-07-25',
		'2020-10-18', '2020-10-19', '鞍山市人民政府关闭决定', 1, $4, $4)`, e.ID, e.RegionPath, e.Sector, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if d := os.Getenv("TAOTAI_E2E_SHOTS"); d != "" {
		dir = d
	}
	evidence := filepath.Join(t.TempDir(), "验收表.pdf")
	if err := os.WriteFile(evidence, []byte("%PDF-1.4\n验收表\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	read := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		must("read "+sel, err)
		return s
	}
	// both photographs the page as it stands at both widths.
	both := func(name string) {
		t.Helper()
		for _, w := range []int64{1280, 390} {
			must("viewport", chromedp.Do(ctx, chromedp.EmulateViewport(w, 844)))
			wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			must("width", err)
			if w == 390 && wide > 390 {
				t.Errorf("%s at 390 px is %d px wide", name, wide)
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			must("screenshot", err)
			must("save", os.WriteFile(filepath.Join(dir, fmt.Sprintf("acceptance-%s-%d.png", name, w)), png, 0o600))
		}
	}

	must("sign in", login(ctx, base, "ansh_approver", password))
	must("open the card", chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/enterprises/%d/card/2020", base, e.ID)),
		chromedp.WaitVisible(chromedp.CSS("#accept-link"))))
	must("follow the link", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#accept-link")), chromedp.WaitVisible(chromedp.CSS("#acceptance-form"))))
	fields := map[string]string{"findings": "主要生产设备已拆除，已断电断水，现场无生产迹象。", "accepted_on": "2020-10-21",
		"member_name_0": "王强", "member_unit_0": "鞍山市应急管理局", "member_name_1": "李明", "member_unit_1": "鞍山市工业和信息化局",
		"member_name_2": "赵刚", "member_unit_2": "鞍山市发展和改革委员会"}
	for i, signer := range []string{"王强", "赵刚", "李明"} {
		fields[fmt.Sprintf("signoff_verdict_%d", i)] = "pass"
		fields[fmt.Sprintf("signoff_signer_%d", i)] = signer
		fields[fmt.Sprintf("signoff_on_%d", i)] = "2020-10-21"
	}
	must("fill the form", setForm(ctx, fields))
	must("choose the file", chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#files"), []string{evidence})))
	both("form")
	// Without a reason: the form again, the message, the answers and the file kept.
	must("next", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#acceptance-next")), chromedp.WaitVisible(chromedp.CSS("#error-summary"))))
	if msg := read("#error-summary"); !strings.Contains(msg, "请填写办理理由") {
		t.Fatalf("no reason: %q", msg)
	}
	if got := read("#uploaded"); !strings.Contains(got, "验收表.pdf") {
		t.Fatalf("the file was not kept: %q", got)
	}
	both("form-error")
	must("give a reason", setForm(ctx, map[string]string{"reason": "总结验收阶段会同工信、发改现场验收"}))
	must("next", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#acceptance-next")), chromedp.WaitVisible(chromedp.CSS("#check-effects"))))
	effects := read("#check-effects")
	answers := read("#check-answers")
	if !strings.Contains(effects, "由“已关闭”变为“已验收”") || !strings.Contains(answers, "验收表.pdf") || !strings.Contains(answers, "总结验收阶段会同工信、发改现场验收") {
		t.Fatalf("check page: %q / %q", effects, answers)
	}
	both("check")
	must("confirm", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#check-confirm")), chromedp.WaitVisible(chromedp.CSS("#acceptance-verdict"))))
	if v := read("#acceptance-verdict"); v != "通过" {
		t.Fatalf("verdict %q", v)
	}
	if files := read("#acceptance-files"); !strings.Contains(files, "验收表.pdf") {
		t.Fatalf("files: %q", files)
	}
	both("record")
	must("open the card", chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/enterprises/%d/card/2020", base, e.ID)),
		chromedp.WaitVisible(chromedp.CSS("#card-state"))))
	if s := read("#card-state"); s != "已验收" {
		t.Fatalf("card: %q", s)
	}
	must("open the list", chromedp.Do(ctx, chromedp.Navigate(base+"/acceptances?year=2020"), chromedp.WaitVisible(chromedp.CSS("#list-table"))))
	if row := read("#list-table tbody"); !strings.Contains(row, e.Name) || !strings.Contains(row, "通过") {
		t.Fatalf("list: %q", row)
	}
	both("list")
}
