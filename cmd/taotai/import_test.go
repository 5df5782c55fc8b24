package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"taotai/internal/forms"
)

// TestImportCommand: the real binary prints every row error and exits
// non-zero without writing; the fixed file is imported; the same file
// again changes nothing. A file is one channel's: --sector is required.
func TestImportCommand(t *testing.T) {
	bin := buildTaotai(t)
	dir := t.TempDir()
	dsn := filepath.Join(dir, "t.db")
	rows := []forms.Row1{
		{Name: "鞍山甲钢铁有限公司", Address: "鞍山市铁东区甲路1号", Industry: "钢铁", Note: "正常生产"},
		{Name: "鞍山乙水泥有限公司", Address: "", Industry: "水泥", Note: "停产"},
		{Name: "鞍山丙玻璃有限公司", Address: "鞍山市铁西区丙路3号", Industry: "平板玻璃", Note: "关停"},
	}
	write := func(name string, rows []forms.Row1) string {
		var b bytes.Buffer
		if err := forms.Write1(&b, forms.Header{}, rows, false); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run := func(args ...string) (string, error) {
		out, err := exec.Command(bin, append([]string{"import", "--db", dsn, "--form", "1", "--region", "210300", "--sector", "noncoal", "--year", "2020"}, args...)...).CombinedOutput()
		return string(out), err
	}
	out, err := run(write("bad.xlsx", rows))
	if err == nil || !strings.Contains(out, "第6行 C列（所在地址）：不能为空") || !strings.Contains(out, "第7行 E列（备注）") ||
		!strings.Contains(out, "全部未写入") {
		t.Fatalf("bad file: %v\n%s", err, out)
	}
	st, err := openStore(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	st.SQL().QueryRow(`SELECT COUNT(*) FROM enterprises`).Scan(&n)
	st.Close()
	if n != 0 {
		t.Fatalf("a failed import wrote %d enterprises", n)
	}
	rows[1].Address, rows[2].Note = "鞍山市立山区乙路2号", "停产"
	good := write("good.xlsx", rows)
	if out, err := run(good); err != nil || !strings.Contains(out, "新登记3家") {
		t.Fatalf("good file: %v\n%s", err, out)
	}
	if out, err := run(good); err != nil || !strings.Contains(out, "附件1（鞍山市，非煤，2020年）与系统中的数据一致，无需写入（3行）") {
		t.Fatalf("again: %v\n%s", err, out)
	}
	// Flags after the file, as people type them.
	if out, err := exec.Command(bin, "import", good, "--db", dsn, "--form", "1", "--region", "210300", "--sector", "noncoal",
		"--year", "2020").CombinedOutput(); err != nil || !strings.Contains(string(out), "无需写入（3行）") {
		t.Fatalf("flags after the file: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "import", "--db", dsn, "--form", "1", "--region", "210300", "--year", "2020", good).CombinedOutput(); err == nil ||
		!strings.Contains(string(out), "请用 --sector coal（煤矿）或 --sector noncoal（非煤）指明") {
		t.Fatalf("no --sector: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "import", "--db", dsn, "--form", "1").CombinedOutput(); err == nil {
		t.Fatalf("no file: %s", out)
	}
}
