package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

func TestLoginLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := taotai.WithClientAddr(context.Background(), "192.0.2.7")
		u := &taotai.User{Username: "lock_me", Role: taotai.RoleCityClerk, RegionCode: anshan, Sector: taotai.SectorNonCoal}
		if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		for i := 1; i < taotai.MaxFailedLogins; i++ {
			_, err := db.Authenticate(ctx, "lock_me", "wrong password")
			if taotai.ErrorMessage(err) != "用户名或密码不正确。" {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		_, err := db.Authenticate(ctx, "lock_me", "wrong password")
		if !strings.Contains(taotai.ErrorMessage(err), "已被锁定15分钟") {
			t.Fatalf("fifth failure: %v", err)
		}
		_, err = db.Authenticate(ctx, "lock_me", "correct horse battery")
		if taotai.ErrorCode(err) != taotai.ETOOMANY || !strings.Contains(taotai.ErrorMessage(err), "已被锁定") {
			t.Fatalf("right password while locked: %v", err)
		}
		clock := db.Clock().(*taotai.FixedClock)
		clock.T = clock.T.Add(taotai.LockoutDuration + time.Minute)
		if _, err := db.Authenticate(ctx, "lock_me", "correct horse battery"); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
		fails := auditEntries(t, db, taotai.AuditFilter{Username: "lock_me", Action: taotai.AuditLoginFailed})
		logins := auditEntries(t, db, taotai.AuditFilter{Username: "lock_me", Action: taotai.AuditLogin})
		// An attempt refused while locked is not checked, so not recorded:
		// a flood of them must not grow the append-only trail.
		if len(fails) != taotai.MaxFailedLogins || len(logins) != 1 || logins[0].Addr != "192.0.2.7" {
			t.Fatalf("audit: %d failures, %d logins", len(fails), len(logins))
		}
		if _, err := db.Authenticate(ctx, "nobody", "whatever password"); taotai.ErrorMessage(err) != "用户名或密码不正确。" {
			t.Fatalf("unknown user: %v", err)
		}
		if got := auditEntries(t, db, taotai.AuditFilter{Username: "nobody"}); len(got) != 1 || got[0].Action != taotai.AuditLoginFailed {
			t.Fatalf("unknown user's attempt not recorded: %v", got)
		}
		// An operator's unlock works at once (from an address that has
		// not failed often enough to be slowed down itself).
		ctx = taotai.WithClientAddr(ctx, "192.0.2.8")
		for i := 0; i < taotai.MaxFailedLogins; i++ {
			db.Authenticate(ctx, "lock_me", "wrong password")
		}
		if _, err := db.Authenticate(ctx, "lock_me", "correct horse battery"); taotai.ErrorCode(err) != taotai.ETOOMANY {
			t.Fatalf("not locked again: %v", err)
		}
		if err := db.UnlockUser(ctx, "lock_me"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, "lock_me", "correct horse battery"); err != nil {
			t.Fatalf("after unlock: %v", err)
		}
		if _, br, err := db.VerifyAudit(ctx); br != nil || err != nil {
			t.Fatalf("chain: %v %v", br, err)
		}
	})
}

func TestChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := &taotai.User{Username: "zhang", Role: taotai.RoleInspector, RegionCode: tiedong, Sector: taotai.SectorNonCoal, MustChangePassword: true}
		if err := db.CreateUser(ctx, u, "initial password 1"); err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindUser(ctx, u.ID)
		a, _ := db.ActorFor(ctx, got)
		actx := taotai.NewContextWithActor(ctx, a)
		db.Sessions().CommitCtx(ctx, "tok", []byte("x"), time.Now().Add(time.Hour))
		err := db.ChangePassword(actx, "not it", "password")
		var appErr *taotai.Error
		if !asError(err, &appErr) || appErr.Fields["current"] == "" || !strings.Contains(appErr.Fields["password"], "至少") {
			t.Fatalf("bad change: %v", err)
		}
		if err := db.ChangePassword(actx, "initial password 1", "a brand new secret"); err != nil {
			t.Fatal(err)
		}
		got, _ = db.FindUser(ctx, u.ID)
		if got.MustChangePassword {
			t.Fatal("still must change")
		}
		if _, err := db.Authenticate(ctx, "zhang", "a brand new secret"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetPassword(ctx, "zhang", "operator set this"); err != nil {
			t.Fatal(err)
		}
		if got, _ = db.FindUser(ctx, u.ID); !got.MustChangePassword {
			t.Fatal("an operator's password must be changed at next sign-in")
		}
	})
}

// TestSimultaneousFailuresAllCount: failures sent at once must all count
// towards the lockout.
func TestSimultaneousFailuresAllCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.CreateUser(ctx, &taotai.User{Username: "target", Role: taotai.RoleCityClerk, RegionCode: anshan, Sector: taotai.SectorNonCoal}, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, taotai.MaxFailedLogins)
		for i := 0; i < taotai.MaxFailedLogins; i++ {
			go func() {
				_, err := db.Authenticate(ctx, "target", "wrong password")
				done <- err
			}()
		}
		for i := 0; i < taotai.MaxFailedLogins; i++ {
			<-done
		}
		if _, err := db.Authenticate(ctx, "target", "correct horse battery"); !strings.Contains(taotai.ErrorMessage(err), "已被锁定") {
			t.Fatalf("after %d simultaneous failures the account is not locked: %v", taotai.MaxFailedLogins, err)
		}
	})
}
