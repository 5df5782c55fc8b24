package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

func day(s string) time.Time {
	d, err := time.ParseInLocation(time.DateOnly, s, taotai.Shanghai)
	if err != nil {
		panic(err)
	}
	return d
}

// enforcementFixture: an enterprise in 鞍山 and an inspector of 鞍山 with
// an agency, the clock on 2020-06-10.
type enforcementFixture struct {
	db        *store.DB
	e         *taotai.Enterprise
	inspector context.Context
	approver  context.Context
	other     context.Context // 阜新's clerk
	clock     *taotai.FixedClock
	criterion int64
}

func newEnforcement(t *testing.T, db *store.DB) *enforcementFixture {
	t.Helper()
	f := &enforcementFixture{db: db, clock: db.Clock().(*taotai.FixedClock)}
	f.clock.T = time.Date(2020, 6, 10, 9, 0, 0, 0, taotai.Shanghai)
	f.e = mustCreate(t, db, tiedong, "steel")
	bg := context.Background()
	for _, u := range []*taotai.User{
		{Username: "insp", Role: taotai.RoleInspector, RegionCode: anshan, Sector: taotai.SectorNonCoal},
		{Username: "appr", Role: taotai.RoleCityApprover, RegionCode: anshan, Sector: taotai.SectorNonCoal},
		{Username: "fx", Role: taotai.RoleCityClerk, RegionCode: fuxin, Sector: taotai.SectorNonCoal},
	} {
		if err := db.CreateUser(bg, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindUser(bg, u.ID)
		a, _ := db.ActorFor(bg, got)
		ctx := taotai.NewContextWithActor(bg, a)
		switch u.Username {
		case "insp":
			f.inspector = ctx
		case "appr":
			f.approver = ctx
		default:
			f.other = ctx
		}
	}
	crits, err := db.Criteria(bg, f.e.IndustryID)
	if err != nil || len(crits) == 0 {
		t.Fatalf("criteria: %v %v", crits, err)
	}
	for _, c := range crits {
		if c.IndustryKey == "steel" {
			f.criterion = c.ID
			break
		}
	}
	return f
}

func (f *enforcementFixture) inspection(date string) *taotai.Inspection {
	return &taotai.Inspection{EnterpriseID: f.e.ID, Date: day(date), Kind: taotai.InspectionRoutine, Inspectors: "张明、李强",
		InspectorCount: 2, ExpertCount: 1, Findings: "现场检查"}
}

func TestRecordInspectionWithMajorHazard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		in := f.inspection("2020-06-09")
		hs := []*taotai.Hazard{
			{Description: "煤气区域未设置固定式一氧化碳监测报警装置", Place: "高炉煤气区域", Level: taotai.HazardMajor, CriterionID: f.criterion, Deadline: day("2020-06-30")},
			{Description: "安全警示标志缺失", Level: taotai.HazardGeneral, Deadline: day("2020-06-20")},
		}
		if err := db.RecordInspection(f.inspector, in, hs); err != nil {
			t.Fatal(err)
		}
		got, hazards, _, err := db.FindInspection(f.inspector, in.ID)
		if err != nil || got.Hazards != 2 || got.MajorHazards != 1 || len(hazards) != 2 {
			t.Fatalf("inspection %+v, %d hazards, %v", got, len(hazards), err)
		}
		if !hazards[0].Supervised || hazards[1].Supervised {
			t.Fatal("a major hazard must be under listed supervision (挂牌督办), a general one not")
		}
		card, events, err := db.FindCard(f.inspector, f.e.ID, 2020)
		if err != nil || card.State != taotai.CardYellow || card.Reason != taotai.ReasonMajorHazard || !card.Deadline.Equal(day("2020-06-30")) || len(events) != 1 {
			t.Fatalf("card after a major hazard: %+v, %d events, %v", card, len(events), err)
		}
		if _, _, _, err := db.FindInspection(f.other, in.ID); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("another city reads the inspection: %v", err)
		}
	})
}

func TestRecordInspectionBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		tests := []struct {
			name  string
			edit  func(in *taotai.Inspection, hs []*taotai.Hazard)
			field string
		}{
			{"deadline before the inspection", func(in *taotai.Inspection, hs []*taotai.Hazard) { hs[0].Deadline = day("2020-06-01") }, "hazard0.deadline"},
			{"negative experts", func(in *taotai.Inspection, hs []*taotai.Hazard) { in.ExpertCount = -1 }, "expert_count"},
			{"major without a criterion", func(in *taotai.Inspection, hs []*taotai.Hazard) { hs[0].CriterionID = 0 }, "hazard0.criterion"},
			{"inspection in the future", func(in *taotai.Inspection, hs []*taotai.Hazard) { in.Date = day("2020-06-11") }, "date"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := f.inspection("2020-06-09")
				hs := []*taotai.Hazard{{Description: "隐患", Level: taotai.HazardMajor, CriterionID: f.criterion, Deadline: day("2020-06-30")}}
				tt.edit(in, hs)
				err := db.RecordInspection(f.inspector, in, hs)
				var appErr *taotai.Error
				if !asError(err, &appErr) || appErr.Code != taotai.EINVALID {
					t.Fatalf("want EINVALID, got %v", err)
				}
				found := false
				for k := range appErr.Fields {
					if strings.HasPrefix(k, tt.field) {
						found = true
					}
				}
				if !found {
					t.Fatalf("no message on %s: %v", tt.field, appErr.Fields)
				}
				if list, _, _ := db.FindInspections(f.inspector, store.InspectionFilter{}); len(list) != 0 {
					t.Fatal("a refused inspection was stored")
				}
			})
		}
		// A criterion of another industry is refused.
		crits, _ := db.Criteria(context.Background(), industryID(t, db, "coal"))
		in := f.inspection("2020-06-09")
		err := db.RecordInspection(f.inspector, in, []*taotai.Hazard{{Description: "x", Level: taotai.HazardMajor, CriterionID: crits[0].ID, Deadline: day("2020-06-30")}})
		if taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("coal criterion on a steel works: %v", err)
		}
	})
}

func TestDocumentsOrderNumbersAndMoney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		empty := f.inspection("2020-06-08")
		if err := db.RecordInspection(f.inspector, empty, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.IssueDocument(f.inspector, &taotai.Document{InspectionID: empty.ID, Kind: taotai.DocRectOrder, IssuedOn: day("2020-06-08")}); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("order for an inspection without hazards: %v", err)
		}
		in := f.inspection("2020-06-09")
		if err := db.RecordInspection(f.inspector, in, []*taotai.Hazard{{Description: "隐患", Level: taotai.HazardGeneral, Deadline: day("2020-06-30")}}); err != nil {
			t.Fatal(err)
		}
		if err := db.IssueDocument(f.inspector, &taotai.Document{InspectionID: in.ID, Kind: taotai.DocRecheck, IssuedOn: day("2020-06-09")}); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("re-check opinion before an order: %v", err)
		}
		if err := db.IssueDocument(f.inspector, &taotai.Document{InspectionID: in.ID, Kind: taotai.DocRectOrder, IssuedOn: day("2020-06-09"), Fine: 1000}); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("a fine on an order: %v", err)
		}
		var numbers []string
		for i := 0; i < 2; i++ {
			d := &taotai.Document{InspectionID: in.ID, Kind: taotai.DocRectOrder, IssuedOn: day("2020-06-09")}
			if err := db.IssueDocument(f.inspector, d); err != nil {
				t.Fatal(err)
			}
			numbers = append(numbers, d.Number)
		}
		if numbers[0] != "（鞍）应急责改〔2020〕1号" || numbers[1] != "（鞍）应急责改〔2020〕2号" {
			t.Fatalf("numbers %v", numbers)
		}
		if err := db.IssueDocument(f.inspector, &taotai.Document{InspectionID: in.ID, Kind: taotai.DocRectOrder, IssuedOn: day("2020-06-09"), Seq: 2}); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("a used number: %v", err)
		}
		if err := db.IssueDocument(f.inspector, &taotai.Document{InspectionID: in.ID, Kind: taotai.DocRecheck, IssuedOn: day("2020-06-10")}); err != nil {
			t.Fatalf("re-check after the order: %v", err)
		}
		fine, _ := taotai.ParseWan("0.1")
		for i := 0; i < 3; i++ {
			if err := storetest.Penalty(db, &taotai.Document{InspectionID: in.ID, Kind: taotai.DocPenalty, IssuedOn: day("2020-06-10"), Fine: fine}); err != nil {
				t.Fatal(err)
			}
		}
		got, _, docs, _ := db.FindInspection(f.inspector, in.ID)
		if got.Orders != 2 || got.Penalties != 3 || got.Fines.Wan() != "0.3" || len(docs) != 6 {
			t.Fatalf("orders %d penalties %d fines %s docs %d", got.Orders, got.Penalties, got.Fines.Wan(), len(docs))
		}
		if err := db.IssueDocument(f.other, &taotai.Document{InspectionID: in.ID, Kind: taotai.DocPenalty, IssuedOn: day("2020-06-10")}); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("another city issues on it: %v", err)
		}
	})
}

func TestHazardToItsEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		in := f.inspection("2020-06-09")
		h := &taotai.Hazard{Description: "煤气排水器共用", Level: taotai.HazardMajor, CriterionID: f.criterion, Deadline: day("2020-06-30")}
		if err := db.RecordInspection(f.inspector, in, []*taotai.Hazard{h}); err != nil {
			t.Fatal(err)
		}
		wl, err := db.Worklist(f.inspector, f.clock.T)
		if err != nil || len(wl.NoGuarantees) != 1 || len(wl.NoStopOrder) != 1 {
			t.Fatalf("worklist before 五落实: %+v %v", wl, err)
		}
		g := taotai.FiveGuarantees{Responsible: "王厂长", Measures: "更换排水器", Funds: 50000, Deadline: day("2020-06-25"), Plan: "煤气泄漏应急预案"}
		h1, err := db.SetGuarantees(f.inspector, h.ID, 1, g)
		if err != nil || h1.Status != taotai.HazardRectifying || !h1.Deadline.Equal(day("2020-06-30")) {
			t.Fatalf("guarantees: %+v %v", h1, err)
		}
		if _, err := db.SetGuarantees(f.inspector, h.ID, 1, g); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("second edit on a stale version: %v", err)
		}
		if _, err := db.ExtendHazard(f.inspector, h.ID, h1.Version, day("2020-07-15"), ""); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("extension without a reason: %v", err)
		}
		h2, err := db.ExtendHazard(f.inspector, h.ID, h1.Version, day("2020-07-15"), "设备到货延迟")
		if err != nil || !h2.Deadline.Equal(day("2020-07-15")) {
			t.Fatalf("extension: %+v %v", h2, err)
		}
		_, exts, _ := db.FindHazard(f.inspector, h.ID)
		if len(exts) != 1 || exts[0].Reason != "设备到货延迟" || !exts[0].OldDeadline.Equal(day("2020-06-30")) {
			t.Fatalf("extensions: %+v", exts)
		}
		if _, err := db.RecheckHazard(f.inspector, h.ID, h2.Version, true, day("2020-06-11"), "x"); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("a re-check dated tomorrow: %v", err)
		}
		h3, err := db.RecheckHazard(f.inspector, h.ID, h2.Version, true, day("2020-06-10"), "已整改")
		if err != nil || h3.Status != taotai.HazardPassed {
			t.Fatalf("recheck: %+v %v", h3, err)
		}
		if _, err := db.RecheckHazard(f.inspector, h.ID, h3.Version, false, day("2020-06-10"), ""); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("passed → failed: %v", err)
		}
		// Rectified and passed in time: the yellow card can be lifted.
		card, _, _ := db.FindCard(f.approver, f.e.ID, 2020)
		if _, err := db.TransitionCard(f.approver, f.e.ID, 2020, card.Version, taotai.CardTransition{To: taotai.CardCleared, Why: "按期整改合格"}, nil); err != nil {
			t.Fatalf("clear: %v", err)
		}
	})
}

