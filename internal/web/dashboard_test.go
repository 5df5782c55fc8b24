package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// The dashboard's fixture: five enterprises in 鞍山 and 阜新, both
// sectors, a year of records whose every figure is known, and a recount of
// those records in Go (dashRecount) that the page's tables must equal.

// dashEnt is an enterprise of the fixture.
type dashEnt struct {
	name, county, industry string
	listed                 bool // on the 2020 key list
	e                      *taotai.Enterprise
}

// dashHazard is a hazard as it stands: level, status, deadline, re-check.
type dashHazard struct{ level, status, deadline, recheck string }

// dashDoc is a document: kind, fine (yuan), issued on.
type dashDoc struct {
	kind   string
	fine   int64
	issued string
}

// dashInspection is an inspection with what it found and issued.
type dashInspection struct {
	ent     string
	date    string
	hazards []dashHazard
	docs    []dashDoc
}

// dashCard is an enterprise's 2020 card: its events (state, day).
type dashCard struct {
	ent    string
	events []taotai.CardTransition
	days   []string
}

const dashToday = "2020-11-20"

var dashEnts = map[string]*dashEnt{
	"A": {name: "鞍山铁东钢铁有限公司", county: "210302", industry: "steel", listed: true},
	"B": {name: "鞍山铁西水泥有限公司", county: "210303", industry: "cement", listed: true},
	"C": {name: "阜新海州钢铁有限公司", county: "210902", industry: "steel", listed: true},
	"D": {name: "阜新海州煤矿", county: "210902", industry: "coal", listed: true},
	"E": {name: "鞍山铁东玻璃有限公司", county: "210302", industry: "glass"},
}

var dashInspections = []dashInspection{
	{ent: "A", date: "2020-05-10", hazards: []dashHazard{
		{taotai.HazardGeneral, taotai.HazardPassed, "2020-05-31", "2020-05-20"},
		{taotai.HazardGeneral, taotai.HazardOpen, "2020-06-10", ""}, // overdue
		{taotai.HazardMajor, taotai.HazardRectifying, "2020-12-31", ""},
	}, docs: []dashDoc{{taotai.DocRectOrder, 0, "2020-05-10"}, {taotai.DocStopOrder, 0, "2020-05-10"}, {taotai.DocPenalty, 12345, "2020-06-02"}}},
	{ent: "A", date: "2020-10-15", hazards: []dashHazard{
		{taotai.HazardGeneral, taotai.HazardFailed, "2020-10-25", "2020-10-30"}, // overdue
		{taotai.HazardGeneral, taotai.HazardRectifying, dashToday, ""},          // due today: not yet overdue
	}},
	{ent: "B", date: "2020-06-03", hazards: []dashHazard{
		{taotai.HazardMajor, taotai.HazardPassed, "2020-06-30", "2020-06-20"},
	}, docs: []dashDoc{{taotai.DocRectOrder, 0, "2020-06-03"}, {taotai.DocRecheck, 0, "2020-06-20"}, {taotai.DocPenalty, 50000, "2020-06-05"}}},
	{ent: "C", date: "2020-10-08", hazards: []dashHazard{
		{taotai.HazardGeneral, taotai.HazardOpen, "2020-12-01", ""},
	}},
	{ent: "D", date: "2020-07-01", hazards: []dashHazard{
		{taotai.HazardMajor, taotai.HazardOpen, "2020-07-31", ""}, // overdue
	}, docs: []dashDoc{{taotai.DocStopOrder, 0, "2020-07-01"}, {taotai.DocPenalty, 200000, "2020-07-03"}}},
	// The year before: its inspection and hazard are not 2020's; the order
	// issued in January 2020 is.
	{ent: "E", date: "2019-12-20", hazards: []dashHazard{
		{taotai.HazardGeneral, taotai.HazardOpen, "2020-01-10", ""},
	}, docs: []dashDoc{{taotai.DocRectOrder, 0, "2020-01-05"}}},
	{ent: "E", date: "2020-03-01", docs: []dashDoc{{taotai.DocSiteRecord, 0, "2020-03-01"}}},
}

