package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// listFixture is a set of records made through the store, with what each
// was made with kept on the side, so that every figure can be recounted
// here, in Go, without asking the database.
type listFixture struct {
	db          *store.DB
	admin       context.Context
	ents        []*taotai.Enterprise
	inspections []madeInspection
	hazards     []madeHazard
	docs        []madeDoc
	periods     []store.Period
}

type madeInspection struct {
	ent                 int64
	date                time.Time
	inspectors, experts int
}

type madeHazard struct {
	ent   int64
	found time.Time
	h     *taotai.Hazard
}

type madeDoc struct {
	ent    int64
	kind   string
	issued time.Time
	fine   taotai.Yuan
}

// newListFixture records, for three 鞍山 enterprises (steel and cement in
// 铁东区, a coal mine in 铁西区) and one of 阜新, inspections on the first
// and last days of each 2020 period and between, with hazards of both
// levels, documents of every kind issued on the inspection's day or up to
// three days later (across a period's end, so that the day a document is
// counted on matters), and some hazards taken on to rectifying, passed and
// failed.
func newListFixture(t *testing.T, db *store.DB) *listFixture {
	t.Helper()
	clock := db.Clock().(*taotai.FixedClock)
	clock.T = time.Date(2020, 12, 20, 10, 0, 0, 0, taotai.Shanghai)
	f := &listFixture{db: db, admin: storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")}
	var err error
	if f.periods, err = db.Periods(f.admin, 2020); err != nil {
		t.Fatal(err)
	}
	inspectors := map[string]context.Context{}
	for _, u := range []*taotai.User{
		{Username: "ls_ansh", Role: taotai.RoleInspector, RegionCode: anshan, Sector: taotai.SectorNonCoal},
		{Username: "ls_coal", Role: taotai.RoleInspector, RegionCode: anshan, Sector: taotai.SectorCoal},
		{Username: "ls_fx", Role: taotai.RoleInspector, RegionCode: fuxin, Sector: taotai.SectorNonCoal},
	} {
		if err := db.CreateUser(context.Background(), u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindUser(context.Background(), u.ID)
		a, _ := db.ActorFor(context.Background(), got)
		inspectors[u.RegionCode+u.Sector] = taotai.NewContextWithActor(context.Background(), a)
	}
	f.ents = []*taotai.Enterprise{
		mustCreate(t, db, tiedong, "steel"),
		mustCreate(t, db, tiedong, "cement"),
		mustCreate(t, db, "210303", "coal"),
		mustCreate(t, db, haizhou, "steel"),
	}
	rng := rand.New(rand.NewPCG(12, 2020))
	var days []time.Time
	for _, p := range f.periods[:len(f.periods)-1] {
		days = append(days, p.From, p.To, p.From.AddDate(0, 0, 9))
	}
	days = append(days, day("2020-10-08"), day("2020-12-01"))
	for _, e := range f.ents {
		ctx := inspectors[e.RegionCode[:4]+"00"+e.Sector]
		crits, err := db.Criteria(f.admin, e.IndustryID)
		if err != nil || len(crits) == 0 {
			t.Fatalf("criteria of %s: %v", e.Name, err)
		}
		for i, d := range days {
			if (i+int(e.ID))%4 == 0 {
				continue // not every enterprise every day
			}
			in := &taotai.Inspection{EnterpriseID: e.ID, Date: d, Kind: taotai.InspectionRoutine, Inspectors: "张明、李强",
				InspectorCount: max(2, 1+rng.IntN(4)), ExpertCount: rng.IntN(3)}
			var hs []*taotai.Hazard
			for range rng.IntN(4) {
				h := &taotai.Hazard{Description: "隐患", Level: taotai.HazardGeneral, Deadline: d.AddDate(0, 0, 5+rng.IntN(60))}
				if rng.IntN(4) == 0 {
					h.Level, h.CriterionID = taotai.HazardMajor, crits[0].ID
				}
				hs = append(hs, h)
			}
			if err := db.RecordInspection(ctx, in, hs); err != nil {
				t.Fatalf("inspection of %s on %s: %v", e.Name, d.Format(time.DateOnly), err)
			}
			f.inspections = append(f.inspections, madeInspection{e.ID, d, in.InspectorCount, in.ExpertCount})
			for _, h := range hs {
				f.hazards = append(f.hazards, madeHazard{e.ID, d, h})
			}
			f.issue(t, ctx, rng, e, in, hs)
			f.treat(t, ctx, rng, hs, d)
		}
	}
	return f
}

// issue issues the documents of an inspection in the order the law
// wants, each on its day or up to three days later.
func (f *listFixture) issue(t *testing.T, ctx context.Context, rng *rand.Rand, e *taotai.Enterprise, in *taotai.Inspection, hs []*taotai.Hazard) {
	t.Helper()
	kinds := []string{taotai.DocSiteRecord}
	if len(hs) > 0 {
		kinds = append(kinds, taotai.DocRectOrder)
		if rng.IntN(2) == 0 {
			kinds = append(kinds, taotai.DocStopOrder, taotai.DocRecheck)
		}
	}
	for range rng.IntN(3) {
		kinds = append(kinds, taotai.DocPenalty)
	}
	for _, k := range kinds {
		d := &taotai.Document{InspectionID: in.ID, Kind: k, IssuedOn: in.Date.AddDate(0, 0, rng.IntN(4))}
		if k == taotai.DocPenalty && rng.IntN(3) > 0 {
			d.Fine = taotai.Yuan(1000 * (1 + rng.IntN(50)))
		}
		issue := f.db.IssueDocument
		if k == taotai.DocPenalty {
			issue = func(_ context.Context, d *taotai.Document) error { return storetest.Penalty(f.db, d) }
		}
		if err := issue(ctx, d); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		f.docs = append(f.docs, madeDoc{e.ID, k, d.IssuedOn, d.Fine})
	}
}

// treat takes some hazards on: rectifying, then passed or failed.
func (f *listFixture) treat(t *testing.T, ctx context.Context, rng *rand.Rand, hs []*taotai.Hazard, found time.Time) {
	t.Helper()
	for _, h := range hs {
		var err error
		cur := h
		switch rng.IntN(4) {
		case 1:
			cur, err = f.db.SetGuarantees(ctx, h.ID, h.Version, taotai.FiveGuarantees{Responsible: "厂长", Measures: "整改", Funds: 1000,
				Deadline: h.Deadline, Plan: "预案"})
		case 2, 3:
			if cur, err = f.db.SetGuarantees(ctx, h.ID, h.Version, taotai.FiveGuarantees{Measures: "整改"}); err == nil {
				cur, err = f.db.RecheckHazard(ctx, h.ID, cur.Version, rng.IntN(2) == 0, found.AddDate(0, 0, 3), "")
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		*h = *cur
	}
}

// want2 recounts 附件2's figures of an enterprise in a period from what the
// fixture made.
func (f *listFixture) want2(e int64, p store.Period) forms.Row2 {
	var r forms.Row2
	for _, in := range f.inspections {
		if in.ent == e && p.Contains(in.date) {
			r.Inspections++
			r.InspectorTimes += in.inspectors
			r.ExpertTimes += in.experts
		}
	}
	for _, h := range f.hazards {
		if h.ent == e && p.Contains(h.found) {
			r.Hazards++
			if h.h.Level == taotai.HazardMajor {
				r.MajorHazards++
			}
		}
	}
	for _, d := range f.docs {
		if d.ent != e || !p.Contains(d.issued) {
			continue
		}
		switch d.kind {
		case taotai.DocRectOrder:
			r.Orders++
		case taotai.DocPenalty:
			r.Penalties++
			r.Fines += d.fine
		}
	}
	return r
}

// TestListsCountAsForm2: for every enterprise and period, each list asked
// for the enterprise and the period's days holds as many records as the
// fixture made, and as many as 附件2 counts.
func TestListsCountAsForm2(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newListFixture(t, db)
		ctx := f.admin
		checked := 0
		for _, p := range f.periods {
			for _, e := range f.ents {
				want := f.want2(e.ID, p)
				rows, err := db.Form2Rows(ctx, p, "", e.Sector)
				if err != nil {
					t.Fatal(err)
				}
				var got forms.Row2
				for _, r := range rows {
					if r.Name == e.Name {
						got = r
					}
				}
				got.Name, got.Address, got.Note = "", "", ""
				if got != want {
					t.Fatalf("%s %s: 附件2 %+v, recount %+v", p.Key, e.Name, got, want)
				}
				rf := taotai.RecordFilter{EnterpriseID: e.ID, From: p.From, To: p.To}
				_, ins, err := db.ListInspections(ctx, taotai.InspectionFilter{RecordFilter: rf})
				if err != nil {
					t.Fatal(err)
				}
				if ins.Count != want.Inspections || ins.InspectorTimes != want.InspectorTimes || ins.ExpertTimes != want.ExpertTimes {
					t.Errorf("%s %s: inspections list %+v, want %d (%d, %d person-times)", p.Key, e.Name, ins,
						want.Inspections, want.InspectorTimes, want.ExpertTimes)
				}
				hazards := listHazards(t, db, ctx, taotai.HazardFilter{RecordFilter: rf})
				major := listHazards(t, db, ctx, taotai.HazardFilter{RecordFilter: rf, Level: taotai.HazardMajor})
				orders := listDocs(t, db, ctx, taotai.DocumentFilter{RecordFilter: rf, Kind: taotai.DocRectOrder})
				penalties := listDocs(t, db, ctx, taotai.DocumentFilter{RecordFilter: rf, Kind: taotai.DocPenalty})
				fined := listDocs(t, db, ctx, taotai.DocumentFilter{RecordFilter: rf, Fined: true})
				if hazards != want.Hazards || major != want.MajorHazards || orders.Count != want.Orders ||
					penalties.Count != want.Penalties || fined.Fines != want.Fines || penalties.Fines != want.Fines {
					t.Errorf("%s %s: lists hazards %d major %d orders %d penalties %d fines %s/%s, want %+v", p.Key, e.Name,
						hazards, major, orders.Count, penalties.Count, fined.Fines.Wan(), penalties.Fines.Wan(), want)
				}
				checked += want.Inspections
			}
		}
		if checked == 0 {
			t.Fatal("the fixture made no inspection in any period")
		}
	})
}

func listHazards(t *testing.T, db *store.DB, ctx context.Context, f taotai.HazardFilter) int {
	t.Helper()
	_, n, err := db.ListHazards(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func listDocs(t *testing.T, db *store.DB, ctx context.Context, f taotai.DocumentFilter) taotai.RecordTotals {
	t.Helper()
	_, tot, err := db.ListDocuments(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	return tot
}

// TestListFilters checks the other criteria against the fixture: region,
// industry, sector, hazard status and overdue, document kinds, and the
// paging; each against a recount.
func TestListFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newListFixture(t, db)
		ctx := f.admin
		now := db.Clock().Now()
		byID := map[int64]*taotai.Enterprise{}
		for _, e := range f.ents {
			byID[e.ID] = e
		}
		in := func(e int64, region, sector string, industry int64) bool {
			x := byID[e]
			r, _ := db.FindRegion(ctx, region)
			return (region == "" || len(x.RegionPath) >= len(r.Path) && x.RegionPath[:len(r.Path)] == r.Path) &&
				(sector == "" || x.Sector == sector) && (industry == 0 || x.IndustryID == industry)
		}
		steel := industryID(t, db, "steel")
		for _, c := range []struct {
			region, sector string
			industry       int64
		}{{"", "", 0}, {anshan, "", 0}, {tiedong, "", 0}, {fuxin, "", 0}, {"", taotai.SectorCoal, 0}, {"", "", steel}, {anshan, taotai.SectorNonCoal, steel}} {
			rf := taotai.RecordFilter{RegionCode: c.region, Sector: c.sector, IndustryID: c.industry}
			var wantIns, wantUnresolved, wantOverdue, wantFailed, wantStop int
			for _, x := range f.inspections {
				if in(x.ent, c.region, c.sector, c.industry) {
					wantIns++
				}
			}
			for _, h := range f.hazards {
				if !in(h.ent, c.region, c.sector, c.industry) {
					continue
				}
				if h.h.Status != taotai.HazardPassed {
					wantUnresolved++
				}
				if h.h.Overdue(now) {
					wantOverdue++
				}
				if h.h.Status == taotai.HazardFailed {
					wantFailed++
				}
			}
			for _, d := range f.docs {
				if in(d.ent, c.region, c.sector, c.industry) && d.kind == taotai.DocStopOrder {
					wantStop++
				}
			}
			_, ins, err := db.ListInspections(ctx, taotai.InspectionFilter{RecordFilter: rf})
			if err != nil || ins.Count != wantIns {
				t.Errorf("%+v: %d inspections, want %d (%v)", c, ins.Count, wantIns, err)
			}
			if n := listHazards(t, db, ctx, taotai.HazardFilter{RecordFilter: rf, Status: taotai.HazardUnresolved}); n != wantUnresolved {
				t.Errorf("%+v: %d unresolved, want %d", c, n, wantUnresolved)
			}
			if n := listHazards(t, db, ctx, taotai.HazardFilter{RecordFilter: rf, Overdue: true}); n != wantOverdue || wantOverdue == 0 && c.region == "" {
				t.Errorf("%+v: %d overdue, want %d", c, n, wantOverdue)
			}
			if n := listHazards(t, db, ctx, taotai.HazardFilter{RecordFilter: rf, Status: taotai.HazardFailed}); n != wantFailed {
				t.Errorf("%+v: %d failed, want %d", c, n, wantFailed)
			}
			if tot := listDocs(t, db, ctx, taotai.DocumentFilter{RecordFilter: rf, Kind: taotai.DocStopOrder}); tot.Count != wantStop {
				t.Errorf("%+v: %d stop orders, want %d", c, tot.Count, wantStop)
			}
		}

		// Paging: the pages hold every record once, newest first.
		seen := map[int64]bool{}
		var last time.Time
		for off := 0; ; off += 7 {
			page, tot, err := db.ListInspections(ctx, taotai.InspectionFilter{RecordFilter: taotai.RecordFilter{Offset: off, Limit: 7}})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				if len(seen) != tot.Count || tot.Count != len(f.inspections) {
					t.Fatalf("paged %d of %d (made %d)", len(seen), tot.Count, len(f.inspections))
				}
				break
			}
			for _, x := range page {
				if seen[x.ID] || (!last.IsZero() && x.Date.After(last)) {
					t.Fatalf("inspection %d twice or out of order", x.ID)
				}
				seen[x.ID], last = true, x.Date
			}
		}
		items, n, err := db.ListHazards(ctx, taotai.HazardFilter{Overdue: true, RecordFilter: taotai.RecordFilter{Limit: 500}})
		if err != nil || len(items) != n {
			t.Fatalf("overdue: %d of %d: %v", len(items), n, err)
		}
		for i, it := range items {
			if !it.Overdue(now) || i > 0 && it.Deadline.Before(items[i-1].Deadline) || it.Found.IsZero() || it.EnterpriseName == "" {
				t.Fatalf("overdue list item %d: %+v", i, it)
			}
		}
	})
}

// TestListLanes: a user sees the records of their lane only, whatever
// region, enterprise or sector they ask for.
func TestListLanes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newListFixture(t, db)
		anshanSteel, coalMine, fuxinSteel := f.ents[0], f.ents[2], f.ents[3]
		count := func(e int64) (n int) {
			for _, x := range f.inspections {
				if x.ent == e {
					n++
				}
			}
			return n
		}
		fx := storetest.ActorContext(db, taotai.RoleCityClerk, fuxin, taotai.SectorNonCoal)
		coal := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorCoal)
		for _, c := range []struct {
			name string
			ctx  context.Context
			rf   taotai.RecordFilter
			want int
		}{
			{"阜新 asks for 鞍山", fx, taotai.RecordFilter{RegionCode: anshan}, 0},
			{"阜新 asks for a 鞍山 enterprise", fx, taotai.RecordFilter{EnterpriseID: anshanSteel.ID}, 0},
			{"阜新 asks for the province", fx, taotai.RecordFilter{RegionCode: taotai.ProvinceCode}, count(fuxinSteel.ID)},
			{"阜新 asks for a region that does not exist", fx, taotai.RecordFilter{RegionCode: "219999"}, 0},
			{"鞍山 coal asks for the steel works", coal, taotai.RecordFilter{EnterpriseID: anshanSteel.ID}, 0},
			{"鞍山 coal asks for non-coal", coal, taotai.RecordFilter{Sector: taotai.SectorNonCoal}, 0},
			{"鞍山 coal", coal, taotai.RecordFilter{}, count(coalMine.ID)},
		} {
			_, ins, err := db.ListInspections(c.ctx, taotai.InspectionFilter{RecordFilter: c.rf})
			if err != nil || ins.Count != c.want {
				t.Errorf("%s: %d inspections, want %d (%v)", c.name, ins.Count, c.want, err)
			}
			items, n, err := db.ListHazards(c.ctx, taotai.HazardFilter{RecordFilter: c.rf})
			for _, it := range items {
				if c.want == 0 || it.EnterpriseID == anshanSteel.ID && c.ctx != f.admin {
					t.Errorf("%s: hazard %d of %s shown", c.name, it.ID, it.EnterpriseName)
				}
			}
			if err != nil || (c.want == 0) != (n == 0) {
				t.Errorf("%s: %d hazards (%v)", c.name, n, err)
			}
			docs, tot, err := db.ListDocuments(c.ctx, taotai.DocumentFilter{RecordFilter: c.rf})
			if err != nil || (c.want == 0) != (tot.Count == 0) || len(docs) > 20 {
				t.Errorf("%s: %d documents (%v)", c.name, tot.Count, err)
			}
			cards, n, err := db.ListCards(c.ctx, taotai.CardFilter{RegionCode: c.rf.RegionCode, EnterpriseID: c.rf.EnterpriseID, Sector: c.rf.Sector})
			for _, it := range cards {
				if it.EnterpriseID == anshanSteel.ID && c.ctx != f.admin {
					t.Errorf("%s: the card of %s shown", c.name, it.EnterpriseName)
				}
			}
			if err != nil || c.want == 0 && n != 0 {
				t.Errorf("%s: %d cards (%v)", c.name, n, err)
			}
		}
	})
}

