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

// xlsx1 writes a 附件1 of rows, as a city would send it.
func xlsx1(t *testing.T, rows []forms.Row1, withCode bool) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := forms.Write1(&b, forms.Header{Unit: "鞍山市应急管理局"}, rows, withCode); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tableCounts counts the rows of the tables an import may write.
func tableCounts(t *testing.T, db *store.DB) map[string]int {
	t.Helper()
	m := map[string]int{}
	for _, table := range []string{"enterprises", "key_list", "reported_form2", "reported_form3", "audit_log"} {
		var n int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		m[table] = n
	}
	return m
}

func sameCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestImportForm1(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		known := mustCreate(t, db, tiedong, "steel") // 测试企业210302steel, 正常生产, not on the key list
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		rows := []forms.Row1{
			// full-width letters and a space inside the name still find it
			{Name: "测试企业２１０３０２ steel", Address: known.Address, Industry: "钢铁", Note: "停产"},
			{Name: "鞍山新发水泥有限公司", Address: "鞍山市立山区新发路8号", Industry: "水泥行业", Note: "局部生产"},
		}
		file := xlsx1(t, rows, false)
		opt := store.ImportOptions{Form: forms.Form1, RegionCode: anshan, Year: 2020, FileName: "附件1.xlsx"}

		before := tableCounts(t, db)
		dry := opt
		dry.DryRun = true
		rep, err := db.ImportForm(clerk, dry, file)
		if err != nil || rep.HasErrors() || rep.Created != 1 || rep.Updated != 1 || rep.Written {
			t.Fatalf("preview: %+v %v", rep, err)
		}
		if !sameCounts(before, tableCounts(t, db)) {
			t.Fatal("the preview wrote")
		}

		rep, err = db.ImportForm(clerk, opt, file)
		if err != nil || !rep.Written || rep.Created != 1 || rep.Updated != 1 {
			t.Fatalf("import: %+v %v", rep, err)
		}
		if rep.Rows[0].Action != store.ImportUpdate || !strings.Contains(rep.Rows[0].Detail, "生产状态正常生产改为停产") ||
			!strings.Contains(rep.Rows[0].Detail, "列入2020年名单") {
			t.Fatalf("row 1: %+v", rep.Rows[0])
		}
		got, err := db.FindEnterprise(clerk, known.ID)
		if err != nil || got.ProductionState != taotai.StateStopped || len(got.KeyYears) != 1 || got.Version != 2 {
			t.Fatalf("the known enterprise: %+v %v", got, err)
		}
		list, _, err := db.FindEnterprises(clerk, taotai.EnterpriseFilter{Q: "新发水泥", Limit: 10})
		if err != nil || len(list) != 1 {
			t.Fatalf("the new enterprise: %v %v", list, err)
		}
		created := list[0]
		if created.CreditCode != "" || created.RegionCode != "210304" || created.ProductionState != taotai.StatePartial ||
			created.IndustryName != "水泥" {
			t.Fatalf("created: %+v (立山区 is 210304)", created)
		}
		audits, _, err := db.FindAudit(storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, ""),
			taotai.AuditFilter{Action: taotai.AuditImport, Limit: 10})
		if err != nil || len(audits) != 1 || !strings.Contains(audits[0].Note, "新登记1家，更新1家") {
			t.Fatalf("audit: %+v %v", audits, err)
		}

		// The same file again changes nothing, not even the audit trail.
		after := tableCounts(t, db)
		rep, err = db.ImportForm(clerk, opt, file)
		if err != nil || rep.Written || rep.Changes() != 0 || rep.Unchanged != 2 {
			t.Fatalf("second import: %+v %v", rep, err)
		}
		if !sameCounts(after, tableCounts(t, db)) {
			t.Fatalf("the second import wrote: %v → %v", after, tableCounts(t, db))
		}
		// What the registry now holds exports as the file that was imported.
		f1, err := db.Form1Rows(clerk, 2020, anshan, "")
		if err != nil || len(f1) != 2 || f1[0].Note != "停产" || f1[1].Name != "鞍山新发水泥有限公司" || f1[1].Industry != "水泥" {
			t.Fatalf("form 1 after import: %+v %v", f1, err)
		}

		// A listed enterprise the file does not have stays listed, and is named.
		absent := mustCreate(t, db, tiedong, "cement")
		if err := db.SetKeyListed(storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, ""), 2020, absent.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if rep, err := db.ImportForm(clerk, dry, file); err != nil || len(rep.NotInFile) != 1 || rep.NotInFile[0] != absent.Name {
			t.Fatalf("not in the file: %+v %v", rep, err)
		}

		// A credit code column completes the enterprise that lacked it.
		code := newCode()
		rows[1].CreditCode = code
		rep, err = db.ImportForm(clerk, opt, xlsx1(t, rows, true))
		if err != nil || !rep.Written || rep.Updated != 1 || rep.Unchanged != 1 || !strings.Contains(rep.Rows[1].Detail, "补充统一社会信用代码") {
			t.Fatalf("code import: %+v %v", rep, err)
		}
		if got, _ := db.FindEnterprise(clerk, created.ID); got.CreditCode != code {
			t.Fatalf("code not completed: %+v", got)
		}
	})
}

