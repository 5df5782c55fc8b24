package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestDashboardLane: the board is the actor's lane; another region or
// sector is ENOTFOUND, a sector that is none EINVALID; a county's board is
// the county alone.
func TestDashboardLane(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		if err := db.RecordInspection(f.inspector, f.inspection("2020-06-09"),
			[]*taotai.Hazard{{Description: "隐患", Level: taotai.HazardGeneral, Deadline: day("2020-06-30")}}); err != nil {
			t.Fatal(err)
		}
		q := store.DashboardQuery{Year: 2020, Deadline: day("2020-09-30")}
		d, err := db.Dashboard(f.inspector, q)
		if err != nil {
			t.Fatal(err)
		}
		if d.Region.Code != anshan || len(d.Units) != 7 || d.Total.Hazards != 1 || d.Total.Inspections != 1 || d.Months[5].Hazards != 1 {
			t.Errorf("鞍山's board: %s, %d units, %+v", d.Region.Code, len(d.Units), d.Total)
		}
		county := storetest.ActorContext(db, taotai.RoleInspector, tiedong, taotai.SectorNonCoal)
		if d, err := db.Dashboard(county, q); err != nil || len(d.Units) != 1 || d.Units[0].Region.Code != tiedong || d.Total.Hazards != 1 {
			t.Errorf("铁东's board: %v %+v", err, d)
		}
		for _, bad := range []struct {
			ctx  context.Context
			q    store.DashboardQuery
			code string
		}{
			{f.other, q, ""}, // 阜新's own board: nothing of 鞍山
			{f.inspector, store.DashboardQuery{Year: 2020, RegionCode: fuxin}, taotai.ENOTFOUND},
			{f.inspector, store.DashboardQuery{Year: 2020, Sector: taotai.SectorCoal}, taotai.ENOTFOUND},
			{f.inspector, store.DashboardQuery{Year: 2020, Sector: "steel"}, taotai.EINVALID},
		} {
			d, err := db.Dashboard(bad.ctx, bad.q)
			switch {
			case bad.code == "" && (err != nil || d.Total.Hazards != 0):
				t.Errorf("阜新's board: %v, %d hazards", err, d.Total.Hazards)
			case bad.code != "" && taotai.ErrorCode(err) != bad.code:
				t.Errorf("%+v: %v, want %s", bad.q, err, bad.code)
			}
		}
	})
}

// TestDashboardKeptUntilWrite: a board is read once and kept for the
// lane's next requests (the same value, unread); a write through the store
// (here an inspection recorded, then only an audit event) makes it stale,
// and the next request reads the write's figures; another lane, another
// day or another query never gets the board kept for the first.
func TestDashboardKeptUntilWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		clock := db.Clock().(*taotai.FixedClock)
		clock.T = time.Date(2020, 7, 1, 9, 0, 0, 0, taotai.Shanghai)
		q := store.DashboardQuery{Year: 2020, Deadline: day("2020-09-30")}
		first, err := db.Dashboard(f.inspector, q)
		if err != nil {
			t.Fatal(err)
		}
		again, err := db.Dashboard(f.inspector, q)
		if err != nil || again != first {
			t.Fatalf("a second read without a write was read again (%p, %p, %v)", first, again, err)
		}
		gen := db.FigureGeneration()
		if err := db.RecordInspection(f.inspector, f.inspection("2020-06-09"),
			[]*taotai.Hazard{{Description: "隐患", Level: taotai.HazardGeneral, Deadline: day("2020-06-30")}}); err != nil {
			t.Fatal(err)
		}
		if db.FigureGeneration() == gen {
			t.Fatal("recording an inspection left the kept figures current")
		}
		after, err := db.Dashboard(f.inspector, q)
		if err != nil {
			t.Fatal(err)
		}
		if after == first || after.Total.Inspections != first.Total.Inspections+1 || after.Total.Hazards != first.Total.Hazards+1 {
			t.Errorf("after an inspection with a hazard: %+v, before %+v", after.Total, first.Total)
		}
		if after.Total.HazardsOverdue != first.Total.HazardsOverdue+1 {
			t.Errorf("the hazard due 2020-06-30 is overdue on 2020-07-01: %d, before %d", after.Total.HazardsOverdue, first.Total.HazardsOverdue)
		}
		// Another lane, another query, another day: each its own board.
		other, err := db.Dashboard(f.other, q)
		if err != nil || other == after || other.Region.Code == after.Region.Code {
			t.Errorf("阜新's board after 鞍山's: %v, %+v", err, other)
		}
		q2 := q
		q2.Deadline = day("2020-06-30")
		if d, err := db.Dashboard(f.inspector, q2); err != nil || d == after || !d.Deadline.Equal(q2.Deadline) {
			t.Errorf("another deadline: %v, %+v", err, d)
		}
		clock.T = clock.T.AddDate(0, 0, -5) // 2020-06-26: the hazard not yet overdue
		if d, err := db.Dashboard(f.inspector, q); err != nil || d == after || d.Total.HazardsOverdue != first.Total.HazardsOverdue {
			t.Errorf("on 2020-06-26: %v, %+v", err, d)
		}
		// Any transaction ends what was kept, an audit event too.
		kept, _ := db.Dashboard(f.inspector, q)
		if err := db.RecordEvent(f.inspector, taotai.AuditExport, "form", 2, "附件2"); err != nil {
			t.Fatal(err)
		}
		if d, err := db.Dashboard(f.inspector, q); err != nil || d == kept {
			t.Errorf("after an audit event: %v, the kept board again: %v", err, d == kept)
		}
	})
}

