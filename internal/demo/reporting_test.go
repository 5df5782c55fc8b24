package demo

import (
	"context"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestReportingHistory loads the demo after the campaign year and reads
// the 2020 grids: every state of the reporting year shows — accepted on
// time and late, on time and late awaiting review, missing, returned, a
// report returned and accepted as its second version, and a zero report.
func TestReportingHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db.Clock().(*taotai.FixedClock).T = afterCampaign
		ctx := context.Background()
		if _, err := Load(ctx, db, Options{Scale: 1, Seed: 2020, Reporting: true}); err != nil {
			t.Fatal(err)
		}
		sys := taotai.NewContextWithActor(ctx, taotai.System)
		g, err := db.ReportGrid(sys, KeyYear, taotai.SectorNonCoal)
		if err != nil {
			t.Fatal(err)
		}
		cell := func(g *taotai.ReportGrid, unit, period string) taotai.ReportStatus {
			t.Helper()
			for i, u := range g.Units {
				for j, p := range g.Periods {
					if u.Code == unit && p.Key == period {
						return g.Cells[i][j]
					}
				}
			}
			t.Fatalf("no cell %s %s", unit, period)
			return taotai.ReportStatus{}
		}
		states := map[string]int{}
		for i := range g.Units {
			for j := range g.Periods {
				states[g.Cells[i][j].State]++
			}
		}
		for _, s := range []string{taotai.ReportAccepted, taotai.ReportOnTime, taotai.ReportLate, taotai.ReportMissing, taotai.ReportReturned} {
			if states[s] == 0 {
				t.Errorf("no %s report on the non-coal grid: %v", s, states)
			}
		}
		if states[taotai.ReportNotDue] != 0 {
			t.Errorf("after the year, %d reports not due", states[taotai.ReportNotDue])
		}
		// Most on time; the exceptions are the named ones.
		if r := g.Total; r.Expected != 90 || r.Actual != 89 || r.OnTime != 86 || r.OnTimeRate() < 90 {
			t.Errorf("non-coal rates %+v", r)
		}
		checks := []struct {
			unit, period, state string
			late, version       int
		}{
			{"210300", "2020-05", taotai.ReportAccepted, 0, 1},
			{"210500", "2020-06", taotai.ReportAccepted, 1, 1},         // late a day, accepted
			{"210300", "2020-06", taotai.ReportAccepted, 0, 2},         // returned, sent again, accepted
			{"211200", "2020-07", taotai.ReportMissing, 2314, 0},       // 铁岭 missed July
			{"210100", "2020", taotai.ReportOnTime, 0, 1},              // awaiting review
			{"211000", "2020", taotai.ReportLate, 1, 1},                // late, awaiting review
			{"211400", "2020", taotai.ReportReturned, 0, 1},            // returned, not yet sent again
			{store.ShenfuCode, "2020-08", taotai.ReportAccepted, 0, 1}, // the zero report
		}
		for _, c := range checks {
			if got := cell(g, c.unit, c.period); got.State != c.state || got.LateDays != c.late || got.Version != c.version {
				t.Errorf("%s %s: %s late %d v%d, want %s late %d v%d", c.unit, c.period, got.State, got.LateDays, got.Version,
					c.state, c.late, c.version)
			}
		}
		subs, err := db.Submissions(sys, "2020-06", "210300", taotai.SectorNonCoal)
		if err != nil || len(subs) != 2 || subs[0].State != taotai.SubmissionReturned || subs[0].ReviewNote != returnReason ||
			subs[1].State != taotai.SubmissionAccepted || subs[0].PreparedBy != "ansh_clerk" || subs[0].SubmittedBy != "ansh_approver" {
			t.Errorf("鞍山's June: %+v %v", subs, err)
		}
		zero, err := db.Submissions(sys, "2020-08", store.ShenfuCode, taotai.SectorNonCoal)
		if err != nil || len(zero) != 1 || !zero[0].Zero {
			t.Errorf("沈抚新区's August is no zero report: %+v %v", zero, err)
		}
		var zeros int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM report_submissions WHERE zero`).Scan(&zeros); err != nil || zeros != 1 {
			t.Errorf("%d zero reports (%v), want the one", zeros, err)
		}
		cg, err := db.ReportGrid(sys, KeyYear, taotai.SectorCoal)
		if err != nil {
			t.Fatal(err)
		}
		if c := cell(cg, "211300", "2020-07"); c.State != taotai.ReportAccepted || c.OnTime || c.LateDays != 3 {
			t.Errorf("朝阳's coal July: %+v", c)
		}
		storetest.CheckLanes(t, db)
	})
}

// TestReportingHistoryDuringTheYear: on 10 May 2020 nothing after that
// instant has happened: no report is due yet, some units have sent (and
// been accepted) early.
func TestReportingHistoryDuringTheYear(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	if _, err := Load(ctx, db, Options{Scale: 1, Seed: 2020, Reporting: true}); err != nil {
		t.Fatal(err)
	}
	g, err := db.ReportGrid(taotai.NewContextWithActor(ctx, taotai.System), KeyYear, taotai.SectorNonCoal)
	if err != nil {
		t.Fatal(err)
	}
	now := db.Clock().Now()
	var sent int
	for i := range g.Units {
		for j := range g.Periods {
			c := g.Cells[i][j]
			if c.State != taotai.ReportNotDue && c.State != taotai.ReportOnTime && c.State != taotai.ReportAccepted {
				t.Errorf("%s %s on 10 May: %s", g.Units[i].Name, g.Periods[j].Key, c.State)
			}
			if c.Submitted {
				sent++
				if c.FirstAt.After(now) {
					t.Errorf("sent after now: %v", c.FirstAt)
				}
			}
		}
	}
	if sent == 0 || sent >= 15 {
		t.Errorf("%d units sent the first report by 10 May 10:00", sent)
	}
}
