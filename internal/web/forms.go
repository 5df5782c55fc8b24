package web

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
)

type formsPage struct {
	Page
	Years   []*taotai.CampaignYear
	Regions []regionOption
	Periods []taotai.ReportPeriod
}

func (s *Server) formsHome(w http.ResponseWriter, r *http.Request) error {
	p := &formsPage{Page: s.page(r, "报表导出")}
	var err error
	if p.Years, err = s.store.CampaignYears(r.Context()); err != nil {
		return err
	}
	if p.Regions, err = s.laneRegions(r); err != nil {
		return err
	}
	for _, y := range p.Years {
		ps, err := taotai.ReportPeriods(y)
		if err != nil {
			return err
		}
		p.Periods = append(p.Periods, ps...)
	}
	s.render(w, r, http.StatusOK, "forms", p)
	return nil
}

// formRequest is a form as the download and the print view ask for it:
// the form number, the period, the region and channel, and the header line
// under the title.
type formRequest struct {
	form   int
	period store.Period
	region *taotai.Region
	sector string
	header forms.Header
}

// parseFormRequest reads form, period, region and sector from the query:
// the region and channel default to the user's lane, the period to the
// latest campaign year. Whether the region is in the user's lane is decided
// by the store when the rows are read (ENOTFOUND outside it).
func (s *Server) parseFormRequest(r *http.Request) (*formRequest, error) {
	q := r.URL.Query()
	a := taotai.ActorFromContext(r.Context())
	u := currentUser(r)
	form := atoiOr(q.Get("form"), forms.Form2)
	if form < 1 || form > 3 {
		return nil, taotai.Errorf(taotai.EINVALID, "附件应为1、2或3。")
	}
	region := q.Get("region")
	if region == "" {
		region = a.RegionCode
	}
	// A form is always of one channel: the user's, or for a user of both
	// the one chosen (non-coal unless coal is asked for).
	sector := q.Get("sector")
	if a.Sector != "" {
		sector = cmp.Or(sector, a.Sector)
	} else if sector == "" {
		sector = taotai.SectorNonCoal
	}
	if !taotai.ValidSector(sector) {
		return nil, taotai.Errorf(taotai.EINVALID, "报送渠道应为煤矿或非煤。")
	}
	period := q.Get("period")
	if period == "" {
		years, err := s.store.CampaignYears(r.Context())
		if err != nil || len(years) == 0 {
			return nil, taotai.Errorf(taotai.ENOTFOUND, "尚未配置任何年度工作。")
		}
		period = strconv.Itoa(years[0].Year)
	}
	p, err := s.store.ParsePeriod(r.Context(), period)
	if err != nil {
		return nil, err
	}
	rg, err := s.store.FindRegion(r.Context(), region)
	if err != nil {
		return nil, err
	}
	unit, err := s.store.FormUnit(r.Context(), p.Year, rg, sector)
	if err != nil {
		return nil, err
	}
	h := forms.Header{Unit: unit, Person: u.DisplayName, Date: s.store.Clock().Now().In(taotai.Shanghai).Format("2006年1月2日"), Period: p.Label, Span: p.Span()}
	return &formRequest{form: form, period: p, region: rg, sector: sector, header: h}, nil
}

// auditNote describes an export of n rows for the audit trail.
func (f *formRequest) auditNote(n int) string {
	return fmt.Sprintf("附件%d，%s，%s，%s，%d行", f.form, f.region.Name, taotai.SectorName(f.sector), f.period.Key, n)
}

// query is the request as query parameters, for links between the print
// view and the download.
func (f *formRequest) query() url.Values {
	return url.Values{"form": {strconv.Itoa(f.form)}, "period": {f.period.Key}, "region": {f.region.Code}, "sector": {f.sector}}
}

// formDownload writes a form as .xlsx or .csv for the user's lane; the
// export is recorded in the audit trail.
func (s *Server) formDownload(w http.ResponseWriter, r *http.Request) error {
	f, err := s.parseFormRequest(r)
	if err != nil {
		return err
	}
	csv := r.URL.Query().Get("format") == "csv"
	var buf bytes.Buffer
	n, err := s.writeForm(r, &buf, f.form, f.period, f.region.Code, f.sector, f.header, csv)
	if err != nil {
		return err
	}
	if err := s.store.RecordEvent(r.Context(), taotai.AuditExport, "form", f.form, f.auditNote(n)); err != nil {
		return err
	}
	ext, ct := ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if csv {
		ext, ct = ".csv", "text/csv; charset=utf-8"
	}
	name := fmt.Sprintf("附件%d-%s-%s-%s%s", f.form, f.region.Name, taotai.SectorName(f.sector), f.period.Key, ext)
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	_, err = buf.WriteTo(w)
	return err
}