// TestListCards: the cards list holds the cards in each current state,
// as the cards' own pages give them.
func TestListCards(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newListFixture(t, db)
		ctx := f.admin
		// Cards given by hand (the clock stands after the hazards'
		// deadlines, so no major hazard gave one): yellow, red, 拟关闭.
		steps := [][]taotai.CardTransition{
			{{To: taotai.CardYellow, Reason: taotai.ReasonBelowStandard, Rectify: "除尘", Deadline: day("2020-12-31")}},
			{{To: taotai.CardYellow, Reason: taotai.ReasonBelowStandard, Rectify: "除尘", Deadline: day("2020-12-31")},
				{To: taotai.CardRed, Reason: taotai.ReasonStillBelow, Why: "经整改仍不达标"}},
			{{To: taotai.CardYellow, Reason: taotai.ReasonBelowStandard, Rectify: "除尘", Deadline: day("2020-12-31")},
				{To: taotai.CardRed, Reason: taotai.ReasonStillBelow, Why: "经整改仍不达标"},
				{To: taotai.CardProposed, Basis: "《安全生产法》", ReportedOn: day("2020-12-20")}},
		}
		want := map[string]int{}
		for i, e := range f.ents {
			c, _, err := db.FindCard(ctx, e.ID, 2020)
			if err != nil {
				t.Fatal(err)
			}
			if i < len(steps) {
				for _, st := range steps[i] {
					if c, err = db.TransitionCard(ctx, e.ID, 2020, c.Version, st, nil); err != nil {
						t.Fatalf("%s → %s: %v", e.Name, st.To, err)
					}
				}
			}
			want[c.State]++
		}
		all := 0
		for _, s := range taotai.CardListStates {
			items, n, err := db.ListCards(ctx, taotai.CardFilter{Year: 2020, State: s})
			if err != nil || n != want[s] || len(items) != n {
				t.Errorf("state %s: %d (%d items), want %d (%v)", s, n, len(items), want[s], err)
			}
			for _, it := range items {
				if it.State != s || it.Region == "" || it.Industry == "" {
					t.Errorf("state %s: item %+v", s, it)
				}
			}
			all += n
		}
		if _, n, _ := db.ListCards(ctx, taotai.CardFilter{}); n != all {
			t.Errorf("all cards %d, want %d", n, all)
		}
		if _, n, _ := db.ListCards(ctx, taotai.CardFilter{Year: 2021}); n != 0 {
			t.Errorf("2021: %d cards", n)
		}
		if _, _, err := db.ListCards(ctx, taotai.CardFilter{State: "none"}); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Errorf("state none: %v", err)
		}
	})
}

