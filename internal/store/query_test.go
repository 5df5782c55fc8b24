package store

import (
	"reflect"
	"testing"
)

func TestPositional(t *testing.T) {
	tests := []struct {
		query    string
		args     []any
		want     string
		wantArgs []any
	}{
		{"INSERT INTO t VALUES ($1, $2), ($3, $4)", []any{1, 2, 3, 4}, "INSERT INTO t VALUES (?, ?), (?, ?)", []any{1, 2, 3, 4}},
		// A reused placeholder repeats its argument where it occurs.
		{"VALUES ($2, $3, $1), ($4, $5, $1)", []any{"now", "a", "b", "c", "d"}, "VALUES (?, ?, ?), (?, ?, ?)", []any{"a", "b", "now", "c", "d", "now"}},
		{"SELECT $12", []any{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, "SELECT ?", []any{12}},
		// Not placeholders: left for the database to refuse.
		{"SELECT $0, $, $9", []any{1}, "SELECT $0, $, $9", []any{}},
	}
	s := &DB{dialect: SQLite}
	for _, tt := range tests {
		got, args := s.positional(tt.query, tt.args)
		if got != tt.want || !reflect.DeepEqual(args, tt.wantArgs) {
			t.Errorf("positional(%q) = %q %v, want %q %v", tt.query, got, args, tt.want, tt.wantArgs)
		}
	}
	pg := &DB{dialect: Postgres}
	if got, args := pg.positional("SELECT $1", []any{1}); got != "SELECT $1" || len(args) != 1 {
		t.Errorf("PostgreSQL rewritten: %q", got)
	}
}
