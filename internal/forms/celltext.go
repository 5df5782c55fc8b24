package forms

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

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
	cw  *csv.Writer
	rec []string
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

// Row writes one record. A string is text and goes through SafeText; an
// int, int64 or taotai.Yuan (written in 万元) is a number and is written as
// is; nil is an empty cell.
func (c *CSVWriter) Row(cells ...any) error {
	c.rec = c.rec[:0]
	for _, v := range cells {
		switch v := v.(type) {
		case nil:
			c.rec = append(c.rec, "")
		case string:
			c.rec = append(c.rec, SafeText(v))
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
