package taotai

import (
	"context"
	"fmt"
	"time"
)

// Submission states. A clerk prepares a version (prepared); the city's
// approver submits it (submitted); the province's reviewer of its channel
// accepts it (accepted, which locks the period for the unit and channel)
// or returns it (returned), after which a new version is prepared.
const (
	SubmissionPrepared  = "prepared"
	SubmissionSubmitted = "submitted"
	SubmissionReturned  = "returned"
	SubmissionAccepted  = "accepted"
)

// SubmissionStateName returns the Chinese name of a submission state.
func SubmissionStateName(state string) string {
	switch state {
	case SubmissionPrepared:
		return "待审核报送"
	case SubmissionSubmitted:
		return "已报送，待省级审核"
	case SubmissionReturned:
		return "已退回"
	case SubmissionAccepted:
		return "已通过"
	}
	return state
}

// Submission is one version of a unit's report of a period up a channel.
// Once submitted it is an immutable snapshot: the rows and the .xlsx bytes
// of each form as they were, whatever happens to the records afterwards.
type Submission struct {
	ID          int64
	Year        int
	PeriodKey   string
	RegionCode  string
	RegionName  string
	RegionPath  string
	Sector      string
	Version     int
	State       string
	Zero        bool   // an explicit zero report: the period's forms have no rows
	Person      string // 填报人
	Phone       string // 联系电话
	Summary     string // 工作总结 (the annual report)
	PreparedBy  string
	PreparedAt  time.Time
	SubmittedBy string
	SubmittedAt time.Time // zero while prepared
	ReviewedBy  string
	ReviewedAt  time.Time
	ReviewNote  string // the reason a report was returned, or a note on acceptance
	Forms       []SubmittedForm
	Files       []SubmittedFile
}

// SubmittedForm is one 附件 of a submission as sent.
type SubmittedForm struct {
	Form   int
	Rows   int    // how many rows it holds
	JSON   []byte // the rows ([]forms.Row1, Row2 or Row3) as JSON: the figures
	XLSX   []byte // the .xlsx as generated
	SHA256 string // of XLSX, hex
}

// SubmittedFile is a file attached to the annual work summary.
type SubmittedFile struct {
	Name   string
	Data   []byte
	SHA256 string
}

// ReportPreparation is what a clerk gives to prepare a report.
type ReportPreparation struct {
	PeriodKey  string
	RegionCode string
	Sector     string
	Person     string // 填报人
	Phone      string // 联系电话
	Zero       bool   // an explicit zero report
	Summary    string // the annual report's 工作总结
	Files      []SubmittedFile
}

// ReportLock says that a unit's report of a period up a channel is
// accepted and may not be submitted again until the province unlocks it.
type ReportLock struct {
	ID           int64
	PeriodKey    string
	RegionCode   string
	Sector       string
	SubmissionID int64
	Version      int
	By           string
	At           time.Time
}

// Message says why the period is locked, since when, by whom and who can
// unlock it.
func (l ReportLock) Message() string {
	return fmt.Sprintf("该期报告（第%d版）已于%s由%s审核通过，本期已锁定，不能再次报送。如需修改，请联系系统管理员或%s的省级审核人员解锁。",
		l.Version, l.At.In(Shanghai).Format("2006年1月2日15:04"), l.By, ChannelName(l.Sector))
}

// ReportService keeps the reporting year: the calendar, the submissions,
// their review and the timeliness grid, each within the actor's lane.
type ReportService interface {
	// ReportCalendar returns the year's due reports within the lane.
	ReportCalendar(ctx context.Context, year int) ([]DueReport, error)
	// ExtendReport gives one due report a later due time (administrators).
	ExtendReport(ctx context.Context, e *ReportExtension) error
	// PrepareReport generates a version of a unit's report from the records.
	PrepareReport(ctx context.Context, p *ReportPreparation) (*Submission, error)
	// SubmitReport sends a prepared version to the province.
	SubmitReport(ctx context.Context, id int64) error
	// AcceptReport accepts a submitted version, locking the period.
	AcceptReport(ctx context.Context, id int64, note string) error
	// ReturnReport returns a submitted version with a reason.
	ReturnReport(ctx context.Context, id int64, reason string) error
	// UnlockReport lifts the lock of an accepted report, with a reason.
	UnlockReport(ctx context.Context, periodKey, regionCode, sector, reason string) error
	// FindSubmission returns one version with its forms and files.
	FindSubmission(ctx context.Context, id int64) (*Submission, error)
	// ReportGrid returns a channel's timeliness grid of the year.
	ReportGrid(ctx context.Context, year int, sector string) (*ReportGrid, error)
}
