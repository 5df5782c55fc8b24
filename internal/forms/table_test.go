package forms_test

import (
	"encoding/json"
	"slices"
	"testing"

	"taotai"
	"taotai/internal/forms"
)

// TestTable: each form's rows read back from their JSON as text cells,
// one per column the notice prints after 序号, the key columns holding the
// name and address.
func TestTable(t *testing.T) {
	rows := map[int]any{
		forms.Form1: []forms.Row1{{Name: "甲钢铁", Address: "铁东区1号", Industry: "钢铁", Note: "停产", CreditCode: "91210300241471030L"}},
		forms.Form2: []forms.Row2{{Name: "甲钢铁", Address: "铁东区1号", Inspections: 2, InspectorTimes: 5, Fines: 12345, Note: "重大隐患"}},
		forms.Form3: []forms.Row3{{Region: "鞍山市", Name: "甲钢铁", Address: "铁东区1号", Industry: "钢铁", Card: "黄牌", Closed: "否"}},
	}
	want := map[int][]string{
		forms.Form1: {"甲钢铁", "铁东区1号", "钢铁", "停产"},
		forms.Form2: {"甲钢铁", "铁东区1号", "2", "5", "0", "0", "0", "0", "0", "1.2345", "重大隐患"},
		forms.Form3: {"鞍山市", "甲钢铁", "铁东区1号", "钢铁", "", "", "黄牌", "", "否"},
	}
	cols := map[int][]string{forms.Form1: forms.Columns1, forms.Form2: forms.Columns2, forms.Form3: forms.Columns3}
	for form, rs := range rows {
		js, err := json.Marshal(rs)
		if err != nil {
			t.Fatal(err)
		}
		tab, err := forms.SubmittedTable(taotai.SubmittedForm{Form: form, JSON: js})
		if err != nil {
			t.Fatal(err)
		}
		if tab.Form != form || !slices.Equal(tab.Columns, cols[form][1:]) || len(tab.Rows) != 1 || !slices.Equal(tab.Rows[0], want[form]) {
			t.Errorf("附件%d: %+v", form, tab)
		}
		if tab.Rows[0][tab.Name] != "甲钢铁" || tab.Rows[0][tab.Address] != "铁东区1号" {
			t.Errorf("附件%d's key columns: %d, %d", form, tab.Name, tab.Address)
		}
	}
	if _, err := forms.TableOf(forms.Form2, []byte("{")); err == nil {
		t.Error("bad JSON read")
	}
	if _, err := forms.TableOf(4, []byte("[]")); err == nil {
		t.Error("附件4 read")
	}
}