func (s *Server) writeForm(r *http.Request, buf *bytes.Buffer, form int, p store.Period, region, sector string, h forms.Header, csv bool) (int, error) {
	rows, n, err := s.store.FormRows(r.Context(), form, p, region, sector)
	if err != nil {
		return 0, err
	}
	return n, forms.Write(buf, form, h, rows, csv)
}

// printColumn is a column of a form's print view: its exact header text,
// the lines it prints in (forms.ColumnHeads: 执法检查 / 人员数量 / （人次）)
// and the class that aligns its cells.
type printColumn struct {
	Text  string
	Lines []string
	Class string
}

// Cell classes of the print view, as export.go aligns the .xlsx cells:
// seq and num centred, short centred and wrapped, text left and wrapped.
const (
	colSeq   = "seq"
	colText  = "text"
	colShort = "short"
	colNum   = "num"
)

// printClasses are the cell classes of each form, index by index with
// forms.Columns1/2/3.
var printClasses = map[int][]string{
	forms.Form1: {colSeq, colText, colText, colShort, colShort},
	forms.Form2: {colSeq, colText, colText, colNum, colNum, colNum, colNum, colNum, colNum, colNum, colNum, colText},
	forms.Form3: {colSeq, colShort, colText, colText, colShort, colText, colShort, colShort, colText, colShort},
}

// formPrintPage is the printable page of a form: laid out like the .xlsx
// (附件N, the title, the 填报单位 line, the table, the notes).
type formPrintPage struct {
	Page
	Form        int    // 1, 2 or 3
	Mark        string // 附件1 …
	FormTitle   string
	HeaderLine  string
	Columns     []printColumn
	Rows        [][]printCell // the numbered rows, in column order
	Total       []printCell   // 附件2's 合计 row; nil for the other forms
	Notes       []string
	Scope       string // region, channel and period, shown on screen only
	DownloadURL string
	Imported    bool // some figure came from an imported form: it opens to nothing
}

// printCell is a cell of the print view: its text and, where the cell
// opens to records, their address. Imported marks a figure that a city's
// imported form reported, which has no records to open.
type printCell struct {
	Text     string
	Href     string
	Imported bool
}

// plainCells makes cells of texts.
func plainCells(texts ...string) []printCell {
	out := make([]printCell, len(texts))
	for i, t := range texts {
		out[i] = printCell{Text: t}
	}
	return out
}

// formPrint shows a form as an A4 landscape page to print, for the user's
// lane, with the same parameters as formDownload; the view is recorded in
// the audit trail as an export. Every enterprise name opens its page (附件3:
// its card) and every figure of 附件2 the list of the records it counts.
func (s *Server) formPrint(w http.ResponseWriter, r *http.Request) error {
	f, err := s.parseFormRequest(r)
	if err != nil {
		return err
	}
	p := &formPrintPage{Form: f.form, Mark: fmt.Sprintf("附件%d", f.form), HeaderLine: f.header.HeaderLine(),
		Scope:       f.region.Name + " · " + taotai.SectorName(f.sector) + " · " + f.period.Name(),
		DownloadURL: "/forms/download?" + f.query().Encode()}
	var texts []string
	switch f.form {
	case forms.Form1:
		p.FormTitle, texts, p.Notes = forms.Title1, forms.Columns1, forms.Notes1
		err = s.form1Print(r, p, f)
	case forms.Form2:
		p.FormTitle, texts, p.Notes = forms.Title2Of(f.header.Period), forms.Columns2, append(forms.Notes2[:len(forms.Notes2):len(forms.Notes2)], forms.SpanNote(f.header.Span))
		err = s.form2Print(r, p, f)
	case forms.Form3:
		p.FormTitle, texts, p.Notes = forms.Title3Of(f.header.Period), forms.Columns3, []string{forms.SpanNote(f.header.Span)}
		err = s.form3Print(r, p, f)
	}
	if err != nil {
		return err
	}
	heads := forms.ColumnHeads(f.form)
	for i, t := range texts {
		p.Columns = append(p.Columns, printColumn{Text: t, Lines: strings.Split(heads[i], "\n"), Class: printClasses[f.form][i]})
	}
	if err := s.store.RecordEvent(r.Context(), taotai.AuditExport, "form", f.form, "打印："+f.auditNote(len(p.Rows))); err != nil {
		return err
	}
	p.Page = s.page(r, p.Mark+" "+p.FormTitle)
	s.render(w, r, http.StatusOK, "forms_print", p)
	return nil
}