// TestHazardFoundOn: a hazard's day found is its inspection's date: a
// hazard inserted without it is refused, and it follows a change of that
// date; the invariant check (run after every test) reports a hazard that
// differs, and the day tables follow every change.
func TestHazardFoundOn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		in := f.inspection("2020-06-09")
		if err := db.RecordInspection(f.inspector, in, []*taotai.Hazard{{Description: "隐患", Level: taotai.HazardGeneral, Deadline: day("2020-06-20")}}); err != nil {
			t.Fatal(err)
		}
		ph := func(q string) string {
			if db.Dialect() == store.SQLite {
				return strings.NewReplacer("$1", "?", "$2", "?").Replace(q)
			}
			return q
		}
		sqlDB := db.SQL()
		insert := `INSERT INTO hazards (inspection_id, enterprise_id, region_path, sector, description, level, deadline, status,
			created_at, updated_at%s) SELECT id, enterprise_id, region_path, sector, '手工', 'general', '2020-06-30', 'open', created_at, created_at%s
			FROM inspections WHERE id = $1`
		if _, err := sqlDB.Exec(ph(fmt.Sprintf(insert, "", "")), in.ID); err == nil {
			t.Fatal("a hazard without the day found was inserted")
		}
		if _, err := sqlDB.Exec(ph(fmt.Sprintf(insert, ", found_on", ", date")), in.ID); err != nil {
			t.Fatal(err)
		}
		found := func() []string {
			rows, err := sqlDB.Query(ph(`SELECT found_on FROM hazards WHERE inspection_id = $1 ORDER BY id`), in.ID)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var s string
				rows.Scan(&s)
				out = append(out, s)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			return out
		}
		if got := found(); len(got) != 2 || got[0] != "2020-06-09" || got[1] != "2020-06-09" {
			t.Fatalf("found on %q", got)
		}
		// The inspection moves to another day (no page does this): its
		// hazards follow, and the day tables with them.
		if _, err := sqlDB.Exec(ph(`UPDATE inspections SET date = '2020-06-08' WHERE id = $1`), in.ID); err != nil {
			t.Fatal(err)
		}
		if got := found(); got[0] != "2020-06-08" || got[1] != "2020-06-08" {
			t.Fatalf("after the inspection moved: %q", got)
		}
		_, n, err := db.ListHazards(f.approver, taotai.HazardFilter{RecordFilter: taotai.RecordFilter{From: day("2020-06-08"), To: day("2020-06-08")}})
		if err != nil || n != 2 {
			t.Fatalf("hazards found on 8 June: %d %v", n, err)
		}
		if bad, err := db.LaneMismatches(context.Background()); err != nil || len(bad) != 0 {
			t.Fatalf("mismatches after the move %q %v", bad, err)
		}
		if _, err := sqlDB.Exec(ph(`UPDATE hazards SET found_on = '2020-01-01' WHERE inspection_id = $1`), in.ID); err != nil {
			t.Fatal(err)
		}
		bad, err := db.LaneMismatches(context.Background())
		if err != nil || len(bad) != 2 || !strings.Contains(bad[0], `found on "2020-01-01", its inspection's date 2020-06-08`) {
			t.Fatalf("mismatches %q %v", bad, err)
		}
		if _, err := sqlDB.Exec(ph(`UPDATE hazards SET found_on = '2020-06-08' WHERE inspection_id = $1`), in.ID); err != nil {
			t.Fatal(err)
		}
		// A day table that drifts from its records is reported, and so are
		// its month (migration 00017), which follows the day table, and
		// its city's month (00036), which follows the month.
		if _, err := sqlDB.Exec(`UPDATE inspection_days SET n = n + 1 WHERE date = '2020-06-08'`); err != nil {
			t.Fatal(err)
		}
		bad, err = db.LaneMismatches(context.Background())
		if err != nil || len(bad) != 6 || !strings.HasPrefix(bad[0], "inspection_days: kept row 2020-06-08") ||
			!strings.HasPrefix(bad[2], "inspection_months: kept row 2020-06 ") ||
			!strings.HasPrefix(bad[4], "inspection_city_months: kept row 2020-06 /210000/210300/ ") {
			t.Fatalf("day mismatches %q %v", bad, err)
		}
		if _, err := sqlDB.Exec(`UPDATE inspection_days SET n = n - 1 WHERE date = '2020-06-08'`); err != nil {
			t.Fatal(err)
		}
	})
}

