package taotai

import (
	"slices"
	"time"
)

// The lists of records (/inspections, /hazards, /documents, /cards): every
// figure of the dashboard and of 附件2 opens to the records it counts, so a
// list's criteria are those the figures are counted by.

// RecordFilter holds the criteria the lists of inspections, hazards and
// documents share. Zero fields do not filter; the actor's lane always does.
type RecordFilter struct {
	RegionCode   string // a region's subtree (GB/T 2260 code)
	IndustryID   int64  // the enterprise's industry
	EnterpriseID int64
	Sector       string // coal or noncoal, narrowing within the lane
	// From and To bound the day each list counts a record on, both
	// inclusive, as 附件2 counts it: an inspection and the hazards it found
	// by the inspection's date, a document by the day it was issued.
	From, To      time.Time
	Offset, Limit int
}

// InspectionFilter selects inspections (by inspection date).
type InspectionFilter struct {
	RecordFilter
}

// HazardUnresolved is the hazard status criterion "not yet 复查合格": open,
// rectifying or failed.
const HazardUnresolved = "unresolved"

// HazardStatusCriteria lists the values of HazardFilter.Status.
var HazardStatusCriteria = []string{HazardOpen, HazardRectifying, HazardPassed, HazardFailed, HazardUnresolved}

// HazardStatusCriterionName names a status criterion.
func HazardStatusCriterionName(s string) string {
	if s == HazardUnresolved {
		return "未复查合格"
	}
	return HazardStatusName(s)
}

// HazardFilter selects hazards, dated by the inspection that found them.
type HazardFilter struct {
	RecordFilter
	Level  string // HazardGeneral or HazardMajor
	Status string // one of HazardStatusCriteria
	// Overdue keeps the hazards not passed whose deadline day has ended
	// (Hazard.Overdue) as of the store's clock.
	Overdue bool
	// DueSoon keeps the hazards not passed due today or within the next
	// DueSoonDays days, on the store's clock.
	DueSoon bool
	// NoGuarantees keeps the major hazards not passed whose rectification
	// lacks any of the 五落实; NoStopOrder those whose inspection issued no
	// stop-production order. The worklist counts by the same rules.
	NoGuarantees, NoStopOrder bool
}

// DueSoonDays is how far ahead a hazard counts as due soon.
const DueSoonDays = 7

// ByDeadline reports whether f selects by a rule of deadlines or of
// follow-up (what the worklist proposes), rather than by day alone.
func (f HazardFilter) ByDeadline() bool {
	return f.Overdue || f.DueSoon || f.NoGuarantees || f.NoStopOrder
}

// DocumentFilter selects enforcement documents, by the day issued.
type DocumentFilter struct {
	RecordFilter
	Kind  string // one of DocKinds
	Fined bool   // penalty decisions with a fine
}

// CardFilter selects the cards (黄/红牌) by their current state. Zero fields
// do not filter; the actor's lane always does. A card that was never
// given (state none) is not listed.
type CardFilter struct {
	Year         int
	RegionCode   string
	IndustryID   int64
	EnterpriseID int64
	Sector       string
	State        string // one of CardListStates
	// Overdue keeps the yellow cards whose rectification deadline day has
	// ended (red candidates, RedCandidate) on the store's clock.
	Overdue       bool
	Offset, Limit int
}

// CardListStates are the states a card list can be asked for.
var CardListStates = []string{CardYellow, CardRed, CardCleared, CardProposed, CardClosed, CardAccepted}

// ValidHazardStatusCriterion reports whether s is a status criterion.
func ValidHazardStatusCriterion(s string) bool { return slices.Contains(HazardStatusCriteria, s) }

// RecordTotals are what a list counts over all its matches, not only the
// page shown: how many records, and for inspections the person-times of
// 附件2, for documents their fines.
type RecordTotals struct {
	Count          int
	InspectorTimes int  // 执法检查人员数量（人次）
	ExpertTimes    int  // 参与检查专家数量（人次）
	Fines          Yuan // 行政罚款总数
}
