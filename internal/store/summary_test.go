package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/demo"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// loadDemoYear loads the demo with its reporting history, the clock on
// 28 November 2020: every annual report due, most accepted, a few
// awaiting review or returned.
func loadDemoYear(t *testing.T, db *store.DB) {
	t.Helper()
	db.Clock().(*taotai.FixedClock).T = time.Date(2020, 11, 28, 10, 0, 0, 0, taotai.Shanghai)
	start := time.Now()
	if _, err := demo.Load(context.Background(), db, demo.Options{Scale: 1, Seed: 2020, Reporting: true}); err != nil {
		t.Fatal(err)
	}
	t.Logf("demo loaded in %v", time.Since(start).Round(time.Millisecond))
}

// lateInspection records an inspection of a 鞍山 non-coal enterprise on
// 27 November, with a hazard: after its annual report was accepted.
func lateInspection(t *testing.T, db *store.DB) {
	t.Helper()
	bg := context.Background()
	u := &taotai.User{Username: "late_inspector", Role: taotai.RoleInspector, RegionCode: anshan, Sector: taotai.SectorNonCoal}
	if err := db.CreateUser(bg, u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	got, _ := db.FindUser(bg, u.ID)
	a, err := db.ActorFor(bg, got)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := db.SQL().QueryRow(`SELECT e.id FROM enterprises e JOIN key_list k ON k.enterprise_id = e.id
		WHERE e.region_path LIKE '/210000/210300/%' AND e.sector = 'noncoal' ORDER BY e.id LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	in := &taotai.Inspection{EnterpriseID: id, Date: time.Date(2020, 11, 27, 0, 0, 0, 0, taotai.Shanghai), Kind: taotai.InspectionRoutine,
		Inspectors: "张明、李强", InspectorCount: 2, Findings: "年度报送后的检查"}
	h := &taotai.Hazard{Description: "消防通道堵塞", Level: taotai.HazardGeneral, Deadline: time.Date(2020, 12, 10, 0, 0, 0, 0, taotai.Shanghai)}
	if err := db.RecordInspection(taotai.NewContextWithActor(bg, a), in, []*taotai.Hazard{h}); err != nil {
		t.Fatal(err)
	}
}

// recountKey is a unit, channel and industry of the recount.
type recountKey struct{ unit, sector, industry string }

// recountYear counts the year's figures from the tables directly, per
// unit, channel and industry, without the store's code: the independent
// count the summary must equal.
func recountYear(t *testing.T, db *sql.DB) map[recountKey]*taotai.YearFigures {
	t.Helper()
	out := map[recountKey]*taotai.YearFigures{}
	get := func(k recountKey) *taotai.YearFigures {
		if out[k] == nil {
			out[k] = &taotai.YearFigures{}
		}
		return out[k]
	}
	query := func(q string, scan func(k recountKey, rows *sql.Rows) error, args ...any) {
		t.Helper()
		rows, err := db.Query(q, args...)
		if err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
		defer rows.Close()
		for rows.Next() {
			var k recountKey
			if err := scan(k, rows); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	const from, to = "2020-03-25", "2020-12-31"
	query(`SELECT substr(n.region_path, 9, 6), n.sector, i.name, COUNT(*), SUM(n.inspector_count), SUM(n.expert_count)
		FROM inspections n JOIN enterprises e ON e.id = n.enterprise_id JOIN industries i ON i.id = e.industry_id
		WHERE n.date >= $1 AND n.date <= $2 GROUP BY substr(n.region_path, 9, 6), n.sector, i.name`,
		func(k recountKey, rows *sql.Rows) error {
			var a, b, c int
			if err := rows.Scan(&k.unit, &k.sector, &k.industry, &a, &b, &c); err != nil {
				return err
			}
			f := get(k)
			f.Inspections, f.InspectorTimes, f.ExpertTimes = a, b, c
			return nil
		}, from, to)
	query(`SELECT substr(n.region_path, 9, 6), n.sector, i.name, COUNT(*), SUM(CASE WHEN h.level = 'major' THEN 1 ELSE 0 END),
		SUM(CASE WHEN h.status = 'passed' THEN 1 ELSE 0 END)
		FROM hazards h JOIN inspections n ON n.id = h.inspection_id JOIN enterprises e ON e.id = n.enterprise_id
		JOIN industries i ON i.id = e.industry_id
		WHERE n.date >= $1 AND n.date <= $2 GROUP BY substr(n.region_path, 9, 6), n.sector, i.name`,
		func(k recountKey, rows *sql.Rows) error {
			var a, b, c int
			if err := rows.Scan(&k.unit, &k.sector, &k.industry, &a, &b, &c); err != nil {
				return err
			}
			f := get(k)
			f.Hazards, f.MajorHazards, f.Rectified = a, b, c
			return nil
		}, from, to)
	query(`SELECT substr(d.region_path, 9, 6), d.sector, i.name, SUM(CASE WHEN d.kind = 'rect_order' THEN 1 ELSE 0 END),
		SUM(CASE WHEN d.kind = 'penalty' THEN 1 ELSE 0 END), SUM(CASE WHEN d.kind = 'penalty' THEN d.fine ELSE 0 END)
		FROM documents d JOIN enterprises e ON e.id = d.enterprise_id JOIN industries i ON i.id = e.industry_id
		WHERE d.issued_on >= $1 AND d.issued_on <= $2 GROUP BY substr(d.region_path, 9, 6), d.sector, i.name`,
		func(k recountKey, rows *sql.Rows) error {
			var a, b int
			var fine int64
			if err := rows.Scan(&k.unit, &k.sector, &k.industry, &a, &b, &fine); err != nil {
				return err
			}
			f := get(k)
			f.Orders, f.Penalties, f.Fines = a, b, taotai.Yuan(fine)
			return nil
		}, from, to)
	// 附件3 of the year: the cards with an event in it, by their state now
	// (nothing happens after the clock, which stands before the year's end).
	startUTC := time.Date(2020, 3, 25, 0, 0, 0, 0, taotai.Shanghai).UTC()
	endUTC := time.Date(2021, 1, 1, 0, 0, 0, 0, taotai.Shanghai).UTC()
	query(`SELECT substr(c.region_path, 9, 6), c.sector, i.name, c.state FROM cards c JOIN enterprises e ON e.id = c.enterprise_id
		JOIN industries i ON i.id = e.industry_id
		WHERE c.year = 2020 AND EXISTS (SELECT 1 FROM card_events v WHERE v.card_id = c.id AND v.at >= $1 AND v.at < $2)`,
		func(k recountKey, rows *sql.Rows) error {
			var state string
			if err := rows.Scan(&k.unit, &k.sector, &k.industry, &state); err != nil {
				return err
			}
			f := get(k)
			switch state {
			case taotai.CardRed, taotai.CardProposed:
				f.Red++
			case taotai.CardClosed, taotai.CardAccepted:
				f.Red++
				f.Closed++
			default:
				f.Yellow++
			}
			return nil
		}, startUTC, endUTC)
	query(`SELECT substr(e.region_path, 9, 6), e.sector, i.name, COUNT(*),
		SUM(CASE WHEN EXISTS (SELECT 1 FROM inspections n WHERE n.enterprise_id = e.id AND n.date >= $1 AND n.date <= $2) THEN 1 ELSE 0 END)
		FROM key_list k JOIN enterprises e ON e.id = k.enterprise_id JOIN industries i ON i.id = e.industry_id
		WHERE k.year = 2020 GROUP BY substr(e.region_path, 9, 6), e.sector, i.name`,
		func(k recountKey, rows *sql.Rows) error {
			var a, b int
			if err := rows.Scan(&k.unit, &k.sector, &k.industry, &a, &b); err != nil {
				return err
			}
			f := get(k)
			f.Listed, f.Covered = a, b
			return nil
		}, from, "2020-09-30")
	var imported int
	if err := db.QueryRow(`SELECT (SELECT COUNT(*) FROM reported_form2) + (SELECT COUNT(*) FROM reported_form3)`).Scan(&imported); err != nil {
		t.Fatal(err)
	}
	if imported != 0 {
		t.Fatalf("the recount does not add imported rows, and the demo holds %d", imported)
	}
	return out
}

// recountAccepted reads each unit's latest accepted annual report from the
// tables and adds up its 附件2 and counts its 附件3 by card.
func recountAccepted(t *testing.T, db *sql.DB) map[string]taotai.YearFigures {
	t.Helper()
	rows, err := db.Query(`SELECT s.region_code, s.sector, f.form, f.rows_json FROM report_submissions s
		JOIN report_submission_forms f ON f.submission_id = s.id
		WHERE s.period_key = '2020' AND s.state = 'accepted' ORDER BY s.version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	latest := map[string]map[int]string{} // unit/sector → form → JSON of the latest accepted version
	for rows.Next() {
		var unit, sector, js string
		var form int
		if err := rows.Scan(&unit, &sector, &form, &js); err != nil {
			t.Fatal(err)
		}
		k := unit + "/" + sector
		if latest[k] == nil {
			latest[k] = map[int]string{}
		}
		latest[k][form] = js
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	out := map[string]taotai.YearFigures{}
	for k, byForm := range latest {
		var f taotai.YearFigures
		var r2 []forms.Row2
		var r3 []forms.Row3
		if err := json.Unmarshal([]byte(byForm[2]), &r2); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(byForm[3]), &r3); err != nil {
			t.Fatal(err)
		}
		for _, r := range r2 {
			f.Inspections += r.Inspections
			f.InspectorTimes += r.InspectorTimes
			f.ExpertTimes += r.ExpertTimes
			f.Hazards += r.Hazards
			f.MajorHazards += r.MajorHazards
			f.Orders += r.Orders
			f.Penalties += r.Penalties
			f.Fines += r.Fines
		}
		for _, r := range r3 {
			switch r.Card {
			case taotai.Form3Red:
				f.Red++
			case taotai.Form3Yellow:
				f.Yellow++
			}
			if r.Closed == taotai.Form3Yes {
				f.Closed++
			}
		}
		out[k] = f
	}
	return out
}

// TestAnnualSummary: the demo's year, loaded once per database, for the
// summary's recount and lanes and the first batch of the yellow list.
//
// The recount: the demo's year. Every unit's figures of each
// channel equal a recount from the tables — from its latest accepted
// annual report where there is one (附件2's counts, 附件3's cards), from
// the records otherwise, rectification and coverage always from the
// records —, the channels and the total add the units up, the industries
// the records; each unit's work summary is its accepted version's.
func TestAnnualSummary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		loadDemoYear(t, db)
		t.Run("recount", func(t *testing.T) { checkSummaryRecount(t, db) })
		t.Run("lanes", func(t *testing.T) { checkSummaryLanes(t, db) })
		t.Run("yellow list", func(t *testing.T) { checkYellowList(t, db) })
	})
}

