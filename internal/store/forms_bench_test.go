package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/benchtest"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// The end-to-end figures of issue 5 (docs/benchmarks.md, "Official
// forms"): a province-wide annual 附件2 of 50,000 enterprises from the
// database to the .xlsx, and the import of a 10,000-row 附件1 into the
// registry, each beside excelize doing the same number of plain rows in
// the same iterations, so that the ratio (x-plain) survives a noisy
// machine.

// BenchmarkForm2Province exports the annual 附件2 of the whole province:
// TAOTAI_BENCH_ENTERPRISES (default 50,000) non-coal enterprises in every
// county, each inspected 1 to 2×TAOTAI_BENCH_INSPECTIONS−1 times in 2020
// (default mean 3: about 150,000 inspections), half of the inspections
// with hazards, rectification orders, re-checks, some penalties and major
// hazards (附件2's 备注). One iteration is Form2Rows as the province's
// reviewer and forms.Write2 to io.Discard, then excelize's stream writer
// writing the same 50,000 rows as 12 plain cells. It reports the export
// (ms-export, split into ms-query and ms-write), the plain write
// (ms-plain), their ratio (x-plain), and the peak heap above what was live
// before each (peak-MB, plain-peak-MB); ns/op is the two together.
//
// TAOTAI_BENCH_FORM2_DB=FILE also saves the SQLite fixture to FILE (for
// measuring a whole `taotai export` process).
//
//	TAOTAI_TEST_POSTGRES=postgres://… go test -run '^$' -bench Form2Province -benchtime 5x -count 3 -timeout 60m ./internal/store/
func BenchmarkForm2Province(b *testing.B) {
	n := fbEnv("TAOTAI_BENCH_ENTERPRISES", 50_000)
	per := fbEnv("TAOTAI_BENCH_INSPECTIONS", 3)
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			start := time.Now()
			st := fbForm2Fixture(b, db, n, per)
			loaded := fmt.Sprintf("%s: %d enterprises, %d inspections, %d hazards (%d major), %d documents loaded in %v", dialect, n,
				st.inspections, st.hazards, st.major, st.documents, time.Since(start).Round(time.Second))
			if path := os.Getenv("TAOTAI_BENCH_FORM2_DB"); path != "" && dialect == store.SQLite {
				os.Remove(path)
				if _, err := db.SQL().Exec(`VACUUM INTO ` + fbQuote(path)); err != nil {
					b.Fatal(err)
				}
				loaded += "; saved to " + path
			}
			ctx := storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
			p, err := db.ParsePeriod(ctx, "2020")
			if err != nil {
				b.Fatal(err)
			}
			h := forms.Header{Unit: "辽宁省应急管理厅", Person: "王晓东", Phone: "024-86893345", Date: "2020年11月20日", Period: p.Label}
			// A sub-benchmark, so that the fixture is loaded once however
			// many rounds the framework runs.
			b.Run("annual-2020", func(b *testing.B) {
				if loaded != "" {
					b.Log(loaded)
					loaded = ""
				}
				var rows []forms.Row2
				var query, write, plain time.Duration
				var peak, plainPeak uint64
				for i := 0; i < b.N; i++ {
					rows = nil
					pk, d := benchtest.PeakHeap(func() {
						t := time.Now()
						if rows, err = db.Form2Rows(ctx, p, taotai.ProvinceCode, taotai.SectorNonCoal); err != nil {
							b.Fatal(err)
						}
						query += time.Since(t)
						if err := forms.Write2(io.Discard, h, rows); err != nil {
							b.Fatal(err)
						}
					})
					peak = max(peak, pk)
					if len(rows) != n {
						b.Fatalf("附件2 has %d rows, want %d", len(rows), n)
					}
					write += d
					pk, d = benchtest.PeakHeap(func() {
						err := benchtest.PlainWrite(len(rows), func(i int, vals []any) []any {
							r := rows[i]
							return append(vals, i+1, r.Name, r.Address, r.Inspections, r.InspectorTimes, r.ExpertTimes,
								r.Hazards, r.MajorHazards, r.Orders, r.Penalties, float64(r.Fines)/10000, r.Note)
						})
						if err != nil {
							b.Fatal(err)
						}
					})
					plainPeak = max(plainPeak, pk)
					plain += d
				}
				write -= query
				ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
				b.ReportMetric(ms(query+write), "ms-export")
				b.ReportMetric(ms(query), "ms-query")
				b.ReportMetric(ms(write), "ms-write")
				b.ReportMetric(ms(plain), "ms-plain")
				b.ReportMetric(float64(query+write)/float64(plain), "x-plain")
				b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
				b.ReportMetric(float64(plainPeak)/(1<<20), "plain-peak-MB")
			})
		})
	}
}

