package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// at sets the fixture's clock to 10:00 on a day.
func (f *enforcementFixture) at(date string) { f.clock.T = day(date).Add(10 * time.Hour) }

// TestPastPeriodsStay: a form for a past period states what was true at
// its end. Exported again after later documents, an extension, a card
// cleared and a closure, the first report's and June's 附件2 and 附件3 hold
// the same cells; each fact counts on its own day.
func TestPastPeriodsStay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		second := mustCreate(t, db, tiedong, "cement")
		ctx := f.approver
		rows := func(form int, key string) any {
			t.Helper()
			p, err := db.ParsePeriod(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := db.FormRows(ctx, form, p, anshan, taotai.SectorNonCoal)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		record := func(e *taotai.Enterprise, date string, hs ...*taotai.Hazard) *taotai.Inspection {
			t.Helper()
			f.at(date)
			in := &taotai.Inspection{EnterpriseID: e.ID, Date: day(date), Kind: taotai.InspectionRoutine, Inspectors: "张明、李强",
				InspectorCount: 2, Findings: "检查"}
			if err := db.RecordInspection(f.inspector, in, hs); err != nil {
				t.Fatal(err)
			}
			return in
		}
		issue := func(in *taotai.Inspection, kind, date string, fine taotai.Yuan) {
			t.Helper()
			f.at(date)
			issue := db.IssueDocument
			if kind == taotai.DocPenalty {
				issue = func(_ context.Context, d *taotai.Document) error { return storetest.Penalty(db, d) }
			}
			if err := issue(f.inspector, &taotai.Document{InspectionID: in.ID, Kind: kind, IssuedOn: day(date), Fine: fine}); err != nil {
				t.Fatalf("issue %s on %s: %v", kind, date, err)
			}
		}

		// The first report: inspected on 5 May, a major hazard due 30 June
		// (a yellow card); the order that day, the penalty on 20 May.
		major := &taotai.Hazard{Description: "煤气区域未设置报警装置", Level: taotai.HazardMajor, CriterionID: f.criterion, Deadline: day("2020-06-30")}
		may := record(f.e, "2020-05-05", major)
		issue(may, taotai.DocRectOrder, "2020-05-05", 0)
		issue(may, taotai.DocPenalty, "2020-05-20", 30000)
		// 15 May: between the first report's cut-off (11 May) and June.
		mid := record(second, "2020-05-15", &taotai.Hazard{Description: "电气线路老化", Level: taotai.HazardGeneral, Deadline: day("2020-06-15")})
		issue(mid, taotai.DocRectOrder, "2020-05-15", 0)
		f.at("2020-06-26")

		type pinned struct {
			form int
			key  string
			rows any
		}
		var pins []pinned
		for _, form := range []int{forms.Form2, forms.Form3} {
			for _, key := range []string{"2020-05", "2020-06"} {
				pins = append(pins, pinned{form, key, rows(form, key)})
			}
		}
		first := pins[0].rows.([]forms.Row2)
		if len(first) != 1 || first[0].Inspections != 1 || first[0].Hazards != 1 || first[0].Orders != 1 || first[0].Penalties != 0 {
			t.Fatalf("first report's 附件2: %+v", first)
		}
		june := pins[1].rows.([]forms.Row2)
		if len(june) != 2 || june[0].Inspections != 0 || june[0].Penalties != 1 || june[0].Fines != 30000 ||
			june[1].Name != second.Name || june[1].Inspections != 1 || june[1].Orders != 1 {
			t.Fatalf("June's 附件2 (the penalty of 20 May, the inspection of 15 May): %+v", june)
		}
		if june[0].Note != "未列入重点名单" {
			t.Errorf("an enterprise not on 附件1: 备注 %q", june[0].Note)
		}
		card3 := pins[3].rows.([]forms.Row3)
		if len(card3) != 0 {
			t.Fatalf("June's 附件3 without a card change: %+v", card3)
		}
		may3 := pins[2].rows.([]forms.Row3)
		if len(may3) != 1 || may3[0].Card != "黄牌" || may3[0].RectifiedInTime != "整改期限内" || may3[0].Closed != "否" {
			t.Fatalf("first report's 附件3: %+v", may3)
		}

		// Later: the deadline extended, re-checked and cleared; another
		// penalty for May's inspection; the second enterprise goes red and
		// is closed.
		f.at("2020-06-28")
		h, _, _ := db.FindHazard(ctx, major.ID)
		if h, _ = mustHazard(t)(db.ExtendHazard(f.inspector, h.ID, h.Version, day("2020-07-15"), "设备到货延迟")); h == nil {
			t.FailNow()
		}
		f.at("2020-06-29")
		if _, err := db.RecheckHazard(f.inspector, h.ID, h.Version, true, day("2020-06-29"), "复查合格"); err != nil {
			t.Fatal(err)
		}
		card, _, _ := db.FindCard(ctx, f.e.ID, 2020)
		if _, err := db.TransitionCard(ctx, f.e.ID, 2020, card.Version, taotai.CardTransition{To: taotai.CardCleared, Why: "复查合格"}, nil); err != nil {
			t.Fatal(err)
		}
		issue(may, taotai.DocPenalty, "2020-07-11", 20000)
		c2, _, _ := db.FindCard(ctx, second.ID, 2020)
		steps := []taotai.CardTransition{
			{To: taotai.CardYellow, Reason: taotai.ReasonBelowStandard, Rectify: "电气线路", Deadline: day("2020-07-30")},
		}
		for _, st := range steps {
			if c2, _ = db.TransitionCard(ctx, second.ID, 2020, c2.Version, st, nil); c2 == nil {
				t.Fatal("yellow card for the second enterprise")
			}
		}
		f.at("2020-08-03")
		for _, st := range []taotai.CardTransition{
			{To: taotai.CardRed, Reason: taotai.ReasonOverdue, Why: "逾期"},
			{To: taotai.CardProposed, Basis: "《安全生产法》第一百一十三条", ReportedOn: day("2020-08-03")},
			{To: taotai.CardClosed, Basis: "市政府关闭决定", ClosedOn: day("2020-08-03"), Evidence: "决定书", VerifiedBy: "王"},
		} {
			var err error
			if c2, err = db.TransitionCard(ctx, second.ID, 2020, c2.Version, st, nil); err != nil {
				t.Fatalf("%s: %v", st.To, err)
			}
		}
		for _, pin := range pins {
			if got := rows(pin.form, pin.key); !reflect.DeepEqual(got, pin.rows) {
				t.Errorf("附件%d of %s changed after the period:\n was %+v\n now %+v", pin.form, pin.key, pin.rows, got)
			}
		}
		july3 := rows(forms.Form3, "2020-07").([]forms.Row3)
		if len(july3) != 2 || july3[0].RectifiedInTime != "是" || july3[1].Card != "黄牌" || july3[1].RectifiedInTime != "整改期限内" {
			t.Errorf("July's 附件3: %+v", july3)
		}
		aug3 := rows(forms.Form3, "2020-08").([]forms.Row3)
		if len(aug3) != 1 || aug3[0].Card != "红牌" || aug3[0].Closed != "是" || aug3[0].Basis != "市政府关闭决定" {
			t.Errorf("August's 附件3: %+v", aug3)
		}
	})
}

