package forms

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"taotai/internal/benchtest"

	"github.com/xuri/excelize/v2"

	"taotai"
)

// The reader's tests build their .xlsx files here with excelize, the way
// Excel or WPS would leave them, independently of the package's writer.

// bookSheet is one worksheet of a test workbook: its rows from row 1 (nil
// leaves a cell empty; a string is stored as text, a number as a number)
// and its merged ranges.
type bookSheet struct {
	name   string
	rows   [][]any
	merges []string // "B5:B7"
}

// makeBook writes a workbook of the given sheets.
func makeBook(tb testing.TB, sheets ...bookSheet) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				tb.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			tb.Fatal(err)
		}
		for r, row := range s.rows {
			for c, v := range row {
				if v == nil {
					continue
				}
				at, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(s.name, at, v); err != nil {
					tb.Fatal(err)
				}
			}
		}
		for _, m := range s.merges {
			from, to, _ := strings.Cut(m, ":")
			if err := f.MergeCell(s.name, from, to); err != nil {
				tb.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// strs turns texts into a row.
func strs(ss ...string) []any {
	row := make([]any, len(ss))
	for i, s := range ss {
		row[i] = s
	}
	return row
}

// layout lays a form out as the notice prints it: the mark, the title, the
// 填报单位 line, the header at row 4, the data from row 5, then the notes.
func layout(mark, title string, cols []string, data [][]any, notes ...string) [][]any {
	rows := [][]any{{mark}, {title}, {"填报单位：（公章）    填报人：    联系电话：    填报日期："}, strs(cols...)}
	rows = append(rows, data...)
	for _, n := range notes {
		rows = append(rows, []any{n})
	}
	return rows
}

func sheet1(data ...[]any) bookSheet {
	return bookSheet{name: "附件1", rows: layout("附件1", Title1, Columns1, data, Notes1...)}
}

func sheet2(data ...[]any) bookSheet {
	return bookSheet{name: "附件2", rows: layout("附件2", fmt.Sprintf(Title2, "5月"), Columns2, data, Notes2...)}
}

func sheet3(data ...[]any) bookSheet {
	return bookSheet{name: "附件3", rows: layout("附件3", Title3, Columns3, data)}
}

// withHeader replaces the header row (row 4) of a laid-out sheet.
func withHeader(s bookSheet, cols ...string) bookSheet {
	s.rows[3] = strs(cols...)
	return s
}

// A valid credit code, and the same with a wrong check digit.
var (
	goodCode = "91210100MA0QGNHL2"[:17] + string(taotai.USCCCheckDigit("91210100MA0QGNHL2"))
	badCheck = "91210100MA0QGNHL2"[:17] + string(wrongDigit(taotai.USCCCheckDigit("91210100MA0QGNHL2")))
)

func wrongDigit(c byte) byte {
	if c == '1' {
		return '2'
	}
	return '1'
}

// Rows of a clean 附件1, 附件2 and 附件3.
var (
	clean1 = [][]any{
		{1, "鞍山钢铁集团有限公司", "辽宁省鞍山市铁西区环钢路1号", "钢铁", "正常生产"},
		{2, "本溪水泥有限公司", "辽宁省本溪市溪湖区河西路8号", "水泥", "局部生产"},
		{3, "营口平板玻璃有限公司", "辽宁省营口市老边区柳树镇", "平板玻璃", "停产"},
	}
	want1 = []Row1{
		{Name: "鞍山钢铁集团有限公司", Address: "辽宁省鞍山市铁西区环钢路1号", Industry: "钢铁", Note: "正常生产"},
		{Name: "本溪水泥有限公司", Address: "辽宁省本溪市溪湖区河西路8号", Industry: "水泥", Note: "局部生产"},
		{Name: "营口平板玻璃有限公司", Address: "辽宁省营口市老边区柳树镇", Industry: "平板玻璃", Note: "停产"},
	}
	clean2 = [][]any{
		{1, "鞍山钢铁集团有限公司", "辽宁省鞍山市铁西区环钢路1号", 2, 6, 1, 5, 1, 2, 1, 0.5, "轧钢车间煤气区域无报警仪，限2020年6月30日前整改"},
		{2, "本溪水泥有限公司", "辽宁省本溪市溪湖区河西路8号", 1, 3, 0, 2, 0, 1, 0, 0, ""},
	}
	want2 = []Row2{
		{Name: "鞍山钢铁集团有限公司", Address: "辽宁省鞍山市铁西区环钢路1号", Inspections: 2, InspectorTimes: 6, ExpertTimes: 1,
			Hazards: 5, MajorHazards: 1, Orders: 2, Penalties: 1, Fines: 5000, Note: "轧钢车间煤气区域无报警仪，限2020年6月30日前整改"},
		{Name: "本溪水泥有限公司", Address: "辽宁省本溪市溪湖区河西路8号", Inspections: 1, InspectorTimes: 3, Hazards: 2, Orders: 1},
	}
	clean3 = [][]any{
		{1, "鞍山市", "鞍山钢铁集团有限公司", "辽宁省鞍山市铁西区环钢路1号", "钢铁", "煤气区域未设报警仪", nil, "黄牌", nil, "否"},
		{2, "本溪市", "本溪水泥有限公司", "辽宁省本溪市溪湖区河西路8号", "水泥", "除尘系统不达标", "否", "红牌", "《安全生产法》第一百零八条", "是"},
	}
	want3 = []Row3{
		{Region: "鞍山市", Name: "鞍山钢铁集团有限公司", Address: "辽宁省鞍山市铁西区环钢路1号", Industry: "钢铁", Rectify: "煤气区域未设报警仪",
			Card: "黄牌", Closed: "否"},
		{Region: "本溪市", Name: "本溪水泥有限公司", Address: "辽宁省本溪市溪湖区河西路8号", Industry: "水泥", Rectify: "除尘系统不达标",
			RectifiedInTime: "否", Card: "红牌", Basis: "《安全生产法》第一百零八条", Closed: "是"},
	}
)

// row1 is a valid 附件1 row with its 序号; edit changes it.
func row1(n int, edit func([]any)) []any {
	r := append([]any(nil), clean1[0]...)
	r[0] = n
	if edit != nil {
		edit(r)
	}
	return r
}

func row2(n int, edit func([]any)) []any {
	r := append([]any(nil), clean2[0]...)
	r[0] = n
	if edit != nil {
		edit(r)
	}
	return r
}

func row3(n int, edit func([]any)) []any {
	r := append([]any(nil), clean3[1]...)
	r[0] = n
	if edit != nil {
		edit(r)
	}
	return r
}

// readCase is one file and what the reader must make of it. want holds the
// rows ([]Row1, []Row2 or []Row3), nil to skip the check.
type readCase struct {
	name string
	form int
	file []byte
	want any
	nums []int
	errs []string // RowError.String() of every error, in order
	warn []bool   // Warning of every error, when checked
}

// readForm reads file as the given form.
func readForm(form int, file []byte) (rows any, nums []int, errs []RowError, err error) {
	switch form {
	case Form1:
		res, err := Read1(bytes.NewReader(file))
		if err != nil {
			return nil, nil, nil, err
		}
		return res.Rows, res.RowNumbers, res.Errors, nil
	case Form2:
		res, err := Read2(bytes.NewReader(file))
		if err != nil {
			return nil, nil, nil, err
		}
		return res.Rows, res.RowNumbers, res.Errors, nil
	}
	res, err := Read3(bytes.NewReader(file))
	if err != nil {
		return nil, nil, nil, err
	}
	return res.Rows, res.RowNumbers, res.Errors, nil
}

func runReadCases(t *testing.T, cases []readCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rows, nums, errs, err := readForm(tc.form, tc.file)
			if err != nil {
				t.Fatalf("Read%d: %v (%s)", tc.form, err, taotai.ErrorMessage(err))
			}
			if tc.want != nil && !reflect.DeepEqual(rows, tc.want) {
				t.Errorf("rows:\n got %+v\nwant %+v", rows, tc.want)
			}
			if tc.nums != nil && !reflect.DeepEqual(nums, tc.nums) {
				t.Errorf("row numbers: got %v, want %v", nums, tc.nums)
			}
			var got []string
			var warn []bool
			for _, e := range errs {
				got = append(got, e.String())
				warn = append(warn, e.Warning)
			}
			if !reflect.DeepEqual(got, tc.errs) {
				t.Errorf("errors:\n got %q\nwant %q", got, tc.errs)
			}
			if tc.warn != nil && !reflect.DeepEqual(warn, tc.warn) {
				t.Errorf("warnings: got %v, want %v", warn, tc.warn)
			}
		})
	}
}

