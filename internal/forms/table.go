package forms

import (
	"encoding/json"
	"fmt"
	"strconv"

	"taotai"
)

// A form's rows as text, for comparing two versions of a report or an
// accepted report with the live records (taotai.DiffTables): the notice's
// columns without 序号, each cell as the form shows it (counts as
// integers, fines in exact 万元). 附件1's 统一社会信用代码, which the
// notice's layout does not print, is not compared.

// Table1 returns 附件1's rows as a table.
func Table1(rows []Row1) taotai.FormTable {
	t := taotai.FormTable{Form: Form1, Columns: Columns1[1:], Name: 0, Address: 1, Rows: make([][]string, len(rows))}
	for i, r := range rows {
		t.Rows[i] = []string{r.Name, r.Address, r.Industry, r.Note}
	}
	return t
}

// Table2 returns 附件2's rows as a table.
func Table2(rows []Row2) taotai.FormTable {
	t := taotai.FormTable{Form: Form2, Columns: Columns2[1:], Name: 0, Address: 1, Rows: make([][]string, len(rows))}
	for i, r := range rows {
		t.Rows[i] = Cells2(r)
	}
	return t
}

// Cells2 is a 附件2 row's cells after 序号, as text.
func Cells2(r Row2) []string {
	return []string{r.Name, r.Address, strconv.Itoa(r.Inspections), strconv.Itoa(r.InspectorTimes), strconv.Itoa(r.ExpertTimes),
		strconv.Itoa(r.Hazards), strconv.Itoa(r.MajorHazards), strconv.Itoa(r.Orders), strconv.Itoa(r.Penalties), r.Fines.Wan(), r.Note}
}

// Table3 returns 附件3's rows as a table; its key (企业名称, 地址) comes
// after 地区.
func Table3(rows []Row3) taotai.FormTable {
	t := taotai.FormTable{Form: Form3, Columns: Columns3[1:], Name: 1, Address: 2, Rows: make([][]string, len(rows))}
	for i, r := range rows {
		t.Rows[i] = []string{r.Region, r.Name, r.Address, r.Industry, r.Rectify, r.RectifiedInTime, r.Card, r.Basis, r.Closed}
	}
	return t
}

// TableOf reads a form's rows kept as JSON ([]Row1, []Row2 or []Row3, as a
// submission keeps them) into a table.
func TableOf(form int, js []byte) (taotai.FormTable, error) {
	switch form {
	case Form1:
		var rows []Row1
		err := decodeRows(form, js, &rows)
		return Table1(rows), err
	case Form2:
		var rows []Row2
		err := decodeRows(form, js, &rows)
		return Table2(rows), err
	case Form3:
		var rows []Row3
		err := decodeRows(form, js, &rows)
		return Table3(rows), err
	}
	return taotai.FormTable{}, fmt.Errorf("no form %d", form)
}

func decodeRows(form int, js []byte, rows any) error {
	if err := json.Unmarshal(js, rows); err != nil {
		return fmt.Errorf("rows of form %d: %w", form, err)
	}
	return nil
}

// SubmittedTable reads one form of a submission into a table, for
// taotai.CompareVersions.
func SubmittedTable(f taotai.SubmittedForm) (taotai.FormTable, error) { return TableOf(f.Form, f.JSON) }