func TestImportForm1Errors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		twin1 := mustCreate(t, db, tiedong, "steel")
		other := mustCreate(t, db, haizhou, "steel") // 阜新
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		twin2 := &taotai.Enterprise{Name: twin1.Name, CreditCode: newCode(), Address: "某路2号", RegionCode: "210304",
			IndustryID: twin1.IndustryID, ProductionState: taotai.StateNormal}
		if err := db.CreateEnterprise(admin, twin2, false); err != nil {
			t.Fatal(err)
		}
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		rows := []forms.Row1{
			{Name: "甲钢铁有限公司", Address: "鞍山市铁东区甲路1号", Industry: "钢铁", Note: "正常生产"},                               // row 5: good
			{Name: "乙水泥有限公司", Address: "鞍山市铁东区乙路1号", Industry: "造纸", Note: "正常生产"},                               // row 6: unknown industry
			{Name: "甲钢铁有限公司", Address: "鞍山市铁东区甲路1号", Industry: "钢铁", Note: "正常生产"},                               // row 7: repeats row 5
			{Name: twin1.Name, Address: "某路1号", Industry: "钢铁", Note: "正常生产"},                                    // row 8: two of that name
			{Name: "丙煤矿", Address: "鞍山市铁东区丙村", Industry: "煤矿", Note: "停产"},                                       // row 9: coal, not the clerk's
			{Name: "丁钢铁有限公司", Address: "", Industry: "钢铁", Note: "关闭"},                                           // row 10: the reader's errors
			{Name: "戊钢铁有限公司", Address: "鞍山市铁东区戊路1号", Industry: "钢铁", Note: "正常生产", CreditCode: other.CreditCode}, // row 11: another city's code
		}
		before := tableCounts(t, db)
		rep, err := db.ImportForm(clerk, store.ImportOptions{Form: forms.Form1, RegionCode: anshan, Year: 2020, FileName: "bad.xlsx"},
			xlsx1(t, rows, true))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range rep.Errors {
			got = append(got, e.String())
		}
		want := []string{ // with the code column added, it is C and the rest move right
			"第6行 E列（所属行业）：“造纸”不是系统中的行业，应为钢铁、水泥、电解铝、平板玻璃、煤炭之一",
			"第7行 B列（企业名称）：与第5行是同一家企业，请删去重复的行",
			"第8行 B列（企业名称）：本地区有2家企业名为“" + twin1.Name + "”",
			"第9行 E列（所属行业）：“煤炭”不属于您负责的非煤行业",
			"第10行 D列（所在地址）：不能为空",
			"第10行 F列（备注）：",
			"第11行 C列（统一社会信用代码）：该统一社会信用代码已由其他地区或其他行业的企业登记，请核对",
		}
		if len(got) != len(want) {
			t.Fatalf("errors:\n%s", strings.Join(got, "\n"))
		}
		for i := range want {
			if !strings.HasPrefix(got[i], want[i]) {
				t.Errorf("error %d: %q, want it to begin %q", i, got[i], want[i])
			}
		}
		if rep.Written || !sameCounts(before, tableCounts(t, db)) {
			t.Fatal("an import with errors wrote")
		}
		// Another city's region, and a role that may not import.
		if _, err := db.ImportForm(clerk, store.ImportOptions{Form: forms.Form1, RegionCode: fuxin, Year: 2020}, xlsx1(t, rows[:1], false)); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("鞍山 imports into 阜新: %v", err)
		}
		insp := storetest.ActorContext(db, taotai.RoleInspector, anshan, taotai.SectorNonCoal)
		if _, err := db.ImportForm(insp, store.ImportOptions{Form: forms.Form1, RegionCode: anshan, Year: 2020}, xlsx1(t, rows[:1], false)); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Fatalf("an inspector imports: %v", err)
		}
		if _, err := db.ImportForm(clerk, store.ImportOptions{Form: forms.Form1, RegionCode: anshan, Year: 2020}, []byte("序号,企业名称")); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("a CSV: %v", err)
		}
	})
}

