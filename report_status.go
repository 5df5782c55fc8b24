package taotai

import (
	"fmt"
	"time"
)

// Timeliness, as DHIS2 reports it: each due report has one state, and the
// rates count them. The rules:
//
//   - A report's timeliness is judged by its first submission: a unit that
//     sent on time and was asked to correct its report stays on time.
//   - accepted: the latest version is accepted (OnTime and LateDays still
//     say how the first submission came in);
//   - returned: the latest version was returned and no new one is submitted;
//   - on_time / late: submitted, awaiting review, the first submission at
//     or before the due time, or LateDays calendar days after the due day;
//   - missing: nothing submitted and the due time has passed (LateDays:
//     days overdue so far);
//   - not_due: nothing submitted yet, and the due time is still ahead.
//
// Expected reports are those due by now, and those submitted before their
// due time; actual are those of them submitted; on time, those first
// submitted by the due time. Completeness is actual ÷ expected, the
// on-time rate on time ÷ expected.

// Report states.
const (
	ReportNotDue   = "not_due"
	ReportMissing  = "missing"
	ReportOnTime   = "on_time"
	ReportLate     = "late"
	ReportReturned = "returned"
	ReportAccepted = "accepted"
)

// ReportStateName returns the Chinese name of a report state.
func ReportStateName(state string) string {
	switch state {
	case ReportNotDue:
		return "未到期"
	case ReportMissing:
		return "未报送"
	case ReportOnTime:
		return "按时报送"
	case ReportLate:
		return "逾期报送"
	case ReportReturned:
		return "已退回"
	case ReportAccepted:
		return "已通过"
	}
	return state
}

// SubmissionMark is what timeliness needs of one submitted version.
type SubmissionMark struct {
	Version     int
	State       string // SubmissionSubmitted, SubmissionReturned, SubmissionAccepted
	SubmittedAt time.Time
}

// ReportStatus is the state of one due report at a moment.
type ReportStatus struct {
	Due       DueReport
	State     string
	OnTime    bool      // first submitted by the due time
	LateDays  int       // late or missing: calendar days after the due day
	FirstAt   time.Time // the first submission (zero: none)
	Version   int       // the latest submitted version (0: none)
	Submitted bool      // at least one version is submitted
	Expected  bool      // counted in the rates' denominator
}

// Describe is the state as the grid's cell reads it: "逾期3天报送",
// "未报送，已逾期2天", "已通过（逾期1天报送）".
func (r ReportStatus) Describe() string {
	switch {
	case r.State == ReportLate:
		return fmt.Sprintf("逾期%d天报送", r.LateDays)
	case r.State == ReportMissing:
		return fmt.Sprintf("未报送，已逾期%d天", r.LateDays)
	case r.State == ReportAccepted && !r.OnTime:
		return fmt.Sprintf("已通过（逾期%d天报送）", r.LateDays)
	}
	return ReportStateName(r.State)
}

// LateDays returns how many calendar days after the day of the due time
// (24:00 closes a day) at falls: 0 at or before the due time.
func LateDays(due, at time.Time) int {
	if !at.After(due) {
		return 0
	}
	dueDay := DateOf(due.Add(-time.Nanosecond))
	return int(DateOf(at).Sub(dueDay).Hours()+12) / 24
}

// StatusOf returns a due report's state at now from its submitted versions
// (drafts are no submission and must not be passed).
func StatusOf(d DueReport, marks []SubmissionMark, now time.Time) ReportStatus {
	st := ReportStatus{Due: d}
	var latest SubmissionMark
	for _, m := range marks {
		if m.SubmittedAt.After(now) {
			continue // not yet sent at now
		}
		if st.FirstAt.IsZero() || m.SubmittedAt.Before(st.FirstAt) {
			st.FirstAt = m.SubmittedAt
		}
		if m.Version > latest.Version {
			latest = m
		}
	}
	if st.FirstAt.IsZero() {
		st.State = ReportNotDue
		if d.Overdue(now) {
			st.State, st.LateDays, st.Expected = ReportMissing, LateDays(d.DueAt, now), true
		}
		return st
	}
	st.Submitted, st.Expected, st.Version = true, true, latest.Version
	st.OnTime = !st.FirstAt.After(d.DueAt)
	st.LateDays = LateDays(d.DueAt, st.FirstAt)
	switch {
	case latest.State == SubmissionAccepted:
		st.State = ReportAccepted
	case latest.State == SubmissionReturned:
		st.State = ReportReturned
	case st.OnTime:
		st.State = ReportOnTime
	default:
		st.State = ReportLate
	}
	return st
}

