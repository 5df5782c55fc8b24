package web

import (
	"net/http"
	"time"

	"taotai"
	"taotai/internal/store"
)

type homePage struct {
	Page
	Region      *taotai.Region
	Enterprises int
	KeyListed   int
	Campaign    *taotai.CampaignYear
	Today       time.Time
	Work        *store.Worklist
}

// Upcoming reports whether a deadline is today or later.
func (p *homePage) Upcoming(d taotai.Deadline) bool { return !d.Due.Before(p.Today) }

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := taotai.ActorFromContext(ctx)
	p := &homePage{Page: s.page(r, "工作台"), Today: taotai.Today(s.store.Clock().Now())}
	var err error
	if p.Region, err = s.store.FindRegion(ctx, a.RegionCode); err != nil {
		return err
	}
	if _, p.Enterprises, err = s.store.FindEnterprises(ctx, taotai.EnterpriseFilter{Limit: 1}); err != nil {
		return err
	}
	years, err := s.store.CampaignYears(ctx)
	if err != nil {
		return err
	}
	if len(years) > 0 {
		p.Campaign = years[0]
		if _, p.KeyListed, err = s.store.FindEnterprises(ctx, taotai.EnterpriseFilter{Limit: 1, KeyYear: p.Campaign.Year}); err != nil {
			return err
		}
	}
	if p.Work, err = s.store.Worklist(ctx, s.store.Clock().Now()); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "home", p)
	return nil
}
