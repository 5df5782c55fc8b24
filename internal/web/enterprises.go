package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"taotai"
	"taotai/internal/store"
)

const pageSize = 20

type enterpriseListPage struct {
	Page
	Filter      taotai.EnterpriseFilter
	Query       url.Values
	Enterprises []*taotai.Enterprise
	Total       int
	PageNo      int
	Pages       int
	Regions     []regionOption
	Industries  []*taotai.Industry
	Years       []*taotai.CampaignYear
	States      []string
}

// PageLink returns the address of page n with the same filters.
func (p *enterpriseListPage) PageLink(n int) string {
	return "/enterprises" + withQuery(p.Query, "page", strconv.Itoa(n))
}

func (s *Server) enterpriseList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := &enterpriseListPage{Page: s.page(r, "重点行业企业名录"), Query: q, States: taotai.ProductionStates}
	p.PageNo = max(atoiOr(q.Get("page"), 1), 1)
	p.Filter = taotai.EnterpriseFilter{
		Q: strings.TrimSpace(q.Get("q")), RegionCode: q.Get("region"), ProductionState: q.Get("state"),
		IndustryID: int64(atoiOr(q.Get("industry"), 0)), KeyYear: atoiOr(q.Get("year"), 0),
		MissingCode: q.Get("missing_code") == "1", Offset: (p.PageNo - 1) * pageSize, Limit: pageSize,
	}
	var err error
	if p.Enterprises, p.Total, err = s.store.FindEnterprises(r.Context(), p.Filter); err != nil {
		return err
	}
	p.Pages = (p.Total + pageSize - 1) / pageSize
	if p.Regions, err = s.laneRegions(r); err != nil {
		return err
	}
	if p.Industries, err = s.laneIndustries(r); err != nil {
		return err
	}
	if p.Years, err = s.store.CampaignYears(r.Context()); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "enterprises", p)
	return nil
}

func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// pathID parses the {id} of the address: a positive integer.
func pathID(r *http.Request) (int64, error) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, taotai.Errorf(taotai.EINVALID, "地址中的编号“%s”格式不正确，应为正整数。", truncate(raw, 20))
	}
	return id, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

type enterpriseDetailPage struct {
	Page
	E        *taotai.Enterprise
	Years    []*taotai.CampaignYear
	Cards    []*taotai.Card // one per campaign year
	Now      *enterpriseNow // what matters now, at the top
	Timeline []store.TimelineItem
	Safety   *taotai.SafetyRecord     // 安全生产标准化 and 双重预防机制 (safety.go)
	Stops    []*taotai.ProductionStop // stop-production orders, oldest first
	Today    string                   // yyyy-mm-dd, for the lifting form's date
	// Acceptances of the enterprise's exit (acceptances.go), newest first.
	Acceptances []*taotai.Acceptance
	Lift        *liftForm // a lifting form sent with errors, shown again
}

// LiftValue returns a stop's lifting field as sent with errors, else def.
func (p *enterpriseDetailPage) LiftValue(stopID int64, field, def string) string {
	if p.Lift == nil || p.Lift.StopID != stopID {
		return def
	}
	if field == "reason" {
		return p.Lift.Reason
	}
	return p.Lift.LiftedOn
}

// LiftError returns a stop's lifting field's message, if any.
func (p *enterpriseDetailPage) LiftError(stopID int64, field string) string {
	if p.Lift == nil || p.Lift.StopID != stopID {
		return ""
	}
	return p.Lift.Errors[field]
}

// AcceptedPassed reports whether the enterprise's exit was accepted.
func (p *enterpriseDetailPage) AcceptedPassed() bool {
	return slices.ContainsFunc(p.Acceptances, func(a *taotai.Acceptance) bool { return a.Passed })
}

// StopName names the extent of a stop order.
func (p *enterpriseDetailPage) StopName(state string) string { return taotai.StopStateName(state) }

// Listed reports whether the enterprise is on the year's key list.
func (p *enterpriseDetailPage) Listed(year int) bool {
	for _, y := range p.E.KeyYears {
		if y == year {
			return true
		}
	}
	return false
}

func (s *Server) enterpriseDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.renderEnterprise(w, r, id, http.StatusOK, nil)
}

// renderEnterprise shows an enterprise's page, with a stop's lifting form
// sent with errors (lift) when there is one.
func (s *Server) renderEnterprise(w http.ResponseWriter, r *http.Request, id int64, status int, lift *liftForm) error {
	hist, err := s.store.History(r.Context(), id)
	if err != nil {
		return err
	}
	e, years := hist.Enterprise, hist.Years
	p := &enterpriseDetailPage{Page: s.page(r, e.Name), E: e, Years: years, Lift: lift}
	if lift != nil {
		p.Title = "错误：" + p.Title
	}
	for _, y := range years {
		p.Cards = append(p.Cards, hist.Card(y.Year))
	}
	p.Now = s.enterpriseNow(e, years, p.Cards, hist.Unresolved)
	p.Timeline, p.Stops, p.Acceptances, p.Safety = hist.Timeline, hist.Stops, hist.Acceptances, hist.Safety
	p.Today = s.store.Clock().Now().In(taotai.Shanghai).Format(dateLayout)
	s.render(w, r, status, "enterprise", p)
	return nil
}