var dashCards = []dashCard{
	{ent: "A", days: []string{"2020-05-10"}, events: []taotai.CardTransition{
		{To: taotai.CardYellow, Reason: taotai.ReasonMajorHazard, Rectify: "重大事故隐患", Deadline: dashDay("2020-12-31")}}},
	{ent: "B", days: []string{"2020-06-03", "2020-06-20"}, events: []taotai.CardTransition{
		{To: taotai.CardYellow, Reason: taotai.ReasonMajorHazard, Rectify: "重大事故隐患", Deadline: dashDay("2020-06-30")},
		{To: taotai.CardCleared, Rechecked: true}}},
	{ent: "C", days: []string{"2020-10-08", "2020-10-21"}, events: []taotai.CardTransition{
		{To: taotai.CardYellow, Reason: taotai.ReasonBelowStandard, Rectify: "安全生产条件不达标", Deadline: dashDay("2020-10-20")},
		{To: taotai.CardRed, Reason: taotai.ReasonOverdue, Why: "逾期未整改"}}},
	{ent: "D", days: []string{"2020-07-01", "2020-08-01", "2020-08-05", "2020-08-20"}, events: []taotai.CardTransition{
		{To: taotai.CardYellow, Reason: taotai.ReasonMajorHazard, Rectify: "重大事故隐患", Deadline: dashDay("2020-07-31")},
		{To: taotai.CardRed, Reason: taotai.ReasonOverdue, Why: "逾期未整改"},
		{To: taotai.CardProposed, Basis: "安全生产法第一百一十三条", ReportedOn: dashDay("2020-08-05")},
		{To: taotai.CardClosed, Basis: "安全生产法第一百一十三条", ClosedOn: dashDay("2020-08-20"), Evidence: "关闭决定", VerifiedBy: "王强"}}},
}

