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

// TestImportOwnExport: after an offline city's June import, the system's
// own 附件2 of the year (records and imported months added up), of June
// and of the first report import back as they are: nothing changes, no
// row is refused. A row that contradicts the records is still refused; an
// offline enterprise's annual row may still be corrected.
func TestImportOwnExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db) // f.e in 铁东区, the clock on 10 June
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		offline := &taotai.Enterprise{Name: "离线填报钢铁有限公司", CreditCode: newCode(), Address: "鞍山市铁西区某路1号", RegionCode: "210303",
			IndustryID: f.e.IndustryID, ProductionState: taotai.StateNormal}
		if err := db.CreateEnterprise(admin, offline, false); err != nil {
			t.Fatal(err)
		}
		// The first report's inspection, with a major hazard: a yellow card.
		major := []*taotai.Hazard{{Description: "煤气区域未设置报警装置", Level: taotai.HazardMajor, CriterionID: f.criterion, Deadline: day("2020-06-30")}}
		if err := db.RecordInspection(f.inspector, f.inspection("2020-05-06"), major); err != nil {
			t.Fatal(err)
		}
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		write := func(label string, rows []forms.Row2) []byte {
			var b bytes.Buffer
			if err := forms.Write2(&b, forms.Header{Period: label}, rows); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
		importFile := func(data []byte) *store.ImportReport {
			t.Helper()
			rep, err := db.ImportForm(clerk, store.ImportOptions{Form: forms.Form2, RegionCode: anshan, Year: 2020, FileName: "附件2.xlsx"}, data)
			if err != nil {
				t.Fatal(err)
			}
			return rep
		}
		fine, _ := taotai.ParseWan("0.5")
		june := []forms.Row2{ // June, worked offline: both enterprises
			{Name: f.e.Name, Address: f.e.Address, Inspections: 1, InspectorTimes: 3, Hazards: 2, Orders: 1, Penalties: 1, Fines: fine},
			{Name: offline.Name, Address: offline.Address, Inspections: 2, InspectorTimes: 4, ExpertTimes: 1, Hazards: 1, Orders: 1},
		}
		if rep := importFile(write("6月", june)); !rep.Written || rep.Updated != 2 || rep.HasErrors() {
			t.Fatalf("June's offline import: %+v", rep)
		}

		exported := map[string][]forms.Row2{}
		for _, key := range []string{"2020", "2020-06", "2020-05"} {
			p, _ := db.ParsePeriod(admin, key)
			rows, err := db.Form2Rows(clerk, p, anshan, taotai.SectorNonCoal)
			if err != nil {
				t.Fatal(err)
			}
			exported[key] = rows
			counts := tableCounts(t, db)
			rep := importFile(write(p.Label, rows))
			if rep.HasErrors() || rep.Written || rep.Changes() != 0 || rep.Unchanged != len(rows) {
				t.Fatalf("the system's own %s export: written %v, changes %d, unchanged %d of %d, errors %v",
					key, rep.Written, rep.Changes(), rep.Unchanged, len(rows), rep.Errors)
			}
			if !sameCounts(counts, tableCounts(t, db)) {
				t.Fatalf("importing the %s export wrote", key)
			}
		}
		if year := exported["2020"]; len(year) != 2 || year[0].Inspections != 2 || year[0].Penalties != 1 || year[1] != june[1] {
			t.Fatalf("the year: %+v", year)
		}

		// 附件3 likewise: the offline enterprise's red card reported for June
		// beside the system's yellow card.
		var b3 bytes.Buffer
		if err := forms.Write3(&b3, forms.Header{}, []forms.Row3{{Region: "鞍山市铁西区", Name: offline.Name, Address: offline.Address,
			Industry: "钢铁", Rectify: "除尘系统不达标", RectifiedInTime: "否", Card: "红牌", Basis: "《安全生产法》第一百零八条", Closed: "否"}}); err != nil {
			t.Fatal(err)
		}
		opt3 := store.ImportOptions{Form: forms.Form3, RegionCode: anshan, Year: 2020, Period: "2020-06", FileName: "附件3.xlsx"}
		if rep, err := db.ImportForm(clerk, opt3, b3.Bytes()); err != nil || !rep.Written || rep.Updated != 1 {
			t.Fatalf("June's 附件3: %+v %v", rep, err)
		}
		for _, key := range []string{"2020", "2020-06", "2020-05"} {
			p, _ := db.ParsePeriod(admin, key)
			rows, err := db.Form3Rows(clerk, p, anshan, taotai.SectorNonCoal)
			if err != nil {
				t.Fatal(err)
			}
			if key == "2020" && len(rows) != 2 {
				t.Fatalf("附件3 of the year: %+v", rows)
			}
			b3.Reset()
			if err := forms.Write3(&b3, forms.Header{}, rows); err != nil {
				t.Fatal(err)
			}
			opt3.Period = key
			counts := tableCounts(t, db)
			rep, err := db.ImportForm(clerk, opt3, b3.Bytes())
			if err != nil || rep.HasErrors() || rep.Written || rep.Changes() != 0 || rep.Unchanged != len(rows) {
				t.Fatalf("the system's own 附件3 of %s: %+v %v", key, rep, err)
			}
			if !sameCounts(counts, tableCounts(t, db)) {
				t.Fatalf("importing the 附件3 of %s wrote", key)
			}
		}

		// The year's row of the recorded enterprise, changed: refused.
		year := append([]forms.Row2(nil), exported["2020"]...)
		year[0].Inspections++
		rep := importFile(write("年度", year))
		if rep.Written || len(rep.Errors) != 1 || !strings.HasPrefix(rep.Errors[0].String(), "第5行 B列（企业名称）：该企业本年度在系统中已记录检查1次") {
			t.Fatalf("contradicting the records: %+v", rep.Errors)
		}
		// The offline enterprise's year, corrected: its annual row.
		year = append([]forms.Row2(nil), exported["2020"]...)
		year[1].Inspections, year[1].InspectorTimes = 3, 6
		if rep := importFile(write("年度", year)); !rep.Written || rep.Updated != 1 || rep.Unchanged != 1 {
			t.Fatalf("the offline enterprise's year: %+v", rep)
		}
	})
}
