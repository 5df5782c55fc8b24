package e2e

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"taotai"
	"taotai/internal/demo"
	"taotai/internal/store"
)

// axeSource is axe-core, vendored (testdata/axe/README.md; update with
// scripts/update-axe.sh) so that the test needs no network.
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// axeRun checks the page against WCAG 2.0 and 2.1, levels A and AA, and
// keeps what a failure needs: the rule, its impact and each node's
// selector.
const axeRun = `axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  resultTypes: ['violations', 'incomplete'],
}).then(r => {
  const keep = v => ({id: v.id, impact: v.impact || '', help: v.help,
    nodes: v.nodes.map(n => ({target: JSON.stringify(n.target), summary: n.failureSummary || ''}))});
  return {violations: r.violations.map(keep), incomplete: r.incomplete.filter(v => v.impact === 'critical').map(keep)};
})`

type axeRule struct {
	ID, Impact, Help string
	Nodes            []struct{ Target, Summary string }
}

type axeResult struct {
	Violations, Incomplete []axeRule
}

// a11yVisit is one page a role is checked on: opened at path, then
// (follow) the first link matching a selector, then an action (a failed
// submit, a step of a journey); focus names the element that must hold the
// focus then.
type a11yVisit struct {
	name, path, follow string
	act                chromedp.Action[chromedp.Void]
	focus              string
}

// failSubmit clicks a form's button and waits for the error summary.
func failSubmit(button string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Click(chromedp.CSS(button)), chromedp.WaitVisible(chromedp.CSS(".error-summary")))
}

