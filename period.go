package taotai

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ReportPeriod is the span of days one report of a campaign year counts:
// the first report from the campaign's start to its statistics cut-off, each
// monthly report (June–September) from the day after the previous cut-off
// to its own, and the year from the campaign's start to 31 December. The
// first and monthly periods are contiguous: every day from the start to the
// last monthly cut-off lies in exactly one of them.
type ReportPeriod struct {
	Key      string    // "2020-05" (the first report), "2020-06" … "2020-09", "2020" (the year)
	Year     int       //
	From, To time.Time // dates, both inclusive, in Asia/Shanghai
	Label    string    // as the forms' titles name it: "5月", "6月" … "年度"
	Due      time.Time // when the report is due (zero for none)
}

// First reports whether the period is the first report's (it alone holds
// 附件1).
func (p ReportPeriod) First() bool { return p.Key == strconv.Itoa(p.Year)+"-05" }

// Annual reports whether the period is the whole year.
func (p ReportPeriod) Annual() bool { return !strings.Contains(p.Key, "-") }

// Span names the period's days: "2020年5月12日至6月25日".
func (p ReportPeriod) Span() string {
	to := p.To.Format("1月2日")
	if p.To.Year() != p.From.Year() {
		to = p.To.Format("2006年1月2日")
	}
	return p.From.Format("2006年1月2日") + "至" + to
}

// Name is how the pages name the period: "2020年6月（5月12日至6月25日）",
// "2020年首次报送（3月25日至5月11日）", "2020年度（3月25日至12月31日）".
func (p ReportPeriod) Name() string {
	days := p.From.Format("1月2日") + "至" + p.To.Format("1月2日")
	switch {
	case p.Annual():
		return strconv.Itoa(p.Year) + "年度（" + days + "）"
	case p.First():
		return strconv.Itoa(p.Year) + "年首次报送（" + days + "）"
	}
	return strconv.Itoa(p.Year) + "年" + p.Label + "（" + days + "）"
}

// Contains reports whether the day d (any time of it) lies in the period.
func (p ReportPeriod) Contains(d time.Time) bool {
	day := DateOf(d)
	return !day.Before(p.From) && !day.After(p.To)
}

// DateOf returns the day of t in Asia/Shanghai, at midnight.
func DateOf(t time.Time) time.Time {
	y, m, d := t.In(Shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Shanghai)
}

// Report deadlines whose statistics make the periods, by key: the first
// report counts as May ("2020-05"), monthly_MM as month MM.
const (
	DeadlineFirstReport = "first_report"
	deadlineMonthly     = "monthly_"
)

// ReportPeriods returns the year's periods in order — the first report,
// the monthly reports, the year — from its configuration. Cut-offs that
// do not rise from the campaign's start are EINVALID: periods must neither
// overlap nor leave a day out.
func ReportPeriods(c *CampaignYear) ([]ReportPeriod, error) {
	start := DateOf(c.Start)
	if c.Start.IsZero() {
		start = time.Date(c.Year, 1, 1, 0, 0, 0, 0, Shanghai)
	}
	type report struct {
		month int
		d     Deadline
	}
	var reports []report
	for _, d := range c.Deadlines {
		switch {
		case d.Key == DeadlineFirstReport:
			reports = append(reports, report{5, d})
		case strings.HasPrefix(d.Key, deadlineMonthly):
			m, err := strconv.Atoi(strings.TrimPrefix(d.Key, deadlineMonthly))
			if err != nil || m < 6 || m > 12 {
				continue
			}
			reports = append(reports, report{m, d})
		}
	}
	sort.Slice(reports, func(i, j int) bool { return reports[i].month < reports[j].month })
	var out []ReportPeriod
	from := start
	for _, r := range reports {
		to := r.d.Cutoff
		if to.IsZero() {
			to = r.d.Due
		}
		to = DateOf(to)
		label := strconv.Itoa(r.month) + "月"
		if to.Before(from) {
			return nil, Errorf(EINVALID, "%d年%s报送的统计截止日（%s）早于其统计起始日（%s）：各期统计区间须首尾相接、不重叠。",
				c.Year, label, to.Format("1月2日"), from.Format("1月2日"))
		}
		out = append(out, ReportPeriod{Key: fmt.Sprintf("%d-%02d", c.Year, r.month), Year: c.Year, From: from, To: to,
			Label: label, Due: DateOf(r.d.Due)})
		from = to.AddDate(0, 0, 1)
	}
	annual := ReportPeriod{Key: strconv.Itoa(c.Year), Year: c.Year, From: start,
		To: time.Date(c.Year, 12, 31, 0, 0, 0, 0, Shanghai), Label: "年度"}
	for _, d := range c.Deadlines {
		if d.Key == "annual_report" {
			annual.Due = DateOf(d.Due)
		}
	}
	return append(out, annual), nil
}

// FindReportPeriod returns the year's period of the key, or EINVALID
// naming the periods there are.
func FindReportPeriod(c *CampaignYear, key string) (ReportPeriod, error) {
	ps, err := ReportPeriods(c)
	if err != nil {
		return ReportPeriod{}, err
	}
	var names []string
	for _, p := range ps {
		if p.Key == key {
			return p, nil
		}
		names = append(names, p.Key+" "+p.Name())
	}
	return ReportPeriod{}, Errorf(EINVALID, "报送期间“%s”不正确，%d年的报送期间为：%s。", key, c.Year, strings.Join(names, "；"))
}
