package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"taotai"
	"taotai/internal/forms"
)

// reportConsolidated writes the province-wide 附件1, 2 or 3 of a period
// and channel as .xlsx, built from each unit's accepted report (with a 小计
// per unit), for the units of the user's lane; the export is audited.
//
//	GET /reports/consolidated?period=2020-06&sector=noncoal&form=2
func (s *Server) reportConsolidated(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := taotai.ActorFromContext(ctx)
	q := r.URL.Query()
	key := q.Get("period")
	if key == "" {
		years, err := s.store.CampaignYears(ctx)
		if err != nil {
			return err
		}
		if len(years) == 0 {
			return taotai.Errorf(taotai.ENOTFOUND, "尚未配置任何年度工作。")
		}
		key = strconv.Itoa(years[0].Year)
	}
	p, err := s.store.ParsePeriod(ctx, key)
	if err != nil {
		return err
	}
	sector := q.Get("sector")
	if sector == "" {
		sector = visibleSectors(a)[0]
	}
	if !taotai.ValidSector(sector) {
		return taotai.Errorf(taotai.EINVALID, "报送渠道应为煤矿或非煤。")
	}
	form := atoiOr(q.Get("form"), forms.Form2)
	province, err := s.store.FindRegion(ctx, taotai.ProvinceCode)
	if err != nil {
		return err
	}
	unit, err := s.store.FormUnit(ctx, p.Year, province, sector)
	if err != nil {
		return err
	}
	h := forms.Header{Unit: unit, Date: s.store.Clock().Now().In(taotai.Shanghai).Format("2006年1月2日"), Period: p.Label, Span: p.Span()}
	var buf bytes.Buffer
	units := 0
	switch form {
	case forms.Form1:
		c, err := s.store.Consolidate1(ctx, p, sector)
		if err != nil {
			return err
		}
		units, err = len(c.Units), forms.WriteConsolidated1(&buf, h, c.Forms())
		if err != nil {
			return err
		}
	case forms.Form2:
		c, err := s.store.Consolidate2(ctx, p, sector)
		if err != nil {
			return err
		}
		units, err = len(c.Units), forms.WriteConsolidated2(&buf, h, c.Forms())
		if err != nil {
			return err
		}
	case forms.Form3:
		c, err := s.store.Consolidate3(ctx, p, sector)
		if err != nil {
			return err
		}
		units, err = len(c.Units), forms.WriteConsolidated3(&buf, h, c.Forms())
		if err != nil {
			return err
		}
	default:
		return taotai.Errorf(taotai.EINVALID, "附件应为1、2或3。")
	}
	note := fmt.Sprintf("汇总附件%d，%s，%s，%d个单位已通过的报送", form, taotai.SectorName(sector), p.Key, units)
	if err := s.store.RecordEvent(ctx, taotai.AuditExport, "form", form, note); err != nil {
		return err
	}
	name := fmt.Sprintf("汇总附件%d-%s-%s.xlsx", form, taotai.SectorName(sector), p.Key)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	_, err = buf.WriteTo(w)
	return err
}

// HasForm1 reports whether the period's report holds 附件1: the first.
func (p *reportGridPage) HasForm1(per taotai.ReportPeriod) bool {
	return per.First()
}

// ConsolidatedLink is the address of a period's province-wide form.
func (p *reportGridPage) ConsolidatedLink(per taotai.ReportPeriod, form int) string {
	return "/reports/consolidated?" + url.Values{"period": {per.Key}, "sector": {p.Sector}, "form": {strconv.Itoa(form)}}.Encode()
}
