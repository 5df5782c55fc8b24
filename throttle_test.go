package taotai

import (
	"testing"
	"time"
)

func TestSignInRuleWait(t *testing.T) {
	s := time.Second
	for _, tc := range []struct {
		rule SignInRule
		n    int
		want time.Duration
	}{
		{AddrRule, 0, 0},
		{AddrRule, 9, 0},
		{AddrRule, 10, s},
		{AddrRule, 11, 2 * s},
		{AddrRule, 12, 4 * s},
		{AddrRule, 18, 256 * s},
		{AddrRule, 19, 5 * time.Minute},
		{AddrRule, 1000, 5 * time.Minute},
		{LockoutRule, MaxFailedLogins - 1, 0},
		{LockoutRule, MaxFailedLogins, LockoutDuration},
		{LockoutRule, MaxFailedLogins + 3, LockoutDuration},
		{AccountRule, 200, time.Minute},
	} {
		if got := tc.rule.Wait(tc.n); got != tc.want {
			t.Errorf("%+v.Wait(%d) = %v, want %v", tc.rule, tc.n, got, tc.want)
		}
	}
}
