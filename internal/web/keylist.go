package web

import (
	"net/http"
	"net/url"
	"strconv"

	"taotai"
)

type keyListPage struct {
	Page
	Year    *taotai.CampaignYear
	Years   []*taotai.CampaignYear
	Region  string
	Regions []regionOption
	Entries []*taotai.KeyListEntry // the page's
	Total   int
	PageNo  int
	Pages   int
	Offset  int // of the page's first entry, for its 序号
}

// PageLink is page n of the list, in the same region.
func (p *keyListPage) PageLink(n int) string {
	q := url.Values{"page": {strconv.Itoa(n)}}
	if p.Region != "" {
		q.Set("region", p.Region)
	}
	return "/keylist/" + strconv.Itoa(p.Year.Year) + "?" + q.Encode()
}

// keyListPageSize is how many enterprises a page of the key list shows.
const keyListPageSize = 50

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
	// The page asked for: the count first, so that a page past the end
	// shows the last one.
	if _, p.Total, err = s.store.KeyListPage(ctx, year.Year, p.Region, 0, 0); err != nil {
		return err
	}
	p.Pages = (p.Total + keyListPageSize - 1) / keyListPageSize
	p.PageNo = min(max(atoiOr(r.URL.Query().Get("page"), 1), 1), max(p.Pages, 1))
	p.Offset = (p.PageNo - 1) * keyListPageSize
	if p.Entries, _, err = s.store.KeyListPage(ctx, year.Year, p.Region, p.Offset, keyListPageSize); err != nil {
		return err
	}
	if p.Regions, err = s.laneRegions(r); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "keylist", p)
	return nil
}
