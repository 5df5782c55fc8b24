package store_test

import (
	"context"
	"crypto/ed25519"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// signedCheckpoint takes and signs a checkpoint of db's head.
func signedCheckpoint(t *testing.T, db *store.DB, priv ed25519.PrivateKey) *taotai.AuditCheckpoint {
	t.Helper()
	c, err := db.AuditCheckpoint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c.Sign(priv)
	return c
}

// checkAudit is what `taotai audit verify --checkpoint` decides: the chain
// unbroken, and the checkpoint's entry still in it. It returns the reason
// of the first failure, "" when all holds.
func checkAudit(t *testing.T, db *store.DB, c *taotai.AuditCheckpoint, pub ed25519.PublicKey) string {
	t.Helper()
	ctx := context.Background()
	if _, br, err := db.VerifyAudit(ctx); err != nil || br != nil {
		if err != nil {
			t.Fatal(err)
		}
		return br.Reason
	}
	if err := c.Verify(pub); err != nil {
		return taotai.ErrorMessage(err)
	}
	br, err := db.CheckAuditCheckpoint(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if br != nil {
		return br.Reason
	}
	return ""
}

// TestAuditCheckpointCatchesRewrites: each rewrite of the trail that
// VerifyAudit alone accepts is caught by a checkpoint kept outside the
// database, while the honest chain, grown past the checkpoint, passes.
func TestAuditCheckpointCatchesRewrites(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	setup := func(t *testing.T, db *store.DB) *taotai.AuditCheckpoint {
		for i := 0; i < 5; i++ {
			mustCreate(t, db, tiedong, "steel")
		}
		c := signedCheckpoint(t, db, priv)
		if c.Seq != 5 || c.EntryAt.IsZero() {
			t.Fatalf("checkpoint of 5 entries: %+v", c)
		}
		mustCreate(t, db, tiedong, "steel") // the trail grows after the checkpoint
		return c
	}
	t.Run("honest chain grown past it", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, db *store.DB) {
			c := setup(t, db)
			if got := checkAudit(t, db, c, pub); got != "" {
				t.Fatalf("honest chain refused: %s", got)
			}
			// A checkpoint of the current head passes too.
			if got := checkAudit(t, db, signedCheckpoint(t, db, priv), pub); got != "" {
				t.Fatalf("checkpoint of the head refused: %s", got)
			}
		})
	})
	t.Run("last entries deleted", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, db *store.DB) {
			c := setup(t, db)
			storetest.DropAuditGuard(t, db.SQL(), db.Dialect())
			if _, err := db.SQL().Exec(`DELETE FROM audit_log WHERE seq >= 4`); err != nil {
				t.Fatal(err)
			}
			if n, br, err := db.VerifyAudit(context.Background()); n != 3 || br != nil || err != nil {
				t.Fatalf("the chain alone should still verify: %d %v %v", n, br, err)
			}
			if got := checkAudit(t, db, c, pub); !strings.Contains(got, "现只到第3条") || !strings.Contains(got, "被删除") {
				t.Fatalf("deleted tail: %q", got)
			}
		})
	})
	t.Run("last entries deleted and written again", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, db *store.DB) {
			c := setup(t, db)
			storetest.DropAuditGuard(t, db.SQL(), db.Dialect())
			if _, err := db.SQL().Exec(`DELETE FROM audit_log WHERE seq >= 4`); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 3; i++ {
				mustCreate(t, db, tiedong, "steel")
			}
			if got := checkAudit(t, db, c, pub); !strings.Contains(got, "哈希值与检查点记载的不符") {
				t.Fatalf("tail replaced: %q", got)
			}
		})
	})
	t.Run("entry changed and chain recomputed", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, db *store.DB) {
			c := setup(t, db)
			storetest.DropAuditGuard(t, db.SQL(), db.Dialect())
			if _, err := db.SQL().Exec(`UPDATE audit_log SET after = replace(after, '某路1号', '某路9号') WHERE seq = 2`); err != nil {
				t.Fatal(err)
			}
			if _, br, _ := db.VerifyAudit(context.Background()); br == nil || br.Seq != 2 {
				t.Fatalf("the change itself should break the chain at 2: %+v", br)
			}
			storetest.RechainAudit(t, db.SQL(), db.Dialect())
			if n, br, err := db.VerifyAudit(context.Background()); n != 6 || br != nil || err != nil {
				t.Fatalf("the recomputed chain alone should verify: %d %v %v", n, br, err)
			}
			if got := checkAudit(t, db, c, pub); !strings.Contains(got, "第5条记录的哈希值与检查点记载的不符") {
				t.Fatalf("recomputed chain: %q", got)
			}
		})
	})
	t.Run("checkpoint forged without the key", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, db *store.DB) {
			c := setup(t, db)
			// Having deleted the tail, the attacker makes a checkpoint
			// that matches what is left, with a key of their own…
			storetest.DropAuditGuard(t, db.SQL(), db.Dialect())
			if _, err := db.SQL().Exec(`DELETE FROM audit_log WHERE seq >= 4`); err != nil {
				t.Fatal(err)
			}
			_, theirs, _ := ed25519.GenerateKey(nil)
			forged := signedCheckpoint(t, db, theirs)
			if got := checkAudit(t, db, forged, pub); !strings.Contains(got, "签名无效") {
				t.Fatalf("checkpoint signed with another key: %q", got)
			}
			// …or edits the kept one down to the head that is left.
			forged = &taotai.AuditCheckpoint{}
			*forged = *c
			head, err := db.AuditCheckpoint(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			forged.Seq, forged.Hash, forged.EntryAt = head.Seq, head.Hash, head.EntryAt
			if got := checkAudit(t, db, forged, pub); !strings.Contains(got, "签名无效") {
				t.Fatalf("edited checkpoint: %q", got)
			}
		})
	})
}

// TestAuditCheckpointEmptyTrail: a checkpoint of an empty trail names the
// genesis and holds for any chain grown from it.
func TestAuditCheckpointEmptyTrail(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := signedCheckpoint(t, db, priv)
		if c.Seq != 0 || c.Hash != taotai.GenesisHash || !c.EntryAt.IsZero() {
			t.Fatalf("empty trail: %+v", c)
		}
		mustCreate(t, db, tiedong, "steel")
		if got := checkAudit(t, db, c, pub); got != "" {
			t.Fatal(got)
		}
	})
}
