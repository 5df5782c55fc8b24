package web

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"taotai"
	"taotai/internal/forms"
)

// The coal-producing cities' lists of coal mines that do not meet the
// conditions for safe production (issue 11 item 8): the coal channel's
// users only; kept by the city's clerks and approvers; exported as .xlsx.

type coalMinesPage struct {
	Page
	Year       *taotai.CampaignYear
	Years      []*taotai.CampaignYear
	Entries    []*taotai.CoalMineEntry
	Candidates []*taotai.Enterprise // for the add form, to writers
	CanWrite   bool
	Entry      *taotai.CoalMineEntry // the one shown or typed
	Errors     map[string]string
}

// States are the states to choose from.
func (p *coalMinesPage) States() []string { return taotai.CoalStates }

// coalLane refuses a user whose lane lacks the coal channel (404), and,
// when write, one whose role may not keep the list (403).
func coalLane(r *http.Request, write bool) error {
	a := taotai.ActorFromContext(r.Context())
	switch {
	case !a.SectorVisible(taotai.SectorCoal):
		return taotai.Errorf(taotai.ENOTFOUND, "不符合安全生产条件的煤矿企业清单仅供煤矿安全监管部门使用。")
	case write && !a.Can(taotai.ActWriteKeyList):
		return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能修改煤矿企业清单。", taotai.RoleName(a.Role))
	}
	return nil
}

func (s *Server) newCoalMinesPage(r *http.Request) (*coalMinesPage, error) {
	if err := coalLane(r, false); err != nil {
		return nil, err
	}
	y, years, _, err := s.coverageYear(r)
	if err != nil {
		return nil, err
	}
	p := &coalMinesPage{Page: s.page(r, "不符合安全生产条件的煤矿企业清单"), Year: y, Years: years,
		CanWrite: taotai.ActorFromContext(r.Context()).Can(taotai.ActWriteKeyList), Entry: &taotai.CoalMineEntry{State: taotai.CoalRectifying}}
	if p.Entries, err = s.store.CoalMineEntries(r.Context(), y.Year, ""); err != nil {
		return nil, err
	}
	if p.CanWrite {
		if p.Candidates, err = s.store.CoalMineCandidates(r.Context(), y.Year); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (s *Server) coalMines(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newCoalMinesPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "coal_mines", p)
	return nil
}

// coalMineAdd puts a mine on the year's list; a refusal shows the list
// with the form as typed and the messages.
func (s *Server) coalMineAdd(w http.ResponseWriter, r *http.Request) error {
	if err := coalLane(r, true); err != nil {
		return err
	}
	r.URL.RawQuery = "year=" + url0(r.PostFormValue("year"))
	p, err := s.newCoalMinesPage(r)
	if err != nil {
		return err
	}
	c := coalMineForm(r)
	c.Year = p.Year.Year
	p.Entry = c
	errs := taotai.FieldErrors{}
	id, perr := strconv.ParseInt(r.PostFormValue("enterprise"), 10, 64)
	c.EnterpriseID = id
	if perr != nil || id <= 0 {
		errs.Add("enterprise", "请选择煤矿企业。")
	} else {
		err = s.store.AddCoalMineEntry(r.Context(), c)
		if taotai.ErrorCode(err) == taotai.ENOTFOUND {
			err = nil // a mine not in the lane, or gone: not one the form offered
			errs.Add("enterprise", "请从列表中选择本辖区的煤矿企业。")
		}
	}
	if status, ok := coalFormErrors(err, errs); ok {
		p.Errors = errs
		s.render(w, r, status, "coal_mines", p)
		return nil
	} else if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionFlash, "已列入"+strconv.Itoa(c.Year)+"年度清单。")
	http.Redirect(w, r, "/coal-mines?year="+strconv.Itoa(c.Year), http.StatusSeeOther) //nolint:gosec // G710: our own path with a numeric year, no host
	return nil
}

