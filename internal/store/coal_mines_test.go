package store_test

import (
	"context"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestCoalMineList: 阜新 (a coal-producing city) lists its coal mine; a
// non-coal enterprise, a mine of a city that mines no coal, a second entry
// of the mine, an inspector and a bad entry are refused, nothing kept;
// the non-coal channel and another city do not see the list; an update
// with a stale version conflicts; every write is audited.
func TestCoalMineList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		newEnforcement(t, db) // the clock on 2020-06-10
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, fuxin, taotai.SectorCoal)
		noncoal := storetest.ActorContext(db, taotai.RoleCityClerk, fuxin, taotai.SectorNonCoal)
		inspector := storetest.ActorContext(db, taotai.RoleInspector, haizhou, taotai.SectorCoal)
		anshanCoal := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorCoal)
		provinceCoal := storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorCoal)
		mine := mustCreate(t, db, haizhou, "coal")
		glass := mustCreate(t, db, haizhou, "glass")
		anshanMine := mustCreate(t, db, tiedong, "coal")
		entry := func(id int64) *taotai.CoalMineEntry {
			return &taotai.CoalMineEntry{Year: 2020, EnterpriseID: id, Conditions: "未按规定建立瓦斯抽采系统", Measure: "责令停产整顿",
				State: taotai.CoalSuspended}
		}
		cands, err := db.CoalMineCandidates(clerk, 2020)
		if err != nil || len(cands) != 1 || cands[0].ID != mine.ID {
			t.Fatalf("candidates: %v %v", cands, err)
		}
		for name, tc := range map[string]struct {
			ctx  context.Context
			e    *taotai.CoalMineEntry
			code string
		}{
			"a glass works":      {clerk, entry(glass.ID), taotai.ENOTFOUND}, // outside the coal lane
			"鞍山 mines no coal":   {anshanCoal, entry(anshanMine.ID), taotai.EINVALID},
			"an inspector":       {inspector, entry(mine.ID), taotai.EFORBIDDEN},
			"the non-coal clerk": {noncoal, entry(mine.ID), taotai.ENOTFOUND},
			"no measure":         {clerk, &taotai.CoalMineEntry{Year: 2020, EnterpriseID: mine.ID, Conditions: "x", State: taotai.CoalClosed}, taotai.EINVALID},
			"a year not run":     {clerk, &taotai.CoalMineEntry{Year: 2031, EnterpriseID: mine.ID, Conditions: "x", Measure: "y", State: taotai.CoalClosed}, taotai.ENOTFOUND},
		} {
			c := tc.e
			if err := db.AddCoalMineEntry(tc.ctx, c); taotai.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", name, err, tc.code)
			}
		}
		if err := db.AddCoalMineEntry(admin, entry(glass.ID)); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Errorf("the administrator lists a glass works: %v", err)
		}
		if l, _ := db.CoalMineEntries(admin, 2020, ""); len(l) != 0 {
			t.Fatalf("refused entries kept: %v", l)
		}
		c := entry(mine.ID)
		if err := db.AddCoalMineEntry(clerk, c); err != nil {
			t.Fatal(err)
		}
		if err := db.AddCoalMineEntry(clerk, entry(mine.ID)); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("listed twice: %v", err)
		}
		for name, ctx := range map[string]context.Context{"鞍山": anshanCoal, "non-coal": noncoal} {
			if l, err := db.CoalMineEntries(ctx, 2020, ""); len(l) != 0 {
				t.Errorf("%s sees the list: %v %v", name, l, err)
			}
			if _, err := db.FindCoalMineEntry(ctx, c.ID); taotai.ErrorCode(err) != taotai.ENOTFOUND {
				t.Errorf("%s reads the entry: %v", name, err)
			}
		}
		l, err := db.CoalMineEntries(provinceCoal, 2020, "")
		if err != nil || len(l) != 1 || l[0].EnterpriseName != mine.Name || l[0].CityName != "阜新市" || l[0].State != taotai.CoalSuspended {
			t.Fatalf("the province's list: %+v %v", l, err)
		}
		got, _ := db.FindCoalMineEntry(clerk, c.ID)
		got.State, got.Measure = taotai.CoalClosed, "报请市政府关闭"
		if err := db.UpdateCoalMineEntry(clerk, got); err != nil || got.Version != 2 {
			t.Fatalf("update: %v", err)
		}
		stale := *got
		stale.Version = 1
		if err := db.UpdateCoalMineEntry(clerk, &stale); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("stale update: %v", err)
		}
		if err := db.UpdateCoalMineEntry(inspector, got); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Fatalf("an inspector updates: %v", err)
		}
		if cands, _ := db.CoalMineCandidates(clerk, 2020); len(cands) != 0 {
			t.Fatalf("a listed mine is offered again: %v", cands)
		}
		_, n, err := db.FindAudit(admin, taotai.AuditFilter{Entity: "coal_mine_entry", Limit: 10})
		if err != nil || n != 2 {
			t.Fatalf("audit: %d entries, want 2 (added, updated): %v", n, err)
		}
	})
}
