package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

func auditEntries(t *testing.T, db *store.DB, f taotai.AuditFilter) []*taotai.AuditEntry {
	t.Helper()
	f.Limit = 1000
	list, _, err := db.FindAudit(storetest.ActorContext(db, taotai.RoleAuditor, taotai.ProvinceCode, ""), f)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestAuditRecordsWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := taotai.WithClientAddr(storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal), "10.1.2.3")
		e := &taotai.Enterprise{Name: "审计测试钢铁有限公司", CreditCode: newCode(), Address: "甲路1号", RegionCode: tiedong,
			IndustryID: industryID(t, db, "steel"), ProductionState: taotai.StateNormal}
		if err := db.CreateEnterprise(ctx, e, false); err != nil {
			t.Fatal(err)
		}
		upd := *e
		upd.Address = "乙路2号"
		if _, err := db.UpdateEnterprise(ctx, &upd, false); err != nil {
			t.Fatal(err)
		}
		// Failed writes leave no trace but their refusal.
		stale := *e
		stale.Address = "丙路3号"
		if _, err := db.UpdateEnterprise(ctx, &stale, false); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatal(err)
		}
		bad := *e
		bad.ID, bad.CreditCode = 0, "123"
		db.CreateEnterprise(ctx, &bad, false)
		if err := db.SetKeyListed(ctx, 2020, e.ID, true, "正常生产"); err != nil {
			t.Fatal(err)
		}
		list := auditEntries(t, db, taotai.AuditFilter{Entity: "enterprise", EntityID: fmt.Sprint(e.ID)})
		if len(list) != 2 {
			t.Fatalf("%d entries for the enterprise, want 2", len(list))
		}
		u, c := list[0], list[1] // newest first
		if c.Action != taotai.AuditCreate || c.Before != "" || !strings.Contains(c.After, "甲路1号") {
			t.Fatalf("create entry: %+v", c)
		}
		if u.Action != taotai.AuditUpdate || !strings.Contains(u.Before, "甲路1号") || !strings.Contains(u.After, "乙路2号") {
			t.Fatalf("update entry: %+v", u)
		}
		var after map[string]any
		if err := json.Unmarshal([]byte(u.After), &after); err != nil || after["version"] != float64(2) {
			t.Fatalf("after is not the saved record: %s", u.After)
		}
		if u.Username != "city_clerk@210300" || u.Role != taotai.RoleCityClerk || u.Addr != "10.1.2.3" || u.RegionPath != "/210000/210300/210302/" {
			t.Fatalf("who/where: %+v", u)
		}
		if kl := auditEntries(t, db, taotai.AuditFilter{Entity: "key_list"}); len(kl) != 1 || !strings.Contains(kl[0].After, "正常生产") {
			t.Fatalf("key list entries: %v", kl)
		}
		if _, br, err := db.VerifyAudit(context.Background()); err != nil || br != nil {
			t.Fatalf("verify: %v %v", br, err)
		}
	})
}

func TestAuditFindNeedsRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, role := range []string{taotai.RoleCityClerk, taotai.RoleProvinceReviewer, taotai.RolePartner} {
			_, _, err := db.FindAudit(storetest.ActorContext(db, role, taotai.ProvinceCode, ""), taotai.AuditFilter{})
			if taotai.ErrorCode(err) != taotai.EFORBIDDEN {
				t.Errorf("%s reads the audit trail: %v", role, err)
			}
		}
	})
}

// TestAuditChainDetectsTampering alters, then deletes, an entry behind the
// append-only guard and expects verify to name the first broken link.
func TestAuditChainDetectsTampering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for i := 0; i < 5; i++ {
			mustCreate(t, db, tiedong, "steel")
		}
		ctx := context.Background()
		n, br, err := db.VerifyAudit(ctx)
		if err != nil || br != nil || n != 5 {
			t.Fatalf("before: %d %v %v", n, br, err)
		}
		// The guard refuses plain changes.
		if _, err := db.SQL().Exec(`UPDATE audit_log SET note = 'x' WHERE seq = 3`); err == nil {
			t.Fatal("audit_log accepted an UPDATE")
		}
		if _, err := db.SQL().Exec(`DELETE FROM audit_log WHERE seq = 3`); err == nil {
			t.Fatal("audit_log accepted a DELETE")
		}
		tamper := func(stmt string) {
			t.Helper()
			var err error
			if db.Dialect() == store.Postgres {
				_, err = db.SQL().Exec(`ALTER TABLE audit_log DISABLE TRIGGER USER; ` + stmt + `; ALTER TABLE audit_log ENABLE TRIGGER USER`)
			} else {
				_, err = db.SQL().Exec(`DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; ` + stmt)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		tamper(`UPDATE audit_log SET after = replace(after, '某路1号', '某路9号') WHERE seq = 3`)
		_, br, err = db.VerifyAudit(ctx)
		if err != nil || br == nil || br.Seq != 3 || !strings.Contains(br.Reason, "被修改") {
			t.Fatalf("altered row: %+v %v", br, err)
		}
		tamper(`DELETE FROM audit_log WHERE seq = 2`)
		_, br, _ = db.VerifyAudit(ctx)
		if br == nil || br.Seq != 3 || !strings.Contains(br.Reason, "序号不连续") {
			t.Fatalf("deleted row: %+v", br)
		}
	})
}

// TestAuditChainUnderConcurrentWrites: writers in parallel still build one
// unbroken chain with one entry per write.
func TestAuditChainUnderConcurrentWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		steel := industryID(t, db, "steel")
		var wg sync.WaitGroup
		var mu sync.Mutex
		var codes []string
		for i := 0; i < 20; i++ {
			mu.Lock()
			codes = append(codes, newCode())
			mu.Unlock()
		}
		errs := make(chan error, 20)
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				ctx := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
				e := &taotai.Enterprise{Name: fmt.Sprintf("并发企业%d", i), CreditCode: codes[i], Address: "某路", RegionCode: tiedong,
					IndustryID: steel, ProductionState: taotai.StateNormal}
				errs <- db.CreateEnterprise(ctx, e, false)
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		n, br, err := db.VerifyAudit(context.Background())
		if err != nil || br != nil || n != 20 {
			t.Fatalf("chain after concurrent writes: %d entries, break %v, err %v", n, br, err)
		}
	})
}

func TestBulkCreateIsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		steel := industryID(t, db, "steel")
		var list []*taotai.Enterprise
		for i := 0; i < 30; i++ {
			list = append(list, &taotai.Enterprise{Name: fmt.Sprintf("批量企业%d", i), CreditCode: newCode(), Address: "某路",
				RegionCode: tiedong, IndustryID: steel, ProductionState: taotai.StateNormal})
		}
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		err := db.BulkCreateEnterprises(admin, list, 2020, func(e *taotai.Enterprise) (string, bool) { return "正常生产", e.Name != "批量企业0" })
		if err != nil {
			t.Fatal(err)
		}
		if got := auditEntries(t, db, taotai.AuditFilter{Entity: "enterprise"}); len(got) != 30 {
			t.Fatalf("%d enterprise entries, want 30", len(got))
		}
		if got := auditEntries(t, db, taotai.AuditFilter{Entity: "key_list"}); len(got) != 29 {
			t.Fatalf("%d key list entries, want 29", len(got))
		}
		if n, br, err := db.VerifyAudit(context.Background()); n != 59 || br != nil || err != nil {
			t.Fatalf("verify: %d %v %v", n, br, err)
		}
	})
}