// TestListsFollowAnEnterprise: an enterprise that changes industry, or
// moves to another city, takes its records' counts with it (the day tables
// are checked against a recount after every test, too).
func TestListsFollowAnEnterprise(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newListFixture(t, db)
		ctx := f.admin
		steel, cement := industryID(t, db, "steel"), industryID(t, db, "cement")
		count := func(rf taotai.RecordFilter) (ins, haz, docs int) {
			_, it, err := db.ListInspections(ctx, taotai.InspectionFilter{RecordFilter: rf})
			if err != nil {
				t.Fatal(err)
			}
			return it.Count, listHazards(t, db, ctx, taotai.HazardFilter{RecordFilter: rf}), listDocs(t, db, ctx, taotai.DocumentFilter{RecordFilter: rf}).Count
		}
		made := func(e int64) (ins, haz, docs int) {
			for _, x := range f.inspections {
				if x.ent == e {
					ins++
				}
			}
			for _, x := range f.hazards {
				if x.ent == e {
					haz++
				}
			}
			for _, x := range f.docs {
				if x.ent == e {
					docs++
				}
			}
			return ins, haz, docs
		}
		e := f.ents[0] // 鞍山铁东 steel
		i0, h0, d0 := count(taotai.RecordFilter{IndustryID: cement})
		mi, mh, md := made(e.ID)
		cur, err := db.FindEnterprise(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		cur.IndustryID = cement
		if _, err := db.UpdateEnterprise(ctx, cur, false); err != nil {
			t.Fatal(err)
		}
		if i, h, d := count(taotai.RecordFilter{IndustryID: cement}); i != i0+mi || h != h0+mh || d != d0+md {
			t.Errorf("cement after the change: %d %d %d, want %d %d %d", i, h, d, i0+mi, h0+mh, d0+md)
		}
		if i, _, _ := count(taotai.RecordFilter{IndustryID: steel, RegionCode: anshan}); i != 0 {
			t.Errorf("鞍山 steel keeps %d inspections", i)
		}
		// Then to 阜新: 阜新's lists gain its records, 鞍山's lose them.
		cur, _ = db.FindEnterprise(ctx, e.ID)
		f0, _, _ := count(taotai.RecordFilter{RegionCode: fuxin})
		a0, _, _ := count(taotai.RecordFilter{RegionCode: anshan})
		cur.RegionCode = haizhou
		if _, err := db.UpdateEnterprise(ctx, cur, false); err != nil {
			t.Fatal(err)
		}
		if i, _, _ := count(taotai.RecordFilter{RegionCode: fuxin}); i != f0+mi {
			t.Errorf("阜新 after the move: %d, want %d", i, f0+mi)
		}
		if i, _, _ := count(taotai.RecordFilter{RegionCode: anshan}); i != a0-mi {
			t.Errorf("鞍山 after the move: %d, want %d", i, a0-mi)
		}
		fx := storetest.ActorContext(db, taotai.RoleCityClerk, fuxin, taotai.SectorNonCoal)
		if _, it, _ := db.ListInspections(fx, taotai.InspectionFilter{RecordFilter: taotai.RecordFilter{IndustryID: cement}}); it.Count != mi {
			t.Errorf("阜新's clerk sees %d cement inspections, want %d", it.Count, mi)
		}
	})
}

