package demo

import (
	"context"
	"database/sql"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// liaoningMix is the industry mix the demo should hold at scale 1, near
// Liaoning's own (see the sources at plans in demo.go): counts by the
// industry's name, with the tolerance in enterprises.
var liaoningMix = map[string][2]int{"钢铁": {240, 24}, "水泥": {204, 20}, "平板玻璃": {14, 3}, "电解铝": {2, 1}, "煤炭": {40, 6}}

// TestDemoYearRealism loads the demo year at scale 1 after the campaign
// and reads it back from the store, checking what an official would look
// at first: how often each listed enterprise was inspected (2–6 times on
// average, never twice a day, at most a dozen), that each inspection names
// two or more officers and no officer did hundreds, that county bureaus do
// most of the work, that hazards are described in hundreds of distinct,
// industry-specific words, that nothing happened before the campaign's
// start, that every address names a real town of its county, that coal
// mines are only in coal-producing cities and that the industries are
// mixed as in Liaoning.
func TestDemoYearRealism(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	db.Clock().(*taotai.FixedClock).T = afterCampaign
	ctx := context.Background()
	if _, err := Load(ctx, db, Options{Scale: 1, Seed: 2020}); err != nil {
		t.Fatal(err)
	}
	sys := taotai.NewContextWithActor(ctx, taotai.System)
	q := db.SQL()
	regions, err := db.Regions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]*taotai.Region{}
	for _, r := range regions {
		byCode[r.Code] = r
	}
	cityOf := func(code string) *taotai.Region {
		r := byCode[code]
		if r.Level == taotai.LevelCounty {
			r = byCode[r.Parent]
		}
		return r
	}

	// The enterprises: the mix, coal only where coal is mined, real towns.
	list := allEnterprises(t, db)
	realTowns := townsOfCSV(t)
	industries := map[string]int{}
	for _, e := range list {
		industries[e.IndustryName]++
		city := cityOf(e.RegionCode)
		if e.Sector == taotai.SectorCoal && !city.CoalProducing {
			t.Errorf("coal mine %s in %s, not a coal-producing city", e.Name, city.Name)
		}
		if e.IndustryName == "电解铝" && city.Code != "210800" {
			t.Errorf("aluminium smelter %s in %s, want 营口", e.Name, city.Name)
		}
		prefix := city.Name
		if leaf := byCode[e.RegionCode]; leaf.Level == taotai.LevelCounty {
			prefix += leaf.Name
		}
		rest, ok := strings.CutPrefix(e.Address, prefix)
		town := ""
		for _, tw := range realTowns[e.RegionCode] {
			if strings.HasPrefix(rest, tw) && len(tw) > len(town) {
				town = tw
			}
		}
		if e.RegionCode == store.ShenfuCode {
			for _, tw := range shenfuTowns {
				if strings.HasPrefix(rest, tw) && realTowns["*"+tw] != nil {
					town = tw
				}
			}
		}
		if !ok || town == "" {
			t.Errorf("%s: address %q names no town of %s in towns-liaoning.csv", e.Name, e.Address, prefix)
		}
	}
	for name, want := range liaoningMix {
		if got := industries[name]; got < want[0]-want[1] || got > want[0]+want[1] {
			t.Errorf("%d enterprises of %s, want %d ± %d (Liaoning's mix)", got, name, want[0], want[1])
		}
	}

	// Inspections per key-list enterprise: 2–6 on average, at most 12,
	// never two on one day.
	kl, err := db.KeyList(sys, KeyYear, "")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[int64]bool{}
	for _, k := range kl {
		listed[k.Enterprise.ID] = true
	}
	perEnterprise := map[int64]int{}
	perDay := map[string]int{}
	officerLoad := map[string]int{}
	var inspections, county, ofListed int
	start := campaignStart(t, db)
	bad := 0
	eachRow(t, q, `SELECT n.enterprise_id, n.date, n.inspectors, n.inspector_count, a.name, r.level
		FROM inspections n JOIN agencies a ON a.id = n.agency_id JOIN regions r ON r.code = a.region_code`, func(rows *sql.Rows) {
		var id int64
		var date, inspectors, agency, level string
		var count int
		if err := rows.Scan(&id, &date, &inspectors, &count, &agency, &level); err != nil {
			t.Fatal(err)
		}
		inspections++
		perEnterprise[id]++
		perDay[date+"/"+strconv.FormatInt(id, 10)]++
		if listed[id] {
			ofListed++
		}
		if level == taotai.LevelCounty {
			county++
		}
		names := strings.Split(inspectors, "、")
		distinct := map[string]bool{}
		for _, n := range names {
			distinct[n] = true
			officerLoad[agency+"/"+n]++
		}
		if count < 2 || len(names) != count || len(distinct) != count {
			if bad++; bad <= 3 {
				t.Errorf("inspection of %d on %s: %d inspectors, named %q", id, date, count, inspectors)
			}
		}
		if date < start {
			t.Errorf("inspection of %d on %s, before the campaign's start %s", id, date, start)
		}
	})
	mean := float64(ofListed) / float64(len(listed))
	if mean < 2 || mean > 6 {
		t.Errorf("%.1f inspections per key-list enterprise, want 2–6", mean)
	}
	most := 0
	for _, n := range perEnterprise {
		most = max(most, n)
	}
	if most > 12 {
		t.Errorf("an enterprise inspected %d times in the year, want at most 12", most)
	}
	for k, n := range perDay {
		if n > 1 {
			t.Errorf("%d inspections of one enterprise on one day (%s)", n, k)
			break
		}
	}
	busiest := 0
	for _, n := range officerLoad {
		busiest = max(busiest, n)
	}
	if busiest > 60 {
		t.Errorf("an officer took part in %d inspections at scale 1, want at most 60", busiest)
	}
	if county*100 < inspections*60 {
		t.Errorf("%d of %d inspections by county bureaus, want most (≥ 60%%)", county, inspections)
	}
	t.Logf("%d enterprises (%v), %d on the key list: %d inspections, %.2f per key-list enterprise, at most %d; "+
		"%d%% by county bureaus; the busiest officer in %d", len(list), industries, len(listed), inspections, mean, most,
		county*100/max(inspections, 1), busiest)

	// Hazards: hundreds of distinct texts, none of them everywhere, each
	// of its enterprise's industry (or of safety management).
	var hazards, distinct, top int
	count := func(query string, dst *int) {
		t.Helper()
		if err := q.QueryRow(query).Scan(dst); err != nil {
			t.Fatalf("%v: %s", err, query)
		}
	}
	count(`SELECT COUNT(*) FROM hazards WHERE level = 'general'`, &hazards)
	count(`SELECT COUNT(DISTINCT description) FROM hazards WHERE level = 'general'`, &distinct)
	count(`SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM hazards WHERE level = 'general' GROUP BY description) x`, &top)
	if distinct < 200 {
		t.Errorf("%d distinct texts for %d general hazards, want at least 200", distinct, hazards)
	}
	if top*100 > hazards*3 {
		t.Errorf("one hazard text found %d times of %d, want none over 3%%", top, hazards)
	}
	t.Logf("%d general hazards in %d distinct texts, the commonest %d times", hazards, distinct, top)
	checkHazardIndustry(t, q)

	// Nothing before the campaign's start.
	for _, query := range []string{
		`SELECT COUNT(*) FROM inspections WHERE date < $1`,
		`SELECT COUNT(*) FROM documents WHERE issued_on < $1`,
		`SELECT COUNT(*) FROM hazards WHERE recheck_date <> '' AND recheck_date < $1`,
		`SELECT COUNT(*) FROM hazards WHERE deadline < $1`,
	} {
		var n int
		if err := q.QueryRow(query, start).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d rows before the start %s (%v): %s", n, start, err, query)
		}
	}
	startAt, _ := taotai.ParseDate(start)
	var events []time.Time
	eachRow(t, q, `SELECT at FROM card_events`, func(rows *sql.Rows) {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			t.Fatal(err)
		}
		events = append(events, at)
	})
	for _, at := range events {
		if at.Before(startAt) {
			t.Errorf("card change at %v, before the start", at)
		}
	}
	if len(events) == 0 {
		t.Error("no card changes")
	}
}