func TestReadClean(t *testing.T) {
	// The printed form's numbered empty rows, its "…" row and notes stay.
	template1 := append(append([][]any(nil), clean1...), []any{4}, []any{5}, []any{"…"})
	total := []any{"合计", nil, nil, 3, 9, 1, 7, 1, 3, 1, 0.5}
	runReadCases(t, []readCase{
		{name: "附件1", form: Form1, file: makeBook(t, sheet1(template1...)), want: want1, nums: []int{5, 6, 7}},
		{name: "附件2", form: Form2, file: makeBook(t, sheet2(append(clean2, total)...)), want: want2, nums: []int{5, 6}},
		{name: "附件3", form: Form3, file: makeBook(t, sheet3(clean3...)), want: want3, nums: []int{5, 6}},
	})
	res, err := Read1(bytes.NewReader(makeBook(t, sheet1(clean1...))))
	if err != nil {
		t.Fatal(err)
	}
	if res.HasCreditCode || res.Sheet != "附件1" {
		t.Errorf("Read1: HasCreditCode %v, Sheet %q", res.HasCreditCode, res.Sheet)
	}
}

func TestReadTolerates(t *testing.T) {
	blankRows := sheet1(clean1[0], nil, []any{nil, "  ", nil, "\u3000"}, clean1[1], []any{2}, clean1[2])
	ellipsis := sheet1(clean1[0], []any{"……"}, clean1[1], []any{"...", "…"}, clean1[2])
	fullWidth := sheet2(
		[]any{"１", "鞍山钢铁集团有限公司\u3000", " 辽宁省鞍山市铁西区环钢路1号 ", "２", "６人次", "１", "　５　", "１", "２", "１", "０．５", "轧钢车间煤气区域无报警仪，限2020年6月30日前整改"},
		[]any{2, "本溪水泥有限公司", "辽宁省本溪市溪湖区河西路8号", "1 ", "3", "0", "2", "0", "1", "0", "0.0000", ""})
	asText := sheet2(
		strs("1", "鞍山钢铁集团有限公司", "辽宁省鞍山市铁西区环钢路1号", "2", "6", "1", "5", "1", "2", "1", "0.5",
			"轧钢车间煤气区域无报警仪，限2020年6月30日前整改"),
		strs("2", "本溪水泥有限公司", "辽宁省本溪市溪湖区河西路8号", "1", "3", "0", "2", "0", "1", "0", "0"))
	// A formula's binary fraction and Excel's exponent notation.
	floats := sheet2(row2(1, func(r []any) { r[10] = 0.1 + 0.2 }), row2(2, func(r []any) { r[10] = "1E-4" }))
	merged3 := sheet3(
		[]any{1, "鞍山市", "鞍山钢铁集团有限公司", "鞍山市铁西区", "钢铁", "煤气报警", nil, "黄牌", nil, "否"},
		[]any{2, nil, "鞍山宝得钢铁有限公司", "鞍山市千山区", "钢铁", "除尘", "否", "红", "拟关闭", "否"},
		[]any{3, nil, "鞍山水泥有限公司", "鞍山市海城市", "水泥", "粉尘", "是", "黄", nil, "否"},
		[]any{4, "本溪市", "本溪水泥有限公司", "本溪市溪湖区", "水泥", "除尘", nil, "黄牌", nil, "否"})
	merged3.merges = []string{"B5:B7"}
	wantMerged := []Row3{
		{Region: "鞍山市", Name: "鞍山钢铁集团有限公司", Address: "鞍山市铁西区", Industry: "钢铁", Rectify: "煤气报警", Card: "黄牌", Closed: "否"},
		{Region: "鞍山市", Name: "鞍山宝得钢铁有限公司", Address: "鞍山市千山区", Industry: "钢铁", Rectify: "除尘", RectifiedInTime: "否",
			Card: "红牌", Basis: "拟关闭", Closed: "否"},
		{Region: "鞍山市", Name: "鞍山水泥有限公司", Address: "鞍山市海城市", Industry: "水泥", Rectify: "粉尘", RectifiedInTime: "是",
			Card: "黄牌", Closed: "否"},
		{Region: "本溪市", Name: "本溪水泥有限公司", Address: "本溪市溪湖区", Industry: "水泥", Rectify: "除尘", Card: "黄牌", Closed: "否"},
	}
	// An empty column the city left between 企业名称 and 所在地址.
	extraCol := withHeader(sheet1(
		[]any{1, clean1[0][1], nil, clean1[0][2], clean1[0][3], clean1[0][4]},
		[]any{2, clean1[1][1], nil, clean1[1][2], clean1[1][3], clean1[1][4]},
		[]any{3, clean1[2][1], nil, clean1[2][2], clean1[2][3], clean1[2][4]}),
		"序号", "企业名称", "", "所在地址", "所属行业", "备注")
	// Line breaks, spaces, full-width and half-width signs in the header.
	breaks3 := withHeader(sheet3(clean3...),
		"序 号", "地区", "企业名称", "地址", "行业", "安全生产条件不达标\n应限期整改内容", "是否按期\n整改合格", "黄／红牌", "拟关闭/\n关闭依据", "是否已\n关闭")
	breaks2 := withHeader(sheet2(clean2...),
		"序号", "企业名称", "所在地址", "检查企业\n次数", "执法检查人员数量\r\n(人次)", "参与检查专家数量(人次)", "发现问题和隐患数", "发现重大\n隐患数",
		"下达整改指令书(份)", "下达行政处罚文书（份）", "行政罚款总数\n(万元)", "备　注")
	// A header whose cells are merged over two rows, the data under it.
	twoRowHeader := sheet1(append([][]any{nil}, clean1...)...)
	for c := 'A'; c <= 'E'; c++ {
		twoRowHeader.merges = append(twoRowHeader.merges, fmt.Sprintf("%c4:%c5", c, c))
	}
	// A header cell merged across two columns.
	wideName := withHeader(sheet1(
		[]any{1, clean1[0][1], nil, clean1[0][2], clean1[0][3], clean1[0][4]}),
		"序号", "企业名称", "", "所在地址", "所属行业", "备注")
	wideName.merges = []string{"B4:C4"}
	// The city's added 统一社会信用代码 column, in full-width and lower case.
	withCode := withHeader(sheet1(
		[]any{1, clean1[0][1], goodCode, clean1[0][2], clean1[0][3], clean1[0][4]},
		[]any{2, clean1[1][1], strings.ToLower(taotai.FoldWidth(goodCode)), clean1[1][2], clean1[1][3], clean1[1][4]},
		[]any{3, clean1[2][1], nil, clean1[2][2], clean1[2][3], clean1[2][4]}),
		"序号", "企业名称", "统一社会\n信用代码", "所在地址", "所属行业", "备注")
	wantCode := append([]Row1(nil), want1...)
	wantCode[0].CreditCode, wantCode[1].CreditCode = goodCode, goodCode
	// A sheet of instructions first, a header at row 1, columns moved.
	second := bookSheet{name: "说明", rows: [][]any{{"填表说明：请按通知要求填写。"}}}
	moved := bookSheet{name: "名单", rows: [][]any{
		strs("企业名称", "备注", "所属行业", "所在地址"),
		{clean1[0][1], clean1[0][4], clean1[0][3], clean1[0][2]}}}
	// A name typed over two lines, trailing spaces everywhere, 正常 生产.
	spaces := sheet1([]any{" 1 ", "鞍山钢铁集团\n有限公司 ", "辽宁省鞍山市铁西区环钢路1号  ", "钢铁 ", " 正常 生产 "})

	runReadCases(t, []readCase{
		{name: "blank rows", form: Form1, file: makeBook(t, blankRows), want: want1, nums: []int{5, 8, 10}},
		{name: "… rows", form: Form1, file: makeBook(t, ellipsis), want: want1, nums: []int{5, 7, 9}},
		{name: "full-width digits and spaces", form: Form2, file: makeBook(t, fullWidth), want: want2},
		{name: "numbers stored as text", form: Form2, file: makeBook(t, asText), want: want2},
		{name: "float noise and exponents", form: Form2, file: makeBook(t, floats)},
		{name: "merged 地区", form: Form3, file: makeBook(t, merged3), want: wantMerged, nums: []int{5, 6, 7, 8}},
		{name: "extra empty column", form: Form1, file: makeBook(t, extraCol), want: want1},
		{name: "line breaks in 附件3 header", form: Form3, file: makeBook(t, breaks3), want: want3},
		{name: "line breaks in 附件2 header", form: Form2, file: makeBook(t, breaks2), want: want2},
		{name: "header merged over two rows", form: Form1, file: makeBook(t, twoRowHeader), want: want1, nums: []int{6, 7, 8}},
		{name: "header merged over two columns", form: Form1, file: makeBook(t, wideName), want: want1[:1]},
		{name: "credit code column", form: Form1, file: makeBook(t, withCode), want: wantCode},
		{name: "second sheet, header at row 1", form: Form1, file: makeBook(t, second, moved), want: want1[:1], nums: []int{2}},
		{name: "spaces and line breaks", form: Form1, file: makeBook(t, spaces), want: want1[:1]},
	})

	res, err := Read2(bytes.NewReader(makeBook(t, floats)))
	if err != nil || res.Rows[0].Fines != 3000 || res.Rows[1].Fines != 1 {
		t.Errorf("fines from a formula and 1E-4: %+v, %v", res, err)
	}
	r1, err := Read1(bytes.NewReader(makeBook(t, withCode)))
	if err != nil || !r1.HasCreditCode {
		t.Errorf("HasCreditCode: %+v, %v", r1, err)
	}
}