// TestListsCountByMonth: asked for whole months (or no dates), the
// province's lists count from the month tables; each count equals the
// fixture's own recount of the inspections made, hazards found and
// documents issued then.
func TestListsCountByMonth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newListFixture(t, db)
		ctx := f.admin
		type span struct{ from, to time.Time }
		spans := []span{{}, {day("2020-01-01"), day("2020-12-31")}, {day("2020-06-01"), time.Time{}}, {time.Time{}, day("2020-07-31")}}
		for m := time.January; m <= time.December; m++ {
			first := time.Date(2020, m, 1, 0, 0, 0, 0, taotai.Shanghai)
			spans = append(spans, span{first, first.AddDate(0, 1, -1)})
		}
		in := func(d time.Time, s span) bool {
			return (s.from.IsZero() || !d.Before(s.from)) && (s.to.IsZero() || !d.After(s.to))
		}
		seen := 0
		for _, s := range spans {
			rf := taotai.RecordFilter{From: s.from, To: s.to}
			var hazards, major, penalties int
			var fines taotai.Yuan
			for _, h := range f.hazards {
				if in(h.found, s) {
					hazards++
					if h.h.Level == taotai.HazardMajor {
						major++
					}
				}
			}
			for _, d := range f.docs {
				if in(d.issued, s) && d.kind == taotai.DocPenalty {
					penalties++
					fines += d.fine
				}
			}
			var ins, inspectors, experts int
			for _, x := range f.inspections {
				if in(x.date, s) {
					ins, inspectors, experts = ins+1, inspectors+x.inspectors, experts+x.experts
				}
			}
			if _, it, err := db.ListInspections(ctx, taotai.InspectionFilter{RecordFilter: rf}); err != nil || it.Count != ins ||
				it.InspectorTimes != inspectors || it.ExpertTimes != experts {
				t.Errorf("%s–%s: inspections %+v (%v); recounted %d, %d, %d", s.from.Format(time.DateOnly), s.to.Format(time.DateOnly),
					it, err, ins, inspectors, experts)
			}
			got := listHazards(t, db, ctx, taotai.HazardFilter{RecordFilter: rf})
			gotMajor := listHazards(t, db, ctx, taotai.HazardFilter{RecordFilter: rf, Level: taotai.HazardMajor})
			pen := listDocs(t, db, ctx, taotai.DocumentFilter{RecordFilter: rf, Kind: taotai.DocPenalty})
			fined := listDocs(t, db, ctx, taotai.DocumentFilter{RecordFilter: rf, Fined: true})
			if got != hazards || gotMajor != major || pen.Count != penalties || pen.Fines != fines || fined.Fines != fines {
				t.Errorf("%s–%s: hazards %d major %d penalties %d fines %s/%s; recounted %d %d %d %s", s.from.Format(time.DateOnly),
					s.to.Format(time.DateOnly), got, gotMajor, pen.Count, pen.Fines.Wan(), fined.Fines.Wan(), hazards, major, penalties, fines.Wan())
			}
			seen += hazards
		}
		if seen == 0 {
			t.Fatal("the fixture found no hazard in any month")
		}
	})
}

