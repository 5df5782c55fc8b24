package store_test

import (
	"context"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

func TestConfiguration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		day := func(s string) time.Time { d, _ := time.ParseInLocation(time.DateOnly, s, taotai.Shanghai); return d }

		if err := db.SetCoalProducing(clerk, anshan, true); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Fatalf("clerk sets coal city: %v", err)
		}
		if err := db.SetCoalProducing(admin, tiedong, true); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("county as coal city: %v", err)
		}
		if err := db.SetCoalProducing(admin, anshan, true); err != nil {
			t.Fatal(err)
		}
		if r, _ := db.FindRegion(admin, anshan); !r.CoalProducing {
			t.Fatal("鞍山 not coal-producing after the change")
		}

		if err := db.UpdateDeadline(admin, 2020, "first_report", time.Time{}, day("2020-05-12"), time.Time{}, "2020-05-11"); err != nil {
			t.Fatal(err)
		}
		if err := db.UpdateDeadline(admin, 2020, "pushout", day("2020-06-01"), day("2020-05-01"), time.Time{}, ""); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("due before start: %v", err)
		}
		if err := db.UpdateDeadline(clerk, 2020, "first_report", time.Time{}, day("2020-05-13"), time.Time{}, ""); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Fatalf("clerk edits deadline: %v", err)
		}
		if err := db.UpdateDeadline(admin, 2020, "first_report", time.Time{}, day("2020-05-14"), time.Time{}, "2020-05-11"); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("stale deadline edit: %v", err)
		}
		if err := db.CreateCampaignYear(admin, 2021, 2020, ""); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateCampaignYear(admin, 2021, 2020, ""); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("second 2021: %v", err)
		}
		y, err := db.FindCampaignYear(admin, 2021)
		if err != nil {
			t.Fatal(err)
		}
		due := map[string]string{}
		for _, d := range y.Deadlines {
			due[d.Key] = d.Due.Format(time.DateOnly)
		}
		if due["first_report"] != "2021-05-12" || due["coverage"] != "2021-09-30" || y.Title[:4] != "2021" {
			t.Fatalf("2021: %q %v", y.Title, due)
		}
	})
}

// TestCampaignYearsKept: the campaign years are kept between requests
// (figures.go) and given out as copies: a caller changing what it got
// changes nothing for the next, and a deadline or a year written is read
// at once.
func TestCampaignYearsKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		first, err := db.CampaignYears(context.Background())
		if err != nil || len(first) == 0 || len(first[0].Deadlines) == 0 {
			t.Fatalf("campaign years: %v %+v", err, first)
		}
		title := first[0].Title
		first[0].Title, first[0].Deadlines[0].Label = "改过的", "改过的"
		again, err := db.CampaignYears(context.Background())
		if err != nil || again[0].Title != title || again[0].Deadlines[0].Label == "改过的" {
			t.Fatalf("a caller's change reached the next caller: %v %+v", err, again[0])
		}
		due := day("2020-10-31")
		if err := db.UpdateDeadline(admin, 2020, "coverage", time.Time{}, due, time.Time{}, ""); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateCampaignYear(admin, 2021, 2020, "2021年度工作"); err != nil {
			t.Fatal(err)
		}
		after, err := db.CampaignYears(context.Background())
		if err != nil || len(after) != len(first)+1 || after[0].Year != 2021 {
			t.Fatalf("after a year created: %v, %d years", err, len(after))
		}
		for _, y := range after {
			if y.Year == 2020 && !y.CoverageDeadline().Equal(due) {
				t.Errorf("2020's coverage deadline after its change: %s", y.CoverageDeadline())
			}
		}
	})
}