func (s *Server) enterpriseKeyList(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	year := atoiOr(r.PostFormValue("year"), 0)
	listed := r.PostFormValue("listed") == "1"
	if !listed {
		return s.keyListRemoval(w, r, id, year) // checked first, with a reason
	}
	if err := s.store.SetKeyListed(r.Context(), year, id, listed, r.PostFormValue("note")); err != nil {
		return err
	}
	msg := fmt.Sprintf("已列入%d年度重点淘汰行业企业名单。", year)
	if !listed {
		msg = fmt.Sprintf("已移出%d年度重点淘汰行业企业名单。", year)
	}
	s.sessions.Put(r.Context(), sessionFlash, msg)
	http.Redirect(w, r, fmt.Sprintf("/enterprises/%d", id), http.StatusSeeOther) //nolint:gosec // G710: our own path with a numeric id, no host
	return nil
}

// enterpriseFormPage is the create and edit form.
type enterpriseFormPage struct {
	Page
	E           *taotai.Enterprise
	New         bool
	Errors      map[string]string
	Summary     []fieldError
	Message     string
	Conflict    []change // another person's saved change, on a stale edit
	ShowConfirm bool
	Regions     []regionOption
	Industries  []*taotai.Industry
	States      []string
}

type fieldError struct{ Field, Message string }

// change is one field that another person changed meanwhile.
type change struct{ Label, Theirs, Yours string }

// fieldOrder is the order of the form, for the error summary.
var fieldOrder = []struct{ key, label string }{
	{"name", "企业名称"}, {"credit_code", "统一社会信用代码"}, {"address", "所在地址"}, {"region", "所在地区"},
	{"industry", "所属行业"}, {"production_state", "生产状态"}, {"legal_rep", "法定代表人"},
	{"contact_person", "联系人"}, {"contact_phone", "联系电话"}, {"coal_override", "非产煤市登记煤炭企业的理由"},
}

func (s *Server) enterpriseNew(w http.ResponseWriter, r *http.Request) error {
	a := taotai.ActorFromContext(r.Context())
	if !a.Can(taotai.ActWriteRegistry) {
		return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能登记企业。", taotai.RoleName(a.Role))
	}
	return s.renderEnterpriseForm(w, r, http.StatusOK, &enterpriseFormPage{E: &taotai.Enterprise{ProductionState: taotai.StateNormal}, New: true})
}

func (s *Server) enterpriseEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, err := s.store.FindEnterprise(r.Context(), id)
	if err != nil {
		return err
	}
	a := taotai.ActorFromContext(r.Context())
	if !a.Can(taotai.ActWriteRegistry) {
		return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能修改企业信息。", taotai.RoleName(a.Role))
	}
	return s.renderEnterpriseForm(w, r, http.StatusOK, &enterpriseFormPage{E: e})
}

