package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// commitSession stores a signed-in session of user id under token.
func commitSession(t *testing.T, db *store.DB, token string, id int64) {
	t.Helper()
	b, err := scs.GobCodec{}.Encode(time.Now().Add(time.Hour), map[string]any{store.SessionUserID: id})
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
