package web

import (
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"taotai"
	"taotai/internal/store"
)

// The dashboard (数据看板): the year's figures of a region, one row per
// child unit, as tables (the source of truth, for print and screen
// readers) that the charts of static/dashboard.js decorate from a JSON
// island. Every figure links to the records it counts (drill.link).

// dashboardPage is the board of a year, a region and a sector.
type dashboardPage struct {
	Page
	Years    []*taotai.CampaignYear
	Year     int
	Sectors  []sectorOption // the sector choice, when the lane holds both
	Sector   string
	D        *taotai.Dashboard
	Up       *taotai.Region // the board one level up, within the lane
	Map      bool           // the view's units are the province's cities
	Rows     []dashRow
	Total    dashRow
	Months   []dashMonth
	Channels []dashChannel
	Cols     dashCols // the tables' columns
	Data     dashData // the JSON island
}

// sectorOption is one choice of the sector selector.
type sectorOption struct{ Value, Name string }

// cell is a figure as shown, with the address of the records it counts.
type cell struct{ Text, Href string }

// HTML writes the figure, as a link to its records when it has them. The
// province's board has some 400 figures: written through html/template's
// escapers one attribute at a time they took a fifth of the page's CPU.
// Both parts are escaped here; the address is always one of drill.link's
// (a path of this server and encoded parameters).
func (c cell) HTML() template.HTML {
	if c.Href == "" {
		return template.HTML(html.EscapeString(c.Text)) //nolint:gosec // escaped
	}
	return template.HTML(`<a href="` + html.EscapeString(c.Href) + `">` + html.EscapeString(c.Text) + `</a>`) //nolint:gosec // escaped; a drill.link address
}

// dashRow is one unit's (or the total's) row of figures.
type dashRow struct {
	Name, Board                              string // the unit, and its own board ("" when none)
	Listed, Inspected, Uninspected, Coverage cell
	Inspections                              cell
	Hazards, Passed, Unresolved, Overdue     cell
	Major, MajorPassed, MajorSupervised      cell
	MajorOverdue                             cell
	Cards                                    []cell // by dashboardCardStates
	Docs                                     []cell // by taotai.DocKinds order of dashboardDocKinds
	Fines                                    cell
	Figs                                     dashRowFigs
}

// dashRowFigs are a row's cells in each table, written by figCells.
type dashRowFigs struct{ Coverage, Hazards, Cards, Docs template.HTML }

// dashMonth is one month's row of the trend.
type dashMonth struct {
	Name                            string
	Inspections, Hazards, Documents cell
	Figs                            template.HTML
}

// figCol is a column of figures in a table of the board: its heading,
// the data-label each of its cells carries (the narrow layout shows it),
// and its figure in a row.
type figCol[R any] struct {
	Head, Label string
	fig         func(*R) cell
}

// col is a column whose cells are labelled as it is headed.
func col[R any](head string, fig func(*R) cell) figCol[R] {
	return figCol[R]{Head: head, Label: head, fig: fig}
}

// figCells writes a row's cells in cols as one piece of HTML. The
// province's board has some 600 figures: each through html/template (a
// nested template, a method and an escaper, all called by reflection)
// took half the page's CPU (issue 14). The labels are this file's
// constants and names of card states and document kinds, escaped; the
// figures are cell.HTML's.
func figCells[R any](cols []figCol[R], r *R) template.HTML {
	var b strings.Builder
	for _, c := range cols {
		b.WriteString(`<td data-label="`)
		b.WriteString(html.EscapeString(c.Label))
		b.WriteString(`">`)
		b.WriteString(string(c.fig(r).HTML()))
		b.WriteString(`</td>`)
	}
	return template.HTML(b.String()) //nolint:gosec // escaped above
}

