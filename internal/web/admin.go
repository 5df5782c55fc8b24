package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"taotai"
)

type adminPage struct {
	Page
	Province   bool // the province's administrator: the province-wide settings
	Industries []*taotai.Industry
	Cities     []*taotai.Region
	Campaign   *taotai.CampaignYear
	Periods    []taotai.ReportPeriod
	Years      []*taotai.CampaignYear
	Errors     map[string]string
	Message    string
	Form       map[string]string
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) error {
	p := &adminPage{Page: s.page(r, "系统设置"), Province: provinceAdmin(r)}
	var err error
	if p.Years, err = s.store.CampaignYears(r.Context()); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin", p)
	return nil
}

func (s *Server) adminIndustries(w http.ResponseWriter, r *http.Request) error {
	return s.renderIndustries(w, r, http.StatusOK, nil, map[string]string{})
}

func (s *Server) renderIndustries(w http.ResponseWriter, r *http.Request, status int, appErr *taotai.Error, form map[string]string) error {
	p := &adminPage{Page: s.page(r, "重点行业"), Form: form}
	if appErr != nil {
		p.Errors, p.Message = appErr.Fields, appErr.Message
	}
	var err error
	if p.Industries, err = s.store.Industries(r.Context()); err != nil {
		return err
	}
	s.render(w, r, status, "admin_industries", p)
	return nil
}

func (s *Server) adminIndustryCreate(w http.ResponseWriter, r *http.Request) error {
	form := map[string]string{}
	for _, k := range []string{"key", "name", "sector", "gb_codes", "sort"} {
		form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	if form["key"] == "" && form["name"] != "" {
		form["key"] = industryKey(form["name"]) // the system makes the key; a person names the industry
	}
	ind := &taotai.Industry{Key: form["key"], Name: form["name"], Sector: form["sector"], GBCodes: form["gb_codes"], Sort: atoiOr(form["sort"], 100)}
	if err := s.store.CreateIndustry(r.Context(), ind); err != nil {
		var appErr *taotai.Error
		if errors.As(err, &appErr) && (appErr.Code == taotai.EINVALID || appErr.Code == taotai.ECONFLICT) {
			if appErr.Fields == nil {
				appErr = &taotai.Error{Code: appErr.Code, Message: appErr.Message, Fields: map[string]string{"name": appErr.Message}}
			}
			return s.renderIndustries(w, r, statusOf(appErr.Code), appErr, form)
		}
		return err
	}
	s.sessions.Put(r.Context(), sessionFlash, "已增加重点行业“"+ind.Name+"”。")
	http.Redirect(w, r, "/admin/industries", http.StatusSeeOther)
	return nil
}

func (s *Server) adminRegions(w http.ResponseWriter, r *http.Request) error {
	all, err := s.store.Regions(r.Context())
	if err != nil {
		return err
	}
	p := &adminPage{Page: s.page(r, "产煤市设置")}
	for _, rg := range all {
		if rg.Level == taotai.LevelCity {
			p.Cities = append(p.Cities, rg)
		}
	}
	s.render(w, r, http.StatusOK, "admin_regions", p)
	return nil
}

func (s *Server) adminRegionCoal(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	coal := r.PostFormValue("coal") == "1"
	if err := s.store.SetCoalProducing(r.Context(), code, coal); err != nil {
		return err
	}
	rg, err := s.store.FindRegion(r.Context(), code)
	if err != nil {
		return err
	}
	msg := rg.Name + "已设为产煤市。"
	if !coal {
		msg = rg.Name + "已取消产煤市。"
	}
	s.sessions.Put(r.Context(), sessionFlash, msg)
	http.Redirect(w, r, "/admin/regions", http.StatusSeeOther)
	return nil
}

func pathYear(r *http.Request) (int, error) {
	raw := r.PathValue("year")
	y, err := strconv.Atoi(raw)
	if err != nil {
		return 0, taotai.Errorf(taotai.EINVALID, "年度“%s”格式不正确。", truncate(raw, 10))
	}
	return y, nil
}

func (s *Server) adminCampaign(w http.ResponseWriter, r *http.Request) error {
	y, err := pathYear(r)
	if err != nil {
		return err
	}
	p := &adminPage{Page: s.page(r, fmt.Sprintf("%d年度时间节点", y))}
	if p.Campaign, err = s.store.FindCampaignYear(r.Context(), y); err != nil {
		return err
	}
	if p.Periods, err = taotai.ReportPeriods(p.Campaign); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_campaign", p)
	return nil
}

// parseDate reads a yyyy-mm-dd date from a form; "" is the zero time.
func parseDate(label, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, v, taotai.Shanghai)
	if err != nil {
		return time.Time{}, taotai.Errorf(taotai.EINVALID, "%s“%s”不是有效日期，应为“2020-05-11”的格式。", label, truncate(v, 20))
	}
	if !taotai.DateInRange(t) {
		return time.Time{}, taotai.Errorf(taotai.EINVALID, "%s", taotai.DateRangeMessage(label))
	}
	return t, nil
}

func (s *Server) adminDeadline(w http.ResponseWriter, r *http.Request) error {
	y, err := pathYear(r)
	if err != nil {
		return err
	}
	start, err := parseDate("开始日期", r.PostFormValue("start"))
	if err != nil {
		return err
	}
	due, err := parseDate("截止日期", r.PostFormValue("due"))
	if err != nil {
		return err
	}
	cutoff, err := parseDate("统计截止日", r.PostFormValue("cutoff"))
	if err != nil {
		return err
	}
	if err := s.store.UpdateDeadline(r.Context(), y, r.PathValue("key"), start, due, cutoff, r.PostFormValue("was")); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionFlash, "时间节点已保存。")
	http.Redirect(w, r, fmt.Sprintf("/admin/campaign/%d", y), http.StatusSeeOther) //nolint:gosec // G710: our own path with a numeric year, no host
	return nil
}

func (s *Server) adminCampaignCreate(w http.ResponseWriter, r *http.Request) error {
	year := atoiOr(r.PostFormValue("year"), 0)
	from := atoiOr(r.PostFormValue("from"), 0)
	if err := s.store.CreateCampaignYear(r.Context(), year, from, r.PostFormValue("title")); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionFlash, fmt.Sprintf("已新建%d年度工作，请核对各时间节点。", year))
	http.Redirect(w, r, fmt.Sprintf("/admin/campaign/%d", year), http.StatusSeeOther) //nolint:gosec // G710: our own path with a numeric year, no host
	return nil
}

// industryKey makes a stable key for an industry a person names: the same
// name always gives the same key, so a name added twice conflicts.
func industryKey(name string) string {
	sum := sha256.Sum256([]byte(name))
	return "ind_" + hex.EncodeToString(sum[:6])
}
