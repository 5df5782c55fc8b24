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
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// BenchmarkEnforcementQueries measures the enforcement loop's heavy reads
// in the store — the worklist, the coverage table and an enterprise's
// timeline — on demo data at TAOTAI_BENCH_SCALE (default 100 ≈ 50,000
// enterprises and 160,000 inspections; 600 for about a million), loaded once per database with
// the clock after the campaign year, so the whole of 2020 is there. It
// reports the median and 95th percentile of each call as p50-ms and
// p95-ms, and the load's duration as load-s.
//
//	TAOTAI_TEST_POSTGRES=postgres://… go test -run '^$' -bench EnforcementQueries -benchtime 50x -timeout 60m ./internal/store/
func BenchmarkEnforcementQueries(b *testing.B) {
	scale := 100
	if v, err := strconv.Atoi(os.Getenv("TAOTAI_BENCH_SCALE")); err == nil {
		scale = v
	}
	// During the campaign (the hazards due soon, the year's uninspected
	// enterprises) and as a user sees it today (2026: everything not
	// passed is overdue, and the year's key list is empty).
	during := time.Date(2020, 9, 15, 10, 0, 0, 0, taotai.Shanghai)
	today := time.Now()
	coverageDeadline := time.Date(2020, 9, 30, 0, 0, 0, 0, taotai.Shanghai)
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			db.Clock().(*taotai.FixedClock).T = today
			start := time.Now()
			if _, err := demo.Load(context.Background(), db, demo.Options{Scale: scale, Seed: 2020}); err != nil {
				b.Fatal(err)
			}
			loaded := time.Since(start)
			b.Logf("%s: demo at scale %d loaded in %v", dialect, scale, loaded.Round(time.Second))
			busy, sector := busiestEnterprise(b, db)
			city := storetest.ActorContext(db, taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
			province := storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
			reviewer := storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, sector)
			cases := []struct {
				name string
				call func() error
			}{
				{"worklist/city-2020-09-15", func() error { _, err := db.Worklist(city, during); return err }},
				{"worklist/province-2020-09-15", func() error { _, err := db.Worklist(province, during); return err }},
				{"worklist/city-today", func() error { _, err := db.Worklist(city, today); return err }},
				{"worklist/province-today", func() error { _, err := db.Worklist(province, today); return err }},
				{"coverage/province", func() error {
					_, err := db.Coverage(province, demo.KeyYear, taotai.ProvinceCode, coverageDeadline)
					return err
				}},
				{"coverage/city", func() error { _, err := db.Coverage(city, demo.KeyYear, "210300", coverageDeadline); return err }},
				{"timeline/busiest-enterprise", func() error { _, err := db.Timeline(reviewer, busy); return err }},
			}
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
					b.ReportMetric(loaded.Seconds(), "load-s")
				})
			}
		})
	}
}

// busiestEnterprise returns the enterprise with the most inspections, and
// its sector.
func busiestEnterprise(b *testing.B, db *store.DB) (int64, string) {
	b.Helper()
	var id int64
	var n int
	var sector string
	err := db.SQL().QueryRow(`SELECT n.enterprise_id, COUNT(*), MIN(n.sector) FROM inspections n
		GROUP BY n.enterprise_id ORDER BY COUNT(*) DESC, n.enterprise_id LIMIT 1`).Scan(&id, &n, &sector)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("busiest enterprise %d: %d inspections", id, n)
	return id, sector
}
