package forms

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"taotai"
)

// The layout of every written form, as the notice prints its attachments:
//
//	row 1  附件N                               (bold, at A1)
//	row 2  the title                           (merged across the table, centred, bold, large)
//	row 3  填报单位：…  填报人：…  联系电话：…  填报日期：…   (merged across the table)
//	row 4  the column header                   (bordered, bold, wrapped, centred)
//	row 5… the numbered rows 1, 2, …           (bordered)
//	       附件2 only: the 合计 row
//	       the notes, one row each             (merged across the table, left, wrapped)
//
// The sheet is named after the mark (附件1, 附件2, 附件3) and prints on A4
// landscape, one page wide, with rows 1–4 repeated on every page.
const (
	markRow   = 1
	titleRow  = 2
	headRow   = 3
	columnRow = 4
	firstRow  = 5 // the first data row
)

// CreditCodeColumn is the column a city may add to 附件1 after 企业名称. It
// is not part of the notice's layout; Write1 writes it only when asked.
const CreditCodeColumn = "统一社会信用代码"

// TotalLabel is the text of the 序号 cell of 附件2's total row.
const TotalLabel = "合计"

// cellKind says how a column's cells are written and styled.
type cellKind int

const (
	kindSeq   cellKind = iota // 序号: an integer, centred
	kindText                  // long text: left-aligned, wrapped
	kindShort                 // short text (行业, 是/否, 黄牌): centred, wrapped
	kindCode                  // a code kept as text (统一社会信用代码): centred
	kindInt                   // a count: an integer number, centred
	kindMoney                 // an amount in 万元: a number, at most 4 decimals
)

