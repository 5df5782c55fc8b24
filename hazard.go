package taotai

import (
	"slices"
	"strings"
	"time"
)

// Hazard levels.
const (
	HazardGeneral = "general" // 一般隐患
	HazardMajor   = "major"   // 重大事故隐患
)

// HazardLevels lists the hazard levels in display order.
var HazardLevels = []string{HazardGeneral, HazardMajor}

// HazardLevelName returns the Chinese name of a hazard level, or the key
// itself when unknown.
func HazardLevelName(l string) string {
	switch l {
	case HazardGeneral:
		return "一般隐患"
	case HazardMajor:
		return "重大事故隐患"
	}
	return l
}

// Hazard statuses.
const (
	HazardOpen       = "open"       // 待整改
	HazardRectifying = "rectifying" // 整改中
	HazardPassed     = "passed"     // 复查合格
	HazardFailed     = "failed"     // 复查不合格
)

// HazardStatuses lists the hazard statuses in display order.
var HazardStatuses = []string{HazardOpen, HazardRectifying, HazardPassed, HazardFailed}

// HazardStatusName returns the Chinese name of a hazard status, or the key
// itself when unknown.
func HazardStatusName(s string) string {
	switch s {
	case HazardOpen:
		return "待整改"
	case HazardRectifying:
		return "整改中"
	case HazardPassed:
		return "复查合格"
	case HazardFailed:
		return "复查不合格"
	}
	return s
}

// Limits of a hazard record, in characters.
const (
	MaxHazardDescLen  = 500
	MaxHazardPlaceLen = 200
	MaxMeasuresLen    = 1000 // 整改措施, 应急预案
	MaxReasonLen      = 500  // reasons given for an extension or a card change
)

// FiveGuarantees are the 五落实 of a rectification: 责任、措施、资金、时限、预案.
type FiveGuarantees struct {
	Responsible string    // 责任: who answers for the rectification
	Measures    string    // 措施
	Funds       Yuan      // 资金
	Deadline    time.Time // 时限, a date
	Plan        string    // 预案: the contingency plan
}

// Missing returns the Chinese names of the guarantees not in place, in the
// order 责任、措施、资金、时限、预案; empty when all five are.
func (g FiveGuarantees) Missing() []string {
	var m []string
	if strings.TrimSpace(g.Responsible) == "" {
		m = append(m, "责任")
	}
	if strings.TrimSpace(g.Measures) == "" {
		m = append(m, "措施")
	}
	if g.Funds <= 0 {
		m = append(m, "资金")
	}
	if g.Deadline.IsZero() {
		m = append(m, "时限")
	}
	if strings.TrimSpace(g.Plan) == "" {
		m = append(m, "预案")
	}
	return m
}

// Hazard is a hazard or problem found in an inspection, tracked until a
// re-check finds it rectified.
type Hazard struct {
	ID             int64
	InspectionID   int64
	EnterpriseID   int64
	EnterpriseName string
	RegionPath     string
	Sector         string
	Description    string // 隐患描述
	Place          string // 隐患部位
	Level          string
	CriterionID    int64     // the major-hazard criterion met; 0 for a general hazard
	CriterionText  string    // filled by the store, for display
	Deadline       time.Time // 整改期限, a date
	Status         string
	Guarantees     FiveGuarantees
	Supervised     bool // 挂牌督办
	RecheckDate    time.Time
	RecheckNote    string
	Version        int
	CreatedAt      time.Time
}

// Validate checks the fields that need no database, collecting a Chinese
// message per field (keys: description, place, level, criterion, deadline,
// status, responsible, measures, funds, plan). The rectification deadline
// may not fall before the inspection's date. Validate trims the texts,
// normalises dates to midnight in Asia/Shanghai, sets an empty Status to
// HazardOpen and drops the criterion of a general hazard.
func (h *Hazard) Validate(inspectionDate time.Time) FieldErrors {
	f := FieldErrors{}
	h.Description = strings.TrimSpace(h.Description)
	h.Place = strings.TrimSpace(h.Place)
	checkLongText(f, "description", "隐患描述", h.Description, MaxHazardDescLen, true)
	checkText(f, "place", "隐患部位", h.Place, MaxHazardPlaceLen, false)
	switch h.Level {
	case HazardGeneral:
		h.CriterionID, h.CriterionText = 0, ""
	case HazardMajor:
		if h.CriterionID == 0 {
			f.Add("criterion", "重大事故隐患须选择所依据的判定标准条款。")
		}
	default:
		f.Add("level", "请选择隐患级别：一般隐患或重大事故隐患。")
	}
	if h.Deadline.IsZero() {
		f.Add("deadline", "请填写整改期限。")
	} else {
		h.Deadline = Today(h.Deadline)
		switch {
		case checkDateRange(f, "deadline", "整改期限", h.Deadline):
		case !inspectionDate.IsZero() && h.Deadline.Before(Today(inspectionDate)):
			f.Add("deadline", "整改期限不能早于检查日期。")
		}
	}
	if h.Status == "" {
		h.Status = HazardOpen
	} else if !slices.Contains(HazardStatuses, h.Status) {
		f.Add("status", "隐患状态无效。")
	}
	h.Guarantees.validate(f)
	return f
}

