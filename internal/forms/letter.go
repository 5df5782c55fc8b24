package forms

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"taotai"
)

// The province's letters to the coordination office and the annual
// summary as .xlsx: a sheet of text (the letter laid out as a 函, or the
// work summary) and the attachment tables, each table on a sheet of its
// own laid out like the official forms (title, column header, rows,
// notes; A4 landscape, the header repeated on every page). The print
// views render the same Table values, so the page and the workbook hold
// the same cells.

// Table is an attachment table: what its sheet and the print view show.
type Table struct {
	Sheet   string // the sheet's name
	Mark    string // 附件, 附件2 … printed above the title; "" for none
	Title   string
	Columns []TableColumn
	Rows    []TableRow
	Notes   []string
}

// TableColumn is one column: its header as printed (broken into lines
// where a reader expects), its width in Excel units and its kind.
type TableColumn struct {
	Head  string
	Width float64
	kind  cellKind
}

// Class is the column's class in the print view: seq, text, short or num.
func (c TableColumn) Class() string {
	switch c.kind {
	case kindSeq:
		return "seq"
	case kindText:
		return "text"
	case kindInt, kindMoney, kindPercent:
		return "num"
	}
	return "short"
}

// Lines are the header's lines.
func (c TableColumn) Lines() []string { return strings.Split(c.Head, "\n") }

// Row kinds of a table.
const (
	RowData  = "data"  // a row of figures
	RowGroup = "group" // a heading merged across the table: 一、非煤企业（12家）
	RowTotal = "total" // a subtotal or total, bold
)

// TableRow is one row: a data or total row has a cell per column (a
// string, an int, a taotai.Yuan shown in 万元 or a Permille); a group
// row one text.
type TableRow struct {
	Kind  string
	Cells []any
}

// Texts are the row's cells as printed.
func (r TableRow) Texts() []string {
	out := make([]string, len(r.Cells))
	for i, c := range r.Cells {
		out[i] = CellText(c)
	}
	return out
}

// Permille is a share in tenths of a percent (875 is 87.5%): a number in
// the workbook shown with one decimal, the same text on the page.
type Permille int

// CellText is a cell's text as the page prints it and the workbook shows
// it: an int in digits, an amount in 万元 exactly, a Permille as 87.5%.
func CellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case taotai.Yuan:
		return x.Wan()
	case Permille:
		return fmt.Sprintf("%d.%d%%", int(x)/10, int(x)%10)
	}
	return fmt.Sprint(v)
}

// width is the table's width in units.
func (t Table) width() float64 {
	var w float64
	for _, c := range t.Columns {
		w += c.Width
	}
	return w
}

// TextSheet is a sheet of paragraphs: a letter laid out as a 函, or a
// work summary.
type TextSheet struct {
	Name  string
	Lines []TextLine
}

// TextLine is one paragraph of a text sheet and how it is set.
type TextLine struct {
	Text  string
	Style string // one of the Text* styles
}

// Text sheet styles.
const (
	TextIssuer  = "issuer"  // 发文机关标志: red, large, centred
	TextNumber  = "number"  // 文号, over the red line, right
	TextTitle   = "title"   // 标题: bold, centred
	TextHeading = "heading" // a heading within a text: bold
	TextBody    = "body"    // a paragraph, its first line indented
	TextPlain   = "plain"   // a line as it is: 主送机关, 附件说明
	TextRight   = "right"   // 落款 and 成文日期
	TextWarning = "warning" // a note that the sheet is not the whole letter: red
	TextBlank   = "blank"   // an empty line
)

// LetterSheet lays a letter out as a 函 prints it: the issuer, the 文号
// over the red line, the title, the addressee, the 正文 with each
// paragraph indented, the attachments, the issuer and the date, the
// contact; a letter of one channel's part is marked as such first.
func LetterSheet(lt taotai.LetterText) TextSheet {
	var ls []TextLine
	add := func(style string, texts ...string) {
		for _, t := range texts {
			ls = append(ls, TextLine{Text: t, Style: style})
		}
	}
	if lt.Partial != "" {
		add(TextWarning, "【不是完整函件】"+lt.Partial)
	}
	number := lt.DocNumber
	if number == "" {
		number = "（文号待填）"
	}
	add(TextIssuer, lt.Issuer)
	add(TextNumber, number)
	add(TextBlank, "")
	add(TextTitle, lt.Title)
	add(TextBlank, "")
	add(TextPlain, lt.Addressee)
	add(TextBody, lt.Body...)
	add(TextBlank, "")
	for i, a := range AttachmentLines(lt.Attachments) {
		if i == 0 {
			add(TextBody, a)
		} else {
			add(TextPlain, a)
		}
	}
	add(TextBlank, "", "")
	add(TextRight, lt.Signature, lt.Date)
	if lt.Contact != "" {
		add(TextBlank, "")
		add(TextBody, "（联系人及电话："+lt.Contact+"）")
	}
	return TextSheet{Name: "函", Lines: ls}
}

