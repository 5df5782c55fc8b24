package forms

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"taotai"
)

// The layout of every written form, as the notice prints its attachments,
// the same in the .xlsx and, cell for cell, in the CSV:
//
//	row 1  附件N                               (bold, at A1)
//	row 2  the title                           (merged across the table, centred, bold, large)
//	row 3  填报单位：…  填报人：…  联系电话：…  填报日期：…   (merged across the table)
//	row 4  the column header                   (bordered, bold, centred, broken into lines where a reader expects)
//	row 5… the numbered rows 1, 2, …           (bordered, long text wrapped)
//	       or, for a period without rows, one row 无 (merged across the table)
//	       附件2 only: the 合计 row
//	       the notes, one row each             (merged across the table, left, wrapped)
//
// The sheet is named after the mark (附件1, 附件2, 附件3) and prints on A4
// landscape with rows 1–4 repeated on every page. It prints at 100%, its
// text at 10.5 points (五号): the columns add up to less than the page's printable
// width as Excel and WPS measure them (tableFits), long text wraps within
// its column, and each row is as tall as its wrapped text (rowHeight).
// Fit to one page wide stays on only as a guard, for a person who widens
// a column or an application whose default font is wider (LibreOffice
// without Calibri or a metric-compatible font lays the columns out about a
// third wider, and would print the last columns on pages of their own).
const (
	markRow   = 1
	titleRow  = 2
	headRow   = 3
	columnRow = 4
	firstRow  = 5 // the first data row
)

// CreditCodeColumn is the column a city may add to 附件1 after 企业名称. It
// is not part of the notice's layout; Write1 writes it only when asked.
const CreditCodeColumn = "统一社会信用代码" //nolint:gosec // a column heading, not a credential

// TotalLabel is the text of the 序号 cell of 附件2's total row.
const TotalLabel = "合计"

// NoneLabel is the one row of a form whose period has no rows, in its
// 序号 cell, merged across the table. The reader skips it: a row with
// nothing but a 序号 is not an enterprise.
const NoneLabel = "无"

// cellKind says how a column's cells are written and styled.
type cellKind int

const (
	kindSeq   cellKind = iota // 序号: an integer, centred
	kindText                  // long text: left-aligned, wrapped
	kindShort                 // short text (行业, 是/否, 黄牌): centred, wrapped
	kindCode                  // a code kept as text (统一社会信用代码): centred
	kindInt                   // a count: an integer number, centred
	kindMoney                 // an amount in 万元: a number, at most 4 decimals, right-aligned on the point
)

// layoutCol is one column of a form: its header text as printed, its
// width in Excel character units (see unitPoints), its kind.
type layoutCol struct {
	// head is the official column name (Columns1/2/3), with line breaks
	// where a Chinese reader expects them: 行政罚款总数 / （万元）. The
	// reader drops line breaks when it matches a header.
	head  string
	width float64
	kind  cellKind
}

// formLayout is everything of a form but its rows.
type formLayout struct {
	mark  string // 附件1 …; also the sheet name
	title string
	cols  []layoutCol
	notes []string
}

// The columns of each form, index by index with Columns1/2/3. Their
// widths add up to 144 units, 756 points in Excel, under the 784 points
// between A4 landscape's side margins: at 10.5 points a text column 17
// units wide holds 8 Chinese characters a line, a count's column 9 holds
// 4, and its header is cut into lines of 4: 执法检查 / 人员数量 / （人次）.
var (
	layoutCols1 = []layoutCol{{"序号", 6, kindSeq}, {"企业名称", 42, kindText}, {"所在地址", 70, kindText},
		{"所属行业", 14, kindShort}, {"备注", 12, kindShort}}
	// 附件1 with the city's 统一社会信用代码: the code's room is taken
	// from the name and the address.
	layoutCols1Code = []layoutCol{{"序号", 6, kindSeq}, {"企业名称", 37.5, kindText},
		{CreditCodeColumn, 25, kindCode}, {"所在地址", 49.5, kindText}, {"所属行业", 14, kindShort}, {"备注", 12, kindShort}}
	layoutCols2 = []layoutCol{{"序号", 6, kindSeq}, {"企业名称", 17, kindText}, {"所在地址", 21, kindText},
		{"检查企业\n次数", 9, kindInt}, {"执法检查\n人员数量\n（人次）", 9, kindInt},
		{"参与检查\n专家数量\n（人次）", 9, kindInt}, {"发现问题\n和隐患数", 9, kindInt},
		{"发现重大\n隐患数", 9, kindInt}, {"下达整改\n指令书\n（份）", 9, kindInt},
		{"下达行政\n处罚文书\n（份）", 9, kindInt}, {"行政罚款总数\n（万元）", 14.5, kindMoney}, {"备注", 22.5, kindText}}
	layoutCols3 = []layoutCol{{"序号", 6, kindSeq}, {"地区", 9, kindShort}, {"企业名称", 18.5, kindText},
		{"地址", 23, kindText}, {"行业", 9, kindShort}, {"安全生产条件不达标\n应限期整改内容", 33.5, kindText},
		{"是否按期\n整改合格", 9, kindShort}, {"黄/红牌", 8, kindShort}, {"拟关闭/\n关闭依据", 21, kindText},
		{"是否\n已关闭", 7, kindShort}}
)

