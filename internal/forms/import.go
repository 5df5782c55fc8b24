package forms

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"math"
	"regexp"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"taotai"
)

// RowError is one problem of one cell of a filled form.
type RowError struct {
	Row     int    // the spreadsheet's own row number
	Col     string // the column letter as Excel shows it: "C"
	Field   string // the column's header text, as the notice prints it
	Message string // what is wrong, in Chinese: "不能为空"
	// Warning marks a problem a person may confirm rather than fix (a
	// credit code whose check digit fails, as early pilot codes do).
	Warning bool
}

// String gives the issue as a person reads it beside the spreadsheet:
// 第7行 C列（所在地址）：不能为空.
func (e RowError) String() string {
	return fmt.Sprintf("第%d行 %s列（%s）：%s", e.Row, e.Col, e.Field, e.Message)
}

// Result1 is what Read1 found: every data row read, valid or not, with its
// row number in the spreadsheet (RowNumbers[i] for Rows[i]), and every
// problem found. A row is good when no error names its row number.
type Result1 struct {
	Rows       []Row1
	RowNumbers []int
	Errors     []RowError
	// HasCreditCode says the city added a 统一社会信用代码 column; without
	// it every CreditCode is "".
	HasCreditCode bool
	Sheet         string // the worksheet read
	// Cols gives the column letter of each column found, by the header
	// text the notice prints ("企业名称": "B"), for the errors found later
	// against the registry.
	Cols map[string]string
}

// Result2 is what Read2 found; see Result1.
type Result2 struct {
	Rows       []Row2
	RowNumbers []int
	Errors     []RowError
	Sheet      string
	Cols       map[string]string // see Result1
	FormTitle
}

// FormTitle is what 附件2's or 附件3's title says of the form's period.
type FormTitle struct {
	// Period is the period the title names: "5月" … "12月" for
	// 重点淘汰行业执法检查统计表（6月）, "年度" for the annual table, "" when
	// the title is missing or names none.
	Period string
	// TitleYear is the year the title names (（2020年6月）), or 0.
	TitleYear int
	Title     string // the title as written, "" when none was found
}

// Result3 is what Read3 found; see Result1.
type Result3 struct {
	Rows       []Row3
	RowNumbers []int
	Errors     []RowError
	Sheet      string
	Cols       map[string]string // see Result1
	FormTitle
}

// HasHardErrors reports whether errs holds a problem that is not a mere
// warning.
func HasHardErrors(errs []RowError) bool {
	for _, e := range errs {
		if !e.Warning {
			return true
		}
	}
	return false
}

// Text limits of the cells with no domain limit, in characters.
const (
	maxShortText = 50   // 所属行业, 行业, 地区
	maxFreeText  = 2000 // 备注, 整改内容, 拟关闭/关闭依据
)

// headerScanRows is how far down a sheet the header is looked for.
const headerScanRows = 50

// Read1 reads a filled 附件1 重点淘汰行业企业名单. The file is first held to
// CheckFile's limits. It returns an EINVALID *taotai.Error when the file
// cannot be read or has no 附件1 header; problems of the rows are in the
// result. Note is the production state's Chinese name.
func Read1(r io.Reader) (*Result1, error) {
	return safely(func() (*Result1, error) { return read1(r) })
}

// Read2 reads a filled 附件2 重点淘汰行业执法检查统计表; see Read1.
func Read2(r io.Reader) (*Result2, error) {
	return safely(func() (*Result2, error) { return read2(r) })
}

// Read3 reads a filled 附件3 安全生产“黄”“红”牌企业名单汇总表; see Read1.
// 是否按期整改合格 may be empty, or 整改期限内, for a yellow card.
func Read3(r io.Reader) (*Result3, error) {
	return safely(func() (*Result3, error) { return read3(r) })
}

// safely turns a panic of the spreadsheet library on a malformed file into
// an EINVALID error, logging it so that the bug is not lost.
func safely[T any](read func() (*T, error)) (res *T, err error) {
	defer func() {
		if p := recover(); p != nil {
			slog.Error("forms: panic reading a form", "panic", p, "stack", string(debug.Stack()))
			res, err = nil, invalid(msgCorrupted)
		}
	}()
	return read()
}

// Column indexes of each form's spec, in the order of Columns1/2/3.
const (
	c1Seq, c1Name, c1Address, c1Industry, c1Note, c1Code = 0, 1, 2, 3, 4, 5

	c2Seq, c2Name, c2Address, c2Inspections, c2Inspectors, c2Experts, c2Hazards, c2Major = 0, 1, 2, 3, 4, 5, 6, 7
	c2Orders, c2Penalties, c2Fines, c2Note                                               = 8, 9, 10, 11

	c3Seq, c3Region, c3Name, c3Address, c3Industry, c3Rectify, c3InTime, c3Card, c3Basis, c3Closed = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9
)

