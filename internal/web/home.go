package web

import (
	"html"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"taotai"
	"taotai/internal/store"
)

type homePage struct {
	Page
	Region      *taotai.Region
	Enterprises int
	KeyListed   int
	Campaign    *taotai.CampaignYear
	Today       time.Time
	Work        *store.Worklist
	Years       []*taotai.CampaignYear
	Groups      []workGroup // the worklist, most urgent first
	Mine        bool        // the user can act on some group
	Reports     *reportReminders
}

// reportReminders is what the home page says of the reporting year: for a
// city, what its unit must submit in the next 7 days, what is overdue and
// what was returned; for the province, who is late now.
type reportReminders struct {
	Province bool
	DueSoon  []taotai.ReportStatus
	Overdue  []taotai.ReportStatus
	Returned []taotai.ReportStatus
	Late     []lateUnit // the province's: units with missing reports
}

// lateUnit is a unit with its missing reports of one channel.
type lateUnit struct {
	Unit    taotai.ReportUnit
	Sector  string
	Missing []taotai.ReportStatus
}

// MissingHTML writes the unit's missing reports, each a link to its report
// with how late it is, as one piece of escaped HTML: the province's 15
// units with a year's reports missing made ~120 links, which through
// html/template (a method, two URL escapers, by reflection, each) took a
// fifth of the home page's CPU (issue 14).
func (l lateUnit) MissingHTML() template.HTML {
	var b strings.Builder
	for i, m := range l.Missing {
		if i > 0 {
			b.WriteString("；")
		}
		b.WriteString(`<a href="`)
		b.WriteString(html.EscapeString(reportPath(m.Due.Period.Key, m.Due.Unit.Code, m.Due.Sector)))
		b.WriteString(`">`)
		b.WriteString(html.EscapeString(periodShort(m.Due.Period)))
		b.WriteString(`</a>已逾期`)
		b.WriteString(strconv.Itoa(m.LateDays))
		b.WriteString(`天`)
	}
	return template.HTML(b.String()) //nolint:gosec // escaped above; reportPath escapes its parts
}

// Any reports whether there is anything to remind of.
func (r *reportReminders) Any() bool {
	return len(r.DueSoon)+len(r.Overdue)+len(r.Returned)+len(r.Late) > 0
}

// Path is the address of a reminder's due report.
func (r *reportReminders) Path(st taotai.ReportStatus) string {
	return reportPath(st.Due.Period.Key, st.Due.Unit.Code, st.Due.Sector)
}

// reminderDays is how far ahead the home page looks for reports due.
const reminderDays = 7

// reportReminders reads the year's grids of the user's channels.
func (s *Server) reportReminders(r *http.Request, year int) (*reportReminders, error) {
	a := taotai.ActorFromContext(r.Context())
	now := s.store.Clock().Now()
	rem := &reportReminders{Province: a.RegionCode == taotai.ProvinceCode}
	for _, sector := range visibleSectors(a) {
		g, err := s.store.ReportGrid(r.Context(), year, sector)
		if err != nil {
			return nil, err
		}
		for i, row := range g.Cells {
			late := lateUnit{Unit: g.Units[i], Sector: sector}
			for _, st := range row {
				switch {
				case rem.Province && st.State == taotai.ReportMissing:
					late.Missing = append(late.Missing, st)
				case rem.Province:
				case st.State == taotai.ReportMissing:
					rem.Overdue = append(rem.Overdue, st)
				case st.State == taotai.ReportReturned:
					rem.Returned = append(rem.Returned, st)
				case st.State == taotai.ReportNotDue && st.Due.DueAt.Before(now.AddDate(0, 0, reminderDays)):
					rem.DueSoon = append(rem.DueSoon, st)
				}
			}
			if len(late.Missing) > 0 {
				rem.Late = append(rem.Late, late)
			}
		}
	}
	return rem, nil
}

// Upcoming reports whether a deadline is today or later.
func (p *homePage) Upcoming(d taotai.Deadline) bool { return !d.Due.Before(p.Today) }

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := taotai.ActorFromContext(ctx)
	p := &homePage{Page: s.page(r, "工作台"), Today: taotai.Today(s.store.Clock().Now())}
	var err error
	if p.Region, err = s.store.FindRegion(ctx, a.RegionCode); err != nil {
		return err
	}
	years, err := s.store.CampaignYears(ctx)
	if err != nil {
		return err
	}
	p.Years = years
	if p.Campaign, err = s.homeYear(r, years); err != nil {
		return err
	}
	if p.Campaign != nil {
		if _, p.KeyListed, err = s.store.KeyListPage(ctx, p.Campaign.Year, "", 0, 0); err != nil {
			return err
		}
		// A year whose calendar cannot be laid out shows its error on
		// /reports; the home page goes without the reminders.
		// Only roles with a part in reporting are reminded of it.
		if reportsRole(a) {
			if p.Reports, err = s.reportReminders(r, p.Campaign.Year); err != nil && taotai.ErrorCode(err) == taotai.EINTERNAL {
				return err
			}
		}
	}
	year := 0
	if p.Campaign != nil {
		year = p.Campaign.Year
	}
	if p.Work, err = s.store.WorklistFor(ctx, s.store.Clock().Now(), year); err != nil {
		return err
	}
	p.Enterprises = p.Work.Enterprises
	p.Groups = worklistGroups(p.Work, a)
	p.Mine = anyMine(p.Groups)
	s.render(w, r, http.StatusOK, "home", p)
	return nil
}

// homeYear reads the campaign year the home page shows: ?year=, else the
// latest open one (taotai.OpenCampaignYear); nil with none configured.
func (s *Server) homeYear(r *http.Request, years []*taotai.CampaignYear) (*taotai.CampaignYear, error) {
	raw := strings.TrimSpace(r.URL.Query().Get("year"))
	if raw == "" {
		return taotai.OpenCampaignYear(years, s.store.Clock().Now()), nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 2000 || n > 2099 {
		return nil, taotai.Errorf(taotai.EINVALID, "年度“%s”不正确：应为四位年份，如2020。", truncate(raw, 10))
	}
	for _, y := range years {
		if y.Year == n {
			return y, nil
		}
	}
	return nil, taotai.Errorf(taotai.ENOTFOUND, "%d年度工作尚未配置。", n)
}

// Others reports whether some group is for other roles to decide.
func (p *homePage) Others() bool {
	for _, g := range p.Groups {
		if !g.Mine {
			return true
		}
	}
	return false
}

// reportsRole reports whether a role has a part in the reporting year:
// preparing, submitting, reviewing, unlocking or extending reports.
func reportsRole(a *taotai.Actor) bool {
	for _, act := range []taotai.Action{taotai.ActPrepareReport, taotai.ActSubmitReport, taotai.ActReviewReport,
		taotai.ActUnlockReport, taotai.ActExtendReport} {
		if a.Can(act) {
			return true
		}
	}
	return false
}