// BenchmarkImportForm1 imports a 附件1 of 10,000 rows into 鞍山 (210300)
// as its non-coal city clerk: half the rows are enterprises the registry
// holds (6,000 in 鞍山, 40% already on the 2020 key list; of the matched
// rows a quarter change the production state and a tenth the address),
// half are new ones whose addresses name their county ("鞍山市铁东区…").
// Every iteration imports into a fresh copy of the database (made with
// the timer stopped: a file copy on SQLite, CREATE DATABASE … TEMPLATE on
// PostgreSQL), and then excelize reads the same file's rows, doing nothing
// with them. It reports the import (ms-import: reading, every check,
// matching and the one transaction), the plain read (ms-plain) and their
// ratio (x-plain); ns/op is the two together.
//
//	TAOTAI_TEST_POSTGRES=postgres://… go test -run '^$' -bench ImportForm1 -benchtime 5x -count 3 ./internal/store/
func BenchmarkImportForm1(b *testing.B) {
	const rows, existing = 10_000, 6_000
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			fresh, file := fbImportFixture(b, dialect, rows, existing)
			opt := store.ImportOptions{Form: forms.Form1, RegionCode: anshan, Year: 2020, FileName: "鞍山市附件1.xlsx"}
			logged := false
			b.Run("anshan-10000", func(b *testing.B) {
				var imp, plain time.Duration
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					db, done := fresh()
					clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
					runtime.GC()
					b.StartTimer()
					t := time.Now()
					rep, err := db.ImportForm(clerk, opt, file)
					imp += time.Since(t)
					b.StopTimer()
					if err != nil {
						b.Fatal(err)
					}
					if rep.HasErrors() || !rep.Written || rep.Created != rows-rows/2 || rep.Updated+rep.Unchanged != rows/2 {
						b.Fatalf("import: created %d, updated %d, unchanged %d, written %v, errors %v", rep.Created, rep.Updated,
							rep.Unchanged, rep.Written, rep.Errors[:min(len(rep.Errors), 5)])
					}
					if !logged {
						logged = true
						b.Logf("%s: created %d, updated %d, unchanged %d", dialect, rep.Created, rep.Updated, rep.Unchanged)
					}
					done()
					runtime.GC()
					b.StartTimer()
					t = time.Now()
					if err := benchtest.PlainRead(file, rows); err != nil {
						b.Fatal(err)
					}
					plain += time.Since(t)
				}
				ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
				b.ReportMetric(ms(imp), "ms-import")
				b.ReportMetric(ms(plain), "ms-plain")
				b.ReportMetric(float64(imp)/float64(plain), "x-plain")
			})
		})
	}
}