func TestReadErrors(t *testing.T) {
	long := strings.Repeat("鞍", 101)
	codeSheet := func(code string) bookSheet {
		return withHeader(sheet1([]any{1, clean1[0][1], code, clean1[0][2], clean1[0][3], clean1[0][4]}),
			"序号", "企业名称", "统一社会信用代码", "所在地址", "所属行业", "备注")
	}
	runReadCases(t, []readCase{
		{name: "附件1 empty texts", form: Form1, file: makeBook(t, sheet1(row1(1, func(r []any) { r[1], r[2], r[3] = nil, "  ", nil }))),
			errs: []string{"第5行 B列（企业名称）：不能为空", "第5行 C列（所在地址）：不能为空", "第5行 D列（所属行业）：不能为空"}},
		{name: "附件1 too long", form: Form1, file: makeBook(t, sheet1(row1(1, func(r []any) { r[1], r[2] = long, strings.Repeat("路", 201) }))),
			errs: []string{"第5行 B列（企业名称）：不能超过100个字，当前101个字", "第5行 C列（所在地址）：不能超过200个字，当前201个字"}},
		{name: "附件1 备注", form: Form1, file: makeBook(t, sheet1(row1(1, func(r []any) { r[4] = "生产中" }), row1(2, func(r []any) { r[4] = nil }))),
			errs: []string{"第5行 E列（备注）：应为正常生产、局部生产或停产，当前为“生产中”", "第6行 E列（备注）：不能为空，应填写正常生产、局部生产或停产"}},
		{name: "附件1 credit code too short", form: Form1, file: makeBook(t, codeSheet(goodCode[:17])),
			errs: []string{"第5行 C列（统一社会信用代码）：统一社会信用代码应为18位，当前为17位"}, warn: []bool{false}},
		{name: "附件1 credit code check digit", form: Form1, file: makeBook(t, codeSheet(badCheck)),
			errs: []string{"第5行 C列（统一社会信用代码）：统一社会信用代码校验位不符（按GB 32100-2015应为“" + goodCode[17:] +
				"”）。早期试点代码可能如此，请核对营业执照后确认"}, warn: []bool{true}},
		{name: "附件1 extra column moves the letters", form: Form1,
			file: makeBook(t, withHeader(sheet1([]any{1, "鞍山钢铁集团有限公司", nil, nil, "钢铁", "正常生产"}), "序号", "企业名称", "", "所在地址", "所属行业", "备注")),
			errs: []string{"第5行 D列（所在地址）：不能为空"}},
		{name: "附件2 counts", form: Form2, file: makeBook(t, sheet2(row2(1, func(r []any) { r[3], r[4], r[5], r[8] = "-1", 1.5, "三", nil }))),
			errs: []string{"第5行 D列（检查企业次数）：不能为负数", "第5行 E列（执法检查人员数量（人次））：应为整数",
				"第5行 F列（参与检查专家数量（人次））：应为整数", "第5行 I列（下达整改指令书（份））：不能为空，没有请填0"}},
		{name: "附件2 major hazards", form: Form2, file: makeBook(t, sheet2(row2(1, func(r []any) { r[6], r[7] = 2, 3 }))),
			errs: []string{"第5行 H列（发现重大隐患数）：发现重大隐患数不能大于发现问题和隐患数"}},
		{name: "附件2 fines", form: Form2, file: makeBook(t, sheet2(row2(1, func(r []any) { r[10] = 0.12345 }), row2(2, func(r []any) { r[10] = "-1" }))),
			errs: []string{"第5行 K列（行政罚款总数（万元））：金额应为非负数，以万元为单位，最多4位小数",
				"第6行 K列（行政罚款总数（万元））：金额应为非负数，以万元为单位，最多4位小数"}},
		{name: "附件2 fines within the law", form: Form2, file: makeBook(t, sheet2(row2(1, func(r []any) { r[9], r[10] = 0, 0.5 }),
			row2(2, func(r []any) { r[9], r[10] = 2, 20000.0001 }), row2(3, func(r []any) { r[9], r[10] = 2, 20000 }))),
			errs: []string{"第5行 K列（行政罚款总数（万元））：有罚款但下达行政处罚文书为0份，罚款须由行政处罚决定书作出",
				"第6行 K列（行政罚款总数（万元））：超过法定上限：每份行政处罚决定书罚款最高1亿元（10000万元），2份最多20000万元"}},
		{name: "附件3 choices", form: Form3, file: makeBook(t, sheet3(row3(1, func(r []any) { r[6], r[7], r[9] = "合格", "绿牌", "已关" }))),
			errs: []string{"第5行 G列（是否按期整改合格）：应为是或否，当前为“合格”", "第5行 H列（黄/红牌）：应为黄牌或红牌，当前为“绿牌”",
				"第5行 J列（是否已关闭）：应为是或否，当前为“已关”"}},
		{name: "附件3 empties", form: Form3, file: makeBook(t, sheet3(row3(1, func(r []any) { r[3], r[6], r[9] = nil, nil, nil }),
			row3(2, func(r []any) { r[6], r[7] = nil, "黄牌" }), row3(3, func(r []any) { r[7] = nil }))),
			errs: []string{"第5行 D列（地址）：不能为空", "第5行 G列（是否按期整改合格）：不能为空，应为是或否", "第5行 J列（是否已关闭）：不能为空，应为是或否",
				"第7行 H列（黄/红牌）：不能为空，应为黄牌或红牌"}},
		{name: "two bad rows", form: Form1, file: makeBook(t, sheet1(row1(1, nil), row1(2, func(r []any) { r[2] = nil }), row1(3, nil),
			row1(4, func(r []any) { r[1], r[4] = nil, "关停" }))),
			nums: []int{5, 6, 7, 8},
			errs: []string{"第6行 C列（所在地址）：不能为空", "第8行 B列（企业名称）：不能为空", "第8行 E列（备注）：应为正常生产、局部生产或停产，当前为“关停”"}},
	})
}