// TestKeptFiguresFollowOtherProcesses: two stores on one PostgreSQL, as
// two taotai instances: a board kept by the second is forgotten when the
// first commits a write (its notification, FollowWrites), well before the
// kept board's life ends, and the second then reads the write's figures.
func TestKeptFiguresFollowOtherProcesses(t *testing.T) {
	first := storetest.Open(t, store.Postgres)
	f := newEnforcement(t, first)
	second, err := store.Open(context.Background(), first.DSN(), first.Clock())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { second.FollowWrites(ctx, slog.New(slog.DiscardHandler)); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for start := time.Now(); !ok(); time.Sleep(5 * time.Millisecond) {
			if time.Since(start) > 2*time.Second {
				t.Fatalf("after 2 s: %s", what)
			}
		}
	}
	waitFor("the second store listening", second.FollowingWrites)
	q := store.DashboardQuery{Year: 2020, Deadline: day("2020-09-30")}
	before, err := second.Dashboard(f.inspector, q)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := second.Dashboard(f.inspector, q); again != before {
		t.Fatal("the second store did not keep its board")
	}
	gen := second.FigureGeneration()
	if err := first.RecordInspection(f.inspector, f.inspection("2020-06-09"), nil); err != nil {
		t.Fatal(err)
	}
	waitFor("the second store told of the first's write", func() bool { return second.FigureGeneration() != gen })
	after, err := second.Dashboard(f.inspector, q)
	if err != nil {
		t.Fatal(err)
	}
	if after.Total.Inspections != before.Total.Inspections+1 {
		t.Errorf("the second store's board after the first's inspection: %d inspections, before %d", after.Total.Inspections, before.Total.Inspections)
	}
	// A transaction rolled back notifies no one.
	gen = second.FigureGeneration()
	if err := first.Transact(context.Background(), func(tx *sql.Tx) error { return taotai.Errorf(taotai.EINVALID, "不写") }); err == nil {
		t.Fatal("the failing transaction succeeded")
	}
	time.Sleep(100 * time.Millisecond)
	if second.FigureGeneration() != gen {
		t.Error("a rolled-back transaction reached the other store")
	}
}

