package main

import (
	"context"
	"flag"
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
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	dsn := fs.String("db", defaultDSN(), "database")
	form := fs.Int("form", 0, "1, 2 or 3")
	region := fs.String("region", taotai.ProvinceCode, "region code")
	sector := fs.String("sector", "", "coal or noncoal")
	period := fs.String("period", "", "2020-05 (first report), 2020-06 … 2020-09 (monthly) or 2020 (annual)")
	out := fs.String("o", "", "output file (.xlsx or .csv)")
	person := fs.String("person", "", "填报人")
	phone := fs.String("phone", "", "联系电话")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *form < 1 || *form > 3 || *out == "" || *period == "" || !taotai.ValidSector(*sector) {
		return usageError{"export: --form 1|2|3, --sector coal|noncoal (a form is of one channel), --period and -o are required"}
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