func dashDay(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, taotai.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// dashSetup registers the fixture, loads its records with the clock on
// dashToday, and sends 鞍山's June report (non-coal) on 20 June.
func dashSetup(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := taotai.NewContextWithActor(context.Background(), taotai.System)
	clock := db.Clock().(*taotai.FixedClock)
	clock.T = time.Date(2020, 11, 20, 10, 0, 0, 0, taotai.Shanghai)
	inds, _ := db.Industries(ctx)
	ind := map[string]*taotai.Industry{}
	for _, i := range inds {
		ind[i.Key] = i
	}
	n := 0
	for _, k := range []string{"A", "B", "C", "D", "E"} {
		x := dashEnts[k]
		n++
		first := fmt.Sprintf("9121%s00MA%07d", x.county[2:4], n)
		x.e = &taotai.Enterprise{Name: x.name, CreditCode: first + string(taotai.USCCCheckDigit(first)), Address: "某路" + strconv.Itoa(n) + "号",
			RegionCode: x.county, IndustryID: ind[x.industry].ID, ProductionState: taotai.StateNormal}
		if err := db.CreateEnterprise(ctx, x.e, false); err != nil {
			t.Fatalf("enterprise %s: %v", k, err)
		}
		if x.listed {
			if err := db.SetKeyListed(ctx, 2020, x.e.ID, true, "正常生产"); err != nil {
				t.Fatal(err)
			}
		}
	}
	crit := func(e *taotai.Enterprise) int64 {
		cs, err := db.Criteria(ctx, e.IndustryID)
		if err != nil || len(cs) == 0 {
			t.Fatalf("criteria of %s: %v", e.Name, err)
		}
		return cs[0].ID
	}
	b := &store.EnforcementBatch{}
	for _, in := range dashInspections {
		e := dashEnts[in.ent].e
		l := &store.InspectionLoad{Inspection: &taotai.Inspection{EnterpriseID: e.ID, Date: dashDay(in.date), Kind: taotai.InspectionRoutine,
			Inspectors: "张明、李强", InspectorCount: 2}}
		for i, h := range in.hazards {
			x := &taotai.Hazard{Description: fmt.Sprintf("隐患%d", i+1), Level: h.level, Status: h.status, Deadline: dashDay(h.deadline),
				Supervised: h.level == taotai.HazardMajor}
			if h.level == taotai.HazardMajor {
				x.CriterionID = crit(e)
			}
			if h.recheck != "" {
				x.RecheckDate = dashDay(h.recheck)
			}
			l.Hazards = append(l.Hazards, x)
		}
		for _, d := range in.docs {
			dl := &store.DocumentLoad{Document: &taotai.Document{Kind: d.kind, Fine: taotai.Yuan(d.fine), IssuedOn: dashDay(d.issued)}}
			if d.kind == taotai.DocPenalty {
				// Its notice, on the inspection's day; the enterprise waived
				// its statement in writing, so the decision may follow soon.
				dl.Notice = &taotai.PenaltyNotice{IssuedOn: dashDay(in.date), Fine: taotai.Yuan(d.fine), Waived: true}
			}
			l.Documents = append(l.Documents, dl)
		}
		b.Inspections = append(b.Inspections, l)
	}
	for _, c := range dashCards {
		cl := &store.CardLoad{EnterpriseID: dashEnts[c.ent].e.ID, Year: 2020}
		for i, ev := range c.events {
			cl.Events = append(cl.Events, store.CardEventLoad{Transition: ev, At: dashDay(c.days[i]).Add(10 * time.Hour)})
		}
		b.Cards = append(b.Cards, cl)
	}
	if err := db.BulkLoadEnforcement(ctx, b); err != nil {
		t.Fatal(err)
	}
	// 鞍山's June report, sent on time.
	clock.T = time.Date(2020, 6, 20, 10, 0, 0, 0, taotai.Shanghai)
	sub, err := db.PrepareReport(storetest.ActorContext(db, taotai.RoleCityClerk, "210300", taotai.SectorNonCoal),
		&taotai.ReportPreparation{PeriodKey: "2020-06", RegionCode: "210300", Sector: taotai.SectorNonCoal, Person: "王丽", Phone: "0412-5551234"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SubmitReport(storetest.ActorContext(db, taotai.RoleCityApprover, "210300", taotai.SectorNonCoal), sub.ID); err != nil {
		t.Fatal(err)
	}
	clock.T = time.Date(2020, 11, 20, 10, 0, 0, 0, taotai.Shanghai)
	addUser(t, db, "prov_noncoal", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
	addUser(t, db, "prov_coal", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorCoal)
	addUser(t, db, "dash_admin", taotai.RoleAdmin, taotai.ProvinceCode, "")
	addUser(t, db, "ansh_clerk", taotai.RoleCityClerk, "210300", taotai.SectorNonCoal)
}

// dashCount is the recount of one unit: the page's figures, as text.
type dashCount struct {
	listed, inspected                           int
	inspections                                 int
	hazards, passed, unresolved, overdue        int
	major, majorPassed, majorOpen, majorOverdue int
	cards                                       map[string]int
	docs                                        map[string]int
	fines                                       taotai.Yuan
	months                                      [12][3]int // inspections, hazards, documents
}

// dashRecount counts the fixture's records for the enterprises keep
// accepts, by the unit unitOf names, by the dashboard's definitions, in
// plain Go over the fixture (no SQL).
func dashRecount(keep func(*dashEnt) bool, unitOf func(*dashEnt) string) map[string]*dashCount {
	out := map[string]*dashCount{}
	get := func(x *dashEnt) *dashCount {
		u := unitOf(x)
		if out[u] == nil {
			out[u] = &dashCount{cards: map[string]int{}, docs: map[string]int{}}
		}
		return out[u]
	}
	in2020 := func(d string) bool { return strings.HasPrefix(d, "2020-") }
	month := func(d string) int { m, _ := strconv.Atoi(d[5:7]); return m - 1 }
	for _, x := range dashEnts {
		if !keep(x) {
			continue
		}
		c := get(x)
		if x.listed {
			c.listed++
			for _, in := range dashInspections {
				if dashEnts[in.ent] == x && in.date >= "2020-03-25" && in.date <= "2020-09-30" {
					c.inspected++
					break
				}
			}
		}
	}
	for _, in := range dashInspections {
		x := dashEnts[in.ent]
		if !keep(x) {
			continue
		}
		c := get(x)
		if in2020(in.date) {
			c.inspections++
			c.months[month(in.date)][0]++
			for _, h := range in.hazards {
				c.hazards++
				c.months[month(in.date)][1]++
				late := h.status != taotai.HazardPassed && h.deadline < dashToday
				major := h.level == taotai.HazardMajor
				if h.status == taotai.HazardPassed {
					c.passed++
				} else {
					c.unresolved++
				}
				if late {
					c.overdue++
				}
				if major {
					c.major++
					if h.status == taotai.HazardPassed {
						c.majorPassed++
					} else {
						c.majorOpen++
					}
					if late {
						c.majorOverdue++
					}
				}
			}
		}
		for _, d := range in.docs {
			if in2020(d.issued) {
				c.docs[d.kind]++
				c.fines += taotai.Yuan(d.fine)
				c.months[month(d.issued)][2]++
			}
		}
	}
	for _, cd := range dashCards {
		x := dashEnts[cd.ent]
		if keep(x) {
			get(x).cards[cd.events[len(cd.events)-1].To]++
		}
	}
	return out
}

// sum adds the units' counts.
func dashSum(m map[string]*dashCount) *dashCount {
	t := &dashCount{cards: map[string]int{}, docs: map[string]int{}}
	for _, c := range m {
		t.listed += c.listed
		t.inspected += c.inspected
		t.inspections += c.inspections
		t.hazards += c.hazards
		t.passed += c.passed
		t.unresolved += c.unresolved
		t.overdue += c.overdue
		t.major += c.major
		t.majorPassed += c.majorPassed
		t.majorOpen += c.majorOpen
		t.majorOverdue += c.majorOverdue
		t.fines += c.fines
		for k, v := range c.cards {
			t.cards[k] += v
		}
		for k, v := range c.docs {
			t.docs[k] += v
		}
		for i := range t.months {
			for j := range t.months[i] {
				t.months[i][j] += c.months[i][j]
			}
		}
	}
	return t
}

// columns writes a count as the cells of each table, in their order.
func (c *dashCount) columns() map[string][]string {
	itoa := strconv.Itoa
	cov := "0.0%"
	if c.listed > 0 {
		// Rounded as a spreadsheet rounds: halves away from zero.
		cov = big.NewRat(int64(100*c.inspected), int64(c.listed)).FloatString(1) + "%"
	}
	docs := []string{itoa(c.inspections)}
	for _, k := range []string{taotai.DocSiteRecord, taotai.DocRectOrder, taotai.DocStopOrder, taotai.DocRecheck, taotai.DocPenalty} {
		docs = append(docs, itoa(c.docs[k]))
	}
	var cards []string
	for _, s := range []string{taotai.CardYellow, taotai.CardCleared, taotai.CardRed, taotai.CardProposed, taotai.CardClosed, taotai.CardAccepted} {
		cards = append(cards, itoa(c.cards[s]))
	}
	return map[string][]string{
		"table-coverage": {itoa(c.listed), itoa(c.inspected), itoa(c.listed - c.inspected), cov},
		"table-hazards": {itoa(c.hazards), itoa(c.passed), itoa(c.unresolved), itoa(c.overdue),
			itoa(c.major), itoa(c.majorPassed), itoa(c.majorOpen), itoa(c.majorOverdue)},
		"table-cards": cards,
		"table-docs":  append(docs, c.fines.Wan()),
	}
}

// dashTable reads a table of the page: the cells of each row by the
// row's heading (tbody) and "合计" (tfoot).
func dashTable(r *response, id string) map[string][]string {
	out := map[string][]string{}
	r.Doc.Find("#" + id + " tbody tr, #" + id + " tfoot tr").Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, strings.TrimSpace(td.Text())) })
		out[strings.TrimSpace(tr.Find("th").First().Text())] = cells
	})
	return out
}

