package web

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"taotai"
	"taotai/internal/store"
)

// Inspection plans (执法检查计划, issue 11 item 7): each agency's plan of
// the year — the key-list enterprises it will inspect, by month, and its
// 检查方案 — drafted and submitted by the agency, approved or returned by
// its city; progress (planned, done, overdue) shown on the plan, on
// /coverage and on the worklist.

type plansPage struct {
	Page
	Year    *taotai.CampaignYear
	Years   []*taotai.CampaignYear
	Plans   []*taotai.InspectionPlan
	CanOpen bool           // the user's agency may draft its plan
	Sectors []sectorOption // the channel to choose, for a user of both
}

type planPage struct {
	Page
	Plan       *taotai.InspectionPlan
	Files      []versionFile
	CanPrepare bool
	CanReview  bool
	Error      string
	// The edit form.
	Entries []*taotai.KeyListEntry
	Months  map[int64]int
	Scheme  string
}

// MonthOf is the month chosen for an enterprise in the edit form (0: none).
func (p *planPage) MonthOf(id int64) int { return p.Months[id] }

// MonthChoices are the months a plan may name.
func (p *planPage) MonthChoices() []int { return []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} }

// SizeOf writes the size of file i.
func (p *planPage) SizeOf(i int) string { return taotai.SizeText(p.Plan.FileSizes[i]) }

func (s *Server) planList(w http.ResponseWriter, r *http.Request) error {
	y, years, _, err := s.coverageYear(r)
	if err != nil {
		return err
	}
	a := taotai.ActorFromContext(r.Context())
	p := &plansPage{Page: s.page(r, "执法检查计划"), Year: y, Years: years}
	if p.Plans, err = s.store.Plans(r.Context(), y.Year); err != nil {
		return err
	}
	p.CanOpen = a.Can(taotai.ActPreparePlan) && a.RegionCode != taotai.ProvinceCode
	if a.Sector == "" {
		p.Sectors = []sectorOption{{taotai.SectorNonCoal, "非煤"}, {taotai.SectorCoal, "煤矿"}}
	}
	s.render(w, r, http.StatusOK, "plans", p)
	return nil
}

// planOpen opens (or first drafts) the user's agency's plan of a year.
func (s *Server) planOpen(w http.ResponseWriter, r *http.Request) error {
	year, err := strconv.Atoi(r.PostFormValue("year"))
	if err != nil {
		return taotai.Errorf(taotai.EINVALID, "请选择年度。")
	}
	p, err := s.store.OpenPlan(r.Context(), year, r.PostFormValue("sector"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/plans/%d/edit", p.ID), http.StatusSeeOther) //nolint:gosec // G710: our own path with a numeric id, no host
	return nil
}

// loadPlan reads the plan of the address, in the user's lane.
func (s *Server) loadPlan(r *http.Request) (*taotai.InspectionPlan, error) {
	id, err := strconv.ParseInt(r.PathValue("plan"), 10, 64)
	if err != nil || id <= 0 {
		return nil, notFound()
	}
	return s.store.FindPlan(r.Context(), id)
}

func (s *Server) newPlanPage(r *http.Request, p *taotai.InspectionPlan, title string) *planPage {
	a := taotai.ActorFromContext(r.Context())
	pg := &planPage{Page: s.page(r, title), Plan: p, CanPrepare: p.CanPrepare(a), CanReview: p.CanReview(a)}
	// People by their names, once what they may do is decided.
	s.putNames(r.Context(), &p.SubmittedBy, &p.ReviewedBy, &p.CreatedBy)
	for i, f := range p.Files {
		pg.Files = append(pg.Files, versionFile{Name: f.Name, Size: taotai.SizeText(p.FileSizes[i]), SHA256: f.SHA256,
			Href: fmt.Sprintf("/plans/%d/files/%d", p.ID, i+1)})
	}
	return pg
}

func planTitle(p *taotai.InspectionPlan) string {
	return fmt.Sprintf("%s%d年度%s执法检查计划", p.RegionName, p.Year, taotai.SectorName(p.Sector))
}

func (s *Server) planDetail(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadPlan(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "plan", s.newPlanPage(r, p, planTitle(p)))
	return nil
}

func (s *Server) planEdit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadPlan(r)
	if err != nil {
		return err
	}
	pg, err := s.planForm(r, p)
	if err != nil {
		return err
	}
	for _, it := range p.Items {
		pg.Months[it.EnterpriseID] = it.Month
	}
	pg.Scheme = p.Scheme
	s.render(w, r, http.StatusOK, "plan_form", pg)
	return nil
}

// planForm is the edit page of a plan its agency may change: the year's
// key list within the plan's region and channel.
func (s *Server) planForm(r *http.Request, p *taotai.InspectionPlan) (*planPage, error) {
	pg := s.newPlanPage(r, p, "编辑"+planTitle(p))
	if !pg.CanPrepare {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "只有%s的填报人员可以修改本计划。", p.RegionName)
	}
	entries, err := s.store.KeyList(r.Context(), p.Year, p.RegionCode)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Enterprise.Sector == p.Sector {
			pg.Entries = append(pg.Entries, e)
		}
	}
	pg.Months = map[int64]int{}
	return pg, nil
}

