package store_test

import (
	"reflect"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestRequestMemo: within a request a campaign year (an enterprise) is read once; what a
// caller does to its copy does not reach the next; a write of the request
// (a deadline moved) is seen by its next read, and a write by another
// request is seen by the next request.
func TestRequestMemo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		day := func(s string) time.Time { d, _ := time.ParseInLocation(time.DateOnly, s, taotai.Shanghai); return d }
		due := func(c *taotai.CampaignYear, key string) string {
			for _, d := range c.Deadlines {
				if d.Key == key {
					return d.Due.Format(time.DateOnly)
				}
			}
			return ""
		}
		req := store.WithRequestMemo(admin)
		first, err := db.FindCampaignYear(req, 2020)
		if err != nil {
			t.Fatal(err)
		}
		was := due(first, taotai.DeadlineFirstReport)
		if was == "" {
			t.Fatal("2020 has no first report deadline")
		}
		first.Deadlines[0].Due = day("1999-01-01")
		first.Title = "changed by a caller"
		again, err := db.FindCampaignYear(req, 2020)
		if err != nil {
			t.Fatal(err)
		}
		if again.Title == first.Title || again.Deadlines[0].Due.Year() == 1999 {
			t.Fatalf("a caller's change reached the memo: %q %v", again.Title, again.Deadlines[0].Due)
		}

		// Another request moves the deadline: this request keeps what it
		// read (one request, one view); the next request sees the move.
		if err := db.UpdateDeadline(admin, 2020, taotai.DeadlineFirstReport, time.Time{}, day("2020-05-13"), time.Time{}, ""); err != nil {
			t.Fatal(err)
		}
		if c, _ := db.FindCampaignYear(req, 2020); due(c, taotai.DeadlineFirstReport) != was {
			t.Fatalf("within the request: %s, want the %s it read", due(c, taotai.DeadlineFirstReport), was)
		}
		next := store.WithRequestMemo(admin)
		if c, _ := db.FindCampaignYear(next, 2020); due(c, taotai.DeadlineFirstReport) != "2020-05-13" {
			t.Fatalf("the next request: %s, want 2020-05-13", due(c, taotai.DeadlineFirstReport))
		}
		// An enterprise: found once per request; a rename by another
		// request is seen by the next one; the request's own, at once.
		e := &taotai.Enterprise{Name: "备忘测试企业", CreditCode: newCode(), Address: "某路1号", RegionCode: tiedong,
			IndustryID: industryID(t, db, "steel"), ProductionState: taotai.StateNormal}
		if err := db.CreateEnterprise(admin, e, false); err != nil {
			t.Fatal(err)
		}
		page := store.WithRequestMemo(admin)
		if got, err := db.FindEnterprise(page, e.ID); err != nil || got.Name != e.Name {
			t.Fatalf("find: %v %v", got, err)
		}
		renamed := *e
		renamed.Name = "备忘测试企业（改名）"
		upd, err := db.UpdateEnterprise(admin, &renamed, false)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := db.FindEnterprise(page, e.ID); got.Name != e.Name {
			t.Fatalf("within the request: %q, want the %q it read", got.Name, e.Name)
		}
		if got, _ := db.FindEnterprise(store.WithRequestMemo(admin), e.ID); got.Name != renamed.Name {
			t.Fatalf("the next request: %q, want %q", got.Name, renamed.Name)
		}
		re := *upd
		re.Name = "备忘测试企业（再改名）"
		if _, err := db.UpdateEnterprise(page, &re, false); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.FindEnterprise(page, e.ID); got.Name != re.Name {
			t.Fatalf("after the request's own rename: %q, want %q", got.Name, re.Name)
		}
		clerk := store.WithRequestMemo(storetest.ActorContext(db, taotai.RoleCityClerk, "210200", taotai.SectorNonCoal))
		if _, err := db.FindEnterprise(clerk, e.ID); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("another city's clerk: %v, want ENOTFOUND", err)
		}

		// The request's own write is seen by its next read.
		if err := db.UpdateDeadline(next, 2020, taotai.DeadlineFirstReport, time.Time{}, day("2020-05-14"), time.Time{}, ""); err != nil {
			t.Fatal(err)
		}
		if c, _ := db.FindCampaignYear(next, 2020); due(c, taotai.DeadlineFirstReport) != "2020-05-14" {
			t.Fatalf("after the request's own write: %s, want 2020-05-14", due(c, taotai.DeadlineFirstReport))
		}
	})
}

// TestRequestMemoRegions: within a request the regions are read once and
// answer every question about them as the statements did (a region, its
// children, whether it has any, the whole tree, an unknown code); a
// caller's change to what it is given does not reach the next; the
// request's own write (a city marked coal-producing) is seen by its next
// read.
func TestRequestMemoRegions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		req := store.WithRequestMemo(admin)
		all, err := db.Regions(admin)
		if err != nil {
			t.Fatal(err)
		}
		memoAll, err := db.Regions(req)
		if err != nil || !reflect.DeepEqual(all, memoAll) || len(all) < 100 {
			t.Fatalf("the tree through the memo: %d regions against %d, %v", len(memoAll), len(all), err)
		}
		for _, r := range all {
			got, err := db.FindRegion(req, r.Code)
			if err != nil || *got != *r {
				t.Fatalf("region %s through the memo: %+v %v", r.Code, got, err)
			}
			kids, err := store.ChildRegions(admin, db, r.Code)
			if err != nil {
				t.Fatal(err)
			}
			memoKids, err := store.ChildRegions(req, db, r.Code)
			if err != nil || !reflect.DeepEqual(kids, memoKids) {
				t.Fatalf("children of %s through the memo: %v against %v (%v)", r.Code, memoKids, kids, err)
			}
		}
		if _, err := db.FindRegion(req, "999999"); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("an unknown code through the memo: %v", err)
		}
		got, _ := db.FindRegion(req, "210300")
		got.Name = "changed by a caller"
		if again, _ := db.FindRegion(req, "210300"); again.Name != "鞍山市" {
			t.Fatalf("a caller's change reached the memo: %q", again.Name)
		}
		before, _ := db.FindRegion(req, "210300")
		if err := db.SetCoalProducing(req, "210300", !before.CoalProducing); err != nil {
			t.Fatal(err)
		}
		if after, _ := db.FindRegion(req, "210300"); after.CoalProducing == before.CoalProducing {
			t.Fatal("the request's own write is not seen by its next read")
		}
	})
}