// TestOverdueFromMonthCounts: on days at a month's start, inside one and
// at the year's end, the overdue hazards of the year that the worklist's
// list and the dashboard count (from hazard_pending_months and, for the
// day's own month, the pending hazards) equal a recount by the domain's
// rule (Hazard.Overdue) over every hazard listed.
func TestOverdueFromMonthCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newListFixture(t, db)
		clock := db.Clock().(*taotai.FixedClock)
		var all []*taotai.Hazard
		for off := 0; ; off += 500 {
			items, n, err := db.ListHazards(f.admin, taotai.HazardFilter{RecordFilter: taotai.RecordFilter{Offset: off, Limit: 500}})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				all = append(all, it.Hazard)
			}
			if off+500 >= n {
				break
			}
		}
		year := taotai.RecordFilter{From: day("2020-01-01"), To: day("2020-12-31")}
		for _, now := range []string{"2020-06-01", "2020-07-15", "2020-09-30", "2020-12-20", "2021-01-10"} {
			clock.T = day(now).Add(10 * time.Hour)
			want, wantMajor := 0, 0
			for _, h := range all {
				if h.Overdue(clock.T) {
					want++
					if h.Level == taotai.HazardMajor {
						wantMajor++
					}
				}
			}
			if got := listHazards(t, db, f.admin, taotai.HazardFilter{RecordFilter: year, Overdue: true}); got != want {
				t.Errorf("on %s the list counts %d overdue, recounted %d", now, got, want)
			}
			d, err := db.Dashboard(f.admin, store.DashboardQuery{Year: 2020})
			if err != nil {
				t.Fatal(err)
			}
			if d.Total.HazardsOverdue != want || d.Total.MajorOverdue != wantMajor {
				t.Errorf("on %s the dashboard counts %d overdue (%d major), recounted %d (%d)", now, d.Total.HazardsOverdue,
					d.Total.MajorOverdue, want, wantMajor)
			}
			if now == "2020-12-20" && (want == 0 || want == len(all)) {
				t.Errorf("nothing to tell apart: %d overdue of %d", want, len(all))
			}
		}
	})
}
