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

// setForm sets form fields by name, as a person would by typing and
// picking: text and date inputs, selects, radios ("" picks a select's first
// real option).
func setForm(ctx context.Context, values map[string]string) error {
	for name, v := range values {
		js := fmt.Sprintf(`(() => {
			const els = document.getElementsByName(%q);
			if (els.length === 0) return false;
			for (const el of els) {
				if (el.type === 'radio' || el.type === 'checkbox') { el.checked = (el.value === %q); }
				else if (el.tagName === 'SELECT' && %q === '') { el.value = [...el.options].find(o => o.value).value; }
				else { el.value = %q; }
			}
			return true;
		})()`, name, v, v, v)
		found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("no field %q on the page", name)
		}
	}
	return nil
}

// TestEnforcementJourney: an inspector records an inspection with a major
// hazard; the enterprise gets a yellow card; the clock passes the
// deadline; the worklist proposes red; a city approver makes it red, then
// proposes closure, then closes it.
func TestEnforcementJourney(t *testing.T) {
	ctx := browser(t)
	db, base := app(t)
	clock := db.Clock().(*taotai.FixedClock) // 2020-05-10
	addUser(t, db, "ansh_inspector", taotai.RoleInspector, "210302", taotai.SectorNonCoal)
	addUser(t, db, "ansh_approver", taotai.RoleCityApprover, "210300", taotai.SectorNonCoal)
	inds, _ := db.Industries(context.Background())
	e := &taotai.Enterprise{Name: "鞍山宏达钢铁有限公司", CreditCode: "91210300241471030L", Address: "鞍山市铁东区园林路1号",
		RegionCode: "210302", IndustryID: inds[0].ID, ProductionState: taotai.StateNormal}
	if err := db.CreateEnterprise(taotai.NewContextWithActor(context.Background(), taotai.System), e, false); err != nil {
		t.Fatal(err)
	}
	if err := login(ctx, base, "ansh_inspector", password); err != nil {
		t.Fatal(err)
	}
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	must("open the enterprise", chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("#lane-region")),
		chromedp.Navigate(fmt.Sprintf("%s/enterprises/%d", base, e.ID)),
		chromedp.Click(chromedp.CSS("#new-inspection")),
		chromedp.WaitVisible(chromedp.CSS(`[name="h0_description"]`)),
	))
	must("fill the inspection", setForm(ctx, map[string]string{
		"date": "2020-05-09", "kind": "routine", "inspectors": "张明、李强", "inspector_count": "2", "expert_count": "1",
		"findings": "高炉区域检查", "h0_description": "转炉水冷元件未设置出水温度监测报警装置", "h0_place": "炼钢车间",
		"h0_level": "major", "h0_criterion": "", "h0_deadline": "2020-05-30",
	}))
	must("submit", chromedp.Do(ctx,
		chromedp.Submit(chromedp.CSS(`[name="h0_description"]`)),
		chromedp.WaitVisible(chromedp.CSS(".notice")),
	))
	state, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	must("read the inspection", err)
	if !strings.Contains(state, "转炉水冷元件") {
		t.Fatalf("the inspection page does not show the hazard: %.300s", state)
	}
	cardURL := fmt.Sprintf("%s/enterprises/%d/card/2020", base, e.ID)
	must("open the card", chromedp.Do(ctx, chromedp.Navigate(cardURL), chromedp.WaitVisible(chromedp.CSS("#card-state"))))
	if s, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#card-state"))); s != "黄牌" {
		t.Fatalf("card after a major hazard: %q", s)
	}

	// The clock passes the deadline; the approver's worklist proposes red.
	clock.T = time.Date(2020, 6, 2, 9, 0, 0, 0, taotai.Shanghai)
	must("sign out", chromedp.Do(ctx, chromedp.Navigate(base+"/account"), chromedp.Click(chromedp.CSS("header form button")),
		chromedp.WaitVisible(chromedp.CSS("#username"))))
	must("approver signs in", login(ctx, base, "ansh_approver", password))
	must("worklist", chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#wl-red"))))
	if s, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#wl-red"))); !strings.Contains(s, e.Name) {
		t.Fatalf("worklist does not propose red: %q", s)
	}
	step := func(to string, values map[string]string, want string) {
		t.Helper()
		must("open "+to, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#to-"+to+" button"))))
		for k, v := range values {
			must("fill "+k, chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#to-"+to+" [name="+k+"]"), v)))
		}
		must("submit "+to, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#to-"+to+" button.primary"))))
		// A red card, a proposal and a closure are checked first.
		must("confirm "+to, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#check-confirm")), chromedp.Click(chromedp.CSS("#check-confirm"))))
		// Wait for the new page: the state changes, or an error shows.
		var s string
		for i := 0; i < 100; i++ {
			s, _ = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#card-state")))
			if s == want {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		page, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		t.Fatalf("after %s: %q, want %q\n%.600s", to, s, want, page)
	}
	must("follow the worklist", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#wl-red a"))))
	step("red", map[string]string{"why": "整改期限已过，逾期未整改"}, "红牌")
	step("proposed", map[string]string{"basis": "《安全生产法》第六十条", "reported_on": "2020-06-02", "why": "报请区人民政府关闭"}, "拟关闭")
	step("closed", map[string]string{"closed_on": "2020-06-02", "basis": "市人民政府关闭决定", "evidence": "设备已拆除、已断电", "verified_by": "赵科长",
		"why": "已关闭并核实"}, "已关闭")
	history, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#card-history")))
	for _, s := range []string{"黄牌 → 红牌", "红牌 → 拟关闭", "拟关闭 → 已关闭"} {
		if !strings.Contains(history, s) {
			t.Fatalf("history lacks %q: %q", s, history)
		}
	}
}
