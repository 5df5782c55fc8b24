package forms_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"taotai"
	"taotai/internal/benchtest"
	"taotai/internal/forms"
)

var header = forms.Header{
	Unit:   "沈阳市应急管理局",
	Person: "张三",
	Phone:  "024-12345678",
	Date:   "2020年5月11日",
	Period: "5月",
}

// open reads a written workbook back.
func open(t *testing.T, buf *bytes.Buffer) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("the written file does not open: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// cell is the value of a cell as shown (with its number format applied).
func cell(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, ref, err)
	}
	return v
}

// rawCell is the value a cell holds, without its number format.
func rawCell(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, ref, err)
	}
	return v
}

func ref(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// wantNumber checks that a cell holds a number (not text) equal to want.
func wantNumber(t *testing.T, f *excelize.File, sheet, at, want string) {
	t.Helper()
	typ, err := f.GetCellType(sheet, at)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s!%s: cell type %v, want a number", sheet, at, typ)
	}
	if got := rawCell(t, f, sheet, at); got != want {
		t.Errorf("%s!%s holds %q, want %q", sheet, at, got, want)
	}
	if got := cell(t, f, sheet, at); got != want {
		t.Errorf("%s!%s shows %q, want %q", sheet, at, got, want)
	}
}

// wantMoney checks that a cell holds a number of 万元 equal to want,
// shown with the amounts' one number format.
func wantMoney(t *testing.T, f *excelize.File, sheet, at, want string) {
	t.Helper()
	typ, err := f.GetCellType(sheet, at)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s!%s: cell type %v, want a number", sheet, at, typ)
	}
	if got := rawCell(t, f, sheet, at); got != want {
		t.Errorf("%s!%s holds %q, want %q", sheet, at, got, want)
	}
	s := style(t, f, sheet, at)
	if s.CustomNumFmt == nil || *s.CustomNumFmt != "0.0???" || s.Alignment == nil || s.Alignment.Horizontal != "right" {
		t.Errorf("%s!%s: number format %v, alignment %+v; want 0.0??? (up to 4 decimals, the points aligned), right",
			sheet, at, s.CustomNumFmt, s.Alignment)
	}
}

// wantText checks that a cell holds text equal to want.
func wantText(t *testing.T, f *excelize.File, sheet, at, want string) {
	t.Helper()
	if got := cell(t, f, sheet, at); got != want {
		t.Errorf("%s!%s = %q, want %q", sheet, at, got, want)
	}
	if want == "" {
		return
	}
	typ, err := f.GetCellType(sheet, at)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("%s!%s: cell type %v, want text", sheet, at, typ)
	}
}