func read1(r io.Reader) (*Result1, error) {
	t, err := load(r, spec1)
	if err != nil {
		return nil, err
	}
	res := &Result1{HasCreditCode: t.cols[c1Code] >= 0, Sheet: t.sheet, Cols: t.letters()}
	for _, raw := range t.rows {
		c := t.check(raw, &res.Errors)
		row := Row1{
			Name:     c.name(c1Name, taotai.MaxNameLen),
			Address:  c.name(c1Address, taotai.MaxAddressLen),
			Industry: c.text(c1Industry, maxShortText, true),
			Note:     c.productionState(c1Note),
		}
		if res.HasCreditCode {
			row.CreditCode = c.creditCode(c1Code)
		}
		res.Rows = append(res.Rows, row)
		res.RowNumbers = append(res.RowNumbers, raw.num)
	}
	t.belowErrors(&res.Errors)
	return res, nil
}

func read2(r io.Reader) (*Result2, error) {
	t, err := load(r, spec2)
	if err != nil {
		return nil, err
	}
	res := &Result2{Sheet: t.sheet, FormTitle: t.title, Cols: t.letters()}
	sum := newColumnSums(len(spec2.cols)) // what 合计 must hold
	for _, raw := range t.rows {
		c := t.check(raw, &res.Errors)
		row := Row2{
			Name:    c.name(c2Name, taotai.MaxNameLen),
			Address: c.name(c2Address, taotai.MaxAddressLen),
		}
		counts := make([]int, len(spec2.cols))
		ok := make([]bool, len(spec2.cols))
		for j := c2Inspections; j <= c2Penalties; j++ {
			counts[j], ok[j] = c.count(j)
			sum.add(j, counts[j], ok[j])
		}
		row.Inspections, row.InspectorTimes, row.ExpertTimes = counts[c2Inspections], counts[c2Inspectors], counts[c2Experts]
		row.Hazards, row.MajorHazards = counts[c2Hazards], counts[c2Major]
		row.Orders, row.Penalties = counts[c2Orders], counts[c2Penalties]
		// Nobody inspects, and nothing is found, without an inspection.
		none := ok[c2Inspections] && row.Inspections == 0
		if none && row.InspectorTimes > 0 {
			c.fail(c2Inspectors, fmt.Sprintf("检查企业次数为0，不能有%d人次", row.InspectorTimes))
		}
		if none && row.ExpertTimes > 0 {
			c.fail(c2Experts, fmt.Sprintf("检查企业次数为0，不能有%d人次", row.ExpertTimes))
		}
		if none && row.Hazards > 0 {
			c.fail(c2Hazards, fmt.Sprintf("检查企业次数为0，不能发现%d项问题和隐患", row.Hazards))
		}
		switch {
		case ok[c2Hazards] && ok[c2Major] && row.MajorHazards > row.Hazards:
			c.fail(c2Major, "发现重大隐患数不能大于发现问题和隐患数")
		case none && row.MajorHazards > 0:
			c.fail(c2Major, fmt.Sprintf("检查企业次数为0，不能发现%d项重大隐患", row.MajorHazards))
		}
		var okFines bool
		row.Fines, okFines = c.wan(c2Fines)
		switch {
		case !ok[c2Penalties]:
		case row.Fines > 0 && row.Penalties == 0:
			c.fail(c2Fines, "有罚款但下达行政处罚文书为0份，罚款须由行政处罚决定书作出")
		case row.Fines > taotai.MaxFine*taotai.Yuan(row.Penalties):
			c.fail(c2Fines, fmt.Sprintf("超过法定上限：每份行政处罚决定书罚款最高1亿元（10000万元），%d份最多%s万元",
				row.Penalties, (taotai.MaxFine*taotai.Yuan(row.Penalties)).Wan()))
		}
		if !sum.addFines(row.Fines, okFines) {
			c.fail(c2Fines, "各行罚款合计超出可计算的范围，请核对金额及单位（万元）")
		}
		row.Note = c.text(c2Note, maxFreeText, false)
		c.reorder()
		res.Rows = append(res.Rows, row)
		res.RowNumbers = append(res.RowNumbers, raw.num)
	}
	if t.total != nil {
		sum.check(t.check(*t.total, &res.Errors))
	}
	t.belowErrors(&res.Errors)
	return res, nil
}

