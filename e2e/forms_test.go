package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"taotai"
	"taotai/internal/forms"
)

// TestClerkFormsJourney: a city clerk downloads 附件3 for June, uploads a
// filled 附件1 with two bad rows, sees both errors, fixes the file, and
// imports it.
func TestClerkFormsJourney(t *testing.T) {
	ctx := browser(t)
	db, base := app(t)
	clock := db.Clock().(*taotai.FixedClock)
	clock.T = time.Date(2020, 6, 10, 9, 0, 0, 0, taotai.Shanghai)
	addUser(t, db, "ansh_clerk", taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
	addUser(t, db, "ansh_inspector", taotai.RoleInspector, "210302", taotai.SectorNonCoal)
	sys := taotai.NewContextWithActor(context.Background(), taotai.System)
	inds, _ := db.Industries(sys)
	e := &taotai.Enterprise{Name: "鞍山宏达钢铁有限公司", CreditCode: "91210300241471030L", Address: "鞍山市铁东区园林路1号",
		RegionCode: "210302", IndustryID: inds[0].ID, ProductionState: taotai.StateNormal}
	if err := db.CreateEnterprise(sys, e, false); err != nil {
		t.Fatal(err)
	}
	// A major hazard in June puts a yellow card on it: 附件3 for June lists it.
	u, _ := db.Authenticate(context.Background(), "ansh_inspector", password)
	a, _ := db.ActorFor(context.Background(), u)
	crits, _ := db.Criteria(sys, e.IndustryID)
	in := &taotai.Inspection{EnterpriseID: e.ID, Date: time.Date(2020, 6, 9, 0, 0, 0, 0, taotai.Shanghai), Kind: taotai.InspectionRoutine,
		Inspectors: "张明、李强", InspectorCount: 2}
	if err := db.RecordInspection(taotai.NewContextWithActor(context.Background(), a), in, []*taotai.Hazard{{
		Description: "煤气区域未设置固定式报警仪", Level: taotai.HazardMajor, CriterionID: crits[0].ID,
		Deadline: time.Date(2020, 6, 30, 0, 0, 0, 0, taotai.Shanghai)}}); err != nil {
		t.Fatal(err)
	}
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	downloads := t.TempDir()
	_, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads})
	must("allow downloads", err)
	must("sign in", login(ctx, base, "ansh_clerk", password))
	must("open the forms", chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("#lane-region")),
		chromedp.Navigate(base+"/forms"),
		chromedp.WaitVisible(chromedp.CSS("#export-form")),
	))
	must("choose 附件3 for June", setForm(ctx, map[string]string{"form": "3", "period": "2020-06", "format": "xlsx"}))
	must("download", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#export-form button[type=submit].primary`))))
	var file string
	for i := 0; i < 200 && file == ""; i++ {
		names, _ := filepath.Glob(filepath.Join(downloads, "*.xlsx"))
		if len(names) == 1 {
			file = names[0]
		} else {
			time.Sleep(50 * time.Millisecond)
		}
	}
	if file == "" {
		t.Fatal("no download arrived")
	}
	if !strings.Contains(filepath.Base(file), "附件3") || !strings.Contains(filepath.Base(file), "2020-06") {
		t.Fatalf("downloaded %q", filepath.Base(file))
	}
	x, err := excelize.OpenFile(file)
	must("open the download", err)
	sheet := x.GetSheetName(0)
	title, _ := x.GetCellValue(sheet, "A2")
	name, _ := x.GetCellValue(sheet, "C5")
	card, _ := x.GetCellValue(sheet, "H5")
	x.Close()
	if title != forms.Title3Of("6月") || name != e.Name || card != "黄牌" {
		t.Fatalf("附件3: title %q, row %q %q", title, name, card)
	}

	// A filled 附件1 with two bad rows (rows 6 and 7 of the sheet).
	rows := []forms.Row1{
		{Name: e.Name, Address: e.Address, Industry: "钢铁", Note: "局部生产"},
		{Name: "鞍山新立水泥有限公司", Address: "", Industry: "水泥", Note: "正常生产"},
		{Name: "鞍山新立玻璃有限公司", Address: "鞍山市铁西区新立路2号", Industry: "玻璃制品", Note: "停产"},
	}
	dir := t.TempDir()
	write := func(rows []forms.Row1) string {
		var b bytes.Buffer
		must("write 附件1", forms.Write1(&b, forms.Header{Unit: "鞍山市应急管理局"}, rows, false))
		p := filepath.Join(dir, "附件1-鞍山.xlsx")
		must("save 附件1", os.WriteFile(p, b.Bytes(), 0o600))
		return p
	}
	upload := func(path string) {
		t.Helper()
		must("open the import", chromedp.Do(ctx,
			chromedp.Navigate(base+"/forms"),
			chromedp.Click(chromedp.CSS("#import-link")),
			chromedp.WaitVisible(chromedp.CSS("#import-form")),
		))
		must("choose 附件1", setForm(ctx, map[string]string{"form": "1", "year": "2020", "region": "210300"}))
		must("upload", chromedp.Do(ctx,
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{path}),
			chromedp.Click(chromedp.CSS("#import-check")),
			chromedp.WaitVisible(chromedp.CSS("#import-report")),
		))
	}
	upload(write(rows))
	errs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#import-errors li.row-error')].map(li => li.textContent.trim())`))
	must("read the errors", err)
	want := []string{"第6行 C列（所在地址）：不能为空", "第7行 D列（所属行业）：“玻璃制品”不是系统中的行业"}
	if len(errs) != 2 || errs[0] != want[0] || !strings.HasPrefix(errs[1], want[1]) {
		t.Fatalf("errors shown: %q, want %q", errs, want)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#import-confirm').length`)); n != 0 {
		t.Fatal("a file with errors can be confirmed")
	}

	rows[1].Address, rows[2].Industry = "鞍山市立山区新立路1号", "平板玻璃"
	upload(write(rows))
	summary, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#import-summary")))
	if !strings.Contains(summary, "新登记2家，更新1家") {
		t.Fatalf("preview: %q", summary)
	}
	must("confirm", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#import-confirm")), chromedp.WaitVisible(chromedp.CSS("#import-done"))))
	done, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#import-done")))
	if !strings.Contains(done, "已导入附件1") || !strings.Contains(done, "新登记2家") {
		t.Fatalf("result: %q", done)
	}
	list, n, err := db.FindEnterprises(sys, taotai.EnterpriseFilter{Q: "新立", KeyYear: 2020, Limit: 5})
	if err != nil || n != 2 || list[0].CreditCode != "" {
		t.Fatalf("imported: %d %v %v", n, list, err)
	}
	got, _ := db.FindEnterprise(sys, e.ID)
	if got.ProductionState != taotai.StatePartial {
		t.Fatalf("the known enterprise's state: %s", got.ProductionState)
	}
}