// wantTop checks rows 1–4 and the sheet: the mark, the title, the header
// line, the column header, the merges of rows 2–3, the page setup and the
// print titles.
func wantTop(t *testing.T, file []byte, f *excelize.File, mark, title string, columns []string) {
	t.Helper()
	if got := f.GetSheetList(); !slices.Equal(got, []string{mark}) {
		t.Fatalf("sheets %q, want [%s]", got, mark)
	}
	sheet := mark
	wantText(t, f, sheet, "A1", mark)
	wantText(t, f, sheet, "A2", title)
	wantText(t, f, sheet, "A3", header.HeaderLine())
	// The column header is the official column names, broken into lines
	// where a reader expects: the reader drops the line breaks.
	for i, c := range columns {
		got := cell(t, f, sheet, ref(i+1, 4))
		if strings.ReplaceAll(got, "\n", "") != c {
			t.Errorf("%s!%s = %q, want %q with line breaks", sheet, ref(i+1, 4), got, c)
		}
		wantText(t, f, sheet, ref(i+1, 4), got)
	}
	if got := cell(t, f, sheet, ref(len(columns)+1, 4)); got != "" {
		t.Errorf("a column after the last: %q", got)
	}
	last, _ := excelize.ColumnNumberToName(len(columns))
	merges := mergeRanges(t, f, sheet)
	for _, want := range []string{"A2:" + last + "2", "A3:" + last + "3"} {
		if !slices.Contains(merges, want) {
			t.Errorf("merged ranges %q lack %s", merges, want)
		}
	}

	// The mark, the title and the column header are bold; the column header
	// is bordered, wrapped and centred.
	for _, at := range []string{"A1", "A2", "A4", ref(len(columns), 4)} {
		s := style(t, f, sheet, at)
		if s.Font == nil || !s.Font.Bold {
			t.Errorf("%s is not bold", at)
		}
	}
	if s := style(t, f, sheet, "A2"); s.Font.Size <= style(t, f, sheet, "A4").Font.Size ||
		s.Alignment == nil || s.Alignment.Horizontal != "center" {
		t.Errorf("the title is not larger than the table and centred: %+v %+v", s.Font, s.Alignment)
	}
	for i := range columns {
		s := style(t, f, sheet, ref(i+1, 4))
		if len(s.Border) != 4 || s.Alignment == nil || !s.Alignment.WrapText || s.Alignment.Horizontal != "center" {
			t.Errorf("header %s: border %v alignment %+v", ref(i+1, 4), s.Border, s.Alignment)
		}
	}
	if h4, _ := f.GetRowHeight(sheet, 4); h4 <= 20 {
		t.Errorf("header row height %v, want it larger", h4)
	}
	// The columns fit A4 landscape's printable width at 100% as Excel
	// measures them (a unit is 7 pixels of Calibri 11, 5.25 points;
	// 841.9 points less two margins of 0.4 inch): the forms print at
	// their size, not shrunk to fit (TestPDFLegible measures the print).
	var width float64
	for i := range columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		w, _ := f.GetColWidth(sheet, col)
		if w < 5 {
			t.Errorf("column %s width %v", col, w)
		}
		width += w
	}
	if width*5.25 > 841.9-2*0.4*72 {
		t.Errorf("the columns are %v units wide, %.0f points: wider than A4 landscape", width, width*5.25)
	}
	if m, _ := f.GetPageMargins(sheet); m.Left == nil || *m.Left != 0.4 || m.Right == nil || *m.Right != 0.4 {
		t.Errorf("page margins %+v, want 0.4 inch left and right", m)
	}
	name, _ := excelize.ColumnNumberToName(slices.Index(columns, "企业名称") + 1)
	if w, _ := f.GetColWidth(sheet, name); w < 17 {
		t.Errorf("column %s (企业名称) width %v, too narrow", name, w)
	}

	// <cols> in ascending order: Excel offers to repair a file with them
	// out of order.
	if cols := colMins(t, file); !slices.IsSorted(cols) || len(cols) != len(columns) {
		t.Errorf("<col> elements %v, want 1…%d in order", cols, len(columns))
	}

	layout, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if *layout.Size != 9 || *layout.Orientation != "landscape" {
		t.Errorf("page size %d orientation %s, want 9 (A4) landscape", *layout.Size, *layout.Orientation)
	}
	if layout.FitToWidth == nil || *layout.FitToWidth != 1 || layout.FitToHeight == nil || *layout.FitToHeight != 0 {
		t.Errorf("fit to %v wide %v tall, want 1 page wide", layout.FitToWidth, layout.FitToHeight)
	}
	props, err := f.GetSheetProps(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if props.FitToPage == nil || !*props.FitToPage {
		t.Error("fit to page is off: Excel would ignore the fit-to-width")
	}
	var titles []excelize.DefinedName
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" {
			titles = append(titles, d)
		}
	}
	if len(titles) != 1 || titles[0].RefersTo != "'"+mark+"'!$1:$4" || titles[0].Scope != sheet {
		t.Errorf("print titles %+v, want '%s'!$1:$4 scoped to the sheet", titles, mark)
	}
}

// colMins are the min attributes of the written sheet's <col> elements,
// in the order the file has them.
func colMins(t *testing.T, file []byte) []int {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := z.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var ws struct {
		Cols []struct {
			Min int `xml:"min,attr"`
		} `xml:"cols>col"`
	}
	if err := xml.NewDecoder(r).Decode(&ws); err != nil {
		t.Fatal(err)
	}
	var mins []int
	for _, c := range ws.Cols {
		mins = append(mins, c.Min)
	}
	return mins
}