// ColumnHeads are form 1, 2 or 3's column headers as printed: the
// official names (Columns1/2/3) with line breaks where a reader expects
// them, 执法检查 / 人员数量 / （人次）. The print view breaks its header
// there too; the reader drops the line breaks.
func ColumnHeads(form int) []string {
	var cols []layoutCol
	switch form {
	case Form1:
		cols = layoutCols1
	case Form2:
		cols = layoutCols2
	case Form3:
		cols = layoutCols3
	}
	heads := make([]string, len(cols))
	for i, c := range cols {
		heads[i] = c.head
	}
	return heads
}

// layout1 is 附件1's layout: Columns1, with 统一社会信用代码 after 企业名称
// when withCreditCode.
func layout1(withCreditCode bool) formLayout {
	cols := layoutCols1
	if withCreditCode {
		cols = layoutCols1Code
	}
	return formLayout{mark: "附件1", title: Title1, cols: cols, notes: Notes1}
}

func layout2(h Header) formLayout {
	return formLayout{mark: "附件2", title: Title2Of(h.Period), cols: layoutCols2, notes: withSpan(Notes2, h.Span)}
}

func layout3(h Header) formLayout {
	return formLayout{mark: "附件3", title: Title3Of(h.Period), cols: layoutCols3, notes: withSpan(nil, h.Span)}
}

// withSpan adds the line naming the period's days to notes.
func withSpan(notes []string, span string) []string {
	if span == "" {
		return notes
	}
	return append(append([]string(nil), notes...), SpanNote(span))
}

// Title2Of is 附件2's title for a period: "5月" gives
// 重点淘汰行业执法检查统计表（5月）, "年度" the annual table's title. A bare
// month number ("5") is read as that month; an empty period leaves the
// blank of the printed notice: （  月）.
func Title2Of(period string) string {
	switch {
	case period == "":
		period = "  月"
	case allASCIIDigits(period):
		period += "月"
	}
	return fmt.Sprintf(Title2, period)
}

// Title3Of is 附件3's title for a period, named as in 附件2's title:
// "6月" gives 安全生产“黄”“红”牌企业名单汇总表（6月）, "年度"
// 安全生产“黄”“红”牌企业名单汇总表（年度）. With no period it is the
// notice's own title, Title3, which names none.
func Title3Of(period string) string {
	switch {
	case period == "":
		return Title3
	case allASCIIDigits(period):
		period += "月"
	}
	return Title3 + "（" + period + "）"
}

func allASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// lineKind is the kind of a row of a written form.
type lineKind int

const (
	lineMark    lineKind = iota // 附件N
	lineTitle                   // the title
	lineHead                    // 填报单位：…
	lineColumns                 // the column header
	lineData                    // a numbered row
	lineNone                    // 无: the period has no rows
	lineTotal                   // 附件2's 合计
	lineNote                    // a note under the table
)

// emitFunc takes the next row of a form: its kind and its cells in column
// order (only the first for a row merged across the table). A string is
// text, an int a number, a taotai.Yuan an amount in 万元; nil or "" is an
// empty cell. vals is reused: the callee must not keep it.
type emitFunc func(kind lineKind, vals []any) error

// formContent is a form ready to be written: the .xlsx and the CSV writer
// are both given its rows, which makes them the same cell for cell.
type formContent struct {
	layout formLayout
	header Header
	body   func(emit emitFunc) error // the numbered rows, or 无; and 附件2's 合计
}

