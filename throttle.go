package taotai

import (
	"errors"
	"time"
)

// SignInRule says how long the next sign-in attempt of one subject (an
// account from one address, an account, an address) must wait after
// failures in a row: nothing for the first Free failures, then Base,
// doubling with each further failure up to Max. Failures older than
// Forget are forgotten.
type SignInRule struct {
	Free      int
	Base, Max time.Duration
	Forget    time.Duration
}

// Wait returns the wait after the n-th failure in a row.
func (r SignInRule) Wait(n int) time.Duration {
	if n < r.Free {
		return 0
	}
	d := r.Base
	for i := r.Free; i < n && d < r.Max; i++ {
		d *= 2
	}
	return min(d, r.Max)
}

// The sign-in throttles. A failed password or TOTP code counts toward all
// three; see README.md (Trust) for why the lockout is per address.
var (
	// LockoutRule locks an account for one client address after
	// MaxFailedLogins failures in a row from it, for LockoutDuration.
	LockoutRule = SignInRule{Free: MaxFailedLogins, Base: LockoutDuration, Max: LockoutDuration, Forget: LockoutDuration}
	// AddrRule slows an address that fails on many accounts.
	AddrRule = SignInRule{Free: 10, Base: time.Second, Max: 5 * time.Minute, Forget: time.Hour}
	// AccountRule slows guesses at one account from many addresses; an
	// address the account signed in from before is exempt.
	AccountRule = SignInRule{Free: 10, Base: time.Second, Max: time.Minute, Forget: time.Hour}
)

// KnownAddrTTL is how long an address stays known to an account after a
// sign-in from it.
const KnownAddrTTL = 90 * 24 * time.Hour

// WaitError is an ETOOMANY error with the time the attempt may be made
// again.
type WaitError struct {
	Until time.Time
	Err   *Error
}

// Error implements the error interface.
func (e *WaitError) Error() string { return e.Err.Error() }

// Unwrap returns the application error, for ErrorCode and ErrorMessage.
func (e *WaitError) Unwrap() error { return e.Err }

// RetryAfter returns how long after now the attempt may be made again, in
// whole seconds (at least 1), when err is a WaitError.
func RetryAfter(err error, now time.Time) (int, bool) {
	var w *WaitError
	if !errors.As(err, &w) {
		return 0, false
	}
	return max(1, int((w.Until.Sub(now)+time.Second-1)/time.Second)), true
}
