package store_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// BenchmarkWritesAudit measures the audit trail's cost on a write-heavy
// load: each round registers an enterprise, puts it on the key list and
// edits it (three audited writes), once with the trail on and once off,
// interleaved on the same database so that a noisy machine weighs on both
// alike. It reports ms per round each way and the overhead in percent.
//
//	go test -run '^$' -bench WritesAudit -benchtime 1000x ./internal/store/
func BenchmarkWritesAudit(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			ctx := taotai.WithClientAddr(storetest.ActorContext(db, taotai.RoleCityClerk, "210300", taotai.SectorNonCoal), "127.0.0.1")
			inds, _ := db.Industries(ctx)
			i := 0
			round := func() time.Duration {
				start := time.Now()
				i++
				first := fmt.Sprintf("91210300MA%07d", i)
				e := &taotai.Enterprise{Name: "基准测试企业" + strconv.Itoa(i), CreditCode: first + string(taotai.USCCCheckDigit(first)),
					Address: "某路1号", RegionCode: "210302", IndustryID: inds[0].ID, ProductionState: taotai.StateNormal}
				if err := db.CreateEnterprise(ctx, e, false); err != nil {
					b.Fatal(err)
				}
				if err := db.SetKeyListed(ctx, 2020, e.ID, true, "正常生产"); err != nil {
					b.Fatal(err)
				}
				e.Address = "某路2号"
				if _, err := db.UpdateEnterprise(ctx, e, false); err != nil {
					b.Fatal(err)
				}
				return time.Since(start)
			}
			var on, off time.Duration
			for b.Loop() {
				db.SetAudit(false)
				off += round()
				db.SetAudit(true)
				on += round()
			}
			n := float64(b.N)
			b.ReportMetric(float64(off.Microseconds())/1000/n, "ms-off")
			b.ReportMetric(float64(on.Microseconds())/1000/n, "ms-on")
			b.ReportMetric(100*(float64(on)/float64(off)-1), "%overhead")
		})
	}
}

// BenchmarkAuditVerify measures `audit verify` over a long chain
// (TAOTAI_BENCH_AUDIT entries, default 1,000,000); one op is one whole
// verification.
//
//	go test -run '^$' -bench AuditVerify -benchtime 1x ./internal/store/
func BenchmarkAuditVerify(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("TAOTAI_BENCH_AUDIT")); err == nil {
		n = v
	}
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			ctx := context.Background()
			start := time.Now()
			if err := db.AppendAudit(ctx, n); err != nil {
				b.Fatal(err)
			}
			b.Logf("appended %d entries in %s", n, time.Since(start).Round(time.Millisecond))
			for b.Loop() {
				got, br, err := db.VerifyAudit(ctx)
				if err != nil || br != nil || got != int64(n) {
					b.Fatalf("verify: %d %v %v", got, br, err)
				}
			}
			b.ReportMetric(float64(n), "entries")
		})
	}
}

var _ = store.SQLite

// BenchmarkInspectionsAudit is the issue's own load: recording inspections
// with hazards (three per inspection, one of them major, which also gives
// the enterprise its yellow card), trail on and off interleaved.
//
//	go test -run '^$' -bench InspectionsAudit -benchtime 1000x ./internal/store/
func BenchmarkInspectionsAudit(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			bg := context.Background()
			u := &taotai.User{Username: "bench_insp", Role: taotai.RoleInspector, RegionCode: "210300", Sector: taotai.SectorNonCoal}
			if err := db.CreateUser(bg, u, "correct horse battery"); err != nil {
				b.Fatal(err)
			}
			got, _ := db.FindUser(bg, u.ID)
			a, _ := db.ActorFor(bg, got)
			ctx := taotai.WithClientAddr(taotai.NewContextWithActor(bg, a), "127.0.0.1")
			admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
			inds, _ := db.Industries(bg)
			crits, _ := db.Criteria(bg, inds[0].ID)
			var ents []*taotai.Enterprise
			for i := 0; i < 200; i++ {
				first := fmt.Sprintf("91210300MA%07d", i+1)
				e := &taotai.Enterprise{Name: "基准企业" + strconv.Itoa(i), CreditCode: first + string(taotai.USCCCheckDigit(first)),
					Address: "某路", RegionCode: "210302", IndustryID: inds[0].ID, ProductionState: taotai.StateNormal}
				if err := db.CreateEnterprise(admin, e, false); err != nil {
					b.Fatal(err)
				}
				ents = append(ents, e)
			}
			day := time.Date(2020, 5, 9, 0, 0, 0, 0, taotai.Shanghai)
			i := 0
			round := func() time.Duration {
				i++
				in := &taotai.Inspection{EnterpriseID: ents[i%len(ents)].ID, Date: day, Kind: taotai.InspectionRoutine, Inspectors: "张明、李强",
					InspectorCount: 2, ExpertCount: 1, Findings: "检查"}
				hs := []*taotai.Hazard{
					{Description: "隐患一", Level: taotai.HazardGeneral, Deadline: day.AddDate(0, 0, 20)},
					{Description: "隐患二", Level: taotai.HazardGeneral, Deadline: day.AddDate(0, 0, 20)},
					{Description: "重大隐患", Level: taotai.HazardMajor, CriterionID: crits[len(crits)-1].ID, Deadline: day.AddDate(0, 0, 30)},
				}
				start := time.Now()
				if err := db.RecordInspection(ctx, in, hs); err != nil {
					b.Fatal(err)
				}
				return time.Since(start)
			}
			var on, off time.Duration
			for b.Loop() {
				db.SetAudit(false)
				off += round()
				db.SetAudit(true)
				on += round()
			}
			n := float64(b.N)
			b.ReportMetric(float64(off.Microseconds())/1000/n, "ms-off")
			b.ReportMetric(float64(on.Microseconds())/1000/n, "ms-on")
			b.ReportMetric(100*(float64(on)/float64(off)-1), "%overhead")
		})
	}
}