// TestCardToClosure: overdue yellow card is proposed for red by the
// worklist; an approver makes it red, proposes closure, closes it with
// evidence, and accepts it in October; forbidden steps are refused.
func TestCardToClosure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		in := f.inspection("2020-06-09")
		if err := db.RecordInspection(f.inspector, in, []*taotai.Hazard{{Description: "水冷元件无报警", Level: taotai.HazardMajor, CriterionID: f.criterion, Deadline: day("2020-06-30")}}); err != nil {
			t.Fatal(err)
		}
		card, _, _ := db.FindCard(f.approver, f.e.ID, 2020)
		// 30 June 23:59 in Shanghai: not yet overdue.
		f.clock.T = time.Date(2020, 6, 30, 23, 59, 0, 0, taotai.Shanghai)
		if wl, _ := db.Worklist(f.approver, f.clock.T); len(wl.RedCandidates) != 0 {
			t.Fatal("red candidate on the deadline day")
		}
		if _, err := db.TransitionCard(f.approver, f.e.ID, 2020, card.Version, taotai.CardTransition{To: taotai.CardRed, Reason: taotai.ReasonOverdue, Why: "逾期"}, nil); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("red for overdue on the deadline day: %v", err)
		}
		// 1 July 00:30 in Shanghai (16:30 UTC on 30 June): overdue.
		f.clock.T = time.Date(2020, 6, 30, 16, 30, 0, 0, time.UTC)
		wl, _ := db.Worklist(f.approver, f.clock.T)
		if len(wl.RedCandidates) != 1 || len(wl.Overdue) != 1 {
			t.Fatalf("worklist after the deadline: %d red candidates, %d overdue", len(wl.RedCandidates), len(wl.Overdue))
		}
		if _, err := db.TransitionCard(f.inspector, f.e.ID, 2020, card.Version, taotai.CardTransition{To: taotai.CardRed, Reason: taotai.ReasonOverdue, Why: "逾期"}, nil); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Fatalf("an inspector makes it red: %v", err)
		}
		if _, err := db.TransitionCard(f.approver, f.e.ID, 2020, card.Version, taotai.CardTransition{To: taotai.CardClosed, ClosedOn: day("2020-07-01")}, nil); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("yellow → closed: %v", err)
		}
		red, err := db.TransitionCard(f.approver, f.e.ID, 2020, card.Version, taotai.CardTransition{To: taotai.CardRed, Reason: taotai.ReasonOverdue, Why: "逾期未整改"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.TransitionCard(f.approver, f.e.ID, 2020, card.Version, taotai.CardTransition{To: taotai.CardProposed}, nil); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("a stale card version: %v", err)
		}
		f.clock.T = time.Date(2020, 7, 10, 10, 0, 0, 0, taotai.Shanghai)
		prop, err := db.TransitionCard(f.approver, f.e.ID, 2020, red.Version, taotai.CardTransition{To: taotai.CardProposed, Basis: "《安全生产法》第六十条", ReportedOn: day("2020-07-08"), Why: "报请关闭"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		photo := store.Attachment{Filename: "拆除现场.jpg", ContentType: "image/jpeg", Data: []byte("\xff\xd8\xff fake jpeg")}
		closed, err := db.TransitionCard(f.approver, f.e.ID, 2020, prop.Version, taotai.CardTransition{To: taotai.CardClosed, ClosedOn: day("2020-07-09"),
			Basis: "市政府关闭决定", Evidence: "设备已拆除、已断电", VerifiedBy: "赵科长", Why: "已关闭"}, []store.Attachment{photo})
		if err != nil {
			t.Fatal(err)
		}
		// Acceptance is a record of its own (CreateAcceptance): the card's
		// transition alone is refused, and in July the card's rule (the
		// 总结验收 phase) refuses the acceptance too.
		if _, err := db.TransitionCard(f.approver, f.e.ID, 2020, closed.Version, taotai.CardTransition{To: taotai.CardAccepted, AcceptedOn: day("2020-07-10"),
			Members: "工信、发改", Findings: "已关闭", Why: "验收"}, nil); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("a card accepted without an acceptance: %v", err)
		}
		if err := db.CreateAcceptance(f.approver, passingAcceptance(f.e.ID, "2020-07-10"), nil); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("acceptance in July: %v", err)
		}
		f.clock.T = time.Date(2020, 10, 20, 10, 0, 0, 0, taotai.Shanghai)
		if err := db.CreateAcceptance(f.approver, passingAcceptance(f.e.ID, "2020-10-20"), nil); err != nil {
			t.Fatal(err)
		}
		final, events, err := db.FindCard(f.approver, f.e.ID, 2020)
		if err != nil || final.State != taotai.CardAccepted || len(events) != 5 {
			t.Fatalf("final: %s with %d events, %v", final.State, len(events), err)
		}
		files := events[3].Files
		if len(files) != 1 || files[0].SHA256 == "" || files[0].Size != int64(len(photo.Data)) {
			t.Fatalf("evidence: %+v", files)
		}
		if _, err := db.Attachment(f.other, files[0].ID); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("another city downloads the evidence: %v", err)
		}
		hist := historyAlike(t, db, f.approver, f.e.ID)
		if c := hist.Card(2020); c.State != taotai.CardAccepted || c.Version != final.Version {
			t.Fatalf("the history's card of 2020: %s version %d, want %s version %d", c.State, c.Version, final.State, final.Version)
		}
		if c := hist.Card(2019); c.State != taotai.CardNone || c.EnterpriseID != f.e.ID {
			t.Fatalf("the history's card of a year without one: %+v", c)
		}
		if len(hist.Acceptances) != 1 || len(hist.Unresolved) != 1 || hist.Enterprise.ID != f.e.ID || len(hist.Years) == 0 {
			t.Fatalf("history: %d acceptances, %d unresolved hazards, enterprise %d, %d years", len(hist.Acceptances), len(hist.Unresolved), hist.Enterprise.ID, len(hist.Years))
		}
		tl, err := db.Timeline(f.approver, f.e.ID)
		if err != nil || len(tl) < 7 {
			t.Fatalf("timeline: %d items, %v", len(tl), err)
		}
	})
}

