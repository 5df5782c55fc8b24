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

// commitSession stores a signed-in session of user id under token, last
// seen now.
func commitSession(t *testing.T, db *store.DB, token string, id int64) {
	t.Helper()
	commitSeen(t, db, token, map[string]any{store.SessionUserID: id, store.SessionSeen: time.Now().Unix()})
}

func commitSeen(t *testing.T, db *store.DB, token string, values map[string]any) {
	t.Helper()
	b, err := store.SessionCodec{}.Encode(time.Now().Add(time.Hour), values)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Sessions().CommitCtx(context.Background(), token, b, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
}

func sessionCount(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRevokeSessionMatchesExactly: an id with LIKE's wildcards must revoke
// nothing; only the exact id revokes, and only its own session.
func TestRevokeSessionMatchesExactly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := taotai.NewContextWithActor(context.Background(), taotai.System)
		u := &taotai.User{Username: "victim", Role: taotai.RoleCityClerk, RegionCode: anshan, Sector: taotai.SectorNonCoal}
		if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		commitSession(t, db, "token-one", u.ID)
		commitSession(t, db, "token-two", u.ID)
		list, err := db.ActiveSessions(ctx)
		if err != nil || len(list) != 2 {
			t.Fatalf("sessions: %v %v", list, err)
		}
		for _, id := range []string{strings.Repeat("%", 16), strings.Repeat("_", 16), list[0].ID[:15] + "%",
			list[0].ID[:8] + "%%%%%%%%", strings.ToUpper(list[0].ID)} {
			if err := db.RevokeSession(ctx, id); taotai.ErrorCode(err) != taotai.ENOTFOUND {
				t.Errorf("revoke %q: %v, want not found", id, err)
			}
		}
		if n := sessionCount(t, db); n != 2 {
			t.Fatalf("%d sessions left after wildcard ids, want 2", n)
		}
		if err := db.RevokeSession(ctx, list[1].ID); err != nil {
			t.Fatal(err)
		}
		after, _ := db.ActiveSessions(ctx)
		if len(after) != 1 || after[0].ID != list[0].ID {
			t.Fatalf("after revoking %s: %v", list[1].ID, after)
		}
	})
}

// TestSessionIdleExpiry: a session row expires idle after its last-seen
// time, which scs no longer rewrites on every request; one nobody signed
// in to (a pending second factor) lasts minutes.
func TestSessionIdleExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		long := time.Now().Add(-store.DefaultIdleTimeout - time.Minute).Unix()
		commitSeen(t, db, "idle", map[string]any{store.SessionUserID: int64(1), store.SessionSeen: long})
		commitSeen(t, db, "fresh", map[string]any{store.SessionUserID: int64(1), store.SessionSeen: time.Now().Unix()})
		commitSeen(t, db, "pending", map[string]any{"totp_pending": int64(1)})
		if _, found, err := db.Sessions().FindCtx(ctx, "idle"); found || err != nil {
			t.Fatalf("a session idle for %v is found (%v)", store.DefaultIdleTimeout, err)
		}
		if _, found, _ := db.Sessions().FindCtx(ctx, "fresh"); !found {
			t.Fatal("a fresh session is not found")
		}
		var expiry time.Time
		if err := db.SQL().QueryRow(`SELECT expiry FROM sessions WHERE user_id IS NULL`).Scan(&expiry); err != nil {
			t.Fatal(err)
		}
		if time.Until(expiry) > store.PreAuthLifetime {
			t.Fatalf("a pending session lasts until %v", expiry)
		}
	})
}

// TestSessionUserReadWithTheSession: under WithSessionUser, finding a
// session reads its signed-in user too, the same user and lane FindActor
// reads; a session of nobody, an expired one or another user's id gives
// nothing to use.
func TestSessionUserReadWithTheSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		u := &taotai.User{Username: "clerk", Role: taotai.RoleCityClerk, RegionCode: "210300", Sector: taotai.SectorNonCoal}
		if err := db.CreateUser(bg, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		commitSession(t, db, "signed-in", u.ID)
		commitSeen(t, db, "pending", map[string]any{"totp_pending": int64(1)})
		long := time.Now().Add(-store.DefaultIdleTimeout - time.Minute).Unix()
		commitSeen(t, db, "idle", map[string]any{store.SessionUserID: u.ID, store.SessionSeen: long})

		ctx := store.WithSessionUser(bg)
		if _, found, err := db.Sessions().FindCtx(ctx, "signed-in"); !found || err != nil {
			t.Fatalf("session not found: %v", err)
		}
		got, a, ok := store.SessionUser(ctx, u.ID)
		if !ok {
			t.Fatal("the session's user was not read with it")
		}
		want, wantActor, err := db.FindActor(bg, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *got != *want || *a != *wantActor || a.RegionPath != "/210000/210300/" {
			t.Fatalf("read with the session: %+v %+v\nFindActor: %+v %+v", got, a, want, wantActor)
		}
		if _, _, ok := store.SessionUser(ctx, u.ID+1); ok {
			t.Fatal("the user read with the session is given for another id")
		}
		for _, token := range []string{"pending", "idle", "unknown"} {
			ctx := store.WithSessionUser(bg)
			if _, _, err := db.Sessions().FindCtx(ctx, token); err != nil {
				t.Fatal(err)
			}
			if _, _, ok := store.SessionUser(ctx, u.ID); ok {
				t.Fatalf("session %q gives a user", token)
			}
		}
		if _, _, ok := store.SessionUser(bg, u.ID); ok {
			t.Fatal("a user without WithSessionUser")
		}
	})
}
