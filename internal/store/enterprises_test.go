package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// Regions used by the tests: 鞍山 (non-coal), 阜新 (a coal city).
const (
	anshan  = "210300"
	tiedong = "210302" // 鞍山市铁东区
	fuxin   = "210900"
	haizhou = "210902" // 阜新市海州区
)

func industryID(t testing.TB, db *store.DB, key string) int64 {
	t.Helper()
	inds, err := db.Industries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range inds {
		if i.Key == key {
			return i.ID
		}
	}
	t.Fatalf("no industry %q", key)
	return 0
}

var codeSeq int

// newCode returns a fresh valid credit code.
func newCode() string {
	codeSeq++
	first := fmt.Sprintf("912103%011d", codeSeq)
	return first + string(taotai.USCCCheckDigit(first))
}

func mustCreate(t testing.TB, db *store.DB, region, industry string) *taotai.Enterprise {
	t.Helper()
	e := &taotai.Enterprise{Name: "测试企业" + region + industry, CreditCode: newCode(), Address: "某路1号",
		RegionCode: region, IndustryID: industryID(t, db, industry), ProductionState: taotai.StateNormal}
	if industry == "coal" {
		e.CoalOverride = "测试：煤矿可在任一地区" // an administrator's reason, needed outside the 产煤市
	}
	if err := db.CreateEnterprise(storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, ""), e, false); err != nil {
		t.Fatalf("create: %v", err)
	}
	return e
}

// TestEnterpriseLanes walks role × own/other region × own/other sector ×
// read/write on both databases: outside the lane a record does not exist.
func TestEnterpriseLanes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		own := mustCreate(t, db, tiedong, "steel")       // 鞍山, non-coal
		otherCity := mustCreate(t, db, haizhou, "steel") // 阜新, non-coal
		coal := mustCreate(t, db, haizhou, "coal")       // 阜新, coal
		type want struct{ read, write string }           // "" = allowed, else error code
		tests := []struct {
			role, region, sector string
			target               *taotai.Enterprise
			want                 want
		}{
			{taotai.RoleCityClerk, anshan, taotai.SectorNonCoal, own, want{"", ""}},
			{taotai.RoleCityClerk, anshan, taotai.SectorNonCoal, otherCity, want{taotai.ENOTFOUND, taotai.ENOTFOUND}},
			{taotai.RoleCityClerk, fuxin, taotai.SectorNonCoal, coal, want{taotai.ENOTFOUND, taotai.ENOTFOUND}},
			{taotai.RoleCityClerk, fuxin, taotai.SectorCoal, coal, want{"", ""}},
			{taotai.RoleCityClerk, fuxin, taotai.SectorCoal, otherCity, want{taotai.ENOTFOUND, taotai.ENOTFOUND}},
			{taotai.RoleCityApprover, anshan, taotai.SectorNonCoal, own, want{"", ""}},
			{taotai.RoleCityApprover, anshan, taotai.SectorNonCoal, otherCity, want{taotai.ENOTFOUND, taotai.ENOTFOUND}},
			{taotai.RoleInspector, tiedong, taotai.SectorNonCoal, own, want{"", taotai.EFORBIDDEN}},
			{taotai.RoleInspector, tiedong, taotai.SectorNonCoal, otherCity, want{taotai.ENOTFOUND, taotai.ENOTFOUND}},
			{taotai.RoleInspector, "210303", taotai.SectorNonCoal, own, want{taotai.ENOTFOUND, taotai.ENOTFOUND}}, // 铁西区 inspector, 铁东区 record
			{taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal, otherCity, want{"", taotai.EFORBIDDEN}},
			{taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal, coal, want{taotai.ENOTFOUND, taotai.ENOTFOUND}},
			{taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorCoal, coal, want{"", taotai.EFORBIDDEN}},
			{taotai.RolePartner, anshan, "", own, want{"", taotai.EFORBIDDEN}},
			{taotai.RolePartner, anshan, "", otherCity, want{taotai.ENOTFOUND, taotai.ENOTFOUND}},
			{taotai.RoleAdmin, taotai.ProvinceCode, "", coal, want{"", ""}},
			{taotai.RoleAdmin, taotai.ProvinceCode, "", own, want{"", ""}},
		}
		for _, tt := range tests {
			name := fmt.Sprintf("%s@%s/%s→%s", tt.role, tt.region, tt.sector, tt.target.Name)
			t.Run(name, func(t *testing.T) {
				ctx := storetest.ActorContext(db, tt.role, tt.region, tt.sector)
				got, err := db.FindEnterprise(ctx, tt.target.ID)
				if code := taotai.ErrorCode(err); code != tt.want.read {
					t.Fatalf("read: code %q, want %q (%v)", code, tt.want.read, err)
				}
				// The list must agree with the single read.
				list, _, err := db.FindEnterprises(ctx, taotai.EnterpriseFilter{Q: tt.target.CreditCode})
				if err != nil {
					t.Fatal(err)
				}
				if (len(list) == 1) != (tt.want.read == "") {
					t.Fatalf("list shows %d records, read allowed: %v", len(list), tt.want.read == "")
				}
				upd := *tt.target
				if got != nil {
					upd = *got
				}
				upd.ContactPhone = "024-12345678"
				saved, err := db.UpdateEnterprise(ctx, &upd, false)
				if code := taotai.ErrorCode(err); code != tt.want.write {
					t.Fatalf("write: code %q, want %q (%v)", code, tt.want.write, err)
				}
				if err == nil {
					if saved.ContactPhone != "024-12345678" || saved.Version != upd.Version+1 {
						t.Fatalf("saved %+v", saved)
					}
					*tt.target = *saved
				}
			})
		}
	})
}

func TestCreateEnterpriseBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		existing := mustCreate(t, db, tiedong, "steel")
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		steel := industryID(t, db, "steel")
		tests := []struct {
			name  string
			e     taotai.Enterprise
			code  string
			field string
		}{
			{"invalid credit code", taotai.Enterprise{Name: "甲", CreditCode: "123", Address: "甲路", RegionCode: tiedong, IndustryID: steel, ProductionState: "normal"}, taotai.EINVALID, "credit_code"},
			{"unknown region", taotai.Enterprise{Name: "甲", CreditCode: newCode(), Address: "甲路", RegionCode: "219999", IndustryID: steel, ProductionState: "normal"}, taotai.EINVALID, "region"},
			{"region of another city", taotai.Enterprise{Name: "甲", CreditCode: newCode(), Address: "甲路", RegionCode: haizhou, IndustryID: steel, ProductionState: "normal"}, taotai.EINVALID, "region"},
			{"city instead of county", taotai.Enterprise{Name: "甲", CreditCode: newCode(), Address: "甲路", RegionCode: anshan, IndustryID: steel, ProductionState: "normal"}, taotai.EINVALID, "region"},
			{"unknown industry", taotai.Enterprise{Name: "甲", CreditCode: newCode(), Address: "甲路", RegionCode: tiedong, IndustryID: 9999, ProductionState: "normal"}, taotai.EINVALID, "industry"},
			{"industry of the other sector", taotai.Enterprise{Name: "甲", CreditCode: newCode(), Address: "甲路", RegionCode: tiedong, IndustryID: industryID(t, db, "coal"), ProductionState: "normal"}, taotai.EINVALID, "industry"},
			{"empty name", taotai.Enterprise{Name: "", CreditCode: newCode(), Address: "甲路", RegionCode: tiedong, IndustryID: steel, ProductionState: "normal"}, taotai.EINVALID, "name"},
			{"duplicate credit code", taotai.Enterprise{Name: "乙", CreditCode: existing.CreditCode, Address: "乙路", RegionCode: tiedong, IndustryID: steel, ProductionState: "normal"}, taotai.ECONFLICT, "credit_code"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, before, _ := db.FindEnterprises(clerk, taotai.EnterpriseFilter{})
				e := tt.e
				err := db.CreateEnterprise(clerk, &e, false)
				if taotai.ErrorCode(err) != tt.code {
					t.Fatalf("code %q, want %q (%v)", taotai.ErrorCode(err), tt.code, err)
				}
				var appErr *taotai.Error
				if ok := asError(err, &appErr); !ok || appErr.Fields[tt.field] == "" {
					t.Fatalf("want a message on field %s, got %+v", tt.field, err)
				}
				_, after, _ := db.FindEnterprises(clerk, taotai.EnterpriseFilter{})
				if after != before {
					t.Fatalf("records changed from %d to %d", before, after)
				}
			})
		}
	})
}

func TestUpdateEnterpriseStaleVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := mustCreate(t, db, tiedong, "cement")
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		first, second := *e, *e
		first.Address = "第一次修改"
		if _, err := db.UpdateEnterprise(clerk, &first, false); err != nil {
			t.Fatal(err)
		}
		second.Address = "第二次修改"
		if _, err := db.UpdateEnterprise(clerk, &second, false); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("second edit: %v, want ECONFLICT", err)
		}
		got, _ := db.FindEnterprise(clerk, e.ID)
		if got.Address != "第一次修改" {
			t.Fatalf("address %q: the first edit was lost", got.Address)
		}
	})
}

func TestFindEnterprisesFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		a := mustCreate(t, db, tiedong, "steel")
		b := mustCreate(t, db, "210303", "cement")
		c := mustCreate(t, db, haizhou, "coal")
		b.ProductionState = taotai.StateStopped
		if _, err := db.UpdateEnterprise(admin, b, false); err != nil {
			t.Fatal(err)
		}
		if err := db.SetKeyListed(admin, 2020, a.ID, true, "正常生产"); err != nil {
			t.Fatal(err)
		}
		ids := func(f taotai.EnterpriseFilter) []int64 {
			list, total, err := db.FindEnterprises(admin, f)
			if err != nil {
				t.Fatal(err)
			}
			if total != len(list) {
				t.Fatalf("total %d, page %d", total, len(list))
			}
			var out []int64
			for _, e := range list {
				out = append(out, e.ID)
			}
			return out
		}
		tests := []struct {
			name string
			f    taotai.EnterpriseFilter
			want []int64
		}{
			{"all", taotai.EnterpriseFilter{}, []int64{a.ID, b.ID, c.ID}},
			{"city subtree", taotai.EnterpriseFilter{RegionCode: anshan}, []int64{a.ID, b.ID}},
			{"industry", taotai.EnterpriseFilter{IndustryID: industryID(t, db, "coal")}, []int64{c.ID}},
			{"production state", taotai.EnterpriseFilter{ProductionState: taotai.StateStopped}, []int64{b.ID}},
			{"key list year", taotai.EnterpriseFilter{KeyYear: 2020}, []int64{a.ID}},
			{"name substring in the middle", taotai.EnterpriseFilter{Q: "企业210303"}, []int64{b.ID}},
			{"credit code tail, lower case", taotai.EnterpriseFilter{Q: strings.ToLower(c.CreditCode[12:])}, []int64{c.ID}},
			{"LIKE metacharacters are literal", taotai.EnterpriseFilter{Q: "%"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := ids(tt.f)
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			})
		}
		page, total, err := db.FindEnterprises(admin, taotai.EnterpriseFilter{Limit: 2, Offset: 2})
		if err != nil || total != 3 || len(page) != 1 || page[0].ID != c.ID {
			t.Fatalf("page 2: %v, total %d, err %v", page, total, err)
		}
	})
}

func TestKeyListLanes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		own := mustCreate(t, db, tiedong, "glass")
		other := mustCreate(t, db, haizhou, "glass")
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		if err := db.SetKeyListed(clerk, 2020, own.ID, true, "局部生产"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetKeyListed(clerk, 2020, other.ID, true, "x"); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("listing another city's enterprise: %v", err)
		}
		if err := db.SetKeyListed(clerk, 2031, own.ID, true, "x"); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("unknown year: %v", err)
		}
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		if err := db.SetKeyListed(admin, 2020, other.ID, true, "停产"); err != nil {
			t.Fatal(err)
		}
		list, err := db.KeyList(clerk, 2020, "")
		if err != nil || len(list) != 1 || list[0].Enterprise.ID != own.ID || list[0].Note != "局部生产" {
			t.Fatalf("clerk's key list: %v %v", list, err)
		}
		all, err := db.KeyList(admin, 2020, "")
		if err != nil || len(all) != 2 {
			t.Fatalf("admin's key list: %d %v", len(all), err)
		}
		got, _ := db.FindEnterprise(clerk, own.ID)
		if fmt.Sprint(got.KeyYears) != "[2020]" {
			t.Fatalf("key years %v", got.KeyYears)
		}
	})
}

