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
	q, err := s.consolidatedQuery(r)
	if err != nil {
		return err
	}
	p, sector, form := q.period, q.sector, q.form
	h := q.header
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

// consolidatedRequest is what a consolidated form's address asks for.
type consolidatedRequest struct {
	period taotai.ReportPeriod
	sector string
	form   int
	header forms.Header // headed by the channel's unit at province level
}

// consolidatedQuery reads ?period=&sector=&form= (the latest year, the
// user's first channel and 附件2 when absent).
func (s *Server) consolidatedQuery(r *http.Request) (consolidatedRequest, error) {
	ctx := r.Context()
	a := taotai.ActorFromContext(ctx)
	q := r.URL.Query()
	var c consolidatedRequest
	key := q.Get("period")
	if key == "" {
		years, err := s.store.CampaignYears(ctx)
		if err != nil {
			return c, err
		}
		if len(years) == 0 {
			return c, taotai.Errorf(taotai.ENOTFOUND, "尚未配置任何年度工作。")
		}
		key = strconv.Itoa(years[0].Year)
	}
	p, err := s.store.ParsePeriod(ctx, key)
	if err != nil {
		return c, err
	}
	c.period, c.sector, c.form = p, q.Get("sector"), atoiOr(q.Get("form"), forms.Form2)
	if c.sector == "" {
		c.sector = visibleSectors(a)[0]
	}
	if !taotai.ValidSector(c.sector) {
		return c, taotai.Errorf(taotai.EINVALID, "报送渠道应为煤矿或非煤。")
	}
	province, err := s.store.FindRegion(ctx, taotai.ProvinceCode)
	if err != nil {
		return c, err
	}
	unit, err := s.store.FormUnit(ctx, p.Year, province, c.sector)
	if err != nil {
		return c, err
	}
	c.header = forms.Header{Unit: unit, Date: s.store.Clock().Now().In(taotai.Shanghai).Format("2006年1月2日"), Period: p.Label, Span: p.Span()}
	return c, nil
}

// consolidatedLink is the address of a period's province-wide form of a
// channel, as .xlsx (view false) or as a page.
func consolidatedLink(period, sector string, form int, view bool) string {
	path := "/reports/consolidated?"
	if view {
		path = "/reports/consolidated/view?"
	}
	return path + url.Values{"period": {period}, "sector": {sector}, "form": {strconv.Itoa(form)}}.Encode()
}

// FormNumbers are the three forms, for the grid's columns of links.
func (p *reportGridPage) FormNumbers() []int { return []int{forms.Form1, forms.Form2, forms.Form3} }

// HasForm1 reports whether the period's report holds 附件1: the first.
func (p *reportGridPage) HasForm1(per taotai.ReportPeriod) bool {
	return per.First()
}

// ConsolidatedLink is the address of a period's province-wide form (.xlsx).
func (p *reportGridPage) ConsolidatedLink(per taotai.ReportPeriod, form int) string {
	return consolidatedLink(per.Key, p.Sector, form, false)
}

// ConsolidatedView is the address of the page of a period's province-wide form.
func (p *reportGridPage) ConsolidatedView(per taotai.ReportPeriod, form int) string {
	return consolidatedLink(per.Key, p.Sector, form, true)
}
