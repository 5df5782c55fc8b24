package store_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"taotai"
	"taotai/internal/demo"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestFormsRoundTrip exports a city's forms from the demo's 2020 campaign
// (附件1 of the year, 附件2 of the year, the first report, June and July,
// 附件3 of the year),
// imports them into an empty database as that city's clerk — as a city
// that worked offline sends them — and exports them again: every cell of
// every sheet is the same, and importing each file again changes nothing.
// It runs for 鞍山's non-coal and 阜新's coal channel, with and without the
// 统一社会信用代码 column in 附件1 (matched by code, or registered by name
// with the county read from the address).
func TestFormsRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, src *store.DB) {
		// After the campaign year, so that the whole of 2020 is there.
		after := time.Date(2021, 1, 15, 10, 0, 0, 0, taotai.Shanghai)
		src.Clock().(*taotai.FixedClock).T = after
		if _, err := demo.Load(context.Background(), src, demo.Options{Scale: 1, Seed: 2020}); err != nil {
			t.Fatal(err)
		}
		channels := []struct{ region, sector string }{
			{"210300", taotai.SectorNonCoal}, // 鞍山
			{"210900", taotai.SectorCoal},    // 阜新
		}
		for _, c := range channels {
			listReported(t, src, after, c.region, c.sector)
		}
		for _, withCode := range []bool{true, false} {
			t.Run(fmt.Sprintf("credit-code=%v", withCode), func(t *testing.T) {
				dst := storetest.Open(t, src.Dialect())
				dst.Clock().(*taotai.FixedClock).T = after
				for _, c := range channels { // both cities into the one database
					from := storetest.ActorContext(src, taotai.RoleCityClerk, c.region, c.sector)
					to := storetest.ActorContext(dst, taotai.RoleCityClerk, c.region, c.sector)
					files := exportForms(t, src, from, c.region, c.sector, withCode)
					for _, f := range files {
						rep := importFile(t, dst, to, c.region, f, false)
						if rep.HasErrors() || !rep.Written || rep.Changes() != len(f.names) {
							t.Fatalf("%s %s: written %v, %d changes of %d rows", c.region, f.name, rep.Written, rep.Changes(), len(f.names))
						}
					}
					for _, f := range files {
						rep := importFile(t, dst, to, c.region, f, false)
						if rep.HasErrors() || rep.Written || rep.Changes() != 0 || rep.Unchanged != len(f.names) {
							t.Fatalf("%s %s again: written %v, %d changes, %d unchanged of %d rows",
								c.region, f.name, rep.Written, rep.Changes(), rep.Unchanged, len(f.names))
						}
					}
					sameRegistry(t, src, from, dst, to, c.region, withCode)
					again := exportForms(t, dst, to, c.region, c.sector, withCode)
					var counts []string
					for i, f := range files {
						sameCells(t, c.region+" "+f.name, f.data, again[i].data)
						counts = append(counts, fmt.Sprintf("%s %d行", f.name, len(f.names)))
					}
					t.Logf("%s %s: %s", c.region, c.sector, strings.Join(counts, "，"))
				}
			})
		}
	})
}

// roundTripFile is one exported form of a city's channel.
type roundTripFile struct {
	name   string
	form   int
	period string // 附件2/3's period key
	data   []byte
	names  []string // the enterprises of its rows
}

// exportForms writes a channel's 附件1 (the 2020 key list), 附件2 (the
// year, the first report, June and July) and 附件3 (the year) as the city
// would send them, in the order they are imported: month after month, so
// that a row of documents issued for an earlier month's inspection (they
// are counted by their issue date) finds that inspection reported. A form
// without rows fails the test: the round trip would prove nothing.
func exportForms(t *testing.T, db *store.DB, ctx context.Context, region, sector string, withCode bool) []roundTripFile {
	t.Helper()
	h := forms.Header{Unit: "市应急管理局", Person: "张三", Phone: "0412-5550000", Date: "2020年11月20日"}
	var out []roundTripFile
	add := func(name string, form int, period string, names []string, write func(*bytes.Buffer) error) {
		t.Helper()
		if len(names) == 0 {
			t.Fatalf("%s of %s %s has no rows", name, region, sector)
		}
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, roundTripFile{name, form, period, b.Bytes(), names})
	}
	f1, err := db.Form1Rows(ctx, 2020, region, sector)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range f1 {
		names = append(names, r.Name)
	}
	add("附件1", forms.Form1, "", names, func(b *bytes.Buffer) error { return forms.Write1(b, h, f1, withCode) })
	for _, key := range []string{"2020", "2020-05", "2020-06", "2020-07"} {
		p, err := db.ParsePeriod(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		f2, err := db.Form2Rows(ctx, p, region, sector)
		if err != nil {
			t.Fatal(err)
		}
		names = nil
		for _, r := range f2 {
			names = append(names, r.Name)
		}
		h2 := h
		h2.Period = p.Label
		add("附件2（"+p.Label+"）", forms.Form2, key, names, func(b *bytes.Buffer) error { return forms.Write2(b, h2, f2) })
	}
	year, err := db.ParsePeriod(ctx, "2020")
	if err != nil {
		t.Fatal(err)
	}
	f3, err := db.Form3Rows(ctx, year, region, sector)
	if err != nil {
		t.Fatal(err)
	}
	names = nil
	for _, r := range f3 {
		names = append(names, r.Name)
	}
	add("附件3", forms.Form3, "2020", names, func(b *bytes.Buffer) error { return forms.Write3(b, h, f3) })
	return out
}

