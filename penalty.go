package taotai

import (
	"strings"
	"time"
)

// The penalty procedure (行政处罚程序): a 行政处罚决定书 comes only after a
// 行政处罚告知书 to the same enterprise, once the days the enterprise has
// for a statement (陈述、申辩) and, for a large penalty, for asking a
// hearing (听证) have passed.

// DocPenaltyNotice is the kind of a 行政处罚告知书. Notices are numbered like
// documents but are not decisions: 附件2 does not count them.
const DocPenaltyNotice = "penalty_notice"

// Days of the procedure, in working days (行政处罚法 (2021) 第八十五条:
// 本法中“三日”“五日”“七日”的规定是指工作日，不含法定节假日).
const (
	// StatementDays is the time for a statement: 3 working days from the
	// notice.
	StatementDays = 3
	// HearingDays is the time to ask for a hearing: 5 working days from
	// the notice under the 2021 law (第六十四条), 3 before it
	// (HearingDaysBefore2021).
	HearingDays           = 5
	HearingDaysBefore2021 = 3
)

// Law2021 is the day the revised 行政处罚法 took effect.
var Law2021 = time.Date(2021, 7, 15, 0, 0, 0, 0, Shanghai)

// HearingFine is the fine from which an enterprise has the right to a
// hearing (较大数额罚款: 5万元 for an enterprise under 安全生产违法行为行政
// 处罚办法, a figure provinces may set otherwise — unverified for 辽宁).
// An order to stop production gives that right whatever the fine.
const HearingFine Yuan = 50_000

// PenaltyNotice is a 行政处罚告知书: the penalty an agency proposes to an
// enterprise, with the days it has to answer.
type PenaltyNotice struct {
	ID           int64
	InspectionID int64
	EnterpriseID int64
	AgencyID     int64
	AgencyShort  string
	Year, Seq    int
	Number       string
	IssuedOn     time.Time
	Fine         Yuan   // the proposed fine
	StopState    string // "" or the production state a stop order would impose (StateStopped, StatePartial)
	Hearing      bool   // the enterprise was told of its right to a hearing
	// Waived records that the enterprise waived its statement (and
	// hearing) in writing (放弃陈述、申辩和听证权利): a decision may then
	// follow from the notice's own day.
	Waived         bool
	StatementUntil time.Time
	HearingUntil   time.Time // zero without a hearing
	Content        string
	DecisionID     int64 // the 行政处罚决定书 that followed, 0 while none
	CreatedAt      time.Time
}

// NeedsHearing reports whether a penalty of fine, with a stop order when
// stop is set, gives the enterprise the right to a hearing.
func NeedsHearing(fine Yuan, stop string) bool { return fine >= HearingFine || stop != "" }

