package store_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestImportDocumentsNeedAnInspection: documents are counted by their
// issue date, so a row of 附件2 with no inspection in the period and an
// order or a penalty can be true (issued in June for a May inspection). It
// is refused, naming the cells, only when the enterprise has no inspection
// in the year up to the period's end: none recorded in the system, none
// reported in an imported row of an earlier period.
func TestImportDocumentsNeedAnInspection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db) // f.e: inspected in May in the system
		if err := db.RecordInspection(f.inspector, f.inspection("2020-05-06"), nil); err != nil {
			t.Fatal(err)
		}
		none := mustCreate(t, db, tiedong, "cement")    // no inspection at all
		may := mustCreate(t, db, tiedong, "glass")      // reported inspected in May's import
		july := mustCreate(t, db, tiedong, "aluminium") // reported inspected in July only
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		importRows := func(label string, rows ...forms.Row2) *store.ImportReport {
			t.Helper()
			var b bytes.Buffer
			if err := forms.Write2(&b, forms.Header{Period: label}, rows); err != nil {
				t.Fatal(err)
			}
			rep, err := db.ImportForm(clerk, store.ImportOptions{Form: forms.Form2, RegionCode: anshan, Year: 2020, FileName: label + ".xlsx"}, b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			return rep
		}
		inspected := func(e *taotai.Enterprise) forms.Row2 {
			return forms.Row2{Name: e.Name, Address: e.Address, Inspections: 1, InspectorTimes: 2}
		}
		if rep := importRows("5月", inspected(may)); !rep.Written {
			t.Fatalf("May: %+v", rep)
		}
		if rep := importRows("7月", inspected(july)); !rep.Written {
			t.Fatalf("July: %+v", rep)
		}
		fine, _ := taotai.ParseWan("0.1")
		docs := func(e *taotai.Enterprise) forms.Row2 {
			return forms.Row2{Name: e.Name, Address: e.Address, Orders: 1, Penalties: 1, Fines: fine}
		}
		rep := importRows("6月", docs(f.e), docs(none), docs(may), docs(july))
		var got []string
		for _, e := range rep.Errors {
			got = append(got, e.String())
		}
		june, _ := db.ParsePeriod(clerk, "2020-06")
		why := "检查企业次数为0，且该企业本年截至" + june.To.Format("1月2日") + "在系统中没有检查记录，此前导入的附件2中也没有检查"
		want := []string{
			"第6行 I列（下达整改指令书（份））：" + why + "，不能有1份整改指令书",
			"第6行 J列（下达行政处罚文书（份））：" + why + "，不能有1份行政处罚文书",
			"第8行 I列（下达整改指令书（份））：" + why + "，不能有1份整改指令书",
			"第8行 J列（下达行政处罚文书（份））：" + why + "，不能有1份行政处罚文书",
		}
		if rep.Written || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("June's errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		// Without the two, June imports; the year, by its end, knows July's.
		if rep := importRows("6月", docs(f.e), docs(may)); !rep.Written || rep.Updated != 2 {
			t.Fatalf("June: %+v", rep)
		}
		rep = importRows("年度", docs(july), docs(none))
		if rep.Written || len(rep.Errors) != 2 || !strings.HasPrefix(rep.Errors[0].String(), "第6行 I列") ||
			!strings.Contains(rep.Errors[0].Message, fmt.Sprintf("本年截至%s", "12月31日")) {
			t.Fatalf("the year: %+v", rep.Errors)
		}
	})
}
