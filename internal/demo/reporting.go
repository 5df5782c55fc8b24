package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"taotai"
	"taotai/internal/store"
)

// The demo's reporting history of 2020: every unit's reports up each of
// its channels, prepared by the city's clerk, submitted by its approver
// and reviewed by the province, each on its day, through the store's own
// methods (PrepareReport, SubmitReport, AcceptReport, ReturnReport) on a
// view of the store whose clock stands at each act's instant. So the grid
// shows every state the reporting year knows:
//
//   - most reports sent on the due day or a day or three before, accepted
//     within a few days;
//   - a few sent a day or a few late (lateReports), accepted all the same;
//   - 铁岭's non-coal report of July never sent (missingReport);
//   - 鞍山's June report returned, corrected and accepted as version 2
//     (returnedReport);
//   - 沈抚新区's August report a zero report (quietUnit, quietPeriod: its
//     enforcement data holds nothing then);
//   - of the annual reports, a few still awaiting review (awaitingReview),
//     one of them late, and one returned and not yet sent again
//     (returnedAnnual).
//
// Nothing happens after the store's now: a demo loaded on 10 May 2020
// holds only what was sent by then. The history is per unit, channel and
// period (22 due reports a period), whatever the scale.

// The quiet period: 沈抚新区, a new area with a handful of key enterprises,
// inspected nothing from 26 July to 25 August 2020 (its staff were on the
// flood season's duty) and sends a zero report for August.
const (
	quietUnit   = store.ShenfuCode
	quietPeriod = "-08"
)

// The reports whose story is not the usual one, by DueReport.Key.
var (
	missingReport  = "2020-07/211200/noncoal"
	returnedReport = "2020-06/210300/noncoal"
	returnedAnnual = "2020/211400/noncoal"
	// lateReports: days after the due day the report was first sent.
	lateReports = map[string]int{
		"2020-06/210500/noncoal": 1,
		"2020-07/211300/coal":    3,
		"2020-09/210600/noncoal": 2,
		"2020/211000/noncoal":    1,
	}
	// awaitingReview: sent, not yet reviewed by the province.
	awaitingReview = map[string]bool{
		"2020/210100/noncoal": true, "2020/210200/noncoal": true, "2020/210900/coal": true, "2020/211000/noncoal": true,
	}
)

// Reasons and notes of the province's reviewers.
const (
	returnReason       = "附件2中部分企业的行政罚款金额与行政处罚决定书不一致，请核实后重新报送。"
	returnReasonAnnual = "工作总结未说明关闭退出企业的验收情况，请补充后重新报送。"
	acceptNote         = "同意。"
)

// reportAct is one act of the history at its instant.
type reportAct struct {
	at time.Time
	do func(ctx context.Context, db *store.DB) error
}

// reportingHistory builds the acts of the year's reports.
type reportingHistory struct {
	rng    *rand.Rand
	g      *generator
	people map[string]string // 填报人 by unit and channel
	acts   []reportAct
}

// loadReporting plays the reporting history of the demo year up to the
// store's now.
func loadReporting(ctx context.Context, db *store.DB, opt Options) error {
	sys := taotai.NewContextWithActor(ctx, taotai.System)
	cal, err := db.ReportCalendar(sys, KeyYear)
	if err != nil {
		return fmt.Errorf("demo: report calendar: %w", err)
	}
	seed := uint64(opt.Seed) //nolint:gosec // G115: the seed's bits, reinterpreted on purpose
	rng := rand.New(rand.NewPCG(seed, seed^0x2e9_0e7_2020))
	h := &reportingHistory{rng: rng, g: &generator{rng: rng}, people: map[string]string{}}
	for _, d := range cal {
		h.report(d)
	}
	slices.SortStableFunc(h.acts, func(a, b reportAct) int { return a.at.Compare(b.at) })
	now := db.Clock().Now()
	clock := &taotai.FixedClock{}
	past := db.WithClock(clock)
	for _, act := range h.acts {
		if act.at.After(now) {
			break
		}
		clock.T = act.at
		if err := act.do(ctx, past); err != nil {
			return fmt.Errorf("demo: reporting history on %s: %w", act.at.Format("2006-01-02 15:04"), err)
		}
	}
	return nil
}

// at returns an instant on day between the hours from and to.
func (h *reportingHistory) at(day time.Time, from, to int) time.Time {
	return day.Add(time.Duration(from)*time.Hour + time.Duration(h.rng.IntN((to-from)*60))*time.Minute)
}

func (h *reportingHistory) add(at time.Time, do func(ctx context.Context, db *store.DB) error) {
	h.acts = append(h.acts, reportAct{at: at, do: do})
}