// rows gives every row of the form to emit, from the mark to the notes.
func (c formContent) rows(emit emitFunc) error {
	l := c.layout
	heads := make([]any, len(l.cols))
	for i, col := range l.cols {
		heads[i] = col.head
	}
	for _, r := range []struct {
		kind lineKind
		vals []any
	}{{lineMark, []any{l.mark}}, {lineTitle, []any{l.title}}, {lineHead, []any{headLine(c.header, l.width())}}, {lineColumns, heads}} {
		if err := emit(r.kind, r.vals); err != nil {
			return err
		}
	}
	if err := c.body(emit); err != nil {
		return err
	}
	for _, n := range l.notes {
		if err := emit(lineNote, []any{n}); err != nil {
			return err
		}
	}
	return nil
}

// width is the table's width in units.
func (l formLayout) width() float64 {
	var w float64
	for _, c := range l.cols {
		w += c.width
	}
	return w
}

// headLine is the line under the title (Header.HeaderLine) for a table
// width units wide: when it is longer than a line, it breaks between its
// parts (填报单位, 填报人, 联系电话, 填报日期), not inside a phone number.
func headLine(h Header, width float64) string {
	var b strings.Builder
	line := ""
	for _, p := range h.headerParts() {
		switch {
		case line == "":
			line = p
		case wrappedLines(line+headerGap+p, width, fontSize) == 1:
			line += headerGap + p
		default:
			b.WriteString(line + "\n")
			line = p
		}
	}
	b.WriteString(line)
	return b.String()
}

// none writes the row 无 when a form has no rows.
func none(emit emitFunc, n int) error {
	if n > 0 {
		return nil
	}
	return emit(lineNone, []any{NoneLabel})
}

func content1(h Header, rows []Row1, withCreditCode bool) formContent {
	l := layout1(withCreditCode)
	return formContent{layout: l, header: h, body: func(emit emitFunc) error {
		vals := make([]any, 0, len(l.cols))
		for i, r := range rows {
			vals = append(vals[:0], i+1, r.Name)
			if withCreditCode {
				vals = append(vals, r.CreditCode)
			}
			vals = append(vals, r.Address, r.Industry, r.Note)
			if err := emit(lineData, vals); err != nil {
				return err
			}
		}
		return none(emit, len(rows))
	}}
}

// content2 is 附件2 with a 合计 row under the enterprises: the sum of
// every number column, the fines summed exactly in yuan and shown in 万元.
func content2(h Header, rows []Row2) formContent {
	return formContent{layout: layout2(h), header: h, body: func(emit emitFunc) error {
		var t Row2
		vals := make([]any, 0, len(Columns2))
		for i, r := range rows {
			vals = append(vals[:0], i+1, r.Name, r.Address, r.Inspections, r.InspectorTimes, r.ExpertTimes,
				r.Hazards, r.MajorHazards, r.Orders, r.Penalties, r.Fines, r.Note)
			if err := emit(lineData, vals); err != nil {
				return err
			}
			t.Add(r)
		}
		if err := none(emit, len(rows)); err != nil {
			return err
		}
		vals = append(vals[:0], TotalLabel, nil, nil, t.Inspections, t.InspectorTimes, t.ExpertTimes,
			t.Hazards, t.MajorHazards, t.Orders, t.Penalties, t.Fines, nil)
		return emit(lineTotal, vals)
	}}
}

func content3(h Header, rows []Row3) formContent {
	return formContent{layout: layout3(h), header: h, body: func(emit emitFunc) error {
		vals := make([]any, 0, len(Columns3))
		for i, r := range rows {
			vals = append(vals[:0], i+1, r.Region, r.Name, r.Address, r.Industry, r.Rectify, r.RectifiedInTime,
				r.Card, r.Basis, r.Closed)
			if err := emit(lineData, vals); err != nil {
				return err
			}
		}
		return none(emit, len(rows))
	}}
}

// Write writes a form's rows ([]Row1, []Row2 or []Row3, as form says) as
// .xlsx laid out like the notice's attachment, or, with csv, as CSV.
func Write(w io.Writer, form int, h Header, rows any, csv bool) error {
	if csv {
		return WriteCSV(w, form, h, rows)
	}
	switch rs := rows.(type) {
	case []Row1:
		if form == Form1 {
			return Write1(w, h, rs, false)
		}
	case []Row2:
		if form == Form2 {
			return Write2(w, h, rs)
		}
	case []Row3:
		if form == Form3 {
			return Write3(w, h, rs)
		}
	}
	return rowsError("Write", form, rows)
}

// Write1 writes 附件1 重点淘汰行业企业名单 as .xlsx. With withCreditCode the
// table has a 统一社会信用代码 column after 企业名称: the city's optional
// extra column, not in the notice's layout.
func Write1(w io.Writer, h Header, rows []Row1, withCreditCode bool) error {
	return writeXLSX(w, content1(h, rows, withCreditCode))
}