// TestDashboardCitiesEqualCounties: after a series of writes (inspections
// with hazards, hazards passed or extended, documents with fines, cards
// through their states, an enterprise moved to another city, records at a
// city's own path), the province's board, read from the sums by city
// (migration 00036), equals the board read from the county tables, and
// both equal a recount of the records, unit by unit and month by month;
// so does 鞍山's board (its counties), whose cards come from card_counts
// too.
func TestDashboardCitiesEqualCounties(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := db.Clock().(*taotai.FixedClock)
		clock.T = time.Date(2020, 4, 1, 9, 0, 0, 0, taotai.Shanghai)
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		steel := mustCreate(t, db, tiedong, "steel")    // 鞍山市铁东区
		cement := mustCreate(t, db, "210303", "cement") // 鞍山市铁西区
		far := mustCreate(t, db, haizhou, "steel")      // 阜新市海州区, moved to 鞍山 later
		mine := mustCreate(t, db, haizhou, "coal")      // 阜新, coal
		atCity := mustCreate(t, db, "219900", "steel")  // 沈抚示范区: a city with no counties
		mover := mustCreate(t, db, tiedong, "cement")   // 鞍山, moved to 阜新 later
		ents := []*taotai.Enterprise{steel, cement, far, mine, atCity, mover}
		var hazards []*taotai.Hazard
		inspectors := map[string]context.Context{}
		inspect := func(e *taotai.Enterprise, date string, levels ...string) *taotai.Inspection {
			t.Helper()
			in := &taotai.Inspection{EnterpriseID: e.ID, Date: day(date), Kind: taotai.InspectionRoutine, Inspectors: "张明、李强", InspectorCount: 2}
			var hs []*taotai.Hazard
			for i, l := range levels {
				h := &taotai.Hazard{Description: fmt.Sprintf("隐患%d", i), Level: l, Deadline: day(date).AddDate(0, 0, 20+10*i)}
				if l == taotai.HazardMajor {
					crits, err := db.Criteria(context.Background(), e.IndustryID)
					if err != nil || len(crits) == 0 {
						t.Fatalf("criteria: %v %v", crits, err)
					}
					h.CriterionID = crits[len(crits)-1].ID
				}
				hs = append(hs, h)
			}
			if err := db.RecordInspection(cityInspector(t, db, inspectors, e), in, hs); err != nil {
				t.Fatalf("inspection of %d on %s: %v", e.ID, date, err)
			}
			hazards = append(hazards, hs...)
			return in
		}
		g, m := taotai.HazardGeneral, taotai.HazardMajor
		var withHazards []*taotai.Inspection
		for i, e := range ents {
			for j, date := range []string{"2020-03-02", "2020-03-20", "2020-04-01"} {
				levels := []string{g}
				if (i+j)%3 == 0 {
					levels = append(levels, m)
				}
				withHazards = append(withHazards, inspect(e, date, levels...))
			}
		}
		inspect(steel, "2020-03-05") // no hazards
		// Some hazards pass (every other major one), one is extended.
		majors := 0
		for i, h := range hazards {
			var err error
			if h.Level == taotai.HazardMajor {
				majors++
			}
			switch {
			case i%4 == 0 || h.Level == taotai.HazardMajor && majors%2 == 0:
				_, err = db.RecheckHazard(admin, h.ID, h.Version, true, day("2020-04-01"), "合格")
			case i%4 == 2:
				if i == 2 {
					_, err = db.ExtendHazard(admin, h.ID, h.Version, day("2020-12-31"), "设备到货延迟")
				}
			}
			if err != nil {
				t.Fatalf("hazard %d: %v", i, err)
			}
		}
		// Documents: orders, and penalties with fines.
		fine, _ := taotai.ParseWan("1.5")
		for i, in := range withHazards {
			if err := db.IssueDocument(admin, &taotai.Document{InspectionID: in.ID, Kind: taotai.DocRectOrder, IssuedOn: in.Date}); err != nil {
				t.Fatalf("order %d: %v", i, err)
			}
			if i%2 == 0 {
				if err := storetest.Penalty(db, &taotai.Document{InspectionID: in.ID, Kind: taotai.DocPenalty, IssuedOn: in.Date, Fine: fine}); err != nil {
					t.Fatalf("penalty %d: %v", i, err)
				}
			}
		}
		// Cards: the major hazards put yellow cards; some go on to red
		// and to a proposal, one is cleared, one given by hand.
		clock.T = time.Date(2020, 5, 20, 9, 0, 0, 0, taotai.Shanghai)
		card := func(e *taotai.Enterprise, tr taotai.CardTransition) {
			t.Helper()
			c, _, err := db.FindCard(admin, e.ID, 2020)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.TransitionCard(admin, e.ID, 2020, c.Version, tr, nil); err != nil {
				t.Fatalf("card of %d to %s: %v", e.ID, tr.To, err)
			}
		}
		card(steel, taotai.CardTransition{To: taotai.CardRed, Reason: taotai.ReasonStillBelow, Why: "经整改仍不具备安全生产条件"})
		card(steel, taotai.CardTransition{To: taotai.CardProposed, Basis: "《安全生产法》第六十条", ReportedOn: day("2020-05-19"), Why: "报请关闭"})
		card(mine, taotai.CardTransition{To: taotai.CardRed, Reason: taotai.ReasonStillBelow, Why: "经整改仍不具备安全生产条件"})
		if c, _, _ := db.FindCard(admin, cement.ID, 2020); c.State == taotai.CardNone {
			card(cement, taotai.CardTransition{To: taotai.CardYellow, Reason: taotai.ReasonBelowStandard, Rectify: "安全设施不达标",
				Deadline: day("2020-06-30"), Why: "检查发现"})
		}
		// Enterprises move between cities, with their records.
		for _, mv := range []struct {
			e  *taotai.Enterprise
			to string
		}{{far, tiedong}, {mover, haizhou}} {
			cur, err := db.FindEnterprise(admin, mv.e.ID)
			if err != nil {
				t.Fatal(err)
			}
			cur.RegionCode = mv.to
			if _, err := db.UpdateEnterprise(admin, cur, false); err != nil {
				t.Fatalf("move to %s: %v", mv.to, err)
			}
		}
		// Today: some hazards are overdue from months before, some from
		// today's month.
		clock.T = time.Date(2020, 5, 25, 9, 0, 0, 0, taotai.Shanghai)

		reviewer := storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
		for _, c := range []struct {
			name   string
			ctx    context.Context
			region string
			sector string
		}{
			{"province", admin, "", ""},
			{"province coal", admin, "", taotai.SectorCoal},
			{"province reviewer", reviewer, "", ""},
			{"鞍山", admin, anshan, ""},
		} {
			q := store.DashboardQuery{Year: 2020, RegionCode: c.region, Sector: c.sector, Deadline: day("2020-09-30")}
			got, err := db.Dashboard(c.ctx, q)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			counties, err := db.DashboardFromCounties(c.ctx, q)
			if err != nil {
				t.Fatalf("%s from the counties: %v", c.name, err)
			}
			if !reflect.DeepEqual(got, counties) {
				for i := range got.Units {
					if !reflect.DeepEqual(got.Units[i], counties.Units[i]) {
						t.Errorf("%s, %s: by city %+v, by county %+v", c.name, got.Units[i].Region.Name, got.Units[i].DashboardFigures, counties.Units[i].DashboardFigures)
					}
				}
				t.Errorf("%s: the board by city differs from the board by county", c.name)
			}
			sector := c.sector
			if a := taotai.ActorFromContext(c.ctx); a.Sector != "" {
				sector = a.Sector
			}
			want, months := recountDashboard(t, db, got, sector, clock.T)
			if !reflect.DeepEqual(got.Months, months) {
				t.Errorf("%s: months %+v, recounted %+v", c.name, got.Months, months)
			}
			for _, u := range got.Units {
				w := want[u.Region.Path]
				f := u.DashboardFigures
				f.Listed, f.Inspected = 0, 0
				if !reflect.DeepEqual(f, w) {
					t.Errorf("%s, %s: board %+v, recounted %+v", c.name, u.Region.Name, f, w)
				}
			}
		}
		// The series left figures to tell apart: the province's board
		// counts hazards overdue, cards in three states, fines, in more
		// than one city.
		d, err := db.Dashboard(admin, store.DashboardQuery{Year: 2020, Deadline: day("2020-09-30")})
		if err != nil {
			t.Fatal(err)
		}
		cities := 0
		for _, u := range d.Units {
			if u.Hazards > 0 {
				cities++
			}
		}
		if cities < 2 || d.Total.HazardsOverdue == 0 || d.Total.MajorOverdue == 0 || d.Total.HazardsPassed == 0 || d.Total.MajorPassed == 0 || len(d.Total.Cards) < 3 || d.Total.Fines == 0 {
			t.Errorf("the series left little to tell apart: %d cities, %+v", cities, d.Total)
		}
	})
}

