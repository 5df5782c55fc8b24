package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
)

type formsPage struct {
	Page
	Years   []*taotai.CampaignYear
	Regions []regionOption
	Periods []string
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
		p.Periods = append(p.Periods, fmt.Sprintf("%d-05", y.Year))
		for m := 6; m <= 9; m++ {
			p.Periods = append(p.Periods, fmt.Sprintf("%d-%02d", y.Year, m))
		}
		p.Periods = append(p.Periods, strconv.Itoa(y.Year))
	}
	s.render(w, r, http.StatusOK, "forms", p)
	return nil
}

// periodName names a period key for people.
func periodName(key string) string {
	if len(key) == 4 {
		return key + "年度"
	}
	if len(key) == 7 && key[5:] == "05" {
		return key[:4] + "年首次报送（5月）"
	}
	if len(key) == 7 {
		m, _ := strconv.Atoi(key[5:])
		return fmt.Sprintf("%s年%d月", key[:4], m)
	}
	return key
}

// formDownload writes a form as .xlsx or .csv for the user's lane; the
// export is recorded in the audit trail.
func (s *Server) formDownload(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	a := taotai.ActorFromContext(r.Context())
	u := currentUser(r)
	form := atoiOr(q.Get("form"), forms.Form2)
	if form < 1 || form > 3 {
		return taotai.Errorf(taotai.EINVALID, "附件应为1、2或3。")
	}
	region := q.Get("region")
	if region == "" {
		region = a.RegionCode
	}
	sector := q.Get("sector")
	if sector == "" {
		sector = a.Sector
	}
	period := q.Get("period")
	if period == "" {
		years, err := s.store.CampaignYears(r.Context())
		if err != nil || len(years) == 0 {
			return taotai.Errorf(taotai.ENOTFOUND, "尚未配置任何年度工作。")
		}
		period = strconv.Itoa(years[0].Year)
	}
	p, err := s.store.ParsePeriod(r.Context(), period)
	if err != nil {
		return err
	}
	rg, err := s.store.FindRegion(r.Context(), region)
	if err != nil {
		return err
	}
	h := forms.Header{Unit: u.AgencyName, Person: u.DisplayName, Date: time.Now().In(taotai.Shanghai).Format("2006年1月2日"), Period: p.Label}
	csv := q.Get("format") == "csv"
	var buf bytes.Buffer
	n, err := s.writeForm(r, &buf, form, p, rg.Code, sector, h, csv)
	if err != nil {
		return err
	}
	if err := s.store.RecordEvent(r.Context(), taotai.AuditExport, "form", form,
		fmt.Sprintf("附件%d，%s，%s，%s，%d行", form, rg.Name, taotai.SectorName(sector), p.Key, n)); err != nil {
		return err
	}
	ext, ct := ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if csv {
		ext, ct = ".csv", "text/csv; charset=utf-8"
	}
	name := fmt.Sprintf("附件%d-%s-%s-%s%s", form, rg.Name, taotai.SectorName(sector), p.Key, ext)
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	_, err = buf.WriteTo(w)
	return err
}

func (s *Server) writeForm(r *http.Request, buf *bytes.Buffer, form int, p store.Period, region, sector string, h forms.Header, csv bool) (int, error) {
	ctx := r.Context()
	switch form {
	case forms.Form1:
		rows, err := s.store.Form1Rows(ctx, p.Year, region, sector)
		if err != nil {
			return 0, err
		}
		if csv {
			return len(rows), forms.WriteCSV(buf, form, h, rows)
		}
		return len(rows), forms.Write1(buf, h, rows, false)
	case forms.Form2:
		rows, err := s.store.Form2Rows(ctx, p, region, sector)
		if err != nil {
			return 0, err
		}
		if csv {
			return len(rows), forms.WriteCSV(buf, form, h, rows)
		}
		return len(rows), forms.Write2(buf, h, rows)
	}
	rows, err := s.store.Form3Rows(ctx, p, region, sector)
	if err != nil {
		return 0, err
	}
	if csv {
		return len(rows), forms.WriteCSV(buf, form, h, rows)
	}
	return len(rows), forms.Write3(buf, h, rows)
}
