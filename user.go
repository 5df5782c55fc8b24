package taotai

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Roles.
const (
	RoleInspector        = "inspector"         // 执法人员
	RoleCityClerk        = "city_clerk"        // 市级填报
	RoleCityApprover     = "city_approver"     // 市级审核
	RoleProvinceReviewer = "province_reviewer" // 省级审核
	RolePartner          = "partner"           // 协作部门（只读）
	RoleAdmin            = "admin"             // 系统管理员
	RoleAuditor          = "auditor"           // 审计管理员: reads and exports the audit trail
)

// Roles lists every role key in display order.
var Roles = []string{RoleInspector, RoleCityClerk, RoleCityApprover, RoleProvinceReviewer, RolePartner, RoleAdmin, RoleAuditor}

// RoleName returns the Chinese name of a role.
func RoleName(role string) string {
	switch role {
	case RoleInspector:
		return "执法人员"
	case RoleCityClerk:
		return "市级填报"
	case RoleCityApprover:
		return "市级审核"
	case RoleProvinceReviewer:
		return "省级审核"
	case RolePartner:
		return "协作部门"
	case RoleAdmin:
		return "系统管理员"
	case RoleAuditor:
		return "审计管理员"
	}
	return role
}

// ValidRole reports whether role is a known role key.
func ValidRole(role string) bool {
	for _, r := range Roles {
		if r == role {
			return true
		}
	}
	return false
}

// Agency is an issuing or reporting body: a bureau of a region and sector.
type Agency struct {
	ID         int64
	Name       string // 鞍山市应急管理局
	ShortName  string // 鞍: the mark in document numbers
	RegionCode string
	Sector     string // "" for an agency over both sectors
}

// User is a person who signs in. A user acts within a lane: the region
// subtree of RegionCode and, when Sector is set, that sector only.
type User struct {
	ID                 int64
	Username           string
	DisplayName        string
	Role               string
	AgencyID           int64
	AgencyName         string
	RegionCode         string
	RegionName         string
	Sector             string // "" = both sectors
	Disabled           bool
	MustChangePassword bool
	HasTOTP            bool // a second factor (动态口令) is set up
	CreatedAt          time.Time
}

// UserService manages accounts and checks credentials.
type UserService interface {
	// Authenticate checks a username and password and returns the user, or
	// EUNAUTH with one message for every kind of failure.
	Authenticate(ctx context.Context, username, password string) (*User, error)
	// FindUser returns a user by id (no lane check: used by the session).
	FindUser(ctx context.Context, id int64) (*User, error)
	// CreateUser adds an account; the agency is found or created for its
	// region and sector. A used username is ECONFLICT.
	CreateUser(ctx context.Context, u *User, password string) error
	// SetPassword replaces a user's password.
	SetPassword(ctx context.Context, username, password string) error
	// DisableUser stops an account from signing in.
	DisableUser(ctx context.Context, username string) error
}

// MaxAgencyMarkLen bounds an agency's mark (机关简称), in characters.
const MaxAgencyMarkLen = 8

// ValidateAgencyMark checks an agency's mark as an administrator typed it
// and returns it trimmed: one to MaxAgencyMarkLen Chinese characters,
// letters or digits, with no brackets or spaces (the number puts it in
// （）). A refusal is EINVALID with a Chinese message.
func ValidateAgencyMark(mark string) (string, error) {
	m := strings.TrimSpace(mark)
	n := utf8.RuneCountInString(m)
	switch {
	case m == "":
		return "", Errorf(EINVALID, "请填写机关简称，如“鞍”或“鞍铁西”。")
	case n > MaxAgencyMarkLen:
		return "", Errorf(EINVALID, "机关简称不能超过%d个字。", MaxAgencyMarkLen)
	}
	for _, r := range m {
		if !unicode.Is(unicode.Han, r) && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return "", Errorf(EINVALID, "机关简称只能由汉字、字母或数字组成（不含括号、空格和标点），文书编号会自动加上括号。")
		}
	}
	return m, nil
}