// columnSums are the sums of 附件2's number columns over its rows, which
// its 合计 row must hold; a column with a cell that could not be read has
// no sum.
type columnSums struct {
	counts  []int
	ok      []bool
	fines   taotai.Yuan
	finesOK bool
}

func newColumnSums(n int) *columnSums {
	s := &columnSums{counts: make([]int, n), ok: make([]bool, n), finesOK: true}
	for j := range s.ok {
		s.ok[j] = true
	}
	return s
}

func (s *columnSums) add(j, n int, ok bool) {
	s.counts[j] += n
	s.ok[j] = s.ok[j] && ok
}

// addFines adds a row's fines; it reports false when the sum no longer
// fits.
func (s *columnSums) addFines(y taotai.Yuan, ok bool) bool {
	sum, fits := s.fines.Plus(y)
	s.fines, s.finesOK = sum, s.finesOK && ok && fits
	return fits
}

// check compares the 合计 row c with the sums: a figure that differs is a
// warning naming both, for a person to confirm (the rows are what is
// imported). An empty or unreadable 合计 cell is not compared.
func (s *columnSums) check(c *rowCheck) {
	for j := c2Inspections; j <= c2Penalties; j++ {
		v := plainNumber(c.value(j))
		if n, msg := taotai.ParseCount("", v); s.ok[j] && compactText(v) != "" && msg == "" && n != s.counts[j] {
			c.add(j, fmt.Sprintf("合计为%d，各行之和为%d", n, s.counts[j]), true)
		}
	}
	v := plainNumber(c.value(c2Fines))
	if y, err := taotai.ParseWan(v); s.finesOK && compactText(v) != "" && err == nil && y != s.fines {
		c.add(c2Fines, fmt.Sprintf("合计为%s，各行之和为%s", y.Wan(), s.fines.Wan()), true)
	}
}

func read3(r io.Reader) (*Result3, error) {
	t, err := load(r, spec3)
	if err != nil {
		return nil, err
	}
	res := &Result3{Sheet: t.sheet, FormTitle: t.title, Cols: t.letters()}
	for _, raw := range t.rows {
		c := t.check(raw, &res.Errors)
		row := Row3{
			Region:   c.text(c3Region, maxShortText, false),
			Name:     c.name(c3Name, taotai.MaxNameLen),
			Address:  c.name(c3Address, taotai.MaxAddressLen),
			Industry: c.text(c3Industry, maxShortText, false),
			Rectify:  c.text(c3Rectify, maxFreeText, false),
		}
		// Read in column order, so that the errors come in column order,
		// but 是否按期整改合格 may be empty, or 整改期限内 (as the system
		// writes it while the deadline has not come), only on a yellow card.
		inTime := c.value(c3InTime)
		row.Card = c.card(c3Card)
		switch {
		case compactText(inTime) != taotai.Form3WithinPeriod:
			row.RectifiedInTime = c.yesNo(c3InTime, inTime != "" || row.Card == "红牌")
		case row.Card == "红牌":
			c.fail(c3InTime, "红牌应为是或否（“"+taotai.Form3WithinPeriod+"”只用于整改期限未到的黄牌）")
			row.RectifiedInTime = inTime
		default:
			row.RectifiedInTime = taotai.Form3WithinPeriod
		}
		c.reorder()
		row.Basis = c.text(c3Basis, maxFreeText, false)
		row.Closed = c.yesNo(c3Closed, true)
		res.Rows = append(res.Rows, row)
		res.RowNumbers = append(res.RowNumbers, raw.num)
	}
	t.belowErrors(&res.Errors)
	return res, nil
}

// load reads the upload, holds it to CheckFile's limits and reads the
// form's table.
func load(r io.Reader, spec *formSpec) (*table, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("forms: read upload: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, invalid(msgTooBig)
	}
	if err := CheckFile(bytes.NewReader(data), int64(len(data))); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUnzippedSize})
	if err != nil {
		return nil, invalid(msgCorrupted)
	}
	defer func() { _ = f.Close() }() // read from memory: closing only drops temporary files
	var miss headerMiss
	for _, sheet := range f.GetSheetList() {
		t, err := readSheet(f, sheet, spec, &miss)
		if err != nil || t != nil {
			return t, err
		}
	}
	return nil, invalid(miss.message(spec))
}

// A column of a form as the reader knows it.
type column struct {
	name     string   // the header text, as the notice prints it
	aliases  []string // other header texts people use for it
	optional bool     // the table is recognised without it
	fill     bool     // a vertically merged cell's value is carried down
	// contains, when set, recognises any header text that contains it.
	contains string
	keys     []string // name and aliases, normalised
}

