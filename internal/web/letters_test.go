package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"taotai"
	"taotai/internal/demo"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// pageTable is an attachment table as the page shows it: per row, its
// kind and its cells' texts.
type pageTable struct {
	title string
	rows  [][]string // a group row: one cell
	kinds []string
}

// pageTables reads the attachment tables of a page, in order.
func pageTables(r *response) []pageTable {
	var out []pageTable
	r.Doc.Find("section.attachment").Each(func(_ int, s *goquery.Selection) {
		t := pageTable{title: strings.TrimSpace(s.Find(".form-title").Text())}
		s.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
			var cells []string
			tr.Find("th, td").Each(func(_ int, c *goquery.Selection) { cells = append(cells, strings.TrimSpace(c.Text())) })
			kind, _ := tr.Attr("class")
			t.rows = append(t.rows, cells)
			t.kinds = append(t.kinds, strings.TrimPrefix(kind, "row-"))
		})
		out = append(out, t)
	})
	return out
}

// sameAsWorkbook checks that the workbook holds the page's tables, sheet
// after sheet from the first table's: the title, then each row's cells
// (texts as written, numbers as the cells show them).
func sameAsWorkbook(t *testing.T, body string, tables []pageTable, firstSheet int) {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("the .xlsx does not open: %v", err)
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) != firstSheet+len(tables) {
		t.Fatalf("sheets %v for %d tables", sheets, len(tables))
	}
	cells := 0
	for i, pt := range tables {
		name := sheets[firstSheet+i]
		raw, _ := x.GetRows(name, excelize.Options{RawCellValue: true})
		shown, _ := x.GetRows(name)
		head := 0
		for head < len(raw) && (len(raw[head]) == 0 || raw[head][0] != pt.title) {
			head++
		}
		if head == len(raw) {
			t.Fatalf("sheet %s has no title %q", name, pt.title)
		}
		head += 2 // the title, the column header
		for j, row := range pt.rows {
			if head+j >= len(raw) {
				t.Fatalf("sheet %s ends before the page's row %d", name, j+1)
			}
			got, view := raw[head+j], shown[head+j]
			for k, want := range row {
				g, v := "", ""
				if k < len(got) {
					g, v = forms.ReadText(got[k]), strings.TrimSpace(view[k])
				}
				if g != want && v != want {
					t.Errorf("sheet %s row %d column %d: %q (shown %q), the page says %q", name, head+j+1, k+1, g, v, want)
				}
				cells++
			}
		}
	}
	t.Logf("%d cells of the page found in the workbook", cells)
}

// letterWorld is the demo's year on 28 November 2020 with the province's
// users and a city's.
func letterWorld(t *testing.T, db *store.DB) *httpWorld {
	t.Helper()
	db.Clock().(*taotai.FixedClock).T = time.Date(2020, 11, 28, 10, 0, 0, 0, taotai.Shanghai)
	if _, err := demo.Load(context.Background(), db, demo.Options{Scale: 1, Seed: 2020, Reporting: true}); err != nil {
		t.Fatal(err)
	}
	addUser(t, db, "l_admin", taotai.RoleAdmin, taotai.ProvinceCode, "")
	addUser(t, db, "l_noncoal", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
	addUser(t, db, "l_coal", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorCoal)
	addUser(t, db, "l_city", taotai.RoleCityApprover, "210300", taotai.SectorNonCoal)
	addUser(t, db, "l_fuxin_coal", taotai.RoleCityClerk, "210900", taotai.SectorCoal)
	ts := newServer(t, db)
	w := &httpWorld{db: db, clients: map[string]*client{}}
	for _, name := range []string{"l_admin", "l_noncoal", "l_coal", "l_city", "l_fuxin_coal"} {
		c := newClient(t, ts)
		c.login(name)
		w.clients[name] = c
	}
	return w
}

type httpWorld struct {
	db      *store.DB
	clients map[string]*client
}

func (w *httpWorld) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := w.db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestLettersAndSummary: the demo's year, once per database.
func TestLettersAndSummary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := letterWorld(t, db)
		t.Run("yellow list letter", func(t *testing.T) { checkYellowLetter(t, w) })
		t.Run("summary letter", func(t *testing.T) { checkSummaryLetter(t, w) })
		t.Run("summary page", func(t *testing.T) { checkSummaryPage(t, w) })
		t.Run("summary files", func(t *testing.T) { checkSummaryFiles(t, w) })
	})
}