// recountDashboard counts the board's figures per unit from the records
// themselves (the actor's sector, or sector if given), without the
// coverage figures.
func recountDashboard(t *testing.T, db *store.DB, d *taotai.Dashboard, sector string, now time.Time) (map[string]taotai.DashboardFigures, []taotai.DashboardMonth) {
	t.Helper()
	out := map[string]taotai.DashboardFigures{}
	months := make([]taotai.DashboardMonth, 12)
	for i := range months {
		months[i].Month = time.Month(i + 1)
	}
	month := func(date string) *taotai.DashboardMonth {
		m, err := strconv.Atoi(date[5:7])
		if err != nil {
			t.Fatal(err)
		}
		return &months[m-1]
	}
	unit := func(path, sec string) (string, bool) {
		if sector != "" && sec != sector {
			return "", false
		}
		for _, u := range d.Units {
			if strings.HasPrefix(path, u.Region.Path) {
				return u.Region.Path, true
			}
		}
		return "", false
	}
	figures := func(u string) taotai.DashboardFigures {
		f, ok := out[u]
		if !ok {
			f.Cards, f.Documents = map[string]int{}, map[string]int{}
		}
		return f
	}
	each := func(query string, fn func(path, sector string, rest ...string)) {
		rows, err := db.SQL().Query(query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			v := make([]string, 5)
			if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4]); err != nil {
				t.Fatal(err)
			}
			fn(v[0], v[1], v[2:]...)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	today := taotai.Today(now).Format(time.DateOnly)
	each(`SELECT region_path, sector, date, '', '' FROM inspections`, func(path, sec string, r ...string) {
		if u, ok := unit(path, sec); ok && r[0][:4] == "2020" {
			f := figures(u)
			f.Inspections++
			out[u] = f
			month(r[0]).Inspections++
		}
	})
	each(`SELECT region_path, sector, found_on, level || ' ' || status, deadline FROM hazards`, func(path, sec string, r ...string) {
		u, ok := unit(path, sec)
		if !ok || r[0][:4] != "2020" {
			return
		}
		f := figures(u)
		month(r[0]).Hazards++
		levelStatus := strings.Fields(r[1])
		major, passed := levelStatus[0] == taotai.HazardMajor, levelStatus[1] == taotai.HazardPassed
		overdue := !passed && r[2] != "" && r[2] < today
		f.Hazards++
		if passed {
			f.HazardsPassed++
		} else {
			f.HazardsUnresolved++
		}
		if overdue {
			f.HazardsOverdue++
		}
		if major {
			f.Major++
			if passed {
				f.MajorPassed++
			} else {
				f.MajorSupervised++
			}
			if overdue {
				f.MajorOverdue++
			}
		}
		out[u] = f
	})
	each(`SELECT region_path, sector, issued_on, kind, CAST(fine AS TEXT) FROM documents`, func(path, sec string, r ...string) {
		u, ok := unit(path, sec)
		if !ok || r[0][:4] != "2020" {
			return
		}
		f := figures(u)
		f.Documents[r[1]]++
		month(r[0]).Documents++
		fine, err := strconv.ParseInt(r[2], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		f.Fines += taotai.Yuan(fine)
		out[u] = f
	})
	each(`SELECT region_path, sector, CAST(year AS TEXT), state, '' FROM cards`, func(path, sec string, r ...string) {
		if u, ok := unit(path, sec); ok && r[0] == "2020" {
			f := figures(u)
			f.Cards[r[1]]++
			out[u] = f
		}
	})
	for _, u := range d.Units {
		if _, ok := out[u.Region.Path]; !ok {
			out[u.Region.Path] = figures(u.Region.Path)
		}
	}
	return out, months
}

// cityInspector returns an inspector of the enterprise's city and sector,
// with the city's agency, made once (cache).
func cityInspector(t *testing.T, db *store.DB, cache map[string]context.Context, e *taotai.Enterprise) context.Context {
	t.Helper()
	key := e.RegionCode[:4] + "00" + e.Sector
	if ctx, ok := cache[key]; ok {
		return ctx
	}
	bg := context.Background()
	u := &taotai.User{Username: "insp_" + key, Role: taotai.RoleInspector, RegionCode: e.RegionCode[:4] + "00", Sector: e.Sector}
	if err := db.CreateUser(bg, u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindUser(bg, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.ActorFor(bg, got)
	if err != nil {
		t.Fatal(err)
	}
	cache[key] = taotai.NewContextWithActor(bg, a)
	return cache[key]
}