// fbEnv reads a positive number from the environment.
func fbEnv(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// fbQuote quotes a string for SQL.
func fbQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// fbNames makes realistic, distinct enterprise names and addresses:
// 鞍山宏达特钢有限公司, 鞍山市铁东区建设路123号.
type fbNames struct {
	rng  *rand.Rand
	used map[string]bool
	seq  int
}

var (
	fbTradeFirst = []rune("宏鑫华金盛永恒兴泰隆昌瑞丰源福通达新鼎德凯嘉联正东海远中天安广佳万宝")
	fbTradeLast  = []rune("达盛源泰昌丰祥利发隆顺鑫华通宇辉业成安峰晟信诚旺洋鸿茂润")
	fbWords      = map[string][]string{"steel": {"钢铁", "特钢", "钢材", "冶金"}, "cement": {"水泥", "建材", "水泥制品"},
		"aluminium": {"铝业", "电解铝", "有色金属"}, "glass": {"玻璃", "平板玻璃", "玻璃制品"}}
	fbForms   = []string{"有限公司", "有限公司", "有限责任公司", "股份有限公司", "集团有限公司"}
	fbRoads   = []string{"建设路", "解放路", "人民路", "胜利路", "和平路", "工业路", "钢都路", "环钢路", "新华路", "民主路", "中华路", "光明街", "站前街", "沿河路", "滨河大道"}
	fbParks   = []string{"经济开发区", "工业园区", "高新技术产业开发区"}
	fbPeople  = []string{"张伟", "王强", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄海", "周敏", "吴刚", "孙丽", "马超"}
	fbHazards = []struct{ desc, place string }{
		{"安全警示标志设置不全", "生产车间"}, {"消防器材过期未更换", "原料库"}, {"配电箱未上锁且无警示标识", "配电室"},
		{"员工安全培训记录不全", "安全管理部门"}, {"有限空间作业未执行审批制度", "除尘系统"}, {"起重机械未按期检验", "成品库"},
		{"煤气管道标识不清", "煤气柜区域"}, {"高处作业平台护栏缺失", "窑头"}, {"危险化学品储存不规范", "化学品库"},
		{"应急预案未按规定演练", "安全管理部门"},
	}
)

func newFBNames(seed uint64) *fbNames {
	return &fbNames{rng: rand.New(rand.NewPCG(seed, seed^0x2020)), used: map[string]bool{}}
}

func (g *fbNames) trade() string {
	for {
		a, c := fbTradeFirst[g.rng.IntN(len(fbTradeFirst))], fbTradeLast[g.rng.IntN(len(fbTradeLast))]
		if a != c {
			return string(a) + string(c)
		}
	}
}

func oneOfFB[T any](g *fbNames, list []T) T { return list[g.rng.IntN(len(list))] }

// name returns a name not yet used: the city (with or without 市) or the
// province, a trade name, the industry's word and a legal form.
func (g *fbNames) name(city *taotai.Region, industry string) string {
	short := strings.TrimSuffix(city.Name, "市")
	if city.Internal {
		short = "沈抚新区"
	}
	for try := 0; ; try++ {
		prefix := short
		switch r := g.rng.IntN(10); {
		case r == 0:
			prefix = "辽宁"
		case r < 4 && !city.Internal:
			prefix = city.Name
		}
		n := prefix + g.trade() + oneOfFB(g, fbWords[industry]) + oneOfFB(g, fbForms)
		if try > 50 {
			g.seq++
			n = prefix + g.trade() + oneOfFB(g, fbWords[industry]) + "第" + strconv.Itoa(g.seq) + "分公司"
		}
		if !g.used[n] {
			g.used[n] = true
			return n
		}
	}
}

// address: the city, the county (when not the city itself), now and then
// a park, a road and a number.
func (g *fbNames) address(city, leaf *taotai.Region) string {
	s := city.Name
	if leaf.Code != city.Code {
		s += leaf.Name
	}
	if g.rng.IntN(4) == 0 {
		s += oneOfFB(g, fbParks)
	}
	return s + oneOfFB(g, fbRoads) + strconv.Itoa(1+g.rng.IntN(400)) + "号"
}

// creditCode returns a fresh valid credit code registered in region.
func (g *fbNames) creditCode(region *taotai.Region) string {
	code := region.Code
	if region.Internal {
		code = "210100"
	}
	g.seq++
	first := fmt.Sprintf("91%sMA%07d", code, g.seq)
	return first + string(taotai.USCCCheckDigit(first))
}

// fbLeaves returns the regions in which enterprises are registered, each
// with its city, in tree order; cities limits them to these cities'
// ("" for the whole province).
func fbLeaves(b *testing.B, db *store.DB, city string) (leaves, cities []*taotai.Region) {
	regions, err := db.Regions(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	kids := map[string]bool{}
	byCode := map[string]*taotai.Region{}
	for _, r := range regions {
		kids[r.Parent] = true
		byCode[r.Code] = r
	}
	for _, r := range regions {
		if !r.IsLeaf(kids[r.Code]) {
			continue
		}
		parts := strings.Split(strings.Trim(r.Path, "/"), "/")
		if len(parts) < 2 || city != "" && parts[1] != city {
			continue
		}
		leaves, cities = append(leaves, r), append(cities, byCode[parts[1]])
	}
	return leaves, cities
}

// fbIndustries returns the non-coal industries.
func fbIndustries(b *testing.B, db *store.DB) []*taotai.Industry {
	all, err := db.Industries(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	var out []*taotai.Industry
	for _, ind := range all {
		if ind.Sector == taotai.SectorNonCoal {
			out = append(out, ind)
		}
	}
	return out
}

type fbStats struct{ inspections, hazards, major, documents int }

// fbForm2Fixture registers n non-coal enterprises spread over every county
// of the province, all on the 2020 key list, and loads their 2020
// inspections; the clock is set to January 2021.
func fbForm2Fixture(b *testing.B, db *store.DB, n, per int) fbStats {
	ctx := context.Background()
	db.Clock().(*taotai.FixedClock).T = time.Date(2021, 1, 15, 10, 0, 0, 0, taotai.Shanghai)
	admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
	leaves, cities := fbLeaves(b, db, "")
	inds := fbIndustries(b, db)
	majorCrit := map[int64]int64{} // industry → an active criterion of its own
	for _, ind := range inds {
		crit, err := db.Criteria(ctx, ind.ID)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range crit {
			if c.Active && (c.IndustryKey == ind.Key || majorCrit[ind.ID] == 0) {
				majorCrit[ind.ID] = c.ID
			}
		}
		if majorCrit[ind.ID] == 0 {
			b.Fatalf("no criterion for %s", ind.Name)
		}
	}
	g := newFBNames(2020)
	list := make([]*taotai.Enterprise, n)
	for i := range list {
		j := g.rng.IntN(len(leaves))
		ind := inds[g.rng.IntN(len(inds))]
		list[i] = &taotai.Enterprise{Name: g.name(cities[j], ind.Key), CreditCode: g.creditCode(leaves[j]),
			Address: g.address(cities[j], leaves[j]), RegionCode: leaves[j].Code, IndustryID: ind.ID,
			ProductionState: taotai.ProductionStates[g.rng.IntN(len(taotai.ProductionStates))], LegalRep: oneOfFB(g, fbPeople)}
	}
	if err := db.BulkCreateEnterprises(admin, list, 2020, nil); err != nil {
		b.Fatal(err)
	}
	var st fbStats
	day0 := time.Date(2020, 4, 1, 0, 0, 0, 0, taotai.Shanghai)
	const chunk = 5000
	for start := 0; start < n; start += chunk {
		batch := &store.EnforcementBatch{}
		for _, e := range list[start:min(start+chunk, n)] {
			k := 1 + g.rng.IntN(2*per-1)
			for x := range k {
				d := day0.AddDate(0, 0, g.rng.IntN(250)) // 1 April … 6 December
				batch.Inspections = append(batch.Inspections, fbInspection(g, e, d, x == 0 && g.rng.IntN(100) < 4, majorCrit[e.IndustryID]))
			}
		}
		for _, x := range batch.Inspections {
			st.inspections++
			st.hazards += len(x.Hazards)
			st.documents += len(x.Documents)
			for _, h := range x.Hazards {
				if h.Level == taotai.HazardMajor {
					st.major++
				}
			}
		}
		if err := db.BulkLoadEnforcement(admin, batch); err != nil {
			b.Fatal(err)
		}
	}
	if err := db.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	return st
}

// fbInspection makes one inspection of e on day d: half find 1–4 general
// hazards (a rectification order; mostly passed at a re-check with its
// opinion; now and then a penalty); major adds a major hazard under
// listed supervision with an on-the-spot stop order.
func fbInspection(g *fbNames, e *taotai.Enterprise, d time.Time, major bool, criterion int64) *store.InspectionLoad {
	names := []string{oneOfFB(g, fbPeople), oneOfFB(g, fbPeople)}
	in := &taotai.Inspection{EnterpriseID: e.ID, Date: d, Kind: taotai.InspectionRoutine, Inspectors: strings.Join(names, "、"),
		InspectorCount: 2, Findings: "检查安全生产管理制度、现场作业和设备设施，未发现明显问题和隐患。"}
	if g.rng.IntN(5) == 0 {
		in.Kind, in.ExpertCount = taotai.InspectionJoint, 1+g.rng.IntN(2)
	}
	x := &store.InspectionLoad{Inspection: in}
	if major {
		x.Hazards = append(x.Hazards, &taotai.Hazard{Description: "煤气柜区域未设置一氧化碳泄漏检测报警装置", Place: "煤气柜区域",
			Level: taotai.HazardMajor, CriterionID: criterion, Deadline: d.AddDate(0, 0, 60), Status: taotai.HazardRectifying,
			Supervised: true, Guarantees: taotai.FiveGuarantees{Responsible: e.LegalRep, Measures: "停产整改，逐项落实整改措施。",
				Funds: 500000, Deadline: d.AddDate(0, 0, 60)}})
		x.Documents = append(x.Documents, &store.DocumentLoad{Hazard: 1, Document: &taotai.Document{Kind: taotai.DocStopOrder,
			IssuedOn: d, Content: "责令该区域立即停止作业，撤出人员。"}})
	}
	if major || g.rng.IntN(2) == 0 {
		days := []int{10, 15, 30}[g.rng.IntN(3)]
		var general []*taotai.Hazard
		for range 1 + g.rng.IntN(4) {
			t := oneOfFB(g, fbHazards)
			general = append(general, &taotai.Hazard{Description: t.desc, Place: t.place, Level: taotai.HazardGeneral,
				Deadline: d.AddDate(0, 0, days), Status: taotai.HazardOpen})
		}
		x.Hazards = append(x.Hazards, general...)
		in.Findings = fmt.Sprintf("检查发现问题和隐患%d项，已当场下达执法文书，责令限期整改。", len(x.Hazards))
		x.Documents = append(x.Documents, &store.DocumentLoad{Document: &taotai.Document{Kind: taotai.DocRectOrder, IssuedOn: d,
			Content: "责令你单位对检查发现的问题和隐患限期整改。"}})
		if g.rng.IntN(10) < 7 {
			recheck := d.AddDate(0, 0, days)
			for _, h := range general {
				h.Status, h.RecheckDate = taotai.HazardPassed, recheck
			}
			x.Documents = append(x.Documents, &store.DocumentLoad{Document: &taotai.Document{Kind: taotai.DocRecheck, IssuedOn: recheck,
				Content: fmt.Sprintf("经复查，%d项问题和隐患已整改合格。", len(general))}})
		}
		if g.rng.IntN(100) < 8 {
			fine := taotai.Yuan(1000 * (1 + g.rng.IntN(50)))
			n := &taotai.PenaltyNotice{IssuedOn: d, Fine: fine}
			n.SetPeriods()
			on := d.AddDate(0, 0, 7+g.rng.IntN(20))
			if !n.DecidableOn(on) {
				on = n.WaitUntil().AddDate(0, 0, 1) // after the statement's days (a holiday between)
			}
			x.Documents = append(x.Documents, &store.DocumentLoad{Notice: n, Document: &taotai.Document{Kind: taotai.DocPenalty,
				IssuedOn: on, Fine: fine, Content: "依据《中华人民共和国安全生产法》第九十六条给予罚款的行政处罚。"}})
		}
	}
	return x
}

// fbImportFixture builds the registry an import of 附件1 meets — existing
// non-coal enterprises of 鞍山, 40% of them on the 2020 key list with
// their production state as 备注 — and the file: rows/2 of those
// enterprises (a quarter with another production state, a tenth with
// another address), rows/2 new ones, shuffled. fresh returns a new copy of
// that database, and done closes and drops it.
func fbImportFixture(b *testing.B, dialect string, rows, existing int) (fresh func() (*store.DB, func()), file []byte) {
	ctx := context.Background()
	dsn := storetest.DSN(b, dialect)
	clock := func() *taotai.FixedClock {
		return &taotai.FixedClock{T: time.Date(2020, 5, 10, 10, 0, 0, 0, taotai.Shanghai)}
	}
	db, err := store.Open(ctx, dsn, clock())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	leaves, cities := fbLeaves(b, db, anshan)
	inds := fbIndustries(b, db)
	g := newFBNames(210300)
	list := make([]*taotai.Enterprise, existing)
	listed := map[*taotai.Enterprise]bool{}
	for i := range list {
		j := g.rng.IntN(len(leaves))
		ind := inds[g.rng.IntN(len(inds))]
		list[i] = &taotai.Enterprise{Name: g.name(cities[j], ind.Key), CreditCode: g.creditCode(leaves[j]),
			Address: g.address(cities[j], leaves[j]), RegionCode: leaves[j].Code, IndustryID: ind.ID,
			ProductionState: taotai.ProductionStates[g.rng.IntN(len(taotai.ProductionStates))], LegalRep: oneOfFB(g, fbPeople)}
		listed[list[i]] = g.rng.IntN(10) < 4
	}
	note := func(e *taotai.Enterprise) (string, bool) {
		return taotai.ProductionStateName(e.ProductionState), listed[e]
	}
	if err := db.BulkCreateEnterprises(storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, ""), list, 2020, note); err != nil {
		b.Fatal(err)
	}
	if err := db.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	indName := map[int64]string{}
	for _, ind := range inds {
		indName[ind.ID] = ind.Name
	}
	states := taotai.ProductionStates
	var r1 []forms.Row1
	for i, e := range list[:rows/2] {
		r := forms.Row1{Name: e.Name, Address: e.Address, Industry: indName[e.IndustryID], Note: taotai.ProductionStateName(e.ProductionState)}
		if i%4 == 0 {
			r.Note = taotai.ProductionStateName(states[(slices.Index(states, e.ProductionState)+1)%len(states)])
		}
		if i%10 == 0 {
			j := g.rng.IntN(len(leaves))
			r.Address = g.address(cities[j], leaves[j])
		}
		r1 = append(r1, r)
	}
	for range rows - rows/2 {
		j := g.rng.IntN(len(leaves))
		ind := inds[g.rng.IntN(len(inds))]
		r1 = append(r1, forms.Row1{Name: g.name(cities[j], ind.Key), Address: g.address(cities[j], leaves[j]), Industry: ind.Name,
			Note: taotai.ProductionStateName(states[g.rng.IntN(len(states))])})
	}
	g.rng.Shuffle(len(r1), func(i, j int) { r1[i], r1[j] = r1[j], r1[i] })
	var buf bytes.Buffer
	if err := forms.Write1(&buf, forms.Header{Unit: "鞍山市应急管理局", Person: "刘洋", Phone: "0412-5551234", Date: "2020年5月11日"}, r1, false); err != nil {
		b.Fatal(err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}

	seq := 0
	open := func(dsn string) *store.DB {
		db, err := store.Open(ctx, dsn, clock())
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		return db
	}
	if dialect == store.SQLite {
		dir := b.TempDir()
		return func() (*store.DB, func()) {
			seq++
			path := filepath.Join(dir, "copy"+strconv.Itoa(seq)+".db")
			fbCopyFile(b, dsn, path)
			db := open(path)
			return db, func() {
				db.Close()
				for _, suffix := range []string{"", "-wal", "-shm"} {
					os.Remove(path + suffix)
				}
			}
		}, buf.Bytes()
	}
	u, err := url.Parse(dsn)
	if err != nil {
		b.Fatal(err)
	}
	tmpl := strings.TrimPrefix(u.Path, "/")
	admin, err := sql.Open("pgx", os.Getenv("TAOTAI_TEST_POSTGRES"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { admin.Close() })
	return func() (*store.DB, func()) {
		seq++
		name := tmpl + "_c" + strconv.Itoa(seq)
		if _, err := admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + tmpl); err != nil {
			b.Fatal(err)
		}
		u := *u
		u.Path = "/" + name
		db := open(u.String())
		return db, func() {
			db.Close()
			if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
				b.Error(err)
			}
		}
	}, buf.Bytes()
}

// fbCopyFile copies the SQLite database at src (closed) to dst, with its
// write-ahead log if one was left.
func fbCopyFile(b *testing.B, src, dst string) {
	if _, err := os.Stat(src + "-wal"); err == nil {
		fbCopyFile(b, src+"-wal", dst+"-wal")
	}
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}
