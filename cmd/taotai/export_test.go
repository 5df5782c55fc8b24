package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"taotai/internal/demo"
	"taotai/internal/forms"
)

// TestExportCommand: the real binary writes 附件2 of June for 鞍山's
// non-coal channel from a demo database, laid out like the attachment.
func TestExportCommand(t *testing.T) {
	bin := buildTaotai(t)
	dir := t.TempDir()
	dsn := filepath.Join(dir, "demo.db")
	st, err := openStore(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(context.Background(), st, demo.Options{Scale: 1, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out := filepath.Join(dir, "f2.xlsx")
	msg, err := exec.Command(bin, "export", "--form", "2", "--region", "210300", "--sector", "noncoal", "--period", "2020-06",
		"-o", out, "--db", dsn).CombinedOutput()
	if err != nil || !strings.Contains(string(msg), "已导出附件2") {
		t.Fatalf("export: %v\n%s", err, msg)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	title, _ := f.GetCellValue(sheet, "A2")
	if title != "重点淘汰行业执法检查统计表（6月）" {
		t.Fatalf("title %q", title)
	}
	for i, want := range forms.Columns2 {
		cell, _ := excelize.CoordinatesToCellName(i+1, 4)
		// The header is printed in lines (执法检查 / 人员数量 / （人次）).
		if got, _ := f.GetCellValue(sheet, cell); strings.ReplaceAll(got, "\n", "") != want {
			t.Fatalf("header %s = %q, want %q", cell, got, want)
		}
	}
	bad, err := exec.Command(bin, "export", "--form", "2", "--sector", "noncoal", "--period", "2020-13", "-o", filepath.Join(dir, "x.xlsx"), "--db", dsn).CombinedOutput()
	if err == nil || !strings.Contains(string(bad), "报送期间") {
		t.Fatalf("a bad period: %v %s", err, bad)
	}
	// A form is of one channel: without --sector the command refuses.
	both, err := exec.Command(bin, "export", "--form", "2", "--period", "2020-06", "-o", filepath.Join(dir, "y.xlsx"), "--db", dsn).CombinedOutput()
	if err == nil || !strings.Contains(string(both), "--sector") {
		t.Fatalf("an export of both channels: %v %s", err, both)
	}
	unit, _ := f.GetCellValue(sheet, "A3")
	if !strings.HasPrefix(unit, "填报单位：鞍山市应急管理局") {
		t.Errorf("填报单位 line %q", unit)
	}
}