// url0 keeps a year as digits only (the query it goes into is ours).
func url0(s string) string {
	if _, err := strconv.Atoi(s); err != nil {
		return ""
	}
	return s
}

// coalMineForm reads the fields an entry shares between adding and editing.
func coalMineForm(r *http.Request) *taotai.CoalMineEntry {
	return &taotai.CoalMineEntry{Conditions: r.PostFormValue("conditions"), Measure: r.PostFormValue("measure"),
		State: strings.TrimSpace(r.PostFormValue("state"))}
}

// coalFormErrors adds a store's refusal to errs and says the status to
// show the form with, or false when there is nothing to show.
func coalFormErrors(err error, errs taotai.FieldErrors) (int, bool) {
	var appErr *taotai.Error
	switch {
	case err == nil:
	case errors.As(err, &appErr) && appErr.Code == taotai.EINVALID:
		for k, v := range appErr.Fields {
			errs.Add(k, v)
		}
		if len(appErr.Fields) == 0 {
			errs.Add("enterprise", appErr.Message)
		}
	case errors.As(err, &appErr) && appErr.Code == taotai.ECONFLICT:
		errs.Add("enterprise", appErr.Message)
		return http.StatusConflict, true
	default:
		return 0, false
	}
	return http.StatusBadRequest, len(errs) > 0
}

func (s *Server) loadCoalMine(r *http.Request) (*coalMinesPage, error) {
	if err := coalLane(r, false); err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("entry"), 10, 64)
	if err != nil || id <= 0 {
		return nil, notFound()
	}
	c, err := s.store.FindCoalMineEntry(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return &coalMinesPage{Page: s.page(r, "煤矿企业清单："+c.EnterpriseName), Entry: c,
		CanWrite: taotai.ActorFromContext(r.Context()).Can(taotai.ActWriteKeyList)}, nil
}

func (s *Server) coalMine(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadCoalMine(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "coal_mine", p)
	return nil
}

func (s *Server) coalMineUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadCoalMine(r)
	if err != nil {
		return err
	}
	if err := coalLane(r, true); err != nil {
		return err
	}
	c := coalMineForm(r)
	c.ID, c.Year, c.EnterpriseID, c.EnterpriseName = p.Entry.ID, p.Entry.Year, p.Entry.EnterpriseID, p.Entry.EnterpriseName
	errs := taotai.FieldErrors{}
	v, perr := strconv.Atoi(r.PostFormValue("version"))
	c.Version = v
	if perr != nil || v < 1 {
		errs.Add("state", "页面已过期（缺少版本号），请刷新后重新填写。")
	} else {
		err = s.store.UpdateCoalMineEntry(r.Context(), c)
	}
	if status, ok := coalFormErrors(err, errs); ok {
		p.Entry, p.Errors = c, errs
		s.render(w, r, status, "coal_mine", p)
		return nil
	} else if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionFlash, "已保存。")
	http.Redirect(w, r, fmt.Sprintf("/coal-mines?year=%d", c.Year), http.StatusSeeOther) //nolint:gosec // G710: our own path with a numeric year, no host
	return nil
}

// coalMinesExport sends the year's list of the user's lane as .xlsx; the
// export is audited.
func (s *Server) coalMinesExport(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newCoalMinesPage(r)
	if err != nil {
		return err
	}
	a := taotai.ActorFromContext(r.Context())
	rg, err := s.store.FindRegion(r.Context(), a.RegionCode)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := forms.WriteCoalMineList(&buf, p.Year.Year, rg.Name, p.Entries); err != nil {
		return err
	}
	name := fmt.Sprintf("%s%d年度不符合安全生产条件的煤矿企业清单.xlsx", rg.Name, p.Year.Year)
	if err := s.store.RecordEvent(r.Context(), taotai.AuditExport, "coal_mine_entry", 0, name); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	_, err = buf.WriteTo(w)
	return err
}