// The board's tables of figures, by column.
var (
	coverageCols = []figCol[dashRow]{
		col("名单内企业", func(r *dashRow) cell { return r.Listed }),
		col("已检查", func(r *dashRow) cell { return r.Inspected }),
		col("未检查", func(r *dashRow) cell { return r.Uninspected }),
		col("覆盖率", func(r *dashRow) cell { return r.Coverage }),
	}
	hazardCols = []figCol[dashRow]{
		col("发现隐患", func(r *dashRow) cell { return r.Hazards }),
		col("复查合格", func(r *dashRow) cell { return r.Passed }),
		col("未整改", func(r *dashRow) cell { return r.Unresolved }),
		col("其中逾期", func(r *dashRow) cell { return r.Overdue }),
		col("重大事故隐患", func(r *dashRow) cell { return r.Major }),
		col("已销号", func(r *dashRow) cell { return r.MajorPassed }),
		col("挂牌督办中", func(r *dashRow) cell { return r.MajorSupervised }),
		{Head: "其中逾期", Label: "重大隐患逾期", fig: func(r *dashRow) cell { return r.MajorOverdue }},
	}
	cardCols = func() []figCol[dashRow] {
		var out []figCol[dashRow]
		for i, st := range dashboardCardStates {
			out = append(out, col(taotai.CardStateName(st), func(r *dashRow) cell { return r.Cards[i] }))
		}
		return out
	}()
	docCols = func() []figCol[dashRow] {
		out := []figCol[dashRow]{col("检查次数", func(r *dashRow) cell { return r.Inspections })}
		for i, k := range dashboardDocKinds {
			out = append(out, col(taotai.DocKindName(k), func(r *dashRow) cell { return r.Docs[i] }))
		}
		return append(out, col("罚款（万元）", func(r *dashRow) cell { return r.Fines }))
	}()
	monthCols = []figCol[dashMonth]{
		col("检查次数", func(m *dashMonth) cell { return m.Inspections }),
		col("发现隐患", func(m *dashMonth) cell { return m.Hazards }),
		col("执法文书", func(m *dashMonth) cell { return m.Documents }),
	}
	rateCols = []figCol[dashRateRow]{
		col("应报", func(r *dashRateRow) cell { return cell{strconv.Itoa(r.Expected), r.grid} }),
		col("实报", func(r *dashRateRow) cell { return cell{strconv.Itoa(r.Actual), r.grid} }),
		col("按时", func(r *dashRateRow) cell { return cell{strconv.Itoa(r.OnTime), r.grid} }),
		col("已通过", func(r *dashRateRow) cell { return cell{strconv.Itoa(r.Accepted), r.grid} }),
		col("完整率", func(r *dashRateRow) cell { return cell{r.Completeness, r.grid} }),
		col("按时率", func(r *dashRateRow) cell { return cell{r.OnTimeRate, r.grid} }),
	}
)

// dashCols are the board's tables' columns, for their headings.
type dashCols struct {
	Coverage, Hazards, Cards, Docs []figCol[dashRow]
	Months                         []figCol[dashMonth]
	Rates                          []figCol[dashRateRow]
}

var dashColumns = dashCols{Coverage: coverageCols, Hazards: hazardCols, Cards: cardCols, Docs: docCols,
	Months: monthCols, Rates: rateCols}

// writeFigs writes a row's cells of every table.
func (r *dashRow) writeFigs() {
	r.Figs = dashRowFigs{Coverage: figCells(coverageCols, r), Hazards: figCells(hazardCols, r),
		Cards: figCells(cardCols, r), Docs: figCells(docCols, r)}
}

// dashChannel is one channel's timeliness, by reporting unit.
type dashChannel struct {
	Sector, Name string
	Grid         string // the /reports grid of the channel
	Rows         []dashRateRow
	Total        dashRateRow
}

// dashRateRow is one unit's reporting rates.
type dashRateRow struct {
	Name                               string
	Expected, Actual, OnTime, Accepted int
	Completeness, OnTimeRate           string
	completenessValue, onTimeRateValue float64
	grid                               string // the channel's /reports grid, where each figure links
	Figs                               template.HTML
}

// dashboardCardStates are the card states the board counts, in the order
// of their life.
var dashboardCardStates = []string{taotai.CardYellow, taotai.CardCleared, taotai.CardRed, taotai.CardProposed, taotai.CardClosed, taotai.CardAccepted}

