package web_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
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

// BenchmarkRegistry measures the registry's search and filtered list
// through HTTP, on demo data at TAOTAI_BENCH_SCALE (default 100 ≈ 50,000
// enterprises), on SQLite and PostgreSQL. It reports the median and 95th
// percentile per page as p50-ms and p95-ms.
//
//	go test -run '^$' -bench Registry -benchtime 200x ./internal/web/
func BenchmarkRegistry(b *testing.B) {
	scale := 100
	if v, err := strconv.Atoi(os.Getenv("TAOTAI_BENCH_SCALE")); err == nil {
		scale = v
	}
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			if _, err := demo.Load(context.Background(), db, demo.Options{Scale: scale, Seed: 2020}); err != nil {
				b.Fatal(err)
			}
			ts := newBenchServer(b, db)
			sys := taotai.NewContextWithActor(context.Background(), taotai.System)
			sample, _, _ := db.FindEnterprises(sys, taotai.EnterpriseFilter{Offset: 777, Limit: 1})
			name := []rune(sample[0].Name)
			steel := "1"
			// The pages of one record: an enterprise and an inspection of
			// 鞍山 (whose inspections, hazards and documents carry the lane
			// of their enterprise).
			ansh := storetest.ActorContext(db, taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
			ins, _, err := db.FindInspections(ansh, store.InspectionFilter{Offset: 100, Limit: 1})
			if err != nil || len(ins) == 0 {
				b.Fatalf("an inspection of 鞍山: %v", err)
			}
			cases := []struct{ name, user, path string }{
				{"province/first-page", "prov_reviewer", "/enterprises?"},
				{"province/name-common", "prov_reviewer", "/enterprises?q=" + url.QueryEscape("钢铁")},
				{"province/name-rare", "prov_reviewer", "/enterprises?q=" + url.QueryEscape(string(name[2:6]))},
				{"province/credit-code", "prov_reviewer", "/enterprises?q=" + sample[0].CreditCode[8:16]},
				{"province/no-match", "prov_reviewer", "/enterprises?q=" + url.QueryEscape("不存在的企业名称")},
				{"province/region+industry+state", "prov_reviewer", "/enterprises?region=210300&industry=" + steel + "&state=normal"},
				{"province/keylist-page-50", "prov_reviewer", "/enterprises?year=2020&page=50"},
				{"city/first-page", "ansh_clerk", "/enterprises?"},
				{"city/name-search", "ansh_clerk", "/enterprises?q=" + url.QueryEscape("水泥")},
				{"city/enterprise-page", "ansh_clerk", "/enterprises/" + strconv.FormatInt(ins[0].EnterpriseID, 10)},
				{"city/inspection-page", "ansh_clerk", "/inspections/" + strconv.FormatInt(ins[0].ID, 10)},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					cl := benchLogin(b, ts, c.user)
					path := c.path
					var lat []time.Duration
					b.ResetTimer()
					for b.Loop() {
						start := time.Now()
						res, err := cl.Get(ts + path)
						if err != nil {
							b.Fatal(err)
						}
						res.Body.Close()
						if res.StatusCode != 200 {
							b.Fatalf("%s: %d", path, res.StatusCode)
						}
						lat = append(lat, time.Since(start))
					}
					benchtest.ReportPercentiles(b, lat)
				})
			}
		})
	}
}

// BenchmarkLists measures the lists of records (/inspections, /hazards,
// /documents, /cards) through HTTP, as the dashboard's and the forms'
// figures open them, on demo data at TAOTAI_BENCH_SCALE (default 100 ≈
// 50,000 enterprises, 160,000 inspections; 600 for about a million) loaded with the clock on
// today (the whole 2020 campaign there; every hazard not passed overdue),
// on SQLite and PostgreSQL. It reports the median and 95th percentile per
// page as p50-ms and p95-ms.
//
//	go test -run '^$' -bench Lists -benchtime 50x -timeout 60m ./internal/web/
func BenchmarkLists(b *testing.B) {
	scale := 100
	if v, err := strconv.Atoi(os.Getenv("TAOTAI_BENCH_SCALE")); err == nil {
		scale = v
	}
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			db.Clock().(*taotai.FixedClock).T = time.Now()
			if _, err := demo.Load(context.Background(), db, demo.Options{Scale: scale, Seed: 2020}); err != nil {
				b.Fatal(err)
			}
			ts := newBenchServer(b, db)
			ansh := storetest.ActorContext(db, taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
			ins, _, err := db.FindInspections(ansh, store.InspectionFilter{Offset: 100, Limit: 1})
			if err != nil || len(ins) == 0 {
				b.Fatalf("an inspection of 鞍山: %v", err)
			}
			one := "enterprise=" + strconv.FormatInt(ins[0].EnterpriseID, 10)
			const year, june = "from=2020-03-25&to=2020-12-31", "from=2020-05-12&to=2020-06-25"
			cases := []struct{ name, user, path string }{
				{"province/inspections", "prov_reviewer", "/inspections?"},
				{"province/inspections-june", "prov_reviewer", "/inspections?" + june},
				{"province/inspections-year", "prov_reviewer", "/inspections?region=210000&sector=noncoal&" + year},
				{"province/inspections-steel", "prov_reviewer", "/inspections?industry=1&" + year},
				{"province/inspections-steel-page-50", "prov_reviewer", "/inspections?industry=1&page=50"},
				{"province/hazards", "prov_reviewer", "/hazards?"},
				{"province/hazards-year", "prov_reviewer", "/hazards?" + year},
				{"province/hazards-major-june", "prov_reviewer", "/hazards?level=major&" + june},
				{"province/hazards-overdue", "prov_reviewer", "/hazards?overdue=1"},
				{"province/documents-fined-year", "prov_reviewer", "/documents?kind=penalty&fined=1&" + year},
				{"province/documents-orders-june", "prov_reviewer", "/documents?kind=rect_order&" + june},
				{"province/cards-red", "prov_reviewer", "/cards?year=2020&state=red"},
				{"city/inspections-june", "ansh_clerk", "/inspections?" + june},
				{"city/hazards-unresolved", "ansh_clerk", "/hazards?status=unresolved"},
				{"city/hazards-year", "ansh_clerk", "/hazards?region=210300&" + year},
				{"city/documents", "ansh_clerk", "/documents?"},
				{"city/cards", "ansh_clerk", "/cards?year=2020"},
				{"enterprise/inspections-june", "ansh_clerk", "/inspections?" + one + "&" + june},
				{"enterprise/hazards-year", "ansh_clerk", "/hazards?" + one + "&" + year},
				{"enterprise/documents-fined-year", "ansh_clerk", "/documents?fined=1&" + one + "&" + year},
			}
			runPages(b, ts, cases)
		})
	}
}

// runPages times each page for its user.
func runPages(b *testing.B, ts string, cases []struct{ name, user, path string }) {
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			cl := benchLogin(b, ts, c.user)
			var lat []time.Duration
			b.ResetTimer()
			for b.Loop() {
				start := time.Now()
				res, err := cl.Get(ts + c.path)
				if err != nil {
					b.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != 200 {
					b.Fatalf("%s: %d", c.path, res.StatusCode)
				}
				lat = append(lat, time.Since(start))
			}
			benchtest.ReportPercentiles(b, lat)
		})
	}
}

func newBenchServer(b *testing.B, db *store.DB) string { return newServer(b, db).URL }

// benchLogin returns an HTTP client signed in as the demo user.
func benchLogin(b *testing.B, base, user string) *http.Client {
	b.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: b, base: base, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	c.loginAs(user, demo.Password)
	return c.hc
}
