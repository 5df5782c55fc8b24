package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"taotai"
	"taotai/internal/store"
)

type coveragePage struct {
	Page
	Year     *taotai.CampaignYear
	Years    []*taotai.CampaignYear
	Region   *taotai.Region
	Deadline time.Time
	Rows     []store.CoverageRow
	Drill    map[string]bool // rows that have sub-regions
	Listed   int
	Covered  int
	Gaps     []*taotai.Enterprise
	GapCount int
	PageNo   int // the gaps' page
	Pages    int
	Sector   string         // one sector of the lane, or "" for all of it
	Sectors  []sectorOption // the choice, when the lane holds both
	// Progress against the approved inspection plans (plans_progress.go),
	// by region code, and in total.
	Plan      map[string]store.PlanCoverageRow
	PlanTotal store.PlanCoverageRow
}

// sectorOf reads ?sector= for a page of the actor's lane: "" (every
// sector of it), or coal or noncoal; the store refuses one outside the
// lane. It offers the choice when the lane holds both.
func sectorOf(r *http.Request) (string, []sectorOption) {
	if taotai.ActorFromContext(r.Context()).Sector != "" {
		return r.URL.Query().Get("sector"), nil
	}
	return r.URL.Query().Get("sector"), []sectorOption{{"", "全部"}, {taotai.SectorNonCoal, "非煤"}, {taotai.SectorCoal, "煤矿"}}
}

// Link is the coverage table of a region, in the page's year and sector.
func (p *coveragePage) Link(region string) string { return "/coverage?" + p.query(region) }

// GapsLink is the list of a region's uninspected enterprises, in the
// page's year and sector.
func (p *coveragePage) GapsLink(region string) string { return "/coverage/gaps?" + p.query(region) }

// PlanOf is a region's progress against the approved plans.
func (p *coveragePage) PlanOf(region string) store.PlanCoverageRow { return p.Plan[region] }

// PageLink is page n of the gaps, with the same year, region and sector.
func (p *coveragePage) PageLink(n int) string {
	return p.GapsLink(p.Region.Code) + "&page=" + strconv.Itoa(n)
}

// Recorders names who records inspections, for a user who cannot.
func (p *coveragePage) Recorders() string { return taotai.DeciderNames(taotai.ActRecordInspection) }

func (p *coveragePage) query(region string) string {
	v := url.Values{"year": {strconv.Itoa(p.Year.Year)}, "region": {region}}
	if p.Sector != "" {
		v.Set("sector", p.Sector)
	}
	return v.Encode()
}

// Percent is the share of the whole table inspected.
func (p *coveragePage) Percent() float64 {
	return store.CoverageRow{Listed: p.Listed, Inspected: p.Covered}.Percent()
}

// coverageYear reads ?year= (default: the newest campaign year) and the
// year's full-coverage deadline (30 September in 2020).
func (s *Server) coverageYear(r *http.Request) (*taotai.CampaignYear, []*taotai.CampaignYear, time.Time, error) {
	years, err := s.store.CampaignYears(r.Context())
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	if len(years) == 0 {
		return nil, nil, time.Time{}, taotai.Errorf(taotai.ENOTFOUND, "尚未配置任何年度工作。")
	}
	y := years[0]
	if raw := r.URL.Query().Get("year"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			return nil, nil, time.Time{}, taotai.Errorf(taotai.EINVALID, "年度“%s”格式不正确。", truncate(raw, 10))
		}
		if y, err = s.store.FindCampaignYear(r.Context(), n); err != nil {
			return nil, nil, time.Time{}, err
		}
	}
	deadline := time.Date(y.Year, 9, 30, 0, 0, 0, 0, taotai.Shanghai)
	for _, d := range y.Deadlines {
		if d.Key == "coverage" {
			deadline = d.Due
		}
	}
	return y, years, deadline, nil
}

func (s *Server) coverage(w http.ResponseWriter, r *http.Request) error {
	y, years, deadline, err := s.coverageYear(r)
	if err != nil {
		return err
	}
	a := taotai.ActorFromContext(r.Context())
	code := r.URL.Query().Get("region")
	if code == "" {
		code = a.RegionCode
	}
	p := &coveragePage{Page: s.page(r, "全覆盖检查"), Year: y, Years: years, Deadline: deadline, Drill: map[string]bool{}}
	p.Sector, p.Sectors = sectorOf(r)
	if p.Region, err = s.store.FindRegion(r.Context(), code); err != nil {
		return err
	}
	if p.Rows, err = s.store.SectorCoverage(r.Context(), y.Year, code, p.Sector, deadline); err != nil {
		return err
	}
	regions, err := s.store.Regions(r.Context())
	if err != nil {
		return err
	}
	for _, rg := range regions {
		p.Drill[rg.Parent] = true
	}
	for _, row := range p.Rows {
		p.Listed += row.Listed
		p.Covered += row.Inspected
	}
	if p.Plan, err = s.store.PlanCoverage(r.Context(), y.Year, code, p.Sector, s.store.Clock().Now()); err != nil {
		return err
	}
	for _, row := range p.Plan {
		p.PlanTotal.Planned += row.Planned
		p.PlanTotal.Done += row.Done
		p.PlanTotal.Overdue += row.Overdue
	}
	s.render(w, r, http.StatusOK, "coverage", p)
	return nil
}

func (s *Server) coverageGaps(w http.ResponseWriter, r *http.Request) error {
	y, years, deadline, err := s.coverageYear(r)
	if err != nil {
		return err
	}
	a := taotai.ActorFromContext(r.Context())
	code := r.URL.Query().Get("region")
	if code == "" {
		code = a.RegionCode
	}
	p := &coveragePage{Page: s.page(r, "未覆盖检查的企业"), Year: y, Years: years, Deadline: deadline}
	p.Sector, p.Sectors = sectorOf(r)
	if p.Region, err = s.store.FindRegion(r.Context(), code); err != nil {
		return err
	}
	p.PageNo = max(atoiOr(r.URL.Query().Get("page"), 1), 1)
	if p.Gaps, p.GapCount, err = s.store.CoverageGapsPage(r.Context(), y.Year, code, p.Sector, deadline, (p.PageNo-1)*pageSize, pageSize); err != nil {
		return err
	}
	p.Pages = (p.GapCount + pageSize - 1) / pageSize
	s.render(w, r, http.StatusOK, "coverage_gaps", p)
	return nil
}
