package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"taotai"
)

// maxRecheckNoteLen bounds the note of a re-check, in characters.
const maxRecheckNoteLen = taotai.MaxMeasuresLen

// guaranteeItem is one of the 五落实 as the page shows it.
type guaranteeItem struct {
	Name, Value string
	Missing     bool
}

// hazardInputs is what was typed in the three forms of the hazard page.
type hazardInputs struct {
	Responsible, Measures, Funds, GDeadline, Plan string // 五落实
	Deadline, Reason                              string // 延期
	Passed, Date, Note                            string // 复查
}

// hazardPage is a hazard with its 五落实, extensions and re-check, and the
// forms that handle it.
type hazardPage struct {
	Page
	inspNames
	H          *taotai.Hazard
	Extensions []taotai.Extension
	Items      []guaranteeItem
	StopOrder  bool // 五落实不全: the enterprise must stop production
	Overdue    bool
	Now        time.Time
	In         hazardInputs
	Version    int    // the version the forms send back
	Form       string // the form that failed: guarantees, extend or recheck
	FormError  string // a message about the failed form as a whole
	Conflict   bool   // someone else changed the hazard meanwhile
	Errors     map[string]string
	Summary    []fieldError
	Message    string
}

// Open reports whether the hazard is still to be rectified: the 五落实
// and extension forms apply.
func (p *hazardPage) Open() bool { return p.H.Status != taotai.HazardPassed }

// CanRecheck reports whether a re-check may be recorded now.
func (p *hazardPage) CanRecheck() bool {
	return p.H.Status == taotai.HazardOpen || p.H.Status == taotai.HazardRectifying
}

// FormErrorFor returns the message about form as a whole, if it failed.
func (p *hazardPage) FormErrorFor(form string) string {
	if p.Form == form {
		return p.FormError
	}
	return ""
}

// Rechecked reports whether a re-check was recorded.
func (p *hazardPage) Rechecked() bool { return !p.H.RecheckDate.IsZero() }

func (s *Server) hazardDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	h, exts, err := s.store.FindHazard(r.Context(), id)
	if err != nil {
		return err
	}
	p := &hazardPage{H: h, Extensions: exts, Version: h.Version}
	p.In = currentInputs(h, s.store.Clock().Now())
	s.renderHazard(w, r, http.StatusOK, p)
	return nil
}

// currentInputs fills the forms with what is recorded, and today's date
// for a re-check.
func currentInputs(h *taotai.Hazard, now time.Time) hazardInputs {
	g := h.Guarantees
	in := hazardInputs{Responsible: g.Responsible, Measures: g.Measures, Plan: g.Plan, GDeadline: inspNames{}.DateValue(g.Deadline),
		Date: now.In(taotai.Shanghai).Format(dateLayout)}
	if g.Funds > 0 {
		in.Funds = g.Funds.Wan()
	}
	return in
}

func (s *Server) renderHazard(w http.ResponseWriter, r *http.Request, status int, p *hazardPage) {
	title := "隐患：" + truncate(p.H.Description, 30)
	if len(p.Summary) > 0 || p.Message != "" {
		title = "错误：" + title
	}
	p.Page = s.page(r, title)
	p.Now = s.store.Clock().Now()
	p.Overdue, p.StopOrder = p.H.Overdue(p.Now), taotai.NeedsStopOrder(p.H)
	g := p.H.Guarantees
	missing := map[string]bool{}
	for _, m := range g.Missing() {
		missing[m] = true
	}
	funds, deadline := "", ""
	if g.Funds > 0 {
		funds = g.Funds.Wan() + "万元"
	}
	if !g.Deadline.IsZero() {
		deadline = g.Deadline.In(taotai.Shanghai).Format("2006年1月2日")
	}
	p.Items = []guaranteeItem{
		{"责任", g.Responsible, missing["责任"]},
		{"措施", g.Measures, missing["措施"]},
		{"资金", funds, missing["资金"]},
		{"时限", deadline, missing["时限"]},
		{"预案", g.Plan, missing["预案"]},
	}
	p.In.GDeadline, p.In.Deadline, p.In.Date = pickerValue(p.In.GDeadline), pickerValue(p.In.Deadline), pickerValue(p.In.Date)
	s.render(w, r, status, "hazard", p)
}