// formSpec is the reader's view of a form.
type formSpec struct {
	form    int
	cols    []column
	nameCol int // the index of 企业名称, which names a row in messages
	// title is the title of a form whose title names its period, as
	// titleKey gives it; "" for 附件1.
	title string
}

func newSpec(form, nameCol int, title string, cols []column) *formSpec {
	for i := range cols {
		for _, s := range append([]string{cols[i].name}, cols[i].aliases...) {
			cols[i].keys = append(cols[i].keys, headerKey(s))
		}
	}
	if i := strings.Index(title, "%"); i >= 0 { // a format: 重点淘汰行业执法检查统计表（%s）
		title = strings.TrimRight(title[:i], "（(")
	}
	return &formSpec{form: form, cols: cols, nameCol: nameCol, title: titleKey(title)}
}

var (
	spec1 = newSpec(Form1, c1Name, "", []column{
		{name: Columns1[0], optional: true},
		{name: Columns1[1], aliases: []string{"单位名称"}},
		{name: Columns1[2], aliases: []string{"地址", "企业地址"}},
		{name: Columns1[3], aliases: []string{"行业"}, fill: true},
		{name: Columns1[4], aliases: []string{"生产状态", "备注（生产状态）"}, fill: true},
		{name: "统一社会信用代码", optional: true, contains: "信用代码"},
	})
	spec2 = newSpec(Form2, c2Name, Title2, []column{
		{name: Columns2[0], optional: true},
		{name: Columns2[1], aliases: []string{"单位名称"}},
		{name: Columns2[2], aliases: []string{"地址", "企业地址"}},
		{name: Columns2[3]},
		{name: Columns2[4], aliases: []string{"执法检查人员数量"}},
		{name: Columns2[5], aliases: []string{"参与检查专家数量"}},
		{name: Columns2[6]},
		{name: Columns2[7]},
		{name: Columns2[8], aliases: []string{"下达整改指令书"}},
		{name: Columns2[9], aliases: []string{"下达行政处罚文书"}},
		{name: Columns2[10], aliases: []string{"行政罚款总额（万元）"}},
		{name: Columns2[11]},
	})
	spec3 = newSpec(Form3, c3Name, Title3, []column{
		{name: Columns3[0], optional: true},
		{name: Columns3[1], fill: true},
		{name: Columns3[2], aliases: []string{"单位名称"}},
		{name: Columns3[3], aliases: []string{"所在地址", "企业地址"}},
		{name: Columns3[4], aliases: []string{"所属行业"}, fill: true},
		{name: Columns3[5]},
		{name: Columns3[6], fill: true},
		{name: Columns3[7], aliases: []string{"黄牌/红牌", "黄红牌"}, fill: true},
		{name: Columns3[8], aliases: []string{"关闭依据", "拟关闭依据"}, fill: true},
		{name: Columns3[9], fill: true},
	})
	allSpecs = []*formSpec{spec1, spec2, spec3}
)

// headerKey normalises a header text for comparison: full-width folded,
// spaces and line breaks removed, required-marks and quotes dropped.
func headerKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n', '\u00a0', '*', '"', '\'', '“', '”', ':':
			return -1
		}
		return r
	}, taotai.FoldWidth(s))
}

// match returns the spec's column that header text k names, or -1.
func (s *formSpec) match(k string) int {
	for j, c := range s.cols {
		for _, key := range c.keys {
			if k == key {
				return j
			}
		}
		if c.contains != "" && strings.Contains(k, c.contains) {
			return j
		}
	}
	return -1
}

// matchHeader maps the spec's columns to the cells of a row (-1 where
// absent) and reports the required columns missing.
func matchHeader(cells []string, spec *formSpec) (cols []int, missing []string) {
	cols = make([]int, len(spec.cols))
	for j := range cols {
		cols[j] = -1
	}
	for i, cell := range cells {
		if k := headerKey(cell); k != "" {
			if j := spec.match(k); j >= 0 && cols[j] < 0 {
				cols[j] = i
			}
		}
	}
	for j, c := range spec.cols {
		if cols[j] < 0 && !c.optional {
			missing = append(missing, c.name)
		}
	}
	return cols, missing
}

// headerMiss remembers the row that came closest to the form's header,
// and any other form's header seen, to say why none was found.
type headerMiss struct {
	sheet   string
	row     int
	found   int // required columns found in that row
	missing []string
	other   int // another form whose header was seen
}