func TestRowErrorString(t *testing.T) {
	e := RowError{Row: 7, Col: "C", Field: "所在地址", Message: "不能为空"}
	if got, want := e.String(), "第7行 C列（所在地址）：不能为空"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if HasHardErrors([]RowError{{Warning: true}}) || !HasHardErrors([]RowError{{Warning: true}, {}}) {
		t.Error("HasHardErrors")
	}
}

// wantInvalid checks that err is an EINVALID *taotai.Error whose message
// begins with prefix.
func wantInvalid(t *testing.T, err error, prefix string) {
	t.Helper()
	var e *taotai.Error
	if !errors.As(err, &e) || e.Code != taotai.EINVALID {
		t.Fatalf("error %v, want an EINVALID *taotai.Error", err)
	}
	if !strings.HasPrefix(e.Message, prefix) {
		t.Errorf("message %q, want it to begin with %q", e.Message, prefix)
	}
}

func TestReadNoHeader(t *testing.T) {
	other := makeBook(t, bookSheet{name: "Sheet1", rows: [][]any{{"名单"}, strs("序号", "名称", "地点")}})
	for form := Form1; form <= Form3; form++ {
		_, _, _, err := readForm(form, other)
		wantInvalid(t, err, fmt.Sprintf("未找到附件%d的表头", form))
	}
	// 附件2 given as 附件1: the reader says what it looks like.
	_, _, _, err := readForm(Form1, makeBook(t, sheet2(clean2...)))
	wantInvalid(t, err, "未找到附件1的表头")
	if !strings.Contains(taotai.ErrorMessage(err), "似乎是附件2") {
		t.Errorf("message %q does not name 附件2", taotai.ErrorMessage(err))
	}
	// A header lacking one column says which.
	_, _, _, err = readForm(Form1, makeBook(t, withHeader(sheet1(clean1...), "序号", "企业名称", "所在地址", "行业类别", "备注")))
	if !strings.Contains(taotai.ErrorMessage(err), "第4行缺少：所属行业") {
		t.Errorf("message %q does not name the missing column", taotai.ErrorMessage(err))
	}
}