// TestMovedEnterpriseChangesLane: the lane copied onto the row follows an
// edit of the region.
func TestMovedEnterpriseChangesLane(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := mustCreate(t, db, tiedong, "steel")
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		e.RegionCode = haizhou
		if _, err := db.UpdateEnterprise(admin, e, false); err != nil {
			t.Fatal(err)
		}
		anshanClerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		fuxinClerk := storetest.ActorContext(db, taotai.RoleCityClerk, fuxin, taotai.SectorNonCoal)
		if _, err := db.FindEnterprise(anshanClerk, e.ID); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("鞍山 still sees it: %v", err)
		}
		if got, err := db.FindEnterprise(fuxinClerk, e.ID); err != nil || got.CityName != "阜新市" {
			t.Fatalf("阜新 does not see it: %v %v", got, err)
		}
		if _, n, _ := db.FindEnterprises(fuxinClerk, taotai.EnterpriseFilter{}); n != 1 {
			t.Fatalf("阜新's list has %d", n)
		}
	})
}

// TestNameSearchIndex searches names by parts of two, one and many
// characters, before and after a rename, and compares each answer with a
// recount over the names themselves: the bigram index (migration 00018)
// must find every name LIKE finds, no more. After the test storetest checks
// the index against the names (LaneMismatches).
func TestNameSearchIndex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		names := []string{"鞍山宏达钢铁有限公司", "鞍钢集团矿业公司", "本溪钢铁（集团）有限责任公司", "辽宁鞍钢股份", "宏达水泥", "Ａ钢铁ABC公司"}
		var all []*taotai.Enterprise
		for _, n := range names {
			e := mustCreate(t, db, tiedong, "steel")
			e.Name = n
			if _, err := db.UpdateEnterprise(admin, e, false); err != nil {
				t.Fatal(err)
			}
			stored, err := db.FindEnterprise(admin, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, stored)
		}
		check := func(q string) {
			t.Helper()
			var want []int64
			for _, e := range all {
				if strings.Contains(e.Name, taotai.FoldWidth(q)) {
					want = append(want, e.ID)
				}
			}
			list, total, err := db.FindEnterprises(admin, taotai.EnterpriseFilter{Q: q, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, e := range list {
				got = append(got, e.ID)
			}
			slices.Sort(got)
			if total != len(want) || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("q %q: %d %v, the names hold %v", q, total, got, want)
			}
		}
		for _, q := range []string{"鞍钢", "钢铁", "宏达", "鞍", "鞍钢集团矿业公司", "钢集团矿", "鞍钢X", "ABC", "BC公", "（集团）", "Ａ钢", "司"} {
			check(q)
		}
		all[4].Name = "鞍钢水泥"
		if _, err := db.UpdateEnterprise(admin, all[4], false); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"鞍钢", "宏达", "水泥", "钢水"} {
			check(q)
		}
	})
}

// TestHistoryKeyYears: the enterprise page's History gives the key-list
// years newest first, as FindEnterprise does, and a listing of each on the
// timeline.
func TestHistoryKeyYears(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		e := mustCreate(t, db, tiedong, "steel")
		if err := db.CreateCampaignYear(admin, 2021, 2020, "2021年度工作"); err != nil {
			t.Fatal(err)
		}
		for _, y := range []int{2021, 2020} {
			if err := db.SetKeyListed(admin, y, e.ID, true, ""); err != nil {
				t.Fatal(err)
			}
		}
		found, err := db.FindEnterprise(admin, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		hist, err := db.History(admin, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(hist.Enterprise.KeyYears) != "[2021 2020]" || fmt.Sprint(found.KeyYears) != "[2021 2020]" {
			t.Errorf("key years: History %v, FindEnterprise %v", hist.Enterprise.KeyYears, found.KeyYears)
		}
		listed := 0
		for _, it := range hist.Timeline {
			if it.Kind == "listing" {
				listed++
			}
		}
		if listed != 2 {
			t.Errorf("%d listings on the timeline, want 2", listed)
		}
	})
}