func checkSummaryRecount(t *testing.T, db *store.DB) {
	{
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		// After 鞍山's annual report was accepted, it records one more
		// inspection: the summary keeps the report's figures and says the
		// records now differ.
		lateInspection(t, db)
		start := time.Now()
		s, err := db.AnnualSummary(admin, 2020)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("summary in %v", time.Since(start).Round(time.Millisecond))
		records := recountYear(t, db.SQL())
		accepted := recountAccepted(t, db.SQL())
		byUnit := map[string]taotai.YearFigures{}
		byIndustry := map[string]taotai.YearFigures{}
		for k, f := range records {
			u := byUnit[k.unit+"/"+k.sector]
			u.Add(*f)
			byUnit[k.unit+"/"+k.sector] = u
			i := byIndustry[k.sector+"/"+k.industry]
			i.Add(*f)
			byIndustry[k.sector+"/"+k.industry] = i
		}
		if len(s.Units) != 22 { // 15 units' non-coal reports and 7 coal cities'
			t.Fatalf("%d unit rows, want 22", len(s.Units))
		}
		sources := map[string]int{}
		var total taotai.YearFigures
		channels := map[string]taotai.YearFigures{}
		for _, u := range s.Units {
			k := u.Unit.Code + "/" + u.Sector
			want := byUnit[k]
			if acc, ok := accepted[k]; ok {
				want.Inspections, want.InspectorTimes, want.ExpertTimes = acc.Inspections, acc.InspectorTimes, acc.ExpertTimes
				want.Hazards, want.MajorHazards, want.Orders, want.Penalties, want.Fines = acc.Hazards, acc.MajorHazards, acc.Orders, acc.Penalties, acc.Fines
				want.Yellow, want.Red, want.Closed = acc.Yellow, acc.Red, acc.Closed
				if u.Source != taotai.SourceAccepted {
					t.Errorf("%s: source %s, but an accepted annual report exists", k, u.Source)
				}
			} else if u.Source != taotai.SourceRecords {
				t.Errorf("%s: source %s without an accepted annual report", k, u.Source)
			}
			if u.Figures != want {
				t.Errorf("%s (%s):\n got %+v\nwant %+v", k, u.SourceText(), u.Figures, want)
			}
			if u.Records != byUnit[k] {
				t.Errorf("%s records:\n got %+v\nwant %+v", k, u.Records, byUnit[k])
			}
			if k == anshan+"/noncoal" && (u.Source != taotai.SourceAccepted || !u.Differs() || u.Records.Inspections != u.Figures.Inspections+1) {
				t.Errorf("鞍山 after its late inspection: %s, records %+v, figures %+v", u.SourceText(), u.Records, u.Figures)
			}
			sources[u.Source]++
			total.Add(u.Figures)
			c := channels[u.Sector]
			c.Add(u.Figures)
			channels[u.Sector] = c
		}
		// The demo's annual reports: most accepted, a few awaiting review or returned.
		if sources[taotai.SourceAccepted] < 10 || sources[taotai.SourceRecords] < 3 {
			t.Errorf("sources %v: the test needs both kinds", sources)
		}
		if s.Total != total || total.Inspections == 0 || total.Yellow == 0 || total.Listed == 0 || total.Rectified == 0 {
			t.Errorf("total %+v, units add up to %+v", s.Total, total)
		}
		for _, c := range s.Channels {
			if c.Figures != channels[c.Sector] || c.FromAccepted+c.FromRecords != map[string]int{"noncoal": 15, "coal": 7}[c.Sector] {
				t.Errorf("channel %s: %+v, units add up to %+v", c.Sector, c, channels[c.Sector])
			}
		}
		var recordTotal taotai.YearFigures
		for _, i := range s.Industries {
			if i.Figures != byIndustry[i.Sector+"/"+i.Industry] {
				t.Errorf("industry %s/%s:\n got %+v\nwant %+v", i.Sector, i.Industry, i.Figures, byIndustry[i.Sector+"/"+i.Industry])
			}
			delete(byIndustry, i.Sector+"/"+i.Industry)
			recordTotal.Add(i.Figures)
		}
		if len(byIndustry) != 0 || s.RecordTotal != recordTotal {
			t.Errorf("industries not in the summary: %v", byIndustry)
		}
		// Each unit's work summary: its latest accepted version's, else
		// its latest submitted one.
		var texts int
		for _, sub := range s.Texts {
			var want int64
			if err := db.SQL().QueryRow(`SELECT id FROM report_submissions WHERE period_key = '2020' AND region_code = $1 AND sector = $2
				AND state <> 'prepared' ORDER BY CASE WHEN state = 'accepted' THEN 1 ELSE 0 END DESC, version DESC LIMIT 1`,
				sub.RegionCode, sub.Sector).Scan(&want); err != nil {
				t.Fatal(err)
			}
			if sub.ID != want || sub.Summary == "" {
				t.Errorf("%s/%s: version %d (%s), want id %d", sub.RegionCode, sub.Sector, sub.Version, sub.State, want)
			}
			texts++
		}
		if texts != 22 {
			t.Errorf("%d work summaries, want one per due report (22)", texts)
		}
	}
}