// Write2 writes 附件2 重点淘汰行业执法检查统计表 as .xlsx, its title naming
// h.Period, with a 合计 row under the enterprises: the sum of every number
// column, the fines summed exactly in yuan and shown in 万元.
func Write2(w io.Writer, h Header, rows []Row2) error {
	return writeXLSX(w, content2(h, rows))
}

// Write3 writes 附件3 安全生产“黄”“红”牌企业名单汇总表 as .xlsx, its title
// naming h.Period as 附件2's does.
func Write3(w io.Writer, h Header, rows []Row3) error {
	return writeXLSX(w, content3(h, rows))
}

// wanNumber is an amount in 万元 as the number a cell holds: 1000 yuan is
// 0.1. The float is the one nearest to the exact decimal, which excelize
// writes back as that decimal (0.1, not 0.1000000000000000055), exactly
// for every amount under 10^11 万元.
func wanNumber(y taotai.Yuan) float64 {
	f, _ := strconv.ParseFloat(y.Wan(), 64)
	return f
}

// sheetWriter streams one form's rows into its sheet.
type sheetWriter struct {
	sw     *excelize.StreamWriter
	layout formLayout
	st     *formStyles
	row    int   // the last row written
	body   []int // data-cell style by column
	total  []int // total-row style by column
	cells  []any // reused for every row
}

// writeXLSX writes a form as .xlsx: it sets up the workbook for the
// layout, streams the rows into the sheet and writes the file to w.
func writeXLSX(w io.Writer, c formContent) (err error) {
	l := c.layout
	f := newWorkbook()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	sheet := l.mark
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	if err := setPage(f, sheet); err != nil {
		return err
	}
	st, err := newFormStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	s := &sheetWriter{sw: sw, layout: l, st: st, cells: make([]any, len(l.cols))}
	// excelize puts each newly set column before those already set: set
	// them last to first so that <cols> comes out in ascending order, the
	// order Excel expects.
	for i := len(l.cols) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, l.cols[i].width); err != nil {
			return err
		}
	}
	for _, c := range l.cols {
		s.body = append(s.body, st.body[c.kind])
		s.total = append(s.total, st.total[c.kind])
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: columnRow, TopLeftCell: "A" + strconv.Itoa(firstRow),
		ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := c.rows(s.line); err != nil {
		return err
	}
	// Defined names live in the workbook, not in the streamed sheet: set
	// them before Flush so that the file is complete when it is written.
	if err := f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: "'" + sheet + "'!$" + strconv.Itoa(markRow) + ":$" + strconv.Itoa(columnRow),
		Scope:    sheet,
	}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// line writes the next row of the sheet.
func (s *sheetWriter) line(kind lineKind, vals []any) error {
	st := s.st
	switch kind {
	case lineMark:
		s.row++
		return s.sw.SetRow("A"+strconv.Itoa(s.row), []any{excelize.Cell{StyleID: st.mark, Value: SafeText(vals[0].(string))}},
			excelize.RowOpts{Height: 20})
	case lineTitle:
		return s.merged(vals[0].(string), st.title, titleSize, 34)
	case lineHead:
		return s.merged(vals[0].(string), st.head, fontSize, 22)
	case lineColumns:
		return s.columnHeader(vals)
	case lineData:
		return s.dataRow(vals, false)
	case lineTotal:
		return s.dataRow(vals, true)
	case lineNone:
		return s.merged(vals[0].(string), st.body[kindSeq], fontSize, 0)
	case lineNote:
		return s.merged(vals[0].(string), st.note, fontSize, 0)
	}
	return fmt.Errorf("forms: row kind %d", kind)
}

// setPage sets A4 landscape, one page wide (a guard: the table fits the
// width at 100%) and as many pages tall as the rows need, centred, with
// 第N页 共M页 in the footer. It must run before the stream writer is made:
// the sheet properties are written first.
func setPage(f *excelize.File, sheet string) error {
	size, orient, wide, tall := 9, "landscape", 1, 0
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &size, Orientation: &orient, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return err
	}
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Top: ptr(0.6), Bottom: ptr(0.6), Left: ptr(sideMargin), Right: ptr(sideMargin), Header: ptr(0.3), Footer: ptr(0.3),
		Horizontally: ptr(true),
	}); err != nil {
		return err
	}
	return f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&C第 &P 页，共 &N 页"})
}