// validate trims the guarantees and checks their lengths and funds.
func (g *FiveGuarantees) validate(f FieldErrors) {
	g.Responsible = strings.TrimSpace(g.Responsible)
	g.Measures = strings.TrimSpace(g.Measures)
	g.Plan = strings.TrimSpace(g.Plan)
	checkText(f, "responsible", "整改责任", g.Responsible, MaxPersonLen, false)
	checkLongText(f, "measures", "整改措施", g.Measures, MaxMeasuresLen, false)
	checkLongText(f, "plan", "应急预案", g.Plan, MaxMeasuresLen, false)
	if g.Funds < 0 {
		f.Add("funds", "整改资金不能为负数。")
	}
	if !g.Deadline.IsZero() {
		g.Deadline = Today(g.Deadline)
		checkDateRange(f, "g_deadline", "整改时限", g.Deadline)
	}
}

// Overdue reports whether the hazard is not yet passed and its deadline day
// has ended in Asia/Shanghai: the deadline day itself is not overdue until
// midnight there.
func (h *Hazard) Overdue(now time.Time) bool {
	return h.Status != HazardPassed && !h.Deadline.IsZero() && Today(now).After(Today(h.Deadline))
}

// DueWithin reports whether the hazard is not yet passed, not overdue, and
// due within the next days calendar days (0 = due today).
func (h *Hazard) DueWithin(now time.Time, days int) bool {
	if h.Status == HazardPassed || h.Deadline.IsZero() || h.Overdue(now) {
		return false
	}
	return !Today(h.Deadline).After(Today(now).AddDate(0, 0, days))
}

// HazardTransition checks a change of a hazard's status. Allowed:
// open→rectifying, open→passed (a re-check finds it already fixed),
// rectifying→passed, rectifying→failed and failed→rectifying. Anything else
// is EINVALID, naming both states.
func HazardTransition(from, to string) error {
	switch from + ">" + to {
	case HazardOpen + ">" + HazardRectifying,
		HazardOpen + ">" + HazardPassed,
		HazardRectifying + ">" + HazardPassed,
		HazardRectifying + ">" + HazardFailed,
		HazardFailed + ">" + HazardRectifying:
		return nil
	}
	return Errorf(EINVALID, "隐患状态不能从“%s”变为“%s”。", HazardStatusName(from), HazardStatusName(to))
}

// NeedsStopOrder reports whether a hazard calls for an order to stop
// production and rectify (责令停产停业整顿): a major hazard, not yet passed,
// whose 五落实 are not all in place.
func NeedsStopOrder(h *Hazard) bool {
	return h.Level == HazardMajor && h.Status != HazardPassed && len(h.Guarantees.Missing()) > 0
}

// Extension is a postponement of a hazard's rectification deadline, kept as
// history.
type Extension struct {
	OldDeadline time.Time
	NewDeadline time.Time
	Reason      string
	By          string // who granted it
	At          time.Time
}

// ValidateExtension checks a postponement of h's deadline to newDeadline:
// the hazard must not be passed (EINVALID with a message), the reason is
// required (field "reason") and the new deadline must fall after the old
// one (field "deadline").
func ValidateExtension(h *Hazard, newDeadline time.Time, reason string) error {
	if h.Status == HazardPassed {
		return Errorf(EINVALID, "隐患已复查合格，不能延长整改期限。")
	}
	f := FieldErrors{}
	checkLongText(f, "reason", "延期理由", strings.TrimSpace(reason), MaxReasonLen, true)
	switch {
	case newDeadline.IsZero():
		f.Add("deadline", "请填写新的整改期限。")
	case checkDateRange(f, "deadline", "新的整改期限", newDeadline):
	case !h.Deadline.IsZero() && !Today(newDeadline).After(Today(h.Deadline)):
		f.Add("deadline", "新的整改期限应晚于原整改期限（"+Today(h.Deadline).Format("2006-01-02")+"）。")
	}
	return f.Err()
}