// WorkingDaysAfter returns the nth working day after day (IsWorkingDay:
// Monday to Friday outside the statutory holidays, with the weekend days
// worked in exchange; holidays.go holds 2020–2026).
func WorkingDaysAfter(day time.Time, n int) time.Time {
	d := Today(day)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// SetPeriods fills the notice's last days for a statement and, when the
// penalty gives a right to a hearing, for asking one, from its date.
func (n *PenaltyNotice) SetPeriods() {
	n.Hearing = NeedsHearing(n.Fine, n.StopState)
	n.StatementUntil = WorkingDaysAfter(n.IssuedOn, StatementDays)
	n.HearingUntil = time.Time{}
	if n.Hearing {
		days := HearingDays
		if Today(n.IssuedOn).Before(Law2021) {
			days = HearingDaysBefore2021
		}
		n.HearingUntil = WorkingDaysAfter(n.IssuedOn, days)
	}
}

// WaitUntil is the last day the enterprise may answer: a decision comes
// the day after at the earliest.
func (n *PenaltyNotice) WaitUntil() time.Time {
	if n.Waived {
		return Today(n.IssuedOn).AddDate(0, 0, -1)
	}
	if n.HearingUntil.After(n.StatementUntil) {
		return n.HearingUntil
	}
	return n.StatementUntil
}

// DecidableOn reports whether a decision may follow the notice on the
// calendar day of t: the day after its periods end, at the earliest.
func (n *PenaltyNotice) DecidableOn(t time.Time) bool { return Today(t).After(Today(n.WaitUntil())) }

// Validate checks a notice as typed (keys: issued_on, fine, stop_state,
// content) and trims its content.
func (n *PenaltyNotice) Validate() FieldErrors {
	f := FieldErrors{}
	n.Content = strings.TrimSpace(n.Content)
	checkLongText(f, "content", "告知内容", n.Content, MaxDocContentLen, false)
	if n.IssuedOn.IsZero() {
		f.Add("issued_on", "请填写文书日期。")
	} else {
		checkDateRange(f, "issued_on", "文书日期", n.IssuedOn)
	}
	switch {
	case n.Fine < 0:
		f.Add("fine", "拟罚款金额不能为负数。")
	case n.Fine > MaxFine:
		f.Add("fine", MsgFineOverLimit)
	}
	if n.StopState != "" && n.StopState != StateStopped && n.StopState != StatePartial {
		f.Add("stop_state", "请选择拟责令停产停业整顿的范围：全部停产或局部停产。")
	}
	if n.Fine == 0 && n.StopState == "" {
		f.Add("fine", "行政处罚告知书须写明拟作出的处罚：罚款金额，或责令停产停业整顿。")
	}
	return f
}

// CheckPenaltyDecision checks a 行政处罚决定书 against the notice it
// follows: a notice to the same enterprise, issued before it, not yet
// followed by a decision, whose days for a statement (and a hearing) have
// passed; the decision may not be heavier than the notice (no larger
// fine, no stop order the notice did not announce: 行政处罚法 forbids a
// heavier penalty because the enterprise spoke). n is nil when no notice
// was found. A refusal is EINVALID with a Chinese message.
func CheckPenaltyDecision(d *Document, n *PenaltyNotice) error {
	switch {
	case n == nil:
		return Errorf(EINVALID, "作出行政处罚决定前，须先向该企业下达行政处罚告知书，告知拟作出的处罚及其陈述、申辩（和听证）的权利。")
	case n.EnterpriseID != d.EnterpriseID:
		return Errorf(EINVALID, "所选行政处罚告知书不是下达给该企业的。")
	case n.DecisionID != 0:
		return Errorf(EINVALID, "行政处罚告知书%s已作出处罚决定，不能重复决定。", n.Number)
	case Today(d.IssuedOn).Before(Today(n.IssuedOn)):
		return Errorf(EINVALID, "处罚决定的日期不能早于行政处罚告知书%s的日期（%s）。", n.Number, Today(n.IssuedOn).Format(time.DateOnly))
	case !Today(d.IssuedOn).After(Today(n.WaitUntil())):
		what := "陈述、申辩期限"
		if n.Hearing {
			what = "陈述、申辩及申请听证期限"
		}
		return Errorf(EINVALID, "行政处罚告知书%s于%s下达，%s至%s（工作日计算）届满，处罚决定最早于%s作出。",
			n.Number, Today(n.IssuedOn).Format(time.DateOnly), what, Today(n.WaitUntil()).Format(time.DateOnly),
			Today(n.WaitUntil()).AddDate(0, 0, 1).Format(time.DateOnly))
	case d.Fine > n.Fine:
		return Errorf(EINVALID, "处罚决定的罚款（%s万元）不能高于告知书告知的拟罚款（%s万元）：不得因当事人陈述、申辩而加重处罚。", d.Fine.Wan(), n.Fine.Wan())
	case d.StopState != "" && n.StopState == "":
		return Errorf(EINVALID, "告知书未告知责令停产停业整顿，处罚决定不能增加该项处罚。")
	case d.StopState == StateStopped && n.StopState == StatePartial:
		return Errorf(EINVALID, "告知书告知的是局部停产整顿，处罚决定不能改为全部停产。")
	}
	return nil
}

// ProductionStop is a stop-production order's effect on an enterprise: 停产
// (or 局部生产) from the order's date until lifted, after a passing
// re-check, by a recorded act.
type ProductionStop struct {
	ID           int64
	EnterpriseID int64
	DocumentID   int64
	DocNumber    string
	DocKind      string
	InspectionID int64
	State        string // StateStopped or StatePartial
	PriorState   string // the state before the order
	From         time.Time
	LiftedOn     time.Time // zero while in force
	LiftReason   string
	LiftedBy     string
}

// Active reports whether the order is still in force.
func (s *ProductionStop) Active() bool { return s.LiftedOn.IsZero() }

// StopStateName names the extent of a stop order: 责令全部停产 or 责令局部停产.
func StopStateName(state string) string {
	switch state {
	case StateStopped:
		return "全部停产停业整顿"
	case StatePartial:
		return "局部停产停业整顿"
	}
	return ""
}

// CheckLiftStop checks the lifting of a stop order on day liftOn, given
// the hazards found in the inspection that gave the order and the dates of
// the enterprise's 整改复查意见书. The order is lifted only after a
// re-check passed on or after its date: every hazard of that inspection
// re-checked as passed, and a passing re-check (of a hazard, or a re-check
// opinion) dated between the order and liftOn. reason is required.
// today bounds liftOn. A refusal is EINVALID with a Chinese message.
func CheckLiftStop(s *ProductionStop, liftOn, today time.Time, reason string, hazards []*Hazard, rechecks []time.Time) error {
	switch {
	case !s.Active():
		return Errorf(EINVALID, "该停产整顿已于%s解除。", Today(s.LiftedOn).Format(time.DateOnly))
	case liftOn.IsZero():
		return Errorf(EINVALID, "请填写解除日期。")
	case !DateInRange(liftOn):
		return Errorf(EINVALID, "%s", DateRangeMessage("解除日期"))
	case Today(liftOn).Before(Today(s.From)):
		return Errorf(EINVALID, "解除日期不能早于停产整顿的起始日期（%s）。", Today(s.From).Format(time.DateOnly))
	case Today(liftOn).After(Today(today)):
		return Errorf(EINVALID, "解除日期不能晚于今天。")
	case strings.TrimSpace(reason) == "":
		return Errorf(EINVALID, "请填写解除停产整顿的依据，如复查意见书编号和复查结论。")
	case len([]rune(strings.TrimSpace(reason))) > MaxNoteLen:
		return Errorf(EINVALID, "解除依据过长，请精简。")
	}
	open := 0
	var passed time.Time
	for _, h := range hazards {
		if h.Status != HazardPassed {
			open++
			continue
		}
		if d := Today(h.RecheckDate); !d.Before(Today(s.From)) && !d.After(Today(liftOn)) && d.After(passed) {
			passed = d
		}
	}
	if open > 0 {
		return Errorf(EINVALID, "责令停产整顿的那次检查发现的隐患尚有%d项未经复查合格，不能解除停产整顿。", open)
	}
	for _, r := range rechecks {
		if d := Today(r); !d.Before(Today(s.From)) && !d.After(Today(liftOn)) && d.After(passed) {
			passed = d
		}
	}
	if passed.IsZero() {
		return Errorf(EINVALID, "解除停产整顿须经整改复查合格：%s以来没有复查合格的记录（隐患复查或整改复查意见书）。", Today(s.From).Format(time.DateOnly))
	}
	return nil
}
