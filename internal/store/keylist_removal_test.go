package store_test

import (
	"context"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestRemoveFromKeyList: a removal needs a reason, stays in the lane and
// the role, refuses an enterprise not listed, and the history keeps why
// and who.
func TestRemoveFromKeyList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		own := mustCreate(t, db, tiedong, "steel")
		far := mustCreate(t, db, haizhou, "steel")
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		for _, e := range []*taotai.Enterprise{own, far} {
			if err := db.SetKeyListed(admin, 2020, e.ID, true, "正常生产"); err != nil {
				t.Fatal(err)
			}
		}
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		partner := storetest.ActorContext(db, taotai.RolePartner, anshan, "")
		for _, tc := range []struct {
			name   string
			ctx    context.Context
			id     int64
			reason string
			want   string
		}{
			{"no reason", clerk, own.ID, "  ", taotai.EINVALID},
			{"another city's", clerk, far.ID, "已关闭", taotai.ENOTFOUND},
			{"a partner", partner, own.ID, "已关闭", taotai.EFORBIDDEN},
		} {
			if err := db.RemoveFromKeyList(tc.ctx, 2020, tc.id, tc.reason); taotai.ErrorCode(err) != tc.want {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
			}
		}
		if err := db.RemoveFromKeyList(clerk, 2020, own.ID, "经核实已于2019年关闭"); err != nil {
			t.Fatal(err)
		}
		if err := db.RemoveFromKeyList(clerk, 2020, own.ID, "再次移出"); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Errorf("removed twice: %v", err)
		}
		list, err := db.KeyList(admin, 2020, "")
		if err != nil || len(list) != 1 || list[0].Enterprise.ID != far.ID {
			t.Fatalf("key list after the removal: %d entries, %v", len(list), err)
		}
		historyAlike(t, db, clerk, own.ID)
		tl, err := db.Timeline(clerk, own.ID)
		if err != nil || len(tl) == 0 {
			t.Fatalf("timeline: %v", err)
		}
		if !strings.Contains(tl[0].Title, "移出2020年度") || !strings.Contains(tl[0].Text, "经核实已于2019年关闭") {
			t.Errorf("newest history item: %+v", tl[0])
		}
	})
}
