package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"taotai"
	"taotai/internal/forms"
)

// Consolidation: the province-wide forms of a period and channel built
// from the accepted submissions, each unit's latest accepted version,
// with the difference from the live records where they disagree.

// Consolidated2 is a province-wide 附件2 of a period up a channel.
type Consolidated2 struct {
	Period  Period
	Sector  string
	Units   []ConsolidatedUnit2 // the units with an accepted report, in unit order
	Total   forms.Row2          // the sum of the units' subtotals
	Missing []taotai.ReportUnit // the units due to report with no accepted report
}

// Forms returns the units as forms.WriteConsolidated2 takes them.
func (c *Consolidated2) Forms() []forms.ConsolidatedUnit2 {
	out := make([]forms.ConsolidatedUnit2, len(c.Units))
	for i, u := range c.Units {
		out[i] = u.ConsolidatedUnit2
	}
	return out
}

// ConsolidatedUnit2 is one unit's part of a province-wide 附件2: the rows
// of its latest accepted version, their subtotal, and how the live
// records now differ from them.
type ConsolidatedUnit2 struct {
	forms.ConsolidatedUnit2
	Code         string
	SubmissionID int64
	Version      int
	Subtotal     forms.Row2
	Diffs        []RowDiff // empty when the records still agree
}

// RowDiff is an enterprise whose row of a form differs between the
// accepted snapshot and the live records.
type RowDiff struct {
	Name, Address string
	// Side is "" when the row is on both sides with different cells,
	// DiffSnapshotOnly or DiffLiveOnly when it is on one side only.
	Side  string
	Cells []CellDiff // the differing columns (for a one-sided row, every non-empty one)
}

// The sides a row may be on alone.
const (
	DiffSnapshotOnly = "snapshot" // in the accepted report, gone from the records
	DiffLiveOnly     = "live"     // in the records, not in the accepted report
)

// CellDiff is one column of a row whose value changed.
type CellDiff struct {
	Column   string // the column as forms.Columns2 names it
	Snapshot string // as accepted
	Live     string // as the records give it now
}

// Consolidate2 builds the province-wide 附件2 of a period up a channel
// from the accepted submissions within the actor's lane (a city sees
// only its own unit): per unit its latest accepted version's rows with a
// subtotal, the grand total, the units with no accepted report, and per
// unit the rows where the live records now differ. ENOTFOUND for a
// channel outside the lane, EINVALID for one that is none.
func (s *DB) Consolidate2(ctx context.Context, p Period, sector string) (*Consolidated2, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !taotai.ValidSector(sector) {
		return nil, taotai.Errorf(taotai.EINVALID, "报送渠道应为coal（煤矿）或noncoal（非煤）。")
	}
	if !a.SectorVisible(sector) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "您只负责%s的报告，不能查看%s的汇总。",
			taotai.SectorName(a.Sector), taotai.SectorName(sector))
	}
	cal, err := s.ReportCalendar(ctx, p.Year)
	if err != nil {
		return nil, err
	}
	accepted, err := acceptedForms(ctx, s.db, a, p.Key, sector, forms.Form2)
	if err != nil {
		return nil, err
	}
	c := &Consolidated2{Period: p, Sector: sector}
	for _, d := range cal {
		if d.Period.Key != p.Key || d.Sector != sector {
			continue
		}
		acc, ok := accepted[d.Unit.Code]
		if !ok {
			c.Missing = append(c.Missing, d.Unit)
			continue
		}
		var rows []forms.Row2
		if err := json.Unmarshal(acc.json, &rows); err != nil {
			return nil, fmt.Errorf("accepted 附件2 of %s v%d: %w", d.Unit.Code, acc.version, err)
		}
		live, err := s.Form2Rows(ctx, p, d.Unit.Code, sector)
		if err != nil {
			return nil, err
		}
		u := ConsolidatedUnit2{ConsolidatedUnit2: forms.ConsolidatedUnit2{Name: d.Unit.Name, Rows: rows},
			Code: d.Unit.Code, SubmissionID: acc.id, Version: acc.version, Diffs: diff2(rows, live)}
		u.Subtotal = u.Sum()
		c.Total.Add(u.Subtotal)
		c.Units = append(c.Units, u)
	}
	return c, nil
}

