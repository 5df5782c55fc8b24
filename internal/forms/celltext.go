package forms

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"taotai"
)

// SafeText is the text of a cell as every file the system writes holds it:
// each form's .xlsx and CSV, the audit trail's CSV and any export to come.
// It neutralises spreadsheet formula injection the way OWASP's "CSV
// Injection" guidance says: a text that starts with = + - @, a tab or a
// carriage return (after any leading single quotes or spaces) gets a
// single quote ' in front, so that Excel and WPS show it as text and never
// run it.
//
// The choice is the same for .xlsx as for CSV. A string cell written by
// excelize cannot itself be a formula (only SetCellFormula writes one),
// but its text is what a person copies into another sheet, or what Excel
// writes when the sheet is saved as CSV, and there it would run. So every
// text cell of every file is written through SafeText, and a person sees
// the same ' in both. Numbers (counts, 万元) are written as numbers and
// never pass here, so a negative number is never turned into text.
//
// ReadText undoes it exactly: ReadText(SafeText(s)) == s for every s.
func SafeText(s string) string {
	if formulaLike(s) {
		return "'" + s
	}
	return s
}

// ReadText is the text SafeText was given: the form reader applies it to
// every cell it reads, so a name the system wrote comes back as it was.
// A cell that Excel or WPS wrote with its own quote prefix reaches the
// reader without the quote, and is left alone.
func ReadText(s string) string {
	if len(s) > 1 && s[0] == '\'' && formulaLike(s[1:]) {
		return s[1:]
	}
	return s
}

// formulaLike reports whether s, after any leading single quotes and
// spaces, starts with a character a spreadsheet reads as the start of a
// formula. Skipping the quotes makes SafeText and ReadText exact inverses:
// "'=1" is written "”=1" and read back as "'=1".
func formulaLike(s string) bool {
	for len(s) > 0 && (s[0] == '\'' || s[0] == ' ') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// CSVWriter writes a CSV file the way every CSV of the system is written:
// UTF-8 with a byte-order mark (so that Excel and WPS do not read it as
// GBK), CRLF line ends, every text cell through SafeText.
type CSVWriter struct {
	// KeepText writes a text cell that a spreadsheet opening the CSV would
	// take for a number, a date or a truth value (NumberLike: a credit
	// code of digits, "0123", "1E5", "2020-06-01", "50%") as a formula
	// that gives the text itself: ="0123". Without it Excel shows an
	// 18-digit code as 9.12103026987955E+17 and drops leading zeros. The
	// formula is safe only because of what NumberLike lets through:
	// digits, a few signs and e/E, never a quote, so the string constant
	// cannot be closed and nothing but that constant is ever evaluated.
	// The text has been through SafeText first, like every other.
	KeepText bool
	cw       *csv.Writer
	rec      []string
}

// NewCSVWriter writes the byte-order mark and returns the writer.
func NewCSVWriter(w io.Writer) (*CSVWriter, error) {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &CSVWriter{cw: cw}, nil
}

// utf8BOM lets Excel and WPS open a UTF-8 CSV as UTF-8 rather than GBK.
const utf8BOM = "\uFEFF"

// Row writes one record. A string is text and goes through SafeText (and
// KeepText); an
// int, int64 or taotai.Yuan (written in 万元) is a number and is written as
// is; nil is an empty cell.
func (c *CSVWriter) Row(cells ...any) error {
	c.rec = c.rec[:0]
	for _, v := range cells {
		switch v := v.(type) {
		case nil:
			c.rec = append(c.rec, "")
		case string:
			v = SafeText(v)
			if c.KeepText && NumberLike(v) {
				v = `="` + v + `"`
			}
			c.rec = append(c.rec, v)
		case int:
			c.rec = append(c.rec, strconv.Itoa(v))
		case int64:
			c.rec = append(c.rec, strconv.FormatInt(v, 10))
		case taotai.Yuan:
			c.rec = append(c.rec, v.Wan())
		default:
			return fmt.Errorf("forms: CSV cell of type %T", v)
		}
	}
	return c.cw.Write(c.rec)
}

// Flush writes what is buffered and returns the first error of the file.
func (c *CSVWriter) Flush() error {
	c.cw.Flush()
	return c.cw.Error()
}

// NumberLike reports whether a spreadsheet opening a CSV would read the
// text s as something else than text: a number ("0123", "1,234", "1E5",
// "(12)", "50%", "¥12"), a date or a time ("2020-06-01", "6/1", "12:30",
// "2020年6月1日") or a truth value (TRUE, FALSE). It errs on the side of
// yes: any text of digits (half or full width) and those signs only.
func NumberLike(s string) bool {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "TRUE") || strings.EqualFold(t, "FALSE") {
		return true
	}
	digit := false
	for _, r := range t {
		switch {
		case r >= '0' && r <= '9', r >= '０' && r <= '９':
			digit = true
		case strings.ContainsRune(numberSigns, r):
		default:
			return false
		}
	}
	return digit
}

// numberSigns are the characters beside digits in a text a spreadsheet
// reads as a number or a date. There is no quote among them: see KeepText.
const numberSigns = " .,+-/:%()$¥￥eE年月日时分秒"