// report adds the acts of one due report.
func (h *reportingHistory) report(d taotai.DueReport) {
	key := d.Key()
	if key == missingReport {
		return
	}
	dueDay := taotai.DateOf(d.DueAt.Add(-time.Nanosecond))
	sendDay := dueDay.AddDate(0, 0, -h.rng.IntN(4)) // on the due day, or up to three days before
	if late, ok := lateReports[key]; ok {
		sendDay = dueDay.AddDate(0, 0, late)
	}
	if sendDay.Before(taotai.DateOf(d.OpensAt)) {
		sendDay = taotai.DateOf(d.OpensAt)
	}
	prepared := h.at(sendDay, 9, 11)
	submitted := h.at(sendDay, 14, 17)
	reviewed := h.at(sendDay.AddDate(0, 0, 1+h.rng.IntN(3)), 9, 17)
	r := &demoReport{d: d, person: h.person(d), phone: h.g.phone(d.Unit.Code)}
	h.add(prepared, r.prepare)
	h.add(submitted, r.submit)
	switch {
	case key == returnedReport:
		h.add(reviewed, r.review(returnReason))
		again := reviewed.AddDate(0, 0, 2)
		h.add(h.at(taotai.DateOf(again), 9, 11), r.prepare)
		h.add(h.at(taotai.DateOf(again), 14, 17), r.submit)
		h.add(h.at(taotai.DateOf(again).AddDate(0, 0, 1), 9, 17), r.review(""))
	case key == returnedAnnual:
		h.add(reviewed, r.review(returnReasonAnnual))
	case awaitingReview[key]:
	default:
		h.add(reviewed, r.review(""))
	}
}

// person is the unit's 填报人 up a channel, the same all year.
func (h *reportingHistory) person(d taotai.DueReport) string {
	k := d.Unit.Code + "/" + d.Sector
	if p, ok := h.people[k]; ok {
		return p
	}
	p := h.g.person()
	h.people[k] = p
	return p
}

// demoReport is one due report being played: its latest version.
type demoReport struct {
	d             taotai.DueReport
	person, phone string
	id            int64
}

// prepare has the unit's clerk prepare the report from the records: a
// zero report when the period holds nothing.
func (r *demoReport) prepare(ctx context.Context, db *store.DB) error {
	p := &taotai.ReportPreparation{PeriodKey: r.d.Period.Key, RegionCode: r.d.Unit.Code, Sector: r.d.Sector,
		Person: r.person, Phone: r.phone}
	if r.d.Summary {
		p.Summary = fmt.Sprintf("%s%s2020年度重点淘汰行业执法检查工作总结：按照全省统一部署，完成重点行业企业摸底排查，"+
			"对列入名单的企业开展执法检查，督促隐患整改，依法依规推动落后产能退出。", r.d.Unit.Name, taotai.SectorName(r.d.Sector))
	}
	clerk := unitActor(ctx, r.d, taotai.RoleCityClerk)
	sub, err := db.PrepareReport(clerk, p)
	if taotai.ErrorCode(err) == taotai.EINVALID {
		zero := *p
		zero.Zero = true
		if z, zerr := db.PrepareReport(clerk, &zero); zerr == nil {
			sub, err = z, nil
		}
	}
	if err != nil {
		return fmt.Errorf("prepare %s: %w", r.d.Key(), err)
	}
	r.id = sub.ID
	return nil
}

// submit has the unit's approver send the prepared version.
func (r *demoReport) submit(ctx context.Context, db *store.DB) error {
	if err := db.SubmitReport(unitActor(ctx, r.d, taotai.RoleCityApprover), r.id); err != nil {
		return fmt.Errorf("submit %s: %w", r.d.Key(), err)
	}
	return nil
}

// review has the province's reviewer of the channel accept the version,
// or return it with reason.
func (r *demoReport) review(reason string) func(ctx context.Context, db *store.DB) error {
	return func(ctx context.Context, db *store.DB) error {
		reviewer := taotai.NewContextWithActor(ctx, &taotai.Actor{Username: reviewerName(r.d.Sector),
			Role: taotai.RoleProvinceReviewer, RegionCode: taotai.ProvinceCode, RegionPath: "/" + taotai.ProvinceCode + "/", Sector: r.d.Sector})
		var err error
		if reason != "" {
			err = db.ReturnReport(reviewer, r.id, reason)
		} else {
			err = db.AcceptReport(reviewer, r.id, acceptNote)
		}
		if err != nil {
			return fmt.Errorf("review %s: %w", r.d.Key(), err)
		}
		return nil
	}
}

// reviewerName is the demo account of the channel's province reviewer.
func reviewerName(sector string) string {
	if sector == taotai.SectorCoal {
		return "prov_coal_reviewer"
	}
	return "prov_reviewer"
}

// unitActor is a city's clerk or approver of the report's channel: the
// demo account where there is one (ansh_clerk, ansh_approver,
// fx_coal_clerk), else a name that says the unit, channel and role
// (211200_noncoal_approver).
func unitActor(ctx context.Context, d taotai.DueReport, role string) context.Context {
	name := d.Unit.Code + "_" + d.Sector + "_" + map[string]string{taotai.RoleCityClerk: "clerk", taotai.RoleCityApprover: "approver"}[role]
	for _, a := range demoAccounts {
		u := a.user
		if u.RegionCode == d.Unit.Code && u.Sector == d.Sector && u.Role == role {
			name = u.Username
		}
	}
	return taotai.NewContextWithActor(ctx, &taotai.Actor{Username: name, Role: role, RegionCode: d.Unit.Code,
		RegionPath: d.Unit.Path, Sector: d.Sector})
}