func (m *headerMiss) note(sheet string, row int, cells []string, spec *formSpec) {
	_, missing := matchHeader(cells, spec)
	required := 0
	for _, c := range spec.cols {
		if !c.optional {
			required++
		}
	}
	if found := required - len(missing); found > m.found {
		*m = headerMiss{sheet: sheet, row: row, found: found, missing: missing, other: m.other}
	}
	for _, o := range allSpecs {
		if _, miss := matchHeader(cells, o); o != spec && len(miss) == 0 && m.other == 0 {
			m.other = o.form
		}
	}
}

func (m *headerMiss) message(spec *formSpec) string {
	var names []string
	for _, c := range spec.cols {
		if !c.optional || c.contains == "" {
			names = append(names, c.name)
		}
	}
	msg := fmt.Sprintf("未找到附件%d的表头。表头应包含：%s。", spec.form, strings.Join(names, "、"))
	if m.other != 0 {
		msg += fmt.Sprintf("这个文件似乎是附件%d，请确认上传的是附件%d。", m.other, spec.form)
	} else if m.found >= 2 {
		msg += fmt.Sprintf("工作表“%s”第%d行缺少：%s。", m.sheet, m.row, strings.Join(m.missing, "、"))
	}
	return msg + "请使用通知所附表格的格式，不要改动表头各列的名称。"
}

// table is a form's table as read from a sheet, before validation.
type table struct {
	spec   *formSpec
	sheet  string
	header int   // the header's row number
	cols   []int // per spec column, the 0-based cell index; -1 if absent
	rows   []rawRow
	title  FormTitle // what 附件2's or 附件3's title says
	// ended says what ended the table: "合计" (附件2's total row) or "注"
	// (the notes); "" while it goes on.
	ended string
	// below are the rows that look like data under the table's end: they
	// are not read, and each is refused.
	below []belowRow
	total *rawRow // 附件2's 合计 row, nil without one
}

// belowRow is a row that looks like data under the table's end, and what
// ended the table above it: "合计" or "注".
type belowRow struct {
	num   int
	after string
}

// rawRow is a data row: its row number and its cells per spec column,
// trimmed.
type rawRow struct {
	num   int
	cells []string
}

// rawValues asks excelize for the cells' stored values, not formatted by
// their number format (a count formatted "0" must not round 2.5 to 3).
var rawValues = excelize.Options{RawCellValue: true}

// readSheet looks for the spec's header in the first rows of a sheet and
// reads the table under it; it returns nil without error when the sheet
// has no such header.
func readSheet(f *excelize.File, sheet string, spec *formSpec, miss *headerMiss) (*table, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, invalid(msgCorrupted)
	}
	defer func() { _ = rows.Close() }() // a read error is reported by rows.Error below
	t := &table{spec: spec, sheet: sheet}
	for n := 1; rows.Next(); n++ {
		if n > MaxRows {
			return nil, invalid(msgTooLong)
		}
		cells, err := rows.Columns(rawValues)
		if err != nil {
			return nil, invalid(msgCorrupted)
		}
		if t.header == 0 {
			if n > headerScanRows {
				return nil, nil
			}
			if cols, missing := matchHeader(cells, spec); len(missing) == 0 {
				t.header, t.cols = n, cols
			} else if title, ok := readTitle(cells, spec); ok {
				t.title = title
			} else {
				miss.note(sheet, n, cells, spec)
			}
			continue
		}
		switch kindOf(cells) {
		case rowTotal:
			if t.ended == "" {
				raw, _ := t.pick(n, cells)
				t.total, t.ended = &raw, "合计"
			}
			continue
		case rowNotes:
			t.ended = "注"
			continue
		case rowSkip:
			continue
		}
		raw, ok := t.pick(n, cells)
		switch {
		case !ok:
		case t.ended == "":
			t.rows = append(t.rows, raw)
		case !belowNote(cells):
			t.below = append(t.below, belowRow{n, t.ended})
		}
	}
	if rows.Error() != nil {
		return nil, invalid(msgCorrupted)
	}
	if t.header == 0 {
		return nil, nil
	}
	t.fillMerged(f)
	return t, nil
}