func style(t *testing.T, f *excelize.File, sheet, at string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, at)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mergeRanges(t *testing.T, f *excelize.File, sheet string) []string {
	t.Helper()
	mc, err := f.GetMergeCells(sheet, true)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range mc {
		out = append(out, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	return out
}

// wantNotes checks the notes start at row and are merged across the table.
func wantNotes(t *testing.T, f *excelize.File, sheet string, row, ncols int, notes []string) {
	t.Helper()
	last, _ := excelize.ColumnNumberToName(ncols)
	merges := mergeRanges(t, f, sheet)
	for i, n := range notes {
		r := strconv.Itoa(row + i)
		wantText(t, f, sheet, "A"+r, n)
		if !slices.Contains(merges, "A"+r+":"+last+r) {
			t.Errorf("note %d is not merged across A%s:%s%s: %q", i+1, r, last, r, merges)
		}
		if s := style(t, f, sheet, "A"+r); s.Alignment == nil || s.Alignment.Horizontal != "left" || !s.Alignment.WrapText {
			t.Errorf("note %d alignment %+v, want left and wrapped", i+1, s.Alignment)
		}
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != row+len(notes)-1 {
		t.Errorf("%d rows, want %d: something after the notes", len(rows), row+len(notes)-1)
	}
}

func TestWrite1(t *testing.T) {
	rows := []forms.Row1{
		{Name: "鞍山钢铁集团有限公司", Address: "辽宁省鞍山市铁西区环钢路1号", Industry: "钢铁", Note: "正常生产", CreditCode: "91210300241420514J"},
		{Name: "=HYPERLINK(\"x\")", Address: "辽宁省本溪市", Industry: "水泥", Note: "停产", CreditCode: "912105000000000001"},
		{Name: "营口某玻璃有限公司", Address: "", Industry: "平板玻璃", Note: "局部生产"},
	}
	for _, withCode := range []bool{false, true} {
		t.Run(fmt.Sprint("withCreditCode=", withCode), func(t *testing.T) {
			var buf bytes.Buffer
			if err := forms.Write1(&buf, header, rows, withCode); err != nil {
				t.Fatal(err)
			}
			f := open(t, &buf)
			cols := forms.Columns1
			if withCode {
				cols = []string{"序号", "企业名称", "统一社会信用代码", "所在地址", "所属行业", "备注"}
			}
			wantTop(t, buf.Bytes(), f, "附件1", forms.Title1, cols)
			for i, r := range rows {
				row := 5 + i
				want := []string{r.Name, r.Address, r.Industry, r.Note}
				if withCode {
					want = []string{r.Name, r.CreditCode, r.Address, r.Industry, r.Note}
				}
				wantNumber(t, f, "附件1", ref(1, row), strconv.Itoa(i+1))
				for j, w := range want {
					// A text that looks like a formula is written with a ' in
					// front, as in the CSV.
					wantText(t, f, "附件1", ref(j+2, row), forms.SafeText(w))
				}
				for j := range cols {
					if s := style(t, f, "附件1", ref(j+1, row)); len(s.Border) != 4 {
						t.Errorf("%s has no border", ref(j+1, row))
					}
				}
			}
			wantNotes(t, f, "附件1", 5+len(rows), len(cols), forms.Notes1)
		})
	}
}

func TestWrite2(t *testing.T) {
	rows := []forms.Row2{
		{Name: "鞍山钢铁集团有限公司", Address: "辽宁省鞍山市铁西区环钢路1号", Inspections: 2, InspectorTimes: 6, ExpertTimes: 1,
			Hazards: 5, MajorHazards: 1, Orders: 2, Penalties: 1, Fines: 1000, Note: "煤气柜区域未设置报警装置，责令2020年6月30日前整改"},
		{Name: "本溪水泥有限公司", Address: "辽宁省本溪市", Inspections: 1, InspectorTimes: 3, Hazards: 2, Orders: 1, Penalties: 1, Fines: 1000},
		{Name: "营口某玻璃有限公司", Address: "辽宁省营口市", Inspections: 1, InspectorTimes: 2, ExpertTimes: 2, Fines: 1000},
	}
	var buf bytes.Buffer
	if err := forms.Write2(&buf, header, rows); err != nil {
		t.Fatal(err)
	}
	f := open(t, &buf)
	const sheet = "附件2"
	wantTop(t, buf.Bytes(), f, sheet, "重点淘汰行业执法检查统计表（5月）", forms.Columns2)
	wantText(t, f, sheet, "E4", "执法检查\n人员数量\n（人次）")
	wantText(t, f, sheet, "K4", "行政罚款总数\n（万元）")

	counts := func(r forms.Row2) []int {
		return []int{r.Inspections, r.InspectorTimes, r.ExpertTimes, r.Hazards, r.MajorHazards, r.Orders, r.Penalties}
	}
	sums := make([]int, 7)
	for i, r := range rows {
		row := 5 + i
		wantNumber(t, f, sheet, ref(1, row), strconv.Itoa(i+1))
		wantText(t, f, sheet, ref(2, row), r.Name)
		wantText(t, f, sheet, ref(3, row), r.Address)
		for j, n := range counts(r) {
			wantNumber(t, f, sheet, ref(4+j, row), strconv.Itoa(n))
			sums[j] += n
		}
		wantMoney(t, f, sheet, ref(11, row), "0.1")
		wantText(t, f, sheet, ref(12, row), r.Note)
	}
	total := 5 + len(rows)
	wantText(t, f, sheet, ref(1, total), "合计")
	for j, n := range sums {
		wantNumber(t, f, sheet, ref(4+j, total), strconv.Itoa(n))
	}
	if !slices.Equal(sums, []int{4, 11, 3, 7, 1, 3, 2}) {
		t.Fatalf("the test's own sums are wrong: %v", sums)
	}
	// Three fines of 0.1万元 make 0.3万元, not 0.30000000000000004.
	wantMoney(t, f, sheet, ref(11, total), "0.3")
	if s := style(t, f, sheet, ref(1, total)); s.Font == nil || !s.Font.Bold || len(s.Border) != 4 {
		t.Errorf("the 合计 row is not bold and bordered")
	}
	wantNotes(t, f, sheet, total+1, len(forms.Columns2), forms.Notes2)
}

// TestWrite2Fines checks that fines keep their 4 decimals (1 yuan is
// 0.0001万元) in the rows and in the total, and integers stay integers.
func TestWrite2Fines(t *testing.T) {
	fines := []taotai.Yuan{12345, 1, 30000, 0, 99999999}
	var rows []forms.Row2
	var sum taotai.Yuan
	for i, y := range fines {
		rows = append(rows, forms.Row2{Name: fmt.Sprint("企业", i), Fines: y})
		sum += y
	}
	var buf bytes.Buffer
	h := header
	h.Period = "年度"
	if err := forms.Write2(&buf, h, rows); err != nil {
		t.Fatal(err)
	}
	f := open(t, &buf)
	wantText(t, f, "附件2", "A2", "重点淘汰行业执法检查统计表（年度）")
	for i, want := range []string{"1.2345", "0.0001", "3", "0", "9999.9999"} {
		wantMoney(t, f, "附件2", ref(11, 5+i), want)
	}
	if sum != 100042345 {
		t.Fatalf("the test's own sum is wrong: %d", sum)
	}
	wantMoney(t, f, "附件2", ref(11, 5+len(rows)), "10004.2345")
}

func TestWrite2Periods(t *testing.T) {
	for period, want := range map[string]string{
		"6月": "重点淘汰行业执法检查统计表（6月）",
		"9":  "重点淘汰行业执法检查统计表（9月）",
		"年度": "重点淘汰行业执法检查统计表（年度）",
		"":   "重点淘汰行业执法检查统计表（  月）",
	} {
		h := header
		h.Period = period
		var buf bytes.Buffer
		if err := forms.Write2(&buf, h, nil); err != nil {
			t.Fatal(err)
		}
		f := open(t, &buf)
		wantText(t, f, "附件2", "A2", want)
		// No rows: one row 无, then the 合计 row of zeros.
		wantNone(t, f, "附件2", 12)
		wantText(t, f, "附件2", "A6", "合计")
		for c := 4; c <= 10; c++ {
			wantNumber(t, f, "附件2", ref(c, 6), "0")
		}
		wantMoney(t, f, "附件2", ref(11, 6), "0")
		wantNotes(t, f, "附件2", 7, 12, forms.Notes2)
		if res, err := forms.Read2(&buf); err != nil || len(res.Rows) != 0 || len(res.Errors) != 0 {
			t.Errorf("read back: %v %+v", err, res)
		}
	}
}

// wantNone checks row 5 is the one row 无 of a form without rows, in the
// 序号 cell, merged across the table and bordered.
func wantNone(t *testing.T, f *excelize.File, sheet string, ncols int) {
	t.Helper()
	wantText(t, f, sheet, "A5", "无")
	last, _ := excelize.ColumnNumberToName(ncols)
	if merges := mergeRanges(t, f, sheet); !slices.Contains(merges, "A5:"+last+"5") {
		t.Errorf("无 is not merged across A5:%s5: %q", last, merges)
	}
	for c := 1; c <= ncols; c++ {
		if s := style(t, f, sheet, ref(c, 5)); len(s.Border) != 4 {
			t.Errorf("%s has no border", ref(c, 5))
		}
	}
}

func TestWrite1None(t *testing.T) {
	for _, withCode := range []bool{false, true} {
		var buf bytes.Buffer
		if err := forms.Write1(&buf, header, nil, withCode); err != nil {
			t.Fatal(err)
		}
		f := open(t, &buf)
		n := len(forms.Columns1)
		if withCode {
			n++
		}
		wantNone(t, f, "附件1", n)
		wantNotes(t, f, "附件1", 6, n, forms.Notes1)
		// The reader does not take 无 for an enterprise.
		if res, err := forms.Read1(&buf); err != nil || len(res.Rows) != 0 || len(res.Errors) != 0 {
			t.Errorf("read back: %v %+v", err, res)
		}
	}
}

func TestWrite3Periods(t *testing.T) {
	for period, want := range map[string]string{
		"6月": "安全生产“黄”“红”牌企业名单汇总表（6月）",
		"9":  "安全生产“黄”“红”牌企业名单汇总表（9月）",
		"年度": "安全生产“黄”“红”牌企业名单汇总表（年度）",
		"":   forms.Title3,
	} {
		if got := forms.Title3Of(period); got != want {
			t.Errorf("Title3Of(%q) = %q, want %q", period, got, want)
		}
		h := header
		h.Period = period
		var buf bytes.Buffer
		if err := forms.Write3(&buf, h, nil); err != nil {
			t.Fatal(err)
		}
		f := open(t, &buf)
		wantText(t, f, "附件3", "A2", want)
		wantNone(t, f, "附件3", len(forms.Columns3))
		wantNotes(t, f, "附件3", 6, len(forms.Columns3), nil)
		if res, err := forms.Read3(&buf); err != nil || len(res.Rows) != 0 || len(res.Errors) != 0 {
			t.Errorf("read back: %v %+v", err, res)
		}
	}
}

func TestWrite3(t *testing.T) {
	rows := []forms.Row3{
		{Region: "鞍山市", Name: "鞍山某钢铁有限公司", Address: "鞍山市千山区", Industry: "钢铁", Rectify: "煤气区域未设置固定式报警装置",
			RectifiedInTime: "是", Card: "黄牌", Basis: "", Closed: "否"},
		{Region: "本溪市", Name: "本溪某水泥有限公司", Address: "本溪市明山区", Industry: "水泥", Rectify: "粉磨系统未按规定整改",
			RectifiedInTime: "否", Card: "红牌", Basis: "《安全生产法》第六十条", Closed: "是"},
	}
	var buf bytes.Buffer
	if err := forms.Write3(&buf, header, rows); err != nil {
		t.Fatal(err)
	}
	f := open(t, &buf)
	const sheet = "附件3"
	wantTop(t, buf.Bytes(), f, sheet, "安全生产“黄”“红”牌企业名单汇总表（5月）", forms.Columns3)
	for i, r := range rows {
		row := 5 + i
		wantNumber(t, f, sheet, ref(1, row), strconv.Itoa(i+1))
		for j, w := range []string{r.Region, r.Name, r.Address, r.Industry, r.Rectify, r.RectifiedInTime, r.Card, r.Basis, r.Closed} {
			wantText(t, f, sheet, ref(j+2, row), w)
		}
	}
	// 附件3 has no notes: the table is the last thing on the sheet.
	wantNotes(t, f, sheet, 5+len(rows), len(forms.Columns3), nil)
}

// readCSV reads a written CSV: a byte-order mark, then the records.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no UTF-8 byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// csvTop is what every CSV starts with, as its .xlsx: the mark, the title
// and the 填报单位 line, each in the first cell of a row as wide as the
// table, then the column header.
func csvTop(mark, title string, columns ...string) [][]string {
	n := len(columns)
	row := func(s string) []string { return append([]string{s}, make([]string, n-1)...) }
	return [][]string{row(mark), row(title), row(header.HeaderLine()), columns}
}

// csvRow is a row merged across a table n columns wide: s in its first
// cell.
func csvRow(n int, s string) []string { return append([]string{s}, make([]string, n-1)...) }

func TestWriteCSV(t *testing.T) {
	write := func(t *testing.T, form int, rows any) [][]string {
		t.Helper()
		var buf bytes.Buffer
		if err := forms.WriteCSV(&buf, form, header, rows); err != nil {
			t.Fatal(err)
		}
		return readCSV(t, buf.Bytes())
	}
	same := func(t *testing.T, got, want [][]string) {
		t.Helper()
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("got  %q\nwant %q", got, want)
		}
	}

	t.Run("附件1", func(t *testing.T) {
		rows := []forms.Row1{
			{Name: "=1+2", Address: "+86", Industry: "-钢铁", Note: "@SUM(A1)"},
			{Name: "鞍山钢铁, \"集团\"", Address: "鞍山市\n铁西区", Industry: "钢铁", Note: "正常生产", CreditCode: "91210300241420514J"},
			{Name: "0123", Address: "1E5", Industry: "2020-06-01", Note: "停产"},
		}
		// The same columns as the .xlsx: no 统一社会信用代码, though a row has one.
		want := append(csvTop("附件1", forms.Title1, forms.Columns1...),
			[]string{"1", "'=1+2", "'+86", "'-钢铁", "'@SUM(A1)"},
			[]string{"2", "鞍山钢铁, \"集团\"", "鞍山市\n铁西区", "钢铁", "正常生产"},
			[]string{"3", `="0123"`, `="1E5"`, `="2020-06-01"`, "停产"},
			csvRow(5, forms.Notes1[0]))
		same(t, write(t, forms.Form1, rows), want)
	})

	t.Run("附件2", func(t *testing.T) {
		rows := []forms.Row2{
			{Name: "甲", Inspections: 1, InspectorTimes: 2, Fines: 1000},
			{Name: "乙", Inspections: 2, Hazards: 3, MajorHazards: 1, Fines: 1000, Note: "-重大隐患"},
			{Name: "丙", Orders: 4, Penalties: 5, ExpertTimes: 6, Fines: 1000},
		}
		want := append(csvTop("附件2", "重点淘汰行业执法检查统计表（5月）", "序号", "企业名称", "所在地址", "检查企业\n次数",
			"执法检查\n人员数量\n（人次）", "参与检查\n专家数量\n（人次）", "发现问题\n和隐患数", "发现重大\n隐患数",
			"下达整改\n指令书\n（份）", "下达行政\n处罚文书\n（份）", "行政罚款总数\n（万元）", "备注"),
			[]string{"1", "甲", "", "1", "2", "0", "0", "0", "0", "0", "0.1", ""},
			[]string{"2", "乙", "", "2", "0", "0", "3", "1", "0", "0", "0.1", "'-重大隐患"},
			[]string{"3", "丙", "", "0", "0", "6", "0", "0", "4", "5", "0.1", ""},
			[]string{"合计", "", "", "3", "2", "6", "3", "1", "4", "5", "0.3", ""},
			csvRow(12, forms.Notes2[0]), csvRow(12, forms.Notes2[1]))
		same(t, write(t, forms.Form2, rows), want)
	})

	t.Run("附件3", func(t *testing.T) {
		rows := []forms.Row3{{Region: "鞍山市", Name: "甲", Address: "乙", Industry: "钢铁", Rectify: "整改", RectifiedInTime: "否",
			Card: "红牌", Basis: "依据", Closed: "是"}}
		want := append(csvTop("附件3", "安全生产“黄”“红”牌企业名单汇总表（5月）", "序号", "地区", "企业名称", "地址", "行业",
			"安全生产条件不达标\n应限期整改内容", "是否按期\n整改合格", "黄/红牌", "拟关闭/\n关闭依据", "是否\n已关闭"),
			[]string{"1", "鞍山市", "甲", "乙", "钢铁", "整改", "否", "红牌", "依据", "是"})
		same(t, write(t, forms.Form3, rows), want)
	})

	t.Run("无", func(t *testing.T) {
		got := write(t, forms.Form3, []forms.Row3(nil))
		if len(got) != 5 || !slices.Equal(got[4], csvRow(10, "无")) {
			t.Errorf("附件3 without rows: %q", got)
		}
		got = write(t, forms.Form2, []forms.Row2{})
		if len(got) != 8 || !slices.Equal(got[4], csvRow(12, "无")) || got[5][0] != "合计" {
			t.Errorf("附件2 without rows: %q", got)
		}
	})

	t.Run("mismatch", func(t *testing.T) {
		if err := forms.WriteCSV(io.Discard, forms.Form2, header, []forms.Row1{}); err == nil {
			t.Error("[]Row1 accepted for 附件2")
		}
		if err := forms.WriteCSV(io.Discard, forms.Form1, header, nil); err == nil {
			t.Error("nil accepted for 附件1")
		}
		if err := forms.WriteCSV(io.Discard, 4, header, []forms.Row1{}); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Errorf("form 4: %v", err)
		}
	})
}

// TestCSVEqualsXLSX writes each form as .xlsx and as CSV and compares
// them cell for cell, row for row: the CSV as a spreadsheet opens it (a
// ="0123" is the text 0123) against the values the .xlsx holds.
func TestCSVEqualsXLSX(t *testing.T) {
	odd := []string{"0123", "912103026987955123", "1E5", "-5", "=1+1", "2020-06-01", "50%", "鞍山市\n铁西区", "TRUE", ""}
	pick := func(i int) string { return odd[i%len(odd)] }
	var r1 []forms.Row1
	var r2 []forms.Row2
	var r3 []forms.Row3
	for i := range 2 * len(odd) {
		r1 = append(r1, forms.Row1{Name: pick(i), Address: pick(i + 1), Industry: pick(i + 2), Note: pick(i + 3), CreditCode: pick(i + 1)})
		r2 = append(r2, forms.Row2{Name: pick(i), Address: pick(i + 1), Inspections: i, InspectorTimes: 2 * i, ExpertTimes: i % 3,
			Hazards: i + 7, MajorHazards: i % 2, Orders: i % 4, Penalties: i % 5, Fines: taotai.Yuan(i * 12345), Note: pick(i + 2)})
		r3 = append(r3, forms.Row3{Region: pick(i), Name: pick(i + 1), Address: pick(i + 2), Industry: pick(i + 3), Rectify: pick(i + 4),
			RectifiedInTime: "是", Card: "黄牌", Basis: pick(i + 5), Closed: "否"})
	}
	h := header
	h.Unit = "0123"
	for _, c := range []struct {
		name string
		form int
		rows any
	}{
		{"附件1", forms.Form1, r1}, {"附件2", forms.Form2, r2}, {"附件3", forms.Form3, r3},
		{"附件1 无", forms.Form1, []forms.Row1{}}, {"附件2 无", forms.Form2, []forms.Row2{}}, {"附件3 无", forms.Form3, []forms.Row3{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var x, v bytes.Buffer
			if err := forms.Write(&x, c.form, h, c.rows, false); err != nil {
				t.Fatal(err)
			}
			if err := forms.Write(&v, c.form, h, c.rows, true); err != nil {
				t.Fatal(err)
			}
			f := open(t, &x)
			want, err := f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			got := readCSV(t, v.Bytes())
			if len(got) != len(want) {
				t.Fatalf("CSV %d rows, .xlsx %d", len(got), len(want))
			}
			for i, rec := range got {
				if len(rec) != len(got[3]) {
					t.Errorf("CSV row %d has %d cells, the header %d", i+1, len(rec), len(got[3]))
				}
				for j, cell := range rec {
					var x string
					if j < len(want[i]) {
						x = want[i][j]
					}
					if opened := openedAs(cell); opened != x {
						t.Errorf("%s: CSV %q (opens as %q), .xlsx %q", ref(j+1, i+1), cell, opened, x)
					}
				}
			}
		})
	}
}

// openedAs is a CSV cell as a spreadsheet shows it: ="0123" is the text
// 0123 (the cells the writer keeps as text hold no quote).
func openedAs(cell string) string {
	if inner, ok := strings.CutPrefix(cell, `="`); ok && strings.HasSuffix(inner, `"`) && !strings.Contains(inner[:len(inner)-1], `"`) {
		return inner[:len(inner)-1]
	}
	return cell
}

// TestWrite2Large writes the benchmark's 50,000 rows and reads the file
// back: every row is there, numbered, and the total is right.
func TestWrite2Large(t *testing.T) {
	if testing.Short() {
		t.Skip("50,000 rows")
	}
	rows := benchRows(50000)
	var buf bytes.Buffer
	if err := forms.Write2(&buf, header, rows); err != nil {
		t.Fatal(err)
	}
	f := open(t, &buf)
	it, err := f.Rows("附件2")
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	var fines taotai.Yuan
	var hazards int
	for _, r := range rows {
		fines += r.Fines
		hazards += r.Hazards
	}
	n, last := 0, []string(nil)
	for it.Next() {
		cols, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n >= 5 && n < 5+len(rows) && cols[0] != strconv.Itoa(n-4) {
			t.Fatalf("row %d numbered %q", n, cols[0])
		}
		if n == 5+len(rows) {
			last = cols
		}
	}
	if n != 4+len(rows)+1+len(forms.Notes2) {
		t.Errorf("%d rows", n)
	}
	if last[0] != "合计" || last[6] != strconv.Itoa(hazards) || last[10] != fines.Wan() {
		t.Errorf("total row %q, want hazards %d fines %s", last, hazards, fines.Wan())
	}
}

// benchRows are n rows of 附件2 with realistic text lengths.
func benchRows(n int) []forms.Row2 {
	rows := make([]forms.Row2, n)
	for i := range rows {
		rows[i] = forms.Row2{
			Name:           fmt.Sprintf("辽宁省某某钢铁集团第%d有限责任公司", i),
			Address:        fmt.Sprintf("辽宁省沈阳市铁西区建设大路%d号", i),
			Inspections:    i%3 + 1,
			InspectorTimes: i%7 + 2,
			ExpertTimes:    i % 2,
			Hazards:        i % 11,
			MajorHazards:   min(i%5/4, i%11), // never more than Hazards
			Orders:         i % 3,
			Penalties:      i % 4 / 3,
			Fines:          taotai.Yuan(i % 9 * 1250),
		}
		if i%10 == 0 {
			rows[i].Note = "煤气柜区域未设置一氧化碳报警装置，责令2020年6月30日前整改完毕"
		}
	}
	return rows
}

// BenchmarkWrite2 writes 附件2 with 50,000 rows. Compare with
// BenchmarkExcelizePlain, the same number of plain rows through the same
// stream writer: the ratio holds on a noisy machine. peak-MB is the highest
// heap in use during one write, above what was live before.
func BenchmarkWrite2(b *testing.B) {
	rows := benchRows(50000)
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		p, _ := benchtest.PeakHeap(func() {
			if err := forms.Write2(io.Discard, header, rows); err != nil {
				b.Fatal(err)
			}
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
}

// BenchmarkExcelizePlain is the baseline: 50,000 rows of 12 plain cells
// (the same texts and numbers as BenchmarkWrite2, no styles, merges or
// page setup) through excelize's stream writer.
func BenchmarkExcelizePlain(b *testing.B) {
	rows := benchRows(50000)
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		p, _ := benchtest.PeakHeap(func() {
			err := benchtest.PlainWrite(len(rows), func(i int, vals []any) []any {
				r := rows[i]
				return append(vals, i+1, r.Name, r.Address, r.Inspections, r.InspectorTimes, r.ExpertTimes,
					r.Hazards, r.MajorHazards, r.Orders, r.Penalties, float64(r.Fines)/10000, r.Note)
			})
			if err != nil {
				b.Fatal(err)
			}
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
}

func TestWriteDispatch(t *testing.T) {
	var b bytes.Buffer
	if err := forms.Write(&b, forms.Form2, forms.Header{Period: "6月"}, []forms.Row2{{Name: "甲", Address: "乙"}}, false); err != nil || b.Len() == 0 {
		t.Fatalf("附件2: %v", err)
	}
	if _, err := forms.Read2(&b); err != nil {
		t.Fatalf("what Write wrote does not read back as 附件2: %v", err)
	}
	if err := forms.Write(io.Discard, forms.Form2, forms.Header{}, []forms.Row1{}, false); err == nil {
		t.Fatal("附件2 written from 附件1's rows")
	}
	if err := forms.Write(io.Discard, forms.Form1, forms.Header{}, []forms.Row3{}, true); err == nil {
		t.Fatal("附件1's CSV written from 附件3's rows")
	}
}