// AttachmentLines are a letter's 附件说明 as printed: "附件：名单" for one,
// "附件：1.…" and the next ones under the first's number for more.
func AttachmentLines(as []string) []string {
	switch len(as) {
	case 0:
		return nil
	case 1:
		return []string{"附件：" + as[0]}
	}
	out := make([]string, len(as))
	for i, a := range as {
		prefix := "　　　　　　"
		if i == 0 {
			prefix = "附件："
		}
		out[i] = prefix + strconv.Itoa(i+1) + "." + a
	}
	return out
}

// WriteWorkbook writes text sheets then tables, each on its sheet, as
// .xlsx. Every text goes through SafeText; numbers stay numbers.
func WriteWorkbook(w io.Writer, texts []TextSheet, tables []Table) (err error) {
	f := newWorkbook()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	st, err := newFormStyles(f)
	if err != nil {
		return err
	}
	ls, err := newLetterStyles(f)
	if err != nil {
		return err
	}
	first := true
	sheet := func(name string) error {
		if first {
			first = false
			return f.SetSheetName(f.GetSheetName(0), name)
		}
		_, err := f.NewSheet(name)
		return err
	}
	for _, t := range texts {
		if err := sheet(t.Name); err != nil {
			return err
		}
		if err := writeTextSheet(f, t, ls); err != nil {
			return err
		}
	}
	for _, t := range tables {
		if err := sheet(t.Sheet); err != nil {
			return err
		}
		if err := writeTable(f, t, st, ls); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// The text sheet's measures: A4 portrait with the margins of GB/T
// 9704-2012 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), one column
// as wide as the type area (156 mm, 442 points).
const (
	textColumnWidth = 84 // units: 441 points
	textSize        = 14 // 四号: the body
	textTitleSize   = 20
	textIssuerSize  = 26
)

// letterStyles are the style ids of the text sheets and the tables'
// extra rows.
type letterStyles struct {
	byStyle map[string]int
	group   int          // a table's group row: bold, left, bordered
	percent map[bool]int // a Permille, in a total row (true) or not
}

func newLetterStyles(f *excelize.File) (*letterStyles, error) {
	var firstErr error
	style := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return id
	}
	font := func(size float64, bold bool, color string) *excelize.Font {
		return &excelize.Font{Family: fontFamily, Size: size, Bold: bold, Color: color}
	}
	align := func(h string) *excelize.Alignment {
		return &excelize.Alignment{Horizontal: h, Vertical: "center", WrapText: true}
	}
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	pct := "0.0%"
	ls := &letterStyles{byStyle: map[string]int{
		TextIssuer:  style(&excelize.Style{Font: font(textIssuerSize, true, "C00000"), Alignment: align("center")}),
		TextNumber:  style(&excelize.Style{Font: font(textSize, false, ""), Alignment: align("right"), Border: []excelize.Border{{Type: "bottom", Color: "C00000", Style: 5}}}),
		TextTitle:   style(&excelize.Style{Font: font(textTitleSize, true, ""), Alignment: align("center")}),
		TextHeading: style(&excelize.Style{Font: font(textSize, true, ""), Alignment: align("left")}),
		TextBody:    style(&excelize.Style{Font: font(textSize, false, ""), Alignment: align("left")}),
		TextPlain:   style(&excelize.Style{Font: font(textSize, false, ""), Alignment: align("left")}),
		TextRight:   style(&excelize.Style{Font: font(textSize, false, ""), Alignment: align("right")}),
		TextWarning: style(&excelize.Style{Font: font(textSize, true, "C00000"), Alignment: align("left")}),
		TextBlank:   style(&excelize.Style{Font: font(textSize, false, "")}),
	},
		group:   style(&excelize.Style{Font: &excelize.Font{Family: fontFamily, Size: fontSize, Bold: true}, Border: border, Alignment: align("left")}),
		percent: map[bool]int{},
	}
	for _, bold := range []bool{false, true} {
		ls.percent[bold] = style(&excelize.Style{Font: &excelize.Font{Family: fontFamily, Size: fontSize, Bold: bold}, Border: border,
			Alignment: align("center"), CustomNumFmt: &pct})
	}
	return ls, firstErr
}

// lineSize is the type size of a text style.
func lineSize(style string) float64 {
	switch style {
	case TextIssuer:
		return textIssuerSize
	case TextTitle:
		return textTitleSize
	}
	return textSize
}

// writeTextSheet writes a text sheet: one column, a row per paragraph
// (a paragraph too long for one row's largest height is cut into rows),
// each as tall as its wrapped text, A4 portrait.
func writeTextSheet(f *excelize.File, t TextSheet, ls *letterStyles) error {
	if err := setPortrait(f, t.Name); err != nil {
		return err
	}
	if err := f.SetColWidth(t.Name, "A", "A", textColumnWidth); err != nil {
		return err
	}
	row := 0
	for _, l := range t.Lines {
		text := l.Text
		if l.Style == TextBody {
			text = "　　" + text // the first line indented by two characters
		}
		size := lineSize(l.Style)
		for _, piece := range fitRows(text, textColumnWidth, size) {
			row++
			cell := "A" + strconv.Itoa(row)
			if err := f.SetCellValue(t.Name, cell, SafeText(piece)); err != nil {
				return err
			}
			if err := f.SetCellStyle(t.Name, cell, cell, ls.byStyle[l.Style]); err != nil {
				return err
			}
			height := rowHeight(wrappedLines(piece, textColumnWidth, size), size)
			if l.Style == TextIssuer || l.Style == TextTitle {
				height += size / 2
			}
			if err := f.SetRowHeight(t.Name, row, height); err != nil {
				return err
			}
		}
	}
	return nil
}

// fitRows cuts a paragraph into pieces that each fit one row of a
// spreadsheet (at most maxRowHeight points tall) in a column width units
// wide; most paragraphs are one piece.
func fitRows(text string, width, size float64) []string {
	maxLines := int((maxRowHeight - rowPadding) / (size * lineSpacing))
	if wrappedLines(text, width, size) <= maxLines {
		return []string{text}
	}
	perLine := max(int((width*unitPoints-cellPadding)/size), 1)
	chunk := max(perLine*maxLines*3/4, 1)
	var out []string
	for text != "" {
		n, i := 0, 0
		for i < len(text) && n < chunk {
			_, w := utf8.DecodeRuneInString(text[i:])
			i += w
			n++
		}
		out = append(out, text[:i])
		text = text[i:]
	}
	return out
}

// setPortrait sets A4 portrait with the margins of GB/T 9704-2012 and the
// page number in the footer.
func setPortrait(f *excelize.File, sheet string) error {
	size, orient := 9, "portrait"
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient}); err != nil {
		return err
	}
	mm := func(v float64) *float64 { return ptr(v / 25.4) }
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Top: mm(37), Bottom: mm(35), Left: mm(28), Right: mm(26), Header: mm(15), Footer: mm(15),
	}); err != nil {
		return err
	}
	return f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&C— &P —"})
}

