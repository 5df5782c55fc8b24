package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// bulkList returns n valid enterprises spread over two cities and the
// non-coal and coal industries.
func bulkList(t *testing.T, db *store.DB, n int) []*taotai.Enterprise {
	t.Helper()
	steel, coal := industryID(t, db, "steel"), industryID(t, db, "coal")
	list := make([]*taotai.Enterprise, n)
	for i := range list {
		e := &taotai.Enterprise{Name: fmt.Sprintf("批量测试企业%04d有限公司", i), CreditCode: newCode(),
			Address: fmt.Sprintf("建设路%d号", i+1), RegionCode: tiedong, IndustryID: steel,
			ProductionState: taotai.ProductionStates[i%3], LegalRep: "张三", ContactPhone: "0412-2345678"}
		if i%4 == 0 {
			e.RegionCode, e.IndustryID = haizhou, coal
		}
		list[i] = e
	}
	return list
}

func TestBulkCreateEnterprises(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		count := func() (enterprises, listed int) {
			t.Helper()
			_, total, err := db.FindEnterprises(admin, taotai.EnterpriseFilter{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			kl, err := db.KeyList(admin, 2020, "")
			if err != nil {
				t.Fatal(err)
			}
			return total, len(kl)
		}
		note := func(e *taotai.Enterprise) (string, bool) { return taotai.ProductionStateName(e.ProductionState), true }

		// Refused: no actor, and a role other than admin.
		if err := db.BulkCreateEnterprises(context.Background(), bulkList(t, db, 2), 2020, note); taotai.ErrorCode(err) != taotai.EUNAUTH {
			t.Fatalf("no actor: %v", err)
		}
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		if err := db.BulkCreateEnterprises(clerk, bulkList(t, db, 2), 2020, note); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Fatalf("clerk: %v", err)
		}

		// A bad row anywhere: nothing is written, and the message names it.
		bad := bulkList(t, db, 500)
		bad[299].CreditCode = "91210300241471030"
		err := db.BulkCreateEnterprises(admin, bad, 2020, note)
		if taotai.ErrorCode(err) != taotai.EINVALID || !strings.Contains(taotai.ErrorMessage(err), "第300条") {
			t.Fatalf("invalid credit code: %v", err)
		}
		if n, k := count(); n != 0 || k != 0 {
			t.Fatalf("after a rejected call: %d enterprises, %d listed", n, k)
		}

		list := bulkList(t, db, 500)
		if err := db.BulkCreateEnterprises(admin, list, 2020, note); err != nil {
			t.Fatal(err)
		}
		if n, k := count(); n != 500 || k != 500 {
			t.Fatalf("got %d enterprises, %d listed; want 500, 500", n, k)
		}
		// Every id is set and belongs to its own row.
		stored := map[int64]*taotai.Enterprise{}
		page, _, err := db.FindEnterprises(admin, taotai.EnterpriseFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page {
			stored[e.ID] = e
		}
		for i, e := range list {
			got := stored[e.ID]
			if e.ID == 0 || got == nil || got.Name != e.Name || got.CreditCode != e.CreditCode || got.Version != 1 || e.Version != 1 {
				t.Fatalf("row %d: id %d holds %+v", i, e.ID, got)
			}
		}
		kl, err := db.KeyList(admin, 2020, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range kl {
			if want := taotai.ProductionStateName(stored[k.Enterprise.ID].ProductionState); k.Note != want {
				t.Fatalf("%s: note %q, want %q", k.Enterprise.Name, k.Note, want)
			}
		}

		// A credit code already in the database breaks the last chunk:
		// the chunks before it are rolled back too.
		dup := bulkList(t, db, 450)
		dup[440].CreditCode = list[7].CreditCode
		err = db.BulkCreateEnterprises(admin, dup, 2020, note)
		if taotai.ErrorCode(err) != taotai.ECONFLICT || !strings.Contains(taotai.ErrorMessage(err), "统一社会信用代码") {
			t.Fatalf("duplicate credit code: %v", err)
		}
		if n, k := count(); n != 500 || k != 500 {
			t.Fatalf("after a failed call: %d enterprises, %d listed; want 500, 500", n, k)
		}

		// Without a key year, nothing is listed; an unknown year is refused.
		more := bulkList(t, db, 3)
		if err := db.BulkCreateEnterprises(admin, more, 0, nil); err != nil {
			t.Fatal(err)
		}
		if n, k := count(); n != 503 || k != 500 {
			t.Fatalf("without key year: %d enterprises, %d listed", n, k)
		}
		if err := db.BulkCreateEnterprises(admin, bulkList(t, db, 3), 2031, nil); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("unknown key year: %v", err)
		}

		// One call, a choice per row: only the rows keyNote lists go on the
		// key list, each with its note, and only they carry the year.
		mixed := bulkList(t, db, 700)
		choice := map[*taotai.Enterprise]bool{}
		wantListed := 0
		for i, e := range mixed {
			choice[e] = i%3 != 0
			if choice[e] {
				wantListed++
			}
		}
		half := func(e *taotai.Enterprise) (string, bool) { return "第二批", choice[e] }
		if err := db.BulkCreateEnterprises(admin, mixed, 2020, half); err != nil {
			t.Fatal(err)
		}
		if n, k := count(); n != 1203 || k != 500+wantListed {
			t.Fatalf("mixed listing: %d enterprises, %d listed; want 1203, %d", n, k, 500+wantListed)
		}
		kl, err = db.KeyList(admin, 2020, "")
		if err != nil {
			t.Fatal(err)
		}
		onList := map[int64]string{}
		for _, k := range kl {
			onList[k.Enterprise.ID] = k.Note
		}
		for _, e := range mixed {
			want := choice[e]
			note, got := onList[e.ID]
			if got != want || (want && note != "第二批") || (len(e.KeyYears) == 1) != want {
				t.Fatalf("%s: on list %v (note %q, key years %v), want %v", e.Name, got, note, e.KeyYears, want)
			}
		}
	})
}
