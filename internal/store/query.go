package store

import (
	"slices"
	"strconv"
	"strings"

	"taotai"
)

// where builds a WHERE clause with numbered placeholders ($1, $2 …), which
// both modernc.org/sqlite and pgx bind by number.
type where struct {
	conds []string
	args  []any
	// unindexed writes region subtrees so that no index on region_path
	// serves them (see subtree).
	unindexed bool
}

// clone returns a copy of w that conditions can be added to apart.
func (w *where) clone() *where {
	return &where{conds: slices.Clone(w.conds), args: slices.Clone(w.args), unindexed: w.unindexed}
}

// unindexedCols returns a copy of w whose conditions on the columns
// named (of table t) no index serves, read through an expression as in
// subtree: for a statement that another condition narrows far more, such
// as a deadline within days, which SQLite's planner, knowing no bound
// values, cannot tell from a region's or a year's range.
func (w *where) unindexedCols(t string, cols ...string) *where {
	c := w.clone()
	for _, col := range cols {
		col = t + "." + col
		for i, cond := range c.conds {
			if !strings.Contains(cond, "("+col+" || '')") {
				c.conds[i] = strings.ReplaceAll(cond, col+" ", "("+col+" || '') ")
			}
		}
	}
	return c
}

// add appends a condition; each "?" in cond becomes the next placeholder,
// bound to the next of args.
func (w *where) add(cond string, args ...any) {
	var b strings.Builder
	i := 0
	for _, c := range cond {
		if c == '?' && i < len(args) {
			w.args = append(w.args, args[i])
			i++
			b.WriteString("$" + strconv.Itoa(len(w.args)))
			continue
		}
		b.WriteRune(c)
	}
	w.conds = append(w.conds, b.String())
}

// next returns the placeholder for one more argument.
func (w *where) next(arg any) string {
	w.args = append(w.args, arg)
	return "$" + strconv.Itoa(len(w.args))
}

// String returns " WHERE a AND b", or "" with no conditions.
func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// lane adds the actor's lane on a table with region_path and sector
// columns (aliased t): the region subtree and, when the actor has one, the
// sector.
func (w *where) lane(a *taotai.Actor, t string) {
	w.subtree(t, a.RegionPath)
	if a.Sector != "" {
		w.add(t+".sector = ?", a.Sector)
	}
}

// subtree adds "t.region_path lies under path" as a range, which an index
// serves on both databases (paths compare bytewise: COLLATE "C" on
// PostgreSQL). Paths hold digits and "/"; every path under "/a/b/" sorts
// from it up to "/a/b0", "0" being the byte after "/".
//
// With w.unindexed the column is read through an expression, which no
// index serves: a list's page walks the index of its order (the newest
// first) and checks the lane in passing, where SQLite's planner would
// otherwise gather the whole lane by region_path and sort it.
func (w *where) subtree(t, path string) {
	col := t + ".region_path"
	if w.unindexed {
		col = "(" + col + " || '')"
	}
	w.add(col+" >= ? AND "+col+" < ?", path, path[:len(path)-1]+"0")
}

// likeContains returns a LIKE pattern matching s anywhere, with the LIKE
// metacharacters escaped by a backslash (use ESCAPE '\').
func likeContains(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// positional rewrites a statement with many numbered placeholders ($1 …
// $3000) for SQLite as plain "?", the arguments repeated in the order the
// placeholders occur. SQLite's parser, and the driver when binding, look a
// numbered placeholder up in a list, which takes time quadratic in their
// number: a 200-row audit INSERT spent most of its time there. PostgreSQL
// keeps the statement as it is. The statement must hold no "$" in a
// string literal.
func (s *DB) positional(query string, args []any) (string, []any) {
	if s.dialect != SQLite {
		return query, args
	}
	var b strings.Builder
	b.Grow(len(query))
	out := make([]any, 0, len(args))
	for i := 0; i < len(query); i++ {
		c := query[i]
		if c != '$' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(query) && query[j] >= '0' && query[j] <= '9' {
			j++
		}
		n, err := strconv.Atoi(query[i+1 : j])
		if err != nil || n < 1 || n > len(args) {
			b.WriteByte(c) // not a placeholder: let the database say so
			continue
		}
		b.WriteByte('?')
		out = append(out, args[n-1])
		i = j - 1
	}
	return b.String(), out
}
