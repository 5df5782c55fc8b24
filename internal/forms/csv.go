package forms

import (
	"fmt"
	"io"

	"taotai"
)

// WriteCSV writes form 1, 2 or 3 (Form1, Form2, Form3) as UTF-8 CSV with
// a byte-order mark, the same cells as the .xlsx that Write writes, row
// for row: the mark (附件2), the title, the 填报单位 line, the column
// header, the numbered rows (or 无), 附件2's 合计 and the notes. A row
// merged across the table in the .xlsx has its text in the first cell and
// the others empty. rows is []Row1, []Row2 or []Row3 to match form; 附件1
// has the notice's columns, as Write writes it (no 统一社会信用代码).
//
// Every text cell goes through SafeText (a leading = + - @, tab or
// carriage return gets a ' in front), and a text that a spreadsheet would
// read as a number or a date is written so that it opens as text (see
// CSVWriter.KeepText); counts are numbers and fines are written exactly in
// 万元 ("0.3").
func WriteCSV(w io.Writer, form int, h Header, rows any) error {
	var c formContent
	switch form {
	case Form1, Form2, Form3:
	default:
		return taotai.Errorf(taotai.EINVALID, "报表应为附件1、附件2或附件3。")
	}
	switch rs := rows.(type) {
	case []Row1:
		c = content1(h, rs, false)
	case []Row2:
		c = content2(h, rs)
	case []Row3:
		c = content3(h, rs)
	}
	if c.layout.mark != fmt.Sprintf("附件%d", form) {
		return rowsError("WriteCSV", form, rows)
	}
	cw, err := NewCSVWriter(w)
	if err != nil {
		return err
	}
	cw.KeepText = true
	n := len(c.layout.cols)
	rec := make([]any, 0, n)
	err = c.rows(func(_ lineKind, vals []any) error {
		rec = append(rec[:0], vals...)
		for len(rec) < n {
			rec = append(rec, nil)
		}
		return cw.Row(rec...)
	})
	if err != nil {
		return err
	}
	return cw.Flush()
}

func rowsError(fn string, form int, rows any) error {
	return fmt.Errorf("forms: %s: form %d takes []Row%d, not %T", fn, form, form, rows)
}
