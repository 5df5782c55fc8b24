package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

const goodPassword = "correct horse battery"

func from(addr string) context.Context {
	return taotai.WithClientAddr(context.Background(), addr)
}

func addAccount(t *testing.T, db *store.DB, name, region string) *taotai.User {
	t.Helper()
	u := &taotai.User{Username: name, Role: taotai.RoleCityClerk, RegionCode: region, Sector: taotai.SectorNonCoal}
	if region == taotai.ProvinceCode {
		u.Role = taotai.RoleProvinceReviewer
	}
	if err := db.CreateUser(context.Background(), u, goodPassword); err != nil {
		t.Fatal(err)
	}
	return u
}

func auditCount(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestStrangerCannotLockOutOfficial: five wrong passwords from a stranger's
// address lock the account for that address only; the official signs in
// from theirs.
func TestStrangerCannotLockOutOfficial(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		addAccount(t, db, "official", anshan)
		stranger, office := from("203.0.113.9"), from("198.51.100.4")
		for i := 0; i < taotai.MaxFailedLogins; i++ {
			db.Authenticate(stranger, "official", "guess "+fmt.Sprint(i))
		}
		if _, err := db.Authenticate(stranger, "official", goodPassword); taotai.ErrorCode(err) != taotai.ETOOMANY {
			t.Fatalf("the stranger's address is not locked out: %v", err)
		}
		if _, err := db.Authenticate(office, "official", goodPassword); err != nil {
			t.Fatalf("the official is locked out by a stranger: %v", err)
		}
		// IPv6 counts by /64: another address of the same network is the
		// same stranger.
		v6a, v6b := from("2001:db8:1:2::a"), from("2001:db8:1:2::b")
		for i := 0; i < taotai.MaxFailedLogins; i++ {
			db.Authenticate(v6a, "official", "guess")
		}
		if _, err := db.Authenticate(v6b, "official", goodPassword); taotai.ErrorCode(err) != taotai.ETOOMANY {
			t.Fatalf("a neighbour in the same /64 is not locked out: %v", err)
		}
	})
}

// TestLockedAndUnknownNamesAnswerAlike: a locked real account and a name
// that does not exist get the same answers, and while locked neither is
// looked up or hashed, nor recorded.
func TestLockedAndUnknownNamesAnswerAlike(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		addAccount(t, db, "real_one", anshan)
		ctx := from("203.0.113.10")
		for i := 1; i <= taotai.MaxFailedLogins; i++ {
			_, real := db.Authenticate(ctx, "real_one", "wrong password")
			_, ghost := db.Authenticate(ctx, "no_such_one", "wrong password")
			if taotai.ErrorCode(real) != taotai.ErrorCode(ghost) || taotai.ErrorMessage(real) != taotai.ErrorMessage(ghost) {
				t.Fatalf("failure %d: real %v, unknown %v", i, real, ghost)
			}
		}
		before := auditCount(t, db)
		slowest := map[string]time.Duration{}
		for _, name := range []string{"real_one", "no_such_one", "real_one", "no_such_one"} {
			start := time.Now()
			_, err := db.Authenticate(ctx, name, goodPassword)
			slowest[name] = max(slowest[name], time.Since(start))
			if taotai.ErrorCode(err) != taotai.ETOOMANY || !strings.Contains(taotai.ErrorMessage(err), "已被锁定") {
				t.Fatalf("%s while locked: %v", name, err)
			}
		}
		_, real := db.Authenticate(ctx, "real_one", goodPassword)
		_, ghost := db.Authenticate(ctx, "no_such_one", goodPassword)
		if taotai.ErrorMessage(real) != taotai.ErrorMessage(ghost) {
			t.Fatalf("locked answers differ: %q, %q", taotai.ErrorMessage(real), taotai.ErrorMessage(ghost))
		}
		if n := auditCount(t, db); n != before {
			t.Errorf("refused attempts wrote %d audit entries", n-before)
		}
		// A checked attempt pays for a password hash; a refused one must
		// not, whether the name exists or not.
		start := time.Now()
		db.Authenticate(from("203.0.113.11"), "real_one", "wrong password")
		hashed := time.Since(start)
		for name, d := range slowest {
			if d > hashed/2 {
				t.Errorf("a refused attempt on %s took %v, a checked one %v", name, d, hashed)
			}
		}
	})
}

