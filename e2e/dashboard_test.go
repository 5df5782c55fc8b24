package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"taotai"
	"taotai/internal/demo"
)

// dashboardCharts are the dashboard's chart containers: the map and the
// charts of the province's board.
var dashboardCharts = []string{"chart-coverage", "chart-hazards", "chart-cards", "chart-trend", "chart-reports"}

// canvasInk counts, for each chart, the pixels of its canvas that are
// drawn (not transparent, not white), read with getImageData, and the
// distinct colours among them.
const canvasInk = `(ids => ids.map(id => {
	const c = document.querySelector('#' + id + ' canvas');
	if (!c || !c.width || !c.height) return {id, width: 0, height: 0, inked: 0, colours: 0};
	const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
	let inked = 0;
	const colours = new Set();
	for (let i = 0; i < d.length; i += 4) {
		if (d[i + 3] > 0 && !(d[i] > 245 && d[i + 1] > 245 && d[i + 2] > 245)) {
			inked++;
			if (colours.size < 64) colours.add((d[i] >> 4) + ',' + (d[i + 1] >> 4) + ',' + (d[i + 2] >> 4));
		}
	}
	return {id, width: c.width, height: c.height, inked, colours: colours.size};
}))`

type canvasStat struct {
	ID      string `json:"id"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	Inked   int    `json:"inked"`
	Colours int    `json:"colours"`
}

// TestDashboardCharts: the province's reviewer opens the dashboard on a
// desktop and on a 390 px phone, and 鞍山's clerk on a desktop (coverage by
// county as bars); the map and every chart are drawn (their canvases hold
// ink of several colours), nothing breaks the Content-Security-Policy, and
// the page is no wider than the screen. The screenshots are saved
// (TAOTAI_E2E_SHOTS names a folder to keep them).
func TestDashboardCharts(t *testing.T) {
	db, base := app(t)
	db.Clock().(*taotai.FixedClock).T = time.Date(2020, 11, 25, 10, 0, 0, 0, taotai.Shanghai)
	if _, err := demo.Load(context.Background(), db, demo.Options{Scale: 1, Seed: 2020, Reporting: true}); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t) // its minute starts once the data is loaded
	// Record what the CSP refuses, from before any script of the page.
	watch := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `window.__csp = []; document.addEventListener('securitypolicyviolation',
				e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));`})
		return err
	})
	if err := chromedp.Do(ctx, watch); err != nil {
		t.Fatal(err)
	}
	if err := login(ctx, base, "prov_reviewer", demo.Password); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if d := os.Getenv("TAOTAI_E2E_SHOTS"); d != "" {
		dir = d
	}
	for _, view := range []struct {
		name, user    string
		width, height int64
	}{{"desktop", "", 1280, 900}, {"phone", "", 390, 844}, {"city", "ansh_clerk", 1280, 900}} {
		t.Run(view.name, func(t *testing.T) {
			if view.user != "" {
				err := chromedp.Do(ctx,
					chromedp.Navigate(base+"/dashboard"),
					chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
					chromedp.WaitVisible(chromedp.CSS("#username")),
				)
				if err != nil {
					t.Fatal(err)
				}
				if err := login(ctx, base, view.user, demo.Password); err != nil {
					t.Fatal(err)
				}
			}
			err := chromedp.Do(ctx,
				chromedp.EmulateViewport(view.width, view.height),
				chromedp.Navigate(base+"/dashboard"),
				chromedp.WaitReady(chromedp.CSS(`html[data-charts]`)),
			)
			if err != nil {
				t.Fatal(err)
			}
			state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dataset.charts`))
			if state != "ready" {
				t.Fatalf("charts: %q", state)
			}
			ids, _ := json.Marshal(dashboardCharts)
			stats, err := chromedp.Run(ctx, chromedp.Evaluate[[]canvasStat](fmt.Sprintf("%s(%s)", canvasInk, ids)))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range stats {
				area := s.Width * s.Height
				if area == 0 || s.Inked*100 < area || s.Colours < 4 {
					t.Errorf("%s: %dx%d canvas, %d pixels drawn, %d colours", s.ID, s.Width, s.Height, s.Inked, s.Colours)
				}
				if s.Width > int(view.width)*3 {
					t.Errorf("%s: %d px wide on a %d px screen", s.ID, s.Width, view.width)
				}
			}
			t.Logf("%s: %+v", view.name, stats)
			csp, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp || []`))
			if err != nil || len(csp) > 0 {
				t.Errorf("Content-Security-Policy violations: %v %v", csp, err)
			}
			wide, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if wide > int(view.width) {
				t.Errorf("the page is %d px wide on a %d px screen", wide, view.width)
			}
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, "dashboard-"+view.name+".png")
			if err := os.WriteFile(file, shot, 0o600); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s", file)
		})
	}
}
