package web

import (
	"fmt"
	"net/http"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
)

// The province-wide form of a period and channel as a page: each unit's
// rows as accepted, with its 小计, the 合计, the units not yet accepted,
// and, when asked (&compare=1: the live records of every unit are
// recounted, which a page opened every day should not do), where a unit's
// live records now disagree with what it submitted, both values side by
// side, counted at the top. Who sees what is the download's rule (the
// store's lane: a city sees its own part).

// consolidatedPage is a consolidated form laid out for the screen.
type consolidatedPage struct {
	Page
	Period      taotai.ReportPeriod
	Sector      string
	Form        int
	Forms       []int // the forms of the period's report, for switching
	FormTitle   string
	HeaderLine  string
	Columns     []string // after 序号
	Key         [2]int   // the columns of the enterprise's name and address
	Units       []consolidatedUnitView
	Total       []string // the 合计 row's cells after 序号 (附件2)
	TotalText   string   // the 合计 as a count (附件1, 附件3)
	Missing     []taotai.ReportUnit
	Differences int  // how many places disagree with the live records
	Compared    bool // the live records were compared (&compare=1)
	CompareLink string
	Download    string
}

// consolidatedUnitView is one unit's part.
type consolidatedUnitView struct {
	Name, Code   string
	Version      int
	Href         string // the unit's report page
	Rows         []consolidatedRowView
	Subtotal     []string // 附件2: the 小计's cells after 序号
	SubtotalText string   // 附件1, 附件3: the 小计 as a count
	Differences  int
}

// consolidatedRowView is a row as accepted (N its 序号), or a row only
// the live records hold (N 0).
type consolidatedRowView struct {
	N     int
	Side  string // "", store.DiffSnapshotOnly, store.DiffLiveOnly
	Cells []consolidatedCell
}

// consolidatedCell is a value as submitted and, when the live records now
// say otherwise, theirs.
type consolidatedCell struct {
	Value   string
	Live    string
	Differs bool
}

// setKey takes the key columns of the form's table.
func (p *consolidatedPage) setKey(t taotai.FormTable) { p.Key = [2]int{t.Name, t.Address} }

// IsKey reports whether column j holds the enterprise's name or address.
func (p *consolidatedPage) IsKey(j int) bool { return j == p.Key[0] || j == p.Key[1] }

// Link is the page of another form of the same period and channel.
func (p *consolidatedPage) Link(form int) string {
	return consolidatedLink(p.Period.Key, p.Sector, form, true)
}

// reportConsolidatedView shows a consolidated form.
//
//	GET /reports/consolidated/view?period=2020-06&sector=noncoal&form=2
func (s *Server) reportConsolidatedView(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q, err := s.consolidatedQuery(r)
	if err != nil {
		return err
	}
	p := &consolidatedPage{Period: q.period, Sector: q.sector, Form: q.form, HeaderLine: q.header.HeaderLine(),
		Download: consolidatedLink(q.period.Key, q.sector, q.form, false), Forms: []int{forms.Form2, forms.Form3},
		Compared: r.URL.Query().Get("compare") == "1"}
	p.CompareLink = consolidatedLink(q.period.Key, q.sector, q.form, true) + "&compare=1#diff-count"
	if q.period.First() {
		p.Forms = []int{forms.Form1, forms.Form2, forms.Form3}
	}
	switch q.form {
	case forms.Form1:
		c, err := s.store.Consolidate1(ctx, q.period, q.sector)
		if err != nil {
			return err
		}
		if p.Compared {
			if err := s.store.CompareLive1(ctx, c); err != nil {
				return err
			}
		}
		p.fill1(c)
	case forms.Form2:
		c, err := s.store.Consolidate2(ctx, q.period, q.sector)
		if err != nil {
			return err
		}
		if p.Compared {
			if err := s.store.CompareLive2(ctx, c); err != nil {
				return err
			}
		}
		p.fill2(c)
	case forms.Form3:
		c, err := s.store.Consolidate3(ctx, q.period, q.sector)
		if err != nil {
			return err
		}
		if p.Compared {
			if err := s.store.CompareLive3(ctx, c); err != nil {
				return err
			}
		}
		p.fill3(c)
	default:
		return taotai.Errorf(taotai.EINVALID, "附件应为1、2或3。")
	}
	for i := range p.Units {
		u := &p.Units[i]
		u.Href = reportPath(q.period.Key, u.Code, q.sector)
		p.Differences += u.Differences
	}
	p.Page = s.page(r, fmt.Sprintf("汇总表 附件%d %s %s", q.form, q.period.Name(), taotai.SectorName(q.sector)))
	s.render(w, r, http.StatusOK, "reports_consolidated", p)
	return nil
}

