package taotai

import (
	"strconv"
	"strings"
	"time"
)

// The reporting year. Each reporting unit (a city, or 沈抚新区) reports
// each period to the province up each of its channels: non-coal to
// 省应急管理厅 for every unit, coal to 省煤矿安监局 only for the
// coal-producing cities. ReportCalendar derives every report due from a
// campaign year's configuration.

// ReportOpenDays is how many days before its due day a report opens: a
// report can be prepared and submitted from the later of its period's first
// day and its due day less ReportOpenDays (1 May for the first report, the
// 15th for a monthly one, 10 November for the year). Before that the
// period's figures are too far from complete to send.
const ReportOpenDays = 10

// ReportUnit is a unit that reports to the province: a city-level region.
type ReportUnit struct {
	Code, Name    string
	Path          string // its Path in the region tree
	CoalProducing bool
}

// Sectors returns the channels the unit reports up: non-coal always, coal
// when it produces coal.
func (u ReportUnit) Sectors() []string {
	if u.CoalProducing {
		return []string{SectorNonCoal, SectorCoal}
	}
	return []string{SectorNonCoal}
}

// ReportExtension is an administrator's later due time for one due report
// (one period, unit and channel), with the reason.
type ReportExtension struct {
	PeriodKey  string
	RegionCode string
	Sector     string
	DueAt      time.Time // the new due instant
	Reason     string
	By         string // the administrator's username
	At         time.Time
}

// DueReport is one report a unit owes the province up one channel for one
// period: the forms it holds, whether a work summary goes with it, and when
// it is due.
type DueReport struct {
	Period  ReportPeriod
	Unit    ReportUnit
	Sector  string
	Forms   []int // the 附件 it holds: 1, 2, 3 (the first report) or 2, 3
	Summary bool  // the annual report: a 工作总结 goes with the forms
	// DueAt is the instant the report is due: the end (24:00) of the
	// period's due day in Asia/Shanghai, or an extension's.
	DueAt     time.Time
	OpensAt   time.Time        // from when it can be prepared and submitted
	Extension *ReportExtension // nil: the configured due time holds
}

// Key names the due report: "2020-06/210300/noncoal".
func (d DueReport) Key() string { return d.Period.Key + "/" + d.Unit.Code + "/" + d.Sector }

// Open reports whether the report can be prepared and submitted at t.
func (d DueReport) Open(t time.Time) bool { return !t.Before(d.OpensAt) }

// Overdue reports whether the report's due time has passed at t.
func (d DueReport) Overdue(t time.Time) bool { return t.After(d.DueAt) }

// EndOfDay returns 24:00 of day's date in Asia/Shanghai: the instant a
// deadline "by that day" passes.
func EndOfDay(day time.Time) time.Time { return DateOf(day).AddDate(0, 0, 1) }

// ReportForms returns the 附件 of a period's report: 1, 2 and 3 for the
// first report, 2 and 3 for a monthly or the annual one.
func ReportForms(c *CampaignYear, p ReportPeriod) []int {
	if p.Key == firstReportKey(c) {
		return []int{1, 2, 3}
	}
	return []int{2, 3}
}

func firstReportKey(c *CampaignYear) string {
	for _, d := range c.Deadlines {
		if d.Key == DeadlineFirstReport {
			return DateOf(d.Due).Format("2006") + "-05"
		}
	}
	return ""
}

// ReportCalendar returns every report due in the campaign year: each
// period with a due date × each unit × each of its channels, ordered by
// period, unit (as given) and channel (non-coal first). An extension for a
// due report replaces its due time.
func ReportCalendar(c *CampaignYear, units []ReportUnit, exts []ReportExtension) ([]DueReport, error) {
	periods, err := ReportPeriods(c)
	if err != nil {
		return nil, err
	}
	byKey := map[string]*ReportExtension{}
	for i := range exts {
		e := &exts[i]
		byKey[e.PeriodKey+"/"+e.RegionCode+"/"+e.Sector] = e
	}
	var out []DueReport
	for _, p := range periods {
		if p.Due.IsZero() {
			continue
		}
		forms := ReportForms(c, p)
		opens := DateOf(p.Due).AddDate(0, 0, -ReportOpenDays)
		if opens.Before(p.From) {
			opens = p.From
		}
		for _, u := range units {
			for _, s := range u.Sectors() {
				d := DueReport{Period: p, Unit: u, Sector: s, Forms: forms, Summary: p.Annual(),
					DueAt: EndOfDay(p.Due), OpensAt: opens}
				if e := byKey[d.Key()]; e != nil {
					d.DueAt, d.Extension = e.DueAt, e
				}
				out = append(out, d)
			}
		}
	}
	return out, nil
}

// FindDueReport returns the due report of a period, unit and channel from
// a calendar, or EINVALID saying why there is none.
func FindDueReport(cal []DueReport, periodKey, unitCode, sector string) (DueReport, error) {
	var unit string
	for _, d := range cal {
		if d.Period.Key == periodKey && d.Unit.Code == unitCode {
			if d.Sector == sector {
				return d, nil
			}
			unit = d.Unit.Name
		}
	}
	if unit != "" {
		return DueReport{}, Errorf(EINVALID, "%s不是产煤市，无需向%s报送。", unit, ChannelName(sector))
	}
	return DueReport{}, Errorf(EINVALID, "报送期间“%s”没有该单位应报的报告。", periodKey)
}

// ChannelName names where a channel's reports go: 省应急管理厅 (non-coal),
// 省煤矿安监局 (coal).
func ChannelName(sector string) string {
	if sector == SectorCoal {
		return "省煤矿安监局（煤矿渠道）"
	}
	return "省应急管理厅（非煤渠道）"
}

// ReportFormNames names a report's contents: "附件1、附件2、附件3", with
// "、工作总结" for the annual report.
func ReportFormNames(d DueReport) string {
	var parts []string
	for _, f := range d.Forms {
		parts = append(parts, "附件"+strconv.Itoa(f))
	}
	if d.Summary {
		parts = append(parts, "工作总结")
	}
	return strings.Join(parts, "、")
}
