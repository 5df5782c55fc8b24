package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestConsolidate2: 鞍山 and 阜新 report June and are accepted; 鞍山 then
// records another June inspection. The province's 附件2 holds both
// cities' rows, their subtotals, the total, the 13 units missing, and
// 鞍山's enterprise with 检查企业次数 1 → 2.
func TestConsolidate2(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newReportFixture(t, db)
		fuxinInspector := userContext(t, db, &taotai.User{Username: "fxinsp", Role: taotai.RoleInspector, RegionCode: fuxin,
			Sector: taotai.SectorNonCoal})
		fuxinApprover := storetest.ActorContext(db, taotai.RoleCityApprover, fuxin, taotai.SectorNonCoal)
		other := mustCreate(t, db, haizhou, "steel")
		if err := db.RecordInspection(f.inspector, f.inspection("2020-06-09"), nil); err != nil {
			t.Fatal(err)
		}
		in := f.inspection("2020-06-08")
		in.EnterpriseID = other.ID
		if err := db.RecordInspection(fuxinInspector, in, nil); err != nil {
			t.Fatal(err)
		}
		f.at("2020-06-25 10:00")
		for _, c := range []struct {
			clerk, approver context.Context
			region          string
		}{{f.clerk, f.approver, anshan}, {f.fuxinClerk, fuxinApprover, fuxin}} {
			v, err := db.PrepareReport(c.clerk, prep("2020-06", c.region, false))
			if err != nil {
				t.Fatal(err)
			}
			if err := db.SubmitReport(c.approver, v.ID); err != nil {
				t.Fatal(err)
			}
			if err := db.AcceptReport(f.reviewer, v.ID, "同意"); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.RecordInspection(f.inspector, f.inspection("2020-06-20"), nil); err != nil {
			t.Fatal(err)
		}

		june, err := db.ParsePeriod(f.reviewer, "2020-06")
		if err != nil {
			t.Fatal(err)
		}
		c, err := db.Consolidate2(f.reviewer, june, taotai.SectorNonCoal)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Units) != 2 || c.Units[0].Code != anshan || c.Units[1].Code != fuxin ||
			c.Units[0].Name != "鞍山市" || len(c.Units[0].Rows) != 1 || len(c.Units[1].Rows) != 1 {
			t.Fatalf("units: %+v", c.Units)
		}
		if c.Units[0].Rows[0].Name != f.e.Name || c.Units[1].Rows[0].Name != other.Name {
			t.Errorf("rows: %+v %+v", c.Units[0].Rows, c.Units[1].Rows)
		}
		var total forms.Row2
		for _, u := range c.Units {
			var sum forms.Row2
			for _, r := range u.Rows {
				sum.Add(r)
			}
			if u.Subtotal != sum {
				t.Errorf("%s subtotal %+v, rows sum to %+v", u.Name, u.Subtotal, sum)
			}
			total.Add(u.Subtotal)
		}
		if c.Total != total || c.Total.Inspections != 2 || c.Total.InspectorTimes != 4 {
			t.Errorf("total %+v, subtotals sum to %+v", c.Total, total)
		}
		if len(c.Missing) != 13 {
			t.Errorf("missing: %d units, want 13", len(c.Missing))
		}
		for _, m := range c.Missing {
			if m.Code == anshan || m.Code == fuxin {
				t.Errorf("%s listed missing", m.Name)
			}
		}
		if len(c.Units[0].Diffs) != 0 {
			t.Errorf("compared with the records before CompareLive2: %+v", c.Units[0].Diffs)
		}
		if err := db.CompareLive2(f.reviewer, c); err != nil {
			t.Fatal(err)
		}
		if len(c.Units[1].Diffs) != 0 {
			t.Errorf("阜新 did not change: %+v", c.Units[1].Diffs)
		}
		d := c.Units[0].Diffs
		if len(d) != 1 || d[0].Name != f.e.Name || d[0].Side != "" || len(d[0].Cells) == 0 || d[0].Row != 0 || d[0].Live != nil ||
			d[0].Cells[0] != (store.CellDiff{Column: "检查企业次数", Snapshot: "1", Live: "2"}) {
			t.Fatalf("鞍山's difference: %+v", d)
		}

		// The consolidated .xlsx: 鞍山's subtotal as accepted, the total of both.
		var buf bytes.Buffer
		if err := forms.WriteConsolidated2(&buf, forms.Header{Unit: "辽宁省应急管理厅", Period: june.Label}, c.Forms()); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows("附件2", excelize.Options{RawCellValue: true})
		_ = x.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range rows {
			if len(r) > 4 && (r[0] == forms.TotalLabel || strings.HasSuffix(r[1], forms.SubtotalSuffix)) {
				got[r[0]+r[1]] = r[3] + "/" + r[4]
			}
		}
		if got["鞍山市小计"] != "1/2" || got["阜新市小计"] != "1/2" || got[forms.TotalLabel] != "2/4" {
			t.Errorf("the .xlsx's subtotals and total: %q", got)
		}

		// A city sees its own unit only; another channel's reviewer nothing.
		own, err := db.Consolidate2(f.clerk, june, taotai.SectorNonCoal)
		if err != nil || len(own.Units) != 1 || own.Units[0].Code != anshan || len(own.Missing) != 0 {
			t.Errorf("鞍山's own consolidation: %+v %v", own, err)
		}
		if _, err := db.Consolidate2(f.coalReviewer, june, taotai.SectorNonCoal); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Errorf("the coal reviewer consolidates non-coal: %v", err)
		}
		coal, err := db.Consolidate2(f.coalReviewer, june, taotai.SectorCoal)
		if err != nil || len(coal.Units) != 0 || len(coal.Missing) != 7 {
			t.Errorf("coal: %+v %v", coal, err)
		}
	})
}

