package store_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/demo"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestHistoryAsRecords: the enterprise page's History reads each kind of
// record of one enterprise without joining the enterprise again
// (timeline.go); what it gives equals what each kind's own read gives —
// the stop orders, the acceptances (with the enterprise's name and
// region), and on the timeline the inspections with their hazard counts
// and the penalty notices — on the demo's year, for the province and for
// 鞍山's non-coal clerk, on both databases.
func TestHistoryAsRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if _, err := demo.Load(context.Background(), db, demo.Options{Scale: 1, Seed: 11, Reporting: true}); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		rows, err := db.SQL().Query(`SELECT enterprise_id FROM penalty_notices
			UNION SELECT enterprise_id FROM (SELECT enterprise_id FROM hazards WHERE level = 'major' ORDER BY id LIMIT 30) m`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		slices.Sort(ids)
		seen := map[string]int{}
		for _, who := range []context.Context{
			storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, ""),
			storetest.ActorContext(db, taotai.RoleCityClerk, "210300", taotai.SectorNonCoal),
		} {
			for _, id := range ids {
				for kind, n := range checkHistoryAsRecords(t, db, who, id) {
					seen[kind] += n
				}
			}
		}
		for _, kind := range []string{"notices", "major hazards"} { // stops and acceptances: TestStopProduction, TestAcceptanceOfAClosedCard
			if seen[kind] == 0 {
				t.Errorf("the demo gave no %s to compare (%v)", kind, seen)
			}
		}
	})
}

// checkHistoryAsRecords compares an enterprise's History with each kind's
// own read (TestHistoryAsRecords) and returns how many of each kind it
// compared; an enterprise outside the actor's lane must be ENOTFOUND to
// both.
func checkHistoryAsRecords(t *testing.T, db *store.DB, who context.Context, id int64) map[string]int {
	t.Helper()
	hist, err := db.History(who, id)
	if _, ferr := db.FindEnterprise(who, id); ferr != nil {
		if taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("enterprise %d outside the lane: History %v, FindEnterprise %v", id, err, ferr)
		}
		return nil
	} else if err != nil {
		t.Fatal(err)
	}
	stops, err := db.ProductionStops(who, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(stops) != len(hist.Stops) || (len(stops) > 0 && !reflect.DeepEqual(stops, hist.Stops)) {
		t.Errorf("enterprise %d: stops %v, History %v", id, stops, hist.Stops)
	}
	accs, _, err := db.ListAcceptances(who, store.AcceptanceFilter{EnterpriseID: id, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]*taotai.Acceptance{}
	for _, a := range accs {
		byID[a.ID] = a
	}
	if len(accs) != len(hist.Acceptances) {
		t.Errorf("enterprise %d: %d acceptances, History %d", id, len(accs), len(hist.Acceptances))
	}
	for _, a := range hist.Acceptances {
		if !reflect.DeepEqual(a, byID[a.ID]) {
			t.Errorf("enterprise %d: acceptance %+v, History %+v", id, byID[a.ID], a)
		}
	}
	ins, _, err := db.FindInspections(who, store.InspectionFilter{EnterpriseID: id, Limit: 500, NoTotal: true})
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, in := range ins {
		want = append(want, fmt.Sprintf("/inspections/%d %s；执法人员%d人次，专家%d人次；发现问题和隐患%d项（重大%d项）",
			in.ID, in.AgencyName, in.InspectorCount, in.ExpertCount, in.Hazards, in.MajorHazards))
	}
	notices, err := db.PenaltyNotices(who, id)
	if err != nil {
		t.Fatal(err)
	}
	var wantNotices, gotNotices []string
	for _, n := range notices {
		wantNotices = append(wantNotices, fmt.Sprintf("/inspections/%d %s", n.InspectionID, n.Number))
	}
	for _, it := range hist.Timeline {
		switch {
		case it.Kind == "inspection":
			got = append(got, it.Link+" "+it.Text)
		case it.Title == "行政处罚告知书":
			number, _, _ := strings.Cut(it.Text, "，")
			gotNotices = append(gotNotices, it.Link+" "+number)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	slices.Sort(wantNotices)
	slices.Sort(gotNotices)
	if !slices.Equal(want, got) || !slices.Equal(wantNotices, gotNotices) {
		t.Errorf("enterprise %d: inspections %v\nHistory %v\nnotices %v\nHistory %v", id, want, got, wantNotices, gotNotices)
	}
	seen := map[string]int{"stops": len(stops), "acceptances": len(accs), "notices": len(notices)}
	for _, in := range ins {
		seen["major hazards"] += in.MajorHazards
	}
	return seen
}