func (p *consolidatedPage) fill1(c *store.Consolidated1) {
	p.FormTitle, p.Columns, p.Missing = forms.Title1, forms.Columns1[1:], c.Missing
	p.setKey(forms.Table1(nil))
	p.TotalText = fmt.Sprintf("共%d家", c.Total)
	for _, u := range c.Units {
		v := unitView(u.Name, u.Code, u.Version, forms.Table1(u.Rows), u.Diffs)
		v.SubtotalText = fmt.Sprintf("共%d家", len(u.Rows))
		p.Units = append(p.Units, v)
	}
}

func (p *consolidatedPage) fill2(c *store.Consolidated2) {
	p.FormTitle, p.Columns, p.Missing = forms.Title2Of(c.Period.Label), forms.Columns2[1:], c.Missing
	p.setKey(forms.Table2(nil))
	total := forms.Cells2(c.Total)
	total[0], total[len(total)-1] = forms.TotalLabel, ""
	p.Total = total
	for _, u := range c.Units {
		v := unitView(u.Name, u.Code, u.Version, forms.Table2(u.Rows), u.Diffs)
		v.Subtotal = forms.Cells2(u.Subtotal)
		v.Subtotal[0], v.Subtotal[len(v.Subtotal)-1] = forms.SubtotalLabel(u.Name), ""
		p.Units = append(p.Units, v)
	}
}

func (p *consolidatedPage) fill3(c *store.Consolidated3) {
	p.FormTitle, p.Columns, p.Missing = forms.Title3Of(c.Period.Label), forms.Columns3[1:], c.Missing
	p.setKey(forms.Table3(nil))
	p.TotalText = c.Total.Text()
	for _, u := range c.Units {
		v := unitView(u.Name, u.Code, u.Version, forms.Table3(u.Rows), u.Diffs)
		v.SubtotalText = u.Subtotal.Text()
		p.Units = append(p.Units, v)
	}
}

// unitView lays out a unit's accepted rows with the differences from its
// live records: a differing cell shows both values, a row gone from the
// records is marked, a row only the records hold follows the unit's rows.
// Each differing cell counts as one place, and so does each row on one
// side only.
func unitView(name, code string, version int, t taotai.FormTable, diffs []store.RowDiff) consolidatedUnitView {
	v := consolidatedUnitView{Name: name, Code: code, Version: version}
	col := map[string]int{}
	for i, c := range t.Columns {
		col[c] = i
	}
	byRow := map[int]store.RowDiff{}
	var liveOnly []store.RowDiff
	for _, d := range diffs {
		if d.Side == store.DiffLiveOnly {
			liveOnly = append(liveOnly, d)
			v.Differences++
			continue
		}
		byRow[d.Row] = d
		if d.Side == store.DiffSnapshotOnly {
			v.Differences++
		} else {
			v.Differences += len(d.Cells)
		}
	}
	for i, r := range t.Rows {
		row := consolidatedRowView{N: i + 1, Cells: make([]consolidatedCell, len(r))}
		for j, val := range r {
			row.Cells[j].Value = val
		}
		if d, ok := byRow[i]; ok {
			row.Side = d.Side
			for _, c := range d.Cells {
				if j, ok := col[c.Column]; ok && d.Side == "" {
					row.Cells[j].Live, row.Cells[j].Differs = c.Live, true
				}
			}
		}
		v.Rows = append(v.Rows, row)
	}
	for _, d := range liveOnly {
		row := consolidatedRowView{Side: store.DiffLiveOnly, Cells: make([]consolidatedCell, len(d.Live))}
		for j, val := range d.Live {
			row.Cells[j].Value = val
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}
