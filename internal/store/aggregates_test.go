package store_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestAggregatesFollowRandomWrites drives a randomised series of writes —
// inspections (some before the campaign's start, some after the coverage
// deadline, some with hazards), hazards passed, orders and penalties
// issued, cards moved through their states, enterprises moved between
// regions (and cities), sectors' industries and production states, the
// key list changed, the coverage deadline moved, 附件1 and 附件2 imports —
// and after every one compares each maintained aggregate (day and month
// tables and their sums by city, pending hazards, card counts, name
// bigrams, the key list's copies, coverage_counts, enterprise_counts)
// with a full recount (LaneMismatches); at the end, the coverage and
// registry figures the pages read are compared with a recount of what the
// test itself wrote, and the province's dashboard by city with the one by
// county.
func TestAggregatesFollowRandomWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := db.Clock().(*taotai.FixedClock)
		clock.T = time.Date(2020, 12, 20, 10, 0, 0, 0, taotai.Shanghai)
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		inspectors := map[string]context.Context{} // an inspector of each city and sector, with their agency
		inspector := func(e *taotai.Enterprise) context.Context {
			key := e.RegionCode[:4] + "00" + e.Sector
			if ctx, ok := inspectors[key]; ok {
				return ctx
			}
			u := &taotai.User{Username: "agg_" + key, Role: taotai.RoleInspector, RegionCode: e.RegionCode[:4] + "00", Sector: e.Sector}
			if err := db.CreateUser(context.Background(), u, "correct horse battery"); err != nil {
				t.Fatal(err)
			}
			got, err := db.FindUser(context.Background(), u.ID)
			if err != nil {
				t.Fatal(err)
			}
			a, err := db.ActorFor(context.Background(), got)
			if err != nil {
				t.Fatal(err)
			}
			inspectors[key] = taotai.NewContextWithActor(context.Background(), a)
			return inspectors[key]
		}
		rng := rand.New(rand.NewPCG(14, 2020))
		regions := []string{tiedong, "210303", haizhou}
		industries := []string{"steel", "cement"}
		states := []string{taotai.StateNormal, taotai.StatePartial, taotai.StateStopped}

		// What the test wrote, to recount the figures itself.
		type ent struct {
			e         *taotai.Enterprise
			listed    bool
			inspected []time.Time
			hazards   []int64              // ids of its hazards
			withHaz   []*taotai.Inspection // its inspections with hazards
		}
		var ents []*ent
		byID := map[int64]*ent{}
		foundOn := map[int64]time.Time{} // a hazard's inspection's date
		did := map[string]int{}          // writes of the kinds the dashboard counts
		reported := map[int64]bool{}     // on the last June 附件2 with inspections
		deadline := day("2020-09-30")
		start := day("2020-03-25")

		create := func(i int) {
			e := &taotai.Enterprise{Name: fmt.Sprintf("聚合测试企业%02d", i), CreditCode: newCode(), Address: "某路1号",
				RegionCode: regions[rng.IntN(len(regions))], IndustryID: industryID(t, db, industries[rng.IntN(2)]),
				ProductionState: states[rng.IntN(3)]}
			if err := db.CreateEnterprise(admin, e, false); err != nil {
				t.Fatal(err)
			}
			x := &ent{e: e}
			ents, byID[e.ID] = append(ents, x), x
		}
		for i := range 8 {
			create(i)
		}
		refresh := func(x *ent) {
			cur, err := db.FindEnterprise(admin, x.e.ID)
			if err != nil {
				t.Fatal(err)
			}
			x.e = cur
		}
		check := func(step int, what string) {
			t.Helper()
			bad, err := db.LaneMismatches(admin)
			if err != nil {
				t.Fatal(err)
			}
			if len(bad) > 0 {
				t.Fatalf("step %d (%s): %d aggregates differ from a recount, first: %s", step, what, len(bad), bad[0])
			}
			// The boards and worklists kept between requests (figures.go)
			// are read after every write, so each write must make them
			// stale.
			for _, ctx := range []context.Context{admin, clerk} {
				q := store.DashboardQuery{Year: 2020, Deadline: deadline}
				kept, err := db.Dashboard(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				fresh, err := db.DashboardUncached(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(kept, fresh) {
					t.Fatalf("step %d (%s): the kept dashboard %+v, read again %+v", step, what, kept.Total, fresh.Total)
				}
				keptWork, err := db.WorklistFor(ctx, clock.T, 2020)
				if err != nil {
					t.Fatal(err)
				}
				freshWork, err := db.WorklistUncached(ctx, clock.T, 2020)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(keptWork, freshWork) {
					t.Fatalf("step %d (%s): the kept worklist %+v, read again %+v", step, what, keptWork, freshWork)
				}
			}
		}
		june := func() {
			var rows []forms.Row2
			now := map[int64]bool{}
			for _, x := range ents {
				refresh(x)
				recorded := false // a period with recorded inspections is not imported over
				for _, d := range x.inspected {
					recorded = recorded || (!d.Before(day("2020-05-12")) && !d.After(day("2020-06-25")))
				}
				if x.e.RegionCode[:4] == "2103" && x.e.Sector == taotai.SectorNonCoal && !recorded && rng.IntN(2) == 0 {
					n := rng.IntN(2) // a row of no inspections covers nothing
					rows = append(rows, forms.Row2{Name: x.e.Name, Address: x.e.Address, Inspections: n, InspectorTimes: 2 * n})
					if n > 0 {
						now[x.e.ID] = true
					}
				}
			}
			if len(rows) == 0 {
				return
			}
			var b bytes.Buffer
			if err := forms.Write2(&b, forms.Header{Period: "6月"}, rows); err != nil {
				t.Fatal(err)
			}
			rep, err := db.ImportForm(clerk, store.ImportOptions{Form: forms.Form2, RegionCode: anshan, Year: 2020, FileName: "6月.xlsx"}, b.Bytes())
			if err != nil || len(rep.Errors) > 0 {
				t.Fatalf("June import: %+v %v", rep, err)
			}
			// The period's rows of 鞍山's lane are the last file's; a row
			// follows its enterprise out of the lane, where no later file
			// of 鞍山 replaces it.
			for _, x := range ents {
				if x.e.RegionCode[:4] == "2103" && x.e.Sector == taotai.SectorNonCoal {
					reported[x.e.ID] = now[x.e.ID]
				}
			}
		}

		const steps = 150
		for step := range steps {
			x := ents[rng.IntN(len(ents))]
			refresh(x)
			if x.e.CreditCode == "" {
				x.e.CreditCode = newCode() // an imported enterprise's code, completed as it is edited
			}
			var what string
			switch op := rng.IntN(14); op {
			case 0, 1, 9, 10: // an inspection, now and then before the start or after the deadline, some with hazards
				d := day("2020-01-06").AddDate(0, 0, rng.IntN(340))
				what = "inspection on " + d.Format(time.DateOnly)
				in := &taotai.Inspection{EnterpriseID: x.e.ID, Date: d, Kind: taotai.InspectionRoutine, Inspectors: "张明、李强",
					InspectorCount: 2}
				var hs []*taotai.Hazard
				for i := range rng.IntN(3) {
					h := &taotai.Hazard{Description: fmt.Sprintf("隐患%d", i), Level: taotai.HazardGeneral, Deadline: d.AddDate(0, 0, 10+rng.IntN(60))}
					if rng.IntN(3) == 0 {
						crits, err := db.Criteria(context.Background(), x.e.IndustryID)
						if err != nil || len(crits) == 0 {
							t.Fatalf("criteria: %v %v", crits, err)
						}
						h.Level, h.CriterionID = taotai.HazardMajor, crits[len(crits)-1].ID
					}
					hs = append(hs, h)
				}
				what += fmt.Sprintf(" with %d hazards", len(hs))
				if err := db.RecordInspection(inspector(x.e), in, hs); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				did["hazards"] += len(hs)
				x.inspected = append(x.inspected, d)
				for _, h := range hs {
					x.hazards = append(x.hazards, h.ID)
					foundOn[h.ID] = d
				}
				if len(hs) > 0 {
					x.withHaz = append(x.withHaz, in)
				}
			case 11: // a hazard passes its re-check
				what = "re-check"
				if len(x.hazards) == 0 {
					break
				}
				h, _, err := db.FindHazard(admin, x.hazards[rng.IntN(len(x.hazards))])
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				if h.Status == taotai.HazardPassed {
					break
				}
				what = fmt.Sprintf("re-check of hazard %d", h.ID)
				if _, err := db.RecheckHazard(admin, h.ID, h.Version, true, foundOn[h.ID], "合格"); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				did["hazards passed"]++
			case 12: // an order or a penalty on an inspection with hazards
				what = "document"
				if len(x.withHaz) == 0 {
					break
				}
				in := x.withHaz[rng.IntN(len(x.withHaz))]
				doc := &taotai.Document{InspectionID: in.ID, Kind: taotai.DocRectOrder, IssuedOn: in.Date}
				var err error
				if rng.IntN(2) == 0 {
					doc.Fine = taotai.Yuan(1000 * (1 + rng.IntN(50)))
					what = fmt.Sprintf("penalty of %d on %s", doc.Fine, in.Date.Format(time.DateOnly))
					err = storetest.Penalty(db, doc)
				} else {
					what = "order on " + in.Date.Format(time.DateOnly)
					err = db.IssueDocument(admin, doc)
				}
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				did["documents"]++
			case 13: // the card moves on to its next state
				c, _, err := db.FindCard(admin, x.e.ID, 2020)
				if err != nil {
					t.Fatal(err)
				}
				next := taotai.CardTransitions(c.State)
				if len(next) == 0 || next[0] == taotai.CardAccepted {
					what = "card " + c.State
					break
				}
				tr := cardSteps[next[rng.IntN(len(next))]]
				what = "card " + c.State + " → " + tr.To
				_, err = db.TransitionCard(admin, x.e.ID, 2020, c.Version, tr, nil)
				if err != nil && (tr.To != taotai.CardCleared || taotai.ErrorCode(err) != taotai.EINVALID) { // cleared only after a passed re-check
					t.Fatalf("%s: %v", what, err)
				}
				if err == nil {
					did["cards changed"]++
				}
			case 2: // moved to another region (and maybe city; another city, half the time, for one with hazards)
				from := x.e.RegionCode
				x.e.RegionCode = regions[rng.IntN(len(regions))]
				for len(x.hazards) > 0 && from[:4] == x.e.RegionCode[:4] && rng.IntN(2) == 0 {
					x.e.RegionCode = regions[rng.IntN(len(regions))]
				}
				what = "moved to " + x.e.RegionCode
				if _, err := db.UpdateEnterprise(admin, x.e, false); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				if from[:4] != x.e.RegionCode[:4] && (len(x.hazards) > 0 || len(x.withHaz) > 0) {
					did["moved to another city with hazards"]++
				}
			case 3:
				x.e.IndustryID = industryID(t, db, industries[rng.IntN(2)])
				x.e.ProductionState = states[rng.IntN(3)]
				what = "industry and state"
				if _, err := db.UpdateEnterprise(admin, x.e, false); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
			case 4, 5:
				x.listed = !x.listed
				what = fmt.Sprintf("key list %v", x.listed)
				if err := db.SetKeyListed(admin, 2020, x.e.ID, x.listed, ""); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
			case 6:
				deadline = day("2020-08-01").AddDate(0, 0, rng.IntN(80))
				what = "coverage deadline " + deadline.Format(time.DateOnly)
				if err := db.UpdateDeadline(admin, 2020, "coverage", time.Time{}, deadline, time.Time{}, ""); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
			case 7: // a 附件1 from 鞍山: a new enterprise on the key list
				what = "附件1 import"
				name := fmt.Sprintf("鞍山导入企业%02d有限公司", step)
				file := xlsx1(t, []forms.Row1{{Name: name, Address: "鞍山市铁东区导入路" + fmt.Sprint(step) + "号", Industry: "钢铁", Note: "正常生产"}}, false)
				rep, err := db.ImportForm(clerk, store.ImportOptions{Form: forms.Form1, RegionCode: anshan, Year: 2020, FileName: "附件1.xlsx"}, file)
				if err != nil || len(rep.Errors) > 0 {
					t.Fatalf("%s: %+v %v", what, rep, err)
				}
				found, _, err := db.FindEnterprises(admin, taotai.EnterpriseFilter{Q: name})
				if err != nil || len(found) != 1 {
					t.Fatalf("%s: found %d (%v)", what, len(found), err)
				}
				nx := &ent{e: found[0], listed: true}
				ents, byID[found[0].ID] = append(ents, nx), nx
			case 8:
				what = "附件2 import"
				june()
			}
			check(step, what)
		}
		t.Logf("writes the dashboard counts: %v", did)
		for _, kind := range []string{"hazards", "hazards passed", "documents", "cards changed", "moved to another city with hazards"} {
			if did[kind] < 2 {
				t.Errorf("the series left little to tell apart: %v", did)
				break
			}
		}
		// The province's dashboard, by city (migration 00036) and by county.
		for _, sector := range []string{"", taotai.SectorNonCoal} {
			q := store.DashboardQuery{Year: 2020, Sector: sector, Deadline: deadline}
			byCity, err := db.Dashboard(admin, q)
			if err != nil {
				t.Fatal(err)
			}
			byCounty, err := db.DashboardFromCounties(admin, q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(byCity, byCounty) {
				t.Errorf("the province's dashboard (%q): by city %+v, by county %+v", sector, byCity.Total, byCounty.Total)
			}
			if byCity.Total.Hazards != did["hazards"] || byCity.Total.HazardsPassed == 0 || len(byCity.Total.Cards) == 0 {
				t.Errorf("the province's dashboard (%q): %+v, %d hazards written", sector, byCity.Total, did["hazards"])
			}
		}

		// 附件2 read at once (the export) and one after the other (an
		// import's transaction): the same rows, in every scope.
		var form2Hazards int
		for _, key := range []string{"2020", "2020-06"} {
			p, err := db.ParsePeriod(admin, key)
			if err != nil {
				t.Fatal(err)
			}
			for _, scope := range [][2]string{{"", ""}, {"", taotai.SectorNonCoal}, {anshan, ""}, {tiedong, taotai.SectorNonCoal}, {haizhou, ""}} {
				atOnce, err := db.Form2Rows(admin, p, scope[0], scope[1])
				if err != nil {
					t.Fatal(err)
				}
				oneByOne, err := db.Form2RowsOneByOne(admin, p, scope[0], scope[1])
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(atOnce, oneByOne) {
					t.Errorf("附件2 %s %v: read at once %d rows, one by one %d rows", key, scope, len(atOnce), len(oneByOne))
				}
				if key == "2020" && scope == [2]string{} {
					for _, r := range atOnce {
						form2Hazards += r.Hazards
					}
				}
			}
		}
		if form2Hazards == 0 {
			t.Error("the province's annual 附件2 counts no hazard")
		}

		// The figures the pages read, against the test's own recount.
		rows, err := db.SectorCoverage(admin, 2020, taotai.ProvinceCode, "", deadline)
		if err != nil {
			t.Fatal(err)
		}
		var listed, covered int
		for _, r := range rows {
			listed += r.Listed
			covered += r.Inspected
		}
		wantListed, wantCovered := 0, 0
		for _, x := range ents {
			if !x.listed {
				continue
			}
			wantListed++
			hit := reported[x.e.ID]
			for _, d := range x.inspected {
				if !d.Before(start) && !d.After(deadline) {
					hit = true
				}
			}
			if hit {
				wantCovered++
			}
		}
		if listed != wantListed || covered != wantCovered {
			t.Errorf("coverage at %s: %d listed, %d covered; recounted %d, %d", deadline.Format(time.DateOnly), listed, covered, wantListed, wantCovered)
		}
		recorded := 0
		for _, x := range ents {
			recorded += len(x.inspected)
		}
		if recorded < 20 || wantListed == 0 || wantCovered == 0 || wantCovered == wantListed {
			t.Errorf("the series left little to tell apart: %d inspections, %d listed, %d covered", recorded, wantListed, wantCovered)
		}
		atDeadline := wantCovered
		// On another day than the deadline, the key list's index answers.
		other := deadline.AddDate(0, 0, -20)
		rows, err = db.SectorCoverage(admin, 2020, taotai.ProvinceCode, "", other)
		if err != nil {
			t.Fatal(err)
		}
		covered, wantCovered = 0, 0
		for _, r := range rows {
			covered += r.Inspected
		}
		for _, x := range ents {
			hit := x.listed && reported[x.e.ID]
			for _, d := range x.inspected {
				if x.listed && !d.Before(start) && !d.After(other) {
					hit = true
				}
			}
			if hit {
				wantCovered++
			}
		}
		if covered != wantCovered {
			t.Errorf("coverage at %s: %d covered, recounted %d", other.Format(time.DateOnly), covered, wantCovered)
		}
		if _, gaps, err := db.CoverageGaps(admin, 2020, "", deadline); err != nil || gaps != wantListed-atDeadline {
			t.Errorf("coverage gaps %d (%v), recounted %d", gaps, err, wantListed-atDeadline)

		}
		_, total, err := db.FindEnterprises(admin, taotai.EnterpriseFilter{})
		if err != nil || total != len(ents) {
			t.Errorf("registry total %d (%v), recounted %d", total, err, len(ents))
		}
		_, onList, err := db.KeyListPage(admin, 2020, "", 0, 0)
		if err != nil || onList != wantListed {
			t.Errorf("key list total %d (%v), recounted %d", onList, err, wantListed)
		}
	})
}

// cardSteps: a transition to each state with what it needs, on
// 2020-12-20.
var cardSteps = map[string]taotai.CardTransition{
	taotai.CardYellow: {To: taotai.CardYellow, Reason: taotai.ReasonBelowStandard, Rectify: "安全设施不达标", Deadline: day("2020-12-31"),
		Why: "检查发现"},
	taotai.CardCleared:  {To: taotai.CardCleared, Why: "按期整改合格"},
	taotai.CardRed:      {To: taotai.CardRed, Reason: taotai.ReasonStillBelow, Why: "经整改仍不具备安全生产条件"},
	taotai.CardProposed: {To: taotai.CardProposed, Basis: "《安全生产法》第六十条", ReportedOn: day("2020-12-19"), Why: "报请关闭"},
	taotai.CardClosed: {To: taotai.CardClosed, ClosedOn: day("2020-12-19"), Basis: "市政府关闭决定", Evidence: "设备已拆除",
		VerifiedBy: "赵科长", Why: "已关闭"},
}
