package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestLaneFollowsEnterprise moves an enterprise with every kind of record
// to another city, then to the coal sector: each time the old lane no
// longer finds any of its records, the new lane finds them all, and the
// move is audited with the lanes before and after.
func TestLaneFollowsEnterprise(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		in := f.inspection("2020-06-09")
		h := &taotai.Hazard{Description: "煤气区域未设置报警装置", Level: taotai.HazardMajor, CriterionID: f.criterion, Deadline: day("2020-06-30")}
		if err := db.RecordInspection(f.inspector, in, []*taotai.Hazard{h}); err != nil {
			t.Fatal(err)
		}
		doc := &taotai.Document{InspectionID: in.ID, Kind: taotai.DocRectOrder, IssuedOn: day("2020-06-09")}
		if err := db.IssueDocument(f.inspector, doc); err != nil {
			t.Fatal(err)
		}
		f.clock.T = day("2020-07-02").Add(9 * 60 * 60 * 1e9)
		card, _, err := db.FindCard(f.approver, f.e.ID, 2020)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.TransitionCard(f.approver, f.e.ID, 2020, card.Version, taotai.CardTransition{To: taotai.CardRed,
			Reason: taotai.ReasonOverdue, Why: "逾期未整改"}, []store.Attachment{{Filename: "现场.jpg", ContentType: "image/jpeg", Data: []byte("jpeg")}}); err != nil {
			t.Fatal(err)
		}
		_, events, _ := db.FindCard(f.approver, f.e.ID, 2020)
		attachment := events[len(events)-1].Files[0].ID
		// An offline city's imported 附件2 row of the enterprise.
		if _, err := db.SQL().Exec(`INSERT INTO reported_form2 (enterprise_id, period, year, region_path, sector, inspections,
			inspector_times, expert_times, hazards, major_hazards, orders, penalties, fines, note, imported_at)
			VALUES ($1, '2020-06', 2020, $2, $3, 1, 2, 0, 0, 0, 0, 0, 0, '', $4)`, f.e.ID, f.e.RegionPath, f.e.Sector, day("2020-06-25")); err != nil {
			t.Fatal(err)
		}

		// reads reports which of the enterprise's records the actor finds.
		reads := func(ctx context.Context) []string {
			var found []string
			if _, err := db.FindEnterprise(ctx, f.e.ID); err == nil {
				found = append(found, "enterprise")
			}
			if _, _, _, err := db.FindInspection(ctx, in.ID); err == nil {
				found = append(found, "inspection")
			}
			if _, _, err := db.FindHazard(ctx, h.ID); err == nil {
				found = append(found, "hazard")
			}
			if c, _, err := db.FindCard(ctx, f.e.ID, 2020); err == nil && c.State == taotai.CardRed {
				found = append(found, "card")
			}
			if _, err := db.Attachment(ctx, attachment); err == nil {
				found = append(found, "attachment")
			}
			return found
		}
		all := []string{"enterprise", "inspection", "hazard", "card", "attachment"}
		fuxinClerk := storetest.ActorContext(db, taotai.RoleCityClerk, fuxin, taotai.SectorNonCoal)
		fuxinCoal := storetest.ActorContext(db, taotai.RoleCityClerk, fuxin, taotai.SectorCoal)
		if got := reads(f.approver); !slices.Equal(got, all) {
			t.Fatalf("before the move 鞍山 finds %v", got)
		}
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		move := func(region, industry string) {
			t.Helper()
			e, err := db.FindEnterprise(admin, f.e.ID)
			if err != nil {
				t.Fatal(err)
			}
			e.RegionCode, e.IndustryID = region, industryID(t, db, industry)
			if f.e, err = db.UpdateEnterprise(admin, e, false); err != nil {
				t.Fatal(err)
			}
			storetest.CheckLanes(t, db)
		}

		move(haizhou, "steel")
		for name, ctx := range map[string]context.Context{"鞍山 inspector": f.inspector, "鞍山 approver": f.approver, "阜新 coal": fuxinCoal} {
			if got := reads(ctx); len(got) > 0 {
				t.Errorf("after the move to 阜新, %s still finds %v", name, got)
			}
		}
		if got := reads(fuxinClerk); !slices.Equal(got, all) {
			t.Errorf("after the move to 阜新, 阜新 finds %v, want %v", got, all)
		}
		if err := db.IssueDocument(f.inspector, &taotai.Document{InspectionID: in.ID, Kind: taotai.DocRectOrder, IssuedOn: day("2020-07-02")}); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Errorf("the old county issues a document on a moved enterprise's inspection: %v", err)
		}

		move(haizhou, "coal")
		if got := reads(fuxinClerk); len(got) > 0 {
			t.Errorf("after the move to coal, 阜新 non-coal still finds %v", got)
		}
		if got := reads(fuxinCoal); !slices.Equal(got, all) {
			t.Errorf("after the move to coal, 阜新 coal finds %v, want %v", got, all)
		}

		moves := auditEntries(t, db, taotai.AuditFilter{Entity: "enterprise", EntityID: fmt.Sprint(f.e.ID), Action: taotai.AuditMove})
		if len(moves) != 2 {
			t.Fatalf("%d move entries, want 2", len(moves))
		}
		var before, after map[string]string
		json.Unmarshal([]byte(moves[0].Before), &before)
		json.Unmarshal([]byte(moves[0].After), &after)
		if before["sector"] != taotai.SectorNonCoal || after["sector"] != taotai.SectorCoal || after["region_code"] != haizhou ||
			moves[0].Sector != taotai.SectorNonCoal {
			t.Errorf("the move to coal is recorded as %s → %s in %s", moves[0].Before, moves[0].After, moves[0].Sector)
		}
		json.Unmarshal([]byte(moves[1].Before), &before)
		json.Unmarshal([]byte(moves[1].After), &after)
		if before["region_code"] != tiedong || after["region_path"] != "/210000/210900/210902/" || moves[1].RegionPath != "/210000/210300/210302/" {
			t.Errorf("the move to 阜新 is recorded as %s → %s in %s", moves[1].Before, moves[1].After, moves[1].RegionPath)
		}
	})
}