// userContext creates the user and returns a context acting as them.
func userContext(t *testing.T, db *store.DB, u *taotai.User) context.Context {
	t.Helper()
	bg := context.Background()
	if err := db.CreateUser(bg, u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindUser(bg, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.ActorFor(bg, got)
	if err != nil {
		t.Fatal(err)
	}
	return taotai.NewContextWithActor(bg, a)
}

// TestConsolidate3: 鞍山's June report, accepted, holds its yellow card;
// 阜新's enterprise gets one after 阜新's report was accepted.
func TestConsolidate3(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newReportFixture(t, db)
		fuxinInspector := userContext(t, db, &taotai.User{Username: "fxinsp", Role: taotai.RoleInspector, RegionCode: fuxin,
			Sector: taotai.SectorNonCoal})
		fuxinApprover := storetest.ActorContext(db, taotai.RoleCityApprover, fuxin, taotai.SectorNonCoal)
		other := mustCreate(t, db, haizhou, "steel")
		major := func() []*taotai.Hazard {
			return []*taotai.Hazard{{Description: "煤气区域未设置固定式一氧化碳监测报警装置", Place: "高炉煤气区域",
				Level: taotai.HazardMajor, CriterionID: f.criterion, Deadline: day("2020-06-30")}}
		}
		if err := db.RecordInspection(f.inspector, f.inspection("2020-06-09"), major()); err != nil {
			t.Fatal(err)
		}
		in := f.inspection("2020-06-08")
		in.EnterpriseID = other.ID
		if err := db.RecordInspection(fuxinInspector, in, nil); err != nil {
			t.Fatal(err)
		}
		f.at("2020-06-25 10:00")
		for _, c := range []struct {
			clerk, approver context.Context
			region          string
		}{{f.clerk, f.approver, anshan}, {f.fuxinClerk, fuxinApprover, fuxin}} {
			v, err := db.PrepareReport(c.clerk, prep("2020-06", c.region, false))
			if err != nil {
				t.Fatal(err)
			}
			if err := db.SubmitReport(c.approver, v.ID); err != nil {
				t.Fatal(err)
			}
			if err := db.AcceptReport(f.reviewer, v.ID, ""); err != nil {
				t.Fatal(err)
			}
		}
		later := f.inspection("2020-06-20")
		later.EnterpriseID = other.ID
		if err := db.RecordInspection(fuxinInspector, later, major()); err != nil {
			t.Fatal(err)
		}
		june, err := db.ParsePeriod(f.reviewer, "2020-06")
		if err != nil {
			t.Fatal(err)
		}
		c, err := db.Consolidate3(f.reviewer, june, taotai.SectorNonCoal)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Units) != 2 || len(c.Units[0].Rows) != 1 || len(c.Units[1].Rows) != 0 || len(c.Missing) != 13 {
			t.Fatalf("units %+v, %d missing", c.Units, len(c.Missing))
		}
		if c.Units[0].Subtotal != (forms.CardCount{Enterprises: 1, Yellow: 1}) || c.Total != c.Units[0].Subtotal {
			t.Errorf("counts: %+v, total %+v", c.Units[0].Subtotal, c.Total)
		}
		if err := db.CompareLive3(f.reviewer, c); err != nil {
			t.Fatal(err)
		}
		if len(c.Units[0].Diffs) != 0 {
			t.Errorf("鞍山 did not change: %+v", c.Units[0].Diffs)
		}
		d := c.Units[1].Diffs
		if len(d) != 1 || d[0].Name != other.Name || d[0].Side != store.DiffLiveOnly || d[0].Row != -1 || len(d[0].Live) != len(forms.Columns3)-1 {
			t.Fatalf("阜新's difference: %+v", d)
		}
		var card bool
		for _, cell := range d[0].Cells {
			card = card || cell.Column == "黄/红牌" && cell.Live == "黄牌" && cell.Snapshot == ""
		}
		if !card {
			t.Errorf("阜新's new row does not show its yellow card: %+v", d[0].Cells)
		}
	})
}