func ptr[T any](v T) *T { return &v }

// lastCol is the name of the table's last column ("E", "L" …).
func (s *sheetWriter) lastCol() string {
	name, _ := excelize.ColumnNumberToName(len(s.layout.cols))
	return name
}

// merged writes text in the next row, merged across the table, at least
// minHeight points tall and tall enough for the text wrapped to the
// table's width.
func (s *sheetWriter) merged(text string, style int, size, minHeight float64) error {
	width := s.layout.width()
	s.cells = s.cells[:len(s.layout.cols)]
	s.cells[0] = excelize.Cell{StyleID: style, Value: SafeText(text)}
	for i := 1; i < len(s.cells); i++ {
		s.cells[i] = excelize.Cell{StyleID: style} // one style over the merged area
	}
	s.row++
	r := strconv.Itoa(s.row)
	height := max(minHeight, rowHeight(wrappedLines(text, width, size), size))
	if err := s.sw.SetRow("A"+r, s.cells, excelize.RowOpts{Height: height}); err != nil {
		return err
	}
	if len(s.layout.cols) == 1 {
		return nil
	}
	return s.sw.MergeCell("A"+r, s.lastCol()+r)
}

// columnHeader writes the column header, as tall as its longest text.
func (s *sheetWriter) columnHeader(heads []any) error {
	s.cells = s.cells[:len(heads)]
	lines := 2
	for i, h := range heads {
		text := h.(string)
		s.cells[i] = excelize.Cell{StyleID: s.st.column, Value: SafeText(text)}
		lines = max(lines, wrappedLines(text, s.layout.cols[i].width, fontSize))
	}
	s.row++
	return s.sw.SetRow("A"+strconv.Itoa(s.row), s.cells, excelize.RowOpts{Height: rowHeight(lines, fontSize) + 2})
}

// dataRow writes the next row of the table; vals are in column order. An
// empty string or nil leaves the cell empty (but bordered); every other
// string is text, written through SafeText, and numbers stay numbers.
func (s *sheetWriter) dataRow(vals []any, total bool) error {
	styles := s.body
	if total {
		styles = s.total
	}
	s.cells = s.cells[:len(vals)]
	lines := 1
	for i, v := range vals {
		switch x := v.(type) {
		case string:
			if x == "" {
				v = nil
				break
			}
			v = SafeText(x)
			lines = max(lines, wrappedLines(x, s.layout.cols[i].width, fontSize))
		case taotai.Yuan:
			v = wanNumber(x)
		}
		s.cells[i] = excelize.Cell{StyleID: styles[i], Value: v}
	}
	s.row++
	// Neither Excel nor WPS fits a row's height to wrapped text when it
	// opens a file, so every row gets its height here.
	return s.sw.SetRow("A"+strconv.Itoa(s.row), s.cells, excelize.RowOpts{Height: rowHeight(lines, fontSize)})
}

// The measures the layout is made with, in points.
const (
	// unitPoints is a column-width unit as Excel and WPS print it: the
	// width of a digit of the workbook's default font, Calibri 11, which
	// is 7 pixels at 96 dpi. (LibreOffice with Carlito, Calibri's
	// metric-compatible twin, takes 5.6 points: a little more room.)
	unitPoints = 5.25
	// sideMargin is the left and right page margin in inches. The
	// printable width of A4 landscape is then 841.9 - 2×28.8 = 784 points.
	sideMargin      = 0.4
	printableWidth  = 841.9 - 2*sideMargin*72
	fontSize        = 10.5 // 五号, as official tables print: the table, the 填报单位 line and the notes
	titleSize       = 18
	cellPadding     = 3 // of a cell's width, what text does not use
	rowPadding      = 4 // of a row's height, what text does not use
	lineSpacing     = 1.45
	maxRowHeight    = excelize.MaxRowHeight
	narrowCharWidth = 0.56 // a Latin letter or digit, in ems: 0.5 in 宋体
)

// tableFits reports whether a layout's columns fit the printable width at
// 100% as Excel and WPS measure them: the text then prints at its size.
func tableFits(l formLayout) bool {
	var width float64
	for _, c := range l.cols {
		width += c.width * unitPoints
	}
	return width <= printableWidth
}

// rowHeight is the height of a row of lines of text of size points. A
// line takes 1.45 ems: LibreOffice's Chinese fonts (Noto CJK) space lines
// 1.43 ems apart, 宋体 in Excel 1.3; a row cut short hides text, one a
// little roomy does not.
func rowHeight(lines int, size float64) float64 {
	return min(float64(lines)*size*lineSpacing+rowPadding, maxRowHeight)
}