// checkSummaryLanes: a city sees its own unit's part, a province
// reviewer their channel's, a county's user no unit; the province's own
// summary only at the province.
func checkSummaryLanes(t *testing.T, db *store.DB) {
	{
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		coalReviewer := storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorCoal)
		if err := db.SaveProvinceSummary(admin, &taotai.ProvinceSummary{Year: 2020, Sector: taotai.SectorNonCoal, Text: "非煤全年工作总结"}); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveProvinceSummary(coalReviewer, &taotai.ProvinceSummary{Year: 2020, Sector: taotai.SectorCoal, Text: "煤矿全年工作总结"}); err != nil {
			t.Fatal(err)
		}
		all, err := db.AnnualSummary(admin, 2020)
		if err != nil {
			t.Fatal(err)
		}
		of := func(s *taotai.AnnualSummary, code, sector string) taotai.UnitFigures {
			for _, u := range s.Units {
				if u.Unit.Code == code && u.Sector == sector {
					return u
				}
			}
			t.Fatalf("no %s/%s", code, sector)
			return taotai.UnitFigures{}
		}
		tests := []struct {
			name     string
			ctx      context.Context
			units    []string // unit/sector of every row
			sectors  string
			province string // the province's texts seen
		}{
			{"鞍山's clerk", storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal), []string{"210300/noncoal"}, "noncoal", ""},
			{"阜新's partner, both channels", storetest.ActorContext(db, taotai.RolePartner, fuxin, ""), []string{"210900/noncoal", "210900/coal"}, "noncoal,coal", ""},
			{"阜新's coal clerk", storetest.ActorContext(db, taotai.RoleCityClerk, fuxin, taotai.SectorCoal), []string{"210900/coal"}, "coal", ""},
			{"a county's clerk", storetest.ActorContext(db, taotai.RoleCityClerk, tiedong, taotai.SectorNonCoal), nil, "", ""},
			{"the coal reviewer", coalReviewer, nil, "coal", "coal"},
			{"the administrator", admin, nil, "noncoal,coal", "noncoal,coal"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s, err := db.AnnualSummary(tt.ctx, 2020)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, u := range s.Units {
					got = append(got, u.Unit.Code+"/"+u.Sector)
					if whole := of(all, u.Unit.Code, u.Sector); whole.Figures != u.Figures || whole.Source != u.Source {
						t.Errorf("%s/%s differs from the province's view: %+v, %+v", u.Unit.Code, u.Sector, u.Figures, whole.Figures)
					}
				}
				if tt.units != nil && strings.Join(got, ",") != strings.Join(tt.units, ",") {
					t.Errorf("units %v, want %v", got, tt.units)
				}
				if strings.Join(s.Sectors, ",") != tt.sectors {
					t.Errorf("sectors %v, want %s", s.Sectors, tt.sectors)
				}
				for _, u := range s.Units {
					if !strings.Contains(tt.sectors, u.Sector) {
						t.Errorf("a row of the other channel: %s/%s", u.Unit.Code, u.Sector)
					}
				}
				for _, sub := range s.Texts {
					if !strings.Contains(strings.Join(got, ","), sub.RegionCode+"/"+sub.Sector) {
						t.Errorf("the work summary of %s/%s leaks", sub.RegionCode, sub.Sector)
					}
				}
				var prov []string
				for _, p := range s.Province {
					prov = append(prov, p.Sector)
				}
				if strings.Join(prov, ",") != tt.province {
					t.Errorf("the province's summaries %v, want %q", prov, tt.province)
				}
				var industries taotai.YearFigures
				for _, i := range s.Industries {
					industries.Add(i.Figures)
				}
				var units taotai.YearFigures
				for _, u := range s.Units {
					units.Add(u.Records)
				}
				if industries != units {
					t.Errorf("the industries count other enterprises than the units:\n%+v\n%+v", industries, units)
				}
			})
		}
		if got := len(all.Units); got != 22 {
			t.Errorf("the administrator sees %d rows", got)
		}
		coal, _ := db.AnnualSummary(coalReviewer, 2020)
		if len(coal.Units) != 7 {
			t.Errorf("the coal reviewer sees %d rows, want the 7 coal cities", len(coal.Units))
		}
	}
}