// importFile imports one exported form as the region's clerk; a problem
// of the file, or of a row unless expected, fails the test.
func importFile(t *testing.T, db *store.DB, ctx context.Context, region string, f roundTripFile, dryRun bool) *store.ImportReport {
	t.Helper()
	rep, err := db.ImportForm(ctx, store.ImportOptions{Form: f.form, RegionCode: region, Year: 2020, Period: f.period,
		FileName: f.name + ".xlsx", DryRun: dryRun}, f.data)
	if err != nil {
		t.Fatalf("%s %s: %v", region, f.name, err)
	}
	if !dryRun {
		for i, e := range rep.Errors {
			if i == 10 {
				t.Errorf("%s %s: … %d errors in all", region, f.name, len(rep.Errors))
				break
			}
			t.Errorf("%s %s: %s", region, f.name, e)
		}
	}
	return rep
}

// listReported makes the demo's channel what a city that works offline
// sends: every enterprise its 附件2 and 附件3 report is on its 附件1. The
// demo also inspects (and cards) enterprises registered but not on the
// 2020 key list; no form carries their registration (附件2 has no 所属行业),
// so an empty database cannot take their rows, and the importer refuses
// them, naming each. That is checked first, in a scratch database; then
// they are put on the source's key list, where they keep their place in
// the registry's order, which the forms follow.
func listReported(t *testing.T, src *store.DB, now time.Time, region, sector string) {
	t.Helper()
	ctx := storetest.ActorContext(src, taotai.RoleCityClerk, region, sector)
	files := exportForms(t, src, ctx, region, sector, false)
	listed := map[string]bool{}
	for _, name := range files[0].names {
		listed[name] = true
	}
	var unlisted []string
	for _, f := range files[1:] {
		for _, name := range f.names {
			if !listed[name] && !slices.Contains(unlisted, name) {
				unlisted = append(unlisted, name)
			}
		}
	}
	if len(unlisted) == 0 {
		return
	}

	scratch := storetest.Open(t, src.Dialect())
	scratch.Clock().(*taotai.FixedClock).T = now
	sctx := storetest.ActorContext(scratch, taotai.RoleCityClerk, region, sector)
	if rep := importFile(t, scratch, sctx, region, files[0], false); !rep.Written {
		t.Fatalf("%s 附件1 into the scratch database: %+v", region, rep)
	}
	refused := map[string]bool{}
	for _, f := range files[1:] {
		rep := importFile(t, scratch, sctx, region, f, true)
		for _, e := range rep.Errors {
			if strings.Contains(e.Message, "此前导入的附件2中也没有检查") {
				continue // documents for an earlier month's inspection: that month is not imported in a dry run
			}
			name, ok := "", false
			for _, n := range unlisted {
				if strings.Contains(e.Message, "“"+n+"”") {
					name, ok = n, true
				}
			}
			if !ok || !strings.Contains(e.Message, "请先导入附件1或登记该企业") {
				t.Fatalf("%s %s: unexpected error %s", region, f.name, e)
			}
			refused[name] = true
		}
	}
	if len(refused) != len(unlisted) {
		t.Fatalf("%s: the importer refused %v of the enterprises not on 附件1 %v", region, refused, unlisted)
	}

	for _, name := range unlisted {
		list, _, err := src.FindEnterprises(ctx, taotai.EnterpriseFilter{Q: name, RegionCode: region, Limit: 2})
		if err != nil || len(list) != 1 {
			t.Fatalf("%s: %v %v", name, list, err)
		}
		if err := src.SetKeyListed(ctx, 2020, list[0].ID, true, ""); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%s %s: put on the key list %d enterprises that 附件2/3 report: %s", region, sector, len(unlisted), strings.Join(unlisted, "、"))
}

// sameRegistry checks that the imported 附件1 registered each enterprise
// of the source's key list as the source holds it: in the same county
// (read from its address), with its address, industry, production state
// and, when the file had the column, its credit code.
func sameRegistry(t *testing.T, src *store.DB, from context.Context, dst *store.DB, to context.Context, region string, withCode bool) {
	t.Helper()
	type entry struct{ code, region, address, industry, state string }
	read := func(db *store.DB, ctx context.Context) map[string]entry {
		t.Helper()
		list, n, err := db.FindEnterprises(ctx, taotai.EnterpriseFilter{RegionCode: region, KeyYear: 2020, Limit: 500})
		if err != nil || n != len(list) {
			t.Fatalf("%s: %d of %d enterprises: %v", region, len(list), n, err)
		}
		m := map[string]entry{}
		for _, e := range list {
			m[e.Name] = entry{e.CreditCode, e.RegionCode, e.Address, e.IndustryName, e.ProductionState}
		}
		return m
	}
	want, got := read(src, from), read(dst, to)
	if len(want) != len(got) {
		t.Errorf("%s: %d enterprises on the key list, after the import %d", region, len(want), len(got))
	}
	for name, w := range want {
		if !withCode {
			w.code = ""
		}
		if g, ok := got[name]; !ok || g != w {
			t.Errorf("%s: %+v, after the import %+v", name, w, g)
		}
	}
}

// sameCells compares every cell of every sheet of two workbooks and
// reports the first difference of each sheet.
func sameCells(t *testing.T, name string, want, got []byte) {
	t.Helper()
	a, b := sheetCells(t, want), sheetCells(t, got)
	if len(a) != len(b) {
		t.Errorf("%s: %d sheets, after the round trip %d", name, len(a), len(b))
	}
	cell := func(rows [][]string, i, j int) string {
		if i < len(rows) && j < len(rows[i]) {
			return rows[i][j]
		}
		return ""
	}
	for sheet, rows := range a {
		other, ok := b[sheet]
		if !ok {
			t.Errorf("%s: sheet %q is missing after the round trip", name, sheet)
			continue
		}
		if len(rows) != len(other) {
			t.Errorf("%s: %s has %d rows, after the round trip %d", name, sheet, len(rows), len(other))
		}
	diff:
		for i := range max(len(rows), len(other)) {
			width := 0
			if i < len(rows) {
				width = len(rows[i])
			}
			if i < len(other) {
				width = max(width, len(other[i]))
			}
			for j := range width {
				if x, y := cell(rows, i, j), cell(other, i, j); x != y {
					ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
					t.Errorf("%s: %s!%s is %q, after the round trip %q", name, sheet, ref, x, y)
					break diff
				}
			}
		}
	}
}

// sheetCells reads every sheet of an .xlsx as excelize's GetRows gives it.
func sheetCells(t *testing.T, data []byte) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		out[sheet] = rows
	}
	return out
}