// readTitle finds the form's title among a row's cells and reads the
// period and year it names, as clerks write them: 重点淘汰行业执法检查统计表
// followed by （6月）, （6月份）, （2020年6月）, （六月）, （2020年度）,
// （年度汇总）, （首次报送） (the first report, 5月) or nothing, in full-width or
// half-width brackets and digits, with or without spaces; a year may also
// stand before the title (2020年重点淘汰…).
func readTitle(cells []string, spec *formSpec) (FormTitle, bool) {
	if spec.title == "" {
		return FormTitle{}, false
	}
	for _, c := range cells {
		k := titleKey(c)
		at := strings.Index(k, spec.title)
		if at < 0 {
			continue
		}
		t := FormTitle{Title: strings.TrimSpace(c)}
		if m := yearBefore.FindStringSubmatch(k[:at]); m != nil {
			t.TitleYear, _ = strconv.Atoi(m[1])
		}
		rest := k[at+len(spec.title):]
		for _, b := range [][2]string{{"(", ")"}, {"【", "】"}, {"〔", "〕"}, {"[", "]"}} {
			if inner, ok := strings.CutPrefix(rest, b[0]); ok {
				rest = strings.TrimSuffix(inner, b[1])
				break
			}
		}
		if m := yearFirst.FindStringSubmatch(rest); m != nil {
			t.TitleYear, _ = strconv.Atoi(m[1])
			if rest = rest[len(m[0]):]; rest == "度" { // （2020年度）
				rest = "年度"
			}
		}
		switch rest {
		case "年度", "年度汇总", "度汇总", "全年":
			t.Period = "年度"
		case "首次报送", "首报":
			t.Period = "5月"
		default:
			m, ok := strings.CutSuffix(strings.TrimSuffix(rest, "份"), "月")
			if n := monthNumber(m); ok && n >= 1 && n <= 12 {
				t.Period = strconv.Itoa(n) + "月"
			}
		}
		return t, true
	}
	return FormTitle{}, false
}

var (
	yearBefore = regexp.MustCompile(`(\d{4})年$`)
	yearFirst  = regexp.MustCompile(`^(\d{4})年`)
)

// titleKey is a title as readTitle compares it: full-width folded, spaces
// and quotes removed.
func titleKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '"', '\'', '“', '”', '‘', '’', '「', '」', '『', '』':
			return -1
		}
		return r
	}, compactText(s))
}

// monthNumber reads a month written in digits or in Chinese (六, 十二), or
// returns 0.
func monthNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	chinese := []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"}
	for i, c := range chinese {
		if s == c {
			return i + 1
		}
	}
	return 0
}

// Kinds of rows under the header, judged on all the row's cells.
const (
	rowData  = iota
	rowSkip  // blank, or the "…" of the printed form
	rowTotal // 合计: the table's rows are over
	rowNotes // the notes (注：…): the table is over
)

func kindOf(cells []string) int {
	first, dots := "", true
	for _, c := range cells {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		if first == "" {
			first = compactText(c)
		}
		if strings.Trim(c, "…⋯.·。．") != "" {
			dots = false
			break
		}
	}
	switch {
	case first == "" || dots:
		return rowSkip
	case strings.HasPrefix(first, "合计"), strings.HasPrefix(first, "总计"):
		return rowTotal
	case strings.HasPrefix(first, "注:"), strings.HasPrefix(first, "说明:"):
		return rowNotes
	case strings.HasPrefix(first, "注") && len(first) > len("注") && first[len("注")] >= '0' && first[len("注")] <= '9':
		return rowNotes // 注1.…
	}
	return rowData
}

// belowNote reports whether a row under the table's end is what people
// put there rather than an enterprise: a further numbered note
// ("2.如企业存在重大隐患…") or a signature line (填表人：…).
func belowNote(cells []string) bool {
	first := ""
	for _, c := range cells {
		if first = compactText(c); first != "" {
			break
		}
	}
	if rest := strings.TrimLeft(first, "0123456789"); len(rest) < len(first) {
		for _, mark := range []string{".", "、"} {
			if text, ok := strings.CutPrefix(rest, mark); ok && strings.Trim(text, "0123456789") != "" {
				return true // a numbered note, not a 序号 written "4."
			}
		}
	}
	for _, p := range []string{"填表", "填报", "制表", "审核", "审批", "负责人", "单位负责人", "主要负责人", "联系", "日期", "报送"} {
		if strings.HasPrefix(first, p) {
			return true
		}
	}
	return false
}

// compactText folds full-width characters and removes every space.
func compactText(s string) string {
	return strings.Join(strings.Fields(taotai.FoldWidth(s)), "")
}

