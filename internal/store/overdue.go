package store

import (
	"time"

	"taotai"
)

// overdueReads count the hazards not passed whose deadline day ended
// before today (Hazard.Overdue), found between from and to (whole months,
// "yyyy-mm-dd"; "" for no bound), per unit: the first width bytes of their
// lane's path (width 0: one unit, ""). w holds conditions on h's
// region_path, sector and level only, which both the hazards and their
// month counts have. The months before today's are read from the counts
// in the table named — hazard_pending_months (migration 00032), or
// hazard_pending_city_months (00036) when no path in w and no unit is
// longer than a city's —; today's month, from the index of pending
// hazards by deadline. They add to out each unit's count and, of those,
// the major hazards: reads of a batch (readAll).
func overdueReads(months string, w *where, width int, from, to string, today time.Time, out map[string][2]int) []read {
	today = taotai.Today(today)
	monthStart := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, today.Location())
	// Today's month reads the pending hazards by deadline (a month of
	// them, hazards_pending), not the lane's by region or the year's by
	// the day found.
	kept, live := w.clone(), w.unindexedCols("h", "region_path")
	unit := func(w *where) string {
		if width == 0 {
			return `''`
		}
		return `substr(h.region_path, 1, ` + w.next(width) + `)`
	}
	ku, lu := unit(kept), unit(live)
	kept.add("h.deadline_month < ?", monthStart.Format("2006-01"))
	kept.months("h.found_month", month(from), month(to))
	live.add("h.status <> 'passed' AND h.deadline <> '' AND h.deadline >= ? AND h.deadline < ?", dateString(monthStart), dateString(today))
	if from != "" {
		live.add("(h.found_on || '') >= ?", from)
	}
	if to != "" {
		live.add("(h.found_on || '') <= ?", to)
	}
	add := func(row rowScanner) error {
		var u string
		var n, major int
		if err := row.Scan(&u, &n, &major); err != nil {
			return err
		}
		c := out[u]
		out[u] = [2]int{c[0] + n, c[1] + major}
		return nil
	}
	return []read{
		{query: `SELECT ` + ku + `, COALESCE(SUM(h.n), 0), COALESCE(SUM(CASE WHEN h.level = 'major' THEN h.n ELSE 0 END), 0)
			FROM ` + months + ` h` + kept.String() + ` GROUP BY 1`, args: kept.args, row: add},
		{query: `SELECT ` + lu + `, COUNT(*), COALESCE(SUM(CASE WHEN h.level = 'major' THEN 1 ELSE 0 END), 0)
			FROM hazards h` + live.String() + ` GROUP BY 1`, args: live.args, row: add},
	}
}

// month is a day's month ("2020-06-01" → "2020-06"), "" for "".
func month(day string) string {
	if len(day) < 7 {
		return ""
	}
	return day[:7]
}
