package forms

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The line naming a period's days is written under 附件2's and 附件3's
// notes, in the .xlsx and the CSV, and read back as no row.
func TestSpanLine(t *testing.T) {
	h := Header{Unit: "鞍山市应急管理局", Period: "6月", Span: "2020年5月12日至6月25日"}
	var x2, x3, c2 bytes.Buffer
	if err := Write2(&x2, h, []Row2{{Name: "鞍山钢铁集团有限公司", Address: "鞍山市铁西区", Inspections: 1, InspectorTimes: 2}}); err != nil {
		t.Fatal(err)
	}
	if err := Write3(&x3, h, []Row3{{Region: "鞍山市铁西区", Name: "鞍山钢铁集团有限公司", Address: "鞍山市铁西区", Industry: "钢铁",
		Rectify: "整改", RectifiedInTime: "整改期限内", Card: "黄牌", Basis: "", Closed: "否"}}); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&c2, Form2, h, []Row2{{Name: "鞍山钢铁集团有限公司", Address: "鞍山市铁西区", Inspections: 1, InspectorTimes: 2}}); err != nil {
		t.Fatal(err)
	}
	want := "统计期间：2020年5月12日至6月25日。"
	for name, b := range map[string][]byte{"附件2": x2.Bytes(), "附件3": x3.Bytes()} {
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		last := rows[len(rows)-1]
		if len(last) == 0 || last[0] != want {
			t.Errorf("%s's last line %q, want %q", name, last, want)
		}
	}
	if !strings.Contains(c2.String(), want) {
		t.Errorf("the CSV lacks the period's days: %q", c2.String())
	}
	r2, err := Read2(bytes.NewReader(x2.Bytes()))
	if err != nil || len(r2.Rows) != 1 || len(r2.Errors) != 0 || r2.Period != "6月" {
		t.Fatalf("附件2 read back: %+v %v", r2, err)
	}
	r3, err := Read3(bytes.NewReader(x3.Bytes()))
	if err != nil || len(r3.Rows) != 1 || len(r3.Errors) != 0 {
		t.Fatalf("附件3 read back: %+v %v", r3, err)
	}
}
