package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"taotai"
	"taotai/internal/forms"
)

// The province's letters to 省淘汰落后产能工作协调小组办公室: the first
// batch of the yellow list (by 15 May) and the annual work summary (by 30
// November), each a printable 函 with its attachments and an .xlsx of the
// same. Only province reviewers and administrators reach them (the store
// answers ENOTFOUND to anyone else); the 文号, date, a paragraph of the
// province's own and the contact are typed here and kept by the store.

// letterInputs is what was typed in the letter's form.
type letterInputs struct {
	DocNumber, Dated, Extra, Contact string
}

// letterPage is a letter: its text sheets (the 函, and for the summary
// letter the province's work summary), its tables, and the form.
type letterPage struct {
	Page
	Year         int
	Kind         string
	Slug         string
	Letter       taotai.LetterText
	Sheets       []forms.TextSheet // the 函 first, then any attachment of text
	Tables       []forms.Table
	Warnings     []string // what the letter lacks, on the screen only
	Kept         *taotai.ProvinceLetter
	CanEdit      bool
	In           letterInputs
	Errors       map[string]string
	ErrorSummary []fieldError
	Message      string
}

// Base is the letter's address.
func (p *letterPage) Base() string {
	return fmt.Sprintf("/reports/letters/%d/%s", p.Year, p.Slug)
}

// loadLetter builds the letter of the address from the accepted reports
// and what the province kept: ENOTFOUND for a user who may not read the
// letters, a kind that is none or a year not configured.
func (s *Server) loadLetter(r *http.Request) (*letterPage, error) {
	ctx := r.Context()
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return nil, notFound()
	}
	kind, ok := taotai.LetterKindOf(r.PathValue("kind"))
	if !ok {
		return nil, notFound()
	}
	kept, err := s.store.ProvinceLetter(ctx, year, kind)
	if err != nil {
		return nil, err
	}
	c, err := s.store.FindCampaignYear(ctx, year)
	if err != nil {
		return nil, err
	}
	a := taotai.ActorFromContext(ctx)
	p := &letterPage{Year: year, Kind: kind, Slug: taotai.LetterSlug(kind), Kept: kept,
		CanEdit: a.Can(taotai.ActProvinceLetter) && a.SectorVisible(taotai.LetterIssuerSector)}
	if kind == taotai.LetterYellowList {
		err = s.yellowLetter(r, c, p)
	} else {
		err = s.summaryLetter(r, c, p)
	}
	if err != nil {
		return nil, err
	}
	if kept.DocNumber == "" {
		p.Warnings = append(p.Warnings, "尚未填写文号：打印前请在下方填写。")
	}
	p.In = letterInputs{DocNumber: kept.DocNumber, Extra: kept.Extra, Contact: kept.Contact}
	if !kept.Dated.IsZero() {
		p.In.Dated = kept.Dated.Format("2006-01-02")
	}
	return p, nil
}

// yellowLetter fills the letter of the first batch of the yellow list.
func (s *Server) yellowLetter(r *http.Request, c *taotai.CampaignYear, p *letterPage) error {
	l, err := s.store.YellowList(r.Context(), p.Year)
	if err != nil {
		return err
	}
	p.Letter = taotai.YellowListLetter(c, l, *p.Kept)
	p.Sheets = []forms.TextSheet{forms.LetterSheet(p.Letter)}
	p.Tables = []forms.Table{forms.YellowListTable(l)}
	for _, part := range l.Parts {
		if len(part.Missing) > 0 {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s：%s的首次报送尚未审核通过，其“黄牌”企业未列入名单。",
				taotai.ChannelName(part.Sector), strings.Join(part.Missing, "、")))
		}
	}
	return nil
}

// summaryLetter fills the letter of the annual work summary: the 函, the
// province's work summary (附件1) and the tables of figures (附件2).
func (s *Server) summaryLetter(r *http.Request, c *taotai.CampaignYear, p *letterPage) error {
	sum, err := s.store.AnnualSummary(r.Context(), p.Year)
	if err != nil {
		return err
	}
	p.Letter = taotai.SummaryLetter(c, sum, *p.Kept)
	text := forms.SummarySheet(taotai.SummaryTitle(c), sum, false)
	text.Lines = append([]forms.TextLine{{Text: "附件1", Style: forms.TextHeading}}, text.Lines...)
	p.Sheets = []forms.TextSheet{forms.LetterSheet(p.Letter), text}
	p.Tables = forms.SummaryTables(sum, "附件2")
	for _, w := range summaryWarnings(sum) {
		p.Warnings = append(p.Warnings, strings.Replace(w, "省级工作总结。", "省级工作总结（在“年度工作总结”页填写）。", 1))
	}
	return nil
}

// summaryWarnings say what a summary lacks: the units counted from the
// records, the province's summaries not yet written.
func summaryWarnings(sum *taotai.AnnualSummary) []string {
	var out []string
	for _, sector := range sum.Sectors {
		var names []string
		for _, u := range sum.Units {
			if u.Sector == sector && u.Source == taotai.SourceRecords {
				names = append(names, u.Unit.Name)
			}
		}
		if len(names) > 0 {
			out = append(out, fmt.Sprintf("%s：%s的年度报送尚未审核通过，其数据取自系统记录。", taotai.ChannelName(sector), strings.Join(names, "、")))
		}
	}
	written := map[string]bool{}
	for _, ps := range sum.Province {
		written[ps.Sector] = true
	}
	for _, sector := range sum.Sectors {
		if !written[sector] {
			out = append(out, fmt.Sprintf("尚未填写%s的省级工作总结。", taotai.SectorName(sector)))
		}
	}
	return out
}

