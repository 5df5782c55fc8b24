package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"taotai"
)

// keyListCheckPage is the check-your-answers step of taking an enterprise
// off a year's key list (附件1): what changes, for whom, what the forms
// will say, and the reason, which the history keeps.
type keyListCheckPage struct {
	Page
	E       *taotai.Enterprise
	Year    int
	Reason  string
	Error   string
	Effects []string
}

// keyListRemoval answers a removal from the key list: the check page
// first (and again, 400, when the confirmation lacks a valid reason), the
// removal itself on step=confirm.
func (s *Server) keyListRemoval(w http.ResponseWriter, r *http.Request, id int64, year int) error {
	e, err := s.store.FindEnterprise(r.Context(), id)
	if err != nil {
		return err
	}
	a := taotai.ActorFromContext(r.Context())
	if !a.Can(taotai.ActWriteKeyList) {
		return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能调整重点企业名单，由%s办理。", taotai.RoleName(a.Role),
			taotai.DeciderNames(taotai.ActWriteKeyList))
	}
	p := &keyListCheckPage{E: e, Year: year, Reason: strings.TrimSpace(r.PostFormValue("reason")), Effects: []string{
		fmt.Sprintf("%s（%s%s）将移出%d年度重点淘汰行业企业名单（附件1）。", e.Name, e.CityName, e.RegionName, year),
		fmt.Sprintf("此后导出或报送的%d年度附件1不再列出该企业，全覆盖检查也不再把它计入名单内企业；已报送、已通过的报告不变。", year),
		"该企业的执法检查、隐患、文书和黄/红牌记录不受影响，仍计入附件2、附件3。",
		"移出理由记入企业履历和操作日志；如需恢复，可在企业页面重新列入。",
	}}
	status := http.StatusOK
	if r.PostFormValue("step") == "confirm" {
		err := s.store.RemoveFromKeyList(r.Context(), year, id, p.Reason)
		var appErr *taotai.Error
		switch {
		case err == nil:
			s.sessions.Put(r.Context(), sessionFlash, fmt.Sprintf("已移出%d年度重点淘汰行业企业名单。", year))
			http.Redirect(w, r, fmt.Sprintf("/enterprises/%d", id), http.StatusSeeOther) //nolint:gosec // G710: our own path with a numeric id, no host
			return nil
		case errors.As(err, &appErr) && appErr.Code == taotai.EINVALID:
			p.Error, status = appErr.Fields["reason"], http.StatusBadRequest
			if p.Error == "" {
				p.Error = appErr.Message
			}
		default:
			return err
		}
	}
	title := fmt.Sprintf("请核对：将%s移出%d年度名单", e.Name, year)
	if p.Error != "" {
		title = "错误：" + title
	}
	p.Page = s.page(r, title)
	s.render(w, r, status, "keylist_check", p)
	return nil
}
