package store

import (
	"context"
	"fmt"
)

// laneCopies lists the tables whose rows keep a copy of their enterprise's
// lane (region_path, sector), so that every lane clause is a range on one
// table. Migration 00010's trigger keeps the copies equal to the
// enterprise's; LaneMismatches checks that it does.
var laneCopies = []string{"inspections", "hazards", "documents", "cards", "attachments", "reported_form2", "reported_form3", "key_list"}

// LaneMismatches returns a description of every row whose copy of the lane
// differs from its enterprise's, of every enterprise whose own lane
// differs from its region's path and its industry's sector, of every
// hazard whose day found (found_on, migration 00016) differs from its
// inspection's date, of every day-table row that differs from a recount
// of the records, and of every enterprise whose name bigrams (migration
// 00018) differ from its name's: none, when the invariants hold. Tests call it
// after every test (storetest).
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
	// A hazard's stop_ordered (migration 00033): its inspection issued a
	// stop-production order.
	q += ` UNION ALL SELECT 'hazards.stop_ordered', h.id, h.enterprise_id, CAST(h.stop_ordered AS TEXT), '', '', ''
		FROM hazards h WHERE h.stop_ordered <> CASE WHEN EXISTS (SELECT 1 FROM documents d WHERE d.inspection_id = h.inspection_id
			AND d.kind = 'stop_order') THEN 1 ELSE 0 END`
	// A key-list row's first inspection of its year (migration 00028).
	q += ` UNION ALL SELECT 'key_list.first_inspected', k.year, k.enterprise_id, COALESCE(k.first_inspected, ''), '', k.first, ''
		FROM (SELECT k.year, k.enterprise_id, k.first_inspected, COALESCE((SELECT MIN(n.date) FROM inspections n
			WHERE n.enterprise_id = k.enterprise_id
			AND n.date >= CASE WHEN c.start_date <> '' THEN c.start_date ELSE CAST(c.year AS TEXT) || '-01-01' END
			AND n.date <= CAST(c.year AS TEXT) || '-12-31'), '') AS first
			FROM key_list k JOIN campaign_years c ON c.year = k.year) k
		WHERE COALESCE(k.first_inspected, '') <> k.first`
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
		if table == "hazards.stop_ordered" {
			out = append(out, fmt.Sprintf("hazard %d of enterprise %d: stop_ordered %s, its inspection's documents say otherwise", id, enterprise, path))
			continue
		}
		if table == "key_list.first_inspected" {
			out = append(out, fmt.Sprintf("key list %d, enterprise %d: first inspection kept %q, recounted %q", id, enterprise, path, wantPath))
			continue
		}
		if table == "hazards.found_on" {
			out = append(out, fmt.Sprintf("hazard %d of enterprise %d: found on %q, its inspection's date %s", id, enterprise, path, wantPath))
			continue
		}
		out = append(out, fmt.Sprintf("%s row of enterprise %d: lane %s %s, enterprise's %s %s", table, enterprise, path, sector, wantPath, wantSector))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	days, err := s.dayMismatches(ctx)
	if err != nil {
		return nil, err
	}
	grams, err := s.gramMismatches(ctx)
	return append(append(out, days...), grams...), err
}