// TestLaneMismatchesFindsAStaleCopy: the invariant check itself fails on
// a row left in another lane.
func TestLaneMismatchesFindsAStaleCopy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		in := f.inspection("2020-06-09")
		if err := db.RecordInspection(f.inspector, in, []*taotai.Hazard{{Description: "隐患", Level: taotai.HazardGeneral, Deadline: day("2020-06-30")}}); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if bad, err := db.LaneMismatches(ctx); err != nil || len(bad) != 0 {
			t.Fatalf("fresh records: %v %v", bad, err)
		}
		if _, err := db.SQL().Exec(`UPDATE hazards SET sector = 'coal' WHERE inspection_id = $1`, in.ID); err != nil {
			t.Fatal(err)
		}
		// The copy is reported, and so are the day and month tables'
		// counts of the hazard, and its city's (migration 00036), which
		// follow the enterprise's lane, not the copy.
		bad, err := db.LaneMismatches(ctx)
		if err != nil || len(bad) != 7 || !strings.HasPrefix(bad[0], "hazards row of enterprise") || !strings.HasPrefix(bad[1], "hazard_days: kept row") ||
			!strings.HasPrefix(bad[3], "hazard_months: kept row") || !strings.HasPrefix(bad[5], "hazard_city_months: kept row 2020-06 /210000/210300/ noncoal") {
			t.Fatalf("a hazard in the coal lane of a steel works: %v %v", bad, err)
		}
		db.SQL().Exec(`UPDATE hazards SET sector = 'noncoal' WHERE inspection_id = $1`, in.ID)
	})
}

// TestAuditScopedToLane: an auditor sees the trail of their own region
// subtree and sector; accounts belong to their region; entries without a
// region are the province's.
func TestAuditScopedToLane(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		steel := mustCreate(t, db, tiedong, "steel")
		coal := mustCreate(t, db, tiedong, "coal")
		far := mustCreate(t, db, haizhou, "steel")
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		if err := db.CreateUser(admin, &taotai.User{Username: "fx_clerk", Role: taotai.RoleCityClerk, RegionCode: fuxin,
			Sector: taotai.SectorNonCoal}, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateIndustry(admin, &taotai.Industry{Key: "coke", Name: "焦化", Sector: taotai.SectorNonCoal}); err != nil {
			t.Fatal(err)
		}
		db.Authenticate(context.Background(), "=HYPERLINK(\"x\")", "wrong password")
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, fuxin, taotai.SectorNonCoal)
		if err := db.RecordEvent(clerk, taotai.AuditExport, "form", 2, "附件2"); err != nil {
			t.Fatal(err)
		}

		sees := func(region, sector string) map[string]bool {
			t.Helper()
			list, total, err := db.FindAudit(storetest.ActorContext(db, taotai.RoleAuditor, region, sector), taotai.AuditFilter{Limit: 1000})
			if err != nil || total != len(list) {
				t.Fatal(err, total, len(list))
			}
			got := map[string]bool{}
			for _, e := range list {
				switch {
				case e.Entity == "enterprise" && e.EntityID == fmt.Sprint(steel.ID):
					got["鞍山钢铁"] = true
				case e.Entity == "enterprise" && e.EntityID == fmt.Sprint(coal.ID):
					got["鞍山煤矿"] = true
				case e.Entity == "enterprise" && e.EntityID == fmt.Sprint(far.ID):
					got["阜新钢铁"] = true
				case e.Entity == "user" && e.Action == taotai.AuditCreate:
					got["阜新账号"] = true
				case e.Entity == "industry":
					got["行业"] = true
				case e.Action == taotai.AuditLoginFailed:
					got["未知用户登录"] = true
				case e.Action == taotai.AuditExport:
					got["阜新导出"] = true
				default:
					t.Errorf("unexpected entry %+v", e)
				}
			}
			return got
		}
		for _, c := range []struct {
			region, sector string
			want           []string
		}{
			{taotai.ProvinceCode, "", []string{"鞍山钢铁", "鞍山煤矿", "阜新钢铁", "阜新账号", "行业", "未知用户登录", "阜新导出"}},
			// An account is in its sector's lane, as its administrators see
			// it: 阜新's non-coal clerk is not the coal auditors'.
			{taotai.ProvinceCode, taotai.SectorCoal, []string{"鞍山煤矿", "行业", "未知用户登录"}},
			{anshan, "", []string{"鞍山钢铁", "鞍山煤矿"}},
			{anshan, taotai.SectorNonCoal, []string{"鞍山钢铁"}},
			{fuxin, "", []string{"阜新钢铁", "阜新账号", "阜新导出"}},
			{fuxin, taotai.SectorCoal, nil},
		} {
			got := sees(c.region, c.sector)
			var names []string
			for n := range got {
				names = append(names, n)
			}
			slices.Sort(names)
			want := slices.Sorted(slices.Values(c.want))
			if !slices.Equal(names, want) {
				t.Errorf("auditor of %s/%s sees %v, want %v", c.region, c.sector, names, want)
			}
		}
		if _, br, err := db.VerifyAudit(context.Background()); err != nil || br != nil {
			t.Fatalf("verify with sectors in the chain: %v %v", br, err)
		}
	})
}
