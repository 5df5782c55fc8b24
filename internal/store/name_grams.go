package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// A name search reads the bigram index of migration 00018 (enterprise_grams:
// every two consecutive characters of each enterprise's name and credit
// code, ASCII letters lowered). nameGrams gives the same grams in Go, for
// the query and for the check that the triggers keep the index whole.

// maxQueryGrams bounds the bigrams a query looks up: a long query is
// narrowed enough by a few, and LIKE checks the rest.
const maxQueryGrams = 6

// asciiLower lowers ASCII letters only, as SQLite's lower() and the
// migration's ascii_lower() do.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// nameGrams returns the distinct bigrams of s, lowered, in their order.
func nameGrams(s string) []string {
	rs := []rune(asciiLower(s))
	var out []string
	for i := 0; i+1 < len(rs); i++ {
		g := string(rs[i : i+2])
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// queryGrams picks the bigrams a search for q looks up: none when q is
// shorter than two characters (the search then reads every name of the
// lane), else up to maxQueryGrams of them spread over q, the first and the
// last included.
func queryGrams(q string) []string {
	g := nameGrams(q)
	if len(g) <= maxQueryGrams {
		return g
	}
	out := make([]string, 0, maxQueryGrams)
	for i := range maxQueryGrams {
		out = append(out, g[i*(len(g)-1)/(maxQueryGrams-1)])
	}
	return out
}

// gramClause returns the condition that t.id holds every one of grams.
func gramClause(w *where, t string, grams []string) string {
	parts := make([]string, len(grams))
	for i, g := range grams {
		parts[i] = `SELECT enterprise_id FROM enterprise_grams WHERE gram = ` + w.next(g)
	}
	return t + `.id IN (` + strings.Join(parts, ` INTERSECT `) + `)`
}

// gramMismatches describes every enterprise whose indexed bigrams differ
// from those of its name and credit code (LaneMismatches).
func (s *DB) gramMismatches(ctx context.Context) ([]string, error) {
	want, err := s.gramsOfNames(ctx)
	if err != nil {
		return nil, err
	}
	have := map[int64][]string{}
	rows, err := s.db.QueryContext(ctx, `SELECT enterprise_id, gram FROM enterprise_grams ORDER BY enterprise_id, gram`)
	if err != nil {
		return nil, fmt.Errorf("name grams: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var g string
		if err := rows.Scan(&id, &g); err != nil {
			return nil, err
		}
		have[id] = append(have[id], g)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []string
	for id, g := range want {
		if !slices.Equal(g, have[id]) {
			out = append(out, fmt.Sprintf("enterprise_grams of enterprise %d: %q, its name and code give %q", id, have[id], g))
		}
	}
	for id, g := range have {
		if _, ok := want[id]; !ok {
			out = append(out, fmt.Sprintf("enterprise_grams of enterprise %d, which does not exist: %q", id, g))
		}
	}
	slices.Sort(out)
	return out, nil
}

// gramsOfNames returns each enterprise's bigrams as nameGrams gives them
// for its name and credit code, sorted.
func (s *DB) gramsOfNames(ctx context.Context) (map[int64][]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, COALESCE(credit_code, '') FROM enterprises`)
	if err != nil {
		return nil, fmt.Errorf("name grams: %w", err)
	}
	defer rows.Close()
	want := map[int64][]string{}
	for rows.Next() {
		var id int64
		var name, code string
		if err := rows.Scan(&id, &name, &code); err != nil {
			return nil, err
		}
		g := nameGrams(name)
		for _, c := range nameGrams(code) {
			if !slices.Contains(g, c) {
				g = append(g, c)
			}
		}
		slices.Sort(g)
		want[id] = g
	}
	return want, rows.Err()
}
