package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"taotai"
)

// Progress against the approved inspection plans, for the coverage page
// and the worklist: an enterprise is planned when an approved plan of the
// year lists it (in the earliest month, when two plans list it), done when
// inspected from the campaign's start to today (recorded, or reported in
// an imported 附件2 as coverage counts it), overdue when its month has ended
// without.

// PlanCoverageRow is one region's progress against the approved plans.
type PlanCoverageRow struct {
	RegionCode             string
	Planned, Done, Overdue int
}

// plannedFrom is the year's planned enterprises (x.enterprise_id, x.m the
// earliest month) joined with their enterprise e; its argument is the year.
const plannedFrom = ` FROM (SELECT i.enterprise_id, MIN(i.month) AS m FROM inspection_plan_items i
	JOIN inspection_plans p ON p.id = i.plan_id WHERE p.year = $1 AND p.state = 'approved' GROUP BY i.enterprise_id) x
	JOIN enterprises e ON e.id = x.enterprise_id`

// plannedWhere starts the conditions on the planned enterprises of a year
// in a's lane (and sector, when set) that are on its key list.
func plannedWhere(a *taotai.Actor, year int, sector string) *where {
	w := &where{}
	w.args = append(w.args, year) // $1 of plannedFrom
	w.lane(a, "e")
	if sector != "" {
		w.add("e.sector = ?", sector)
	}
	w.add("EXISTS (SELECT 1 FROM key_list k WHERE k.enterprise_id = e.id AND k.year = ?)", year)
	return w
}

// doneSQL is "e was inspected from the campaign's start to today".
func (s *DB) doneSQL(ctx context.Context, w *where, year int, today time.Time) (string, error) {
	ps, err := s.yearPeriods(ctx, year)
	if err != nil {
		return "", err
	}
	recorded, reported := inspectedSQL(w, ps, today)
	if reported != "" {
		recorded = "(" + recorded + " OR " + reported + ")"
	}
	return recorded, nil
}

// PlanCoverage returns, for each sub-region of regionCode (the actor's own
// by default) as SectorCoverage groups them, the enterprises planned, done
// and overdue on now's day.
func (s *DB) PlanCoverage(ctx context.Context, year int, regionCode, sector string, now time.Time) (map[string]PlanCoverageRow, error) {
	a, r, width, err := s.coverageView(ctx, regionCode, sector)
	if err != nil {
		return nil, err
	}
	w := plannedWhere(a, year, sector)
	w.subtree("e", r.Path)
	today := taotai.Today(now)
	done, err := s.doneSQL(ctx, w, year, today)
	if err != nil {
		return nil, err
	}
	passed := w.next(taotai.MonthsPassed(year, now))
	q := `SELECT child, COUNT(*), COALESCE(SUM(d), 0), COALESCE(SUM(CASE WHEN d = 0 AND m <= ` + passed + ` THEN 1 ELSE 0 END), 0)
		FROM (SELECT substr(e.region_path, 1, ` + w.next(width) + `) AS child, x.m AS m, CASE WHEN ` + done + ` THEN 1 ELSE 0 END AS d` +
		plannedFrom + w.String() + `) t GROUP BY child`
	rows, err := s.db.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, fmt.Errorf("plan coverage: %w", err)
	}
	defer rows.Close()
	byPath := map[string]PlanCoverageRow{}
	for rows.Next() {
		var path string
		var row PlanCoverageRow
		if err := rows.Scan(&path, &row.Planned, &row.Done, &row.Overdue); err != nil {
			return nil, err
		}
		byPath[path] = row
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	regions, err := s.Regions(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]PlanCoverageRow{}
	for _, rg := range regions {
		if row, ok := byPath[rg.Path]; ok {
			row.RegionCode = rg.Code
			out[rg.Code] = row
		}
	}
	return out, nil
}

// PlanOverdueItem is a planned enterprise whose month has ended without
// an inspection.
type PlanOverdueItem struct {
	Enterprise *taotai.Enterprise
	Month      int
}

// PlanOverdue returns the overdue planned enterprises of a year in the
// actor's lane on now's day (at most limit, by month and region) and how
// many there are.
func (s *DB) PlanOverdue(ctx context.Context, year int, now time.Time, limit int) ([]PlanOverdueItem, int, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, 0, err
	}
	return s.planOverdue(ctx, a, year, now, limit)
}

func (s *DB) planOverdue(ctx context.Context, a *taotai.Actor, year int, now time.Time, limit int) ([]PlanOverdueItem, int, error) {
	passed := taotai.MonthsPassed(year, now)
	if passed == 0 {
		return nil, 0, nil
	}
	w := plannedWhere(a, year, "")
	done, err := s.doneSQL(ctx, w, year, taotai.Today(now))
	if err != nil {
		return nil, 0, err
	}
	w.add("NOT "+done+" AND x.m <= ?", passed)
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+plannedFrom+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("plan overdue: %w", err)
	}
	if total == 0 {
		return nil, 0, nil
	}
	rows, err := s.db.QueryContext(ctx, enterpriseSelect+`, x.m`+plannedFrom+
		strings.TrimPrefix(enterpriseFrom, " FROM enterprises e")+w.String()+` ORDER BY x.m, e.region_path, e.id LIMIT `+w.next(limit), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("plan overdue: %w", err)
	}
	defer rows.Close()
	var out []PlanOverdueItem
	for rows.Next() {
		var it PlanOverdueItem
		if it.Enterprise, err = scanEnterprise(rows, &it.Month); err != nil {
			return nil, 0, err
		}
		out = append(out, it)
	}
	return out, total, rows.Err()
}
