package taotai

import (
	"context"
	"strings"
)

// Actor is the person on whose behalf a call runs, with their lane.
type Actor struct {
	UserID     int64
	Username   string
	Role       string
	RegionCode string
	RegionPath string // Path of RegionCode in the region tree
	Sector     string // "" = both sectors
	AgencyID   int64
}

// System is the actor of operator commands and the demo loader: the whole
// province, both sectors, administrator rights.
var System = &Actor{Username: "system", Role: RoleAdmin, RegionCode: ProvinceCode, RegionPath: "/" + ProvinceCode + "/"}

// ProvinceCode is the root of the jurisdiction tree.
const ProvinceCode = "210000"

type actorKey struct{}

// NewContextWithActor returns a context carrying the actor.
func NewContextWithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the actor in ctx, or nil.
func ActorFromContext(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// Can reports whether the actor's role may perform the action. Lanes are
// checked separately, in the store, by the query itself.
func (a *Actor) Can(action Action) bool {
	if a == nil {
		return false
	}
	for _, r := range permissions[action] {
		if r == a.Role {
			return true
		}
	}
	return false
}

// Action is something a role may be allowed to do.
type Action string

// Actions.
const (
	ActReadRegistry   Action = "registry.read"
	ActWriteRegistry  Action = "registry.write"
	ActWriteKeyList   Action = "keylist.write"
	ActManageIndustry Action = "industry.write"
	ActManageUsers    Action = "users.write"
	ActReadAudit      Action = "audit.read"
	ActExportAudit    Action = "audit.export"

	ActRecordInspection Action = "inspection.write" // record inspections and hazards
	ActIssueDocument    Action = "document.write"   // issue enforcement documents, and propose a penalty (告知书)
	ActDecidePenalty    Action = "penalty.decide"   // issue a 行政处罚决定书: the agency's decision, not an inspector's
	ActCardYellow       Action = "card.yellow"      // put on or clear a yellow card
	ActCardRed          Action = "card.red"         // red card, proposal, closure, acceptance
	ActManageCriteria   Action = "criteria.write"   // edit the major-hazard criteria
	ActImportForms      Action = "forms.import"     // import filled official forms

	ActPrepareReport Action = "report.prepare" // prepare a unit's report of a period
	ActSubmitReport  Action = "report.submit"  // submit a prepared report to the province
	ActReviewReport  Action = "report.review"  // accept or return a submitted report
	ActUnlockReport  Action = "report.unlock"  // lift the lock of an accepted report
	ActExtendReport  Action = "report.extend"  // extend one unit's due time

	ActProvinceLetter  Action = "letter.write"  // read and write the province's letters to the coordination office
	ActProvinceSummary Action = "summary.write" // write the province's own annual work summary of a channel

	ActPreparePlan Action = "plan.prepare" // draft and submit an agency's inspection plan
	ActApprovePlan Action = "plan.approve" // approve or return the inspection plans of a city
)

var permissions = map[Action][]string{
	ActReadRegistry:   Roles,
	ActWriteRegistry:  {RoleCityClerk, RoleCityApprover, RoleAdmin},
	ActWriteKeyList:   {RoleCityClerk, RoleCityApprover, RoleAdmin},
	ActManageIndustry: {RoleAdmin},
	ActManageUsers:    {RoleAdmin},
	ActReadAudit:      {RoleAdmin, RoleAuditor},
	ActExportAudit:    {RoleAdmin, RoleAuditor},

	ActRecordInspection: {RoleInspector, RoleCityClerk, RoleCityApprover, RoleAdmin},
	ActIssueDocument:    {RoleInspector, RoleCityClerk, RoleCityApprover, RoleAdmin},
	// An inspector records and proposes; the decision is the agency's,
	// signed by whoever approves for it (行政处罚法: 行政机关负责人).
	ActDecidePenalty:  {RoleCityApprover, RoleAdmin},
	ActCardYellow:     {RoleInspector, RoleCityClerk, RoleCityApprover, RoleAdmin},
	ActCardRed:        {RoleCityApprover, RoleAdmin},
	ActManageCriteria: {RoleAdmin},
	ActImportForms:    {RoleCityClerk, RoleCityApprover, RoleAdmin},

	ActPrepareReport: {RoleCityClerk, RoleCityApprover},
	ActSubmitReport:  {RoleCityApprover},
	ActReviewReport:  {RoleProvinceReviewer},
	ActUnlockReport:  {RoleProvinceReviewer, RoleAdmin},
	ActExtendReport:  {RoleAdmin},

	ActProvinceLetter:  {RoleProvinceReviewer, RoleAdmin},
	ActProvinceSummary: {RoleProvinceReviewer, RoleAdmin},

	ActPreparePlan: {RoleCityClerk, RoleCityApprover},
	ActApprovePlan: {RoleCityApprover},
}

// SectorVisible reports whether the actor's lane includes sector.
func (a *Actor) SectorVisible(sector string) bool {
	return a.Sector == "" || a.Sector == sector
}

// DeciderNames names the roles whose work action is, for a page that says
// who decides: "市级审核" (the system administrator, who may do most
// things, is not named).
func DeciderNames(action Action) string {
	var names []string
	for _, r := range permissions[action] {
		if r != RoleAdmin {
			names = append(names, RoleName(r))
		}
	}
	return strings.Join(names, "、")
}
