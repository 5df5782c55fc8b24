package taotai

import (
	"slices"
	"strings"
	"time"
)

// Card states: an enterprise's place on the yellow and red lists (附件3).
const (
	CardNone     = "none"     // 无
	CardYellow   = "yellow"   // 黄牌
	CardCleared  = "cleared"  // 已摘牌: rectified in time and passed
	CardRed      = "red"      // 红牌
	CardProposed = "proposed" // 拟关闭: reported to the local people's government
	CardClosed   = "closed"   // 已关闭
	CardAccepted = "accepted" // 已验收
)

// CardStates lists the card states in the order of their life.
var CardStates = []string{CardNone, CardYellow, CardCleared, CardRed, CardProposed, CardClosed, CardAccepted}

// CardStateName returns the Chinese name of a card state, or the key itself
// when unknown.
func CardStateName(s string) string {
	switch s {
	case CardNone, "":
		return "无"
	case CardYellow:
		return "黄牌"
	case CardCleared:
		return "已摘牌"
	case CardRed:
		return "红牌"
	case CardProposed:
		return "拟关闭"
	case CardClosed:
		return "已关闭"
	case CardAccepted:
		return "已验收"
	}
	return s
}

// CardColor returns the 黄/红牌 column of 附件3 for a state: 黄牌 for
// yellow and cleared, 红牌 for red and after, "" for none.
func CardColor(state string) string {
	switch state {
	case CardYellow, CardCleared:
		return "黄牌"
	case CardRed, CardProposed, CardClosed, CardAccepted:
		return "红牌"
	}
	return ""
}

// Card reasons: why an enterprise was put on the yellow or the red list.
const (
	ReasonBelowStandard = "below_standard" // 安全生产条件不达标 (yellow)
	ReasonMajorHazard   = "major_hazard"   // 存在重大事故隐患 (yellow)
	ReasonOverdue       = "overdue"        // 逾期未整改 (red)
	ReasonStillBelow    = "still_below"    // 经整改仍不具备安全生产条件 (red)
)

// YellowReasons and RedReasons list the reasons of each card.
var (
	YellowReasons = []string{ReasonBelowStandard, ReasonMajorHazard}
	RedReasons    = []string{ReasonOverdue, ReasonStillBelow}
)

// CardReasonName returns the Chinese wording of a card reason, or the key
// itself when unknown.
func CardReasonName(r string) string {
	switch r {
	case ReasonBelowStandard:
		return "安全生产条件不达标"
	case ReasonMajorHazard:
		return "存在重大事故隐患"
	case ReasonOverdue:
		return "逾期未整改"
	case ReasonStillBelow:
		return "经整改仍不具备安全生产条件"
	}
	return r
}

// Limits of a card's texts, in characters.
const (
	MaxEvidenceLen = 1000
	MaxMembersLen  = 200
)

// Card is an enterprise's yellow/red card in one campaign year: one row of
// 附件3. Each change goes through Apply; the store keeps the history.
type Card struct {
	ID                 int64
	EnterpriseID       int64
	EnterpriseName     string
	RegionPath         string
	Sector             string
	Year               int
	State              string
	Reason             string
	Rectify            string    // 安全生产条件不达标应限期整改内容
	Deadline           time.Time // 整改期限, a date
	RectifiedInTime    bool      // 是否按期整改合格
	ClosureBasis       string    // 拟关闭/关闭依据
	ReportedOn         time.Time // 报请属地人民政府关闭的日期
	ClosedOn           time.Time
	ClosureEvidence    string
	VerifiedBy         string
	AcceptedOn         time.Time
	AcceptanceMembers  string // 验收人员 (with 工信、发改)
	AcceptanceFindings string // 验收意见
	Version            int
	UpdatedAt          time.Time
}

// CardTransition is a requested change of a card: the target state, a
// reason and an explanation for the history, and the data the target
// state needs.
type CardTransition struct {
	To     string
	Reason string // for yellow and red: one of YellowReasons or RedReasons
	Why    string // explanation kept in the history

	Rectify    string    // → yellow: 应限期整改内容
	Deadline   time.Time // → yellow: 整改期限
	Basis      string    // → proposed: 拟关闭依据; → closed: 关闭依据
	ReportedOn time.Time // → proposed
	ClosedOn   time.Time // → closed
	Evidence   string    // → closed: 关闭证明材料
	VerifiedBy string    // → closed: 核实人
	AcceptedOn time.Time // → accepted
	Members    string    // → accepted: 验收人员
	Findings   string    // → accepted: 验收意见
	Rechecked  bool      // → cleared: a passed re-check exists
}

