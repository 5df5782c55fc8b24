package store_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"taotai"
	"taotai/internal/benchtest"
	"taotai/internal/demo"
	"taotai/internal/store/storetest"
)

// BenchmarkReporting measures the reporting year's heavy acts in the store
// on demo data at TAOTAI_BENCH_SCALE (default 100 ≈ 50,000 enterprises and
// 160,000 inspections; 600 for about a million), loaded once per database: each non-coal unit
// prepares, and its approver submits, its annual report (prepare: the
// unit's three forms counted from the records and written as .xlsx), the
// province accepts them, then the province consolidates the annual 附件2
// from the 15 accepted submissions — the line is 2 s — and
// compares it with the live records (CompareLive2: every unit's 附件2
// counted again), beside the bare count of the province's live 附件2
// (Form2Rows) and the grid. Median and 95th
// percentile in ms.
//
//	TAOTAI_TEST_POSTGRES=postgres://… go test -run '^$' -bench Reporting -benchtime 10x -timeout 60m ./internal/store/
func BenchmarkReporting(b *testing.B) {
	scale := 100
	if v, err := strconv.Atoi(os.Getenv("TAOTAI_BENCH_SCALE")); err == nil {
		scale = v
	}
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			// The annual report opens ten days before 20 November.
			db.Clock().(*taotai.FixedClock).T = time.Date(2020, 11, 18, 10, 0, 0, 0, taotai.Shanghai)
			start := time.Now()
			if _, err := demo.Load(context.Background(), db, demo.Options{Scale: scale, Seed: 2020}); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: demo at scale %d loaded in %v", dialect, scale, time.Since(start).Round(time.Second))
			reviewer := storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
			cal, err := db.ReportCalendar(reviewer, 2020)
			if err != nil {
				b.Fatal(err)
			}
			var prepare []time.Duration
			for _, d := range cal {
				if d.Period.Key != "2020" || d.Sector != taotai.SectorNonCoal {
					continue
				}
				clerk := storetest.ActorContext(db, taotai.RoleCityClerk, d.Unit.Code, d.Sector)
				approver := storetest.ActorContext(db, taotai.RoleCityApprover, d.Unit.Code, d.Sector)
				t := time.Now()
				sub, err := db.PrepareReport(clerk, &taotai.ReportPreparation{PeriodKey: "2020", RegionCode: d.Unit.Code,
					Sector: d.Sector, Person: "王丽", Phone: "024-12345678", Summary: "年度工作总结。"})
				if err != nil {
					b.Fatal(err)
				}
				prepare = append(prepare, time.Since(t))
				if err := db.SubmitReport(approver, sub.ID); err != nil {
					b.Fatal(err)
				}
				if err := db.AcceptReport(reviewer, sub.ID, "同意。"); err != nil {
					b.Fatal(err)
				}
			}
			if len(prepare) != 15 {
				b.Fatalf("%d annual non-coal reports, want 15", len(prepare))
			}
			year, err := db.ParsePeriod(reviewer, "2020")
			if err != nil {
				b.Fatal(err)
			}
			cases := []struct {
				name string
				call func() error
			}{
				{"consolidate2/annual-15-units", func() error {
					c, err := db.Consolidate2(reviewer, year, taotai.SectorNonCoal)
					if err == nil && len(c.Units) != 15 {
						b.Fatalf("%d units consolidated", len(c.Units))
					}
					return err
				}},
				{"comparelive2/annual-15-units", func() error {
					c, err := db.Consolidate2(reviewer, year, taotai.SectorNonCoal)
					if err != nil {
						return err
					}
					return db.CompareLive2(reviewer, c)
				}},
				{"form2rows/province-annual-live", func() error {
					_, err := db.Form2Rows(reviewer, year, taotai.ProvinceCode, taotai.SectorNonCoal)
					return err
				}},
				{"grid/province", func() error { _, err := db.ReportGrid(reviewer, 2020, taotai.SectorNonCoal); return err }},
			}
			b.Run("prepare/annual-city", func(b *testing.B) {
				for b.Loop() {
				}
				benchtest.ReportPercentiles(b, prepare)
			})
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					var lat []time.Duration
					for b.Loop() {
						t := time.Now()
						if err := c.call(); err != nil {
							b.Fatal(err)
						}
						lat = append(lat, time.Since(t))
					}
					benchtest.ReportPercentiles(b, lat)
				})
			}
		})
	}
}
