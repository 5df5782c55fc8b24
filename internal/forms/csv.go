package forms

import (
	"fmt"
	"io"

	"taotai"
)

// WriteCSV writes the table of form 1, 2 or 3 (Form1, Form2, Form3) as
// UTF-8 CSV with a byte-order mark: the column header, the numbered rows
// and, for 附件2, the 合计 row, the same cells as the .xlsx table. rows is
// []Row1, []Row2 or []Row3 to match form. The mark, title, header line and
// notes are not part of a CSV table, so h is not written; it is taken for
// symmetry with the .xlsx writers.
//
// 附件1 gets the 统一社会信用代码 column (the city's optional extra column,
// after 企业名称) when any row has a credit code.
//
// Every text cell goes through SafeText (a leading = + - @, tab or
// carriage return gets a ' in front); counts are numbers and fines are
// written exactly in 万元 ("0.3").
func WriteCSV(w io.Writer, form int, h Header, rows any) error {
	_ = h
	switch form {
	case Form1, Form2, Form3:
	default:
		return taotai.Errorf(taotai.EINVALID, "报表应为附件1、附件2或附件3。")
	}
	cw, err := NewCSVWriter(w)
	if err != nil {
		return err
	}
	switch form {
	case Form1:
		rs, ok := rows.([]Row1)
		if !ok {
			return rowsError("WriteCSV", form, rows)
		}
		err = csv1(cw, rs)
	case Form2:
		rs, ok := rows.([]Row2)
		if !ok {
			return rowsError("WriteCSV", form, rows)
		}
		err = csv2(cw, rs)
	case Form3:
		rs, ok := rows.([]Row3)
		if !ok {
			return rowsError("WriteCSV", form, rows)
		}
		err = csv3(cw, rs)
	}
	if err != nil {
		return err
	}
	return cw.Flush()
}

func rowsError(fn string, form int, rows any) error {
	return fmt.Errorf("forms: %s: form %d takes []Row%d, not %T", fn, form, form, rows)
}

func csv1(cw *CSVWriter, rows []Row1) error {
	withCode := false
	for _, r := range rows {
		if r.CreditCode != "" {
			withCode = true
			break
		}
	}
	head := append([]string(nil), Columns1...)
	if withCode {
		head = append(head[:2:2], append([]string{CreditCodeColumn}, head[2:]...)...)
	}
	if err := cw.Row(texts(head)...); err != nil {
		return err
	}
	rec := make([]any, 0, len(head))
	for i, r := range rows {
		rec = append(rec[:0], i+1, r.Name)
		if withCode {
			rec = append(rec, r.CreditCode)
		}
		rec = append(rec, r.Address, r.Industry, r.Note)
		if err := cw.Row(rec...); err != nil {
			return err
		}
	}
	return nil
}

// texts turns a header's texts into cells.
func texts(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func csv2(cw *CSVWriter, rows []Row2) error {
	if err := cw.Row(texts(Columns2)...); err != nil {
		return err
	}
	var t Row2
	rec := make([]any, 0, len(Columns2))
	for i, r := range rows {
		rec = appendCounts(append(rec[:0], i+1, r.Name, r.Address), r)
		if err := cw.Row(append(rec, r.Note)...); err != nil {
			return err
		}
		t.Add(r)
	}
	rec = appendCounts(append(rec[:0], TotalLabel, nil, nil), t)
	return cw.Row(append(rec, nil)...)
}

// appendCounts appends 附件2's number columns: the seven counts and the
// fines in 万元.
func appendCounts(rec []any, r Row2) []any {
	return append(rec, r.Inspections, r.InspectorTimes, r.ExpertTimes, r.Hazards, r.MajorHazards, r.Orders, r.Penalties, r.Fines)
}

func csv3(cw *CSVWriter, rows []Row3) error {
	if err := cw.Row(texts(Columns3)...); err != nil {
		return err
	}
	for i, r := range rows {
		if err := cw.Row(i+1, r.Region, r.Name, r.Address, r.Industry, r.Rectify, r.RectifiedInTime, r.Card, r.Basis, r.Closed); err != nil {
			return err
		}
	}
	return nil
}