func mustHazard(t *testing.T) func(*taotai.Hazard, error) (*taotai.Hazard, error) {
	return func(h *taotai.Hazard, err error) (*taotai.Hazard, error) {
		if err != nil {
			t.Error(err)
		}
		return h, err
	}
}

// TestPeriodsSumToTheYear: every column of 附件2 summed over the first
// report and the monthly reports equals the year's, when nothing happened
// after the last cut-off; no day of May falls between two reports.
func TestPeriodsSumToTheYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		ctx := f.approver
		for i, date := range []string{"2020-03-25", "2020-05-11", "2020-05-12", "2020-05-31", "2020-06-25", "2020-06-26", "2020-07-31", "2020-09-25"} {
			f.at(date)
			in := &taotai.Inspection{EnterpriseID: f.e.ID, Date: day(date), Kind: taotai.InspectionRoutine, Inspectors: "张明、李强",
				InspectorCount: 2 + i, ExpertCount: i % 2}
			if err := db.RecordInspection(f.inspector, in, []*taotai.Hazard{{Description: fmt.Sprint("隐患", i), Level: taotai.HazardGeneral, Deadline: day("2020-10-30")}}); err != nil {
				t.Fatal(err)
			}
			if err := storetest.Penalty(db, &taotai.Document{InspectionID: in.ID, Kind: taotai.DocPenalty, IssuedOn: day(date), Fine: taotai.Yuan(1000 * (i + 1))}); err != nil {
				t.Fatal(err)
			}
		}
		ps, err := db.Periods(ctx, 2020)
		if err != nil {
			t.Fatal(err)
		}
		var sum, year forms.Row2
		for _, p := range ps {
			got, _, err := db.FormRows(ctx, forms.Form2, p, anshan, taotai.SectorNonCoal)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range got.([]forms.Row2) {
				if p.Annual() {
					year.Add(r)
				} else {
					sum.Add(r)
				}
			}
		}
		year.Name, year.Address, year.Note = "", "", ""
		if sum != year || year.Inspections != 8 || year.Fines != 36000 {
			t.Errorf("the periods add up to %+v, the year is %+v", sum, year)
		}
	})
}

// TestCoverageFromTheCampaignStart: coverage counts inspections from the
// campaign's start (25 March 2020), not from 1 January, and an offline
// city's 附件2 row once its configured period has ended (June's on its
// cut-off, 25 June, not at the month's end).
func TestCoverageFromTheCampaignStart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		offline := mustCreate(t, db, "210303", "cement")
		for _, e := range []*taotai.Enterprise{f.e, offline} {
			if err := db.SetKeyListed(admin, 2020, e.ID, true, "正常生产"); err != nil {
				t.Fatal(err)
			}
		}
		f.at("2020-03-20")
		if err := db.RecordInspection(f.inspector, f.inspection("2020-03-20"), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().Exec(`INSERT INTO reported_form2 (enterprise_id, period, year, region_path, sector, inspections,
			inspector_times, expert_times, hazards, major_hazards, orders, penalties, fines, note, imported_at)
			VALUES ($1, '2020-06', 2020, $2, $3, 1, 2, 0, 0, 0, 0, 0, 0, '', $4)`, offline.ID, "/210000/210300/210303/", taotai.SectorNonCoal, day("2020-06-25")); err != nil {
			t.Fatal(err)
		}
		inspected := func(until string) int {
			t.Helper()
			rows, err := db.Coverage(admin, 2020, anshan, day(until))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, r := range rows {
				n += r.Inspected
			}
			return n
		}
		if n := inspected("2020-06-24"); n != 0 {
			t.Errorf("by 24 June: %d inspected (an inspection before the campaign's start, a June row before its cut-off)", n)
		}
		if n := inspected("2020-06-25"); n != 1 {
			t.Errorf("by 25 June, June's cut-off: %d inspected, want the offline row's enterprise", n)
		}
		f.at("2020-04-02")
		if err := db.RecordInspection(f.inspector, f.inspection("2020-04-02"), nil); err != nil {
			t.Fatal(err)
		}
		if n := inspected("2020-09-30"); n != 2 {
			t.Errorf("by 30 September: %d inspected, want 2", n)
		}
	})
}