func (s *Server) letterDetail(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadLetter(r)
	if err != nil {
		return err
	}
	s.renderLetter(w, r, http.StatusOK, p)
	return nil
}

func (s *Server) renderLetter(w http.ResponseWriter, r *http.Request, status int, p *letterPage) {
	title := p.Letter.Title
	if len(p.ErrorSummary) > 0 {
		title = "错误：" + title
	}
	p.Page = s.page(r, title)
	s.render(w, r, status, "letter", p)
}

// letterSave keeps the 文号, date, paragraph and contact typed for the
// letter; what the store refuses is shown beside its field, nothing kept.
func (s *Server) letterSave(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadLetter(r)
	if err != nil {
		return err
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	p.In = letterInputs{DocNumber: f("doc_number"), Dated: f("dated"), Extra: r.PostFormValue("extra"), Contact: f("contact")}
	l := &taotai.ProvinceLetter{Year: p.Year, Kind: p.Kind, DocNumber: p.In.DocNumber, Extra: p.In.Extra, Contact: p.In.Contact}
	fields := taotai.FieldErrors{}
	l.Dated = parseDateField(fields, "dated", "成文日期", p.In.Dated)
	if err := fields.Err(); err != nil {
		return s.letterError(w, r, p, err)
	}
	if err := s.store.SaveProvinceLetter(r.Context(), l); err != nil {
		return s.letterError(w, r, p, err)
	}
	s.sessions.Put(r.Context(), sessionFlash, "文号和函件内容已保存。")
	// The address is built from the year's number and the kind's own
	// address name (taotai.LetterSlug), always a path on this site.
	http.Redirect(w, r, p.Base(), http.StatusSeeOther) //nolint:gosec // G710: see above
	return nil
}

// letterFieldOrder is the order of the letter form's fields in the error
// summary.
var letterFieldOrder = []string{"doc_number", "dated", "extra", "contact"}

// letterError re-renders the letter with the store's messages beside
// their fields; other errors go to the error page.
func (s *Server) letterError(w http.ResponseWriter, r *http.Request, p *letterPage, err error) error {
	var e *taotai.Error
	if !errors.As(err, &e) || e.Code != taotai.EINVALID {
		return err
	}
	p.Message, p.Errors = "保存未成功", map[string]string{}
	for _, k := range letterFieldOrder {
		if m, ok := e.Fields[k]; ok {
			p.Errors[k] = m
			p.ErrorSummary = append(p.ErrorSummary, fieldError{k, m})
		}
	}
	if len(p.ErrorSummary) == 0 {
		p.ErrorSummary = append(p.ErrorSummary, fieldError{"doc_number", e.Message})
	}
	s.renderLetter(w, r, http.StatusBadRequest, p)
	return nil
}

// letterDownload writes the letter and its attachments as .xlsx: the 函,
// any attachment of text, and each table on its sheet; audited as an
// export.
func (s *Server) letterDownload(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadLetter(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := forms.WriteWorkbook(&buf, p.Sheets, p.Tables); err != nil {
		return err
	}
	note := fmt.Sprintf("%d年%s", p.Year, taotai.LetterKindName(p.Kind))
	if a := taotai.ActorFromContext(r.Context()); a.Sector != "" {
		note += "（仅" + taotai.SectorName(a.Sector) + "部分）"
	}
	if err := s.store.RecordEvent(r.Context(), taotai.AuditExport, "province_letter", strconv.Itoa(p.Year)+"/"+p.Kind, note); err != nil {
		return err
	}
	return sendXLSX(w, p.Letter.Title+".xlsx", &buf)
}

// sendXLSX sends a workbook as a download named name.
func sendXLSX(w http.ResponseWriter, name string, buf *bytes.Buffer) error {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, err := buf.WriteTo(w)
	return err
}

// tableClass is the class of an attachment table in the print view,
// whose column widths letter.css sets in the workbook's proportions.
func tableClass(sheet string) string {
	switch sheet {
	case "附件":
		return "t-yellow"
	case "分市统计":
		return "t-units"
	case "分行业统计":
		return "t-industries"
	case "分渠道统计":
		return "t-channels"
	}
	return ""
}

// Letters reports whether the grid's user may open the province's
// letters: a province reviewer or administrator.
func (p *reportGridPage) Letters() bool {
	return p.Actor.RegionCode == taotai.ProvinceCode && p.Actor.Can(taotai.ActProvinceLetter)
}

// letterEnd is the index of a letter's closing lines — from 特此函告 to
// the date and the contact — which print together on one page; -1 for a
// sheet without them.
func letterEnd(sh forms.TextSheet) int {
	for i := len(sh.Lines) - 1; i >= 0; i-- {
		if sh.Lines[i].Text == "特此函告。" {
			return i
		}
	}
	return -1
}
