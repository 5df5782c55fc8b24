package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"taotai"
)

// An enterprise's 安全生产标准化 grade and 双重预防机制 (issue 11 item 10):
// shown in a block of the enterprise's page, edited on a page of its own
// by those who may edit the enterprise.

type safetyPage struct {
	Page
	E      *taotai.Enterprise
	R      *taotai.SafetyRecord
	Errors map[string]string
	// What was typed, shown again with the messages.
	GradedOn, DualBuiltOn string
}

// GradeChoices are the grades offered, "" (未记录) first.
func (p *safetyPage) GradeChoices() []string {
	return append([]string{taotai.GradeNone}, taotai.Grades...)
}

func (s *Server) safetyEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.newSafetyPage(r, id)
	if err != nil {
		return err
	}
	p.GradedOn, p.DualBuiltOn = dateValue(p.R.GradedOn), dateValue(p.R.DualBuiltOn)
	s.render(w, r, http.StatusOK, "safety_form", p)
	return nil
}

func (s *Server) newSafetyPage(r *http.Request, id int64) (*safetyPage, error) {
	e, err := s.store.FindEnterprise(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !taotai.ActorFromContext(r.Context()).Can(taotai.ActWriteRegistry) {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "您的角色不能修改企业信息。")
	}
	rec, err := s.store.FindSafety(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return &safetyPage{Page: s.page(r, "安全生产标准化和双重预防机制："+e.Name), E: e, R: rec}, nil
}

func (s *Server) safetySave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.newSafetyPage(r, id)
	if err != nil {
		return err
	}
	rec, errs := parseSafety(r, id)
	p.R, p.GradedOn, p.DualBuiltOn = rec, r.PostFormValue("graded_on"), r.PostFormValue("dual_built_on")
	status := http.StatusBadRequest
	if len(errs) == 0 {
		err = s.store.SaveSafety(r.Context(), rec)
		var appErr *taotai.Error
		switch {
		case err == nil:
		case errors.As(err, &appErr) && appErr.Code == taotai.EINVALID && len(appErr.Fields) > 0:
			errs = appErr.Fields
		case errors.As(err, &appErr) && appErr.Code == taotai.ECONFLICT:
			errs, status = taotai.FieldErrors{"grade": appErr.Message}, http.StatusConflict
		default:
			return err
		}
	}
	if len(errs) > 0 {
		p.Errors = errs
		s.render(w, r, status, "safety_form", p)
		return nil
	}
	s.sessions.Put(r.Context(), sessionFlash, "安全生产标准化和双重预防机制信息已保存。")
	http.Redirect(w, r, fmt.Sprintf("/enterprises/%d", id), http.StatusSeeOther) //nolint:gosec // G710: our own path with a numeric id, no host
	return nil
}

// parseSafety reads the form; the dates' format is checked here, the
// rules by the record's Validate in the store.
func parseSafety(r *http.Request, id int64) (*taotai.SafetyRecord, taotai.FieldErrors) {
	f := taotai.FieldErrors{}
	rec := &taotai.SafetyRecord{EnterpriseID: id, Grade: strings.TrimSpace(r.PostFormValue("grade")),
		DualPrevention: r.PostFormValue("dual_prevention") == "1"}
	rec.Version = atoiOr(r.PostFormValue("version"), -1)
	if rec.Version < 0 {
		f.Add("grade", "页面已过期（缺少版本号），请刷新后重新填写。")
	}
	rec.GradedOn = parseDateField(f, "graded_on", "定级日期", r.PostFormValue("graded_on"))
	rec.DualBuiltOn = parseDateField(f, "dual_built_on", "建立日期", r.PostFormValue("dual_built_on"))
	return rec, f
}

// dateValue writes a date for a date field ("" for none).
func dateValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(taotai.Shanghai).Format(time.DateOnly)
}
