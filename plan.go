package taotai

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Inspection plans (执法检查计划): the notice has every key-list enterprise
// "全部纳入执法检查计划中，并按照计划开展执法检查". Each agency (a city's or a
// county's bureau of one channel) keeps a plan for the year: the key-list
// enterprises it will inspect and in which month, with its 检查方案 (a text
// and files). The agency drafts and submits it; the city approves it or
// returns it with a reason. Progress is measured against the approved
// plans: planned, done (inspected), overdue (the planned month has passed
// without an inspection).

// Plan states.
const (
	PlanDraft     = "draft"     // 草稿
	PlanSubmitted = "submitted" // 待审核
	PlanApproved  = "approved"  // 已批准
	PlanReturned  = "returned"  // 已退回
)

// PlanStateName returns the Chinese name of a plan state.
func PlanStateName(s string) string {
	switch s {
	case PlanDraft:
		return "草稿"
	case PlanSubmitted:
		return "待市级审核"
	case PlanApproved:
		return "已批准"
	case PlanReturned:
		return "已退回"
	}
	return s
}

// MaxPlanSchemeLen bounds the 检查方案's text, in characters.
const MaxPlanSchemeLen = 20000

// InspectionPlan is one agency's plan of a campaign year and channel.
type InspectionPlan struct {
	ID           int64
	Year         int
	RegionCode   string
	RegionName   string
	RegionPath   string
	Sector       string
	State        string
	Scheme       string // 检查方案
	ReturnReason string
	SubmittedBy  string
	SubmittedAt  time.Time
	ReviewedBy   string
	ReviewedAt   time.Time
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int
	Items        []PlanItem
	Files        []SubmittedFile // Data only when read for download
	FileSizes    []int
	// Counts of the items (PlanCount).
	Planned, Done, Overdue int
}

// PlanItem is one enterprise of a plan and the month it is to be
// inspected in, with what happened.
type PlanItem struct {
	EnterpriseID   int64
	EnterpriseName string
	Address        string
	RegionName     string
	Month          int
	// LastInspected is the latest inspection of the enterprise in the
	// campaign year up to today (zero: none).
	LastInspected time.Time
	Progress      string // PlanDone, PlanOverdue or PlanPending
}

// Progress of a planned enterprise.
const (
	PlanDone    = "done"    // 已检查
	PlanOverdue = "overdue" // 逾期未检查
	PlanPending = "pending" // 待检查
)

// PlanProgressName returns the Chinese name of an item's progress.
func PlanProgressName(p string) string {
	switch p {
	case PlanDone:
		return "已检查"
	case PlanOverdue:
		return "逾期未检查"
	case PlanPending:
		return "待检查"
	}
	return p
}

// MonthsPassed returns how many months of year have ended by today (a
// date in Asia/Shanghai): 0 before February of the year, 12 after it.
func MonthsPassed(year int, today time.Time) int {
	t := Today(today)
	switch {
	case t.Year() > year:
		return 12
	case t.Year() < year:
		return 0
	}
	return int(t.Month()) - 1
}

// PlanProgress says where a planned enterprise stands on today: done
// when inspected, overdue when its month has ended without, else pending.
func PlanProgress(year, month int, inspected bool, today time.Time) string {
	switch {
	case inspected:
		return PlanDone
	case month <= MonthsPassed(year, today):
		return PlanOverdue
	}
	return PlanPending
}

// PlanCount counts a plan's items by progress.
func (p *InspectionPlan) PlanCount() {
	p.Planned, p.Done, p.Overdue = len(p.Items), 0, 0
	for _, it := range p.Items {
		switch it.Progress {
		case PlanDone:
			p.Done++
		case PlanOverdue:
			p.Overdue++
		}
	}
}

// Editable reports whether the plan may be changed: not while it awaits
// the city's review. Changing an approved plan makes it a draft again,
// to be submitted and approved anew.
func (p *InspectionPlan) Editable() bool { return p.State != PlanSubmitted }

// CanPrepare reports whether a may edit and submit the plan: a clerk or
// approver of the plan's own agency (its region and channel).
func (p *InspectionPlan) CanPrepare(a *Actor) bool {
	return a.Can(ActPreparePlan) && a.RegionCode == p.RegionCode && a.SectorVisible(p.Sector)
}

// CanReview reports whether a may approve or return the plan: an
// approver of the city the plan's region lies in.
func (p *InspectionPlan) CanReview(a *Actor) bool {
	return a.Can(ActApprovePlan) && a.RegionPath == CityPath(p.RegionPath) && a.SectorVisible(p.Sector)
}

// CityPath returns the path of the city a region path lies in
// ("/210000/210300/" for "/210000/210300/210302/"), or "" for the
// province.
func CityPath(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 {
		return ""
	}
	return "/" + parts[0] + "/" + parts[1] + "/"
}

// CheckPlanMonth checks a planned month: 1–12, and not before the month
// the campaign starts in (start zero: any month).
func CheckPlanMonth(month int, start time.Time) error {
	switch {
	case month < 1 || month > 12:
		return Errorf(EINVALID, "计划检查月份应为1至12月。")
	case !start.IsZero() && month < int(start.Month()):
		return Errorf(EINVALID, "计划检查月份不能早于本年度工作开始的%d月。", int(start.Month()))
	}
	return nil
}

// CheckPlanScheme checks the 检查方案's text.
func CheckPlanScheme(s string) error {
	if !ValidText(s, true) || utf8.RuneCountInString(s) > MaxPlanSchemeLen {
		return Errorf(EINVALID, "检查方案应为不超过%d个字的文字。", MaxPlanSchemeLen)
	}
	return nil
}

// CheckSubmittable checks a plan before it is submitted: it lists at
// least one enterprise and has a 检查方案 (text or a file).
func (p *InspectionPlan) CheckSubmittable() error {
	switch {
	case len(p.Items) == 0:
		return Errorf(EINVALID, "计划中还没有列入任何企业，请先编辑计划，为企业选择计划检查月份。")
	case strings.TrimSpace(p.Scheme) == "" && len(p.Files) == 0:
		return Errorf(EINVALID, "请先填写检查方案或上传检查方案文件。")
	}
	return nil
}

// CheckReturnReason checks the reason a plan is returned with.
func CheckReturnReason(s string) error {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return Errorf(EINVALID, "退回须说明理由。")
	case !ValidText(s, true) || utf8.RuneCountInString(s) > MaxNoteLen:
		return Errorf(EINVALID, "退回理由应为不超过%d个字的文字。", MaxNoteLen)
	}
	return nil
}
