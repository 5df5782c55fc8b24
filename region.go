package taotai

import "context"

// Region levels.
const (
	LevelProvince = "province"
	LevelCity     = "city"
	LevelCounty   = "county"
)

// Region is a node of the jurisdiction tree: the province, its cities (and
// 沈抚新区, a city-level unit with an internal code) and their counties.
type Region struct {
	Code   string // GB/T 2260 code, or an internal code (Internal)
	Name   string
	Parent string // "" for the province
	Level  string
	// Path lists the codes from the root, "/210000/210300/210302/"; a
	// subtree is every region whose Path starts with the root's Path.
	Path          string
	Internal      bool // not a GB/T 2260 division (沈抚新区)
	CoalProducing bool // 产煤市: set by the province, data not code
}

// IsLeaf reports whether enterprises may be registered directly in r, given
// whether it has children: a county, or a city-level unit without counties.
func (r Region) IsLeaf(hasChildren bool) bool { return r.Level != LevelProvince && !hasChildren }

// LevelName returns the Chinese name of a region level.
func LevelName(level string) string {
	switch level {
	case LevelProvince:
		return "省"
	case LevelCity:
		return "市"
	case LevelCounty:
		return "县（市、区）"
	}
	return level
}

// RegionService reads the jurisdiction tree.
type RegionService interface {
	// Regions returns every region in tree order (parents first).
	Regions(ctx context.Context) ([]*Region, error)
	// FindRegion returns one region, or ENOTFOUND.
	FindRegion(ctx context.Context, code string) (*Region, error)
}
