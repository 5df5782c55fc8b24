package demo

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// afterCampaign is the clock of the enforcement tests: the demo runs on
// the real clock, long after the 2020 campaign.
var afterCampaign = time.Date(2026, 11, 25, 10, 0, 0, 0, taotai.Shanghai)

// TestEnforcementData loads the demo at scale 1 after the campaign year
// and checks that the generated year holds together: hazards belong to
// their inspection's enterprise, documents are numbered and ordered as the
// law wants, cards moved only along the state machine, the audit chain
// holds, and about 90% of the key list was inspected by 30 September. Both
// databases get the same data from the same seed.
func TestEnforcementData(t *testing.T) {
	var signatures []string
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db.Clock().(*taotai.FixedClock).T = afterCampaign
		ctx := context.Background()
		if _, err := Load(ctx, db, Options{Scale: 1, Seed: 2020}); err != nil {
			t.Fatal(err)
		}
		q := db.SQL()
		count := func(query string, args ...any) int {
			t.Helper()
			var n int
			if err := q.QueryRow(query, args...).Scan(&n); err != nil {
				t.Fatalf("%v: %s", err, query)
			}
			return n
		}
		none := func(what, query string) {
			t.Helper()
			if n := count(query); n != 0 {
				t.Errorf("%d %s", n, what)
			}
		}
		share := func(what string, n, of, lo, hi int) {
			t.Helper()
			if of == 0 || n*100/of < lo || n*100/of > hi {
				t.Errorf("%s: %d of %d, want %d–%d%%", what, n, of, lo, hi)
			}
		}

		// Volume and dates: 2 to 6 inspections for each key-list enterprise
		// (TestDemoYearRealism looks closer), all from the campaign's start
		// (25 March 2020) to the end of the year, mostly from 1 April to
		// 15 November.
		inspections := count(`SELECT COUNT(*) FROM inspections`)
		listed := count(`SELECT COUNT(*) FROM key_list WHERE year = 2020`)
		if inspections < 2*listed || inspections > 6*listed {
			t.Errorf("%d inspections at scale 1 for %d key-list enterprises, want 2 to 6 for each", inspections, listed)
		}
		none("inspections outside 25 March – 31 December 2020", `SELECT COUNT(*) FROM inspections WHERE date < '2020-03-25' OR date > '2020-12-31'`)
		share("inspections outside 1 April – 15 November", count(`SELECT COUNT(*) FROM inspections WHERE date < '2020-04-01' OR date > '2020-11-16'`),
			inspections, 0, 12)
		share("routine inspections", count(`SELECT COUNT(*) FROM inspections WHERE kind = 'routine'`), inspections, 60, 85)
		for _, k := range taotai.InspectionKinds {
			if count(`SELECT COUNT(*) FROM inspections WHERE kind = $1`, k) == 0 {
				t.Errorf("no inspection of kind %s", k)
			}
		}
		none("inspections with fewer than 2 or more than 4 inspectors", `SELECT COUNT(*) FROM inspections WHERE inspector_count < 2 OR inspector_count > 4`)
		if count(`SELECT COUNT(*) FROM inspections WHERE expert_count > 0`) == 0 {
			t.Error("no inspection with experts")
		}

		// Hazards: found in about 60% of inspections; each belongs to its
		// inspection's enterprise and carries its lane.
		share("inspections finding hazards", count(`SELECT COUNT(DISTINCT inspection_id) FROM hazards`), inspections, 55, 66)
		none("hazards whose inspection is missing or of another enterprise or lane", `SELECT COUNT(*) FROM hazards h
			LEFT JOIN inspections n ON n.id = h.inspection_id LEFT JOIN enterprises e ON e.id = h.enterprise_id
			WHERE n.id IS NULL OR e.id IS NULL OR n.enterprise_id <> h.enterprise_id
			OR h.region_path <> e.region_path OR h.sector <> e.sector OR n.region_path <> e.region_path OR n.sector <> e.sector`)
		none("inspections with more than 5 general hazards", `SELECT COUNT(*) FROM (SELECT inspection_id FROM hazards
			WHERE level = 'general' GROUP BY inspection_id HAVING COUNT(*) > 5) x`)
		none("passed or failed hazards without a re-check, or open ones with one", `SELECT COUNT(*) FROM hazards
			WHERE (status IN ('passed', 'failed') AND recheck_date = '') OR (status = 'open' AND recheck_date <> '')`)
		none("major hazards without a criterion of their industry, supervision or stop order", `SELECT COUNT(*) FROM hazards h
			JOIN enterprises e ON e.id = h.enterprise_id JOIN industries i ON i.id = e.industry_id
			LEFT JOIN major_hazard_criteria c ON c.id = h.criterion_id
			WHERE h.level = 'major' AND (c.id IS NULL OR NOT h.supervised OR (c.industry_key <> i.key AND NOT (c.industry_key = 'trade' AND i.sector = 'noncoal'))
			OR NOT EXISTS (SELECT 1 FROM documents d WHERE d.inspection_id = h.inspection_id AND d.kind = 'stop_order' AND d.hazard_id = h.id))`)
		hazards := count(`SELECT COUNT(*) FROM hazards`)
		share("hazards passed", count(`SELECT COUNT(*) FROM hazards WHERE status = 'passed'`), hazards, 80, 97)
		if count(`SELECT COUNT(*) FROM hazards WHERE status = 'failed'`) == 0 || count(`SELECT COUNT(*) FROM hazards WHERE status = 'open'`) == 0 ||
			count(`SELECT COUNT(*) FROM hazards WHERE status = 'rectifying'`) == 0 {
			t.Error("want some hazards failed, some open and some in rectification")
		}
		majorInspections := count(`SELECT COUNT(DISTINCT inspection_id) FROM hazards WHERE level = 'major'`)
		if majorInspections == 0 {
			t.Error("no major hazard")
		}
		if count(`SELECT COUNT(*) FROM hazards WHERE level = 'major' AND (g_funds = 0 OR g_plan = '' OR g_responsible = '')`) == 0 {
			t.Error("no major hazard with its 五落实 incomplete")
		}
		checkHazardDates(t, q)

		// Documents.
		checkDocuments(t, q)
		none("re-check opinions before a rectification order of their inspection", `SELECT COUNT(*) FROM documents r
			WHERE r.kind = 'recheck' AND NOT EXISTS (SELECT 1 FROM documents o WHERE o.inspection_id = r.inspection_id
			AND o.kind = 'rect_order' AND (o.issued_on < r.issued_on OR (o.issued_on = r.issued_on AND o.id < r.id)))`)
		none("rectification orders without hazards", `SELECT COUNT(*) FROM documents d WHERE d.kind IN ('rect_order', 'stop_order')
			AND NOT EXISTS (SELECT 1 FROM hazards h WHERE h.inspection_id = d.inspection_id)`)
		none("inspections with hazards but no rectification order", `SELECT COUNT(*) FROM inspections n
			WHERE EXISTS (SELECT 1 FROM hazards h WHERE h.inspection_id = n.id)
			AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.inspection_id = n.id AND d.kind = 'rect_order')`)
		none("fines outside 0.1–5 万元", `SELECT COUNT(*) FROM documents WHERE (kind = 'penalty' AND (fine < 1000 OR fine > 50000)) OR (kind <> 'penalty' AND fine <> 0)`)
		if count(`SELECT COUNT(*) FROM documents WHERE kind = 'penalty'`) == 0 {
			t.Error("no penalty decision")
		}
		// The demo year obeys its own law: every 行政处罚决定书 follows a
		// 行政处罚告知书 to the same enterprise, after the days for a
		// statement (and a hearing) have run out, and is no heavier.
		none("penalty decisions without a notice before them, its periods run", `SELECT COUNT(*) FROM documents d
			WHERE d.kind = 'penalty' AND NOT EXISTS (SELECT 1 FROM penalty_notices p WHERE p.id = d.notice_id
			AND p.enterprise_id = d.enterprise_id AND p.issued_on < d.issued_on AND p.statement_until < d.issued_on
			AND (p.hearing_until = '' OR p.hearing_until < d.issued_on) AND d.fine <= p.fine)`)
		none("notices whose periods were not counted in working days", `SELECT COUNT(*) FROM penalty_notices WHERE statement_until <= issued_on`)

		// Cards: reached along the state machine, for the right reasons.
		states := checkCards(t, q)
		for _, s := range []string{taotai.CardYellow, taotai.CardCleared, taotai.CardRed, taotai.CardProposed, taotai.CardClosed, taotai.CardAccepted} {
			if states[s] == 0 {
				t.Errorf("no card in state %s: %v", s, states)
			}
		}
		if states[taotai.CardAccepted] > 2 {
			t.Errorf("%d cards accepted at scale 1, want 1 or 2", states[taotai.CardAccepted])
		}
		none("accepted outside October–November", `SELECT COUNT(*) FROM cards WHERE state = 'accepted'
			AND (accepted_on < '2020-10-01' OR accepted_on > '2020-11-30' OR accepted_on < closed_on)`)
		// A card is accepted only with its acceptance record, and the two agree.
		none("accepted cards without their passed acceptance", `SELECT COUNT(*) FROM cards c WHERE c.state = 'accepted'
			AND NOT EXISTS (SELECT 1 FROM acceptances v WHERE v.card_id = c.id AND v.passed AND v.accepted_on = c.accepted_on)`)
		none("acceptances of cards not accepted", `SELECT COUNT(*) FROM acceptances v JOIN cards c ON c.id = v.card_id
			WHERE v.passed AND c.state <> 'accepted'`)
		none("closed without evidence", `SELECT COUNT(*) FROM cards WHERE state IN ('closed', 'accepted') AND (closure_evidence = '' OR closed_on = '')`)
		none("enterprises with a major hazard and no card for it", `SELECT COUNT(DISTINCT h.enterprise_id) FROM hazards h
			WHERE h.level = 'major' AND NOT EXISTS (SELECT 1 FROM cards c JOIN card_events v ON v.card_id = c.id
			WHERE c.enterprise_id = h.enterprise_id AND v.to_state = 'yellow' AND v.reason = 'major_hazard')`)
		if count(`SELECT COUNT(*) FROM cards WHERE reason = 'below_standard'`) == 0 {
			t.Error("no yellow card for being below standard")
		}
		none("inspections after the enterprise's closure", `SELECT COUNT(*) FROM inspections n JOIN cards c ON c.enterprise_id = n.enterprise_id
			WHERE c.closed_on <> '' AND n.date > c.closed_on`)

		// The audit chain holds, with an entry per row and card change.
		n, brk, err := db.VerifyAudit(ctx)
		if err != nil || brk != nil {
			t.Fatalf("audit chain after %d entries: %+v %v", n, brk, err)
		}
		rows := inspections + hazards + count(`SELECT COUNT(*) FROM documents`) + count(`SELECT COUNT(*) FROM card_events`)
		if got := count(`SELECT COUNT(*) FROM audit_log WHERE entity IN ('inspection', 'hazard', 'document', 'card')`); got != rows {
			t.Errorf("%d audit entries for %d enforcement rows and card changes", got, rows)
		}

		// Coverage: about 90% of the 2020 key list inspected by 30 September.
		sys := taotai.NewContextWithActor(ctx, taotai.System)
		cov, err := db.Coverage(sys, KeyYear, taotai.ProvinceCode, time.Date(2020, 9, 30, 0, 0, 0, 0, taotai.Shanghai))
		if err != nil {
			t.Fatal(err)
		}
		listed, inspected := 0, 0
		for _, r := range cov {
			listed, inspected = listed+r.Listed, inspected+r.Inspected
		}
		share("key-list enterprises inspected by 30 September", inspected, listed, 86, 94)

		// Seen today, the open hazards are overdue.
		wl, err := db.Worklist(storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal), afterCampaign)
		if err != nil {
			t.Fatal(err)
		}
		if len(wl.Overdue) == 0 || len(wl.RedCandidates) == 0 {
			t.Errorf("worklist today: %d overdue hazards, %d red candidates", len(wl.Overdue), len(wl.RedCandidates))
		}
		signatures = append(signatures, signature(t, q))
	})
	if len(signatures) == 2 && signatures[0] != signatures[1] {
		t.Errorf("same seed, different data on the two databases:\n%s\n%s", signatures[0], signatures[1])
	}
}

