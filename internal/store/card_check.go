package store

import (
	"context"
)

// Rechecked reports whether an enterprise in the actor's lane has passed
// its re-checks — a hazard re-checked as passed and none pending — as
// lifting a yellow card (已摘牌) requires. Outside the lane: ENOTFOUND.
func (s *DB) Rechecked(ctx context.Context, enterpriseID int64) (bool, error) {
	a, err := actor(ctx)
	if err != nil {
		return false, err
	}
	e, err := findEnterprise(ctx, s.db, a, enterpriseID)
	if err != nil {
		return false, err
	}
	return rectifiedAndPassed(ctx, s.db, e.ID)
}
