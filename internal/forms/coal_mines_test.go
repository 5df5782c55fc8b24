package forms_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"taotai"
	"taotai/internal/forms"
)

// TestCoalMineList: the .xlsx holds the title, the header and one row
// per entry with its state in words; a text a spreadsheet would take for
// a formula is kept as text; an empty list has one row 无.
func TestCoalMineList(t *testing.T) {
	entries := []*taotai.CoalMineEntry{
		{CityName: "阜新市", RegionName: "海州区", EnterpriseName: "阜新五龙煤矿", Address: "阜新市海州区五龙路1号",
			Conditions: "未按规定建立瓦斯抽采系统", Measure: "责令停产整顿", State: taotai.CoalSuspended},
		{CityName: "阜新市", RegionName: "清河门区", EnterpriseName: "清河门煤矿", Address: "=HYPERLINK(\"x\")",
			Conditions: "超能力生产", Measure: "关闭退出", State: taotai.CoalClosed},
	}
	rows := read(t, entries)
	if !slices.ContainsFunc(rows, func(r []string) bool {
		return len(r) > 0 && strings.Contains(r[0], "阜新市2020年度不符合安全生产条件的煤矿企业清单")
	}) {
		t.Fatalf("no title: %q", rows)
	}
	i := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 1 && r[0] == "序号" })
	if i < 0 || !slices.Equal(rows[i], []string{"序号", "地区", "煤矿企业名称", "地址", "不符合安全生产条件的情形", "采取的措施", "整改状态"}) {
		t.Fatalf("header: %q", rows)
	}
	want := [][]string{
		{"1", "阜新市海州区", "阜新五龙煤矿", "阜新市海州区五龙路1号", "未按规定建立瓦斯抽采系统", "责令停产整顿", "停产整顿中"},
		{"2", "阜新市清河门区", "清河门煤矿", "'=HYPERLINK(\"x\")", "超能力生产", "关闭退出", "已关闭退出"},
	}
	for k, w := range want {
		if !slices.Equal(rows[i+1+k], w) {
			t.Errorf("row %d: %q, want %q", k+1, rows[i+1+k], w)
		}
	}
	empty := read(t, nil)
	i = slices.IndexFunc(empty, func(r []string) bool { return len(r) > 1 && r[0] == "序号" })
	if empty[i+1][0] != forms.NoneLabel {
		t.Errorf("an empty list: %q", empty[i+1])
	}
}

func read(t *testing.T, entries []*taotai.CoalMineEntry) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := forms.WriteCoalMineList(&buf, 2020, "阜新市", entries); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("煤矿企业清单")
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