// acceptedForm is one form of a unit's latest accepted version.
type acceptedForm struct {
	id      int64
	version int
	json    []byte
}

// acceptedForms returns, by unit, a form of the latest accepted version
// of each unit's report of a period up a channel, within the lane.
func acceptedForms(ctx context.Context, q queryer, a *taotai.Actor, periodKey, sector string, form int) (map[string]acceptedForm, error) {
	w := &where{}
	w.add("s.period_key = ? AND s.sector = ? AND s.state = ?", periodKey, sector, taotai.SubmissionAccepted)
	w.lane(a, "s")
	rows, err := q.QueryContext(ctx, `SELECT s.region_code, s.id, s.version, f.rows_json FROM report_submissions s
		JOIN report_submission_forms f ON f.submission_id = s.id AND f.form = `+strconv.Itoa(form)+w.String()+
		` ORDER BY s.region_code, s.version`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("accepted submissions: %w", err)
	}
	defer rows.Close()
	out := map[string]acceptedForm{}
	for rows.Next() {
		var code, js string
		var f acceptedForm
		if err := rows.Scan(&code, &f.id, &f.version, &js); err != nil {
			return nil, err
		}
		f.json = []byte(js)
		out[code] = f // the versions come in order: the latest stays
	}
	return out, rows.Err()
}

// row2Cells are a 附件2 row's columns after 所在地址, as Columns2 names
// them, each as text.
func row2Cells(r forms.Row2) []string {
	return []string{strconv.Itoa(r.Inspections), strconv.Itoa(r.InspectorTimes), strconv.Itoa(r.ExpertTimes),
		strconv.Itoa(r.Hazards), strconv.Itoa(r.MajorHazards), strconv.Itoa(r.Orders), strconv.Itoa(r.Penalties),
		r.Fines.Wan(), r.Note}
}

// rowKey names an enterprise's row by its name and address; the n-th
// row of the same name and address is told apart by n.
func rowKey(name, address string, n int) string {
	return name + "\x00" + address + "\x00" + strconv.Itoa(n)
}

// diff2 compares an accepted 附件2 with the live one, row by row in the
// snapshot's order, then the live rows the snapshot does not hold.
func diff2(snapshot, live []forms.Row2) []RowDiff {
	key := func(rows []forms.Row2) ([]string, map[string]forms.Row2) {
		seen := map[string]int{}
		keys := make([]string, len(rows))
		byKey := make(map[string]forms.Row2, len(rows))
		for i, r := range rows {
			base := r.Name + "\x00" + r.Address
			keys[i] = rowKey(r.Name, r.Address, seen[base])
			seen[base]++
			byKey[keys[i]] = r
		}
		return keys, byKey
	}
	sKeys, sRows := key(snapshot)
	lKeys, lRows := key(live)
	heads := forms.Columns2[3:]
	var out []RowDiff
	for _, k := range sKeys {
		sr := sRows[k]
		lr, ok := lRows[k]
		if !ok {
			out = append(out, oneSided(sr, DiffSnapshotOnly, heads))
			continue
		}
		sc, lc := row2Cells(sr), row2Cells(lr)
		d := RowDiff{Name: sr.Name, Address: sr.Address}
		for i := range sc {
			if sc[i] != lc[i] {
				d.Cells = append(d.Cells, CellDiff{Column: heads[i], Snapshot: sc[i], Live: lc[i]})
			}
		}
		if len(d.Cells) > 0 {
			out = append(out, d)
		}
	}
	for _, k := range lKeys {
		if _, ok := sRows[k]; !ok {
			out = append(out, oneSided(lRows[k], DiffLiveOnly, heads))
		}
	}
	return out
}

// oneSided is a row present on one side only, with its non-empty cells.
func oneSided(r forms.Row2, side string, heads []string) RowDiff {
	d := RowDiff{Name: r.Name, Address: r.Address, Side: side}
	for i, v := range row2Cells(r) {
		if v == "" || v == "0" {
			continue
		}
		c := CellDiff{Column: heads[i]}
		if side == DiffSnapshotOnly {
			c.Snapshot = v
		} else {
			c.Live = v
		}
		d.Cells = append(d.Cells, c)
	}
	return d
}
