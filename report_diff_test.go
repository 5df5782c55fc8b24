package taotai_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"taotai"
)

// table2 is a small 附件2-like table: name, address, two counts, a note.
func table2(rows ...[]string) taotai.FormTable {
	return taotai.FormTable{Form: 2, Columns: []string{"企业名称", "所在地址", "检查企业次数", "发现问题和隐患数", "备注"},
		Name: 0, Address: 1, Rows: rows}
}

// table3 has its key columns after 地区, as 附件3 does.
func table3(rows ...[]string) taotai.FormTable {
	return taotai.FormTable{Form: 3, Columns: []string{"地区", "企业名称", "地址", "黄/红牌"}, Name: 1, Address: 2, Rows: rows}
}

// describe writes changes one a line: "~ 名称 [old→new] 列:旧→新; …",
// "- 名称 …", "+ 名称 …", with the rows' indexes.
func describe(cs []taotai.RowChange) string {
	var b strings.Builder
	for _, c := range cs {
		sign := map[string]string{"": "~", taotai.RowAdded: "+", taotai.RowRemoved: "-"}[c.Side]
		fmt.Fprintf(&b, "%s %s/%s [%d→%d]", sign, c.Name, c.Address, c.OldIndex, c.NewIndex)
		for _, cell := range c.Cells {
			fmt.Fprintf(&b, " %d%s:%s→%s", cell.Column, cell.Name, cell.Old, cell.New)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestDiffTables(t *testing.T) {
	a := []string{"甲钢铁", "铁东区1号", "1", "2", ""}
	b := []string{"乙水泥", "立山区2号", "2", "0", "停产"}
	tests := []struct {
		name     string
		old, new taotai.FormTable
		want     string
	}{
		{"equal", table2(a, b), table2(a, b), ""},
		{"both empty", table2(), table2(), ""},
		{"order does not matter", table2(a, b), table2(b, a), ""},
		{"a cell changed",
			table2(a, b), table2(a, []string{"乙水泥", "立山区2号", "3", "0", "停产"}),
			"~ 乙水泥/立山区2号 [1→1] 2检查企业次数:2→3\n"},
		{"two cells, one of them emptied",
			table2(a), table2([]string{"甲钢铁", "铁东区1号", "1", "5", "重大隐患：煤气"}),
			"~ 甲钢铁/铁东区1号 [0→0] 3发现问题和隐患数:2→5 4备注:→重大隐患：煤气\n"},
		{"a row added: its values, not its zeros",
			table2(a), table2(a, b),
			"+ 乙水泥/立山区2号 [-1→1] 2检查企业次数:→2 4备注:→停产\n"},
		{"a row removed",
			table2(a, b), table2(b),
			"- 甲钢铁/铁东区1号 [0→-1] 2检查企业次数:1→ 3发现问题和隐患数:2→\n"},
		{"the address changed: the same enterprise",
			table2(a, b), table2([]string{"甲钢铁", "铁东区3号", "1", "2", ""}, b),
			"~ 甲钢铁/铁东区1号 [0→0] 1所在地址:铁东区1号→铁东区3号\n"},
		{"the same name twice on one side: not paired by name",
			table2(a), table2([]string{"甲钢铁", "铁西区", "1", "2", ""}, []string{"甲钢铁", "铁东区3号", "1", "2", ""}),
			"- 甲钢铁/铁东区1号 [0→-1] 2检查企业次数:1→ 3发现问题和隐患数:2→\n" +
				"+ 甲钢铁/铁西区 [-1→0] 2检查企业次数:→1 3发现问题和隐患数:→2\n" +
				"+ 甲钢铁/铁东区3号 [-1→1] 2检查企业次数:→1 3发现问题和隐患数:→2\n"},
		{"two rows of one name and address: the n-th to the n-th",
			table2(a, a), table2(a, []string{"甲钢铁", "铁东区1号", "4", "2", ""}),
			"~ 甲钢铁/铁东区1号 [1→1] 2检查企业次数:1→4\n"},
		{"the key read from its own columns",
			table3([]string{"鞍山市", "甲钢铁", "铁东区1号", "黄牌"}), table3([]string{"鞍山市", "甲钢铁", "铁东区1号", "红牌"}),
			"~ 甲钢铁/铁东区1号 [0→0] 3黄/红牌:黄牌→红牌\n"},
		{"a short row reads as empty cells",
			table2([]string{"甲钢铁", "铁东区1号"}), table2([]string{"甲钢铁", "铁东区1号", "", "", ""}), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := describe(taotai.DiffTables(tt.old, tt.new)); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestDiffTablesRecount checks the comparison of two generated tables
// against a count made independently: every row kept, changed, removed or
// added is found, once.
func TestDiffTablesRecount(t *testing.T) {
	var old, new [][]string
	wantChanged, wantRemoved, wantAdded := 0, 0, 0
	for i := range 60 {
		name, addr := fmt.Sprintf("企业%02d", i), fmt.Sprintf("地址%02d", i)
		row := []string{name, addr, fmt.Sprint(i % 4), "0", ""}
		switch i % 5 {
		case 0: // kept
			old, new = append(old, row), append(new, slices.Clone(row))
		case 1: // changed
			changed := slices.Clone(row)
			changed[3] = "9"
			old, new = append(old, row), append(new, changed)
			wantChanged++
		case 2:
			old = append(old, row)
			wantRemoved++
		case 3:
			new = append(new, row)
			wantAdded++
		case 4: // kept, listed in another place
			old, new = append(old, row), append([][]string{slices.Clone(row)}, new...)
		}
	}
	fc := taotai.CountChanges(2, taotai.DiffTables(table2(old...), table2(new...)))
	if fc.Changed != wantChanged || fc.Removed != wantRemoved || fc.Added != wantAdded {
		t.Errorf("changed %d removed %d added %d, want %d %d %d", fc.Changed, fc.Removed, fc.Added, wantChanged, wantRemoved, wantAdded)
	}
	for _, c := range fc.Rows {
		if c.Side == "" && (c.Old[0] != c.New[0] || len(c.Cells) != 1 || c.Cells[0].New != "9") {
			t.Errorf("a changed row: %+v", c)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	tables := map[string]taotai.FormTable{
		"v1-2": table2([]string{"甲钢铁", "铁东区1号", "1", "2", ""}),
		"v2-2": table2([]string{"甲钢铁", "铁东区1号", "2", "2", ""}),
		"v1-3": table3(),
		"v2-3": table3(),
	}
	read := func(f taotai.SubmittedForm) (taotai.FormTable, error) {
		t, ok := tables[string(f.JSON)]
		if !ok {
			return t, fmt.Errorf("no table %q", f.JSON)
		}
		return t, nil
	}
	v1 := &taotai.Submission{Version: 1, Summary: "全年检查", Forms: []taotai.SubmittedForm{{Form: 2, JSON: []byte("v1-2")}, {Form: 3, JSON: []byte("v1-3")}},
		Files: []taotai.SubmittedFile{{Name: "总结.docx", SHA256: "aa"}, {Name: "附表.pdf", SHA256: "bb"}}}
	v2 := &taotai.Submission{Version: 2, Summary: "全年检查（修订）", Forms: []taotai.SubmittedForm{{Form: 2, JSON: []byte("v2-2")}, {Form: 3, JSON: []byte("v2-3")}},
		Files: []taotai.SubmittedFile{{Name: "总结.docx", SHA256: "cc"}, {Name: "附表.pdf", SHA256: "bb"}}}
	vc, err := taotai.CompareVersions(v1, v2, read)
	if err != nil {
		t.Fatal(err)
	}
	if vc.From != 1 || vc.To != 2 || len(vc.Forms) != 2 || vc.Forms[0].Form != 2 || vc.Forms[0].Changed != 1 || !vc.Forms[1].Same() {
		t.Errorf("forms: %+v", vc.Forms)
	}
	if !vc.SummaryChanged || vc.ZeroChanged || vc.Same() {
		t.Errorf("summary changed %v, zero changed %v, same %v", vc.SummaryChanged, vc.ZeroChanged, vc.Same())
	}
	if len(vc.FilesAdded) != 1 || vc.FilesAdded[0].SHA256 != "cc" || len(vc.FilesRemoved) != 1 || vc.FilesRemoved[0].SHA256 != "aa" {
		t.Errorf("files added %+v, removed %+v", vc.FilesAdded, vc.FilesRemoved)
	}
	same, err := taotai.CompareVersions(v1, v1, read)
	if err != nil || !same.Same() {
		t.Errorf("a version compared with itself: %+v, %v", same, err)
	}
	// A form the earlier version lacks compares with an empty table.
	v0 := &taotai.Submission{Version: 1, Forms: []taotai.SubmittedForm{{Form: 3, JSON: []byte("v1-3")}}, Summary: v1.Summary}
	vc, err = taotai.CompareVersions(v0, v1, read)
	if err != nil || len(vc.Forms) != 2 || vc.Forms[0].Form != 2 || vc.Forms[0].Added != 1 {
		t.Errorf("a form added: %+v, %v", vc.Forms, err)
	}
	if _, err := taotai.CompareVersions(v1, &taotai.Submission{Forms: []taotai.SubmittedForm{{Form: 2, JSON: []byte("bad")}}}, read); err == nil {
		t.Error("an unreadable form was compared")
	}
}