// TestSaveProvinceSummary: the province's own summary is kept and
// audited; the same text again writes nothing; a city, the other
// channel's reviewer, a province partner, an empty or too long text are
// refused in Chinese with nothing changed.
func TestSaveProvinceSummary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		reviewer := storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
		save := func(ctx context.Context, sector, text string) error {
			return db.SaveProvinceSummary(ctx, &taotai.ProvinceSummary{Year: 2020, Sector: sector, Text: text})
		}
		stored := func() string {
			var n int
			var texts string
			rows, err := db.SQL().Query(`SELECT sector, text FROM province_summaries ORDER BY sector`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var s, x string
				if err := rows.Scan(&s, &x); err != nil {
					t.Fatal(err)
				}
				n++
				texts += s + ":" + x + ";"
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			return texts
		}
		if err := save(reviewer, taotai.SectorNonCoal, "  第一稿  "); err != nil {
			t.Fatal(err)
		}
		before := auditCount(t, db)
		if err := save(reviewer, taotai.SectorNonCoal, "第一稿"); err != nil || auditCount(t, db) != before {
			t.Errorf("the same text again: %v, %d audit entries more", err, auditCount(t, db)-before)
		}
		if err := save(reviewer, taotai.SectorNonCoal, "第二稿"); err != nil || auditCount(t, db) != before+1 {
			t.Fatalf("second text: %v", err)
		}
		var entity, action, after, beforeJSON string
		if err := db.SQL().QueryRow(`SELECT entity, action, before, after FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&entity, &action, &beforeJSON, &after); err != nil {
			t.Fatal(err)
		}
		if entity != "province_summary" || action != taotai.AuditUpdate || !strings.Contains(beforeJSON, "第一稿") || !strings.Contains(after, "第二稿") {
			t.Errorf("audit entry: %s %s %s → %s", entity, action, beforeJSON, after)
		}
		want := stored()
		audit := auditCount(t, db)
		tests := []struct {
			name   string
			ctx    context.Context
			sector string
			text   string
			code   string
			msg    string
		}{
			{"a city", storetest.ActorContext(db, taotai.RoleCityApprover, anshan, taotai.SectorNonCoal), taotai.SectorNonCoal, "市里改写", taotai.ENOTFOUND, "省级工作总结由省里填写"},
			{"the coal reviewer on non-coal", storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorCoal),
				taotai.SectorNonCoal, "煤矿改写非煤", taotai.ENOTFOUND, "您只负责煤矿的工作"},
			{"a province partner", storetest.ActorContext(db, taotai.RolePartner, taotai.ProvinceCode, ""), taotai.SectorNonCoal, "协作部门改写",
				taotai.EFORBIDDEN, "不能填写省级工作总结"},
			{"empty", reviewer, taotai.SectorNonCoal, "   ", taotai.EINVALID, ""},
			{"too long", reviewer, taotai.SectorNonCoal, strings.Repeat("长", taotai.MaxProvinceSummaryLen+1), taotai.EINVALID, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := save(tt.ctx, tt.sector, tt.text)
				if taotai.ErrorCode(err) != tt.code || !strings.Contains(taotai.ErrorMessage(err), tt.msg) {
					t.Fatalf("want %s “%s”, got %v (%s)", tt.code, tt.msg, err, taotai.ErrorMessage(err))
				}
				if tt.code == taotai.EINVALID && fieldsOf(err)["text"] == "" {
					t.Errorf("no message beside the text: %v", fieldsOf(err))
				}
				if stored() != want || auditCount(t, db) != audit {
					t.Errorf("a refusal changed something: %q", stored())
				}
			})
		}
	})
}

func fieldsOf(err error) map[string]string {
	var e *taotai.Error
	if asError(err, &e) {
		return e.Fields
	}
	return nil
}
