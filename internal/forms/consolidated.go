package forms

import "io"

// SubtotalSuffix ends the label of a unit's subtotal row in a
// consolidated 附件2: 鞍山市小计.
const SubtotalSuffix = "小计"

// ConsolidatedUnit2 is one reporting unit's part of a province-wide
// 附件2: its name and the rows of its accepted report.
type ConsolidatedUnit2 struct {
	Name string
	Rows []Row2
}

// Sum is the unit's subtotal: its rows summed with Row2.Add.
func (u ConsolidatedUnit2) Sum() Row2 {
	var t Row2
	for _, r := range u.Rows {
		t.Add(r)
	}
	return t
}

// SubtotalLabel is the text of a unit's subtotal row.
func SubtotalLabel(unit string) string { return unit + SubtotalSuffix }

// contentConsolidated2 is 附件2 laid out as the notice prints it, with the
// units' rows one after another, numbered through, each unit's followed
// by a row <unit>小计 (the label in 企业名称) with its sums, and the 合计
// of every unit under them.
func contentConsolidated2(h Header, units []ConsolidatedUnit2) formContent {
	return formContent{layout: layout2(h), header: h, body: func(emit emitFunc) error {
		var total Row2
		vals := make([]any, 0, len(Columns2))
		n := 0
		for _, u := range units {
			for _, r := range u.Rows {
				n++
				vals = append(vals[:0], n, r.Name, r.Address, r.Inspections, r.InspectorTimes, r.ExpertTimes,
					r.Hazards, r.MajorHazards, r.Orders, r.Penalties, r.Fines, r.Note)
				if err := emit(lineData, vals); err != nil {
					return err
				}
			}
			t := u.Sum()
			vals = append(vals[:0], nil, SubtotalLabel(u.Name), nil, t.Inspections, t.InspectorTimes, t.ExpertTimes,
				t.Hazards, t.MajorHazards, t.Orders, t.Penalties, t.Fines, nil)
			if err := emit(lineTotal, vals); err != nil {
				return err
			}
			total.Add(t)
		}
		if err := none(emit, len(units)); err != nil {
			return err
		}
		vals = append(vals[:0], TotalLabel, nil, nil, total.Inspections, total.InspectorTimes, total.ExpertTimes,
			total.Hazards, total.MajorHazards, total.Orders, total.Penalties, total.Fines, nil)
		return emit(lineTotal, vals)
	}}
}

// WriteConsolidated2 writes a province-wide 附件2 重点淘汰行业执法检查统计表
// as .xlsx, laid out like Write2's: the mark, the title naming h.Period,
// the 填报单位 line, the column header, then each unit's rows numbered
// through with a row <unit>小计 under them, and 合计 at the end. Every
// text goes through SafeText.
func WriteConsolidated2(w io.Writer, h Header, units []ConsolidatedUnit2) error {
	return writeXLSX(w, contentConsolidated2(h, units))
}
