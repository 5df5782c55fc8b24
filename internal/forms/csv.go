package forms

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"taotai"
)

// utf8BOM lets Excel and WPS open a UTF-8 CSV as UTF-8 rather than GBK.
const utf8BOM = "\uFEFF"

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
// A text cell that starts with = + - @ (or a tab or carriage return) is
// prefixed with ' so that a spreadsheet does not run it as a formula.
// Fines are written exactly in 万元 ("0.3").
func WriteCSV(w io.Writer, form int, h Header, rows any) error {
	_ = h
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	var err error
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
	default:
		return taotai.Errorf(taotai.EINVALID, "报表应为附件1、附件2或附件3。")
	}
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func rowsError(fn string, form int, rows any) error {
	return fmt.Errorf("forms: %s: form %d takes []Row%d, not %T", fn, form, form, rows)
}

func csv1(cw *csv.Writer, rows []Row1) error {
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
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, 0, len(head))
	for i, r := range rows {
		rec = append(rec[:0], strconv.Itoa(i+1), safeText(r.Name))
		if withCode {
			rec = append(rec, safeText(r.CreditCode))
		}
		rec = append(rec, safeText(r.Address), safeText(r.Industry), safeText(r.Note))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

func csv2(cw *csv.Writer, rows []Row2) error {
	if err := cw.Write(Columns2); err != nil {
		return err
	}
	var t Row2
	rec := make([]string, 0, len(Columns2))
	for i, r := range rows {
		rec = append(rec[:0], strconv.Itoa(i+1), safeText(r.Name), safeText(r.Address))
		rec = appendCounts(rec, r)
		rec = append(rec, safeText(r.Note))
		if err := cw.Write(rec); err != nil {
			return err
		}
		t.Add(r)
	}
	rec = appendCounts(append(rec[:0], TotalLabel, "", ""), t)
	return cw.Write(append(rec, ""))
}

// appendCounts appends 附件2's number columns: the seven counts and the
// fines in 万元.
func appendCounts(rec []string, r Row2) []string {
	for _, n := range []int{r.Inspections, r.InspectorTimes, r.ExpertTimes, r.Hazards, r.MajorHazards, r.Orders, r.Penalties} {
		rec = append(rec, strconv.Itoa(n))
	}
	return append(rec, r.Fines.Wan())
}

func csv3(cw *csv.Writer, rows []Row3) error {
	if err := cw.Write(Columns3); err != nil {
		return err
	}
	rec := make([]string, 0, len(Columns3))
	for i, r := range rows {
		rec = append(rec[:0], strconv.Itoa(i+1))
		for _, s := range []string{r.Region, r.Name, r.Address, r.Industry, r.Rectify, r.RectifiedInTime, r.Card, r.Basis, r.Closed} {
			rec = append(rec, safeText(s))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

// safeText neutralises a text cell a spreadsheet would read as a formula
// (CSV injection): a leading = + - @, tab or carriage return gets a ' in
// front, which Excel and WPS show as text.
func safeText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