func TestCoverage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		other := mustCreate(t, db, "210303", "cement")
		far := mustCreate(t, db, haizhou, "glass")
		for _, e := range []*taotai.Enterprise{f.e, other, far} {
			if err := db.SetKeyListed(admin, 2020, e.ID, true, "正常生产"); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.RecordInspection(f.inspector, f.inspection("2020-06-09"), nil); err != nil {
			t.Fatal(err)
		}
		rows, err := db.Coverage(admin, 2020, "", day("2020-09-30"))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][2]int{}
		for _, r := range rows {
			got[r.RegionName] = [2]int{r.Listed, r.Inspected}
		}
		if got["鞍山市"] != [2]int{2, 1} || got["阜新市"] != [2]int{1, 0} {
			t.Fatalf("province coverage: %v", got)
		}
		city, _ := db.Coverage(admin, 2020, anshan, day("2020-09-30"))
		if len(city) != 2 || city[0].RegionName != "铁东区" || city[0].Percent() != 100 {
			t.Fatalf("city coverage: %+v", city)
		}
		gaps, n, err := db.CoverageGaps(f.approver, 2020, anshan, day("2020-09-30"))
		if err != nil || n != 1 || gaps[0].ID != other.ID {
			t.Fatalf("gaps: %v %d %v", gaps, n, err)
		}
		if _, err := db.Coverage(f.approver, 2020, fuxin, day("2020-09-30")); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("鞍山 sees 阜新's coverage: %v", err)
		}
	})
}

func TestCriteriaAdministration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		c := &taotai.Criterion{IndustryKey: "steel", Standard: "工贸企业重大事故隐患判定标准", Article: "第四条第（九）项", Text: "新增条款", Active: true}
		if err := db.SaveCriterion(clerk, c); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Fatalf("a clerk edits criteria: %v", err)
		}
		if err := db.SaveCriterion(admin, &taotai.Criterion{IndustryKey: "steel", Standard: "x", Article: "", Text: ""}); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("empty article: %v", err)
		}
		if err := db.SaveCriterion(admin, c); err != nil {
			t.Fatal(err)
		}
		steel := industryID(t, db, "steel")
		list, _ := db.Criteria(admin, steel)
		found := false
		for _, x := range list {
			found = found || x.ID == c.ID
		}
		if !found {
			t.Fatal("the new criterion is not offered for steel")
		}
		c.Active = false
		if err := db.SaveCriterion(admin, c); err != nil {
			t.Fatal(err)
		}
		list, _ = db.Criteria(admin, steel)
		for _, x := range list {
			if x.ID == c.ID {
				t.Fatal("a retired criterion is still offered")
			}
		}
	})
}