// TestAccessibility runs axe-core in Chromium over the main pages of each
// role — the sign-in page, then each demo account's (and an auditor's)
// home, lists, record pages, forms after a failed submit and the card's
// check-your-answers step — at a desktop's width and a phone's. Any
// violation of WCAG 2.1 AA fails, and so does an unresolved result of
// critical impact, with the rule, the page and the node's selector. After
// a failed sign-in or submit the focus is on the error summary.
func TestAccessibility(t *testing.T) {
	db, base := app(t)
	db.Clock().(*taotai.FixedClock).T = time.Date(2020, 11, 25, 10, 0, 0, 0, taotai.Shanghai)
	if _, err := demo.Load(context.Background(), db, demo.Options{Scale: 1, Seed: 2020}); err != nil {
		t.Fatal(err)
	}
	addUser(t, db, "audit_wang", taotai.RoleAuditor, taotai.ProvinceCode, "")
	red := redCandidate(t, db)
	failedLogin := chromedp.Steps(
		chromedp.SendKeys(chromedp.CSS("#username"), "no_such_user"),
		chromedp.SendKeys(chromedp.CSS("#password"), "wrong password"),
		chromedp.Click(chromedp.CSS("button.primary")),
		chromedp.WaitVisible(chromedp.CSS("#login-error")),
	)
	enterprise := a11yVisit{name: "enterprise", path: "/enterprises", follow: `main td a[href^="/enterprises/"]`}
	roles := []struct {
		user, password string
		visits         []a11yVisit
	}{
		{"", "", []a11yVisit{
			{name: "login", path: "/login"},
			{name: "failed sign-in", path: "/login", act: failedLogin, focus: ".error-summary"},
		}},
		{"prov_reviewer", demo.Password, []a11yVisit{
			{name: "home", path: "/"},
			{name: "registry", path: "/enterprises"},
			enterprise,
			{name: "hazard", path: "/hazards", follow: `main td a[href^="/hazards/"]`},
			{name: "card", path: "/cards", follow: `main td a[href*="/card/"]`},
			{name: "coverage", path: "/coverage"},
			{name: "key list", path: "/keylist"},
			{name: "reports", path: "/reports"},
			{name: "dashboard", path: "/dashboard"},
			{name: "plans", path: "/plans"},
			{name: "forms", path: "/forms"},
		}},
		{"ansh_clerk", demo.Password, []a11yVisit{
			{name: "home", path: "/"},
			enterprise,
			{name: "inspection form", path: "/enterprises", follow: `main td a[href^="/enterprises/"]`,
				act: chromedp.Steps(chromedp.Click(chromedp.CSS(`a[href$="/inspections/new"]`)), chromedp.WaitVisible(chromedp.CSS("form.inspection-form")))},
			{name: "inspection form, failed", path: "/enterprises", follow: `main td a[href^="/enterprises/"]`,
				act: chromedp.Steps(chromedp.Click(chromedp.CSS(`a[href$="/inspections/new"]`)), chromedp.WaitVisible(chromedp.CSS("form.inspection-form")),
					chromedp.SetValue(chromedp.CSS("#inspector_count"), "两"), failSubmit("form.inspection-form button.primary")),
				focus: ".error-summary"},
			{name: "inspection", path: "/inspections", follow: `main td a[href^="/inspections/"]`},
			{name: "hazard", path: "/hazards", follow: `main td a[href^="/hazards/"]`},
			{name: "gaps", path: "/coverage/gaps?year=2020"},
			{name: "key list", path: "/keylist"},
		}},
		{"ansh_inspector", demo.Password, []a11yVisit{
			{name: "home", path: "/"},
			{name: "hazards", path: "/hazards"},
		}},
		{"ansh_approver", demo.Password, []a11yVisit{
			{name: "home", path: "/"},
			{name: "card", path: "/cards", follow: `main td a[href*="/card/"]`},
			{name: "card check step", path: fmt.Sprintf("/enterprises/%d/card/2020", red.ID),
				act: chromedp.Steps(chromedp.SendKeys(chromedp.CSS("#red-why"), "整改期限已过，复查仍未合格"),
					chromedp.Click(chromedp.CSS("#to-red button.primary")), chromedp.WaitVisible(chromedp.CSS("#check-confirm")))},
		}},
		{"partner_gxt", demo.Password, []a11yVisit{
			{name: "home", path: "/"},
			{name: "registry", path: "/enterprises"},
			{name: "coverage", path: "/coverage"},
		}},
		{"admin", demo.Password, []a11yVisit{
			{name: "settings", path: "/admin"},
			{name: "users", path: "/admin/users"},
			{name: "new user, failed", path: "/admin/users/new", act: failSubmit("main form button.primary"), focus: ".error-summary"},
			{name: "industries", path: "/admin/industries"},
			{name: "audit", path: "/admin/audit"},
			{name: "account", path: "/account"},
		}},
		{"audit_wang", password, []a11yVisit{
			{name: "audit", path: "/admin/audit"},
		}},
		{"fx_coal_clerk", demo.Password, []a11yVisit{
			{name: "home", path: "/"},
			{name: "coal mines", path: "/coal-mines"},
		}},
	}
	pages := 0
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			ctx := browser(t)
			opts := []chromedp.EmulateViewportOption{}
			if vp.mobile {
				opts = append(opts, chromedp.EmulateMobile)
			}
			inject := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: axeSource})
				return err
			})
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, opts...), inject); err != nil {
				t.Fatal(err)
			}
			axeSelfCheck(t, ctx, base)
			for _, role := range roles {
				who := role.user
				if who == "" {
					who = "anonymous"
				}
				clear := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
					return err
				})
				if err := chromedp.Do(ctx, clear); err != nil {
					t.Fatal(err)
				}
				if role.user != "" {
					if err := login(ctx, base, role.user, role.password); err != nil {
						t.Fatalf("sign in as %s: %v", role.user, err)
					}
				}
				for _, v := range role.visits {
					where := fmt.Sprintf("%s as %s at %d px", v.name, who, vp.width)
					if err := chromedp.Do(ctx, chromedp.Navigate(base+v.path)); err != nil {
						t.Errorf("%s: open %s: %v", where, v.path, err)
						continue
					}
					if v.follow != "" {
						href, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q) || {}).href || ''`, v.follow)))
						if err != nil || href == "" {
							t.Errorf("%s: no link %s on %s (%v)", where, v.follow, v.path, err)
							continue
						}
						if err := chromedp.Do(ctx, chromedp.Navigate(href)); err != nil {
							t.Errorf("%s: open %s: %v", where, href, err)
							continue
						}
					}
					if v.act != nil {
						actx, cancel := context.WithTimeout(ctx, 15*time.Second)
						err := chromedp.Do(actx, v.act)
						cancel()
						if err != nil {
							main, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main"), chromedp.AtLeast(0)))
							t.Errorf("%s: %v\n%.600s", where, err, main)
							continue
						}
					}
					loc, _ := chromedp.Run(ctx, chromedp.Location())
					where += " (" + strings.TrimPrefix(loc, base) + ")"
					if v.focus != "" {
						var focused bool
						// focus.js runs once the document is parsed.
						for range 20 {
							focused, _ = chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, v.focus)))
							if focused {
								break
							}
							time.Sleep(50 * time.Millisecond)
						}
						if !focused {
							el, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : ''`))
							t.Errorf("%s: the focus is on %q, not on %s", where, el, v.focus)
						}
					}
					res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](axeRun, chromedp.EvalAwaitPromise))
					if err != nil {
						t.Errorf("%s: axe: %v", where, err)
						continue
					}
					pages++
					for _, r := range res.Violations {
						for _, n := range r.Nodes {
							t.Errorf("%s: %s (%s, %s) at %s: %s", where, r.ID, r.Impact, r.Help, n.Target, firstLine(n.Summary))
						}
					}
					for _, r := range res.Incomplete {
						for _, n := range r.Nodes {
							t.Errorf("%s: unresolved critical %s (%s) at %s: %s", where, r.ID, r.Help, n.Target, firstLine(n.Summary))
						}
					}
				}
			}
		})
	}
	t.Logf("axe-core checked %d pages", pages)
}

