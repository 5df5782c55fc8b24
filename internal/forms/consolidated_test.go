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
