package store

import (
	"context"
	"fmt"
	"strings"
)

// DisplayNames maps login names to people's names (姓名) for pages that
// show who did something, as history rows record the login name. A login
// name without a 姓名, or unknown, is left out of the map.
func (s *DB) DisplayNames(ctx context.Context, usernames []string) (map[string]string, error) {
	out := map[string]string{}
	if len(usernames) == 0 {
		return out, nil
	}
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	marks := make([]string, len(usernames))
	args := make([]any, len(usernames))
	for i, u := range usernames {
		marks[i], args[i] = fmt.Sprintf("$%d", i+1), u
	}
	rows, err := s.db.QueryContext(ctx, `SELECT username, display_name FROM users WHERE display_name <> '' AND username IN (`+
		strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("display names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u, name string
		if err := rows.Scan(&u, &name); err != nil {
			return nil, err
		}
		out[u] = name
	}
	return out, rows.Err()
}
