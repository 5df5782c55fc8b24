package forms_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"taotai/internal/forms"
)

func TestWriteConsolidated2(t *testing.T) {
	units := []forms.ConsolidatedUnit2{
		{Name: "鞍山市", Rows: []forms.Row2{
			{Name: "鞍山钢铁甲厂", Address: "铁东区一路1号", Inspections: 2, InspectorTimes: 4, ExpertTimes: 1, Hazards: 3, Fines: 15000},
			{Name: "=鞍山乙厂", Address: "立山区二路2号", Inspections: 1, InspectorTimes: 2, Hazards: 1, MajorHazards: 1, Orders: 1, Fines: 5000},
		}},
		{Name: "阜新市", Rows: []forms.Row2{
			{Name: "阜新丙厂", Address: "海州区三路3号", Inspections: 3, InspectorTimes: 6, ExpertTimes: 2, Penalties: 1, Fines: 100000},
		}},
		{Name: "沈抚新区"}, // a zero report
	}
	h := header
	h.Unit, h.Period = "辽宁省应急管理厅", "6月"
	var buf bytes.Buffer
	if err := forms.WriteConsolidated2(&buf, h, units); err != nil {
		t.Fatal(err)
	}
	f := open(t, &buf)
	const sheet = "附件2"
	if got := cell(t, f, sheet, "A1"); got != "附件2" {
		t.Errorf("mark %q", got)
	}
	if got := cell(t, f, sheet, "A2"); !strings.Contains(got, "（6月）") {
		t.Errorf("title %q", got)
	}
	if got := cell(t, f, sheet, "A3"); !strings.Contains(got, "填报单位：辽宁省应急管理厅") {
		t.Errorf("header line %q", got)
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	byLabel := map[string][]string{}
	var seq []string
	for _, r := range rows[4:] {
		for len(r) < len(forms.Columns2) {
			r = append(r, "")
		}
		switch {
		case r[0] == forms.TotalLabel:
			byLabel[forms.TotalLabel] = r
		case strings.HasSuffix(r[1], forms.SubtotalSuffix) && r[0] == "":
			byLabel[r[1]] = r
		case r[0] != "" && r[1] != "":
			seq = append(seq, r[0]+" "+r[1])
		}
	}
	if want := []string{"1 鞍山钢铁甲厂", "2 '=鞍山乙厂", "3 阜新丙厂"}; strings.Join(seq, "|") != strings.Join(want, "|") {
		t.Errorf("numbered rows %q, want %q (text through SafeText)", seq, want)
	}
	for label, want := range map[string]forms.Row2{
		"鞍山市小计":          units[0].Sum(),
		"阜新市小计":          units[1].Sum(),
		"沈抚新区小计":         {},
		forms.TotalLabel: sumAll(units),
	} {
		r, ok := byLabel[label]
		if !ok {
			t.Errorf("no row %s", label)
			continue
		}
		got := strings.Join(r[3:11], ",")
		if w := sumCells(want); got != w {
			t.Errorf("%s: %s, want %s", label, got, w)
		}
	}
	if s := units[0].Sum(); s.Inspections != 3 || s.Fines != 20000 {
		t.Errorf("鞍山市 sum %+v", s)
	}
}

func sumAll(units []forms.ConsolidatedUnit2) forms.Row2 {
	var t forms.Row2
	for _, u := range units {
		t.Add(u.Sum())
	}
	return t
}

// sumCells is the raw cells a subtotal or total row holds for r's counts.
func sumCells(r forms.Row2) string {
	parts := []string{strconv.Itoa(r.Inspections), strconv.Itoa(r.InspectorTimes), strconv.Itoa(r.ExpertTimes), strconv.Itoa(r.Hazards),
		strconv.Itoa(r.MajorHazards), strconv.Itoa(r.Orders), strconv.Itoa(r.Penalties), r.Fines.Wan()}
	return strings.Join(parts, ",")
}

// consolidatedRows reads a written sheet's rows under the column header.
func consolidatedRows(t *testing.T, buf *bytes.Buffer, sheet string, width int) [][]string {
	t.Helper()
	f := open(t, buf)
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, r := range rows[4:] {
		for len(r) < width {
			r = append(r, "")
		}
		out = append(out, r)
	}
	return out
}

func TestWriteConsolidated3(t *testing.T) {
	units := []forms.ConsolidatedUnit3{
		{Name: "鞍山市", Rows: []forms.Row3{
			{Region: "鞍山市", Name: "甲厂", Address: "一路", Industry: "冶金", Card: "黄牌", Closed: "否"},
			{Region: "鞍山市", Name: "乙厂", Address: "二路", Industry: "冶金", Card: "红牌", Closed: "是"},
		}},
		{Name: "阜新市", Rows: []forms.Row3{{Region: "阜新市", Name: "丙厂", Address: "三路", Industry: "冶金", Card: "黄牌", Closed: "否"}}},
	}
	h := header
	h.Period = "6月"
	var buf bytes.Buffer
	if err := forms.WriteConsolidated3(&buf, h, units); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var seq []string
	for _, r := range consolidatedRows(t, &buf, "附件3", len(forms.Columns3)) {
		switch {
		case r[0] == forms.TotalLabel:
			got[r[0]] = r[2]
		case strings.HasSuffix(r[1], forms.SubtotalSuffix):
			got[r[1]] = r[2]
		case r[0] != "" && r[2] != "":
			seq = append(seq, r[0]+" "+r[2])
		}
	}
	want := map[string]string{"鞍山市小计": "共2家（黄牌1家，红牌1家，已关闭1家）", "阜新市小计": "共1家（黄牌1家，红牌0家，已关闭0家）",
		forms.TotalLabel: "共3家（黄牌2家，红牌1家，已关闭1家）"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if strings.Join(seq, "|") != "1 甲厂|2 乙厂|3 丙厂" {
		t.Errorf("numbered rows %q", seq)
	}
}

func TestWriteConsolidated1(t *testing.T) {
	units := []forms.ConsolidatedUnit1{
		{Name: "鞍山市", Rows: []forms.Row1{{Name: "甲厂", Address: "一路", Industry: "冶金", Note: "正常生产"},
			{Name: "+乙厂", Address: "二路", Industry: "冶金", Note: "停产"}}},
		{Name: "沈抚新区"},
	}
	var buf bytes.Buffer
	if err := forms.WriteConsolidated1(&buf, header, units); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var seq []string
	for _, r := range consolidatedRows(t, &buf, "附件1", len(forms.Columns1)) {
		switch {
		case r[0] == forms.TotalLabel:
			got[r[0]] = r[2]
		case strings.HasSuffix(r[1], forms.SubtotalSuffix):
			got[r[1]] = r[2]
		case r[0] != "" && r[1] != "":
			seq = append(seq, r[0]+" "+r[1])
		}
	}
	if got["鞍山市小计"] != "共2家" || got["沈抚新区小计"] != "共0家" || got[forms.TotalLabel] != "共2家" {
		t.Errorf("subtotals %q", got)
	}
	if strings.Join(seq, "|") != "1 甲厂|2 '+乙厂" {
		t.Errorf("numbered rows %q (text through SafeText)", seq)
	}
}
