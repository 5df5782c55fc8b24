package store_test

import (
	"bytes"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestImportChannels: a file stands for one region, one channel (coal or
// non-coal) and one period. A clerk of 阜新 responsible for both channels
// imports the coal 附件2/3 of June beside the non-coal ones: neither
// replaces the other's rows; the coal 附件1 does not report the non-coal
// enterprises as missing from the file; a row of the other channel is
// refused, naming it; without a channel chosen the import is refused.
func TestImportChannels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		steel := mustCreate(t, db, haizhou, "steel")
		mine := mustCreate(t, db, haizhou, "coal")
		for _, e := range []*taotai.Enterprise{steel, mine} {
			if err := db.SetKeyListed(admin, 2020, e.ID, true, ""); err != nil {
				t.Fatal(err)
			}
		}
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, fuxin, "") // both channels
		june, _ := db.ParsePeriod(admin, "2020-06")
		file2 := func(rows ...forms.Row2) []byte {
			var b bytes.Buffer
			if err := forms.Write2(&b, forms.Header{Period: "6月"}, rows); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
		row2 := func(e *taotai.Enterprise) forms.Row2 {
			return forms.Row2{Name: e.Name, Address: e.Address, Inspections: 1, InspectorTimes: 2}
		}
		opt := func(form int, sector string) store.ImportOptions {
			return store.ImportOptions{Form: form, RegionCode: fuxin, Year: 2020, Sector: sector, FileName: "6月.xlsx"}
		}
		imported := func(form int, sector string, data []byte) *store.ImportReport {
			t.Helper()
			rep, err := db.ImportForm(clerk, opt(form, sector), data)
			if err != nil {
				t.Fatalf("附件%d %s: %v", form, sector, err)
			}
			return rep
		}

		// Without a channel, a user of both cannot import.
		if _, err := db.ImportForm(clerk, opt(forms.Form2, ""), file2(row2(steel))); taotai.ErrorCode(err) != taotai.EINVALID ||
			!strings.Contains(taotai.ErrorMessage(err), "煤矿还是非煤") {
			t.Fatalf("no channel: %v", err)
		}
		// A non-coal clerk cannot import a coal file.
		nc := storetest.ActorContext(db, taotai.RoleCityClerk, fuxin, taotai.SectorNonCoal)
		if _, err := db.ImportForm(nc, opt(forms.Form2, taotai.SectorCoal), file2(row2(mine))); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Fatalf("a non-coal clerk's coal file: %v", err)
		}

		// 附件2: the non-coal row, then the coal file; both stay.
		if rep := imported(forms.Form2, taotai.SectorNonCoal, file2(row2(steel))); !rep.Written || rep.Updated != 1 || rep.Sector != taotai.SectorNonCoal {
			t.Fatalf("non-coal 附件2: %+v", rep)
		}
		if rep := imported(forms.Form2, taotai.SectorCoal, file2(row2(mine))); !rep.Written || rep.Updated != 1 || rep.Removed != 0 {
			t.Fatalf("coal 附件2: %+v", rep)
		}
		for sector, e := range map[string]*taotai.Enterprise{taotai.SectorNonCoal: steel, taotai.SectorCoal: mine} {
			if got, err := db.Form2Rows(clerk, june, fuxin, sector); err != nil || len(got) != 1 || got[0].Name != e.Name {
				t.Fatalf("%s 附件2 of June: %+v %v", sector, got, err)
			}
		}
		// A coal file naming the non-coal enterprise is refused, naming it.
		rep := imported(forms.Form2, taotai.SectorCoal, file2(row2(mine), row2(steel)))
		if rep.Written || len(rep.Errors) != 1 || rep.Errors[0].String() != "第6行 B列（企业名称）：“"+steel.Name+"”是非煤企业，本次导入的是煤矿报表；请在非煤报表中填报" {
			t.Fatalf("a non-coal row in the coal file: %+v", rep.Errors)
		}

		// 附件3 likewise.
		file3 := func(e *taotai.Enterprise, industry string) []byte {
			var b bytes.Buffer
			if err := forms.Write3(&b, forms.Header{}, []forms.Row3{{Region: "阜新市海州区", Name: e.Name, Address: e.Address, Industry: industry,
				Rectify: "整改", Card: "黄牌", Closed: "否"}}); err != nil {
				t.Fatal(err)
			}
			return retitle(t, b.Bytes(), forms.Title3+"（6月）")
		}
		if rep := imported(forms.Form3, taotai.SectorNonCoal, file3(steel, "钢铁")); !rep.Written || rep.Updated != 1 {
			t.Fatalf("non-coal 附件3: %+v", rep)
		}
		if rep := imported(forms.Form3, taotai.SectorCoal, file3(mine, "煤炭")); !rep.Written || rep.Updated != 1 || rep.Removed != 0 {
			t.Fatalf("coal 附件3: %+v", rep)
		}
		if got, err := db.Form3Rows(clerk, june, fuxin, ""); err != nil || len(got) != 2 {
			t.Fatalf("附件3 of June: %+v %v", got, err)
		}
		if rep := imported(forms.Form3, taotai.SectorCoal, file3(steel, "钢铁")); rep.Written || len(rep.Errors) != 1 ||
			!strings.Contains(rep.Errors[0].Message, "是非煤企业，本次导入的是煤矿报表") {
			t.Fatalf("a non-coal row in the coal 附件3: %+v", rep.Errors)
		}

		if rep := imported(forms.Form3, taotai.SectorCoal, file3(mine, "钢铁")); rep.Written || len(rep.Errors) != 1 ||
			rep.Errors[0].String() != "第5行 E列（行业）：“钢铁”属于非煤行业，本次导入的是煤矿报表；请在非煤报表中填报" {
			t.Fatalf("a non-coal industry in the coal 附件3: %+v", rep.Errors)
		}

		// 附件1: the coal file lists the mine; the steel works is not missing from it.
		var b bytes.Buffer
		if err := forms.Write1(&b, forms.Header{}, []forms.Row1{{Name: mine.Name, Address: mine.Address, Industry: "煤炭", Note: "正常生产"}}, false); err != nil {
			t.Fatal(err)
		}
		rep = imported(forms.Form1, taotai.SectorCoal, b.Bytes())
		if rep.HasErrors() || len(rep.NotInFile) != 0 {
			t.Fatalf("coal 附件1: errors %v, not in the file %v", rep.Errors, rep.NotInFile)
		}
		b.Reset()
		if err := forms.Write1(&b, forms.Header{}, []forms.Row1{{Name: mine.Name, Address: mine.Address, Industry: "煤炭", Note: "正常生产"},
			{Name: "阜新新建钢铁有限公司", Address: "阜新市海州区某路2号", Industry: "钢铁", Note: "正常生产"}}, false); err != nil {
			t.Fatal(err)
		}
		rep = imported(forms.Form1, taotai.SectorCoal, b.Bytes())
		if rep.Written || len(rep.Errors) != 1 || rep.Errors[0].String() != "第6行 D列（所属行业）：“钢铁”属于非煤行业，本次导入的是煤矿报表；请在非煤报表中填报" {
			t.Fatalf("a steel works in the coal 附件1: %+v", rep.Errors)
		}
	})
}