func (s *Server) enterpriseCreate(w http.ResponseWriter, r *http.Request) error {
	e := enterpriseFromForm(r)
	err := s.store.CreateEnterprise(r.Context(), e, r.PostFormValue("confirm_code") == "1")
	if err != nil {
		return s.enterpriseFormError(w, r, &enterpriseFormPage{E: e, New: true}, err)
	}
	s.sessions.Put(r.Context(), sessionFlash, "企业“"+e.Name+"”已登记。")
	http.Redirect(w, r, fmt.Sprintf("/enterprises/%d", e.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) enterpriseUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e := enterpriseFromForm(r)
	e.ID = id
	saved, err := s.store.UpdateEnterprise(r.Context(), e, r.PostFormValue("confirm_code") == "1")
	if err != nil {
		return s.enterpriseFormError(w, r, &enterpriseFormPage{E: e}, err)
	}
	s.sessions.Put(r.Context(), sessionFlash, "企业信息已保存。")
	http.Redirect(w, r, fmt.Sprintf("/enterprises/%d", saved.ID), http.StatusSeeOther)
	return nil
}

func enterpriseFromForm(r *http.Request) *taotai.Enterprise {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	ind, _ := strconv.ParseInt(f("industry"), 10, 64)
	return &taotai.Enterprise{
		Name: f("name"), CreditCode: f("credit_code"), Address: f("address"), RegionCode: f("region"),
		IndustryID: ind, ProductionState: f("production_state"), LegalRep: f("legal_rep"),
		ContactPerson: f("contact_person"), ContactPhone: f("contact_phone"), Version: atoiOr(f("version"), 0),
		CoalOverride: f("coal_override"),
	}
}

// enterpriseFormError re-renders the form with the user's input and the
// messages; errors that are not about the input go to the error page.
func (s *Server) enterpriseFormError(w http.ResponseWriter, r *http.Request, p *enterpriseFormPage, err error) error {
	var appErr *taotai.Error
	if !errors.As(err, &appErr) || (appErr.Code != taotai.EINVALID && appErr.Code != taotai.ECONFLICT) {
		return err
	}
	p.Errors = appErr.Fields
	p.Message = appErr.Message
	for _, f := range fieldOrder {
		if msg, ok := appErr.Fields[f.key]; ok {
			p.Summary = append(p.Summary, fieldError{f.key, msg})
		}
	}
	p.ShowConfirm = strings.Contains(appErr.Fields["credit_code"], "校验位")
	if appErr.Code == taotai.ECONFLICT && len(appErr.Fields) == 0 && !p.New {
		// A stale edit: show what the other person saved beside this input.
		cur, ferr := s.store.FindEnterprise(r.Context(), p.E.ID)
		if ferr != nil {
			return ferr
		}
		p.Conflict = diffEnterprise(cur, p.E)
		p.E.Version = cur.Version
	}
	return s.renderEnterpriseForm(w, r, statusOf(appErr.Code), p)
}

func diffEnterprise(theirs, yours *taotai.Enterprise) []change {
	var out []change
	add := func(label, t, y string) {
		if t != y {
			out = append(out, change{label, t, y})
		}
	}
	add("企业名称", theirs.Name, yours.Name)
	add("统一社会信用代码", theirs.CreditCode, strings.ToUpper(yours.CreditCode))
	add("所在地址", theirs.Address, yours.Address)
	add("所在地区", theirs.RegionCode, yours.RegionCode)
	add("所属行业", strconv.FormatInt(theirs.IndustryID, 10), strconv.FormatInt(yours.IndustryID, 10))
	add("生产状态", taotai.ProductionStateName(theirs.ProductionState), taotai.ProductionStateName(yours.ProductionState))
	add("法定代表人", theirs.LegalRep, yours.LegalRep)
	add("联系人", theirs.ContactPerson, yours.ContactPerson)
	add("联系电话", theirs.ContactPhone, yours.ContactPhone)
	return out
}

func (s *Server) renderEnterpriseForm(w http.ResponseWriter, r *http.Request, status int, p *enterpriseFormPage) error {
	title := "修改企业信息"
	if p.New {
		title = "登记企业"
	}
	if len(p.Summary) > 0 || p.Message != "" {
		title = "错误：" + title
	}
	p.Page = s.page(r, title)
	p.States = taotai.ProductionStates
	var err error
	if p.Regions, err = s.laneRegions(r); err != nil {
		return err
	}
	if p.Industries, err = s.laneIndustries(r); err != nil {
		return err
	}
	s.render(w, r, status, "enterprise_form", p)
	return nil
}

// stopLift lifts a stop-production order after a passing re-check; a
// refusal comes back to the enterprise's page as its message.
func (s *Server) stopLift(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	st, err := s.store.FindProductionStop(r.Context(), id)
	if err != nil {
		return err
	}
	if a := taotai.ActorFromContext(r.Context()); !a.Can(taotai.ActDecidePenalty) {
		return taotai.Errorf(taotai.EFORBIDDEN, "解除停产整顿由执法机关决定：您的角色（%s）不能解除。", taotai.RoleName(a.Role))
	}
	lift := &liftForm{StopID: st.ID, LiftedOn: strings.TrimSpace(r.PostFormValue("lifted_on")), Reason: strings.TrimSpace(r.PostFormValue("reason")),
		Errors: taotai.FieldErrors{}}
	on := parseDateField(lift.Errors, "lifted_on", "解除日期", lift.LiftedOn)
	if lift.LiftedOn == "" {
		lift.Errors.Add("lifted_on", "请填写解除日期。")
	}
	if len(lift.Errors) == 0 {
		_, err = s.store.LiftProductionStop(r.Context(), id, on, lift.Reason)
		var appErr *taotai.Error
		switch {
		case err == nil:
			s.sessions.Put(r.Context(), sessionFlash, "已解除"+st.DocNumber+"责令的停产停业整顿。")
			http.Redirect(w, r, fmt.Sprintf("/enterprises/%d", st.EnterpriseID), http.StatusSeeOther) //nolint:gosec // G710: our own path with a numeric id, no host
			return nil
		case errors.As(err, &appErr) && appErr.Code == taotai.EINVALID:
			for k, v := range appErr.Fields {
				lift.Errors.Add(k, v)
			}
			if len(appErr.Fields) == 0 {
				key := "lifted_on"
				if strings.Contains(appErr.Message, "解除依据") || strings.Contains(appErr.Message, "的依据") {
					key = "reason"
				}
				lift.Errors.Add(key, appErr.Message)
			}
		default:
			return err
		}
	}
	return s.renderEnterprise(w, r, st.EnterpriseID, http.StatusBadRequest, lift)
}

// liftForm is a stop's lifting form sent with errors: shown again on the
// enterprise's page with its values and messages.
type liftForm struct {
	StopID           int64
	LiftedOn, Reason string
	Errors           taotai.FieldErrors // keys lifted_on, reason
}
