package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"taotai"
	"taotai/internal/forms"
)

// Consolidation: the province-wide forms of a period and channel built
// from the accepted submissions, each unit's latest accepted version; and,
// asked for apart (CompareLive1/2/3), the difference from the live records
// where they disagree. The consolidation reads only the snapshots (a few
// ms for the province); the comparison counts every unit's forms again
// from the records, which at the national scale takes seconds.

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
	Diffs        []RowDiff // after CompareLive2: empty when the records still agree
}

// RowDiff is an enterprise whose row of a form differs between the
// accepted snapshot and the live records (rows matched as
// taotai.DiffTables matches them: by name and address, or by name alone
// when the address changed).
type RowDiff struct {
	Name, Address string
	// Side is "" when the row is on both sides with different cells,
	// DiffSnapshotOnly or DiffLiveOnly when it is on one side only.
	Side  string
	Cells []CellDiff // the differing columns (for a one-sided row, every non-empty one)
	Row   int        // the row's index among the unit's accepted rows; -1 for a row of the live records only
	Live  []string   // a live-only row's cells, as forms.Table1/2/3 give them
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
// unit (after CompareLive2) the rows where the live records now differ. ENOTFOUND for a
// channel outside the lane, EINVALID for one that is none or a period
// whose report holds no 附件2.
func (s *DB) Consolidate2(ctx context.Context, p Period, sector string) (*Consolidated2, error) {
	parts, missing, err := s.consolidate(ctx, p, sector, forms.Form2)
	if err != nil {
		return nil, err
	}
	c := &Consolidated2{Period: p, Sector: sector, Missing: missing}
	for _, part := range parts {
		var rows []forms.Row2
		if err := part.decode(&rows); err != nil {
			return nil, err
		}
		u := ConsolidatedUnit2{ConsolidatedUnit2: forms.ConsolidatedUnit2{Name: part.unit.Name, Rows: rows},
			Code: part.unit.Code, SubmissionID: part.id, Version: part.version}
		u.Subtotal = u.Sum()
		c.Total.Add(u.Subtotal)
		c.Units = append(c.Units, u)
	}
	return c, nil
}

// consolidatedPart is a unit's accepted form, to be decoded.
type consolidatedPart struct {
	unit taotai.ReportUnit
	acceptedForm
}

// decode reads the part's rows from their JSON.
func (p consolidatedPart) decode(rows any) error {
	if err := json.Unmarshal(p.json, rows); err != nil {
		return fmt.Errorf("accepted form of %s v%d: %w", p.unit.Code, p.version, err)
	}
	return nil
}

// consolidate returns, in unit order within the actor's lane, each due
// unit's form of its latest accepted version of the period up the
// channel, and the units with no accepted report.
func (s *DB) consolidate(ctx context.Context, p Period, sector string, form int) ([]consolidatedPart, []taotai.ReportUnit, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !taotai.ValidSector(sector) {
		return nil, nil, taotai.Errorf(taotai.EINVALID, taotai.MsgBadChannel)
	}
	if !a.SectorVisible(sector) {
		return nil, nil, taotai.Errorf(taotai.ENOTFOUND, "您只负责%s的报告，不能查看%s的汇总。",
			taotai.SectorName(a.Sector), taotai.SectorName(sector))
	}
	cal, err := s.ReportCalendar(ctx, p.Year)
	if err != nil {
		return nil, nil, err
	}
	accepted, err := acceptedForms(ctx, s.db, a, p.Key, sector, form)
	if err != nil {
		return nil, nil, err
	}
	var parts []consolidatedPart
	var missing []taotai.ReportUnit
	for _, d := range cal {
		if d.Period.Key != p.Key || d.Sector != sector {
			continue
		}
		if !slices.Contains(d.Forms, form) {
			return nil, nil, taotai.Errorf(taotai.EINVALID, "%s的报告不含附件%d，无法汇总。", d.Period.Name(), form)
		}
		if acc, ok := accepted[d.Unit.Code]; ok {
			parts = append(parts, consolidatedPart{unit: d.Unit, acceptedForm: acc})
		} else {
			missing = append(missing, d.Unit)
		}
	}
	return parts, missing, nil
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

// diff2 compares an accepted 附件2 with the live one.
func diff2(snapshot, live []forms.Row2) []RowDiff {
	return diffTables(forms.Table2(snapshot), forms.Table2(live))
}

// diffTables compares an accepted form's rows with the live ones: the
// rows whose cells differ in the snapshot's order, then the live rows the
// snapshot does not hold.
func diffTables(snapshot, live taotai.FormTable) []RowDiff {
	var out []RowDiff
	for _, c := range taotai.DiffTables(snapshot, live) {
		d := RowDiff{Name: c.Name, Address: c.Address, Row: c.OldIndex}
		switch c.Side {
		case taotai.RowRemoved:
			d.Side = DiffSnapshotOnly
		case taotai.RowAdded:
			d.Side, d.Live = DiffLiveOnly, c.New
		}
		for _, cell := range c.Cells {
			d.Cells = append(d.Cells, CellDiff{Column: cell.Name, Snapshot: cell.Old, Live: cell.New})
		}
		out = append(out, d)
	}
	return out
}

// Consolidated3 is a province-wide 附件3 of a period up a channel.
type Consolidated3 struct {
	Period  Period
	Sector  string
	Units   []ConsolidatedUnit3 // the units with an accepted report, in unit order
	Total   forms.CardCount     // the sum of the units' counts
	Missing []taotai.ReportUnit // the units due to report with no accepted report
}

// Forms returns the units as forms.WriteConsolidated3 takes them.
func (c *Consolidated3) Forms() []forms.ConsolidatedUnit3 {
	out := make([]forms.ConsolidatedUnit3, len(c.Units))
	for i, u := range c.Units {
		out[i] = u.ConsolidatedUnit3
	}
	return out
}

// ConsolidatedUnit3 is one unit's part of a province-wide 附件3.
type ConsolidatedUnit3 struct {
	forms.ConsolidatedUnit3
	Code         string
	SubmissionID int64
	Version      int
	Subtotal     forms.CardCount
	Diffs        []RowDiff // after CompareLive3
}

// Consolidate3 builds the province-wide 附件3 of a period up a channel
// from the accepted submissions within the lane, as Consolidate2 does
// 附件2: per unit its rows and their count by card, the total, the units
// missing, and the difference from the live card history.
func (s *DB) Consolidate3(ctx context.Context, p Period, sector string) (*Consolidated3, error) {
	parts, missing, err := s.consolidate(ctx, p, sector, forms.Form3)
	if err != nil {
		return nil, err
	}
	c := &Consolidated3{Period: p, Sector: sector, Missing: missing}
	for _, part := range parts {
		var rows []forms.Row3
		if err := part.decode(&rows); err != nil {
			return nil, err
		}
		u := ConsolidatedUnit3{ConsolidatedUnit3: forms.ConsolidatedUnit3{Name: part.unit.Name, Rows: rows},
			Code: part.unit.Code, SubmissionID: part.id, Version: part.version}
		u.Subtotal = u.Count()
		c.Total.Add(u.Subtotal)
		c.Units = append(c.Units, u)
	}
	return c, nil
}

// diff3 compares an accepted 附件3 with the live one.
func diff3(snapshot, live []forms.Row3) []RowDiff {
	return diffTables(forms.Table3(snapshot), forms.Table3(live))
}

// Consolidated1 is a province-wide 附件1 of a period up a channel (the
// first report holds it).
type Consolidated1 struct {
	Period  Period
	Sector  string
	Units   []ConsolidatedUnit1 // the units with an accepted report, in unit order
	Total   int                 // how many enterprises in all
	Missing []taotai.ReportUnit // the units due to report with no accepted report
}

// Forms returns the units as forms.WriteConsolidated1 takes them.
func (c *Consolidated1) Forms() []forms.ConsolidatedUnit1 {
	out := make([]forms.ConsolidatedUnit1, len(c.Units))
	for i, u := range c.Units {
		out[i] = u.ConsolidatedUnit1
	}
	return out
}

// ConsolidatedUnit1 is one unit's part of a province-wide 附件1.
type ConsolidatedUnit1 struct {
	forms.ConsolidatedUnit1
	Code         string
	SubmissionID int64
	Version      int
	Diffs        []RowDiff // after CompareLive1
}

// Consolidate1 builds the province-wide 附件1 of a period up a channel
// from the accepted submissions within the lane: per unit its key list
// as accepted, the number of enterprises, the units missing, and the
// difference from the live key list of the year. EINVALID for a period
// whose report holds no 附件1.
func (s *DB) Consolidate1(ctx context.Context, p Period, sector string) (*Consolidated1, error) {
	parts, missing, err := s.consolidate(ctx, p, sector, forms.Form1)
	if err != nil {
		return nil, err
	}
	c := &Consolidated1{Period: p, Sector: sector, Missing: missing}
	for _, part := range parts {
		var rows []forms.Row1
		if err := part.decode(&rows); err != nil {
			return nil, err
		}
		u := ConsolidatedUnit1{ConsolidatedUnit1: forms.ConsolidatedUnit1{Name: part.unit.Name, Rows: rows},
			Code: part.unit.Code, SubmissionID: part.id, Version: part.version}
		c.Total += len(rows)
		c.Units = append(c.Units, u)
	}
	return c, nil
}

// diff1 compares an accepted 附件1 with the live key list.
func diff1(snapshot, live []forms.Row1) []RowDiff {
	return diffTables(forms.Table1(snapshot), forms.Table1(live))
}

// CompareLive2 fills each unit's Diffs of c: the rows where the unit's
// live 附件2 of the period, counted from the records now, differs from
// what was accepted.
func (s *DB) CompareLive2(ctx context.Context, c *Consolidated2) error {
	for i := range c.Units {
		u := &c.Units[i]
		live, err := s.Form2Rows(ctx, c.Period, u.Code, c.Sector)
		if err != nil {
			return err
		}
		u.Diffs = diff2(u.Rows, live)
	}
	return nil
}

// CompareLive3 fills each unit's Diffs of c from its live 附件3.
func (s *DB) CompareLive3(ctx context.Context, c *Consolidated3) error {
	for i := range c.Units {
		u := &c.Units[i]
		live, err := s.Form3Rows(ctx, c.Period, u.Code, c.Sector)
		if err != nil {
			return err
		}
		u.Diffs = diff3(u.Rows, live)
	}
	return nil
}

// CompareLive1 fills each unit's Diffs of c from its live key list.
func (s *DB) CompareLive1(ctx context.Context, c *Consolidated1) error {
	for i := range c.Units {
		u := &c.Units[i]
		live, err := s.Form1Rows(ctx, c.Period.Year, u.Code, c.Sector)
		if err != nil {
			return err
		}
		u.Diffs = diff1(u.Rows, live)
	}
	return nil
}
