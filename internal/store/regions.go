package store

import (
	"context"
	"fmt"

	"taotai"
)

const regionColumns = `code, name, COALESCE(parent, ''), level, path, internal, coal_producing`

func scanRegion(row interface{ Scan(...any) error }) (*taotai.Region, error) {
	r := &taotai.Region{}
	err := row.Scan(&r.Code, &r.Name, &r.Parent, &r.Level, &r.Path, &r.Internal, &r.CoalProducing)
	return r, err
}

// Regions returns every region, parents before children.
func (s *DB) Regions(ctx context.Context) ([]*taotai.Region, error) {
	if t, err := memoRegions(ctx, s.db); err != nil {
		return nil, err
	} else if t != nil {
		return copyRegions(t.all), nil
	}
	return queryRegions(ctx, s.db, allRegionsTail)
}

// allRegionsTail orders every region parents first, siblings in the
// tree's order (sort, code).
const allRegionsTail = ` ORDER BY length(path), sort, code`

// childRegions returns a region's children in the tree's order.
func childRegions(ctx context.Context, q queryer, code string) ([]*taotai.Region, error) {
	if t, err := memoRegions(ctx, q); err != nil {
		return nil, err
	} else if t != nil {
		return copyRegions(t.children[code]), nil
	}
	return queryRegions(ctx, q, ` WHERE parent = $1 ORDER BY sort, code`, code)
}

// regionTable is every region, read once for a request (its memo): a page
// asked for regions up to six times (the view, its children, the report
// units, the whole tree), each a statement.
type regionTable struct {
	all      []*taotai.Region
	byCode   map[string]*taotai.Region
	children map[string][]*taotai.Region // by parent code, in the tree's order
}

// memoRegions returns the request's region table, read on first use:
// nil (and no error) inside a transaction or without a request memo.
func memoRegions(ctx context.Context, q queryer) (*regionTable, error) {
	if _, outside := q.(*pool); !outside {
		return nil, nil
	}
	m := memoFrom(ctx)
	if m == nil {
		return nil, nil
	}
	m.mu.Lock()
	t := m.regions
	m.mu.Unlock()
	if t != nil {
		return t, nil
	}
	all, err := queryRegions(ctx, q, allRegionsTail)
	if err != nil {
		return nil, err
	}
	t = &regionTable{all: all, byCode: make(map[string]*taotai.Region, len(all)), children: map[string][]*taotai.Region{}}
	for _, r := range all {
		t.byCode[r.Code] = r
		if r.Parent != "" {
			t.children[r.Parent] = append(t.children[r.Parent], r)
		}
	}
	m.mu.Lock()
	m.regions = t
	m.mu.Unlock()
	return t, nil
}

// copyRegions returns copies of rs, which the caller may change.
func copyRegions(rs []*taotai.Region) []*taotai.Region {
	var out []*taotai.Region
	for _, r := range rs {
		c := *r
		out = append(out, &c)
	}
	return out
}

// queryRegions reads the regions that tail (a WHERE and ORDER BY) selects.
func queryRegions(ctx context.Context, q queryer, tail string, args ...any) ([]*taotai.Region, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+regionColumns+` FROM regions`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("regions: %w", err)
	}
	defer rows.Close()
	var out []*taotai.Region
	for rows.Next() {
		r, err := scanRegion(rows)
		if err != nil {
			return nil, fmt.Errorf("scan region: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindRegion returns one region, or ENOTFOUND.
func (s *DB) FindRegion(ctx context.Context, code string) (*taotai.Region, error) {
	return findRegion(ctx, s.db, code)
}

func findRegion(ctx context.Context, q queryer, code string) (*taotai.Region, error) {
	if t, err := memoRegions(ctx, q); err != nil {
		return nil, err
	} else if t != nil {
		r, ok := t.byCode[code]
		if !ok {
			return nil, taotai.Errorf(taotai.ENOTFOUND, "行政区划代码“%s”不存在。", code)
		}
		c := *r
		return &c, nil
	}
	r, err := scanRegion(q.QueryRowContext(ctx, `SELECT `+regionColumns+` FROM regions WHERE code = $1`, code))
	if isNoRows(err) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "行政区划代码“%s”不存在。", code)
	} else if err != nil {
		return nil, fmt.Errorf("find region: %w", err)
	}
	return r, nil
}

// regionHasChildren reports whether a region has sub-regions.
func regionHasChildren(ctx context.Context, q queryer, code string) (bool, error) {
	if t, err := memoRegions(ctx, q); t != nil || err != nil {
		return t != nil && len(t.children[code]) > 0, err
	}
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM regions WHERE parent = $1`, code).Scan(&n)
	return n > 0, err
}
