package forms

import (
	"io"
	"strconv"

	"taotai"
)

// The list of a coal-producing city's coal mines that do not meet the
// conditions for safe production (不符合安全生产条件的煤矿企业清单), as a
// table laid out like the official forms (WriteWorkbook: A4 landscape,
// the header on every page, every text through SafeText).

var coalMineColumns = []TableColumn{{"序号", 6, kindSeq}, {"地区", 14, kindShort}, {"煤矿企业名称", 26, kindText},
	{"地址", 28, kindText}, {"不符合安全生产条件的情形", 40, kindText}, {"采取的措施", 30, kindText}, {"整改状态", 12, kindShort}}

// CoalMineTable is the year's list of a region (its name in the title).
func CoalMineTable(year int, regionName string, entries []*taotai.CoalMineEntry) Table {
	t := Table{Sheet: "煤矿企业清单", Title: regionName + strconv.Itoa(year) + "年度不符合安全生产条件的煤矿企业清单", Columns: coalMineColumns,
		Notes: []string{"注：依据《关于加强执法检查依法依规推动落后产能退出的通知》，由产煤市煤矿安全监管部门建立。"}}
	if len(entries) == 0 {
		t.Rows = append(t.Rows, TableRow{Kind: RowData, Cells: []any{NoneLabel, "", "", "", "", "", ""}})
	}
	for i, e := range entries {
		t.Rows = append(t.Rows, TableRow{Kind: RowData, Cells: []any{i + 1, e.CityName + e.RegionName, e.EnterpriseName, e.Address,
			e.Conditions, e.Measure, taotai.CoalStateName(e.State)}})
	}
	return t
}

// WriteCoalMineList writes the list as .xlsx.
func WriteCoalMineList(w io.Writer, year int, regionName string, entries []*taotai.CoalMineEntry) error {
	return WriteWorkbook(w, nil, []Table{CoalMineTable(year, regionName, entries)})
}
