package web

import (
	"net/http"
	"strconv"

	"taotai"
)

type keyListPage struct {
	Page
	Year    *taotai.CampaignYear
	Years   []*taotai.CampaignYear
	Region  string
	Regions []regionOption
	Entries []*taotai.KeyListEntry
}

func (s *Server) keyList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	years, err := s.store.CampaignYears(ctx)
	if err != nil {
		return err
	}
	if len(years) == 0 {
		return taotai.Errorf(taotai.ENOTFOUND, "尚未配置任何年度工作。")
	}
	year := years[0]
	if raw := r.PathValue("year"); raw != "" {
		y, err := strconv.Atoi(raw)
		if err != nil {
			return taotai.Errorf(taotai.EINVALID, "年度“%s”格式不正确。", truncate(raw, 10))
		}
		if year, err = s.store.FindCampaignYear(ctx, y); err != nil {
			return err
		}
	}
	p := &keyListPage{Page: s.page(r, strconv.Itoa(year.Year)+"年度重点淘汰行业企业名单"), Year: year, Years: years,
		Region: r.URL.Query().Get("region")}
	if p.Entries, err = s.store.KeyList(ctx, year.Year, p.Region); err != nil {
		return err
	}
	if p.Regions, err = s.laneRegions(r); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "keylist", p)
	return nil
}