// TestOwnExportsOfEveryPeriod: per channel, the system's own 附件1 and its
// 附件2 and 附件3 of every period of 2020 — with their titles and the line
// naming the period's days, the period read from the title — import into
// the database that wrote them as no-ops: no error, nothing written.
func TestOwnExportsOfEveryPeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		after := time.Date(2021, 1, 15, 10, 0, 0, 0, taotai.Shanghai)
		db.Clock().(*taotai.FixedClock).T = after
		if _, err := demo.Load(context.Background(), db, demo.Options{Scale: 1, Seed: 2020}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ region, sector string }{{"210300", taotai.SectorNonCoal}, {"210900", taotai.SectorCoal}} {
			listReported(t, db, after, c.region, c.sector)
			ctx := storetest.ActorContext(db, taotai.RoleCityClerk, c.region, c.sector)
			ps, err := db.Periods(ctx, 2020)
			if err != nil {
				t.Fatal(err)
			}
			before := auditCount(t, db)
			rows := 0
			for _, p := range ps {
				for _, form := range []int{forms.Form1, forms.Form2, forms.Form3} {
					if form == forms.Form1 && !p.Annual() {
						continue
					}
					got, n, err := db.FormRows(ctx, form, p, c.region, c.sector)
					if err != nil {
						t.Fatal(err)
					}
					h := forms.Header{Unit: "市应急管理局", Date: "2021年1月15日", Period: p.Label, Span: p.Span()}
					var b bytes.Buffer
					if err := forms.Write(&b, form, h, got, false); err != nil {
						t.Fatal(err)
					}
					rep, err := db.ImportForm(ctx, store.ImportOptions{Form: form, RegionCode: c.region, Sector: c.sector, Year: 2020,
						FileName: fmt.Sprintf("附件%d-%s.xlsx", form, p.Key)}, b.Bytes())
					if err != nil {
						t.Fatalf("附件%d of %s: %v", form, p.Key, err)
					}
					for _, e := range rep.Errors {
						t.Errorf("%s 附件%d of %s: %s", c.region, form, p.Key, e)
					}
					if rep.Written || rep.Changes() != 0 {
						t.Errorf("%s 附件%d of %s changed %d rows", c.region, form, p.Key, rep.Changes())
					}
					rows += n
				}
			}
			if after := auditCount(t, db); after != before || rows == 0 {
				t.Errorf("%s: the audit trail grew from %d to %d entries over %d rows", c.region, before, after, rows)
			}
			t.Logf("%s %s: %d rows over %d periods", c.region, c.sector, rows, len(ps))
		}
	})
}
