package store

import (
	"strconv"
	"strings"

	"taotai"
)

// where builds a WHERE clause with numbered placeholders ($1, $2 …), which
// both modernc.org/sqlite and pgx bind by number.
type where struct {
	conds []string
	args  []any
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

// lane adds the actor's lane: the region subtree (through the regions row
// aliased r) and, when the actor has one, the sector (industries row i).
func (w *where) lane(a *taotai.Actor, regionAlias, industryAlias string) {
	w.add(regionAlias+".path LIKE ?", a.RegionPath+"%")
	if a.Sector != "" {
		w.add(industryAlias+".sector = ?", a.Sector)
	}
}

// likeContains returns a LIKE pattern matching s anywhere, with the LIKE
// metacharacters escaped by a backslash (use ESCAPE '\').
func likeContains(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
