package web

import (
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
)

// formsImportPage is the upload form, and after an upload the preview of
// every row's problems and changes, or the result of the import.
type formsImportPage struct {
	Page
	Years   []*taotai.CampaignYear
	Regions []regionOption
	Periods []taotai.ReportPeriod
	// The upload's choices, kept when the page is shown again.
	Form                         int
	Year                         int
	Region, Sector, Period, File string
	CoalOverride                 string // an administrator's reason for coal outside the coal cities
	Message                      string // a problem of the file itself
	Report                       *store.ImportReport
	UploadID                     int64
	Confirmed                    bool // the page shows a finished import
}

// ErrorCount and WarningCount split the report's problems.
func (p *formsImportPage) ErrorCount() int   { return countErrors(p.Report, false) }
func (p *formsImportPage) WarningCount() int { return countErrors(p.Report, true) }

func countErrors(r *store.ImportReport, warning bool) int {
	n := 0
	if r != nil {
		for _, e := range r.Errors {
			if e.Warning == warning {
				n++
			}
		}
	}
	return n
}

// CanConfirm says the preview may be imported.
func (p *formsImportPage) CanConfirm() bool {
	return p.Report != nil && !p.Confirmed && !p.Report.HasErrors() && p.Report.Changes() > 0
}

func (s *Server) newImportPage(r *http.Request, title string) (*formsImportPage, error) {
	a := taotai.ActorFromContext(r.Context())
	if !a.Can(taotai.ActImportForms) {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能导入报表。", taotai.RoleName(a.Role))
	}
	p := &formsImportPage{Page: s.page(r, title), Form: forms.Form1, Region: a.RegionCode, Sector: a.Sector}
	var err error
	if p.Years, err = s.store.CampaignYears(r.Context()); err != nil {
		return nil, err
	}
	if p.Regions, err = s.laneRegions(r); err != nil {
		return nil, err
	}
	for _, y := range p.Years {
		ps, err := taotai.ReportPeriods(y)
		if err != nil {
			return nil, err
		}
		p.Periods = append(p.Periods, ps...)
	}
	if len(p.Years) > 0 {
		p.Year = p.Years[0].Year
	}
	return p, nil
}

func (s *Server) formsImportForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newImportPage(r, "报表导入")
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "forms_import", p)
	return nil
}

// formsImportUpload keeps the uploaded file and shows the preview: every
// problem, row by row, and what each row would change. Nothing is written
// but the upload itself.
func (s *Server) formsImportUpload(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newImportPage(r, "报表导入：检查结果")
	if err != nil {
		return err
	}
	p.Form = atoiOr(r.PostFormValue("form"), 0)
	p.Year = atoiOr(r.PostFormValue("year"), p.Year)
	p.Region = r.PostFormValue("region")
	p.Period = r.PostFormValue("period")
	if taotai.ActorFromContext(r.Context()).Role == taotai.RoleAdmin {
		p.CoalOverride = strings.TrimSpace(r.PostFormValue("coal_override"))
	}
	if v := r.PostFormValue("sector"); v != "" {
		p.Sector = v
	}
	bad := func(msg string) error {
		p.Message = msg
		s.render(w, r, http.StatusBadRequest, "forms_import", p)
		return nil
	}
	if p.Form < forms.Form1 || p.Form > forms.Form3 {
		return bad("请选择要导入的附件（附件1、附件2或附件3）。")
	}
	if p.Sector == "" {
		return bad("请选择这份报表是煤矿还是非煤：一份报表只填报一个行业类别。")
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return bad("请选择要导入的Excel文件（.xlsx）。")
	}
	defer func() { _ = file.Close() }() // an upload, only read: closing loses nothing
	data, err := io.ReadAll(io.LimitReader(file, forms.MaxFileSize+1))
	if err != nil {
		return bad("文件上传不完整，请重新上传。")
	}
	p.File = filepath.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
	if p.Period != "" && p.Form == forms.Form1 {
		p.Period = ""
	}
	opt := store.ImportOptions{Form: p.Form, RegionCode: p.Region, Sector: p.Sector, Year: p.Year, Period: p.Period, FileName: p.File,
		CoalOverride: p.CoalOverride, DryRun: true}
	rep, err := s.store.ImportForm(r.Context(), opt, data)
	if err != nil {
		if c := taotai.ErrorCode(err); c == taotai.EINVALID || c == taotai.ENOTFOUND {
			return bad(taotai.ErrorMessage(err))
		}
		return err
	}
	p.Report = rep
	if p.CanConfirm() {
		up := &store.FormUpload{Form: p.Form, RegionCode: p.Region, Sector: p.Sector, Year: p.Year, Period: p.Period, FileName: p.File, Data: data,
			CoalOverride: p.CoalOverride}
		if err := s.store.SaveFormUpload(r.Context(), up); err != nil {
			return err
		}
		p.UploadID = up.ID
	}
	status := http.StatusOK
	if rep.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "forms_import", p)
	return nil
}

// formsImportConfirm imports a previewed upload: all rows or none.
func (s *Server) formsImportConfirm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newImportPage(r, "报表导入：导入结果")
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return taotai.Errorf(taotai.ENOTFOUND, "上传的文件已过期或已导入，请重新上传。")
	}
	up, err := s.store.FindFormUpload(r.Context(), id)
	if err != nil {
		return err
	}
	p.Form, p.Year, p.Region, p.Sector, p.Period, p.File = up.Form, up.Year, up.RegionCode, up.Sector, up.Period, up.FileName
	rep, err := s.store.ImportForm(r.Context(), store.ImportOptions{Form: up.Form, RegionCode: up.RegionCode, Sector: up.Sector, Year: up.Year,
		Period: up.Period, FileName: up.FileName, CoalOverride: up.CoalOverride}, up.Data)
	if err != nil {
		return err
	}
	p.Report = rep
	if rep.HasErrors() { // the registry changed since the preview
		p.UploadID = 0
		s.render(w, r, http.StatusUnprocessableEntity, "forms_import", p)
		return nil
	}
	if err := s.store.DeleteFormUpload(r.Context(), id); err != nil {
		// The import is done; the upload expires within a day anyway.
		s.log.Warn("delete form upload", "id", id, "err", err)
	}
	p.Confirmed = true
	s.render(w, r, http.StatusOK, "forms_import", p)
	return nil
}