// pick takes the spec's columns out of a row; it reports false for a row
// with nothing but a 序号, such as the numbered empty rows of the printed
// form, and for a repeated header.
func (t *table) pick(n int, cells []string) (rawRow, bool) {
	raw := rawRow{num: n, cells: make([]string, len(t.cols))}
	blank := true
	for j, i := range t.cols {
		if i < 0 || i >= len(cells) {
			continue
		}
		raw.cells[j] = ReadText(strings.TrimSpace(cells[i]))
		if j != 0 && raw.cells[j] != "" { // 0 is 序号 in every form
			blank = false
		}
	}
	if blank || t.spec.match(headerKey(raw.cells[1])) == 1 { // 1 is 企业名称, or 地区 in 附件3
		return raw, false
	}
	return raw, true
}

// fillMerged carries the value of a vertically merged cell down the rows
// of its range, for the columns that group rows (地区, 行业 …): excelize
// gives the value to the range's top-left cell only. The merged ranges are
// read only when such a cell is empty; when excelize cannot give them, the
// cells stay as they are.
func (t *table) fillMerged(f *excelize.File) {
	need := false
	for _, r := range t.rows {
		for j, c := range t.spec.cols {
			need = need || c.fill && t.cols[j] >= 0 && r.cells[j] == ""
		}
	}
	if !need {
		return
	}
	merges, err := f.GetMergeCells(t.sheet, true)
	if err != nil {
		return
	}
	for _, m := range merges {
		col, top, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		_, bottom, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		t.fillDown(col-1, top, bottom)
	}
}

// fillDown copies the value of cell index col at row top into the empty
// cells of the same column in rows top+1 … bottom.
func (t *table) fillDown(col, top, bottom int) {
	j := -1
	for k, i := range t.cols {
		if i == col && t.spec.cols[k].fill {
			j = k
		}
	}
	at := sort.Search(len(t.rows), func(i int) bool { return t.rows[i].num >= top })
	if j < 0 || at == len(t.rows) || t.rows[at].num != top || t.rows[at].cells[j] == "" {
		return
	}
	v := t.rows[at].cells[j]
	for i := at + 1; i < len(t.rows) && t.rows[i].num <= bottom; i++ {
		if t.rows[i].cells[j] == "" {
			t.rows[i].cells[j] = v
		}
	}
}

// belowErrors refuses the rows typed under the table's end, naming each
// by its 企业名称 cell: they are not read, and must not be lost unseen.
func (t *table) belowErrors(errs *[]RowError) {
	for _, b := range t.below {
		c := t.check(rawRow{num: b.num}, errs)
		if b.after == "合计" {
			c.fail(t.spec.nameCol, "该行在合计行之下，没有作为数据读取；请移到合计行之上或删除")
		} else {
			c.fail(t.spec.nameCol, "该行在表格末尾的“注”之下，没有作为数据读取；请移到表格中（“注”之上）或删除")
		}
	}
}

// letters gives the column letter of each column found, by its name.
func (t *table) letters() map[string]string {
	m := make(map[string]string, len(t.cols))
	for j, i := range t.cols {
		if i >= 0 {
			m[t.spec.cols[j].name], _ = excelize.ColumnNumberToName(i + 1)
		}
	}
	return m
}

// rowCheck validates the cells of one row, appending to errs.
type rowCheck struct {
	t    *table
	raw  rawRow
	errs *[]RowError
	from int // the first error of this row in errs
}

func (t *table) check(raw rawRow, errs *[]RowError) *rowCheck {
	return &rowCheck{t: t, raw: raw, errs: errs, from: len(*errs)}
}

func (c *rowCheck) value(j int) string { return c.raw.cells[j] }

func (c *rowCheck) fail(j int, msg string) { c.add(j, msg, false) }

func (c *rowCheck) add(j int, msg string, warning bool) {
	col, _ := excelize.ColumnNumberToName(max(c.t.cols[j], 0) + 1)
	*c.errs = append(*c.errs, RowError{Row: c.raw.num, Col: col, Field: c.t.spec.cols[j].name,
		Message: strings.TrimSuffix(msg, "。"), Warning: warning})
}

// reorder sorts this row's errors by column, for checks made out of order.
func (c *rowCheck) reorder() {
	mine := (*c.errs)[c.from:]
	sort.SliceStable(mine, func(a, b int) bool { return colLess(mine[a].Col, mine[b].Col) })
}

func colLess(a, b string) bool { return len(a) < len(b) || len(a) == len(b) && a < b }

// text returns a cell's text, checking that it is present when required
// and no longer than max characters.
func (c *rowCheck) text(j, max int, required bool) string {
	v := c.value(j)
	switch n := utf8.RuneCountInString(v); {
	case !taotai.ValidText(v, true):
		c.fail(j, "含有不允许的字符（控制字符、不可见的格式字符或无效编码），请删除后重新填写")
	case required && n == 0:
		c.fail(j, "不能为空")
	case n > max:
		c.fail(j, fmt.Sprintf("不能超过%d个字，当前%d个字", max, n))
	}
	return v
}