// planSave saves the edit form; a refusal shows the form again with the
// message and what was typed, nothing changed.
func (s *Server) planSave(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadPlan(r)
	if err != nil {
		return err
	}
	pg, err := s.planForm(r, p)
	if err != nil {
		return err
	}
	version, err := postedVersion(r)
	if err != nil {
		return err
	}
	pg.Scheme = r.PostFormValue("scheme")
	months, err := parsePlanMonths(r.PostForm)
	if err == nil {
		pg.Months = months
		var files []taotai.SubmittedFile
		if files, err = s.planFiles(r, p); err == nil {
			_, err = s.store.SavePlan(r.Context(), p.ID, store.PlanEdit{Version: version, Scheme: pg.Scheme, Months: months, Files: files})
		}
	}
	if taotai.ErrorCode(err) == taotai.EINVALID {
		pg.Error = taotai.ErrorMessage(err)
		s.render(w, r, http.StatusBadRequest, "plan_form", pg)
		return nil
	} else if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionFlash, "执法检查计划已保存。")
	http.Redirect(w, r, fmt.Sprintf("/plans/%d", p.ID), http.StatusSeeOther)
	return nil
}

// postedVersion reads the version the form was made from.
func postedVersion(r *http.Request) (int, error) {
	v, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || v < 1 {
		return 0, taotai.Errorf(taotai.EINVALID, "页面已过期（缺少版本号），请刷新后重新提交。")
	}
	return v, nil
}

// maxPlanMonths bounds the enterprises one plan form may name.
const maxPlanMonths = 5000

// parsePlanMonths reads the edit form's months: month_<enterprise id> =
// 1–12, or empty for an enterprise not planned. Anything else is refused
// (EINVALID), naming the field.
func parsePlanMonths(form url.Values) (map[int64]int, error) {
	out := map[int64]int{}
	for k, vs := range form {
		raw, ok := strings.CutPrefix(k, "month_")
		if !ok {
			continue
		}
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 || strconv.FormatInt(id, 10) != raw {
			return nil, taotai.Errorf(taotai.EINVALID, "计划表中的企业编号“%s”不正确，请刷新页面后重新填写。", truncate(raw, 20))
		}
		if len(vs) != 1 {
			return nil, taotai.Errorf(taotai.EINVALID, "计划表中企业（编号%d）的月份填写了多次。", id)
		}
		v := strings.TrimSpace(vs[0])
		if v == "" {
			continue
		}
		m, err := strconv.Atoi(v)
		if err != nil || m < 1 || m > 12 {
			return nil, taotai.Errorf(taotai.EINVALID, "计划检查月份“%s”不正确，应为1至12月。", truncate(v, 10))
		}
		out[id] = m
		if len(out) > maxPlanMonths {
			return nil, taotai.Errorf(taotai.EINVALID, "一个计划最多列入%d家企业。", maxPlanMonths)
		}
	}
	return out, nil
}

