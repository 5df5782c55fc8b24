package web_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// cells returns the trimmed texts of the cells sel finds.
func cells(s *goquery.Selection, sel string) []string {
	var out []string
	s.Find(sel).Each(func(_ int, c *goquery.Selection) { out = append(out, strings.TrimSpace(c.Text())) })
	return out
}

func TestFormPrint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, h := enforcementSetup(t, db) // 鞍山宏达: an inspection on 2020-05-09 by one inspector, one major hazard
		ctx := context.Background()
		admin := taotai.NewContextWithActor(ctx, taotai.System)
		day := func(d int) time.Time { return time.Date(2020, 5, d, 0, 0, 0, 0, taotai.Shanghai) }

		// A second 鞍山 enterprise inspected in May, and fines on both, so
		// that the 合计 row sums two rows and the 万元 text has decimals.
		second := &taotai.Enterprise{Name: "鞍山鑫源钢铁有限公司", CreditCode: "91210300MA0000002" + string(taotai.USCCCheckDigit("91210300MA0000002")),
			Address: "鞍山市铁西区建设大道8号", RegionCode: "210303", IndustryID: f.steel, ProductionState: taotai.StatePartial}
		if err := db.CreateEnterprise(admin, second, false); err != nil {
			t.Fatal(err)
		}
		u, _ := db.Authenticate(ctx, "ansh_clerk", password)
		a, _ := db.ActorFor(ctx, u)
		clerk := taotai.NewContextWithActor(ctx, a)
		in2 := &taotai.Inspection{EnterpriseID: second.ID, Date: day(8), Kind: taotai.InspectionRoutine,
			Inspectors: "王刚、赵亮、孙伟", InspectorCount: 3, ExpertCount: 2}
		if err := db.RecordInspection(clerk, in2, []*taotai.Hazard{
			{Description: "除尘系统未定期清灰", Level: taotai.HazardGeneral, Deadline: day(20)}}); err != nil {
			t.Fatal(err)
		}
		own := h.InspectionID
		for _, d := range []*taotai.Document{
			{InspectionID: own, Kind: taotai.DocRectOrder, IssuedOn: day(9)},
			{InspectionID: own, Kind: taotai.DocPenalty, IssuedOn: day(10), Fine: 12345},   // 1.2345万元
			{InspectionID: in2.ID, Kind: taotai.DocPenalty, IssuedOn: day(10), Fine: 5000}, // 0.5万元
		} {
			var err error
			if d.Kind == taotai.DocPenalty {
				err = storetest.Penalty(db, d)
			} else {
				err = db.IssueDocument(clerk, d)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetKeyListed(admin, 2020, f.own.ID, true, ""); err != nil {
			t.Fatal(err)
		}

		c := newClient(t, newServer(t, db))
		c.login("ansh_clerk")
		if r := c.get("/forms"); r.Doc.Find(`#export-form button[formaction="/forms/print"]`).Length() != 1 {
			t.Fatal("the forms page has no 打印预览 button")
		}

		r := c.get("/forms/print?form=2&period=2020-05&region=210300&sector=noncoal")
		if r.Status != http.StatusOK {
			t.Fatalf("print: %d %s", r.Status, text(r, "#error-message"))
		}
		if got := text(r, "#form-mark"); got != "附件2" {
			t.Errorf("mark %q", got)
		}
		if got := text(r, "#form-title"); got != "重点淘汰行业执法检查统计表（5月）" {
			t.Errorf("title %q", got)
		}
		if got := text(r, "#form-head"); !strings.HasPrefix(got, "填报单位：") || !strings.Contains(got, "（公章）") ||
			!strings.Contains(got, "填报人："+u.DisplayName) || !strings.Contains(got, "联系电话：") || !strings.Contains(got, "填报日期：2020年5月10日") {
			t.Errorf("header line %q", got)
		}
		if got := cells(r.Doc.Selection, "#form-table thead th"); !slices.Equal(got, forms.Columns2) {
			t.Errorf("header cells %q, want %q", got, forms.Columns2)
		}
		if h, _ := r.Doc.Find("#form-table thead th").Eq(10).Html(); h != "行政罚款总数<br/>（万元）" {
			t.Errorf("the 万元 header %q does not break as the .xlsx does", h)
		}
		if n := r.Doc.Find("#form-table thead").Length(); n != 1 {
			t.Errorf("%d thead", n)
		}
		var rows [][]string
		r.Doc.Find("#form-table tbody tr.form-row").Each(func(_ int, tr *goquery.Selection) { rows = append(rows, cells(tr, "td")) })
		if len(rows) != 2 {
			t.Fatalf("%d rows: %q", len(rows), rows)
		}
		// Ordered by region: 铁东区 (210302) before 铁西区 (210303).
		wantOwn := []string{"1", f.own.Name, f.own.Address, "1", "2", "0", "1", "1", "1", "1", "1.2345"}
		if !slices.Equal(rows[0][:11], wantOwn) || !strings.Contains(rows[0][11], "转炉水冷元件未设置监测报警") ||
			!strings.Contains(rows[0][11], "2020年5月30日") {
			t.Errorf("row 1 %q", rows[0])
		}
		wantSecond := []string{"2", second.Name, second.Address, "1", "3", "2", "1", "0", "0", "1", "0.5", "未列入重点名单"} // inspected, not on 附件1
		if !slices.Equal(rows[1], wantSecond) {
			t.Errorf("row 2 %q, want %q", rows[1], wantSecond)
		}
		total := cells(r.Doc.Selection, "#form-total td")
		wantTotal := []string{"合计", "", "", "2", "5", "2", "2", "1", "1", "2", "1.7345", ""}
		if !slices.Equal(total, wantTotal) {
			t.Errorf("合计 %q, want %q", total, wantTotal)
		}
		// The notice's notes, then the period's days (the first report counts
		// from the campaign's start, 25 March, to its cut-off, 11 May).
		if got := cells(r.Doc.Selection, "#form-notes p"); !slices.Equal(got, append(forms.Notes2[:2:2], "统计期间：2020年3月25日至5月11日。")) {
			t.Errorf("notes %q", got)
		}
		if r.Doc.Find(`#print-button`).Length() != 1 || r.Doc.Find(`script[src^="/static/print.js?v="]`).Length() != 1 ||
			r.Doc.Find(`link[href^="/static/print.css?v="]`).Length() != 1 || r.Doc.Find("script:not([src])").Length() != 0 {
			t.Error("no 打印 button, print script or print stylesheet, or an inline script")
		}
		css := c.get("/static/print.css")
		for _, want := range []string{"size: A4 landscape", "@media print", "thead { display: table-header-group; }", ".print-actions"} {
			if css.Status != http.StatusOK || !strings.Contains(css.Body, want) {
				t.Errorf("print.css (%d) lacks %q", css.Status, want)
			}
		}
		if js := c.get("/static/print.js"); js.Status != http.StatusOK || !strings.Contains(js.Body, "window.print()") {
			t.Errorf("print.js: %d", js.Status)
		}

		// 附件1 and 附件3 render with their columns and rows.
		r1 := c.get("/forms/print?form=1&period=2020&region=210300&sector=noncoal")
		if got := cells(r1.Doc.Selection, "#form-table thead th"); r1.Status != http.StatusOK || !slices.Equal(got, forms.Columns1) {
			t.Fatalf("附件1: %d %q", r1.Status, got)
		}
		if text(r1, "#form-title") != forms.Title1 || r1.Doc.Find("#form-total").Length() != 0 {
			t.Errorf("附件1 title %q or a 合计 row", text(r1, "#form-title"))
		}
		if got := cells(r1.Doc.Selection, "#form-table tbody tr.form-row td"); !slices.Equal(got, []string{"1", f.own.Name, f.own.Address, "钢铁", "正常生产"}) {
			t.Errorf("附件1 rows %q", got)
		}
		if got := cells(r1.Doc.Selection, "#form-notes p"); !slices.Equal(got, forms.Notes1) {
			t.Errorf("附件1 notes %q", got)
		}
		r3 := c.get("/forms/print?form=3&period=2020-05&region=210300&sector=noncoal")
		if got := cells(r3.Doc.Selection, "#form-table thead th"); r3.Status != http.StatusOK || !slices.Equal(got, forms.Columns3) {
			t.Fatalf("附件3: %d %q", r3.Status, got)
		}
		row3 := cells(r3.Doc.Selection, "#form-table tbody tr.form-row td")
		if text(r3, "#form-title") != forms.Title3Of("5月") || len(row3) != len(forms.Columns3) || row3[0] != "1" || row3[1] != "鞍山市铁东区" ||
			row3[2] != f.own.Name || row3[7] != "黄牌" || row3[9] != "否" {
			t.Errorf("附件3 title %q, row %q", text(r3, "#form-title"), row3)
		}

		// Another city's region is not found, as for the download; a bad
		// form number is refused.
		if r := c.get("/forms/print?form=2&period=2020&region=210900"); r.Status != http.StatusNotFound || strings.Contains(r.Body, f.other.Name) {
			t.Errorf("another city's form: %d", r.Status)
		}
		if r := c.get("/forms/print?form=9"); r.Status != http.StatusBadRequest {
			t.Errorf("form 9: %d", r.Status)
		}

		exports, _, _ := db.FindAudit(admin, taotai.AuditFilter{Action: taotai.AuditExport})
		var printed []string
		for _, e := range exports {
			if strings.HasPrefix(e.Note, "打印") {
				printed = append(printed, e.Note)
			}
		}
		if len(printed) != 3 || !slices.Contains(printed, "打印：附件2，鞍山市，非煤，2020-05，2行") {
			t.Errorf("prints recorded: %q", printed)
		}
	})
}
