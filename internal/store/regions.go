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
	return queryRegions(ctx, s.db, ` ORDER BY length(path), sort, code`)
}

// childRegions returns a region's children in the tree's order.
func childRegions(ctx context.Context, q queryer, code string) ([]*taotai.Region, error) {
	return queryRegions(ctx, q, ` WHERE parent = $1 ORDER BY sort, code`, code)
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
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM regions WHERE parent = $1`, code).Scan(&n)
	return n > 0, err
}
