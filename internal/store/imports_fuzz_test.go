package store_test

import (
	"bytes"
	"testing"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// FuzzImportForm1 imports (as a dry run, then for real) a 附件1 whose cells
// are arbitrary text, against a registry holding one enterprise: whatever
// the rows say, the import reports row errors or writes, never fails
// otherwise, and a second import of the same file changes nothing.
func FuzzImportForm1(f *testing.F) {
	f.Add("测试企业210302steel", "鞍山市铁东区某路1号", "钢铁", "停产", "")
	f.Add("鞍山新立水泥有限公司", "鞍山市立山区新立路1号", "水泥行业", "局部生产", "")
	f.Add("ＡＢＣ　钢铁", "", "煤矿", "关闭", "91210300MA0000001X")
	f.Add("甲", "乙", "平板玻璃", "正常生产", "9121030024147103")
	db := storetest.Open(f, store.SQLite)
	mustCreate(f, db, tiedong, "steel")
	clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
	f.Fuzz(func(t *testing.T, name, address, industry, note, code string) {
		var b bytes.Buffer
		rows := []forms.Row1{{Name: name, Address: address, Industry: industry, Note: note, CreditCode: code},
			{Name: name + "分公司", Address: address, Industry: industry, Note: note}}
		if err := forms.Write1(&b, forms.Header{}, rows, code != ""); err != nil {
			t.Skip() // text excelize will not write (control characters)
		}
		opt := store.ImportOptions{Form: forms.Form1, RegionCode: anshan, Year: 2020, FileName: "fuzz.xlsx", DryRun: true}
		rep, err := db.ImportForm(clerk, opt, b.Bytes())
		if err != nil {
			if taotai.ErrorCode(err) != taotai.EINVALID {
				t.Fatalf("dry run: %v", err)
			}
			return
		}
		if rep.Written {
			t.Fatal("a dry run wrote")
		}
		if rep.HasErrors() {
			return
		}
		opt.DryRun = false
		if _, err := db.ImportForm(clerk, opt, b.Bytes()); err != nil {
			t.Fatalf("import: %v", err)
		}
		again, err := db.ImportForm(clerk, opt, b.Bytes())
		if err != nil || again.Written || again.Changes() != 0 {
			t.Fatalf("second import: %+v %v", again, err)
		}
	})
}