// dashboardDocKinds are the document kinds, in the order of the work.
var dashboardDocKinds = []string{taotai.DocSiteRecord, taotai.DocRectOrder, taotai.DocStopOrder, taotai.DocRecheck, taotai.DocPenalty}

// drill names the records a figure counts, in the terms of the list pages.
type drill struct {
	list           string // inspections, hazards, documents, cards, coverage, coverage/gaps, reports, dashboard
	year           int
	region, sector string
	from, to       time.Time // inspections, hazards (the day found), documents (the day issued)
	level, status  string    // hazards: major|general; open|rectifying|passed|failed|unresolved
	overdue        bool      // hazards: not passed, deadline day ended (as of today)
	kind           string    // documents: rect_order|penalty|stop_order|recheck|site_record
	fined          bool      // documents: with a fine
	state          string    // cards: the card's current state
}

// link writes the address of d's records: the one place that knows the
// list pages' parameters (all of them take region and sector). The
// parameters come in the order url.Values.Encode would sort them, written
// directly: the province's board writes ~600 links, and url.Values (a map,
// a sort) was a tenth of its CPU.
func (d drill) link() string {
	var b strings.Builder
	b.Grow(160)
	b.WriteString("/")
	b.WriteString(d.list)
	b.WriteString("?")
	first := true
	set := func(k, val string) {
		if val == "" {
			return
		}
		if !first {
			b.WriteByte('&')
		}
		first = false
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(val))
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	}
	flag := func(on bool) string {
		if on {
			return "1"
		}
		return ""
	}
	year := ""
	switch d.list {
	case "cards", "coverage", "coverage/gaps", "reports", "dashboard":
		year = strconv.Itoa(d.year)
	}
	region := d.region
	if d.list == "reports" {
		region = ""
	}
	// In the keys' order: fined, from, kind, level, overdue, region,
	// sector, state, status, to, year.
	set("fined", flag(d.fined))
	set("from", date(d.from))
	set("kind", d.kind)
	set("level", d.level)
	set("overdue", flag(d.overdue))
	set("region", region)
	set("sector", d.sector)
	set("state", d.state)
	set("status", d.status)
	set("to", date(d.to))
	set("year", year)
	return b.String()
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := taotai.ActorFromContext(ctx)
	y, years, deadline, err := s.coverageYear(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	sector := q.Get("sector")
	if a.Sector != "" && sector == "" {
		sector = a.Sector
	}
	d, err := s.store.Dashboard(ctx, store.DashboardQuery{Year: y.Year, RegionCode: q.Get("region"), Sector: sector, Deadline: deadline})
	if err != nil {
		return err
	}
	p := &dashboardPage{Page: s.page(r, "数据看板"), Years: years, Year: y.Year, Sector: sector, D: d,
		Map: d.Region.Level == taotai.LevelProvince, Cols: dashColumns}
	if a.Sector == "" {
		p.Sectors = []sectorOption{{"", "全部"}, {taotai.SectorNonCoal, "非煤"}, {taotai.SectorCoal, "煤矿"}}
	}
	if d.Region.Code != a.RegionCode && d.Region.Parent != "" {
		if p.Up, err = s.store.FindRegion(ctx, d.Region.Parent); err != nil {
			return err
		}
	}
	p.build()
	s.render(w, r, http.StatusOK, "dashboard", p)
	return nil
}

