package store_test

import (
	"strings"
	"testing"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestBulkCoalRule: the bulk loader refuses a 煤炭 enterprise outside the
// coal-producing cities, naming the row, with nothing written; with an
// administrator's reason it is registered and keeps the reason.
func TestBulkCoalRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		list := bulkList(t, db, 5) // rows 1 and 5: coal in 阜新, a coal-producing city
		list[2].IndustryID = industryID(t, db, "coal")
		before := tableCounts(t, db)
		err := db.BulkCreateEnterprises(admin, list, 2020, nil)
		if taotai.ErrorCode(err) != taotai.EINVALID || !strings.Contains(taotai.ErrorMessage(err), "第3条") ||
			!strings.Contains(taotai.ErrorMessage(err), "鞍山市不是产煤市") {
			t.Fatalf("coal in 鞍山: %v", err)
		}
		if !sameCounts(before, tableCounts(t, db)) || list[0].ID != 0 {
			t.Fatal("a refused bulk load wrote")
		}
		list[2].CoalOverride = "历史遗留的小煤矿，经省煤矿安监局同意登记"
		if err := db.BulkCreateEnterprises(admin, list, 2020, nil); err != nil {
			t.Fatal(err)
		}
		e, err := db.FindEnterprise(admin, list[2].ID)
		if err != nil || e.CoalOverride != list[2].CoalOverride || e.Sector != taotai.SectorCoal {
			t.Fatalf("registered: %+v %v", e, err)
		}
	})
}

// TestImportForm1CoalRule: a 附件1 row registering a 煤炭 enterprise in a
// city that mines no coal is refused row by row, nothing written; a
// clerk's reason does not count, an administrator's does and is kept.
func TestImportForm1CoalRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		rows := []forms.Row1{
			{Name: "鞍山丙煤矿有限公司", Address: "鞍山市铁东区丙村1号", Industry: "煤炭", Note: "停产"},
			{Name: "鞍山丁煤矿有限公司", Address: "鞍山市铁东区丁村2号", Industry: "煤矿", Note: "正常生产"},
		}
		file := xlsx1(t, rows, false)
		opt := store.ImportOptions{Form: forms.Form1, RegionCode: anshan, Sector: taotai.SectorCoal, Year: 2020, FileName: "附件1.xlsx",
			CoalOverride: "城市自称有煤矿"}
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorCoal)
		before := tableCounts(t, db)
		rep, err := db.ImportForm(clerk, opt, file)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Errors) != 2 || rep.Written || !sameCounts(before, tableCounts(t, db)) {
			t.Fatalf("errors %v, written %v", rep.Errors, rep.Written)
		}
		for i, e := range rep.Errors {
			if s := e.String(); !strings.HasPrefix(s, []string{"第5行", "第6行"}[i]) || !strings.Contains(s, "（所属行业）：鞍山市不是产煤市") {
				t.Errorf("row error %d: %q", i, s)
			}
		}
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		opt.CoalOverride = "历史遗留的小煤矿，经省煤矿安监局同意登记"
		rep, err = db.ImportForm(admin, opt, file)
		if err != nil || !rep.Written || rep.Created != 2 {
			t.Fatalf("admin: %+v %v", rep, err)
		}
		list, _, err := db.FindEnterprises(admin, taotai.EnterpriseFilter{Q: "煤矿", Limit: 10})
		if err != nil || len(list) != 2 {
			t.Fatalf("found %d: %v", len(list), err)
		}
		for _, e := range list {
			if full, _ := db.FindEnterprise(admin, e.ID); full.CoalOverride != opt.CoalOverride {
				t.Errorf("%s keeps %q", e.Name, full.CoalOverride)
			}
		}
	})
}