// checkDashboard compares the page's tables with the recount, unit by unit
// (names maps a recount key to the row's heading), and the total.
func checkDashboard(t *testing.T, r *response, want map[string]*dashCount, names map[string]string) {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("dashboard: %d %s", r.Status, text(r, "#error-message"))
	}
	for _, id := range []string{"table-coverage", "table-hazards", "table-cards", "table-docs"} {
		got := dashTable(r, id)
		for key, c := range want {
			if g := got[names[key]]; !slices.Equal(g, c.columns()[id]) {
				t.Errorf("%s, %s: %v, want %v", id, names[key], g, c.columns()[id])
			}
		}
		if g, w := got["合计"], dashSum(want).columns()[id]; !slices.Equal(g, w) {
			t.Errorf("%s, total: %v, want %v", id, g, w)
		}
	}
	trend := dashTable(r, "table-trend")
	total := dashSum(want)
	for m := range 12 {
		w := []string{strconv.Itoa(total.months[m][0]), strconv.Itoa(total.months[m][1]), strconv.Itoa(total.months[m][2])}
		if g := trend[fmt.Sprintf("%d月", m+1)]; !slices.Equal(g, w) {
			t.Errorf("trend, month %d: %v, want %v", m+1, g, w)
		}
	}
}

func cityOf(x *dashEnt) string { return x.county[:4] + "00" }

func TestDashboardFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		dashSetup(t, db)
		ts := newServer(t, db)
		noncoal := func(x *dashEnt) bool { return x.industry != "coal" }
		coal := func(x *dashEnt) bool { return x.industry == "coal" }
		cities := map[string]string{"210300": "鞍山市", "210900": "阜新市"}

		t.Run("province non-coal", func(t *testing.T) {
			c := newClient(t, ts)
			c.login("prov_noncoal")
			r := c.get("/dashboard")
			checkDashboard(t, r, dashRecount(noncoal, cityOf), cities)
			if n := r.Doc.Find("#table-coverage tbody tr").Length(); n != 15 {
				t.Errorf("%d rows: the province's 14 cities and 沈抚新区 expected", n)
			}
			if got := text(r, "#dash-title"); !strings.Contains(got, "辽宁省") || !strings.Contains(got, "非煤") {
				t.Errorf("title %q", got)
			}
			if r.Doc.Find("#sector").Length() != 0 {
				t.Error("a one-sector lane is offered a sector choice")
			}
		})
		t.Run("admin, each sector and both", func(t *testing.T) {
			c := newClient(t, ts)
			c.login("dash_admin")
			checkDashboard(t, c.get("/dashboard?sector=coal"), dashRecount(coal, cityOf), cities)
			checkDashboard(t, c.get("/dashboard?sector=noncoal"), dashRecount(noncoal, cityOf), cities)
			all := c.get("/dashboard")
			checkDashboard(t, all, dashRecount(func(*dashEnt) bool { return true }, cityOf), cities)
			if all.Doc.Find("#sector option").Length() != 3 {
				t.Error("no 全部/非煤/煤矿 choice for a lane holding both sectors")
			}
		})
		t.Run("city", func(t *testing.T) {
			c := newClient(t, ts)
			c.login("ansh_clerk")
			r := c.get("/dashboard")
			ansh := func(x *dashEnt) bool { return noncoal(x) && cityOf(x) == "210300" }
			checkDashboard(t, r, dashRecount(ansh, func(x *dashEnt) string { return x.county }),
				map[string]string{"210302": "铁东区", "210303": "铁西区"})
			var units []string
			r.Doc.Find("#table-coverage tbody th").Each(func(_ int, s *goquery.Selection) { units = append(units, s.Text()) })
			if len(units) != 7 || !slices.Contains(units, "海城市") || strings.Contains(r.Body, "阜新") {
				t.Errorf("鞍山's board shows %v", units)
			}
			for _, p := range []string{"/dashboard?region=210900", "/dashboard?region=210000", "/dashboard?sector=coal"} {
				if r := c.get(p); r.Status != http.StatusNotFound {
					t.Errorf("%s: %d, want 404", p, r.Status)
				}
			}
		})
		t.Run("coal reviewer sees no non-coal figure", func(t *testing.T) {
			c := newClient(t, ts)
			c.login("prov_coal")
			r := c.get("/dashboard")
			checkDashboard(t, r, dashRecount(coal, cityOf), cities)
			if r := c.get("/dashboard?sector=noncoal"); r.Status != http.StatusNotFound {
				t.Errorf("the coal reviewer asking for non-coal: %d", r.Status)
			}
			// The island holds the same figures: nothing of 鞍山 (non-coal only).
			var data struct {
				Units []struct {
					Name   string `json:"name"`
					Listed int    `json:"listed"`
					Passed int    `json:"passed"`
				} `json:"units"`
			}
			if err := json.Unmarshal([]byte(r.Doc.Find("#dashboard-data").Text()), &data); err != nil {
				t.Fatal(err)
			}
			for _, u := range data.Units {
				if u.Name == "鞍山市" && (u.Listed != 0 || u.Passed != 0) {
					t.Errorf("the coal board's island counts 鞍山: %+v", u)
				}
			}
		})
	})
}

