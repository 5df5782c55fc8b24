package taotai

import "strconv"

// Comparing two tables of a form: two versions of a unit's report, or an
// accepted report and what the live records give now. A row is an
// enterprise's, and is found in the other table by its key, the
// enterprise's name and address as the form prints them (the n-th row of
// the same name and address is matched to the n-th). A row left over on
// each side with the same name, that name alone among the left-over rows
// of both sides, is the same enterprise with its address changed. The
// other left-over rows were added or removed.

// FormTable is a form's rows as text, in the notice's column order
// without 序号.
type FormTable struct {
	Form    int
	Columns []string // the columns as the notice names them
	Name    int      // the column of the enterprise's name
	Address int      // the column of its address
	Rows    [][]string
}

// The sides a row may be on alone.
const (
	RowRemoved = "removed" // in the old table only
	RowAdded   = "added"   // in the new table only
)

// RowChange is an enterprise's row that differs between two tables.
type RowChange struct {
	Name, Address string // as in the old table, or the new one for an added row
	// Side is "" for a row on both sides with cells that differ,
	// RowRemoved or RowAdded for a row on one side only.
	Side     string
	OldIndex int      // the row's index in the old table, -1 when added
	NewIndex int      // in the new table, -1 when removed
	Old, New []string // the row's cells on each side (nil on the side it is not)
	// Cells are the columns that differ: for a row on both sides, those
	// whose values differ (the address when it changed); for a row on one
	// side, every column but the name and address that holds a value
	// other than "" or "0".
	Cells []CellChange
}

// CellChange is one column of a row whose value differs.
type CellChange struct {
	Column   int    // its index in FormTable.Columns
	Name     string // its name
	Old, New string
}

// DiffTables compares two tables of the same form: the rows that differ,
// those of the old table in its order (changed or removed), then those
// added in the new table's order. Equal tables give none.
func DiffTables(old, new FormTable) []RowChange {
	oldKeys, newKeys := rowKeys(old), rowKeys(new)
	newByKey := make(map[string]int, len(newKeys))
	for i, k := range newKeys {
		newByKey[k] = i
	}
	pairOf := make([]int, len(old.Rows)) // old row → new row, -1 for none
	matched := make([]bool, len(new.Rows))
	for i, k := range oldKeys {
		pairOf[i] = -1
		if j, ok := newByKey[k]; ok {
			pairOf[i], matched[j] = j, true
		}
	}
	pairMoved(old, new, pairOf, matched)
	var out []RowChange
	for i, j := range pairOf {
		if j < 0 {
			out = append(out, oneSided(old, i, RowRemoved))
			continue
		}
		if c := changed(old, new, i, j); len(c.Cells) > 0 {
			out = append(out, c)
		}
	}
	for j := range new.Rows {
		if !matched[j] {
			out = append(out, oneSided(new, j, RowAdded))
		}
	}
	return out
}

// rowKeys keys each row by its name, address and how many rows of the
// same name and address come before it.
func rowKeys(t FormTable) []string {
	seen := map[string]int{}
	keys := make([]string, len(t.Rows))
	for i, r := range t.Rows {
		base := cellAt(r, t.Name) + "\x00" + cellAt(r, t.Address)
		keys[i] = base + "\x00" + strconv.Itoa(seen[base])
		seen[base]++
	}
	return keys
}

// pairMoved pairs the rows left unmatched on both sides whose name is
// unique among them: the enterprise's address changed.
func pairMoved(old, new FormTable, pairOf []int, matched []bool) {
	oldByName, newByName := map[string][]int{}, map[string][]int{}
	for i, j := range pairOf {
		if j < 0 {
			n := cellAt(old.Rows[i], old.Name)
			oldByName[n] = append(oldByName[n], i)
		}
	}
	for j, ok := range matched {
		if !ok {
			n := cellAt(new.Rows[j], new.Name)
			newByName[n] = append(newByName[n], j)
		}
	}
	for name, is := range oldByName {
		if js := newByName[name]; len(is) == 1 && len(js) == 1 {
			pairOf[is[0]], matched[js[0]] = js[0], true
		}
	}
}

// changed compares the old table's row i with the new table's row j.
func changed(old, new FormTable, i, j int) RowChange {
	o, n := old.Rows[i], new.Rows[j]
	c := RowChange{Name: cellAt(o, old.Name), Address: cellAt(o, old.Address), OldIndex: i, NewIndex: j, Old: o, New: n}
	for k, col := range old.Columns {
		if k == old.Name {
			continue
		}
		if a, b := cellAt(o, k), cellAt(n, k); a != b {
			c.Cells = append(c.Cells, CellChange{Column: k, Name: col, Old: a, New: b})
		}
	}
	return c
}