// ValidateRecheck checks the date of a re-check (复查) of a hazard found
// by an inspection on inspectionDate: given, within the system's date
// range, not after today (now's calendar day in Asia/Shanghai) and not
// before the inspection that found the hazard. The error is EINVALID with
// the message on field "date".
func ValidateRecheck(inspectionDate, date, now time.Time) error {
	f := FieldErrors{}
	switch {
	case date.IsZero():
		f.Add("date", "请填写复查日期。")
	case checkDateRange(f, "date", "复查日期", date):
	case Today(date).After(Today(now)):
		f.Add("date", "复查日期不能晚于今天。")
	case !inspectionDate.IsZero() && Today(date).Before(Today(inspectionDate)):
		f.Add("date", "复查日期不能早于发现该隐患的检查日期（"+Today(inspectionDate).Format("2006-01-02")+"）。")
	}
	return f.Err()
}

// Criterion is one article of a major-hazard criterion
// (重大事故隐患判定标准), kept as data the administrator edits.
type Criterion struct {
	ID          int64
	IndustryKey string // the industry it applies to; "" for every industry
	Standard    string // e.g. 工贸企业重大事故隐患判定标准
	Article     string // e.g. 第四条第（一）项
	Text        string
	Active      bool // offered to inspectors; retired articles stay for old hazards
	// The days its standard is in force (zero: open): an inspection is
	// offered, and keeps, the criteria in force on its date.
	InForceFrom, InForceTo time.Time
	Verified               bool // the text was checked against the published standard
}

// InForceOn reports whether the criterion's standard is in force on the
// calendar day of d.
func (c *Criterion) InForceOn(d time.Time) bool {
	day := Today(d)
	return (c.InForceFrom.IsZero() || !day.Before(Today(c.InForceFrom))) && (c.InForceTo.IsZero() || !day.After(Today(c.InForceTo)))
}

// InForceText words the days a criterion is in force, e.g.
// 2017-11-30至2023-05-14, 2021-01-01起.
func (c *Criterion) InForceText() string {
	from, to := "", ""
	if !c.InForceFrom.IsZero() {
		from = Today(c.InForceFrom).Format(time.DateOnly)
	}
	if !c.InForceTo.IsZero() {
		to = Today(c.InForceTo).Format(time.DateOnly)
	}
	switch {
	case from == "" && to == "":
		return "长期有效"
	case to == "":
		return from + "起"
	case from == "":
		return "至" + to
	}
	return from + "至" + to
}

// CheckInForce refuses, as EINVALID, a criterion that is not in force on
// the day of an inspection.
func (c *Criterion) CheckInForce(day time.Time) error {
	if c.InForceOn(day) {
		return nil
	}
	return Errorf(EINVALID, "所选判定标准条款（%s%s）在检查日期%s不适用：该标准的施行期间为%s，请选择检查当日有效的判定标准。",
		c.Standard, c.Article, Today(day).Format(time.DateOnly), c.InForceText())
}

// Validate checks a criterion, collecting a Chinese message per field
// (keys: standard, article, text), after trimming them.
func (c *Criterion) Validate() FieldErrors {
	f := FieldErrors{}
	c.Standard = strings.TrimSpace(c.Standard)
	c.Article = strings.TrimSpace(c.Article)
	c.Text = strings.TrimSpace(c.Text)
	checkText(f, "standard", "判定标准", c.Standard, MaxNameLen, true)
	checkText(f, "article", "条款", c.Article, MaxPersonLen, true)
	checkLongText(f, "text", "条款内容", c.Text, MaxNoteLen, true)
	if !c.InForceFrom.IsZero() {
		checkDateRange(f, "in_force_from", "施行日期", c.InForceFrom)
	}
	if !c.InForceTo.IsZero() {
		checkDateRange(f, "in_force_to", "失效日期", c.InForceTo)
	}
	if !c.InForceFrom.IsZero() && !c.InForceTo.IsZero() && Today(c.InForceTo).Before(Today(c.InForceFrom)) {
		f.Add("in_force_to", "失效日期不能早于施行日期。")
	}
	return f
}