// TestDashboardAgreesWithCoverageAndReports: the coverage and timeliness
// figures are those of /coverage and /reports, for the same user.
func TestDashboardAgreesWithCoverageAndReports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		dashSetup(t, db)
		c := newClient(t, newServer(t, db))
		c.login("prov_noncoal")
		r := c.get("/dashboard")
		cov := c.get("/coverage")
		covRows := map[string][]string{}
		cov.Doc.Find("#coverage-table tbody tr").Each(func(_ int, tr *goquery.Selection) {
			var cells []string
			tr.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, strings.TrimSpace(td.Text())) })
			covRows[cells[0]] = cells[1:5] // 名单内, 已检查, 覆盖率, 未检查 (then the plan's columns)
		})
		for name, cells := range dashTable(r, "table-coverage") {
			if name == "合计" {
				continue
			}
			want, ok := covRows[name]
			if !ok { // /coverage lists the regions that have listed enterprises
				want = []string{"0", "0", "0.0%", "0"}
			}
			if len(want) != 4 || !slices.Equal(cells, []string{want[0], want[1], want[3], want[2]}) {
				t.Errorf("%s: dashboard %v, /coverage %v", name, cells, want)
			}
		}
		grid := c.get("/reports")
		rates := dashTable(r, "table-reports-noncoal")
		total := rates["合计"]
		want := []string{text(grid, "#total-expected"), text(grid, "#total-actual")}
		if len(total) < 2 || !slices.Equal(total[:2], want) {
			t.Errorf("timeliness total %v, /reports %v", total, want)
		}
		// 鞍山 sent June on time; the four other periods due are missing.
		if got := rates["鞍山市"]; !slices.Equal(got, []string{"5", "1", "1", "0", "20%", "20%"}) {
			t.Errorf("鞍山's timeliness: %v", got)
		}
	})
}

// TestDashboardDrillDown: every figure links to its records with the
// filters of what it counts.
func TestDashboardDrillDown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		dashSetup(t, db)
		c := newClient(t, newServer(t, db))
		c.login("prov_noncoal")
		r := c.get("/dashboard")
		year := url.Values{"from": {"2020-01-01"}, "to": {"2020-12-31"}, "region": {"210300"}, "sector": {"noncoal"}}
		with := func(base url.Values, kv ...string) url.Values {
			v := url.Values{}
			for k, x := range base {
				v[k] = x
			}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
		cardQ := url.Values{"year": {"2020"}, "region": {"210300"}, "sector": {"noncoal"}}
		// The 鞍山 row of each table: column → list page and filters.
		cases := []struct {
			table string
			col   int
			path  string
			query url.Values
		}{
			{"table-coverage", 0, "/coverage", cardQ},
			{"table-coverage", 2, "/coverage/gaps", cardQ},
			{"table-hazards", 0, "/hazards", year},
			{"table-hazards", 1, "/hazards", with(year, "status", "passed")},
			{"table-hazards", 2, "/hazards", with(year, "status", "unresolved")},
			{"table-hazards", 3, "/hazards", with(year, "status", "unresolved", "overdue", "1")},
			{"table-hazards", 4, "/hazards", with(year, "level", "major")},
			{"table-hazards", 5, "/hazards", with(year, "level", "major", "status", "passed")},
			{"table-hazards", 6, "/hazards", with(year, "level", "major", "status", "unresolved")},
			{"table-hazards", 7, "/hazards", with(year, "level", "major", "status", "unresolved", "overdue", "1")},
			{"table-cards", 0, "/cards", with(cardQ, "state", "yellow")},
			{"table-cards", 4, "/cards", with(cardQ, "state", "closed")},
			{"table-docs", 0, "/inspections", year},
			{"table-docs", 2, "/documents", with(year, "kind", "rect_order")},
			{"table-docs", 6, "/documents", with(year, "kind", "penalty", "fined", "1")},
		}
		for _, tc := range cases {
			row := r.Doc.Find("#" + tc.table + " tbody tr").FilterFunction(func(_ int, s *goquery.Selection) bool {
				return strings.TrimSpace(s.Find("th").Text()) == "鞍山市"
			})
			href, ok := row.Find("td").Eq(tc.col).Find("a").Attr("href")
			if !ok {
				t.Errorf("%s column %d: no link", tc.table, tc.col)
				continue
			}
			u, err := url.Parse(href)
			if err != nil || u.Path != tc.path || u.Query().Encode() != tc.query.Encode() {
				t.Errorf("%s column %d: %s, want %s?%s", tc.table, tc.col, href, tc.path, tc.query.Encode())
			}
		}
		// A month of the trend: that month's records of the whole view.
		june, _ := r.Doc.Find("#table-trend tbody tr").Eq(5).Find("td").Eq(1).Find("a").Attr("href")
		want := "/hazards?" + url.Values{"from": {"2020-06-01"}, "to": {"2020-06-30"}, "region": {"210000"}, "sector": {"noncoal"}}.Encode()
		if june != want {
			t.Errorf("June's hazards: %s, want %s", june, want)
		}
		// A city's name opens its own board, and that board links back up.
		board, _ := r.Doc.Find("#table-coverage tbody th a").First().Attr("href")
		if board != "/dashboard?region=210100&sector=noncoal&year=2020" {
			t.Errorf("沈阳's board: %s", board)
		}
		city := c.get("/dashboard?region=210300")
		if city.Status != http.StatusOK || city.Doc.Find("#table-coverage tbody tr").Length() != 7 {
			t.Fatalf("the province's view of 鞍山: %d", city.Status)
		}
		if up, _ := city.Doc.Find("#dash-up").Attr("href"); !strings.Contains(up, "region=210000") {
			t.Errorf("back up: %q", up)
		}
	})
}