// TestSignInThrottleGrows: an address failing on many names waits 1 s,
// 2 s, 4 s … (capped) before each further attempt, refused with ETOOMANY
// rather than by sleeping; the entries expire.
func TestSignInThrottleGrows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := db.Clock().(*taotai.FixedClock)
		ctx := from("203.0.113.20")
		attempt := func(i int) error {
			_, err := db.Authenticate(ctx, fmt.Sprintf("sprayed_%d", i), "some password")
			return err
		}
		for i := 0; i < taotai.AddrRule.Free; i++ {
			if err := attempt(i); taotai.ErrorCode(err) != taotai.EUNAUTH {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		n := taotai.AddrRule.Free
		for _, wait := range []int{1, 2, 4, 8} {
			err := attempt(n)
			if secs, ok := taotai.RetryAfter(err, clock.T); !ok || secs != wait || taotai.ErrorCode(err) != taotai.ETOOMANY ||
				!strings.Contains(taotai.ErrorMessage(err), fmt.Sprintf("请%d秒后再试", wait)) {
				t.Fatalf("after %d failures: %v (retry after %d s), want a wait of %d s", n, err, secs, wait)
			}
			clock.T = clock.T.Add(time.Duration(wait)*time.Second - time.Millisecond)
			if err := attempt(n); taotai.ErrorCode(err) != taotai.ETOOMANY {
				t.Fatalf("a millisecond early: %v", err)
			}
			clock.T = clock.T.Add(time.Millisecond)
			if err := attempt(n); taotai.ErrorCode(err) != taotai.EUNAUTH {
				t.Fatalf("after the wait: %v", err)
			}
			n++
		}
		for ; n < 40; n++ {
			clock.T = clock.T.Add(10 * time.Minute)
			attempt(n)
		}
		if secs, _ := taotai.RetryAfter(attempt(n), clock.T); secs != int(taotai.AddrRule.Max/time.Second) {
			t.Fatalf("capped wait: %d s", secs)
		}
		var rows int
		db.SQL().QueryRow(`SELECT COUNT(*) FROM sign_in_throttle`).Scan(&rows)
		if rows == 0 {
			t.Fatal("no throttle state in the database")
		}
		clock.T = clock.T.Add(25 * time.Hour)
		if err := db.DeleteExpiredSignIns(context.Background()); err != nil {
			t.Fatal(err)
		}
		db.SQL().QueryRow(`SELECT COUNT(*) FROM sign_in_throttle`).Scan(&rows)
		if rows != 0 {
			t.Fatalf("%d throttle entries left a day later", rows)
		}
	})
}

// TestAccountThrottleSparesKnownAddress: guesses at one account from many
// addresses slow down every new address, but not the one the official
// signed in from before.
func TestAccountThrottleSparesKnownAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		addAccount(t, db, "chief", anshan)
		office := from("198.51.100.7")
		if _, err := db.Authenticate(office, "chief", goodPassword); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < taotai.AccountRule.Free; i++ {
			db.Authenticate(from(fmt.Sprintf("203.0.113.%d", 100+i)), "chief", "guess")
		}
		if _, err := db.Authenticate(from("203.0.113.99"), "chief", goodPassword); taotai.ErrorCode(err) != taotai.ETOOMANY {
			t.Fatalf("a new address is not slowed down: %v", err)
		}
		if _, err := db.Authenticate(office, "chief", goodPassword); err != nil {
			t.Fatalf("the official's own address is slowed down: %v", err)
		}
	})
}

// enableTOTP gives a provincial account a second factor and returns its
// secret.
func enableTOTP(t *testing.T, db *store.DB, u *taotai.User) string {
	t.Helper()
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "taotai", AccountName: u.Username})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := db.ActorFor(context.Background(), u)
	ctx := taotai.NewContextWithActor(context.Background(), a)
	code, _ := totp.GenerateCode(key.Secret(), db.Clock().Now())
	if err := db.EnableTOTP(ctx, key.Secret(), code); err != nil {
		t.Fatal(err)
	}
	// The code that confirmed the set-up is used; sign-ins take the next.
	clock := db.Clock().(*taotai.FixedClock)
	clock.T = clock.T.Add(30 * time.Second)
	return key.Secret()
}

// TestTOTPGuessesLockOut: wrong codes count toward the lockout with wrong
// passwords; after five, even the right code and the right password are
// refused from that address; every guess is recorded.
func TestTOTPGuessesLockOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := addAccount(t, db, "prov_totp", taotai.ProvinceCode)
		secret := enableTOTP(t, db, u)
		ctx := from("203.0.113.30")
		if _, err := db.Authenticate(ctx, "prov_totp", "wrong password"); taotai.ErrorCode(err) != taotai.EUNAUTH {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, "prov_totp", goodPassword); err != nil {
			t.Fatal(err)
		}
		var err error
		for i := 2; i <= taotai.MaxFailedLogins; i++ {
			_, err = db.VerifyTOTP(ctx, u.ID, fmt.Sprintf("%06d", i))
			if taotai.ErrorCode(err) != taotai.EUNAUTH {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		if !strings.Contains(taotai.ErrorMessage(err), "已被锁定15分钟") {
			t.Fatalf("fifth failure (one password, four codes): %v", err)
		}
		code, _ := totp.GenerateCode(secret, db.Clock().Now())
		if _, err := db.VerifyTOTP(ctx, u.ID, code); taotai.ErrorCode(err) != taotai.ETOOMANY {
			t.Fatalf("right code while locked: %v", err)
		}
		if _, err := db.Authenticate(ctx, "prov_totp", goodPassword); taotai.ErrorCode(err) != taotai.ETOOMANY {
			t.Fatalf("right password while locked: %v", err)
		}
		fails := auditEntries(t, db, taotai.AuditFilter{Username: "prov_totp", Action: taotai.AuditLoginFailed})
		if len(fails) != taotai.MaxFailedLogins || !strings.Contains(fails[0].Note+fails[len(fails)-1].Note, "动态口令错误") {
			t.Fatalf("recorded failures: %d", len(fails))
		}
	})
}

