package taotai

import (
	"context"
	"strings"
	"time"
)

// Production states, as 附件1's 备注 names them.
const (
	StateNormal  = "normal"  // 正常生产
	StatePartial = "partial" // 局部生产
	StateStopped = "stopped" // 停产
)

// ProductionStates lists the states in the form's order.
var ProductionStates = []string{StateNormal, StatePartial, StateStopped}

// ProductionStateName returns the Chinese name of a production state.
func ProductionStateName(s string) string {
	switch s {
	case StateNormal:
		return "正常生产"
	case StatePartial:
		return "局部生产"
	case StateStopped:
		return "停产"
	}
	return s
}

// ParseProductionState maps the Chinese name (or the key) to the key.
func ParseProductionState(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, k := range ProductionStates {
		if s == k || s == ProductionStateName(k) {
			return k, true
		}
	}
	return "", false
}

// Field limits, in characters.
const (
	MaxNameLen    = 100
	MaxAddressLen = 200
	MaxPersonLen  = 50
	MaxContactLen = 100
	MaxNoteLen    = 500
)

// Enterprise is a key-industry enterprise in the registry.
type Enterprise struct {
	ID         int64
	Name       string // 企业名称
	CreditCode string // 统一社会信用代码; "" while lacking (imported from 附件1)
	// CreditCodeConfirmed records that a person confirmed a code whose check
	// digit fails (an early pilot code).
	CreditCodeConfirmed bool
	Address             string // 所在地址
	RegionCode          string // county-level region
	RegionPath          string // the lane: path of the region in the tree
	RegionName          string
	CityName            string
	IndustryID          int64
	IndustryName        string
	Sector              string
	ProductionState     string
	LegalRep            string // 法定代表人
	ContactPerson       string // 联系人
	ContactPhone        string // 联系电话
	// CoalOverride is an administrator's reason for a coal enterprise
	// outside the coal-producing cities ("" for none).
	CoalOverride string
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	KeyYears     []int // campaign years whose key list holds it
}

// Validate checks the fields that need no database, collecting a Chinese
// message per field. confirm says whether the user confirmed a credit code
// with a bad check digit.
func (e *Enterprise) Validate(confirm bool) FieldErrors {
	f := FieldErrors{}
	e.Name = strings.TrimSpace(e.Name)
	e.Address = strings.TrimSpace(e.Address)
	e.LegalRep = strings.TrimSpace(e.LegalRep)
	e.ContactPerson = strings.TrimSpace(e.ContactPerson)
	e.ContactPhone = strings.TrimSpace(e.ContactPhone)
	checkText(f, "name", "企业名称", e.Name, MaxNameLen, true)
	checkText(f, "address", "所在地址", e.Address, MaxAddressLen, true)
	checkText(f, "legal_rep", "法定代表人", e.LegalRep, MaxPersonLen, false)
	checkText(f, "contact_person", "联系人", e.ContactPerson, MaxPersonLen, false)
	checkText(f, "contact_phone", "联系电话", e.ContactPhone, MaxContactLen, false)
	r := CheckUSCC(e.CreditCode)
	e.CreditCode = r.Code
	switch {
	case r.Err != "":
		f.Add("credit_code", r.Err)
	case r.Warning != "" && !confirm:
		f.Add("credit_code", r.Warning)
	}
	e.CreditCodeConfirmed = r.Err == "" && r.Warning != "" && confirm
	if e.RegionCode == "" {
		f.Add("region", "请选择所在县（市、区）。")
	}
	if e.IndustryID == 0 {
		f.Add("industry", "请选择所属行业。")
	}
	if _, ok := ParseProductionState(e.ProductionState); !ok {
		f.Add("production_state", "请选择生产状态：正常生产、局部生产或停产。")
	}
	return f
}

// EnterpriseFilter selects enterprises. Zero fields do not filter.
type EnterpriseFilter struct {
	Q               string // part of the name, or of the credit code
	RegionCode      string // a subtree
	IndustryID      int64
	ProductionState string
	KeyYear         int  // on that year's key list
	MissingCode     bool // lacking a credit code (registered by a form import), to be completed
	Offset, Limit   int
}

// EnterpriseService keeps the registry. Every method works within the
// actor's lane: an enterprise outside it is ENOTFOUND.
type EnterpriseService interface {
	// FindEnterprise returns one enterprise, or ENOTFOUND.
	FindEnterprise(ctx context.Context, id int64) (*Enterprise, error)
	// FindEnterprises returns a page and the total count.
	FindEnterprises(ctx context.Context, f EnterpriseFilter) ([]*Enterprise, int, error)
	// CreateEnterprise registers an enterprise. Bad input is EINVALID with
	// field messages; a used credit code is ECONFLICT.
	CreateEnterprise(ctx context.Context, e *Enterprise, confirmCode bool) error
	// UpdateEnterprise saves changes if e.Version is current (else
	// ECONFLICT) and returns the saved record.
	UpdateEnterprise(ctx context.Context, e *Enterprise, confirmCode bool) (*Enterprise, error)
}

// CoalPlaceMessage checks that a coal enterprise lies in a coal-producing
// city (产煤市): its forms go to the province's coal channel (省煤矿安监局),
// which only the coal-producing cities report to. Elsewhere it needs an
// administrator's reasoned override: override is the reason given, granted
// whether it is one an administrator gave before (kept as it was), admin
// whether the actor is an administrator. It returns "" when allowed, else
// the Chinese message for the industry field.
func CoalPlaceMessage(sector, cityName string, cityCoal bool, override string, granted, admin bool) string {
	override = strings.TrimSpace(override)
	switch {
	case sector != SectorCoal || cityCoal:
		return ""
	case override != "" && (granted || admin):
		return ""
	case override != "":
		return "只有系统管理员可以在非产煤市登记煤炭企业。"
	}
	return cityName + "不是产煤市：煤炭企业的报表报送省煤矿安监局，只有产煤市设有这一报送渠道。请核对所属行业或所在地区；确属煤炭企业的，由系统管理员填写理由后登记。"
}