// zipOf builds a zip of the named parts, deflated at the fastest level.
func zipOf(tb testing.TB, parts ...string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := io.WriteString(w, parts[i+1]); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// zipBomb builds a workbook whose sheet is n zero bytes, deflated.
func zipBomb(tb testing.TB, n int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	if w, err := zw.Create("xl/workbook.xml"); err != nil {
		tb.Fatal(err)
	} else if _, err := io.WriteString(w, workbookXML); err != nil {
		tb.Fatal(err)
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		tb.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for ; n > 0; n -= len(chunk) {
		if _, err := w.Write(chunk[:min(n, len(chunk))]); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

const workbookXML = `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>`

// sheetXML is a worksheet of n rows, one numbered cell each, with the dimension
// given (none if "") and with or without the rows' r attributes.
func sheetXML(n int, dimension string, numbered bool) string {
	var b strings.Builder
	b.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	if dimension != "" {
		b.WriteString(`<dimension ref="` + dimension + `"/>`)
	}
	b.WriteString("<sheetData>")
	for i := 1; i <= n; i++ {
		if numbered {
			b.WriteString(`<row r="` + strconv.Itoa(i) + `"><c r="A` + strconv.Itoa(i) + `"><v>1</v></c></row>`)
		} else {
			b.WriteString(`<row><c><v>` + strconv.Itoa(i) + `</v></c></row>`)
		}
	}
	b.WriteString("</sheetData></worksheet>")
	return b.String()
}

func TestCheckFile(t *testing.T) {
	start := time.Now()
	zeros := zipBomb(t, 600<<20)
	small := zipBomb(t, 10<<20)
	t.Logf("zip bombs built in %v: %d and %d bytes", time.Since(start), len(zeros), len(small))
	wide := strings.Repeat(`<row><c r="XFD1"><v>1</v></c></row>`, 1300)
	cases := []struct {
		name string
		file []byte
		want string // the message's beginning; "" accepts the file
	}{
		{"a valid workbook", makeBook(t, sheet1(clean1...)), ""},
		{"100,000 rows", zipOf(t, "xl/workbook.xml", workbookXML, "xl/worksheets/sheet1.xml", sheetXML(MaxRows, "A1:A100000", true)), ""},
		{"a text file", []byte("序号,企业名称,所在地址\n1,鞍山钢铁,鞍山\n"), msgNotXLSX},
		{"an empty file", nil, msgNotXLSX},
		{"an .xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 4096)...), "这是旧版Excel（.xls）文件，请在Excel或WPS中另存为.xlsx后再上传。"},
		{"a zip that is no workbook", zipOf(t, "word/document.xml", "<document/>"), msgNotXLSX},
		{"a zip bomb of 600 MB", zeros, msgBomb},
		{"100 times its size", small, msgBomb},
		{"dimension of 100,001 rows", zipOf(t, "xl/workbook.xml", workbookXML, "xl/worksheets/sheet1.xml", sheetXML(1, "A1:L100001", true)), msgTooLong},
		{"100,001 rows without r", zipOf(t, "xl/workbook.xml", workbookXML, "xl/worksheets/sheet1.xml", sheetXML(MaxRows+1, "", false)), msgTooLong},
		{"one row numbered 100,001", zipOf(t, "xl/workbook.xml", workbookXML, "xl/worksheets/sheet1.xml",
			`<worksheet><sheetData><row r="100001"><c r="A100001"><v>1</v></c></row></sheetData></worksheet>`), msgTooLong},
		{"cells in column XFD", zipOf(t, "xl/workbook.xml", workbookXML, "xl/worksheets/sheet1.xml", "<worksheet><sheetData>"+wide+"</sheetData></worksheet>"), msgTooWide},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckFile(bytes.NewReader(tc.file), int64(len(tc.file)))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("CheckFile: %v", err)
				}
				return
			}
			wantInvalid(t, err, tc.want)
			// Read holds the file to the same limits.
			_, err = Read1(bytes.NewReader(tc.file))
			wantInvalid(t, err, tc.want)
		})
	}
	t.Run("21 MB", func(t *testing.T) {
		big := make([]byte, 21<<20)
		wantInvalid(t, CheckFile(bytes.NewReader(big), int64(len(big))), "文件超过20MB")
		_, err := Read2(bytes.NewReader(big))
		wantInvalid(t, err, "文件超过20MB")
	})
}

func TestSafely(t *testing.T) {
	res, err := safely(func() (*Result1, error) { panic("excelize") })
	if res != nil {
		t.Errorf("result %v after a panic", res)
	}
	wantInvalid(t, err, msgCorrupted)
}

func TestPlainNumber(t *testing.T) {
	for in, want := range map[string]string{
		"0.30000000000000004": "0.3",
		"1E-4":                "0.0001",
		"1.5E+3":              "1500",
		"2.9999999999999996":  "3",
		"0.12345":             "0.12345", // typed: left to ParseWan to refuse
		"0.1234567891":        "0.1234567891",
		"３":                   "３",
		"abc":                 "abc",
		"-1E2":                "-100",
	} {
		if got := plainNumber(in); got != want {
			t.Errorf("plainNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

// benchBook1 is a 附件1 of n rows.
func benchBook1(tb testing.TB, n int) []byte {
	tb.Helper()
	states := []string{"正常生产", "局部生产", "停产"}
	data := make([][]any, n)
	for i := range data {
		data[i] = []any{i + 1, fmt.Sprintf("辽宁第%d钢铁有限公司", i+1), fmt.Sprintf("辽宁省鞍山市铁西区环钢路%d号", i+1), "钢铁", states[i%3]}
	}
	return makeBook(tb, sheet1(data...))
}

// BenchmarkRead1 reads a 附件1 of 10,000 rows: CheckFile, the header, the
// rows and their checks.
func BenchmarkRead1(b *testing.B) {
	file := benchBook1(b, 10_000)
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Read1(bytes.NewReader(file))
		if err != nil || len(res.Rows) != 10_000 || len(res.Errors) != 0 {
			b.Fatalf("Read1: %v", err)
		}
	}
}

// BenchmarkRead1PlainRows is the floor under BenchmarkRead1: excelize
// opening the same file and handing over its rows, with nothing done.
func BenchmarkRead1PlainRows(b *testing.B) {
	file := benchBook1(b, 10_000)
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		if err := benchtest.PlainRead(file, 10_000); err != nil {
			b.Fatal(err)
		}
	}
}

func TestReadTitlePeriod(t *testing.T) {
	tests := []struct{ title, want string }{
		{"重点淘汰行业执法检查统计表（6月）", "6月"},
		{"重点淘汰行业执法检查统计表(９月)", "9月"},
		{"重点淘汰行业执法检查统计表 （ 年度 ）", "年度"},
		{"重点淘汰行业执法检查统计表", ""},
		{"执法检查情况", ""},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := Write2(&b, Header{Period: "6月"}, []Row2{{Name: "甲", Address: "乙"}}); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		x.SetCellValue(x.GetSheetName(0), "A2", tt.title)
		var out bytes.Buffer
		x.Write(&out)
		res, err := Read2(&out)
		if err != nil || res.Period != tt.want || res.Cols["企业名称"] != "B" {
			t.Errorf("title %q: period %q, cols %v, %v; want %q", tt.title, res.Period, res.Cols, err, tt.want)
		}
	}
}

// TestReadBelowTheTable: a row typed under the notes (注) or under 附件2's
// 合计 row is not data the table holds; it is refused, naming its row,
// rather than dropped without a word. The notes' own lines, a signature
// line and a lone 序号 are not such rows.
func TestReadBelowTheTable(t *testing.T) {
	const below = "该行在表格末尾的“注”之下，没有作为数据读取；请移到表格中（“注”之上）或删除"
	const belowTotal = "该行在合计行之下，没有作为数据读取；请移到合计行之上或删除"
	total := []any{"合计", nil, nil, 3, 9, 1, 7, 1, 3, 1, 0.5}
	under1 := sheet1(clean1...) // rows 5–7, the note at row 8
	under1.rows = append(under1.rows,
		row1(4, func(r []any) { r[1] = "鞍山补录钢铁有限公司" }), // row 9
		[]any{"填表人：张三", nil, nil, "审核人：李四"},            // row 10: a signature line
		[]any{nil, "2.停产企业请注明停产时间。"},                   // row 11: a note of the city's, in B
		[]any{5}, // row 12: a lone 序号
		[]any{nil, "鞍山又一水泥有限公司", "鞍山市立山区", "水泥", "停产"},  // row 13
		[]any{"6.", "鞍山再一水泥有限公司", "鞍山市立山区", "水泥", "停产"}) // row 14: 序号 typed "6."
	under2 := sheet2(append(append([][]any(nil), clean2...), total)...) // rows 5–6, 合计 7, notes 8–9
	under2.rows = append(under2.rows, row2(3, func(r []any) { r[1] = "鞍山补录钢铁有限公司" }))
	afterTotal := sheet2(append(append([][]any(nil), clean2...), total, row2(3, func(r []any) { r[1] = "鞍山补录钢铁有限公司" }))...)
	under3 := sheet3(clean3...) // rows 5–6
	under3.rows = append(under3.rows, []any{"注：黄牌企业限期整改。"}, row3(3, func(r []any) { r[2] = "鞍山补录钢铁有限公司" }))
	runReadCases(t, []readCase{
		{name: "附件1 under the note", form: Form1, file: makeBook(t, under1), want: want1, nums: []int{5, 6, 7},
			errs: []string{"第9行 B列（企业名称）：" + below, "第13行 B列（企业名称）：" + below, "第14行 B列（企业名称）：" + below}},
		{name: "附件2 under the notes", form: Form2, file: makeBook(t, under2), want: want2,
			errs: []string{"第10行 B列（企业名称）：" + below}},
		{name: "附件2 under 合计", form: Form2, file: makeBook(t, afterTotal), want: want2,
			errs: []string{"第8行 B列（企业名称）：" + belowTotal}},
		{name: "附件3 under a note of the city's", form: Form3, file: makeBook(t, under3), want: want3,
			errs: []string{"第8行 C列（企业名称）：" + below}},
		{name: "the printed notes alone", form: Form2, file: makeBook(t, sheet2(append(append([][]any(nil), clean2...), total)...)), want: want2},
	})
}

// TestReadTitles: the period (and year) of 附件2's and 附件3's titles as
// clerks write them: 份, a year, spaces, brackets and digits full-width or
// half-width, Chinese month numbers; 附件3's title with or without one.
func TestReadTitles(t *testing.T) {
	tests := []struct {
		form          int
		title, period string
		year          int
	}{
		{Form2, "重点淘汰行业执法检查统计表（6月）", "6月", 0},
		{Form2, "重点淘汰行业执法检查统计表（6月份）", "6月", 0},
		{Form2, "重点淘汰行业执法检查统计表（2020年6月）", "6月", 2020},
		{Form2, "重点淘汰行业执法检查统计表（２０１９年６月份）", "6月", 2019},
		{Form2, "重点淘汰行业执法检查统计表（2020年度）", "年度", 2020},
		{Form2, "重点淘汰行业执法检查统计表（ 6 月）", "6月", 0},
		{Form2, "重点淘汰行业执法检查统计表(６月)", "6月", 0},
		{Form2, "重点淘汰行业执法检查统计表（5月）", "5月", 0},
		{Form2, "重点淘汰行业执法检查统计表（首次报送）", "5月", 0},
		{Form2, "重点淘汰行业执法检查统计表（六月）", "6月", 0},
		{Form2, "重点淘汰行业执法检查统计表（年度汇总）", "年度", 0},
		{Form2, "2020年重点淘汰行业执法检查统计表（9月）", "9月", 2020},
		{Form2, "重点淘汰行业执法检查统计表（  月）", "", 0},
		{Form3, Title3, "", 0},
		{Form3, "安全生产“黄”“红”牌企业名单汇总表（6月）", "6月", 0},
		{Form3, "安全生产\"黄\"\"红\"牌企业名单汇总表（2020年6月份）", "6月", 2020},
		{Form3, "安全生产黄红牌企业名单汇总表(2020年度)", "年度", 2020},
		{Form3, "安全生产“黄”“红”牌企业名单汇总表【7月】", "7月", 0},
	}
	for _, tt := range tests {
		var s bookSheet
		if tt.form == Form2 {
			s = sheet2(clean2...)
		} else {
			s = sheet3(clean3...)
		}
		s.rows[1] = []any{tt.title}
		file := makeBook(t, s)
		var period, title string
		var year int
		if tt.form == Form2 {
			res, err := Read2(bytes.NewReader(file))
			if err != nil || len(res.Errors) != 0 {
				t.Fatalf("%s: %+v %v", tt.title, res, err)
			}
			period, year, title = res.Period, res.TitleYear, res.Title
		} else {
			res, err := Read3(bytes.NewReader(file))
			if err != nil || len(res.Errors) != 0 {
				t.Fatalf("%s: %+v %v", tt.title, res, err)
			}
			period, year, title = res.Period, res.TitleYear, res.Title
		}
		if period != tt.period || year != tt.year || title != tt.title {
			t.Errorf("附件%d title %q: period %q, year %d, title %q; want %q, %d", tt.form, tt.title, period, year, title, tt.period, tt.year)
		}
	}
}

// TestReadImpossibleRows: a row of 附件2 that cannot be true is refused,
// naming the cell: people or experts, hazards or major hazards, without
// any inspection. (Documents without an inspection in the period can be
// true — issued in June for a May inspection — and are the store's to
// judge against the year's inspections.)
func TestReadImpossibleRows(t *testing.T) {
	runReadCases(t, []readCase{
		{name: "nothing found without an inspection", form: Form2,
			file: makeBook(t, sheet2(row2(1, func(r []any) { r[3], r[4], r[5], r[6], r[7] = 0, 3, 1, 2, 1 }))),
			errs: []string{
				"第5行 E列（执法检查人员数量（人次））：检查企业次数为0，不能有3人次",
				"第5行 F列（参与检查专家数量（人次））：检查企业次数为0，不能有1人次",
				"第5行 G列（发现问题和隐患数）：检查企业次数为0，不能发现2项问题和隐患",
				"第5行 H列（发现重大隐患数）：检查企业次数为0，不能发现1项重大隐患",
			}},
		{name: "documents alone, and an empty row", form: Form2,
			file: makeBook(t, sheet2(row2(1, func(r []any) { r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10] = 0, 0, 0, 0, 0, 1, 1, 0.5 }),
				row2(2, func(r []any) { r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10] = 0, 0, 0, 0, 0, 0, 0, 0 })))},
		{name: "major hazards above hazards, without an inspection", form: Form2,
			file: makeBook(t, sheet2(row2(1, func(r []any) { r[3], r[4], r[5], r[6], r[7] = 0, 0, 0, 0, 1 }))),
			errs: []string{"第5行 H列（发现重大隐患数）：发现重大隐患数不能大于发现问题和隐患数"}},
	})
}

// TestReadTotal: a 合计 row that does not hold the sum of the rows is a
// warning per column, naming both figures; an empty 合计 cell, or a column
// whose rows have errors, is not compared.
func TestReadTotal(t *testing.T) {
	total := func(vals ...any) []any { return append([]any{"合计", nil, nil}, vals...) }
	runReadCases(t, []readCase{
		{name: "the right total", form: Form2, file: makeBook(t, sheet2(append(clean2, total(3, 9, 1, 7, 1, 3, 1, 0.5))...)), want: want2},
		{name: "an empty total", form: Form2, file: makeBook(t, sheet2(append(clean2, total())...)), want: want2},
		{name: "wrong totals", form: Form2, file: makeBook(t, sheet2(append(clean2, total(12, 9, 1, 7, 1, "3", 1, 0.3))...)), want: want2,
			errs: []string{"第7行 D列（检查企业次数）：合计为12，各行之和为3", "第7行 K列（行政罚款总数（万元））：合计为0.3，各行之和为0.5"},
			warn: []bool{true, true}},
		{name: "a row's error", form: Form2,
			file: makeBook(t, sheet2(row2(1, func(r []any) { r[3] = "两次" }), clean2[1], total(9, 9, 1, 7, 1, 3, 1, 0.5))),
			errs: []string{"第5行 D列（检查企业次数）：应为整数"}},
	})
}

// TestReadWithinPeriod: 附件3 as the system writes it says 整改期限内 in
// 是否按期整改合格 for a yellow card whose deadline has not come; the reader
// takes it back, and refuses it on a red card.
func TestReadWithinPeriod(t *testing.T) {
	yellow := row3(1, func(r []any) { r[6], r[7], r[8] = taotai.Form3WithinPeriod, "黄牌", nil })
	want := want3[1]
	want.RectifiedInTime, want.Card, want.Basis = taotai.Form3WithinPeriod, "黄牌", ""
	runReadCases(t, []readCase{
		{name: "a yellow card", form: Form3, file: makeBook(t, sheet3(yellow)), want: []Row3{want}},
		{name: "a red card", form: Form3, file: makeBook(t, sheet3(row3(1, func(r []any) { r[6] = "整改期限内" }))),
			errs: []string{"第5行 G列（是否按期整改合格）：红牌应为是或否（“整改期限内”只用于整改期限未到的黄牌）"}},
	})
}
