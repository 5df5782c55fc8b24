package store_test

import (
	"context"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

func TestFormRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		if err := db.SetKeyListed(admin, 2020, f.e.ID, true, "局部生产"); err != nil {
			t.Fatal(err)
		}
		may := f.inspection("2020-05-09")
		if err := db.RecordInspection(f.inspector, may, []*taotai.Hazard{{Description: "一般隐患", Level: taotai.HazardGeneral, Deadline: day("2020-05-30")}}); err != nil {
			t.Fatal(err)
		}
		june := f.inspection("2020-06-09")
		june.InspectorCount, june.ExpertCount = 3, 2
		if err := db.RecordInspection(f.inspector, june, []*taotai.Hazard{
			{Description: "煤气区域无报警", Level: taotai.HazardMajor, CriterionID: f.criterion, Deadline: day("2020-06-30")},
			{Description: "一般隐患", Level: taotai.HazardGeneral, Deadline: day("2020-06-20")}}); err != nil {
			t.Fatal(err)
		}
		fine, _ := taotai.ParseWan("0.1")
		for _, d := range []*taotai.Document{
			{InspectionID: june.ID, Kind: taotai.DocRectOrder, IssuedOn: day("2020-06-09")},
			{InspectionID: june.ID, Kind: taotai.DocPenalty, IssuedOn: day("2020-06-10"), Fine: fine},
			{InspectionID: june.ID, Kind: taotai.DocPenalty, IssuedOn: day("2020-06-10"), Fine: fine},
			{InspectionID: june.ID, Kind: taotai.DocPenalty, IssuedOn: day("2020-06-10"), Fine: fine},
		} {
			issue := db.IssueDocument
			if d.Kind == taotai.DocPenalty {
				issue = func(_ context.Context, d *taotai.Document) error { return storetest.Penalty(db, d) }
			}
			if err := issue(f.inspector, d); err != nil {
				t.Fatal(err)
			}
		}
		p6, err := db.ParsePeriod(admin, "2020-06")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := db.Form2Rows(admin, p6, "", taotai.SectorNonCoal)
		if err != nil || len(rows) != 1 {
			t.Fatalf("June: %v %v", rows, err)
		}
		r := rows[0]
		if r.Inspections != 1 || r.InspectorTimes != 3 || r.ExpertTimes != 2 || r.Hazards != 2 || r.MajorHazards != 1 ||
			r.Orders != 1 || r.Penalties != 3 || r.Fines.Wan() != "0.3" || !strings.Contains(r.Note, "煤气区域无报警，责令整改期限2020年6月30日") {
			t.Fatalf("June row: %+v", r)
		}
		year, _ := db.ParsePeriod(admin, "2020")
		rows, _ = db.Form2Rows(admin, year, "210300", "")
		if len(rows) != 1 || rows[0].Inspections != 2 || rows[0].Hazards != 3 {
			t.Fatalf("year: %+v", rows)
		}
		first, _ := db.ParsePeriod(admin, "2020-05")
		rows, _ = db.Form2Rows(admin, first, "", "")
		if len(rows) != 1 || rows[0].Inspections != 1 || first.Label != "5月" {
			t.Fatalf("first report: %+v %s", rows, first.Label)
		}
		if _, err := db.ParsePeriod(admin, "2020-10"); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("October is no period: %v", err)
		}
		if rows, _ := db.Form2Rows(admin, p6, "", taotai.SectorCoal); len(rows) != 0 {
			t.Fatal("the coal channel shows a steel works")
		}
		if _, err := db.Form2Rows(f.other, p6, anshan, ""); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("阜新 exports 鞍山: %v", err)
		}
		f1, err := db.Form1Rows(admin, 2020, anshan, taotai.SectorNonCoal)
		if err != nil || len(f1) != 1 || f1[0].Note != "局部生产" || f1[0].Industry != "钢铁" {
			t.Fatalf("form 1: %+v %v", f1, err)
		}
		f3, err := db.Form3Rows(admin, p6, "", "")
		if err != nil || len(f3) != 1 || f3[0].Card != "黄牌" || f3[0].Region != "鞍山市铁东区" || f3[0].Closed != "否" {
			t.Fatalf("form 3: %+v %v", f3, err)
		}
		if f3, _ := db.Form3Rows(admin, first, "", ""); len(f3) != 0 {
			t.Fatalf("no card changed by 11 May: %+v", f3)
		}
	})
}