// CardTransitions lists the states a card in state from may move to, for
// the buttons of a page. The none state may be given as "".
func CardTransitions(from string) []string {
	switch from {
	case CardNone, "", CardCleared:
		return []string{CardYellow}
	case CardYellow:
		return []string{CardCleared, CardRed}
	case CardRed:
		return []string{CardProposed}
	case CardProposed:
		return []string{CardClosed}
	case CardClosed:
		return []string{CardAccepted}
	}
	return nil
}

// CardPermission returns the action a person needs to move a card to the
// state to: ActCardYellow for yellow and cleared, ActCardRed otherwise.
func CardPermission(to string) Action {
	if to == CardYellow || to == CardCleared {
		return ActCardYellow
	}
	return ActCardRed
}

// Apply moves the card as t asks, on the day of now in Asia/Shanghai, and
// sets UpdatedAt. A transition CardTransitions does not list is EINVALID
// naming both states; missing or bad data is EINVALID with field messages
// (keys: reason, rectify, deadline, why, basis, reported_on, closed_on,
// evidence, verified_by, accepted_on, members, findings); a rule of timing
// is EINVALID with a message. On any error the card is left unchanged.
func (c *Card) Apply(t CardTransition, now time.Time) error {
	from := c.State
	if from == "" {
		from = CardNone
	}
	if !slices.Contains(CardTransitions(from), t.To) {
		return Errorf(EINVALID, "不能从“%s”直接变为“%s”。", CardStateName(from), CardStateName(t.To))
	}
	n := *c
	f := FieldErrors{}
	today := Today(now)
	var err error
	switch t.To {
	case CardYellow:
		n.toYellow(t, today, f)
	case CardCleared:
		err = n.toCleared(t, today)
	case CardRed:
		err = n.toRed(t, today, f)
	case CardProposed:
		n.toProposed(t, today, f)
	case CardClosed:
		n.toClosed(t, today, f)
	case CardAccepted:
		err = n.toAccepted(t, today, f)
	}
	if err != nil {
		return err
	}
	checkLongText(f, "why", "变更理由", strings.TrimSpace(t.Why), MaxReasonLen, false)
	if err := f.Err(); err != nil {
		return err
	}
	n.State, n.UpdatedAt = t.To, now
	*c = n
	return nil
}

// toYellow puts the card on the yellow list: a reason, what to rectify and
// a deadline not before today.
func (c *Card) toYellow(t CardTransition, today time.Time, f FieldErrors) {
	if !slices.Contains(YellowReasons, t.Reason) {
		f.Add("reason", "请选择黄牌原因：安全生产条件不达标或存在重大事故隐患。")
	}
	c.Rectify = strings.TrimSpace(t.Rectify)
	checkLongText(f, "rectify", "应限期整改内容", c.Rectify, MaxHazardDescLen, true)
	switch {
	case t.Deadline.IsZero():
		f.Add("deadline", "请填写整改期限。")
	case checkDateRange(f, "deadline", "整改期限", t.Deadline):
	case Today(t.Deadline).Before(today):
		f.Add("deadline", "整改期限不能早于今天。")
	}
	c.Reason, c.RectifiedInTime = t.Reason, false
	if !t.Deadline.IsZero() {
		c.Deadline = Today(t.Deadline)
	}
}

// toCleared lifts the yellow card: a re-check passed, by the deadline.
func (c *Card) toCleared(t CardTransition, today time.Time) error {
	if !t.Rechecked {
		return Errorf(EINVALID, "尚无复查合格记录，不能摘牌。")
	}
	if today.After(Today(c.Deadline)) {
		return Errorf(EINVALID, "整改期限已过，应转为红牌。")
	}
	c.RectifiedInTime = true
	return nil
}

