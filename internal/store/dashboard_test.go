package store_test

import (
	"context"
	"testing"

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
