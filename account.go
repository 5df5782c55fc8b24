package taotai

import (
	"strings"
	"time"
)

// Account states, as the administrators' list shows them.
const (
	AccountActive   = "active"   // 正常
	AccountDisabled = "disabled" // 已停用
	AccountLocked   = "locked"   // 已锁定: failed sign-ins locked it from some address
)

// AccountStates lists the states in the order of the list's filter.
var AccountStates = []string{AccountActive, AccountDisabled, AccountLocked}

// AccountStateName returns the Chinese name of an account state.
func AccountStateName(s string) string {
	switch s {
	case AccountActive:
		return "正常"
	case AccountDisabled:
		return "已停用"
	case AccountLocked:
		return "已锁定"
	case AccountMustChange:
		return "须修改密码"
	}
	return s
}

// Account is a user as an administrator manages it: with the state of its
// sign-in and the lane it works in.
type Account struct {
	User
	RegionPath  string
	Version     int       // bumped by every change of role, region, sector or name
	LockedUntil time.Time // the end of the latest lockout after failed sign-ins; zero when none is on
	LastSignIn  time.Time // zero: never signed in (since the system kept it)
	Sessions    int       // signed-in sessions not yet expired
}

// State returns the account's state: a disabled account is 已停用 whether
// or not it is locked.
func (a *Account) State() string {
	switch {
	case a.Disabled:
		return AccountDisabled
	case !a.LockedUntil.IsZero():
		return AccountLocked
	}
	return AccountActive
}

// AccountFilter selects accounts on the administrators' list. Zero fields
// do not filter.
type AccountFilter struct {
	Q             string // part of the username or of the name (姓名)
	Role          string
	Region        string // a region code: accounts in its subtree
	State         string // AccountActive, AccountDisabled, AccountLocked, or AccountMustChange
	Offset, Limit int
}

// AccountMustChange filters accounts whose password must be changed at the
// next sign-in (a new account, or a password an administrator reset).
const AccountMustChange = "must_change"

// AccountUpdate is an administrator's change of an account's name, role
// and lane, with the reason kept in the audit trail.
type AccountUpdate struct {
	DisplayName string
	Role        string
	RegionCode  string
	Sector      string // "" = both sectors
	Version     int    // the version the form was read at
	Reason      string
}

// MaxDisplayNameLen bounds a person's name (姓名) in characters.
const MaxDisplayNameLen = 50

// CanGrantRole reports whether an administrator may give an account the
// role. A province-level administrator (region 210000, whatever the
// sector) may give every role. Any other administrator manages only their
// own subtree and may give every role but two: 省级审核, which belongs to
// the province, and 审计管理员, because those who audit the administrators
// must not be appointed by them. The same rule says whose accounts an
// administrator may manage at all: one may not reset the password of an
// account one could not have created.
func CanGrantRole(a *Actor, role string) bool {
	if a == nil || a.Role != RoleAdmin || !ValidRole(role) {
		return false
	}
	if a.RegionCode == ProvinceCode {
		return true
	}
	return role != RoleProvinceReviewer && role != RoleAuditor
}

// GrantableRoles returns the roles an administrator may give, in display
// order (none for anyone else).
func GrantableRoles(a *Actor) []string {
	var out []string
	for _, r := range Roles {
		if CanGrantRole(a, r) {
			out = append(out, r)
		}
	}
	return out
}

// Covers reports whether a lane (a region's path and a sector, "" for
// both) lies within the actor's: the region in the actor's subtree and,
// when the actor has a sector, the same sector. An account over both
// sectors lies outside the lane of an administrator of one.
func (a *Actor) Covers(regionPath, sector string) bool {
	if a == nil || a.RegionPath == "" || !strings.HasPrefix(regionPath, a.RegionPath) {
		return false
	}
	return a.Sector == "" || a.Sector == sector
}

// ReasonMessage returns a Chinese message when the reason of a
// consequential act is missing (and required), too long or holds a
// character ValidText refuses; "" when it is fine.
func ReasonMessage(reason string, required bool) string {
	f := FieldErrors{}
	checkLongText(f, "reason", "理由", strings.TrimSpace(reason), MaxNoteLen, required)
	if msg := f["reason"]; msg != "" && required && strings.TrimSpace(reason) == "" {
		return "请填写理由（将记入操作日志）。"
	} else if msg != "" {
		return msg
	}
	return ""
}