// oneSided is row i of t, on side alone.
func oneSided(t FormTable, i int, side string) RowChange {
	r := t.Rows[i]
	c := RowChange{Name: cellAt(r, t.Name), Address: cellAt(r, t.Address), Side: side, OldIndex: -1, NewIndex: -1}
	if side == RowRemoved {
		c.OldIndex, c.Old = i, r
	} else {
		c.NewIndex, c.New = i, r
	}
	for k, col := range t.Columns {
		v := cellAt(r, k)
		if k == t.Name || k == t.Address || v == "" || v == "0" {
			continue
		}
		cc := CellChange{Column: k, Name: col}
		if side == RowRemoved {
			cc.Old = v
		} else {
			cc.New = v
		}
		c.Cells = append(c.Cells, cc)
	}
	return c
}

func cellAt(r []string, i int) string {
	if i < 0 || i >= len(r) {
		return ""
	}
	return r[i]
}

// FormChanges is how one form differs between two versions of a report.
type FormChanges struct {
	Form                    int
	Rows                    []RowChange
	Changed, Added, Removed int // how many rows of each kind
}

// CountChanges sums a comparison's rows by kind.
func CountChanges(form int, rows []RowChange) FormChanges {
	fc := FormChanges{Form: form, Rows: rows}
	for _, r := range rows {
		switch r.Side {
		case RowAdded:
			fc.Added++
		case RowRemoved:
			fc.Removed++
		default:
			fc.Changed++
		}
	}
	return fc
}

// Same reports whether the form is the same in both versions.
func (fc FormChanges) Same() bool { return len(fc.Rows) == 0 }

// VersionChanges is what changed from one version of a report to the
// next: each form's rows, and for the annual report the work summary's
// text and files (a file known by its name and SHA-256).
type VersionChanges struct {
	From, To       int // the versions compared
	Forms          []FormChanges
	ZeroChanged    bool // one is a zero report, the other not
	SummaryChanged bool
	FilesAdded     []SubmittedFile // in To only (without their bytes)
	FilesRemoved   []SubmittedFile // in From only
}

// Same reports whether nothing the versions send differs.
func (vc VersionChanges) Same() bool {
	for _, f := range vc.Forms {
		if !f.Same() {
			return false
		}
	}
	return !vc.ZeroChanged && !vc.SummaryChanged && len(vc.FilesAdded) == 0 && len(vc.FilesRemoved) == 0
}

// CompareVersions compares two versions of a report, each form through
// its table (table reads a form's rows as sent). A form one version holds
// and the other not is compared with an empty table.
func CompareVersions(from, to *Submission, table func(SubmittedForm) (FormTable, error)) (VersionChanges, error) {
	vc := VersionChanges{From: from.Version, To: to.Version, ZeroChanged: from.Zero != to.Zero,
		SummaryChanged: from.Summary != to.Summary}
	tables := func(s *Submission) (map[int]FormTable, []int, error) {
		out, order := map[int]FormTable{}, []int{}
		for _, f := range s.Forms {
			t, err := table(f)
			if err != nil {
				return nil, nil, err
			}
			out[f.Form], order = t, append(order, f.Form)
		}
		return out, order, nil
	}
	olds, oldOrder, err := tables(from)
	if err != nil {
		return vc, err
	}
	news, order, err := tables(to)
	if err != nil {
		return vc, err
	}
	for _, f := range oldOrder {
		if _, ok := news[f]; !ok {
			order = append(order, f)
		}
	}
	for _, f := range order {
		o, n := olds[f], news[f]
		if o.Columns == nil {
			o = FormTable{Form: f, Columns: n.Columns, Name: n.Name, Address: n.Address}
		}
		if n.Columns == nil {
			n = FormTable{Form: f, Columns: o.Columns, Name: o.Name, Address: o.Address}
		}
		vc.Forms = append(vc.Forms, CountChanges(f, DiffTables(o, n)))
	}
	vc.FilesAdded, vc.FilesRemoved = fileChanges(from.Files, to.Files), fileChanges(to.Files, from.Files)
	return vc, nil
}

// fileChanges returns the files of b that a does not hold (by name and
// SHA-256), without their bytes.
func fileChanges(a, b []SubmittedFile) []SubmittedFile {
	have := map[string]int{}
	for _, f := range a {
		have[f.Name+"\x00"+f.SHA256]++
	}
	var out []SubmittedFile
	for _, f := range b {
		k := f.Name + "\x00" + f.SHA256
		if have[k] > 0 {
			have[k]--
			continue
		}
		out = append(out, SubmittedFile{Name: f.Name, SHA256: f.SHA256})
	}
	return out
}