// ReportRates counts due reports as DHIS2 does.
type ReportRates struct {
	Expected int // due by now, or submitted already
	Actual   int // of those, submitted
	OnTime   int // of those, first submitted by the due time
	Accepted int // of those, accepted
}

// Add counts one report's status.
func (r *ReportRates) Add(s ReportStatus) {
	if !s.Expected {
		return
	}
	r.Expected++
	if s.Submitted {
		r.Actual++
	}
	if s.Submitted && s.OnTime {
		r.OnTime++
	}
	if s.State == ReportAccepted {
		r.Accepted++
	}
}

// Completeness is actual ÷ expected, in percent (0 with none expected).
func (r ReportRates) Completeness() float64 { return percent(r.Actual, r.Expected) }

// OnTimeRate is on time ÷ expected, in percent.
func (r ReportRates) OnTimeRate() float64 { return percent(r.OnTime, r.Expected) }

// AcceptedRate is accepted ÷ expected, in percent.
func (r ReportRates) AcceptedRate() float64 { return percent(r.Accepted, r.Expected) }

// percent is n ÷ d in percent with one decimal, rounded as a spreadsheet
// rounds.
func percent(n, d int) float64 { return float64(Permille(n, d)) / 10 }

// ReportGrid is the timeliness of one channel's reports of a year: a row
// per unit, a column per period, with the rates by unit, by period and of
// the whole channel.
type ReportGrid struct {
	Year     int
	Sector   string
	Units    []ReportUnit
	Periods  []ReportPeriod
	Cells    [][]ReportStatus // [unit][period]
	ByUnit   []ReportRates
	ByPeriod []ReportRates
	Total    ReportRates
}

// BuildReportGrid lays out a channel's due reports (the calendar, filtered
// to the units wanted) with their states at now; marks holds each due
// report's submitted versions by DueReport.Key.
func BuildReportGrid(year int, sector string, cal []DueReport, marks map[string][]SubmissionMark, now time.Time) *ReportGrid {
	g := &ReportGrid{Year: year, Sector: sector}
	unitIdx, periodIdx := map[string]int{}, map[string]int{}
	for _, d := range cal {
		if d.Sector != sector {
			continue
		}
		if _, ok := unitIdx[d.Unit.Code]; !ok {
			unitIdx[d.Unit.Code] = len(g.Units)
			g.Units = append(g.Units, d.Unit)
		}
		if _, ok := periodIdx[d.Period.Key]; !ok {
			periodIdx[d.Period.Key] = len(g.Periods)
			g.Periods = append(g.Periods, d.Period)
		}
	}
	g.Cells = make([][]ReportStatus, len(g.Units))
	for i := range g.Cells {
		g.Cells[i] = make([]ReportStatus, len(g.Periods))
	}
	g.ByUnit, g.ByPeriod = make([]ReportRates, len(g.Units)), make([]ReportRates, len(g.Periods))
	for _, d := range cal {
		if d.Sector != sector {
			continue
		}
		u, p := unitIdx[d.Unit.Code], periodIdx[d.Period.Key]
		st := StatusOf(d, marks[d.Key()], now)
		g.Cells[u][p] = st
		g.ByUnit[u].Add(st)
		g.ByPeriod[p].Add(st)
		g.Total.Add(st)
	}
	return g
}
