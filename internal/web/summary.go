package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"taotai"
	"taotai/internal/forms"
)

// The annual summary (工作总结) of a campaign year: the figures by unit,
// industry and channel, each unit's work summary with its files, and the
// province's own summary of each channel, typed here. Everyone sees the
// part of their lane (the store decides): a city its own, a province
// reviewer their channel's, an administrator both.

// summaryPage is the year's summary within the user's lane.
type summaryPage struct {
	Page
	Year         int
	SummaryTitle string
	Summary      *taotai.AnnualSummary
	Tables       []forms.Table
	Figures      string // the year's figures in words
	Warnings     []string
	Province     []provinceText // the province's summaries, one per channel of the lane (province users)
	Letters      bool           // the user may open the province's letters
	Form         string         // the channel whose summary failed to save
	Errors       map[string]string
	ErrorSummary []fieldError
	Message      string
}

// provinceText is the province's summary of a channel as the page shows
// and edits it.
type provinceText struct {
	taotai.ProvinceSummary
	Heading   string
	CanEdit   bool
	Input     string // what was typed (the kept text, or what failed)
	Error     string
	Paragraph []string
}

// FileLink is the address of one file of a unit's work summary.
func (p *summaryPage) FileLink(sub *taotai.Submission, i int) string {
	return fmt.Sprintf("%s/versions/%d/files/%d", reportPath(sub.PeriodKey, sub.RegionCode, sub.Sector), sub.ID, i+1)
}

// Paragraphs cuts a text into its paragraphs.
func (p *summaryPage) Paragraphs(text string) []string { return paragraphs(text) }

// UnitHeading heads a unit's work summary.
func (p *summaryPage) UnitHeading(sub *taotai.Submission) string {
	return forms.UnitSummaryHeading(sub)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func paragraphs(text string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// loadSummary builds the summary of the address's year in the lane.
func (s *Server) loadSummary(r *http.Request) (*summaryPage, error) {
	ctx := r.Context()
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return nil, notFound()
	}
	c, err := s.store.FindCampaignYear(ctx, year)
	if err != nil {
		return nil, err
	}
	sum, err := s.store.AnnualSummary(ctx, year)
	if err != nil {
		return nil, err
	}
	a := taotai.ActorFromContext(ctx)
	p := &summaryPage{Year: year, Summary: sum, Tables: forms.SummaryTables(sum, ""), SummaryTitle: taotai.SummaryTitle(c),
		Figures: "全年共" + taotai.FiguresSentence(sum.Total) + "。", Letters: a.RegionCode == taotai.ProvinceCode && a.Can(taotai.ActProvinceLetter)}
	if a.RegionCode != taotai.ProvinceCode {
		p.SummaryTitle = fmt.Sprintf("%s%d年加强执法检查依法依规推动落后产能退出工作总结", currentUser(r).RegionName, year)
	}
	if a.RegionCode == taotai.ProvinceCode {
		kept := map[string]taotai.ProvinceSummary{}
		for _, ps := range sum.Province {
			kept[ps.Sector] = ps
		}
		for _, sector := range sum.Sectors {
			ps, ok := kept[sector]
			if !ok {
				ps = taotai.ProvinceSummary{Year: year, Sector: sector}
			}
			p.Province = append(p.Province, provinceText{ProvinceSummary: ps, Heading: forms.ProvinceSummaryHeading(sector),
				CanEdit: a.Can(taotai.ActProvinceSummary), Input: ps.Text, Paragraph: paragraphs(ps.Text)})
		}
		p.Warnings = summaryWarnings(sum)
	}
	return p, nil
}

func (s *Server) summaryDetail(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadSummary(r)
	if err != nil {
		return err
	}
	s.renderSummary(w, r, http.StatusOK, p)
	return nil
}

func (s *Server) renderSummary(w http.ResponseWriter, r *http.Request, status int, p *summaryPage) {
	title := fmt.Sprintf("%d年度工作总结", p.Year)
	if len(p.ErrorSummary) > 0 {
		title = "错误：" + title
	}
	p.Page = s.page(r, title)
	s.render(w, r, status, "summary", p)
}

// summaryProvinceSave keeps the province's own summary of a channel (the
// form's sector); a refusal is shown beside the text, nothing kept.
func (s *Server) summaryProvinceSave(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadSummary(r)
	if err != nil {
		return err
	}
	sector := r.PostFormValue("sector")
	ps := &taotai.ProvinceSummary{Year: p.Year, Sector: sector, Text: r.PostFormValue("text")}
	err = s.store.SaveProvinceSummary(r.Context(), ps)
	var e *taotai.Error
	switch {
	case err == nil:
		s.sessions.Put(r.Context(), sessionFlash, fmt.Sprintf("%s的省级工作总结已保存。", taotai.SectorName(ps.Sector)))
		// The store kept the text, so the sector is coal or noncoal: the
		// address is a path on this site.
		http.Redirect(w, r, fmt.Sprintf("/reports/summary/%d#province-%s", p.Year, ps.Sector), http.StatusSeeOther) //nolint:gosec // G710: see above
		return nil
	case !errors.As(err, &e) || e.Code != taotai.EINVALID:
		return err
	}
	msg := e.Fields["text"]
	if msg == "" {
		msg = cmpOr(e.Fields["sector"], e.Message)
	}
	p.Message, p.Form, p.Errors = "保存未成功", sector, map[string]string{"text": msg}
	found := false
	for i := range p.Province {
		if p.Province[i].Sector == sector {
			p.Province[i].Input, p.Province[i].Error, found = r.PostFormValue("text"), msg, true
		}
	}
	if !found {
		return taotai.Errorf(taotai.EINVALID, "%s", msg)
	}
	p.ErrorSummary = append(p.ErrorSummary, fieldError{"province-text-" + sector, msg})
	s.renderSummary(w, r, http.StatusBadRequest, p)
	return nil
}

// summaryDownload writes the summary as .xlsx: its text (the figures in
// words, the province's summaries, each unit's) and its three tables;
// audited as an export.
func (s *Server) summaryDownload(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadSummary(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := forms.WriteWorkbook(&buf, []forms.TextSheet{forms.SummarySheet(p.SummaryTitle, p.Summary, true)}, p.Tables); err != nil {
		return err
	}
	note := fmt.Sprintf("%d年度工作总结，%d个单位", p.Year, len(p.Summary.Units))
	if err := s.store.RecordEvent(r.Context(), taotai.AuditExport, "province_summary", strconv.Itoa(p.Year), note); err != nil {
		return err
	}
	return sendXLSX(w, p.SummaryTitle+".xlsx", &buf)
}
