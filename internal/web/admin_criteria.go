package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"taotai"
)

type criteriaPage struct {
	Page
	Criteria   []*taotai.Criterion
	Industries []*taotai.Industry
	Errors     map[string]string
	Message    string
	Form       map[string]string
}

// IndustryName names the industry key of a criterion.
func (p *criteriaPage) IndustryName(key string) string {
	if key == "trade" {
		return "工贸行业通用"
	}
	for _, i := range p.Industries {
		if i.Key == key {
			return i.Name
		}
	}
	return key
}

func (s *Server) adminCriteria(w http.ResponseWriter, r *http.Request) error {
	return s.renderCriteria(w, r, http.StatusOK, &criteriaPage{Form: map[string]string{}})
}

func (s *Server) renderCriteria(w http.ResponseWriter, r *http.Request, status int, p *criteriaPage) error {
	p.Page = s.page(r, "重大事故隐患判定标准")
	var err error
	if p.Criteria, err = s.store.AllCriteria(r.Context()); err != nil {
		return err
	}
	if p.Industries, err = s.store.Industries(r.Context()); err != nil {
		return err
	}
	s.render(w, r, status, "admin_criteria", p)
	return nil
}

// adminCriterionSave adds a criterion (id 0 or absent) or corrects one.
func (s *Server) adminCriterionSave(w http.ResponseWriter, r *http.Request) error {
	form := map[string]string{}
	for _, k := range []string{"id", "industry", "standard", "article", "text", "active", "verified", "in_force_from", "in_force_to"} {
		form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	id, _ := strconv.ParseInt(form["id"], 10, 64)
	c := &taotai.Criterion{ID: id, IndustryKey: form["industry"], Standard: form["standard"], Article: form["article"],
		Text: form["text"], Active: form["active"] == "1", Verified: form["verified"] == "1"}
	fe := taotai.FieldErrors{}
	c.InForceFrom = parseDateField(fe, "in_force_from", "施行日期", form["in_force_from"])
	c.InForceTo = parseDateField(fe, "in_force_to", "失效日期", form["in_force_to"])
	err := fe.Err()
	if err == nil {
		err = s.store.SaveCriterion(r.Context(), c)
	}
	var appErr *taotai.Error
	if errors.As(err, &appErr) && (appErr.Code == taotai.EINVALID || appErr.Code == taotai.ECONFLICT) {
		return s.renderCriteria(w, r, statusOf(appErr.Code), &criteriaPage{Errors: appErr.Fields, Message: appErr.Message, Form: form})
	} else if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionFlash, "判定标准条款已保存。")
	http.Redirect(w, r, "/admin/criteria", http.StatusSeeOther)
	return nil
}