// writeTable writes an attachment table on its sheet: the mark, the
// title, the column header (repeated on every printed page), the rows
// and the notes, A4 landscape at 100%.
func writeTable(f *excelize.File, t Table, st *formStyles, ls *letterStyles) error {
	sheet := t.Sheet
	if err := setPage(f, sheet); err != nil {
		return err
	}
	for i, c := range t.Columns {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, name, name, c.Width); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(t.Columns))
	row := 0
	merged := func(text string, style int, size, minHeight float64) error {
		row++
		r := strconv.Itoa(row)
		if err := f.SetCellValue(sheet, "A"+r, SafeText(text)); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, "A"+r, last+r, style); err != nil {
			return err
		}
		if len(t.Columns) > 1 {
			if err := f.MergeCell(sheet, "A"+r, last+r); err != nil {
				return err
			}
		}
		return f.SetRowHeight(sheet, row, max(minHeight, rowHeight(wrappedLines(text, t.width(), size), size)))
	}
	if t.Mark != "" {
		row++
		if err := f.SetCellValue(sheet, "A1", SafeText(t.Mark)); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, "A1", "A1", st.mark); err != nil {
			return err
		}
	}
	if err := merged(t.Title, st.title, titleSize, 34); err != nil {
		return err
	}
	row++
	lines := 2
	for i, c := range t.Columns {
		cell, _ := excelize.CoordinatesToCellName(i+1, row)
		if err := f.SetCellValue(sheet, cell, SafeText(c.Head)); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cell, cell, st.column); err != nil {
			return err
		}
		lines = max(lines, wrappedLines(c.Head, c.Width, fontSize))
	}
	if err := f.SetRowHeight(sheet, row, rowHeight(lines, fontSize)+2); err != nil {
		return err
	}
	header := row
	for _, r := range t.Rows {
		if r.Kind == RowGroup {
			if err := merged(CellText(r.Cells[0]), ls.group, fontSize, 0); err != nil {
				return err
			}
			continue
		}
		row++
		if err := tableRow(f, sheet, t, row, r, st, ls); err != nil {
			return err
		}
	}
	for _, n := range t.Notes {
		if err := merged(n, st.note, fontSize, 0); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: header, TopLeftCell: "A" + strconv.Itoa(header+1),
		ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!$1:$" + strconv.Itoa(header),
		Scope: sheet})
}