func (s *Server) form1Print(r *http.Request, p *formPrintPage, f *formRequest) error {
	lines, err := s.store.Form1Lines(r.Context(), f.period.Year, f.region.Code, f.sector)
	if err != nil {
		return err
	}
	for i, x := range lines {
		row := plainCells(strconv.Itoa(i+1), x.Name, x.Address, x.Industry, x.Note)
		row[1].Href = fmt.Sprintf("/enterprises/%d", x.EnterpriseID)
		p.Rows = append(p.Rows, row)
	}
	return nil
}

func (s *Server) form3Print(r *http.Request, p *formPrintPage, f *formRequest) error {
	lines, err := s.store.Form3Lines(r.Context(), f.period, f.region.Code, f.sector)
	if err != nil {
		return err
	}
	for i, x := range lines {
		row := plainCells(strconv.Itoa(i+1), x.Region, x.Name, x.Address, x.Industry, x.Rectify, x.RectifiedInTime, x.Card, x.Basis, x.Closed)
		// A row imported from a city's form has no card in the system.
		row[2].Href = fmt.Sprintf("/enterprises/%d/card/%d", x.EnterpriseID, f.period.Year)
		if x.Reported {
			row[2].Href = fmt.Sprintf("/enterprises/%d", x.EnterpriseID)
		}
		p.Rows = append(p.Rows, row)
	}
	return nil
}

// form2Lists are the lists 附件2's figure columns open to, in column order:
// 检查企业次数 and both person-times the inspections, then the hazards, the
// major ones, the rectification orders, the penalty decisions, and for the
// fines the penalty decisions with a fine.
var form2Lists = []struct {
	path     string
	criteria url.Values
}{
	{"/inspections", nil}, {"/inspections", nil}, {"/inspections", nil},
	{"/hazards", nil}, {"/hazards", url.Values{"level": {taotai.HazardMajor}}},
	{"/documents", url.Values{"kind": {taotai.DocRectOrder}}},
	{"/documents", url.Values{"kind": {taotai.DocPenalty}}},
	{"/documents", url.Values{"kind": {taotai.DocPenalty}, "fined": {"1"}}},
}

// form2Values are a row's figures as numbers, in column order (the fines
// in yuan).
func form2Values(r forms.Row2) []int64 {
	return []int64{int64(r.Inspections), int64(r.InspectorTimes), int64(r.ExpertTimes), int64(r.Hazards), int64(r.MajorHazards),
		int64(r.Orders), int64(r.Penalties), int64(r.Fines)}
}

// form2Cells makes a row's figure cells: each a link to its list with
// scope (an enterprise or the form's region and channel) and the period's
// days, unless it is nought, or holds a part an imported form reported.
func form2Cells(r, reported forms.Row2, scope url.Values, p store.Period) []printCell {
	texts := form2Counts(nil, r)
	vals, imported := form2Values(r), form2Values(reported)
	cells := plainCells(texts...)
	for i := range cells {
		switch {
		case imported[i] != 0:
			cells[i].Imported = true
		case vals[i] != 0:
			q := url.Values{"from": {isoDate(p.From)}, "to": {isoDate(p.To)}}
			for _, c := range []url.Values{scope, form2Lists[i].criteria} {
				for k, v := range c {
					q[k] = v
				}
			}
			cells[i].Href = form2Lists[i].path + "?" + q.Encode()
		}
	}
	return cells
}

func (s *Server) form2Print(r *http.Request, p *formPrintPage, f *formRequest) error {
	lines, err := s.store.Form2Lines(r.Context(), f.period, f.region.Code, f.sector)
	if err != nil {
		return err
	}
	var t, imported forms.Row2
	for i, x := range lines {
		row := plainCells(strconv.Itoa(i+1), x.Name, x.Address)
		row[1].Href = fmt.Sprintf("/enterprises/%d", x.EnterpriseID)
		row = append(row, form2Cells(x.Row2, x.Reported, url.Values{"enterprise": {strconv.FormatInt(x.EnterpriseID, 10)}}, f.period)...)
		p.Rows = append(p.Rows, append(row, printCell{Text: x.Note}))
		t.Add(x.Row2)
		imported.Add(x.Reported)
		p.Imported = p.Imported || x.HasReported
	}
	scope := url.Values{"region": {f.region.Code}, "sector": {f.sector}}
	p.Total = append(append(plainCells(forms.TotalLabel, "", ""), form2Cells(t, imported, scope, f.period)...), printCell{})
	return nil
}

// form2Counts appends 附件2's number columns to cells: the seven counts
// and the fines exactly in 万元, the same text as the .xlsx and the CSV.
func form2Counts(cells []string, r forms.Row2) []string {
	for _, n := range []int{r.Inspections, r.InspectorTimes, r.ExpertTimes, r.Hazards, r.MajorHazards, r.Orders, r.Penalties} {
		cells = append(cells, strconv.Itoa(n))
	}
	return append(cells, r.Fines.Wan())
}