// TestTOTPCodeAcceptedOnce: a code signs in once; the same code again, or
// one of an earlier step, is refused and counted, on every instance
// (the last step is kept in the database).
func TestTOTPCodeAcceptedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := addAccount(t, db, "prov_once", taotai.ProvinceCode)
		secret := enableTOTP(t, db, u)
		ctx := from("198.51.100.9")
		now := db.Clock().Now()
		code, _ := totp.GenerateCode(secret, now)
		if _, err := db.VerifyTOTP(ctx, u.ID, code); err != nil {
			t.Fatalf("first use: %v", err)
		}
		if _, err := db.VerifyTOTP(ctx, u.ID, code); taotai.ErrorCode(err) != taotai.EUNAUTH {
			t.Fatalf("the same code again: %v", err)
		}
		earlier, _ := totp.GenerateCode(secret, now.Add(-30*time.Second))
		if _, err := db.VerifyTOTP(ctx, u.ID, earlier); taotai.ErrorCode(err) != taotai.EUNAUTH {
			t.Fatalf("the previous step's code after this step's: %v", err)
		}
		replays := auditEntries(t, db, taotai.AuditFilter{Username: "prov_once", Action: taotai.AuditLoginFailed})
		if len(replays) != 2 || !strings.Contains(replays[0].Note+replays[1].Note, "已使用过") {
			t.Fatalf("replays recorded: %v", replays)
		}
		next, _ := totp.GenerateCode(secret, now.Add(30*time.Second))
		if _, err := db.VerifyTOTP(ctx, u.ID, next); err != nil {
			t.Fatalf("the next step's code: %v", err)
		}
	})
}

// TestDisableTOTPNeedsPasswordAndCode: a session alone cannot remove the
// second factor; wrong answers count toward the lockout; success is
// recorded.
func TestDisableTOTPNeedsPasswordAndCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := addAccount(t, db, "prov_off", taotai.ProvinceCode)
		secret := enableTOTP(t, db, u)
		a, _ := db.ActorFor(context.Background(), u)
		ctx := taotai.NewContextWithActor(from("203.0.113.40"), a)
		code, _ := totp.GenerateCode(secret, db.Clock().Now())
		for _, tc := range []struct{ password, code string }{{"", ""}, {goodPassword, ""}, {"", code}, {"wrong password", code}} {
			err := db.DisableTOTP(ctx, tc.password, tc.code)
			if taotai.ErrorCode(err) != taotai.EINVALID {
				t.Fatalf("disable with %q/%q: %v", tc.password, tc.code, err)
			}
		}
		if got, _ := db.FindUser(ctx, u.ID); !got.HasTOTP {
			t.Fatal("the second factor was removed without password and code")
		}
		if err := db.DisableTOTP(ctx, goodPassword, code); err != nil {
			t.Fatalf("disable with password and code: %v", err)
		}
		if got, _ := db.FindUser(ctx, u.ID); got.HasTOTP {
			t.Fatal("still enabled")
		}
		fails := auditEntries(t, db, taotai.AuditFilter{Username: "prov_off", Action: taotai.AuditLoginFailed})
		updates := auditEntries(t, db, taotai.AuditFilter{Username: "prov_off", Action: taotai.AuditUpdate})
		if len(fails) != 4 || len(updates) != 2 || !strings.Contains(updates[0].Note+updates[1].Note, "停用动态口令") {
			t.Fatalf("audit: %d failures, %d updates", len(fails), len(updates))
		}
		// Four failures and a fifth lock the account from this address.
		secret = enableTOTP(t, db, u)
		if err := db.DisableTOTP(ctx, "wrong again", ""); !strings.Contains(taotai.ErrorMessage(err), "已被锁定") {
			t.Fatalf("fifth failure: %v", err)
		}
		code, _ = totp.GenerateCode(secret, db.Clock().Now())
		if err := db.DisableTOTP(ctx, goodPassword, code); taotai.ErrorCode(err) != taotai.ETOOMANY {
			t.Fatalf("disable while locked: %v", err)
		}
		if err := db.EnableTOTP(ctx, secret, code); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("a second set-up over an enabled factor: %v", err)
		}
	})
}
