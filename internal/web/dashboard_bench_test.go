package web_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"taotai"
	"taotai/internal/demo"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// BenchmarkDashboard measures /dashboard through HTTP (session, lane,
// aggregates, page) against its bare SQL aggregates (store.Dashboard: the
// queries the page runs, as it runs them, without HTTP or template), in
// the same run: each round calls one and then the other, so a machine
// busy with other work weighs on both alike. Demo data at
// TAOTAI_BENCH_SCALE (default 100 ≈ 50,000 enterprises and 160,000
// inspections; 600 for about a million), loaded once per database with the clock after the
// campaign year, so the whole of 2020 is there; on PostgreSQL the tables
// are vacuumed after the load, as autovacuum would do, so that index-only
// scans need no heap. province is the province's non-coal reviewer, city
// 鞍山's non-coal clerk. It reports the median and 95th percentile of each
// (http-p50-ms, sql-p50-ms …) and their ratio (http/sql, of the medians).
//
//	TAOTAI_TEST_POSTGRES=postgres://… go test -run '^$' -bench Dashboard -benchtime 30x -timeout 60m ./internal/web/
func BenchmarkDashboard(b *testing.B) {
	scale := 100
	if v, err := strconv.Atoi(os.Getenv("TAOTAI_BENCH_SCALE")); err == nil {
		scale = v
	}
	deadline := time.Date(demo.KeyYear, 9, 30, 0, 0, 0, 0, taotai.Shanghai)
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			db.Clock().(*taotai.FixedClock).T = time.Now()
			start := time.Now()
			if _, err := demo.Load(context.Background(), db, demo.Options{Scale: scale, Seed: 2020}); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: demo at scale %d loaded in %v", dialect, scale, time.Since(start).Round(time.Second))
			if dialect == store.Postgres {
				for _, table := range []string{"inspections", "hazards", "documents", "key_list", "enterprises"} {
					if _, err := db.SQL().Exec(`VACUUM ANALYZE ` + table); err != nil {
						b.Fatal(err)
					}
				}
			}
			ts := newBenchServer(b, db)
			cases := []struct {
				name, user   string
				role, region string
			}{
				{"province", "prov_reviewer", taotai.RoleProvinceReviewer, taotai.ProvinceCode},
				{"city", "ansh_clerk", taotai.RoleCityClerk, "210300"},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					cl := benchLogin(b, ts, c.user)
					ctx := storetest.ActorContext(db, c.role, c.region, taotai.SectorNonCoal)
					q := store.DashboardQuery{Year: demo.KeyYear, Sector: taotai.SectorNonCoal, Deadline: deadline}
					var sqlLat, httpLat []time.Duration
					for b.Loop() {
						t := time.Now()
						if _, err := db.Dashboard(ctx, q); err != nil {
							b.Fatal(err)
						}
						sqlLat = append(sqlLat, time.Since(t))
						t = time.Now()
						res, err := cl.Get(ts + "/dashboard")
						if err != nil {
							b.Fatal(err)
						}
						res.Body.Close()
						if res.StatusCode != 200 {
							b.Fatalf("/dashboard: %d", res.StatusCode)
						}
						httpLat = append(httpLat, time.Since(t))
					}
					sqlP50, sqlP95 := percentiles(sqlLat)
					httpP50, httpP95 := percentiles(httpLat)
					b.ReportMetric(httpP50, "http-p50-ms")
					b.ReportMetric(httpP95, "http-p95-ms")
					b.ReportMetric(sqlP50, "sql-p50-ms")
					b.ReportMetric(sqlP95, "sql-p95-ms")
					b.ReportMetric(httpP50/sqlP50, "http/sql")
				})
			}
		})
	}
}

// percentiles returns the median and 95th percentile of lat, in ms.
func percentiles(lat []time.Duration) (p50, p95 float64) {
	if len(lat) == 0 {
		return 0, 0
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return ms(lat[len(lat)/2]), ms(lat[len(lat)*95/100])
}
