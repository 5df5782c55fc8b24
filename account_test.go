package taotai

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCanGrantRole(t *testing.T) {
	province := &Actor{Role: RoleAdmin, RegionCode: ProvinceCode, RegionPath: "/210000/"}
	provinceCoal := &Actor{Role: RoleAdmin, RegionCode: ProvinceCode, RegionPath: "/210000/", Sector: SectorCoal}
	city := &Actor{Role: RoleAdmin, RegionCode: "210300", RegionPath: "/210000/210300/", Sector: SectorNonCoal}
	county := &Actor{Role: RoleAdmin, RegionCode: "210302", RegionPath: "/210000/210300/210302/"}
	reviewer := &Actor{Role: RoleProvinceReviewer, RegionCode: ProvinceCode, RegionPath: "/210000/"}
	auditor := &Actor{Role: RoleAuditor, RegionCode: ProvinceCode, RegionPath: "/210000/"}
	tests := []struct {
		name string
		a    *Actor
		role string
		want bool
	}{
		{"province admin gives an inspector", province, RoleInspector, true},
		{"province admin gives an admin", province, RoleAdmin, true},
		{"province admin gives a province reviewer", province, RoleProvinceReviewer, true},
		{"province admin gives an auditor", province, RoleAuditor, true},
		{"province coal admin gives an auditor", provinceCoal, RoleAuditor, true},
		{"city admin gives an inspector", city, RoleInspector, true},
		{"city admin gives a clerk", city, RoleCityClerk, true},
		{"city admin gives an approver", city, RoleCityApprover, true},
		{"city admin gives a partner", city, RolePartner, true},
		{"city admin gives a city admin", city, RoleAdmin, true},
		{"city admin may not give a province reviewer", city, RoleProvinceReviewer, false},
		{"city admin may not give an auditor", city, RoleAuditor, false},
		{"county admin may not give an auditor", county, RoleAuditor, false},
		{"county admin gives an inspector", county, RoleInspector, true},
		{"an unknown role", province, "boss", false},
		{"an empty role", province, "", false},
		{"a province reviewer gives nothing", reviewer, RoleInspector, false},
		{"an auditor gives nothing", auditor, RoleAuditor, false},
		{"nobody gives nothing", nil, RoleInspector, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanGrantRole(tt.a, tt.role); got != tt.want {
				t.Errorf("CanGrantRole(%s@%s, %s) = %v, want %v", roleOf(tt.a), regionOf(tt.a), tt.role, got, tt.want)
			}
		})
	}
	// GrantableRoles agrees with CanGrantRole, in display order.
	if got := GrantableRoles(city); !slices.Equal(got, []string{RoleInspector, RoleCityClerk, RoleCityApprover, RolePartner, RoleAdmin}) {
		t.Errorf("a city admin's roles: %v", got)
	}
	if got := GrantableRoles(province); !slices.Equal(got, Roles) {
		t.Errorf("a province admin's roles: %v", got)
	}
	if got := GrantableRoles(auditor); got != nil {
		t.Errorf("an auditor's roles: %v", got)
	}
}

func roleOf(a *Actor) string {
	if a == nil {
		return "nil"
	}
	return a.Role
}

func regionOf(a *Actor) string {
	if a == nil {
		return ""
	}
	return a.RegionCode
}

func TestActorCovers(t *testing.T) {
	city := &Actor{Role: RoleAdmin, RegionCode: "210300", RegionPath: "/210000/210300/", Sector: SectorNonCoal}
	both := &Actor{Role: RoleAdmin, RegionCode: "210300", RegionPath: "/210000/210300/"}
	tests := []struct {
		name         string
		a            *Actor
		path, sector string
		want         bool
	}{
		{"the city itself, same sector", city, "/210000/210300/", SectorNonCoal, true},
		{"a county of the city", city, "/210000/210300/210302/", SectorNonCoal, true},
		{"the other sector", city, "/210000/210300/210302/", SectorCoal, false},
		{"both sectors is wider than one", city, "/210000/210300/", "", false},
		{"the province", city, "/210000/", SectorNonCoal, false},
		{"another city", city, "/210000/210900/", SectorNonCoal, false},
		{"a city whose code starts alike", both, "/210000/2103001/", SectorNonCoal, false},
		{"an admin of both sectors, coal", both, "/210000/210300/", SectorCoal, true},
		{"an admin of both sectors, both", both, "/210000/210300/", "", true},
		{"no actor", nil, "/210000/", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Covers(tt.path, tt.sector); got != tt.want {
				t.Errorf("Covers(%q, %q) = %v, want %v", tt.path, tt.sector, got, tt.want)
			}
		})
	}
}

func TestAccountState(t *testing.T) {
	locked := time.Date(2020, 5, 10, 10, 15, 0, 0, Shanghai)
	tests := []struct {
		a    Account
		want string
	}{
		{Account{}, AccountActive},
		{Account{LockedUntil: locked}, AccountLocked},
		{Account{User: User{Disabled: true}, LockedUntil: locked}, AccountDisabled},
		{Account{User: User{Disabled: true}}, AccountDisabled},
	}
	for _, tt := range tests {
		if got := tt.a.State(); got != tt.want {
			t.Errorf("%+v: %s, want %s", tt.a, got, tt.want)
		}
		if strings.ContainsAny(AccountStateName(tt.want), "abcdefghijklmnopqrstuvwxyz") {
			t.Errorf("state %s has no Chinese name", tt.want)
		}
	}
}

func TestReasonMessage(t *testing.T) {
	if m := ReasonMessage("  ", true); m != "请填写理由（将记入操作日志）。" {
		t.Errorf("missing reason: %q", m)
	}
	if m := ReasonMessage("", false); m != "" {
		t.Errorf("optional reason: %q", m)
	}
	if m := ReasonMessage("调离岗位", true); m != "" {
		t.Errorf("a good reason: %q", m)
	}
	if m := ReasonMessage(strings.Repeat("长", MaxNoteLen+1), true); !strings.Contains(m, "不能超过") {
		t.Errorf("too long: %q", m)
	}
	if m := ReasonMessage("a\u202eb", true); !strings.Contains(m, "不允许的字符") {
		t.Errorf("bad text: %q", m)
	}
}