// TestDashboardBadInput: a year, sector or region that is not one is
// refused with a Chinese message.
func TestDashboardBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		dashSetup(t, db)
		c := newClient(t, newServer(t, db))
		c.login("dash_admin")
		for _, tc := range []struct {
			path   string
			status int
			msg    string
		}{
			{"/dashboard?year=abc", http.StatusBadRequest, "年度"},
			{"/dashboard?year=1999", http.StatusNotFound, ""},
			{"/dashboard?sector=steel", http.StatusBadRequest, "“煤矿”或“非煤”"},
			{"/dashboard?region=999999", http.StatusNotFound, "999999"},
		} {
			r := c.get(tc.path)
			if r.Status != tc.status || !strings.Contains(text(r, "#error-message"), tc.msg) {
				t.Errorf("%s: %d %q", tc.path, r.Status, text(r, "#error-message"))
			}
		}
	})
}

// TestCoverageBySector: /coverage and /coverage/gaps take the dashboard's
// sector, within the lane.
func TestCoverageBySector(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		dashSetup(t, db)
		ts := newServer(t, db)
		admin := newClient(t, ts)
		admin.login("dash_admin")
		if got := text(admin.get("/coverage?sector=coal"), "#coverage-total"); !strings.Contains(got, "名单内1家，已检查1家") {
			t.Errorf("coal coverage: %q", got)
		}
		if got := text(admin.get("/coverage"), "#coverage-total"); !strings.Contains(got, "名单内4家，已检查3家") {
			t.Errorf("all coverage: %q", got)
		}
		gaps := admin.get("/coverage/gaps?region=210900&sector=noncoal")
		if got := text(gaps, "#gaps-table"); !strings.Contains(got, dashEnts["C"].name) || strings.Contains(got, dashEnts["D"].name) {
			t.Errorf("阜新's non-coal gaps: %q", got)
		}
		if got := text(admin.get("/coverage/gaps?region=210900&sector=coal"), "#result-count"); got != "共 0 家。" {
			t.Errorf("阜新's coal gaps: %q", got)
		}
		coal := newClient(t, ts)
		coal.login("prov_coal")
		for _, p := range []string{"/coverage?sector=noncoal", "/coverage/gaps?sector=noncoal"} {
			if r := coal.get(p); r.Status != http.StatusNotFound {
				t.Errorf("the coal reviewer's %s: %d", p, r.Status)
			}
		}
		if r := admin.get("/coverage?sector=steel"); r.Status != http.StatusBadRequest {
			t.Errorf("sector=steel: %d", r.Status)
		}
	})
}
