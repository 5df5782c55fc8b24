package web

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"taotai"
)

// regionOption is a region in a select, indented by level.
type regionOption struct {
	Code, Name string
	Level      string
	Leaf       bool
}

// laneRegions returns the regions of the user's subtree in tree order.
func (s *Server) laneRegions(r *http.Request) ([]regionOption, error) {
	a := taotai.ActorFromContext(r.Context())
	all, err := s.store.Regions(r.Context())
	if err != nil {
		return nil, err
	}
	parents := map[string]bool{}
	for _, rg := range all {
		parents[rg.Parent] = true
	}
	// Children after their parent: sort by path.
	var out []regionOption
	for _, rg := range sortByPath(all) {
		if strings.HasPrefix(rg.Path, a.RegionPath) {
			out = append(out, regionOption{Code: rg.Code, Name: rg.Name, Level: rg.Level, Leaf: rg.IsLeaf(parents[rg.Code])})
		}
	}
	return out, nil
}

func sortByPath(rs []*taotai.Region) []*taotai.Region {
	out := slices.Clone(rs)
	slices.SortFunc(out, func(a, b *taotai.Region) int { return cmp.Compare(a.Path, b.Path) })
	return out
}

// laneIndustries returns the industries of the user's sector.
func (s *Server) laneIndustries(r *http.Request) ([]*taotai.Industry, error) {
	a := taotai.ActorFromContext(r.Context())
	all, err := s.store.Industries(r.Context())
	if err != nil {
		return nil, err
	}
	var out []*taotai.Industry
	for _, i := range all {
		if a.SectorVisible(i.Sector) {
			out = append(out, i)
		}
	}
	return out, nil
}