// checkHazardDates: deadlines 10–60 days after the inspection, re-checks
// between the inspection and the end of the year.
func checkHazardDates(t *testing.T, q *sql.DB) {
	t.Helper()
	rows, err := q.Query(`SELECT h.id, n.date, h.deadline, h.recheck_date FROM hazards h JOIN inspections n ON n.id = h.inspection_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	bad := 0
	for rows.Next() {
		var id int64
		var date, deadline, recheck string
		if err := rows.Scan(&id, &date, &deadline, &recheck); err != nil {
			t.Fatal(err)
		}
		d, _ := taotai.ParseDate(date)
		dl, _ := taotai.ParseDate(deadline)
		days := int(dl.Sub(d).Hours() / 24)
		if days < 10 || days > 60 || (recheck != "" && (recheck < date || recheck > "2020-12-31")) {
			if bad++; bad <= 3 {
				t.Errorf("hazard %d: inspected %s, deadline %s, re-checked %q", id, date, deadline, recheck)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// checkDocuments: each number parses back to its agency's short name,
// kind, year and sequence; sequences run 1, 2, 3 … per agency, kind and
// year in the order of the dates; documents are not dated before their
// inspection; the agency is the enterprise's city's or county's.
func checkDocuments(t *testing.T, q *sql.DB) {
	t.Helper()
	rows, err := q.Query(`SELECT d.id, d.kind, d.agency_id, a.short_name, a.region_code, d.year, d.seq, d.number, d.issued_on, n.date,
		e.region_path FROM documents d JOIN agencies a ON a.id = d.agency_id JOIN inspections n ON n.id = d.inspection_id
		JOIN enterprises e ON e.id = d.enterprise_id ORDER BY d.agency_id, d.kind, d.year, d.seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type key struct {
		agency int64
		kind   string
		year   int
	}
	last := map[key]int{}
	lastDate := map[key]string{}
	numbers := map[string]bool{}
	problems := 0
	fail := func(format string, args ...any) {
		if problems++; problems <= 5 {
			t.Errorf(format, args...)
		}
	}
	for rows.Next() {
		var id, agency int64
		var kind, short, agencyRegion, number, issued, date, path string
		var year, seq int
		if err := rows.Scan(&id, &kind, &agency, &short, &agencyRegion, &year, &seq, &number, &issued, &date, &path); err != nil {
			t.Fatal(err)
		}
		s, k, y, n, ok := taotai.ParseDocNumber(number)
		if !ok || s != short || k != kind || y != year || n != seq || taotai.FormatDocNumber(short, kind, year, seq) != number {
			fail("document %d: number %q does not parse back to %s %s %d %d", id, number, short, kind, year, seq)
		}
		if numbers[fmt.Sprint(agency)+number] {
			fail("document %d: number %q used twice by agency %d", id, number, agency)
		}
		numbers[fmt.Sprint(agency)+number] = true
		kk := key{agency, kind, year}
		if seq != last[kk]+1 || issued < lastDate[kk] {
			fail("document %d: %s issued %s after number %d of %s", id, number, issued, last[kk], lastDate[kk])
		}
		last[kk], lastDate[kk] = seq, issued
		if issued < date || !strings.HasPrefix(issued, fmt.Sprint(year)) {
			fail("document %d of %s: issued %s, inspection %s", id, number, issued, date)
		}
		if !strings.HasPrefix(path, "/210000/") || !strings.Contains(path, "/"+agencyRegion+"/") || agencyRegion == "210000" {
			fail("document %d: agency of %s for an enterprise in %s", id, agencyRegion, path)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(numbers) == 0 {
		t.Error("no documents")
	}
}

// checkCards replays each card's history from none along
// taotai.CardTransitions and returns the number of cards per final state.
func checkCards(t *testing.T, q *sql.DB) map[string]int {
	t.Helper()
	rows, err := q.Query(`SELECT c.id, c.state, v.from_state, v.to_state FROM cards c JOIN card_events v ON v.card_id = c.id ORDER BY c.id, v.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	states := map[string]int{}
	var card int64
	var state, final string
	end := func() {
		if card != 0 {
			if state != final {
				t.Errorf("card %d: history ends in %s, card in %s", card, state, final)
			}
			states[final]++
		}
	}
	for rows.Next() {
		var id int64
		var cardState, from, to string
		if err := rows.Scan(&id, &cardState, &from, &to); err != nil {
			t.Fatal(err)
		}
		if id != card {
			end()
			card, state, final = id, taotai.CardNone, cardState
		}
		if from != state || !slices.Contains(taotai.CardTransitions(from), to) {
			t.Errorf("card %d: change %s → %s after %s", id, from, to, state)
		}
		state = to
	}
	end()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return states
}

// lastRow returns the values of the last row query returns.
func lastRow(q *sql.DB, query string) ([]any, error) {
	rows, err := q.Query(query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
	}
	return vals, rows.Err()
}

// signature sums up the generated data without ids.
func signature(t *testing.T, q *sql.DB) string {
	t.Helper()
	var b strings.Builder
	for _, query := range []string{
		`SELECT COUNT(*), MIN(date), MAX(date), SUM(inspector_count), SUM(expert_count) FROM inspections`,
		`SELECT COUNT(*), SUM(CASE WHEN status = 'passed' THEN 1 ELSE 0 END), SUM(CASE WHEN level = 'major' THEN 1 ELSE 0 END), MAX(deadline) FROM hazards`,
		`SELECT COUNT(*), SUM(fine), MAX(number), MIN(issued_on) FROM documents`,
		`SELECT COUNT(*), SUM(CASE WHEN state = 'red' THEN 1 ELSE 0 END), MAX(closed_on), MAX(accepted_on) FROM cards`,
	} {
		vals, err := lastRow(q, query)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if by, ok := v.([]byte); ok {
				v = string(by)
			}
			fmt.Fprintf(&b, "%v ", v)
		}
		b.WriteString("; ")
	}
	return b.String()
}

// TestEnforcementBeforeYearEnd: on a day within the campaign (the test
// clock, 2020-05-10) the demo holds only what had happened by the day
// before: nothing later is invented.
func TestEnforcementBeforeYearEnd(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	if _, err := Load(context.Background(), db, Options{Scale: 1, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	var inspections int
	var latest string
	q := db.SQL()
	if err := q.QueryRow(`SELECT COUNT(*), MAX(d) FROM (SELECT date AS d FROM inspections UNION ALL SELECT recheck_date FROM hazards
		UNION ALL SELECT issued_on FROM documents UNION ALL SELECT closed_on FROM cards) x`).Scan(&inspections, &latest); err != nil {
		t.Fatal(err)
	}
	if inspections == 0 || latest > "2020-05-09" {
		t.Fatalf("%d dates, the latest %s, want none after 2020-05-09", inspections, latest)
	}
	rows, err := q.Query(`SELECT at FROM card_events`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			t.Fatal(err)
		}
		if !at.Before(time.Date(2020, 5, 10, 0, 0, 0, 0, taotai.Shanghai)) {
			t.Fatalf("card change at %v, after the day before today", at)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}