// layoutCol is one column of a form: its exact header text, its width in
// Excel character units (a Chinese character takes about 2), its kind.
type layoutCol struct {
	text  string
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

// Column kinds and widths, index by index with Columns1/2/3.
var (
	layoutCols1 = []layoutCol{{width: 6, kind: kindSeq}, {width: 34, kind: kindText}, {width: 40, kind: kindText},
		{width: 14, kind: kindShort}, {width: 16, kind: kindShort}}
	layoutCols2 = []layoutCol{{width: 6, kind: kindSeq}, {width: 34, kind: kindText}, {width: 40, kind: kindText},
		{width: 10, kind: kindInt}, {width: 14, kind: kindInt}, {width: 14, kind: kindInt}, {width: 12, kind: kindInt},
		{width: 12, kind: kindInt}, {width: 12, kind: kindInt}, {width: 12, kind: kindInt}, {width: 14, kind: kindMoney},
		{width: 40, kind: kindText}}
	layoutCols3 = []layoutCol{{width: 6, kind: kindSeq}, {width: 12, kind: kindShort}, {width: 34, kind: kindText},
		{width: 34, kind: kindText}, {width: 12, kind: kindShort}, {width: 40, kind: kindText}, {width: 16, kind: kindShort},
		{width: 9, kind: kindShort}, {width: 30, kind: kindText}, {width: 10, kind: kindShort}}
	creditCodeCol = layoutCol{text: CreditCodeColumn, width: 22, kind: kindCode}
)

// withTexts pairs the kinds and widths with the exact column texts.
func withTexts(texts []string, cols []layoutCol) []layoutCol {
	out := make([]layoutCol, len(texts))
	for i, t := range texts {
		out[i] = cols[i]
		out[i].text = t
	}
	return out
}

// layout1 is 附件1's layout: Columns1, with 统一社会信用代码 after 企业名称
// when withCreditCode.
func layout1(withCreditCode bool) formLayout {
	cols := withTexts(Columns1, layoutCols1)
	if withCreditCode {
		cols = append(cols[:2:2], append([]layoutCol{creditCodeCol}, cols[2:]...)...)
	}
	return formLayout{mark: "附件1", title: Title1, cols: cols, notes: Notes1}
}

func layout2(h Header) formLayout {
	return formLayout{mark: "附件2", title: Title2Of(h.Period), cols: withTexts(Columns2, layoutCols2), notes: Notes2}
}

func layout3() formLayout {
	return formLayout{mark: "附件3", title: Title3, cols: withTexts(Columns3, layoutCols3)}
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

func allASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
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
	l := layout1(withCreditCode)
	return writeForm(w, l, h, func(sw *sheetWriter) error {
		vals := make([]any, len(l.cols))
		for i, r := range rows {
			vals = vals[:0]
			vals = append(vals, i+1, r.Name)
			if withCreditCode {
				vals = append(vals, r.CreditCode)
			}
			vals = append(vals, r.Address, r.Industry, r.Note)
			if err := sw.dataRow(vals, false); err != nil {
				return err
			}
		}
		return nil
	})
}

// Write2 writes 附件2 重点淘汰行业执法检查统计表 as .xlsx, its title naming
// h.Period, with a 合计 row under the enterprises: the sum of every number
// column, the fines summed exactly in yuan and shown in 万元.
func Write2(w io.Writer, h Header, rows []Row2) error {
	return writeForm(w, layout2(h), h, func(sw *sheetWriter) error {
		var t Row2
		vals := make([]any, len(Columns2))
		for i, r := range rows {
			vals = append(vals[:0], i+1, r.Name, r.Address, r.Inspections, r.InspectorTimes, r.ExpertTimes,
				r.Hazards, r.MajorHazards, r.Orders, r.Penalties, wanNumber(r.Fines), r.Note)
			if err := sw.dataRow(vals, false); err != nil {
				return err
			}
			t.Add(r)
		}
		vals = append(vals[:0], TotalLabel, nil, nil, t.Inspections, t.InspectorTimes, t.ExpertTimes,
			t.Hazards, t.MajorHazards, t.Orders, t.Penalties, wanNumber(t.Fines), nil)
		return sw.dataRow(vals, true)
	})
}

// Write3 writes 附件3 安全生产“黄”“红”牌企业名单汇总表 as .xlsx.
func Write3(w io.Writer, h Header, rows []Row3) error {
	return writeForm(w, layout3(), h, func(sw *sheetWriter) error {
		vals := make([]any, len(Columns3))
		for i, r := range rows {
			vals = append(vals[:0], i+1, r.Region, r.Name, r.Address, r.Industry, r.Rectify, r.RectifiedInTime,
				r.Card, r.Basis, r.Closed)
			if err := sw.dataRow(vals, false); err != nil {
				return err
			}
		}
		return nil
	})
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
	row    int   // the last row written
	body   []int // data-cell style by column
	total  []int // total-row style by column
	cells  []any // reused for every row
}

// writeForm sets up the workbook for a layout, writes rows 1–4, lets body
// stream the numbered rows, adds the notes and writes the file to w.
func writeForm(w io.Writer, l formLayout, h Header, body func(*sheetWriter) error) (err error) {
	f := excelize.NewFile()
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
	s := &sheetWriter{sw: sw, layout: l, cells: make([]any, len(l.cols))}
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
	if err := s.top(h, st); err != nil {
		return err
	}
	if err := body(s); err != nil {
		return err
	}
	if err := s.notes(st); err != nil {
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

// setPage sets A4 landscape, one page wide and as many pages tall as the
// rows need, centred, with 第N页 共M页 in the footer. It must run before
// the stream writer is made: the sheet properties are written first.
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
		Top: ptr(0.6), Bottom: ptr(0.6), Left: ptr(0.4), Right: ptr(0.4), Header: ptr(0.3), Footer: ptr(0.3),
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

// merged writes text in a row merged across the table.
func (s *sheetWriter) merged(row int, text string, style int, height float64) error {
	s.cells = s.cells[:len(s.layout.cols)]
	s.cells[0] = excelize.Cell{StyleID: style, Value: SafeText(text)}
	for i := 1; i < len(s.cells); i++ {
		s.cells[i] = excelize.Cell{StyleID: style} // one style over the merged area
	}
	r := strconv.Itoa(row)
	if err := s.sw.SetRow("A"+r, s.cells, excelize.RowOpts{Height: height}); err != nil {
		return err
	}
	s.row = row
	if len(s.layout.cols) == 1 {
		return nil
	}
	return s.sw.MergeCell("A"+r, s.lastCol()+r)
}

// top writes rows 1–4: the mark, the title, the header line and the
// column header.
func (s *sheetWriter) top(h Header, st *formStyles) error {
	if err := s.sw.SetRow("A1", []any{excelize.Cell{StyleID: st.mark, Value: SafeText(s.layout.mark)}},
		excelize.RowOpts{Height: 22}); err != nil {
		return err
	}
	if err := s.merged(titleRow, s.layout.title, st.title, 40); err != nil {
		return err
	}
	if err := s.merged(headRow, h.HeaderLine(), st.head, 24); err != nil {
		return err
	}
	head := make([]any, len(s.layout.cols))
	lines := 2
	for i, c := range s.layout.cols {
		head[i] = excelize.Cell{StyleID: st.column, Value: SafeText(c.text)}
		lines = max(lines, wrappedLines(c.text, c.width))
	}
	s.row = columnRow
	return s.sw.SetRow("A"+strconv.Itoa(columnRow), head, excelize.RowOpts{Height: float64(lines)*lineHeight + 8})
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
		if v == "" {
			v = nil
		}
		if text, ok := v.(string); ok {
			v = SafeText(text)
			lines = max(lines, wrappedLines(text, s.layout.cols[i].width))
		}
		s.cells[i] = excelize.Cell{StyleID: styles[i], Value: v}
	}
	s.row++ // top left s.row at the column header: the first data row is firstRow
	// Neither Excel nor WPS fits a row's height to wrapped text when it
	// opens a file, so a row whose text wraps gets its height here.
	var opts []excelize.RowOpts
	if lines > 1 {
		opts = append(opts, excelize.RowOpts{Height: min(float64(lines)*lineHeight+3, excelize.MaxRowHeight)})
	}
	return s.sw.SetRow("A"+strconv.Itoa(s.row), s.cells, opts...)
}

// notes writes the form's notes under the table, one merged row each,
// tall enough for the text wrapped to the table's width.
func (s *sheetWriter) notes(st *formStyles) error {
	var width float64
	for _, c := range s.layout.cols {
		width += c.width
	}
	for _, n := range s.layout.notes {
		if err := s.merged(s.row+1, n, st.note, float64(wrappedLines(n, width))*lineHeight+8); err != nil {
			return err
		}
	}
	return nil
}

// lineHeight is the height in points of a line of 11-point text.
const lineHeight = 14.5

// wrappedLines estimates the lines text takes wrapped in a column width
// units wide (Excel's unit: the width of a digit of the default font).
func wrappedLines(text string, width float64) int {
	per := max(width-1, 2) // a cell's padding
	lines := 0
	for line := range strings.SplitSeq(text, "\n") {
		lines += max(1, int(math.Ceil(textUnits(line)/per)))
	}
	return lines
}

// textUnits is the width of text in 11-point 宋体 in column-width units: a
// Chinese character or full-width punctuation is 11 points (about 2.1
// digits of the default font), other characters half that; rounded up a
// little, since a clipped row is worse than a roomy one.
func textUnits(s string) float64 {
	var w float64
	for _, r := range s {
		if r >= 0x2000 {
			w += 2.2
		} else {
			w += 1.1
		}
	}
	return w
}

// formStyles are the style ids of a workbook.
type formStyles struct {
	mark, title, head, column, note int
	body, total                     map[cellKind]int
}

const (
	fontFamily = "宋体"
	fontSize   = 11
)

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
	st := &formStyles{
		mark:   style(&excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 14, Bold: true}}),
		title:  style(&excelize.Style{Font: font(true, 18), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}),
		head:   style(&excelize.Style{Font: font(false, fontSize), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}}),
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
		// General shows integers as integers and 0.3 as 0.3.
		m[kindInt] = style(&excelize.Style{Font: font(bold, fontSize), Border: border, Alignment: centre, NumFmt: 0})
		m[kindMoney] = m[kindInt]
	}
	return st, firstErr
}