// TestEveryCardTransitionOnBothDatabases: for every pair of states, a card
// in the first is asked to move to the second with complete data; the
// store agrees with the state machine (taotai.CardTransitions) on both
// databases, and a refused move changes nothing.
func TestEveryCardTransitionOnBothDatabases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		// The enterprise's one hazard passed its re-check (for 已摘牌).
		h := &taotai.Hazard{Description: "隐患", Level: taotai.HazardGeneral, Deadline: day("2020-06-30")}
		if err := db.RecordInspection(f.inspector, f.inspection("2020-06-09"), []*taotai.Hazard{h}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecheckHazard(f.inspector, h.ID, 1, true, day("2020-06-10"), "合格"); err != nil {
			t.Fatal(err)
		}
		f.clock.T = time.Date(2020, 10, 20, 10, 0, 0, 0, taotai.Shanghai)
		data := map[string]taotai.CardTransition{
			taotai.CardYellow:   {Reason: taotai.ReasonBelowStandard, Rectify: "安全设施不达标", Deadline: day("2020-10-25"), Why: "检查发现"},
			taotai.CardCleared:  {Why: "按期整改合格"},
			taotai.CardRed:      {Reason: taotai.ReasonStillBelow, Why: "经整改仍不具备安全生产条件"},
			taotai.CardProposed: {Basis: "《安全生产法》第六十条", ReportedOn: day("2020-10-19"), Why: "报请关闭"},
			taotai.CardClosed:   {ClosedOn: day("2020-10-19"), Basis: "市政府关闭决定", Evidence: "设备已拆除", VerifiedBy: "赵科长", Why: "已关闭"},
			taotai.CardAccepted: {AcceptedOn: day("2020-10-20"), Members: "工信、发改、应急", Findings: "现场无生产迹象", Why: "验收"},
		}
		for _, from := range taotai.CardStates {
			for _, to := range taotai.CardStates {
				if to == taotai.CardNone {
					continue
				}
				t.Run(from+"→"+to, func(t *testing.T) {
					// A fresh card in state from, with the dates its past implies.
					if _, err := db.SQL().Exec(`DELETE FROM card_events`); err != nil {
						t.Fatal(err)
					}
					if _, err := db.SQL().Exec(`DELETE FROM cards`); err != nil {
						t.Fatal(err)
					}
					if from != taotai.CardNone {
						if _, err := db.SQL().Exec(`INSERT INTO cards (enterprise_id, year, region_path, sector, state, reason, rectify, deadline,
							reported_on, closed_on, version, created_at, updated_at) VALUES ($1, 2020, $2, $3, $4, 'below_standard', '整改', '2020-10-25',
							'2020-10-18', '2020-10-19', 1, $5, $5)`, f.e.ID, f.e.RegionPath, f.e.Sector, from, time.Now().UTC()); err != nil {
							t.Fatal(err)
						}
					}
					card, _, _ := db.FindCard(f.approver, f.e.ID, 2020)
					tr := data[to]
					tr.To = to
					_, err := db.TransitionCard(f.approver, f.e.ID, 2020, card.Version, tr, nil)
					// 已验收 comes only with an acceptance record
					// (CreateAcceptance, acceptances_test.go).
					allowed := false
					for _, x := range taotai.CardTransitions(from) {
						if to == taotai.CardAccepted {
							break
						}
						allowed = allowed || x == to
					}
					after, _, _ := db.FindCard(f.approver, f.e.ID, 2020)
					switch {
					case allowed && err != nil:
						t.Fatalf("allowed, refused: %v", err)
					case allowed && after.State != to:
						t.Fatalf("allowed, state %s", after.State)
					case !allowed && taotai.ErrorCode(err) != taotai.EINVALID:
						t.Fatalf("forbidden, got %v", err)
					case !allowed && after.State != from:
						t.Fatalf("forbidden, yet the state moved to %s", after.State)
					}
				})
			}
		}
	})
}