// redCandidate adds to the demo data 鞍山's steel works with a major
// hazard found on 2 November 2020 and due on 20 November: on the 25th its
// yellow card may turn red (the clock must be there already).
func redCandidate(t *testing.T, db *store.DB) *taotai.Enterprise {
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
	insp, err := db.Authenticate(sys, "ansh_inspector", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2020, 11, 2, 0, 0, 0, 0, taotai.Shanghai)
	crits, err := db.CriteriaOn(sys, e.IndustryID, day)
	if err != nil || len(crits) == 0 {
		t.Fatalf("criteria in force on %v: %v", day, err)
	}
	in := &taotai.Inspection{EnterpriseID: e.ID, Date: day, Kind: taotai.InspectionRoutine,
		Inspectors: "李强、王伟", InspectorCount: 2, AgencyID: insp.AgencyID}
	h := &taotai.Hazard{Description: "转炉水冷元件未设置监测报警", Level: taotai.HazardMajor, CriterionID: crits[len(crits)-1].ID,
		Deadline: time.Date(2020, 11, 20, 0, 0, 0, 0, taotai.Shanghai)}
	// Recorded the day after (a card is given only while the deadline is
	// ahead), seen on the 25th.
	clock := db.Clock().(*taotai.FixedClock)
	now := clock.T
	clock.T = day.AddDate(0, 0, 1)
	if err := db.RecordInspection(sys, in, []*taotai.Hazard{h}); err != nil {
		t.Fatal(err)
	}
	clock.T = now
	return e
}

// axeSelfCheck: axe finds a fault put there on purpose (an image without
// a text alternative), so a clean result means a clean page.
func axeSelfCheck(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/login")); err != nil {
		t.Fatal(err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](`document.body.insertAdjacentHTML('beforeend', '<img src="/static/favicon.svg">'); `+axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Violations {
		if r.ID == "image-alt" {
			return
		}
	}
	t.Fatalf("axe did not find an image without alt: %+v", res.Violations)
}

func firstLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 240 {
		s = s[:240] + "…"
	}
	return s
}
