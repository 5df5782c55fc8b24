package forms

import (
	"fmt"
	"io"
	"strings"
)

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

// ConsolidatedUnit3 is one reporting unit's part of a province-wide
// 附件3: its name and the rows of its accepted report.
type ConsolidatedUnit3 struct {
	Name string
	Rows []Row3
}

// CardCount counts the rows of 附件3: how many enterprises, how many of
// them hold a yellow or a red card, how many are closed.
type CardCount struct {
	Enterprises, Yellow, Red, Closed int
}

// Add adds another count to c.
func (c *CardCount) Add(d CardCount) {
	c.Enterprises += d.Enterprises
	c.Yellow += d.Yellow
	c.Red += d.Red
	c.Closed += d.Closed
}

// Text is the count as the subtotal row prints it.
func (c CardCount) Text() string {
	return fmt.Sprintf("共%d家（黄牌%d家，红牌%d家，已关闭%d家）", c.Enterprises, c.Yellow, c.Red, c.Closed)
}

// Count is the unit's subtotal: its enterprises by card.
func (u ConsolidatedUnit3) Count() CardCount {
	c := CardCount{Enterprises: len(u.Rows)}
	for _, r := range u.Rows {
		switch {
		case strings.Contains(r.Card, "红"):
			c.Red++
		case strings.Contains(r.Card, "黄"):
			c.Yellow++
		}
		if r.Closed == "是" {
			c.Closed++
		}
	}
	return c
}

// contentConsolidated3 is 附件3 with the units' rows numbered through,
// each unit's followed by a row <unit>小计 (the label in 地区, the count in
// 企业名称), and 合计 under them all.
func contentConsolidated3(h Header, units []ConsolidatedUnit3) formContent {
	return formContent{layout: layout3(h), header: h, body: func(emit emitFunc) error {
		var total CardCount
		vals := make([]any, 0, len(Columns3))
		n := 0
		for _, u := range units {
			for _, r := range u.Rows {
				n++
				vals = append(vals[:0], n, r.Region, r.Name, r.Address, r.Industry, r.Rectify, r.RectifiedInTime,
					r.Card, r.Basis, r.Closed)
				if err := emit(lineData, vals); err != nil {
					return err
				}
			}
			c := u.Count()
			if err := emit(lineTotal, countRow(vals, len(Columns3), nil, SubtotalLabel(u.Name), c.Text())); err != nil {
				return err
			}
			total.Add(c)
		}
		if err := none(emit, len(units)); err != nil {
			return err
		}
		return emit(lineTotal, countRow(vals, len(Columns3), TotalLabel, nil, total.Text()))
	}}
}

// countRow is a subtotal or total row of a form without numbers: its
// first three cells, the rest empty.
func countRow(vals []any, width int, first, second, third any) []any {
	vals = append(vals[:0], first, second, third)
	for len(vals) < width {
		vals = append(vals, nil)
	}
	return vals
}

// WriteConsolidated3 writes a province-wide 附件3 安全生产“黄”“红”牌企业名单
// 汇总表 as .xlsx, laid out like Write3's, each unit's rows followed by a
// row <unit>小计 counting its enterprises by card, and 合计 at the end.
func WriteConsolidated3(w io.Writer, h Header, units []ConsolidatedUnit3) error {
	return writeXLSX(w, contentConsolidated3(h, units))
}

// ConsolidatedUnit1 is one reporting unit's part of a province-wide
// 附件1: its name and the rows of its accepted report.
type ConsolidatedUnit1 struct {
	Name string
	Rows []Row1
}

// contentConsolidated1 is 附件1 with the units' rows numbered through,
// each unit's followed by a row <unit>小计 (the label in 企业名称, 共N家 in
// 所在地址), and 合计 under them all.
func contentConsolidated1(h Header, units []ConsolidatedUnit1) formContent {
	l := layout1(false)
	return formContent{layout: l, header: h, body: func(emit emitFunc) error {
		total := 0
		vals := make([]any, 0, len(l.cols))
		n := 0
		for _, u := range units {
			for _, r := range u.Rows {
				n++
				vals = append(vals[:0], n, r.Name, r.Address, r.Industry, r.Note)
				if err := emit(lineData, vals); err != nil {
					return err
				}
			}
			text := fmt.Sprintf("共%d家", len(u.Rows))
			if err := emit(lineTotal, countRow(vals, len(l.cols), nil, SubtotalLabel(u.Name), text)); err != nil {
				return err
			}
			total += len(u.Rows)
		}
		if err := none(emit, len(units)); err != nil {
			return err
		}
		return emit(lineTotal, countRow(vals, len(l.cols), TotalLabel, nil, fmt.Sprintf("共%d家", total)))
	}}
}

// WriteConsolidated1 writes a province-wide 附件1 重点淘汰行业企业名单 as
// .xlsx, laid out like Write1's, each unit's rows followed by a row
// <unit>小计 with its number of enterprises, and 合计 at the end.
func WriteConsolidated1(w io.Writer, h Header, units []ConsolidatedUnit1) error {
	return writeXLSX(w, contentConsolidated1(h, units))
}
