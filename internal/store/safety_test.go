package store_test

import (
	"context"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestEnterpriseSafety: a city clerk records an enterprise's grade and
// dual prevention; a bad record, a stale version, an inspector and
// another city are refused, nothing changed; every save is audited with
// the values before and after.
func TestEnterpriseSafety(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		r, err := db.FindSafety(clerk, f.e.ID)
		if err != nil || r.Version != 0 || r.Grade != taotai.GradeNone {
			t.Fatalf("never recorded: %+v %v", r, err)
		}
		if _, err := db.FindSafety(f.other, f.e.ID); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("阜新 reads it: %v", err)
		}
		good := &taotai.SafetyRecord{EnterpriseID: f.e.ID, Grade: taotai.GradeLevel2, GradedOn: day("2019-11-02"), DualPrevention: true}
		for name, tc := range map[string]struct {
			ctx  context.Context
			r    taotai.SafetyRecord
			code string
		}{
			"no date":      {clerk, taotai.SafetyRecord{EnterpriseID: f.e.ID, Grade: taotai.GradeLevel1}, taotai.EINVALID},
			"stale":        {clerk, taotai.SafetyRecord{EnterpriseID: f.e.ID, Version: 3}, taotai.ECONFLICT},
			"an inspector": {f.inspector, *good, taotai.EFORBIDDEN},
			"another city": {f.other, *good, taotai.ENOTFOUND},
		} {
			r := tc.r
			if err := db.SaveSafety(tc.ctx, &r); taotai.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", name, err, tc.code)
			}
		}
		if r, _ := db.FindSafety(clerk, f.e.ID); r.Version != 0 {
			t.Fatalf("refused saves changed it: %+v", r)
		}
		if err := db.SaveSafety(clerk, good); err != nil || good.Version != 1 {
			t.Fatalf("save: %v %d", err, good.Version)
		}
		got, _ := db.FindSafety(f.inspector, f.e.ID)
		if got.Grade != taotai.GradeLevel2 || got.GradedOn.Format("2006-01-02") != "2019-11-02" || !got.DualPrevention ||
			got.UpdatedBy != "city_clerk@"+anshan || got.Version != 1 {
			t.Fatalf("read back: %+v", got)
		}
		got.Grade, got.GradedOn = taotai.GradeLevel1, day("2020-06-01")
		if err := db.SaveSafety(clerk, got); err != nil || got.Version != 2 {
			t.Fatalf("second save: %v", err)
		}
		entries, n, err := db.FindAudit(admin, taotai.AuditFilter{Entity: "enterprise_safety", Limit: 10})
		if err != nil || n != 2 {
			t.Fatalf("audit: %d %v", n, err)
		}
		if entries[0].Before == "" || entries[0].After == "" {
			t.Errorf("the second save's entry lacks before/after: %+v", entries[0])
		}
	})
}