// dayTables are the day tables (migration 00016) and the month tables
// (00017) as recounts of their records: the key columns, then the counted
// ones.
var dayTables = []struct{ table, kept, recount string }{
	{"inspection_days",
		`date, region_path, sector || ' ' || CAST(industry_id AS TEXT), n, inspectors, experts FROM inspection_days
			WHERE n <> 0 OR inspectors <> 0 OR experts <> 0`,
		`x.date, x.region_path, x.sector || ' ' || CAST(e.industry_id AS TEXT), COUNT(*), SUM(x.inspector_count), SUM(x.expert_count)
			FROM inspections x JOIN enterprises e ON e.id = x.enterprise_id GROUP BY x.date, x.region_path, x.sector, e.industry_id`},
	{"hazard_days",
		`found_on, region_path, sector || ' ' || CAST(industry_id AS TEXT) || ' ' || level || ' ' || status, n, 0, 0 FROM hazard_days WHERE n <> 0`,
		`x.found_on, x.region_path, x.sector || ' ' || CAST(e.industry_id AS TEXT) || ' ' || x.level || ' ' || x.status, COUNT(*), 0, 0
			FROM hazards x JOIN enterprises e ON e.id = x.enterprise_id GROUP BY x.found_on, x.region_path, x.sector, e.industry_id, x.level, x.status`},
	{"document_days",
		`issued_on, region_path, sector || ' ' || CAST(industry_id AS TEXT) || ' ' || kind, n, fined, fines FROM document_days
			WHERE n <> 0 OR fined <> 0 OR fines <> 0`,
		`x.issued_on, x.region_path, x.sector || ' ' || CAST(e.industry_id AS TEXT) || ' ' || x.kind, COUNT(*),
			SUM(CASE WHEN x.fine > 0 THEN 1 ELSE 0 END), CAST(SUM(x.fine) AS BIGINT)
			FROM documents x JOIN enterprises e ON e.id = x.enterprise_id GROUP BY x.issued_on, x.region_path, x.sector, e.industry_id, x.kind`},
	// The month tables (migration 00017), recounted from the records too.
	{"inspection_months",
		`month, region_path, sector, n, inspectors, experts FROM inspection_months WHERE n <> 0 OR inspectors <> 0 OR experts <> 0`,
		`substr(x.date, 1, 7), x.region_path, x.sector, COUNT(*), SUM(x.inspector_count), SUM(x.expert_count) FROM inspections x
			GROUP BY substr(x.date, 1, 7), x.region_path, x.sector`},
	{"hazard_months",
		`month, region_path, sector || ' ' || level || ' ' || status, n, 0, 0 FROM hazard_months WHERE n <> 0`,
		`substr(x.found_on, 1, 7), x.region_path, x.sector || ' ' || x.level || ' ' || x.status, COUNT(*), 0, 0
			FROM hazards x GROUP BY substr(x.found_on, 1, 7), x.region_path, x.sector, x.level, x.status`},
	// The pending hazards' month counts (migration 00032).
	{"hazard_pending_months",
		`found_month, region_path, sector || ' ' || deadline_month || ' ' || level, n, 0, 0 FROM hazard_pending_months WHERE n <> 0`,
		`substr(found_on, 1, 7), region_path, sector || ' ' || substr(deadline, 1, 7) || ' ' || level, COUNT(*), 0, 0 FROM hazards
			WHERE status <> 'passed' AND deadline <> '' GROUP BY substr(found_on, 1, 7), region_path, sector, substr(deadline, 1, 7), level`},
	// The registry's counts (migration 00029), recounted from it.
	{"enterprise_counts",
		`region_path, sector, CAST(industry_id AS TEXT) || ' ' || production_state, n, missing_codes, 0 FROM enterprise_counts
			WHERE n <> 0 OR missing_codes <> 0`,
		`region_path, sector, CAST(industry_id AS TEXT) || ' ' || production_state, COUNT(*),
			SUM(CASE WHEN credit_code IS NULL THEN 1 ELSE 0 END), 0 FROM enterprises GROUP BY region_path, sector, industry_id, production_state`},
	// The key list's coverage counts (migration 00028), recounted from
	// the key list's rows at each year's full-coverage deadline.
	{"coverage_counts",
		`CAST(year AS TEXT), region_path, sector, listed, covered, 0 FROM coverage_counts WHERE listed <> 0 OR covered <> 0`,
		`CAST(k.year AS TEXT), k.region_path, k.sector, COUNT(*), SUM(CASE WHEN k.first_inspected <= COALESCE((SELECT NULLIF(d.due_date, '')
			FROM campaign_deadlines d WHERE d.year = k.year AND d.key = 'coverage'), CAST(k.year AS TEXT) || '-09-30') THEN 1 ELSE 0 END), 0
			FROM key_list k GROUP BY k.year, k.region_path, k.sector`},
	{"document_months",
		`month, region_path, sector || ' ' || kind, n, fined, fines FROM document_months WHERE n <> 0 OR fined <> 0 OR fines <> 0`,
		`substr(x.issued_on, 1, 7), x.region_path, x.sector || ' ' || x.kind, COUNT(*), SUM(CASE WHEN x.fine > 0 THEN 1 ELSE 0 END),
			CAST(SUM(x.fine) AS BIGINT) FROM documents x GROUP BY substr(x.issued_on, 1, 7), x.region_path, x.sector, x.kind`},
	// The sums by city (migration 00036), recounted from the records by
	// the first 15 bytes of their paths, and the cards' counts by lane.
	{"inspection_city_months",
		`month, region_path, sector, n, inspectors, experts FROM inspection_city_months WHERE n <> 0 OR inspectors <> 0 OR experts <> 0`,
		`substr(x.date, 1, 7), substr(x.region_path, 1, 15), x.sector, COUNT(*), SUM(x.inspector_count), SUM(x.expert_count)
			FROM inspections x GROUP BY substr(x.date, 1, 7), substr(x.region_path, 1, 15), x.sector`},
	// (Its four counts: found and passed as n and x, major and major
	// passed as y and in the key.)
	{"hazard_city_months",
		`month, region_path, sector || ' ' || CAST(major_passed AS TEXT), n, passed, major FROM hazard_city_months WHERE n <> 0`,
		`substr(x.found_on, 1, 7), substr(x.region_path, 1, 15),
			x.sector || ' ' || CAST(SUM(CASE WHEN x.level = 'major' AND x.status = 'passed' THEN 1 ELSE 0 END) AS TEXT), COUNT(*),
			SUM(CASE WHEN x.status = 'passed' THEN 1 ELSE 0 END), SUM(CASE WHEN x.level = 'major' THEN 1 ELSE 0 END)
			FROM hazards x GROUP BY substr(x.found_on, 1, 7), substr(x.region_path, 1, 15), x.sector`},
	{"document_city_months",
		`month, region_path, sector || ' ' || kind, n, fined, fines FROM document_city_months WHERE n <> 0 OR fined <> 0 OR fines <> 0`,
		`substr(x.issued_on, 1, 7), substr(x.region_path, 1, 15), x.sector || ' ' || x.kind, COUNT(*),
			SUM(CASE WHEN x.fine > 0 THEN 1 ELSE 0 END), CAST(SUM(x.fine) AS BIGINT) FROM documents x
			GROUP BY substr(x.issued_on, 1, 7), substr(x.region_path, 1, 15), x.sector, x.kind`},
	{"hazard_pending_city_months",
		`found_month, region_path, sector || ' ' || deadline_month || ' ' || level, n, 0, 0 FROM hazard_pending_city_months WHERE n <> 0`,
		`substr(found_on, 1, 7), substr(region_path, 1, 15), sector || ' ' || substr(deadline, 1, 7) || ' ' || level, COUNT(*), 0, 0
			FROM hazards WHERE status <> 'passed' AND deadline <> ''
			GROUP BY substr(found_on, 1, 7), substr(region_path, 1, 15), sector, substr(deadline, 1, 7), level`},
	{"card_counts",
		`CAST(year AS TEXT), region_path, sector || ' ' || state, n, 0, 0 FROM card_counts WHERE n <> 0`,
		`CAST(year AS TEXT), region_path, sector || ' ' || state, COUNT(*), 0, 0 FROM cards GROUP BY year, region_path, sector, state`},
	{"card_city_counts",
		`CAST(year AS TEXT), region_path, sector || ' ' || state, n, 0, 0 FROM card_city_counts WHERE n <> 0`,
		`CAST(year AS TEXT), substr(region_path, 1, 15), sector || ' ' || state, COUNT(*), 0, 0 FROM cards
			GROUP BY year, substr(region_path, 1, 15), sector, state`},
}

// dayMismatches describes every day-table row that a recount of its
// records does not give, and every recounted row the table lacks.
func (s *DB) dayMismatches(ctx context.Context) ([]string, error) {
	var out []string
	for _, t := range dayTables {
		kept, err := s.unmatched(ctx, t.table, "kept", t.kept, t.recount)
		if err != nil {
			return nil, err
		}
		recounted, err := s.unmatched(ctx, t.table, "recounted", t.recount, t.kept)
		if err != nil {
			return nil, err
		}
		out = append(append(out, kept...), recounted...)
	}
	return out, nil
}

// unmatched describes the rows of select a that select b does not give.
func (s *DB) unmatched(ctx context.Context, table, side, a, b string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT * FROM (SELECT `+a+`) a EXCEPT SELECT * FROM (SELECT `+b+`) b`)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", table, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var day, path, key string
		var n, x, y int64
		if err := rows.Scan(&day, &path, &key, &n, &x, &y); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s: %s row %s %s %s = %d, %d, %d has no match", table, side, day, path, key, n, x, y))
	}
	return out, rows.Err()
}