// campaignStart returns the start of the demo's campaign year, as a date
// string.
func campaignStart(t *testing.T, db *store.DB) string {
	t.Helper()
	years, err := db.CampaignYears(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range years {
		if y.Year == KeyYear && !y.Start.IsZero() {
			return y.Start.In(taotai.Shanghai).Format("2006-01-02")
		}
	}
	t.Fatal("the demo's campaign year has no start")
	return ""
}

// townsOfCSV reads the towns list the demo's addresses come from, by
// county code; "*" and a name marks every town of the list.
func townsOfCSV(t *testing.T) map[string][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(townsCSV)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1407 || strings.Join(recs[0], ",") != "code,name,areaCode,provinceCode,cityCode" {
		t.Fatalf("towns-liaoning.csv: %d rows, header %v", len(recs), recs[0])
	}
	m := map[string][]string{}
	for _, r := range recs[1:] {
		m[r[2]] = append(m[r[2]], r[1])
		m["*"+r[1]] = append(m["*"+r[1]], r[2])
	}
	return m
}

// eachRow runs query and calls fn on each row.
func eachRow(t *testing.T, q *sql.DB, query string, fn func(rows *sql.Rows)) {
	t.Helper()
	rows, err := q.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		fn(rows)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// checkHazardIndustry: every general hazard is one of its enterprise's
// industry's vocabulary, found at the site it names.
func checkHazardIndustry(t *testing.T, q *sql.DB) {
	t.Helper()
	vocabulary := map[string]map[hazardText]bool{}
	for key := range hazardSites {
		vocabulary[key] = map[hazardText]bool{}
		for _, h := range hazardVocabulary(key) {
			vocabulary[key][h] = true
		}
	}
	bad := 0
	eachRow(t, q, `SELECT h.description, h.place, i.key FROM hazards h JOIN enterprises e ON e.id = h.enterprise_id
		JOIN industries i ON i.id = e.industry_id WHERE h.level = 'general'`, func(rows *sql.Rows) {
		var h hazardText
		var key string
		if err := rows.Scan(&h.desc, &h.place, &key); err != nil {
			t.Fatal(err)
		}
		if !vocabulary[key][h] {
			if bad++; bad <= 3 {
				t.Errorf("hazard %q at %q in a %s enterprise", h.desc, h.place, key)
			}
		}
	})
}
