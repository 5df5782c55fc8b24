package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"taotai"
	"taotai/internal/forms"
)

// SetAudit switches the audit trail on or off, to measure its cost.
func (s *DB) SetAudit(on bool) { s.noAudit = !on }

// AppendAudit appends n synthetic entries in transactions of 5,000, to
// measure verification of a long chain.
func (s *DB) AppendAudit(ctx context.Context, n int) error {
	for done := 0; done < n; {
		k := min(5000, n-done)
		cs := make([]change, k)
		for i := range cs {
			cs[i] = change{Action: "update", Entity: "enterprise", EntityID: done + i, RegionPath: "/210000/210300/210302/",
				Before: map[string]string{"address": fmt.Sprintf("某路%d号", i)}, After: map[string]string{"address": fmt.Sprintf("某路%d号", i+1)}}
		}
		if err := s.Transact(ctx, func(tx *sql.Tx) error { return s.recordAll(ctx, tx, cs) }); err != nil {
			return err
		}
		done += k
	}
	return nil
}

// DashboardFromCounties is Dashboard read from the county tables whatever
// the board's units, to compare with the sums by city (migration 00036).
func (s *DB) DashboardFromCounties(ctx context.Context, q DashboardQuery) (*taotai.Dashboard, error) {
	return s.dashboard(ctx, q, true)
}

// Form2RowsOneByOne is Form2Rows with its reads one after the other, as
// in a transaction, to compare with the reads at once.
func (s *DB) Form2RowsOneByOne(ctx context.Context, p Period, regionCode, sector string) ([]forms.Row2, error) {
	return s.form2Rows(ctx, p, regionCode, sector, false)
}

// HistoryOneByOne is History with its reads sent one by one, as on
// SQLite, to compare with the batch.
func (s *DB) HistoryOneByOne(ctx context.Context, enterpriseID int64) (*History, error) {
	v := s.WithClock(s.clock)
	v.oneByOne = true
	return v.History(ctx, enterpriseID)
}

// WorklistOneByOne is Worklist with its batch sent one read at a time,
// to compare with the batch.
func (s *DB) WorklistOneByOne(ctx context.Context, now time.Time) (*Worklist, error) {
	v := s.WithClock(s.clock)
	v.oneByOne, v.noFigureCache = true, true
	return v.Worklist(ctx, now)
}

// ChildRegions is childRegions outside a transaction.
func ChildRegions(ctx context.Context, s *DB, code string) ([]*taotai.Region, error) {
	return childRegions(ctx, s.db, code)
}

// DashboardUncached is Dashboard read afresh, not kept (figures.go).
func (s *DB) DashboardUncached(ctx context.Context, q DashboardQuery) (*taotai.Dashboard, error) {
	return s.dashboard(ctx, q, false)
}

// FigureGeneration is the generation the kept figures are read at.
func (s *DB) FigureGeneration() uint64 { return s.figures.gen.Load() }

// WorklistUncached is WorklistFor read afresh, not kept (figures.go).
func (s *DB) WorklistUncached(ctx context.Context, now time.Time, year int) (*Worklist, error) {
	v := s.WithClock(s.clock)
	v.noFigureCache = true
	return v.WorklistFor(ctx, now, year)
}

// FollowingWrites reports whether FollowWrites is listening.
func (s *DB) FollowingWrites() bool { return s.figures.listening.Load() }

// DSN is the address the store was opened with.
func (s *DB) DSN() string { return s.dsn }

// ReportGridUncached is ReportGrid read afresh, not kept (figures.go).
func (s *DB) ReportGridUncached(ctx context.Context, year int, sector string) (*taotai.ReportGrid, error) {
	v := s.WithClock(s.clock)
	v.noFigureCache = true
	return v.ReportGrid(ctx, year, sector)
}
