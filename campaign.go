package taotai

import (
	"context"
	"strings"
	"time"
)

// CampaignYear is one year of the campaign with its phases and deadlines,
// kept as configuration (the 2020 notice is seeded).
type CampaignYear struct {
	Year      int
	Title     string
	Start     time.Time // the campaign's start (the notice's date, 2020-03-25); zero: 1 January
	Deadlines []Deadline
	// The province's receiving units, one per channel, as the year's forms
	// name them (names change: 辽宁煤矿安全监察局 became 国家矿山安全监察局辽宁局).
	UnitNonCoal, UnitCoal string
}

// ProvinceUnit returns the province's unit of a channel in the year.
func (c *CampaignYear) ProvinceUnit(sector string) string {
	if sector == SectorCoal {
		return c.UnitCoal
	}
	return c.UnitNonCoal
}

// Deadline is a dated milestone of a campaign year. Start is zero for a
// single-day deadline; a phase has both.
type Deadline struct {
	Key   string // survey, first_report, first_publication, pushout, monthly_06 …
	Label string // 摸底排查
	Start time.Time
	Due   time.Time // the last day, in Asia/Shanghai
	// Cutoff is the last day a report's statistics count (zero: the due
	// date); the next report counts from the day after.
	Cutoff time.Time
	Note   string
}

// ValidateDates checks a deadline's dates: the due date is required,
// both lie within the system's date range, and the phase does not end
// before it starts. The error is EINVALID.
func (d Deadline) ValidateDates() error {
	switch {
	case d.Due.IsZero():
		return Errorf(EINVALID, "请填写截止日期。")
	case !DateInRange(d.Due):
		return Errorf(EINVALID, "%s", DateRangeMessage("截止日期"))
	case !d.Start.IsZero() && !DateInRange(d.Start):
		return Errorf(EINVALID, "%s", DateRangeMessage("开始日期"))
	case !d.Start.IsZero() && d.Due.Before(d.Start):
		return Errorf(EINVALID, "截止日期不能早于开始日期。")
	}
	return nil
}

// KeyListEntry is an enterprise on a year's key list (附件1), with its 备注.
type KeyListEntry struct {
	Year       int
	Enterprise *Enterprise
	Note       string
	AddedAt    time.Time
}

// CampaignService reads campaign years and keeps their key lists, within
// the actor's lane.
type CampaignService interface {
	// CampaignYears returns every configured year, newest first.
	CampaignYears(ctx context.Context) ([]*CampaignYear, error)
	// FindCampaignYear returns one year with its deadlines, or ENOTFOUND.
	FindCampaignYear(ctx context.Context, year int) (*CampaignYear, error)
	// KeyList returns the year's key list within the lane, by region and name.
	KeyList(ctx context.Context, year int, regionCode string) ([]*KeyListEntry, error)
	// SetKeyListed puts an enterprise on the year's key list (or takes it
	// off), with its 备注.
	SetKeyListed(ctx context.Context, year int, enterpriseID int64, listed bool, note string) error
}

// CoverageDeadline is the day by which every listed enterprise must have
// been inspected (the 全覆盖检查 deadline, 30 September in 2020), or 30
// September when the year does not set it.
func (c *CampaignYear) CoverageDeadline() time.Time {
	if d := c.DeadlineDue("coverage"); !d.IsZero() {
		return d
	}
	return time.Date(c.Year, time.September, 30, 0, 0, 0, 0, Shanghai)
}

// OpenCampaignYear picks the campaign year a page shows by default: the
// latest one that has started by now (its start, or 1 January), else the
// earliest configured; nil when none is. years are newest first, as
// CampaignService.CampaignYears returns them.
func OpenCampaignYear(years []*CampaignYear, now time.Time) *CampaignYear {
	if len(years) == 0 {
		return nil
	}
	today := Today(now)
	for _, y := range years {
		start := y.Start
		if start.IsZero() {
			start = time.Date(y.Year, time.January, 1, 0, 0, 0, 0, Shanghai)
		}
		if !today.Before(Today(start)) {
			return y
		}
	}
	return years[len(years)-1]
}

// ValidateRemovalReason checks the reason for taking an enterprise off a
// year's key list: required, plain text, at most MaxReasonLen characters.
// The error is EINVALID with the field "reason".
func ValidateRemovalReason(reason string) error {
	f := FieldErrors{}
	checkLongText(f, "reason", "移出理由", strings.TrimSpace(reason), MaxReasonLen, true)
	return f.Err()
}
