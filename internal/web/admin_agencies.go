package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"taotai"
)

// agenciesPage lists the agencies with the marks (机关简称) they print in
// their document numbers, each editable.
type agenciesPage struct {
	Page
	Agencies []*taotai.Agency
	Regions  map[string]string // code → name
	Errors   map[string]string // agency id → message
	Message  string
	Form     map[string]string // agency id → the mark as typed
}

// RegionName names a region code.
func (p *agenciesPage) RegionName(code string) string {
	if n, ok := p.Regions[code]; ok {
		return n
	}
	return code
}

// SectorName names an agency's sector.
func (p *agenciesPage) SectorName(sector string) string {
	switch sector {
	case taotai.SectorCoal:
		return "煤矿"
	case taotai.SectorNonCoal:
		return "非煤"
	}
	return "全部"
}

// Mark is the mark shown in an agency's field: as typed after an error.
func (p *agenciesPage) Mark(a *taotai.Agency) string {
	if v, ok := p.Form[idString(a.ID)]; ok {
		return v
	}
	return a.ShortName
}

func (s *Server) adminAgencies(w http.ResponseWriter, r *http.Request) error {
	return s.renderAgencies(w, r, http.StatusOK, &agenciesPage{})
}

func (s *Server) renderAgencies(w http.ResponseWriter, r *http.Request, status int, p *agenciesPage) error {
	title := "机关简称（文书编号）"
	if p.Message != "" {
		title = "错误：" + title
	}
	p.Page = s.page(r, title)
	var err error
	if p.Agencies, err = s.store.Agencies(r.Context()); err != nil {
		return err
	}
	regions, err := s.store.Regions(r.Context())
	if err != nil {
		return err
	}
	p.Regions = map[string]string{}
	for _, rg := range regions {
		p.Regions[rg.Code] = rg.Name
	}
	s.render(w, r, status, "admin_agencies", p)
	return nil
}

// adminAgencyMark changes an agency's mark.
func (s *Server) adminAgencyMark(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	mark := strings.TrimSpace(r.PostFormValue("mark"))
	err = s.store.SetAgencyMark(r.Context(), id, mark)
	var appErr *taotai.Error
	if errors.As(err, &appErr) && (appErr.Code == taotai.EINVALID || appErr.Code == taotai.ECONFLICT) {
		key := idString(id)
		return s.renderAgencies(w, r, statusOf(appErr.Code), &agenciesPage{Message: appErr.Message,
			Errors: map[string]string{key: appErr.Message}, Form: map[string]string{key: mark}})
	} else if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionFlash, "机关简称已改为“"+mark+"”，此后下达的文书按新简称编号。")
	http.Redirect(w, r, "/admin/agencies", http.StatusSeeOther)
	return nil
}

// idString writes a record id as a form key.
func idString(id int64) string { return strconv.FormatInt(id, 10) }
