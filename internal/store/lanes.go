package store

import (
	"context"
	"fmt"
)

// laneCopies lists the tables whose rows keep a copy of their enterprise's
// lane (region_path, sector), so that every lane clause is a range on one
// table. Migration 00010's trigger keeps the copies equal to the
// enterprise's; LaneMismatches checks that it does.
var laneCopies = []string{"inspections", "hazards", "documents", "cards", "attachments", "reported_form2", "reported_form3"}

// LaneMismatches returns a description of every row whose copy of the lane
// differs from its enterprise's, and of every enterprise whose own lane
// differs from its region's path and its industry's sector, and of every
// hazard whose copy of the day it was found (found_on) differs from its
// inspection's date: none, when the invariants hold. Tests call it after
// every test (storetest).
func (s *DB) LaneMismatches(ctx context.Context) ([]string, error) {
	var out []string
	q := `SELECT 'enterprises', e.id, e.id, e.region_path, e.sector, r.path, i.sector
		FROM enterprises e JOIN regions r ON r.code = e.region_code JOIN industries i ON i.id = e.industry_id
		WHERE e.region_path <> r.path OR e.sector <> i.sector`
	for _, t := range laneCopies {
		q += ` UNION ALL SELECT '` + t + `', 0, x.enterprise_id, x.region_path, x.sector, e.region_path, e.sector
			FROM ` + t + ` x JOIN enterprises e ON e.id = x.enterprise_id
			WHERE x.region_path <> e.region_path OR x.sector <> e.sector`
	}
	q += ` UNION ALL SELECT 'hazards.found_on', h.id, h.enterprise_id, h.found_on, '', n.date, ''
		FROM hazards h JOIN inspections n ON n.id = h.inspection_id WHERE h.found_on <> n.date`
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("lane mismatches: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, path, sector, wantPath, wantSector string
		var id, enterprise int64
		if err := rows.Scan(&table, &id, &enterprise, &path, &sector, &wantPath, &wantSector); err != nil {
			return nil, err
		}
		if table == "hazards.found_on" {
			out = append(out, fmt.Sprintf("hazard %d of enterprise %d: found on %q, its inspection's date %s", id, enterprise, path, wantPath))
			continue
		}
		out = append(out, fmt.Sprintf("%s row of enterprise %d: lane %s %s, enterprise's %s %s", table, enterprise, path, sector, wantPath, wantSector))
	}
	return out, rows.Err()
}
