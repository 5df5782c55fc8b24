package store_test

import (
	"context"
	"reflect"
	"testing"

	"taotai/internal/store"
)

// historyAlike checks that an enterprise's History read in one batch
// (pgx's own scanning, on PostgreSQL) is the History read one statement
// at a time (database/sql's), and returns it. Tests that build a rich
// history call it: documents and notices, stops, cards with events,
// acceptances, key-list removals.
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
	return batch
}