// handlingHazard loads the hazard of the address for a change: ENOTFOUND
// outside the lane, then EFORBIDDEN for a role that may not handle it.
func (s *Server) handlingHazard(r *http.Request) (*taotai.Hazard, []taotai.Extension, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, nil, err
	}
	h, exts, err := s.store.FindHazard(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	if a := taotai.ActorFromContext(r.Context()); !a.Can(taotai.ActRecordInspection) {
		return nil, nil, taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能处理隐患。", taotai.RoleName(a.Role))
	}
	return h, exts, nil
}

// postedHazardPage starts the page a failed change re-renders: what is
// recorded, with the failed form as the person typed it.
func (s *Server) postedHazardPage(r *http.Request, h *taotai.Hazard, exts []taotai.Extension, form string) *hazardPage {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	p := &hazardPage{H: h, Extensions: exts, Form: form, Version: atoiOr(f("version"), 0), In: currentInputs(h, s.store.Clock().Now())}
	switch form {
	case "guarantees":
		p.In.Responsible, p.In.Measures, p.In.Funds, p.In.GDeadline, p.In.Plan = f("responsible"), f("measures"), f("funds"), f("g_deadline"), f("plan")
	case "extend":
		p.In.Deadline, p.In.Reason = f("deadline"), f("reason")
	case "recheck":
		p.In.Passed, p.In.Date, p.In.Note = f("passed"), f("date"), f("note")
	}
	return p
}

func (s *Server) hazardGuarantees(w http.ResponseWriter, r *http.Request) error {
	h, exts, err := s.handlingHazard(r)
	if err != nil {
		return err
	}
	p := s.postedHazardPage(r, h, exts, "guarantees")
	fe := taotai.FieldErrors{}
	g := taotai.FiveGuarantees{Responsible: p.In.Responsible, Measures: p.In.Measures, Plan: p.In.Plan}
	if p.In.Funds != "" {
		funds, err := taotai.ParseWan(p.In.Funds)
		if err != nil {
			fe.Add("funds", wanMessage("整改资金", err))
		}
		g.Funds = funds
	}
	g.Deadline = parseDateField(fe, "g_deadline", "整改时限", p.In.GDeadline)
	// The domain checks the lengths of the guarantees with the hazard.
	check := *h
	check.Guarantees = g
	for k, v := range check.Validate(time.Time{}) {
		if k == "responsible" || k == "measures" || k == "funds" || k == "plan" {
			fe.Add(k, v)
		}
	}
	if len(fe) > 0 {
		return s.hazardError(w, r, p, fe.Err())
	}
	if _, err := s.store.SetGuarantees(r.Context(), h.ID, p.Version, check.Guarantees); err != nil {
		return s.hazardError(w, r, p, err)
	}
	msg := "五落实已保存。"
	if m := g.Missing(); len(m) > 0 {
		msg += "尚未落实：" + strings.Join(m, "、") + "。"
	}
	return s.hazardDone(w, r, h.ID, msg)
}

func (s *Server) hazardExtend(w http.ResponseWriter, r *http.Request) error {
	h, exts, err := s.handlingHazard(r)
	if err != nil {
		return err
	}
	p := s.postedHazardPage(r, h, exts, "extend")
	fe := taotai.FieldErrors{}
	deadline := parseDateField(fe, "deadline", "新的整改期限", p.In.Deadline)
	if len(fe) > 0 {
		return s.hazardError(w, r, p, fe.Err())
	}
	if _, err := s.store.ExtendHazard(r.Context(), h.ID, p.Version, deadline, p.In.Reason); err != nil {
		return s.hazardError(w, r, p, err)
	}
	return s.hazardDone(w, r, h.ID, "整改期限已延长至"+deadline.Format("2006年1月2日")+"。")
}

