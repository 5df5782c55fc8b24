package store_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// historyAlike checks that an enterprise's History read in one batch
// (pgx's own scanning, on PostgreSQL) is the History read one statement
// at a time (database/sql's), and returns it. Tests that build a rich
// history call it: documents and notices, stops, cards with events,
// acceptances, key-list removals. It also compares the History with
// each kind's own read (checkHistoryAsRecords).
func historyAlike(t *testing.T, db *store.DB, ctx context.Context, id int64) *store.History {
	t.Helper()
	batch, err := db.History(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	one, err := db.HistoryOneByOne(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(batch, one) {
		t.Fatalf("History in a batch differs from History read one by one:\nbatch %+v\none   %+v", batch, one)
	}
	checkHistoryAsRecords(t, db, ctx, id)
	return batch
}

// TestWorklistReadsItsListsAlike: the worklist reads its hazard lists,
// red candidates and enterprise count in one batch; each group is what
// the list of its filter shows (count and first rows), and the batch
// gives what the same reads one by one give, on both databases.
func TestWorklistReadsItsListsAlike(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		var hs []*taotai.Hazard
		for i := range 14 {
			h := &taotai.Hazard{Description: fmt.Sprintf("隐患%d", i), Level: taotai.HazardGeneral, Deadline: day("2020-06-20")}
			switch i % 3 {
			case 0:
				h.Deadline = day("2020-06-12") // due soon, then overdue
			case 1:
				h.Level, h.CriterionID = taotai.HazardMajor, f.criterion // no guarantees, no stop order
			}
			hs = append(hs, h)
		}
		if err := db.RecordInspection(f.inspector, f.inspection("2020-06-09"), hs); err != nil {
			t.Fatal(err)
		}
		for _, now := range []time.Time{f.clock.T, time.Date(2020, 6, 25, 9, 0, 0, 0, taotai.Shanghai)} {
			f.clock.T = now
			wl, err := db.Worklist(f.approver, now)
			if err != nil {
				t.Fatal(err)
			}
			one, err := db.WorklistOneByOne(f.approver, now)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(wl, one) {
				t.Fatalf("%s: the worklist in a batch differs from its reads one by one:\n%+v\n%+v", now, wl, one)
			}
			for _, g := range []struct {
				name   string
				filter taotai.HazardFilter
				got    []*taotai.Hazard
				total  int
			}{
				{"overdue", taotai.HazardFilter{Overdue: true}, wl.Overdue, wl.OverdueAll},
				{"due soon", taotai.HazardFilter{DueSoon: true}, wl.DueSoon, wl.DueSoonAll},
				{"no guarantees", taotai.HazardFilter{NoGuarantees: true}, wl.NoGuarantees, wl.NoGuaranteesAll},
				{"no stop order", taotai.HazardFilter{NoStopOrder: true}, wl.NoStopOrder, wl.NoStopOrderAll},
			} {
				g.filter.From, g.filter.To, g.filter.Limit = wl.From, wl.To, store.WorklistShown
				items, total, err := db.WithClock(&taotai.FixedClock{T: now}).ListHazards(f.approver, g.filter)
				if err != nil {
					t.Fatal(err)
				}
				var ids, want []int64
				for _, h := range g.got {
					ids = append(ids, h.ID)
				}
				for _, it := range items {
					want = append(want, it.ID)
				}
				if g.total != total || !slices.Equal(ids, want) {
					t.Errorf("%s, %s: the worklist shows %d of %d %v, the list %d of %d %v", now.Format(time.DateOnly), g.name, len(ids), g.total, ids, len(want), total, want)
				}
			}
		}
		if t.Failed() {
			return
		}
		// The groups were not all empty: the comparison compared something.
		f.clock.T = time.Date(2020, 6, 25, 9, 0, 0, 0, taotai.Shanghai)
		wl, _ := db.Worklist(f.approver, f.clock.T)
		if wl.OverdueAll != 14 || wl.NoGuaranteesAll != 5 || len(wl.Overdue) != store.WorklistShown {
			t.Fatalf("overdue %d (%d shown), no guarantees %d", wl.OverdueAll, len(wl.Overdue), wl.NoGuaranteesAll)
		}
	})
}