// TestConsolidate1: the first report's key list; a period without 附件1
// is refused.
func TestConsolidate1(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newReportFixture(t, db)
		if err := db.SetKeyListed(f.admin, 2020, f.e.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordInspection(f.inspector, f.inspection("2020-05-09"), nil); err != nil {
			t.Fatal(err)
		}
		f.at("2020-05-10 10:00")
		v, err := db.PrepareReport(f.clerk, prep("2020-05", anshan, false))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SubmitReport(f.approver, v.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.AcceptReport(f.reviewer, v.ID, ""); err != nil {
			t.Fatal(err)
		}
		added := mustCreate(t, db, tiedong, "cement")
		if err := db.SetKeyListed(f.admin, 2020, added.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		may, err := db.ParsePeriod(f.reviewer, "2020-05")
		if err != nil {
			t.Fatal(err)
		}
		c, err := db.Consolidate1(f.reviewer, may, taotai.SectorNonCoal)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Units) != 1 || c.Units[0].Code != anshan || len(c.Units[0].Rows) != 1 || c.Total != 1 || len(c.Missing) != 14 ||
			c.Units[0].Rows[0].Name != f.e.Name {
			t.Fatalf("units %+v, total %d, %d missing", c.Units, c.Total, len(c.Missing))
		}
		if err := db.CompareLive1(f.reviewer, c); err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, d := range c.Units[0].Diffs {
			found = found || d.Name == added.Name && d.Side == store.DiffLiveOnly
		}
		if !found {
			t.Errorf("the enterprise added after acceptance is not in the difference: %+v", c.Units[0].Diffs)
		}
		june, _ := db.ParsePeriod(f.reviewer, "2020-06")
		if _, err := db.Consolidate1(f.reviewer, june, taotai.SectorNonCoal); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Errorf("附件1 of June: %v", err)
		}
	})
}