func (s *Server) hazardRecheck(w http.ResponseWriter, r *http.Request) error {
	h, exts, err := s.handlingHazard(r)
	if err != nil {
		return err
	}
	p := s.postedHazardPage(r, h, exts, "recheck")
	fe := taotai.FieldErrors{}
	if p.In.Passed != "1" && p.In.Passed != "0" {
		fe.Add("passed", "请选择复查结论：合格或不合格。")
	}
	date := parseDateField(fe, "date", "复查日期", p.In.Date)
	if len([]rune(p.In.Note)) > maxRecheckNoteLen {
		fe.Add("note", fmt.Sprintf("复查意见不能超过%d字。", maxRecheckNoteLen))
	}
	if len(fe) > 0 {
		return s.hazardError(w, r, p, fe.Err())
	}
	passed := p.In.Passed == "1"
	if _, err := s.store.RecheckHazard(r.Context(), h.ID, p.Version, passed, date, p.In.Note); err != nil {
		return s.hazardError(w, r, p, err)
	}
	msg := "复查结果已记录：复查合格。"
	if !passed {
		msg = "复查结果已记录：复查不合格。"
	}
	return s.hazardDone(w, r, h.ID, msg)
}

func (s *Server) hazardDone(w http.ResponseWriter, r *http.Request, id int64, msg string) error {
	s.sessions.Put(r.Context(), sessionFlash, msg)
	http.Redirect(w, r, fmt.Sprintf("/hazards/%d", id), http.StatusSeeOther)
	return nil
}

// hazardForms lists the fields of each form in page order, for the
// summary.
var hazardForms = map[string][]string{
	"guarantees": {"responsible", "measures", "funds", "g_deadline", "plan"},
	"extend":     {"deadline", "reason"},
	"recheck":    {"passed", "date", "note"},
}

// hazardError re-renders the hazard page with the message beside the field
// it concerns and what the person typed kept. On a stale version the page
// shows what is recorded now and the forms carry the new version, so that
// sending again, after a look, applies the change.
func (s *Server) hazardError(w http.ResponseWriter, r *http.Request, p *hazardPage, err error) error {
	var appErr *taotai.Error
	if !errors.As(err, &appErr) || (appErr.Code != taotai.EINVALID && appErr.Code != taotai.ECONFLICT) {
		return err
	}
	if appErr.Code == taotai.ECONFLICT {
		cur, exts, ferr := s.store.FindHazard(r.Context(), p.H.ID)
		if ferr != nil {
			return ferr
		}
		p.H, p.Extensions, p.Version, p.Conflict = cur, exts, cur.Version, true
	}
	p.Message, p.Errors = appErr.Message, map[string]string{}
	fields := hazardForms[p.Form]
	for k, v := range appErr.Fields {
		p.Errors[k] = v
	}
	if len(p.Errors) == 0 {
		if k := hazardErrorField(p.Form, appErr.Message); k != "" {
			p.Errors[k] = appErr.Message
		} else {
			p.FormError = appErr.Message
			p.Summary = append(p.Summary, fieldError{p.Form + "-form", appErr.Message})
		}
	}
	for _, k := range fields {
		if msg, ok := p.Errors[k]; ok {
			p.Summary = append(p.Summary, fieldError{k, msg})
		}
	}
	s.renderHazard(w, r, statusOf(appErr.Code), p)
	return nil
}

// hazardErrorField places a message that names no field: a date rule
// beside the date, a refused result beside it; "" puts the message at
// the top of the form.
func hazardErrorField(form, msg string) string {
	switch {
	case form == "recheck" && strings.Contains(msg, "日期"):
		return "date"
	case form == "recheck" && strings.Contains(msg, "状态"):
		return "passed"
	}
	return ""
}

// Primary is the form of the hazard's next step, the page's one primary
// action: the 五落实 while they are not recorded (or after a failed
// re-check), the re-check once they are; "" for a passed hazard.
func (p *hazardPage) Primary() string {
	switch p.H.Status {
	case taotai.HazardOpen, taotai.HazardFailed:
		return "guarantees"
	case taotai.HazardRectifying:
		return "recheck"
	}
	return ""
}

// NextStep says the next step in words.
func (p *hazardPage) NextStep() string {
	switch p.Primary() {
	case "guarantees":
		return "录入五落实（责任、措施、资金、时限、预案）"
	case "recheck":
		return "整改完成后录入复查结果"
	}
	return ""
}

// Recorders names who handles hazards, for a user who cannot.
func (p *hazardPage) Recorders() string { return taotai.DeciderNames(taotai.ActRecordInspection) }