// TestImportForms23 imports an offline city's 附件2 and 附件3: they show in
// the forms, a second import changes nothing, a new file replaces the
// period's rows, and the system's own records cannot be overwritten.
func TestImportForms23(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db) // f.e in 铁东区, with records
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		offline := &taotai.Enterprise{Name: "离线填报钢铁有限公司", CreditCode: newCode(), Address: "鞍山市铁西区某路1号", RegionCode: "210303",
			IndustryID: f.e.IndustryID, ProductionState: taotai.StateNormal}
		if err := db.CreateEnterprise(admin, offline, false); err != nil {
			t.Fatal(err)
		}
		june := f.inspection("2020-06-09")
		if err := db.RecordInspection(f.inspector, june, nil); err != nil {
			t.Fatal(err)
		}
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		fine, _ := taotai.ParseWan("1.25")
		rows := []forms.Row2{
			{Name: offline.Name, Address: offline.Address, Inspections: 2, InspectorTimes: 6, ExpertTimes: 1, Hazards: 4, MajorHazards: 1,
				Orders: 2, Penalties: 1, Fines: fine, Note: "重大隐患：煤气报警失效，责令整改期限2020年6月30日"},
		}
		var b bytes.Buffer
		if err := forms.Write2(&b, forms.Header{Period: "6月"}, rows); err != nil {
			t.Fatal(err)
		}
		opt := store.ImportOptions{Form: forms.Form2, RegionCode: anshan, Year: 2020, FileName: "6月.xlsx"}
		rep, err := db.ImportForm(clerk, opt, b.Bytes())
		if err != nil || !rep.Written || rep.Updated != 1 || rep.Period.Key != "2020-06" {
			t.Fatalf("import: %+v %v", rep, err)
		}
		p6, _ := db.ParsePeriod(admin, "2020-06")
		got, err := db.Form2Rows(clerk, p6, anshan, "")
		if err != nil || len(got) != 2 {
			t.Fatalf("form 2: %+v %v", got, err)
		}
		// 铁东区 (210302) sorts before 铁西区 (210303).
		if got[0].Name != f.e.Name || got[1] != rows[0] {
			t.Fatalf("form 2 rows: %+v", got)
		}
		year, _ := db.ParsePeriod(admin, "2020")
		if got, _ := db.Form2Rows(clerk, year, anshan, ""); len(got) != 2 || got[1].Inspections != 2 || got[1].Fines != fine {
			t.Fatalf("the year adds the months: %+v", got)
		}
		counts := tableCounts(t, db)
		if rep, err := db.ImportForm(clerk, opt, b.Bytes()); err != nil || rep.Written || rep.Unchanged != 1 {
			t.Fatalf("second import: %+v %v", rep, err)
		}
		if !sameCounts(counts, tableCounts(t, db)) {
			t.Fatal("the second import wrote")
		}
		// The exported June table (with the system's own row) imports as nothing new.
		b.Reset()
		if err := forms.Write2(&b, forms.Header{Period: "6月"}, got); err != nil {
			t.Fatal(err)
		}
		if rep, err := db.ImportForm(clerk, opt, b.Bytes()); err != nil || rep.Written || rep.Unchanged != 2 {
			t.Fatalf("the export imported: %+v %v", rep, err)
		}
		// Changing the system's row is refused; the title's period must agree.
		edited := append([]forms.Row2(nil), got...)
		edited[0].Inspections = 5
		b.Reset()
		forms.Write2(&b, forms.Header{Period: "6月"}, edited)
		rep, err = db.ImportForm(clerk, opt, b.Bytes())
		if err != nil || rep.Written || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].String(), "第5行 B列（企业名称）：该企业6月在系统中已记录检查1次") {
			t.Fatalf("overwriting records: %+v %v", rep, err)
		}
		july := opt
		july.Period = "2020-07"
		if _, err := db.ImportForm(clerk, july, b.Bytes()); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("a June table as July: %v", err)
		}
		// A June file without the offline enterprise removes its row.
		b.Reset()
		forms.Write2(&b, forms.Header{Period: "6月"}, got[:1])
		if rep, err := db.ImportForm(clerk, opt, b.Bytes()); err != nil || !rep.Written || rep.Removed != 1 {
			t.Fatalf("removal: %+v %v", rep, err)
		}
		if got, _ := db.Form2Rows(clerk, p6, anshan, ""); len(got) != 1 {
			t.Fatalf("after removal: %+v", got)
		}

		// 附件3: the offline enterprise's red card; f.e has no card.
		r3 := []forms.Row3{{Region: "鞍山市铁西区", Name: offline.Name, Address: offline.Address, Industry: "钢铁",
			Rectify: "煤气报警失效", RectifiedInTime: "否", Card: "红牌", Basis: "《安全生产法》第一百零八条", Closed: "否"}}
		b.Reset()
		forms.Write3(&b, forms.Header{}, r3)
		opt3 := store.ImportOptions{Form: forms.Form3, RegionCode: anshan, Year: 2020, Period: "2020-06", FileName: "附件3.xlsx"}
		if rep, err := db.ImportForm(clerk, opt3, b.Bytes()); err != nil || !rep.Written || rep.Updated != 1 {
			t.Fatalf("form 3 import: %+v %v", rep, err)
		}
		if got, _ := db.Form3Rows(clerk, p6, anshan, ""); len(got) != 1 || got[0] != r3[0] {
			t.Fatalf("form 3: %+v", got)
		}
		if got, _ := db.Form3Rows(clerk, year, anshan, ""); len(got) != 1 || got[0] != r3[0] {
			t.Fatalf("form 3 for the year: %+v", got)
		}
		if rep, err := db.ImportForm(clerk, opt3, b.Bytes()); err != nil || rep.Written || rep.Unchanged != 1 {
			t.Fatalf("form 3 again: %+v %v", rep, err)
		}
		r3[0].Region = "阜新市海州区"
		b.Reset()
		forms.Write3(&b, forms.Header{}, r3)
		if rep, _ := db.ImportForm(clerk, opt3, b.Bytes()); len(rep.Errors) != 1 || rep.Errors[0].Col != "B" {
			t.Fatalf("a region of another city: %+v", rep.Errors)
		}
		// Another city's clerk neither sees nor matches 鞍山's enterprises.
		fx := storetest.ActorContext(db, taotai.RoleCityClerk, fuxin, taotai.SectorNonCoal)
		if got, _ := db.Form2Rows(fx, p6, fuxin, ""); len(got) != 0 {
			t.Fatalf("阜新 sees 鞍山's imported rows: %+v", got)
		}
	})
}