// build lays the dashboard out as rows of linked figures and as the
// charts' data.
func (p *dashboardPage) build() {
	d := p.D
	hasKids := len(d.Units) > 1 || d.Units[0].Region.Code != d.Region.Code
	for _, u := range d.Units {
		row := p.row(u.Region.Name, u.Region.Code, u.DashboardFigures)
		if hasKids && u.Region.Level != taotai.LevelCounty {
			row.Board = p.drill("dashboard", u.Region.Code).link()
		}
		row.writeFigs()
		p.Rows = append(p.Rows, row)
	}
	p.Total = p.row("合计", d.Region.Code, d.Total)
	p.Total.writeFigs()
	for _, m := range d.Months {
		from, to := taotai.MonthRange(d.Year, m.Month)
		at := func(list string) drill {
			x := p.drill(list, d.Region.Code)
			x.from, x.to = from, to
			return x
		}
		month := dashMonth{Name: strconv.Itoa(int(m.Month)) + "月",
			Inspections: cell{strconv.Itoa(m.Inspections), at("inspections").link()},
			Hazards:     cell{strconv.Itoa(m.Hazards), at("hazards").link()},
			Documents:   cell{strconv.Itoa(m.Documents), at("documents").link()}}
		month.Figs = figCells(monthCols, &month)
		p.Months = append(p.Months, month)
	}
	for _, ch := range d.Channels {
		c := dashChannel{Sector: ch.Sector, Name: taotai.ChannelName(ch.Sector),
			Grid: drill{list: "reports", year: d.Year, sector: ch.Sector}.link()}
		for i, u := range ch.Units {
			c.Rows = append(c.Rows, rateRow(u.Name, ch.Rates[i], c.Grid))
		}
		c.Total = rateRow("合计", ch.Total, c.Grid)
		p.Channels = append(p.Channels, c)
	}
	p.Data = p.chartData()
}

// drill starts the address of records of the board's year and sector in a
// region.
func (p *dashboardPage) drill(list, region string) drill {
	from, to := taotai.YearRange(p.Year)
	x := drill{list: list, year: p.Year, region: region, sector: p.Sector}
	switch list {
	case "inspections", "hazards", "documents":
		x.from, x.to = from, to
	}
	return x
}

// row writes one unit's figures, each with the address of its records.
func (p *dashboardPage) row(name, code string, f taotai.DashboardFigures) dashRow {
	n := func(v int, x drill) cell { return cell{strconv.Itoa(v), x.link()} }
	hz := func(level, status string, overdue bool) drill {
		x := p.drill("hazards", code)
		x.level, x.status, x.overdue = level, status, overdue
		return x
	}
	doc := func(kind string, fined bool) drill {
		x := p.drill("documents", code)
		x.kind, x.fined = kind, fined
		return x
	}
	cov := p.drill("coverage", code)
	row := dashRow{Name: name,
		Listed:          n(f.Listed, cov),
		Inspected:       n(f.Inspected, cov),
		Uninspected:     n(f.Uninspected(), p.drill("coverage/gaps", code)),
		Coverage:        cell{fmt.Sprintf("%.1f%%", f.Coverage()), cov.link()},
		Inspections:     n(f.Inspections, p.drill("inspections", code)),
		Hazards:         n(f.Hazards, hz("", "", false)),
		Passed:          n(f.HazardsPassed, hz("", taotai.HazardPassed, false)),
		Unresolved:      n(f.HazardsUnresolved, hz("", "unresolved", false)),
		Overdue:         n(f.HazardsOverdue, hz("", "unresolved", true)),
		Major:           n(f.Major, hz(taotai.HazardMajor, "", false)),
		MajorPassed:     n(f.MajorPassed, hz(taotai.HazardMajor, taotai.HazardPassed, false)),
		MajorSupervised: n(f.MajorSupervised, hz(taotai.HazardMajor, "unresolved", false)),
		MajorOverdue:    n(f.MajorOverdue, hz(taotai.HazardMajor, "unresolved", true)),
		Fines:           cell{f.Fines.Wan(), doc(taotai.DocPenalty, true).link()},
	}
	for _, st := range dashboardCardStates {
		x := p.drill("cards", code)
		x.state = st
		row.Cards = append(row.Cards, n(f.Cards[st], x))
	}
	for _, k := range dashboardDocKinds {
		row.Docs = append(row.Docs, n(f.Documents[k], doc(k, false)))
	}
	return row
}

// rateRow writes a unit's reporting rates.
func rateRow(name string, r taotai.ReportRates, grid string) dashRateRow {
	row := dashRateRow{Name: name, Expected: r.Expected, Actual: r.Actual, OnTime: r.OnTime, Accepted: r.Accepted,
		Completeness: pct(r.Completeness()), OnTimeRate: pct(r.OnTimeRate()),
		completenessValue: r.Completeness(), onTimeRateValue: r.OnTimeRate(), grid: grid}
	row.Figs = figCells(rateCols, &row)
	return row
}
