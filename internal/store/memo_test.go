package store_test

import (
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestRequestMemo: within a request a campaign year is read once; what a
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
		// The request's own write is seen by its next read.
		if err := db.UpdateDeadline(next, 2020, taotai.DeadlineFirstReport, time.Time{}, day("2020-05-14"), time.Time{}, ""); err != nil {
			t.Fatal(err)
		}
		if c, _ := db.FindCampaignYear(next, 2020); due(c, taotai.DeadlineFirstReport) != "2020-05-14" {
			t.Fatalf("after the request's own write: %s, want 2020-05-14", due(c, taotai.DeadlineFirstReport))
		}
	})
}