// TestImportedInspectionsCover: a listed enterprise that an offline city
// reports inspected in June (its imported 附件2) counts as covered by 30
// September, and leaves the worklist's uninspected; not before June's
// period ends.
func TestImportedInspectionsCover(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := mustCreate(t, db, tiedong, "steel")
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		if err := db.SetKeyListed(admin, 2020, e.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		covered := func(deadline string) int {
			t.Helper()
			rows, err := db.Coverage(clerk, 2020, anshan, day(deadline))
			if err != nil || len(rows) != 1 || rows[0].Listed != 1 {
				t.Fatalf("coverage: %+v %v", rows, err)
			}
			gaps, n, err := db.CoverageGaps(clerk, 2020, anshan, day(deadline))
			if err != nil || n != 1-rows[0].Inspected || len(gaps) != n {
				t.Fatalf("gaps %d (%v) beside %d inspected", n, err, rows[0].Inspected)
			}
			return rows[0].Inspected
		}
		if covered("2020-09-30") != 0 {
			t.Fatal("covered before any inspection")
		}
		var b bytes.Buffer
		forms.Write2(&b, forms.Header{Period: "6月"}, []forms.Row2{{Name: e.Name, Address: e.Address, Inspections: 1, InspectorTimes: 2}})
		if rep, err := db.ImportForm(clerk, store.ImportOptions{Form: forms.Form2, RegionCode: anshan, Year: 2020, FileName: "6月.xlsx"}, b.Bytes()); err != nil || !rep.Written {
			t.Fatalf("import: %+v %v", rep, err)
		}
		// June's report counts once its period has ended: on its cut-off,
		// 25 June (the statistics run from 12 May to 25 June).
		if covered("2020-09-30") != 1 || covered("2020-06-24") != 0 || covered("2020-06-25") != 1 {
			t.Fatal("the June report's coverage is wrong")
		}
		// A reported row without inspections covers nothing.
		b.Reset()
		forms.Write2(&b, forms.Header{Period: "6月"}, []forms.Row2{{Name: e.Name, Address: e.Address}})
		if rep, err := db.ImportForm(clerk, store.ImportOptions{Form: forms.Form2, RegionCode: anshan, Year: 2020, FileName: "6月.xlsx"}, b.Bytes()); err != nil || !rep.Written {
			t.Fatalf("zero import: %+v %v", rep, err)
		}
		if covered("2020-09-30") != 0 {
			t.Fatal("a row of zero inspections covers")
		}
	})
}