// toRed puts the card on the red list: overdue once the deadline day has
// ended, or still below standard after rectification, with an explanation.
func (c *Card) toRed(t CardTransition, today time.Time, f FieldErrors) error {
	switch t.Reason {
	case ReasonOverdue:
		if !today.After(Today(c.Deadline)) {
			return Errorf(EINVALID, "整改期限未到，不能以逾期未整改为由转为红牌。")
		}
	case ReasonStillBelow:
		if strings.TrimSpace(t.Why) == "" {
			f.Add("why", "请说明经整改仍不具备安全生产条件的情况。")
		}
	default:
		f.Add("reason", "请选择红牌原因：逾期未整改或经整改仍不具备安全生产条件。")
	}
	c.Reason, c.RectifiedInTime = t.Reason, false
	return nil
}

// toProposed records the report to the local people's government for
// closure, with its legal basis.
func (c *Card) toProposed(t CardTransition, today time.Time, f FieldErrors) {
	c.ClosureBasis = strings.TrimSpace(t.Basis)
	checkLongText(f, "basis", "拟关闭依据", c.ClosureBasis, MaxNoteLen, true)
	c.ReportedOn = checkPastDate(f, "reported_on", "报请属地人民政府日期", t.ReportedOn, today)
}

// toClosed records the closure: date, basis, evidence and who verified it.
func (c *Card) toClosed(t CardTransition, today time.Time, f FieldErrors) {
	c.ClosedOn = checkPastDate(f, "closed_on", "关闭日期", t.ClosedOn, today)
	if !c.ClosedOn.IsZero() && !c.ReportedOn.IsZero() && c.ClosedOn.Before(Today(c.ReportedOn)) {
		f.Add("closed_on", "关闭日期不能早于报请属地人民政府日期。")
	}
	c.ClosureBasis = strings.TrimSpace(t.Basis)
	checkLongText(f, "basis", "关闭依据", c.ClosureBasis, MaxNoteLen, true)
	c.ClosureEvidence = strings.TrimSpace(t.Evidence)
	checkLongText(f, "evidence", "关闭证明材料", c.ClosureEvidence, MaxEvidenceLen, true)
	c.VerifiedBy = strings.TrimSpace(t.VerifiedBy)
	checkText(f, "verified_by", "核实人", c.VerifiedBy, MaxContactLen, true)
}

// toAccepted records the acceptance of the exit, in the 总结验收 phase
// (from 1 October of the card's year) and not before the closure.
func (c *Card) toAccepted(t CardTransition, today time.Time, f FieldErrors) error {
	c.AcceptedOn = checkPastDate(f, "accepted_on", "验收日期", t.AcceptedOn, today)
	if !c.AcceptedOn.IsZero() {
		if c.AcceptedOn.Before(time.Date(c.Year, time.October, 1, 0, 0, 0, 0, Shanghai)) {
			return Errorf(EINVALID, "验收应在总结验收阶段（10月1日至11月30日）进行。")
		}
		if !c.ClosedOn.IsZero() && c.AcceptedOn.Before(Today(c.ClosedOn)) {
			f.Add("accepted_on", "验收日期不能早于关闭日期。")
		}
	}
	c.AcceptanceMembers = strings.TrimSpace(t.Members)
	checkLongText(f, "members", "验收人员", c.AcceptanceMembers, MaxMembersLen, true)
	c.AcceptanceFindings = strings.TrimSpace(t.Findings)
	checkLongText(f, "findings", "验收意见", c.AcceptanceFindings, MaxFindingsLen, true)
	return nil
}

// checkPastDate requires a date not after today and returns it as midnight
// in Asia/Shanghai (zero when missing).
func checkPastDate(f FieldErrors, field, label string, d, today time.Time) time.Time {
	if d.IsZero() {
		f.Add(field, "请填写"+label+"。")
		return time.Time{}
	}
	d = Today(d)
	switch {
	case checkDateRange(f, field, label, d):
	case d.After(today):
		f.Add(field, label+"不能晚于今天。")
	}
	return d
}

// RedCandidate reports whether a yellow card's deadline day has ended in
// Asia/Shanghai without the card being cleared: it should turn red.
func RedCandidate(c *Card, now time.Time) bool {
	return c.State == CardYellow && !c.Deadline.IsZero() && Today(now).After(Today(c.Deadline))
}