// name is a required one-line text (企业名称, 地址): a line break typed
// inside the cell (Alt+Enter) is removed with the spaces around it.
func (c *rowCheck) name(j, max int) string {
	v := c.value(j)
	if strings.ContainsAny(v, "\r\n") {
		lines := strings.FieldsFunc(v, func(r rune) bool { return r == '\r' || r == '\n' })
		for i := range lines {
			lines[i] = strings.TrimSpace(lines[i])
		}
		c.raw.cells[j] = strings.Join(lines, "")
	}
	return c.text(j, max, true)
}

// quote shows a bad value in a message, shortened.
func quote(v string) string {
	if r := []rune(v); len(r) > 20 {
		v = string(r[:20]) + "…"
	}
	return "“" + v + "”"
}

// productionState reads 附件1's 备注 and returns the state's Chinese name.
func (c *rowCheck) productionState(j int) string {
	v := compactText(c.value(j))
	if v == "" {
		c.fail(j, "不能为空，应填写正常生产、局部生产或停产")
		return ""
	}
	k, ok := taotai.ParseProductionState(v)
	if !ok {
		c.fail(j, "应为正常生产、局部生产或停产，当前为"+quote(c.value(j)))
		return c.value(j)
	}
	return taotai.ProductionStateName(k)
}

// creditCode checks an added 统一社会信用代码 (empty is allowed: the code
// may still be lacking); a failing check digit is a warning to confirm.
func (c *rowCheck) creditCode(j int) string {
	if c.value(j) == "" {
		return ""
	}
	r := taotai.CheckUSCC(c.value(j))
	switch {
	case r.Err != "":
		c.fail(j, r.Err)
	case r.Warning != "":
		c.add(j, r.Warning, true)
	}
	return r.Code
}

// count reads a non-negative whole number.
func (c *rowCheck) count(j int) (int, bool) {
	v := plainNumber(c.value(j))
	if compactText(v) == "" {
		c.fail(j, "不能为空，没有请填0")
		return 0, false
	}
	n, msg := taotai.ParseCount("", v)
	if msg != "" {
		c.fail(j, msg)
		return 0, false
	}
	return n, true
}

// wan reads an amount in 万元 with at most 4 decimals.
func (c *rowCheck) wan(j int) (taotai.Yuan, bool) {
	v := plainNumber(c.value(j))
	if compactText(v) == "" {
		c.fail(j, "不能为空，没有请填0")
		return 0, false
	}
	y, err := taotai.ParseWan(v)
	if err != nil {
		c.fail(j, taotai.ErrorMessage(err))
		return 0, false
	}
	return y, true
}

// card reads 黄/红牌: 黄牌 or 红牌 (黄, 红 accepted).
func (c *rowCheck) card(j int) string {
	switch v := compactText(c.value(j)); v {
	case "黄牌", "黄":
		return "黄牌"
	case "红牌", "红":
		return "红牌"
	case "":
		c.fail(j, "不能为空，应为黄牌或红牌")
	default:
		c.fail(j, "应为黄牌或红牌，当前为"+quote(c.value(j)))
	}
	return c.value(j)
}

// yesNo reads 是 or 否; empty is an error only when required.
func (c *rowCheck) yesNo(j int, required bool) string {
	switch v := compactText(c.value(j)); v {
	case "是", "否":
		return v
	case "":
		if required {
			c.fail(j, "不能为空，应为是或否")
		}
		return ""
	}
	c.fail(j, "应为是或否，当前为"+quote(c.value(j)))
	return c.value(j)
}

// plainNumber writes a number as a spreadsheet stores it in decimal
// notation: "1E-4" as "0.0001", and a binary fraction left by a formula
// (0.30000000000000004) as the 4-decimal value it stands for. Anything
// else, text typed by a person included, is returned as it is.
func plainNumber(s string) string {
	mant, exp, hasExp := strings.Cut(strings.ToUpper(s), "E")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(mant, "-"), ".")
	if whole == "" || !digits(whole) || !digits(frac) || hasExp && !digits(strings.TrimLeft(exp, "+-")) ||
		!hasExp && len(frac) < 10 {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return s
	}
	if r := math.Round(f*1e4) / 1e4; math.Abs(f-r) <= 1e-9*math.Max(1, math.Abs(f)) {
		f = r
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