// tableRow writes a data or total row: text through SafeText, numbers as
// numbers (万元 exact, a Permille as a fraction shown as a percentage),
// the row as tall as its longest wrapped text.
func tableRow(f *excelize.File, sheet string, t Table, row int, r TableRow, st *formStyles, ls *letterStyles) error {
	styles := st.body
	if r.Kind == RowTotal {
		styles = st.total
	}
	lines := 1
	for i, v := range r.Cells {
		col := t.Columns[i]
		cell, _ := excelize.CoordinatesToCellName(i+1, row)
		style := styles[col.kind]
		var value any
		switch x := v.(type) {
		case string:
			if x != "" {
				value = SafeText(x)
				lines = max(lines, wrappedLines(x, col.Width, fontSize))
			}
			if col.kind == kindInt || col.kind == kindMoney || col.kind == kindPercent {
				style = styles[kindShort]
			}
		case taotai.Yuan:
			value = wanNumber(x)
		case Permille:
			value, style = float64(x)/1000, ls.percent[r.Kind == RowTotal]
		case nil:
		default:
			value = v
		}
		if value != nil {
			if err := f.SetCellValue(sheet, cell, value); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
			return err
		}
	}
	return f.SetRowHeight(sheet, row, rowHeight(lines, fontSize))
}

// kindPercent is a column of shares: a Permille, shown with one decimal.
const kindPercent cellKind = 100

// yellowColumns are the columns of the first batch of the yellow list:
// those of 附件3 that a yellow card fills.
var yellowColumns = []TableColumn{{"序号", 6, kindSeq}, {"地区", 12, kindShort}, {"企业名称", 24, kindText},
	{"地址", 30, kindText}, {"行业", 8, kindShort}, {"安全生产条件不达标\n应限期整改内容", 45, kindText},
	{"是否按期\n整改合格", 10, kindShort}}

// YellowListTable is the letter's attachment: the first batch of the
// yellow list, each channel's part under its heading, numbered through.
func YellowListTable(l *taotai.YellowList) Table {
	t := Table{Sheet: "附件", Mark: "附件", Title: taotai.YellowListTitle(l.Year), Columns: yellowColumns,
		Notes: []string{"注：名单由各市、沈抚新区首次报送并经审核通过的《安全生产“黄”“红”牌企业名单汇总表》汇总，" +
			"非煤企业由省应急管理厅汇总，煤矿企业由省煤矿安监局汇总；“是否按期整改合格”为首次报送时的情况。"}}
	n := 0
	for i, p := range l.Parts {
		t.Rows = append(t.Rows, TableRow{Kind: RowGroup, Cells: []any{p.PartTitle(i)}})
		if len(p.Entries) == 0 {
			t.Rows = append(t.Rows, TableRow{Kind: RowData, Cells: []any{NoneLabel, "", "", "", "", "", ""}})
		}
		for _, e := range p.Entries {
			n++
			t.Rows = append(t.Rows, TableRow{Kind: RowData, Cells: []any{n, e.Region, e.Name, e.Address, e.Industry, e.Rectify, e.RectifiedInTime}})
		}
	}
	return t
}
