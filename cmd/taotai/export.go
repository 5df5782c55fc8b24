package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
)

// cmdExport writes an official form as .xlsx (or .csv by the name):
// taotai export --form 1|2|3 --region CODE --sector coal|noncoal --period 2020-06 -o FILE.xlsx
func cmdExport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("export")
	dsn := fs.String("db", defaultDSN(), dbUsage)
	form := fs.Int("form", 0, "附件 1、2 或 3")
	region := fs.String("region", taotai.ProvinceCode, "填报地区的行政区划代码（如 210300 鞍山市）")
	sector := fs.String("sector", "", "行业类别：coal（煤矿）或 noncoal（非煤）")
	period := fs.String("period", "", "报送期间：2020-05（首次报送）、2020-06 至 2020-09（月报）或 2020（年度）")
	out := fs.String("o", "", "输出文件（.xlsx 或 .csv）")
	person := fs.String("person", "", "填报人")
	phone := fs.String("phone", "", "联系电话")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(fs, err)
	}
	switch {
	case len(rest) > 0:
		return wrong(fs, "多余的参数："+rest[0]+"（输出文件写在 -o 之后）")
	case *form < 1 || *form > 3:
		return wrong(fs, "请用 --form 1、2 或 3 指明导出哪个附件。")
	case !taotai.ValidSector(*sector):
		return wrong(fs, "请用 --sector coal（煤矿）或 --sector noncoal（非煤）指明行业类别：一份报表只含一个行业类别。")
	case *period == "":
		return wrong(fs, "请用 --period 指明报送期间。")
	case *out == "":
		return wrong(fs, "请用 -o 文件.xlsx 指明输出文件。")
	}
	db, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = operatorContext(ctx)
	p, err := db.ParsePeriod(ctx, *period)
	if err != nil {
		return err
	}
	r, err := db.FindRegion(ctx, *region)
	if err != nil {
		return err
	}
	unit, err := db.FormUnit(ctx, p.Year, r, *sector)
	if err != nil {
		return err
	}
	h := forms.Header{Unit: unit, Person: *person, Phone: *phone,
		Date: db.Clock().Now().In(taotai.Shanghai).Format("2006年1月2日"), Period: p.Label, Span: p.Span()}
	f, err := os.CreateTemp(filepath.Dir(*out), ".export-*")
	if err != nil {
		return err
	}
	// Once renamed there is nothing left to remove; before, a failure to
	// remove leaves only a hidden temporary file beside the output.
	defer func() { _ = os.Remove(f.Name()) }()
	n, err := writeForm(ctx, db, f, *form, p, r.Code, *sector, h, strings.HasSuffix(strings.ToLower(*out), ".csv"))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(f.Name(), *out); err != nil {
		return err
	}
	if err := db.RecordEvent(ctx, taotai.AuditExport, "form", *form, fmt.Sprintf("附件%d，%s，%s，%s，%d行", *form, r.Name, taotai.SectorName(*sector), p.Key, n)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已导出附件%d（%s，%s，%s）%d行：%s\n", *form, r.Name, taotai.SectorName(*sector), p.Key, n, *out)
	return nil
}

// writeForm reads the form's rows and writes them; it returns the count.
func writeForm(ctx context.Context, db *store.DB, w io.Writer, form int, p store.Period, region, sector string, h forms.Header, csv bool) (int, error) {
	rows, n, err := db.FormRows(ctx, form, p, region, sector)
	if err != nil {
		return 0, err
	}
	return n, forms.Write(w, form, h, rows, csv)
}