// checkYellowLetter: the province's letter of the first yellow list —
// linked from the grid, its list that of the store, the .xlsx the same as
// the page; the 文号 typed, refused when empty or with too long a
// paragraph (nothing kept), kept and audited when right; a city gets 404,
// the coal reviewer sees only the coal part and may not write it.
func checkYellowLetter(t *testing.T, w *httpWorld) {
	admin := w.clients["l_admin"]
	grid := admin.get("/reports")
	const page = "/reports/letters/2020/yellow-list"
	if href, _ := grid.Doc.Find("#letter-yellow-link").Attr("href"); href != page {
		t.Fatalf("the grid links the letter to %q", href)
	}
	r := admin.get(page)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", page, r.Status, text(r, "#error-message"))
	}
	if got := text(r, "#letter .tl-title"); got != "辽宁省应急管理厅关于报送2020年全省首批安全生产“黄牌”企业名单的函" {
		t.Errorf("title %q", got)
	}
	if got := text(r, "#letter .tl-plain"); !strings.HasPrefix(got, "省淘汰落后产能工作协调小组办公室：") {
		t.Errorf("addressee %q", got)
	}
	if text(r, "#letter .tl-number") != "（文号待填）" || !strings.Contains(text(r, "#letter-actions"), "尚未填写文号") {
		t.Errorf("no 文号 yet: %q", text(r, "#letter .tl-number"))
	}
	list, err := w.db.YellowList(storetest.ActorContext(w.db, taotai.RoleAdmin, taotai.ProvinceCode, ""), 2020)
	if err != nil {
		t.Fatal(err)
	}
	tables := pageTables(r)
	if len(tables) != 1 {
		t.Fatalf("%d tables", len(tables))
	}
	data := 0
	for i, k := range tables[0].kinds {
		if k == forms.RowData && tables[0].rows[i][0] != forms.NoneLabel {
			data++
		}
	}
	if data != list.Count() || list.Count() == 0 || !strings.Contains(text(r, "#letter"), "共"+strconv.Itoa(list.Count())+"家") {
		t.Errorf("%d rows on the page, the store's list %d; body %q", data, list.Count(), text(r, "#letter"))
	}
	x := admin.get(page + "/download")
	if x.Status != http.StatusOK || !strings.Contains(x.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Fatalf("download: %d %v", x.Status, x.Header)
	}
	sameAsWorkbook(t, x.Body, tables, 1)

	// The form: an empty 文号, too long a paragraph — nothing kept.
	tok := admin.csrf(page)
	letters, audit := w.count(t, "province_letters"), w.count(t, "audit_log")
	for _, c := range []struct {
		form  url.Values
		field string
		msg   string
	}{
		{url.Values{"doc_number": {"  "}}, "doc_number", "文号不能为空"},
		{url.Values{"doc_number": {"辽应急函15号"}}, "doc_number", "机关代字〔年份〕序号号"},
		{url.Values{"doc_number": {"辽应急函〔2020〕15号"}, "extra": {strings.Repeat("长", taotai.MaxLetterExtraLen+1)}}, "extra", "不能超过3000个字"},
		{url.Values{"doc_number": {"辽应急函〔2020〕15号"}, "dated": {"2020-13-40"}}, "dated", "成文日期"},
	} {
		c.form.Set("csrf_token", tok)
		r := admin.post(page, c.form)
		if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#"+c.field+"-error"), c.msg) ||
			!strings.Contains(text(r, "#error-summary"), c.msg) {
			t.Errorf("%v: %d, beside the field %q, summary %q", c.form, r.Status, text(r, "#"+c.field+"-error"), text(r, "#error-summary"))
		}
		if v, _ := r.Doc.Find("#doc_number").Attr("value"); v != strings.TrimSpace(c.form.Get("doc_number")) {
			t.Errorf("what was typed is lost: %q", v)
		}
	}
	if w.count(t, "province_letters") != letters || w.count(t, "audit_log") != audit {
		t.Fatal("a refused form changed something")
	}
	// A city: 404 for the page, the download and the form; nothing kept.
	city := w.clients["l_city"]
	for _, path := range []string{page, page + "/download", "/reports/letters/2020/summary"} {
		if r := city.get(path); r.Status != http.StatusNotFound {
			t.Errorf("a city GET %s: %d", path, r.Status)
		}
	}
	if r := city.post(page, url.Values{"csrf_token": {city.csrf("/reports")}, "doc_number": {"鞍应急函〔2020〕1号"}}); r.Status != http.StatusNotFound ||
		w.count(t, "province_letters") != letters {
		t.Errorf("a city POST: %d", r.Status)
	}
	if city.get("/reports").Doc.Find("#letter-yellow-link").Length() != 0 {
		t.Error("the grid links a city to the province's letter")
	}
	// Kept and audited.
	r = admin.post(page, url.Values{"csrf_token": {tok}, "doc_number": {"辽应急函[2020]15号"}, "dated": {"2020-05-15"},
		"extra": {"请予审阅。\r\n名单如有变化另行函告。"}, "contact": {"王新，024-86907739"}})
	if r.Status != http.StatusSeeOther || r.Location != page {
		t.Fatalf("save: %d %s %s", r.Status, r.Location, text(r, "#error-summary"))
	}
	r = admin.get(page)
	if text(r, "#letter .tl-number") != "辽应急函〔2020〕15号" || !strings.Contains(text(r, "#letter"), "名单如有变化另行函告。") ||
		!strings.Contains(text(r, "#letter"), "（联系人及电话：王新，024-86907739）") || !strings.Contains(text(r, "#letter"), "2020年5月15日") {
		t.Errorf("the kept letter: %q", text(r, "#letter"))
	}
	if w.count(t, "audit_log") != audit+1 {
		t.Errorf("%d audit entries, want the save's", w.count(t, "audit_log")-audit)
	}
	var entity, action, after string
	if err := w.db.SQL().QueryRow(`SELECT entity, action, after FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&entity, &action, &after); err != nil ||
		entity != "province_letter" || action != taotai.AuditCreate || !strings.Contains(after, "辽应急函〔2020〕15号") {
		t.Errorf("the save's audit entry: %s %s %s %v", entity, action, after, err)
	}
	if admin.get(page + "/download"); w.count(t, "audit_log") != audit+2 {
		t.Error("the download is not audited")
	}
	// The coal reviewer: the coal part only, marked; may not write it.
	coal := w.clients["l_coal"]
	r = coal.get(page)
	ct := pageTables(r)
	if r.Status != http.StatusOK || len(ct) != 1 || len(ct[0].rows) == 0 || !strings.Contains(ct[0].rows[0][0], "煤矿企业") ||
		!strings.Contains(text(r, "#letter .tl-warning"), "本页只含煤矿部分") {
		t.Fatalf("the coal reviewer's letter: %d %q", r.Status, text(r, "#letter .tl-warning"))
	}
	for _, row := range ct[0].rows {
		if strings.Contains(row[0], "非煤") {
			t.Errorf("a non-coal row for the coal reviewer: %q", row)
		}
	}
	if r.Doc.Find("#letter-form form").Length() != 0 || text(r, "#letter-readonly") == "" {
		t.Error("the coal reviewer is offered the form")
	}
	if r := coal.post(page, url.Values{"csrf_token": {coal.csrf(page)}, "doc_number": {"辽煤安函〔2020〕1号"}}); r.Status != http.StatusForbidden ||
		!strings.Contains(text(r, "#error-message"), "以省应急管理厅名义发出") {
		t.Errorf("the coal reviewer writes the letter: %d %q", r.Status, text(r, "#error-message"))
	}
}

// checkSummaryLetter: the letter of the annual summary gives the year's
// total as the store counts it, its attachments are the province's
// summary and the tables, the same in the .xlsx.
func checkSummaryLetter(t *testing.T, w *httpWorld) {
	admin := w.clients["l_admin"]
	const page = "/reports/letters/2020/summary"
	r := admin.get(page)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", page, r.Status, text(r, "#error-message"))
	}
	sum, err := w.db.AnnualSummary(storetest.ActorContext(w.db, taotai.RoleAdmin, taotai.ProvinceCode, ""), 2020)
	if err != nil {
		t.Fatal(err)
	}
	body := text(r, "#letter")
	if !strings.Contains(body, "全年共检查企业"+strconv.Itoa(sum.Total.Inspections)+"家次") ||
		!strings.Contains(body, "罚款"+sum.Total.Fines.Wan()+"万元") || !strings.Contains(body, "附件：1.辽宁省应急管理厅2020年加强执法检查依法依规推动落后产能退出工作总结") {
		t.Errorf("the letter's body: %q", body)
	}
	if !strings.Contains(text(r, "#letter-actions"), "尚未填写非煤的省级工作总结") {
		t.Errorf("no warning of the missing province summary: %q", text(r, "#letter-actions"))
	}
	tables := pageTables(r)
	if len(tables) != 3 {
		t.Fatalf("%d tables", len(tables))
	}
	x := admin.get(page + "/download")
	if x.Status != http.StatusOK {
		t.Fatalf("download: %d", x.Status)
	}
	sameAsWorkbook(t, x.Body, tables, 2) // the 函, the province's summary, then the tables
}

// checkSummaryPage: the summary's figures on the page are the store's
// (which the store's tests recount), the .xlsx holds the page's; a city
// sees its own unit's row, the coal reviewer the coal channel's; the
// province's own summary is written by the channel's reviewer, refused
// when empty or from a city, nothing kept then.
func checkSummaryPage(t *testing.T, w *httpWorld) {
	admin := w.clients["l_admin"]
	const page = "/reports/summary/2020"
	if href, _ := admin.get("/reports").Doc.Find("#summary-link").Attr("href"); href != page {
		t.Fatalf("the grid links the summary to %q", href)
	}
	r := admin.get(page)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", page, r.Status, text(r, "#error-message"))
	}
	sum, err := w.db.AnnualSummary(storetest.ActorContext(w.db, taotai.RoleAdmin, taotai.ProvinceCode, ""), 2020)
	if err != nil {
		t.Fatal(err)
	}
	tables := pageTables(r)
	if len(tables) != 3 {
		t.Fatalf("%d tables", len(tables))
	}
	// The page's unit rows against the store: name, channel, source, figures.
	var units [][]string
	for i, k := range tables[0].kinds {
		if k == forms.RowData {
			units = append(units, tables[0].rows[i])
		}
	}
	if len(units) != len(sum.Units) || len(units) != 22 {
		t.Fatalf("%d unit rows on the page, %d in the store", len(units), len(sum.Units))
	}
	var ordered []taotai.UnitFigures // as the page groups them: by channel
	for _, sector := range sum.Sectors {
		for _, u := range sum.Units {
			if u.Sector == sector {
				ordered = append(ordered, u)
			}
		}
	}
	for i, u := range ordered {
		row := units[i]
		want := append([]string{u.Unit.Name, taotai.SectorName(u.Sector)}, forms.TableRow{Cells: figureCellsOf(u.Figures)}.Texts()...)
		got := append([]string{row[0], row[1]}, row[3:]...)
		if strings.Join(got, "|") != strings.Join(want, "|") || !strings.HasPrefix(row[2], u.SourceShort()) {
			t.Errorf("row %d:\n got %q\nwant %q (%s)", i+1, row, want, u.SourceShort())
		}
	}
	x := admin.get(page + "/download")
	if x.Status != http.StatusOK {
		t.Fatalf("download: %d", x.Status)
	}
	sameAsWorkbook(t, x.Body, tables, 1)

	// Lanes.
	city := w.clients["l_city"]
	r = city.get(page)
	ct := pageTables(r)
	if r.Status != http.StatusOK || len(ct) != 3 {
		t.Fatalf("the city's summary: %d, %d tables", r.Status, len(ct))
	}
	var names []string
	for i, k := range ct[0].kinds {
		if k == forms.RowData {
			names = append(names, ct[0].rows[i][0]+"/"+ct[0].rows[i][1])
		}
	}
	if strings.Join(names, ",") != "鞍山市/非煤" || r.Doc.Find("#province-summaries").Length() != 0 || r.Doc.Find("#summary-letter").Length() != 0 {
		t.Errorf("the city sees %v, province part %d", names, r.Doc.Find("#province-summaries").Length())
	}
	if r.Doc.Find(".unit-summary").Length() != 1 || r.Doc.Find("#unit-summary-210300-noncoal").Length() != 1 {
		t.Errorf("the city sees %d work summaries", r.Doc.Find(".unit-summary").Length())
	}
	coal := w.clients["l_coal"]
	r = coal.get(page)
	names = nil
	for i, k := range pageTables(r)[0].kinds {
		if k == forms.RowData {
			names = append(names, pageTables(r)[0].rows[i][1])
		}
	}
	if len(names) != 7 || strings.Contains(strings.Join(names, ""), "非煤") || r.Doc.Find("#province-noncoal").Length() != 0 ||
		r.Doc.Find("#province-coal form").Length() != 1 {
		t.Errorf("the coal reviewer sees %v", names)
	}

	// The province's own summary.
	tok := admin.csrf(page)
	kept, audit := w.count(t, "province_summaries"), w.count(t, "audit_log")
	r = admin.post(page+"/province", url.Values{"csrf_token": {tok}, "sector": {"noncoal"}, "text": {" \r\n "}})
	if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#province-text-noncoal-error"), "省级工作总结不能为空") ||
		!strings.Contains(text(r, "#error-summary"), "省级工作总结不能为空") {
		t.Errorf("an empty summary: %d %q", r.Status, text(r, "#error-summary"))
	}
	long := strings.Repeat("长", taotai.MaxProvinceSummaryLen+1)
	if r := admin.post(page+"/province", url.Values{"csrf_token": {tok}, "sector": {"coal"}, "text": {long}}); r.Status != http.StatusBadRequest ||
		!strings.Contains(text(r, "#province-text-coal-error"), "不能超过20000个字") {
		t.Errorf("too long a summary: %d %q", r.Status, text(r, "#error-summary"))
	}
	cityTok := city.csrf(page)
	if r := city.post(page+"/province", url.Values{"csrf_token": {cityTok}, "sector": {"noncoal"}, "text": {"市里写的"}}); r.Status != http.StatusNotFound {
		t.Errorf("a city writes the province's summary: %d", r.Status)
	}
	if r := coal.post(page+"/province", url.Values{"csrf_token": {coal.csrf(page)}, "sector": {"noncoal"}, "text": {"煤矿写非煤"}}); r.Status != http.StatusNotFound {
		t.Errorf("the coal reviewer writes non-coal's: %d", r.Status)
	}
	if w.count(t, "province_summaries") != kept || w.count(t, "audit_log") != audit {
		t.Fatal("a refused summary changed something")
	}
	r = w.clients["l_noncoal"].post(page+"/province", url.Values{"csrf_token": {w.clients["l_noncoal"].csrf(page)}, "sector": {"noncoal"},
		"text": {"全省非煤行业全年工作总结。\r\n第二段。"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %q", r.Status, text(r, "#error-summary"))
	}
	r = admin.get(page)
	if got := text(r, "#province-noncoal .tl-body"); got != "全省非煤行业全年工作总结。第二段。" || w.count(t, "audit_log") != audit+1 {
		t.Errorf("the kept summary: %q", got)
	}
	if r := admin.get("/reports/letters/2020/summary"); !strings.Contains(text(r, "#attachment-text-1"), "全省非煤行业全年工作总结。") {
		t.Errorf("the letter's 附件1 lacks the province's summary: %q", text(r, "#attachment-text-1"))
	}
}

// figureCellsOf are a row's figures as forms lays them out.
func figureCellsOf(f taotai.YearFigures) []any {
	var coverage any = "—"
	if f.Listed > 0 {
		coverage = forms.Permille(f.CoveragePermille())
	}
	return []any{f.Inspections, f.Hazards, f.MajorHazards, f.Rectified, f.Orders, f.Penalties, f.Fines, f.Yellow, f.Red,
		f.Closed, f.Listed, f.Covered, coverage}
}

// checkSummaryFiles: a unit's work summary sent with a file: the summary
// page links it, the province downloads the bytes sent, another city gets
// 404.
func checkSummaryFiles(t *testing.T, w *httpWorld) {
	// 葫芦岛's annual report was returned (demo): its clerk sends it
	// again with a file.
	ctx := storetest.ActorContext(w.db, taotai.RoleCityClerk, "211400", taotai.SectorNonCoal)
	data := []byte("%PDF-1.4\n葫芦岛市2020年工作总结正文（附件文件）")
	sub, err := w.db.PrepareReport(ctx, &taotai.ReportPreparation{PeriodKey: "2020", RegionCode: "211400", Sector: taotai.SectorNonCoal,
		Person: "李华", Phone: "0429-2123456", Summary: "葫芦岛市全年工作总结。", Files: []taotai.SubmittedFile{{Name: "葫芦岛工作总结.pdf", Data: data}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.db.SubmitReport(storetest.ActorContext(w.db, taotai.RoleCityApprover, "211400", taotai.SectorNonCoal), sub.ID); err != nil {
		t.Fatal(err)
	}
	admin := w.clients["l_admin"]
	r := admin.get("/reports/summary/2020")
	link, ok := r.Doc.Find("#unit-summary-211400-noncoal a.summary-file").Attr("href")
	if !ok || !strings.Contains(text(r, "#unit-summary-211400-noncoal"), "葫芦岛市全年工作总结。") {
		t.Fatalf("no file link for 葫芦岛: %q", text(r, "#unit-summary-211400-noncoal"))
	}
	f := admin.get(link)
	if f.Status != http.StatusOK || f.Body != string(data) || !strings.Contains(f.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("the file: %d %q %v", f.Status, f.Body, f.Header)
	}
	if r := w.clients["l_city"].get(link); r.Status != http.StatusNotFound {
		t.Errorf("another city downloads 葫芦岛's file: %d", r.Status)
	}
	if r := w.clients["l_coal"].get(link); r.Status != http.StatusNotFound {
		t.Errorf("the coal reviewer downloads a non-coal file: %d", r.Status)
	}
	if r := admin.get(strings.Replace(link, "/files/1", "/files/2", 1)); r.Status != http.StatusNotFound {
		t.Errorf("a file the version has not: %d", r.Status)
	}
}