// wrappedLines estimates the lines text takes in size-point type, wrapped
// in a column (or merged cells) width units wide, as a spreadsheet wraps
// it: at a line break, between Chinese characters, at a space; never
// inside a Latin word or number unless it is longer than a line, never
// before a closing mark (，。）…) or after an opening one (（《“…). It errs
// on the side of more lines.
func wrappedLines(text string, width, size float64) int {
	avail := max(width*unitPoints-cellPadding, size)
	lines := 0
	for line := range strings.SplitSeq(text, "\n") {
		lines += paragraphLines(line, avail, size)
	}
	return max(lines, 1)
}

// paragraphLines is the lines one paragraph of text takes wrapped in
// avail points.
func paragraphLines(s string, avail, size float64) int {
	lines, x := 1, 0.0
	word, latin, glue := 0.0, false, false // the unbreakable piece being built
	place := func() {
		if word == 0 {
			return
		}
		if x > 0 && x+word > avail {
			lines, x = lines+1, 0
		}
		for x+word > avail { // longer than a line: cut anywhere
			lines, word = lines+1, word-(avail-x)
			x = 0
		}
		x, word = x+word, 0
	}
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t':
			place()
			if x > 0 {
				x = min(x+size*narrowCharWidth, avail) // a space at a line's end takes no room
			}
			latin = false
		case r < 0x2000: // Latin: letters, digits and punctuation run together
			if !latin && !glue {
				place()
			}
			word += size * narrowCharWidth
			latin = true
		case strings.ContainsRune(closingMarks, r):
			word += size // stays with what it closes
		case strings.ContainsRune(openingMarks, r):
			if !glue {
				place()
			}
			word += size
			glue, latin = true, false
			continue
		default: // a Chinese character or a full-width sign: a piece of its own
			if !glue {
				place()
			}
			word += size
			latin = false
		}
		glue = false
	}
	place()
	return lines
}

// Marks a line may not start with, or end with.
const (
	closingMarks = "，。、；：？！）》」』】〕”’…—％·"
	openingMarks = "（《「『【〔“‘"
)

// formStyles are the style ids of a workbook.
type formStyles struct {
	mark, title, head, column, note int
	body, total                     map[cellKind]int
}

const fontFamily = "宋体"

// moneyFormat shows an amount in 万元 exactly (it has at most 4
// decimals) with its decimal point aligned down the column: ? is a digit
// or a space as wide as one. 3 shows as "3.0   ", 0.3 as "0.3   ",
// 1.2345 as "1.2345".
const moneyFormat = "0.0???"

func newFormStyles(f *excelize.File) (*formStyles, error) {
	var firstErr error
	style := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return id
	}
	font := func(bold bool, size float64) *excelize.Font {
		return &excelize.Font{Family: fontFamily, Size: size, Bold: bold}
	}
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	left := &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}
	centre := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	right := &excelize.Alignment{Horizontal: "right", Vertical: "center"}
	money := moneyFormat
	st := &formStyles{
		mark:   style(&excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 14, Bold: true}}),
		title:  style(&excelize.Style{Font: font(true, titleSize), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}),
		head:   style(&excelize.Style{Font: font(false, fontSize), Alignment: left}),
		column: style(&excelize.Style{Font: font(true, fontSize), Border: border, Alignment: centre}),
		note:   style(&excelize.Style{Font: font(false, fontSize), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}}),
		body:   map[cellKind]int{},
		total:  map[cellKind]int{},
	}
	for _, bold := range []bool{false, true} {
		m := st.body
		if bold {
			m = st.total
		}
		m[kindSeq] = style(&excelize.Style{Font: font(bold, fontSize), Border: border, Alignment: centre})
		m[kindText] = style(&excelize.Style{Font: font(bold, fontSize), Border: border, Alignment: left})
		m[kindShort] = m[kindSeq]
		// "@": the code is text, and stays text when a person retypes it.
		m[kindCode] = style(&excelize.Style{Font: font(bold, fontSize), Border: border, Alignment: centre, NumFmt: 49})
		// General shows integers as integers.
		m[kindInt] = style(&excelize.Style{Font: font(bold, fontSize), Border: border, Alignment: centre, NumFmt: 0})
		m[kindMoney] = style(&excelize.Style{Font: font(bold, fontSize), Border: border, Alignment: right, CustomNumFmt: &money})
	}
	return st, firstErr
}