// planFiles returns the plan's files to keep: those still ticked
// (keep_file, from 1), then those uploaded (scheme_files); an upload of a
// kept file's name replaces it. taotai.CheckSummaryFiles' rules apply in
// the store; a file over the size limit is refused before it is read.
func (s *Server) planFiles(r *http.Request, p *taotai.InspectionPlan) ([]taotai.SubmittedFile, error) {
	var uploaded []taotai.SubmittedFile
	names := map[string]bool{}
	if r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["scheme_files"] {
			name := strings.TrimSpace(filepath.Base(strings.ReplaceAll(fh.Filename, "\\", "/")))
			if fh.Size > taotai.MaxSummaryFileSize {
				return nil, taotai.Errorf(taotai.EINVALID, "文件“%s”超过%dMB，不能上传。", truncate(name, 40), taotai.MaxSummaryFileSize>>20)
			}
			data, err := readUpload(fh)
			if err != nil {
				return nil, err
			}
			uploaded = append(uploaded, taotai.SubmittedFile{Name: name, Data: data})
			names[name] = true
		}
	}
	var out []taotai.SubmittedFile
	for n := range keptFiles(r) {
		if n < 1 || n > len(p.Files) || names[p.Files[n-1].Name] {
			continue
		}
		_, f, err := s.store.PlanFile(r.Context(), p.ID, n)
		if err != nil {
			return nil, err
		}
		out = append(out, *f)
	}
	// Kept files in their order, whatever the order of the ticks.
	sortFilesBy(out, p.Files)
	return append(out, uploaded...), nil
}

// sortFilesBy orders files as they stand in order (by name).
func sortFilesBy(files, order []taotai.SubmittedFile) {
	rank := map[string]int{}
	for i, f := range order {
		rank[f.Name] = i
	}
	for i := 1; i < len(files); i++ {
		for j := i; j > 0 && rank[files[j].Name] < rank[files[j-1].Name]; j-- {
			files[j], files[j-1] = files[j-1], files[j]
		}
	}
}

// planAct loads the plan, checks who may act, reads the version and runs
// act; a refusal shows the plan with the message.
func (s *Server) planAct(w http.ResponseWriter, r *http.Request, review bool, done string, act func(p *taotai.InspectionPlan, version int) error) error {
	p, err := s.loadPlan(r)
	if err != nil {
		return err
	}
	pg := s.newPlanPage(r, p, planTitle(p))
	switch {
	case review && !pg.CanReview:
		return taotai.Errorf(taotai.EFORBIDDEN, "执法检查计划由所在市的市级审核人员审批。")
	case !review && !pg.CanPrepare:
		return taotai.Errorf(taotai.EFORBIDDEN, "只有%s的填报人员可以报送本计划。", p.RegionName)
	}
	version, err := postedVersion(r)
	if err == nil {
		err = act(p, version)
	}
	if c := taotai.ErrorCode(err); c == taotai.EINVALID || c == taotai.ECONFLICT {
		pg.Error = taotai.ErrorMessage(err)
		s.render(w, r, statusOf(c), "plan", pg)
		return nil
	} else if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionFlash, done)
	http.Redirect(w, r, fmt.Sprintf("/plans/%d", p.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) planSubmit(w http.ResponseWriter, r *http.Request) error {
	return s.planAct(w, r, false, "计划已报送市级审核。", func(p *taotai.InspectionPlan, v int) error {
		return s.store.SubmitPlan(r.Context(), p.ID, v)
	})
}

func (s *Server) planApprove(w http.ResponseWriter, r *http.Request) error {
	return s.planAct(w, r, true, "计划已批准。", func(p *taotai.InspectionPlan, v int) error {
		return s.store.ApprovePlan(r.Context(), p.ID, v)
	})
}

func (s *Server) planReturn(w http.ResponseWriter, r *http.Request) error {
	return s.planAct(w, r, true, "计划已退回。", func(p *taotai.InspectionPlan, v int) error {
		return s.store.ReturnPlan(r.Context(), p.ID, v, r.PostFormValue("reason"))
	})
}

// planFile sends a file of the plan's 检查方案 exactly as uploaded; the
// download is audited.
func (s *Server) planFile(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("plan"), 10, 64)
	if err != nil || id <= 0 {
		return notFound()
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil {
		return notFound()
	}
	p, f, err := s.store.PlanFile(r.Context(), id, n)
	if err != nil {
		return err
	}
	if err := s.store.RecordEvent(r.Context(), taotai.AuditExport, "inspection_plan", p.ID, "检查方案文件“"+f.Name+"”，"+planTitle(p)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(f.Data)))
	w.Header().Set("X-Checksum-SHA256", f.SHA256)
	_, err = w.Write(f.Data)
	return err
}
