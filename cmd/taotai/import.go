package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
)

// errNotWritten is the exit status of an import that wrote nothing because
// of the rows' errors (already printed).
var errNotWritten = errors.New("导入未写入任何数据")

// cmdImport reads a filled form into the database:
// taotai import --form 1|2|3 --region CODE --sector coal|noncoal --year 2020 FILE.xlsx
// A file stands for one region, one channel (coal or non-coal) and, for
// 附件2/3, one period; the import touches no other channel's rows.
// It prints every row error as 第7行 C列（所在地址）：不能为空 and writes all
// rows or none; the exit status is non-zero when errors kept it from
// writing. A file that changes nothing (imported before) exits 0.
func cmdImport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("import")
	dsn := fs.String("db", defaultDSN(), dbUsage)
	form := fs.Int("form", 0, "附件 1、2 或 3")
	region := fs.String("region", "", "报送地区的行政区划代码（如 210300 鞍山市）")
	sector := fs.String("sector", "", "这份报表的行业类别：coal（煤矿）或 noncoal（非煤）")
	year := fs.Int("year", 0, "专项行动年度（如 2020）")
	period := fs.String("period", "", "附件2、3 的报送期间：2020-05、2020-06 至 2020-09 或 2020（默认：表头标题所写的期间）")
	dry := fs.Bool("dry-run", false, "只检查、逐行报错，不写入")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(fs, err)
	}
	switch {
	case *form < 1 || *form > 3:
		return wrong(fs, "请用 --form 1、2 或 3 指明导入哪个附件。")
	case *region == "":
		return wrong(fs, "请用 --region 指明报送地区的行政区划代码。")
	case *year == 0:
		return wrong(fs, "请用 --year 指明专项行动年度。")
	case len(files) != 1:
		return wrong(fs, "请指明一个要导入的 .xlsx 文件。")
	}
	if !taotai.ValidSector(*sector) {
		return taotai.Errorf(taotai.EINVALID, "请用 --sector coal（煤矿）或 --sector noncoal（非煤）指明这份报表的行业类别：一份报表只填报一个行业类别。")
	}
	file := files[0]
	data, err := readUpload(file)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.ImportForm(operatorContext(ctx), store.ImportOptions{Form: *form, RegionCode: *region, Sector: *sector, Year: *year,
		Period: *period, FileName: filepath.Base(file), DryRun: *dry}, data)
	if err != nil {
		return err
	}
	return printImport(stdout, rep, *dry)
}

// readUpload reads a file up to one byte beyond the size a form may have:
// the reader refuses it with its message.
func readUpload(name string) ([]byte, error) {
	f, err := os.Open(name) //nolint:gosec // the file the operator named on their own command line
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // only read: the read's error is the one that matters
	return io.ReadAll(io.LimitReader(f, forms.MaxFileSize+1))
}

func printImport(w io.Writer, rep *store.ImportReport, dry bool) error {
	what := fmt.Sprintf("附件%d（%s，%s，%d年", rep.Form, rep.Region.Name, taotai.SectorName(rep.Sector), rep.Year)
	if rep.Form != forms.Form1 {
		what += "，" + rep.Period.Label
	}
	what += "）"
	for _, e := range rep.Errors {
		kind := "错误"
		if e.Warning {
			kind = "提示"
		}
		fmt.Fprintf(w, "%s %s\n", kind, e)
	}
	for _, r := range rep.Rows {
		if r.Action == store.ImportUnchanged {
			continue
		}
		at := "    "
		if r.Row > 0 {
			at = fmt.Sprintf("第%d行", r.Row)
		}
		fmt.Fprintf(w, "%s %s %s %s\n", at, r.Action, r.Name, r.Detail)
	}
	if n := len(rep.NotInFile); n > 0 {
		fmt.Fprintf(w, "提示 %d年名单中有%d家企业不在文件中（未移出名单）：%s\n", rep.Year, n, strings.Join(rep.NotInFile, "、"))
	}
	counts := fmt.Sprintf("新登记%d家，更新%d家，删除%d家，无变化%d家", rep.Created, rep.Updated, rep.Removed, rep.Unchanged)
	switch {
	case rep.HasErrors():
		fmt.Fprintf(w, "%s有%d处错误，全部未写入。请改正后重新导入。\n", what, len(rep.Errors))
		return errNotWritten
	case dry:
		fmt.Fprintf(w, "%s检查通过（未写入）：%s。\n", what, counts)
	case rep.Written:
		fmt.Fprintf(w, "已导入%s：%s。\n", what, counts)
	default:
		fmt.Fprintf(w, "%s与系统中的数据一致，无需写入（%d行）。\n", what, rep.Unchanged)
	}
	return nil
}
