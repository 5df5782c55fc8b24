package web_test

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

// BenchmarkReportsPages measures the reporting year's pages through HTTP
// on demo data at TAOTAI_BENCH_SCALE (default 100 ≈ 50,000 enterprises)
// with the whole 2020 reporting history (the clock on 10 December 2020),
// on SQLite and PostgreSQL: the grid /reports as the province's non-coal
// reviewer and as 鞍山's clerk, and one unit's report page. Beside each,
// in the same run, the bare SQL the page needs: the SELECT of the year's
// submissions of the channel (sql-ms), so that the page's cost is stated
// as a ratio to it (x-sql). The line: a median under 200 ms.
//
//	TAOTAI_TEST_POSTGRES=postgres://… go test -run '^$' -bench ReportsPages -benchtime 100x -timeout 60m ./internal/web/
func BenchmarkReportsPages(b *testing.B) {
	scale := 100
	if v, err := strconv.Atoi(os.Getenv("TAOTAI_BENCH_SCALE")); err == nil {
		scale = v
	}
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			db.Clock().(*taotai.FixedClock).T = time.Date(2020, 12, 10, 10, 0, 0, 0, taotai.Shanghai)
			start := time.Now()
			if _, err := demo.Load(context.Background(), db, demo.Options{Scale: scale, Seed: 2020, Reporting: true}); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: demo at scale %d with the reporting history loaded in %v", dialect, scale, time.Since(start).Round(time.Second))
			ts := newBenchServer(b, db)
			bare := func(sector string) func() error {
				return func() error {
					rows, err := db.SQL().QueryContext(context.Background(), `SELECT s.period_key, s.region_code, s.version, s.state, s.submitted_at
						FROM report_submissions s WHERE s.year = 2020 AND s.sector = '`+sector+`' AND s.state <> 'prepared'`)
					if err != nil {
						return err
					}
					defer rows.Close()
					n := 0
					for rows.Next() {
						var p, r, st, at string
						var v int
						if err := rows.Scan(&p, &r, &v, &st, &at); err != nil {
							return err
						}
						n++
					}
					if n == 0 {
						b.Fatal("no submissions")
					}
					return rows.Err()
				}
			}
			cases := []struct {
				name, user, path string
				sql              func() error
			}{
				{"province/grid", "prov_reviewer", "/reports", bare(taotai.SectorNonCoal)},
				{"city/grid", "ansh_clerk", "/reports", bare(taotai.SectorNonCoal)},
				{"city/report-june", "ansh_clerk", "/reports/2020-06/210300/noncoal", bare(taotai.SectorNonCoal)},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					cl := benchLogin(b, ts, c.user)
					var lat []time.Duration
					var sql time.Duration
					for b.Loop() {
						t := time.Now()
						if err := c.sql(); err != nil {
							b.Fatal(err)
						}
						sql += time.Since(t)
						t = time.Now()
						res, err := cl.Get(ts + c.path)
						if err != nil {
							b.Fatal(err)
						}
						res.Body.Close()
						if res.StatusCode != 200 {
							b.Fatalf("%s: %d", c.path, res.StatusCode)
						}
						lat = append(lat, time.Since(t))
					}
					benchtest.ReportPercentiles(b, lat)
					var page time.Duration
					for _, d := range lat {
						page += d
					}
					b.ReportMetric(float64(sql.Microseconds())/1000/float64(len(lat)), "sql-ms")
					b.ReportMetric(float64(page)/float64(sql), "x-sql")
				})
			}
		})
	}
}
