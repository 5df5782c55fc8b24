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

// issueNotice issues a 行政处罚告知书 in an inspection, failing the test
// on error.
func issueNotice(t *testing.T, db *store.DB, ctx context.Context, inspection int64, on string, fine taotai.Yuan, stop string) *taotai.PenaltyNotice {
	t.Helper()
	n := &taotai.PenaltyNotice{InspectionID: inspection, IssuedOn: day(on), Fine: fine, StopState: stop}
	if err := db.IssuePenaltyNotice(ctx, n); err != nil {
		t.Fatalf("notice on %s: %v", on, err)
	}
	return n
}

// count returns the rows of a table, for "nothing was written".
func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCriteriaInForce: an inspection is offered, and keeps, the criteria
// in force on its date: 2020 the 2017 工贸 list and 总局令第85号, 2024 第10号
// and 第4号; the seed marks the 2017 texts unverified.
func TestCriteriaInForce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		bg := context.Background()
		standards := func(industry string, on string) map[string]int {
			t.Helper()
			cs, err := db.CriteriaOn(bg, industryID(t, db, industry), day(on))
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]int{}
			for _, c := range cs {
				m[c.Standard]++
				if !c.InForceOn(day(on)) {
					t.Errorf("%s %s offered on %s", c.Standard, c.Article, on)
				}
			}
			return m
		}
		for _, tt := range []struct {
			industry, on, standard string
			n                      int
		}{
			{"steel", "2020-06-10", "工贸行业重大生产安全事故隐患判定标准（2017版）（安监总管四〔2017〕129号）", 14 + 11},
			{"aluminium", "2020-06-10", "工贸行业重大生产安全事故隐患判定标准（2017版）（安监总管四〔2017〕129号）", 14 + 10},
			{"coal", "2020-06-10", "煤矿重大生产安全事故隐患判定标准（国家安全监管总局令第85号）", 15},
			{"coal", "2021-01-01", "煤矿重大事故隐患判定标准（应急管理部令第4号）", 15},
			{"steel", "2023-05-15", "工贸企业重大事故隐患判定标准（应急管理部令第10号）", 3 + 8},
			{"steel", "2023-05-14", "工贸行业重大生产安全事故隐患判定标准（2017版）（安监总管四〔2017〕129号）", 25},
		} {
			got := standards(tt.industry, tt.on)
			if len(got) != 1 || got[tt.standard] != tt.n {
				t.Errorf("%s on %s: %v, want %d of %s only", tt.industry, tt.on, got, tt.n, tt.standard)
			}
		}
		all, err := db.AllCriteria(bg)
		if err != nil {
			t.Fatal(err)
		}
		var c2017, c10 *taotai.Criterion
		for _, c := range all {
			if strings.Contains(c.Standard, "2017版") && c.IndustryKey == "steel" && c2017 == nil {
				c2017 = c
			}
			if strings.Contains(c.Standard, "第10号") && c.IndustryKey == "steel" && c10 == nil {
				c10 = c
			}
			if strings.Contains(c.Standard, "2017版") && c.Verified {
				t.Errorf("2017 item %s seeded as verified", c.Article)
			}
		}
		// 2020: the 2017 article is kept, 第10号's refused, nothing written.
		before := count(t, db, "inspections")
		in := f.inspection("2020-06-09")
		err = db.RecordInspection(f.inspector, in, []*taotai.Hazard{{Description: "重大隐患", Level: taotai.HazardMajor, CriterionID: c10.ID, Deadline: day("2020-06-30")}})
		var appErr *taotai.Error
		if !asError(err, &appErr) || appErr.Code != taotai.EINVALID || !strings.Contains(appErr.Fields["hazard0.criterion"], "在检查日期2020-06-09不适用") {
			t.Fatalf("第10号 in 2020: %v", err)
		}
		if count(t, db, "inspections") != before {
			t.Fatal("a refused inspection was written")
		}
		in = f.inspection("2020-06-09")
		h := &taotai.Hazard{Description: "重大隐患", Level: taotai.HazardMajor, CriterionID: c2017.ID, Deadline: day("2020-06-30")}
		if err := db.RecordInspection(f.inspector, in, []*taotai.Hazard{h}); err != nil {
			t.Fatal(err)
		}
		if got, _, err := db.FindHazard(f.inspector, h.ID); err != nil || !strings.Contains(got.CriterionText, c2017.Text) {
			t.Fatalf("the hazard keeps its 2017 article: %+v %v", got, err)
		}
		// The administrator corrects a list's dates; a bad range is refused.
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		c2017.InForceTo = day("2017-01-01")
		if err := db.SaveCriterion(admin, c2017); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("an end before the start: %v", err)
		}
	})
}

// TestAgencyMarksUnique: marks are unique province-wide — 辽阳 prints 辽阳,
// the second 铁西 takes its city's character — in the store and in the
// database's own index; the administrator edits them.
func TestAgencyMarksUnique(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		mk := func(name, region, sector string) *taotai.User {
			u := &taotai.User{Username: name, Role: taotai.RoleInspector, RegionCode: region, Sector: sector}
			if err := db.CreateUser(bg, u, "correct horse battery"); err != nil {
				t.Fatal(err)
			}
			return u
		}
		prov := mk("prov", taotai.ProvinceCode, taotai.SectorNonCoal)
		liaoyang := mk("liaoyang", "211000", taotai.SectorNonCoal)
		sy := mk("sy_tiexi", "210106", taotai.SectorNonCoal)
		as := mk("as_tiexi", "210303", taotai.SectorNonCoal)
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		list, err := db.Agencies(admin)
		if err != nil {
			t.Fatal(err)
		}
		marks := map[int64]string{}
		seen := map[string]bool{}
		for _, a := range list {
			marks[a.ID] = a.ShortName
			if seen[a.ShortName] {
				t.Errorf("mark %s printed twice", a.ShortName)
			}
			seen[a.ShortName] = true
		}
		if marks[prov.AgencyID] != "辽" || marks[liaoyang.AgencyID] != "辽阳" || marks[sy.AgencyID] != "铁西" || marks[as.AgencyID] != "鞍铁西" {
			t.Fatalf("marks: province %s, 辽阳 %s, 沈阳铁西 %s, 鞍山铁西 %s", marks[prov.AgencyID], marks[liaoyang.AgencyID], marks[sy.AgencyID], marks[as.AgencyID])
		}
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, "210300", "")
		for _, tt := range []struct {
			name string
			ctx  context.Context
			mark string
			code string
		}{
			{"not an administrator", clerk, "鞍西", taotai.EFORBIDDEN},
			{"another agency's mark", admin, "辽", taotai.ECONFLICT},
			{"brackets", admin, "（鞍）", taotai.EINVALID},
			{"empty", admin, " ", taotai.EINVALID},
		} {
			if err := db.SetAgencyMark(tt.ctx, as.AgencyID, tt.mark); taotai.ErrorCode(err) != tt.code {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
			}
		}
		if err := db.SetAgencyMark(admin, as.AgencyID, "鞍西"); err != nil {
			t.Fatal(err)
		}
		// The database itself refuses a second agency with the same mark.
		_, err = db.SQL().ExecContext(bg, `UPDATE agencies SET short_name = '辽' WHERE id = $1`, sy.AgencyID)
		if err == nil {
			t.Fatal("the database accepted a repeated mark")
		}
		// A document number carries the new mark.
		e := mustCreate(t, db, "210303", "steel")
		insp := taotai.NewContextWithActor(bg, &taotai.Actor{UserID: as.ID, Username: as.Username, Role: taotai.RoleInspector, RegionCode: "210303",
			RegionPath: e.RegionPath, Sector: taotai.SectorNonCoal, AgencyID: as.AgencyID})
		db.Clock().(*taotai.FixedClock).T = time.Date(2020, 6, 10, 9, 0, 0, 0, taotai.Shanghai)
		in := &taotai.Inspection{EnterpriseID: e.ID, Date: day("2020-06-09"), Kind: taotai.InspectionRoutine, Inspectors: "张明、李强", InspectorCount: 2}
		if err := db.RecordInspection(insp, in, []*taotai.Hazard{{Description: "一般隐患", Level: taotai.HazardGeneral, Deadline: day("2020-06-30")}}); err != nil {
			t.Fatal(err)
		}
		d := &taotai.Document{InspectionID: in.ID, Kind: taotai.DocRectOrder, IssuedOn: day("2020-06-09")}
		if err := db.IssueDocument(insp, d); err != nil || d.Number != "（鞍西）应急责改〔2020〕1号" {
			t.Fatalf("number %q: %v", d.Number, err)
		}
	})
}

// TestInspectionOfficers: every inspection names two officers at least;
// one is refused with nothing written.
func TestInspectionOfficers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		before := count(t, db, "inspections")
		for _, tt := range []struct {
			names string
			n     int
			field string
		}{
			{"张明", 1, "inspectors"},
			{"张明、张明", 2, "inspectors"},
			{"张明、李强", 1, "inspector_count"},
		} {
			in := f.inspection("2020-06-09")
			in.Inspectors, in.InspectorCount = tt.names, tt.n
			err := db.RecordInspection(f.inspector, in, nil)
			var appErr *taotai.Error
			if taotai.ErrorCode(err) != taotai.EINVALID || !asError(err, &appErr) || appErr.Fields[tt.field] == "" {
				t.Errorf("%s/%d: %v", tt.names, tt.n, err)
			}
		}
		if count(t, db, "inspections") != before {
			t.Fatal("a refused inspection was written")
		}
	})
}

// TestPenaltyProcedure: a decision only after a notice to the same
// enterprise, once its days have passed, no heavier than notified, and by
// the agency (an approver), not an inspector.
func TestPenaltyProcedure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		f.clock.T = time.Date(2020, 6, 1, 9, 0, 0, 0, taotai.Shanghai)
		in := f.inspection("2020-06-01")
		if err := db.RecordInspection(f.inspector, in, []*taotai.Hazard{{Description: "一般隐患", Level: taotai.HazardGeneral, Deadline: day("2020-06-30")}}); err != nil {
			t.Fatal(err)
		}
		other := mustCreate(t, db, tiedong, "steel")
		oin := f.inspection("2020-06-01")
		oin.EnterpriseID = other.ID
		if err := db.RecordInspection(f.inspector, oin, nil); err != nil {
			t.Fatal(err)
		}
		decide := func(ctx context.Context, inspection int64, on string, fine taotai.Yuan, notice int64) (*taotai.Document, error) {
			f.clock.T = day(on).Add(10 * time.Hour)
			d := &taotai.Document{InspectionID: inspection, Kind: taotai.DocPenalty, IssuedOn: day(on), Fine: fine, NoticeID: notice}
			return d, db.IssueDocument(ctx, d)
		}
		before := count(t, db, "documents")
		if _, err := decide(f.approver, in.ID, "2020-06-01", 10000, 0); !strings.Contains(taotai.ErrorMessage(err), "须先向该企业下达行政处罚告知书") {
			t.Fatalf("a decision with no notice: %v", err)
		}
		// The other enterprise's notice does not open this one's decision.
		f.clock.T = time.Date(2020, 6, 1, 9, 0, 0, 0, taotai.Shanghai)
		on := issueNotice(t, db, f.inspector, oin.ID, "2020-06-01", 20000, "")
		if _, err := decide(f.approver, in.ID, "2020-06-08", 10000, on.ID); !strings.Contains(taotai.ErrorMessage(err), "不是下达给该企业的") {
			t.Fatalf("another enterprise's notice: %v", err)
		}
		f.clock.T = time.Date(2020, 6, 1, 9, 0, 0, 0, taotai.Shanghai)
		n := issueNotice(t, db, f.inspector, in.ID, "2020-06-01", 20000, "")
		if n.Number != "（鞍）应急罚告〔2020〕2号" || !n.StatementUntil.Equal(day("2020-06-04")) || n.Hearing {
			t.Fatalf("notice: %+v", n)
		}
		for _, tt := range []struct {
			name string
			ctx  context.Context
			on   string
			fine taotai.Yuan
			code string
			msg  string
		}{
			{"an inspector decides", f.inspector, "2020-06-05", 20000, taotai.EFORBIDDEN, "行政处罚决定由执法机关作出"},
			{"within the statement period", f.approver, "2020-06-04", 20000, taotai.EINVALID, "最早于2020-06-05作出"},
			{"heavier than notified", f.approver, "2020-06-05", 20001, taotai.EINVALID, "不能高于告知书告知的拟罚款"},
		} {
			if _, err := decide(tt.ctx, in.ID, tt.on, tt.fine, 0); taotai.ErrorCode(err) != tt.code || !strings.Contains(taotai.ErrorMessage(err), tt.msg) {
				t.Errorf("%s: %v", tt.name, err)
			}
		}
		if count(t, db, "documents") != before {
			t.Fatal("a refused decision was written")
		}
		d, err := decide(f.approver, in.ID, "2020-06-05", 20000, 0)
		if err != nil || d.NoticeID != n.ID || d.Number != "（鞍）应急罚〔2020〕1号" {
			t.Fatalf("decision: %+v %v", d, err)
		}
		if _, err := decide(f.approver, in.ID, "2020-06-08", 20000, n.ID); !strings.Contains(taotai.ErrorMessage(err), "已作出处罚决定") {
			t.Fatalf("a second decision on one notice: %v", err)
		}
		ns, err := db.PenaltyNotices(f.approver, f.e.ID)
		if err != nil || len(ns) != 1 || ns[0].DecisionID != d.ID {
			t.Fatalf("notices: %v %v", ns, err)
		}
		// Out of the lane: 阜新's clerk sees no notice and issues none.
		if ns, err := db.PenaltyNotices(f.other, f.e.ID); err != nil || len(ns) != 0 {
			t.Fatalf("阜新 sees 鞍山's notices: %v %v", ns, err)
		}
		if err := db.IssuePenaltyNotice(f.other, &taotai.PenaltyNotice{InspectionID: in.ID, IssuedOn: day("2020-06-05"), Fine: 1}); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("阜新 issues a notice in 鞍山: %v", err)
		}
		// A large fine gives a hearing: its days count too.
		f.clock.T = time.Date(2020, 6, 5, 9, 0, 0, 0, taotai.Shanghai)
		big := issueNotice(t, db, f.inspector, in.ID, "2020-06-05", 100000, taotai.StatePartial)
		if !big.Hearing || !big.HearingUntil.Equal(day("2020-06-10")) {
			t.Fatalf("hearing: %+v", big)
		}
		if _, err := decide(f.approver, in.ID, "2020-06-10", 100000, big.ID); !strings.Contains(taotai.ErrorMessage(err), "申请听证期限") {
			t.Fatalf("within the hearing period: %v", err)
		}
	})
}

// TestStopProduction: a stop order changes the enterprise from its date —
// its state, 附件1's 备注, its history — and lifting it needs a passing
// re-check and the agency.
func TestStopProduction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		if err := db.SetKeyListed(admin, 2020, f.e.ID, true, "正常生产"); err != nil {
			t.Fatal(err)
		}
		in := f.inspection("2020-06-09")
		h := &taotai.Hazard{Description: "煤气区域无报警", Level: taotai.HazardMajor, CriterionID: f.criterion, Deadline: day("2020-06-30")}
		if err := db.RecordInspection(f.inspector, in, []*taotai.Hazard{h}); err != nil {
			t.Fatal(err)
		}
		if err := db.IssueDocument(f.inspector, &taotai.Document{InspectionID: in.ID, Kind: taotai.DocRectOrder, IssuedOn: day("2020-06-09"), StopState: taotai.StateStopped}); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("a rectification order that stops production: %v", err)
		}
		order := &taotai.Document{InspectionID: in.ID, Kind: taotai.DocStopOrder, IssuedOn: day("2020-06-09")}
		if err := db.IssueDocument(f.inspector, order); err != nil || order.StopState != taotai.StateStopped {
			t.Fatalf("stop order: %+v %v", order, err)
		}
		e, _ := db.FindEnterprise(f.inspector, f.e.ID)
		if e.ProductionState != taotai.StateStopped {
			t.Fatalf("state after the order: %s", e.ProductionState)
		}
		lines, err := db.Form1Lines(admin, 2020, "", taotai.SectorNonCoal)
		if err != nil || len(lines) != 1 || lines[0].Note != "停产" {
			t.Fatalf("附件1 备注: %+v %v", lines, err)
		}
		stops, err := db.ProductionStops(f.inspector, f.e.ID)
		if err != nil || len(stops) != 1 || !stops[0].Active() || !stops[0].From.Equal(day("2020-06-09")) || stops[0].PriorState != taotai.StateNormal {
			t.Fatalf("stops: %+v %v", stops, err)
		}
		if s, err := db.ProductionStops(f.other, f.e.ID); err != nil || len(s) != 0 {
			t.Fatalf("阜新 sees 鞍山's stops: %v %v", s, err)
		}
		lift := func(ctx context.Context, on string) error {
			_, err := db.LiftProductionStop(ctx, stops[0].ID, day(on), "经复查整改合格")
			return err
		}
		if err := lift(f.approver, "2020-06-10"); !strings.Contains(taotai.ErrorMessage(err), "尚有1项未经复查合格") {
			t.Fatalf("lifted before a re-check: %v", err)
		}
		if err := lift(f.other, "2020-06-10"); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("阜新 lifts 鞍山's stop: %v", err)
		}
		f.clock.T = time.Date(2020, 6, 20, 9, 0, 0, 0, taotai.Shanghai)
		cur, _, _ := db.FindHazard(f.inspector, h.ID)
		if _, err := db.RecheckHazard(f.inspector, h.ID, cur.Version, true, day("2020-06-18"), "已加装报警"); err != nil {
			t.Fatal(err)
		}
		if err := lift(f.inspector, "2020-06-19"); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Fatalf("an inspector lifts: %v", err)
		}
		if err := lift(f.approver, "2020-06-17"); !strings.Contains(taotai.ErrorMessage(err), "须经整改复查合格") {
			t.Fatalf("lifted before the re-check's day: %v", err)
		}
		if err := lift(f.approver, "2020-06-19"); err != nil {
			t.Fatal(err)
		}
		e, _ = db.FindEnterprise(f.inspector, f.e.ID)
		lines, _ = db.Form1Lines(admin, 2020, "", taotai.SectorNonCoal)
		if e.ProductionState != taotai.StateNormal || lines[0].Note != "正常生产" {
			t.Fatalf("after lifting: %s, 备注 %q", e.ProductionState, lines[0].Note)
		}
		if err := lift(f.approver, "2020-06-19"); !strings.Contains(taotai.ErrorMessage(err), "已于2020-06-19解除") {
			t.Fatalf("lifted twice: %v", err)
		}
		historyAlike(t, db, f.inspector, f.e.ID)
		items, err := db.Timeline(f.inspector, f.e.ID)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, it := range items {
			if it.Kind == "stop" {
				titles = append(titles, it.Title)
			}
		}
		// The history reads newest first.
		if strings.Join(titles, "|") != "解除停产停业整顿|责令全部停产停业整顿" {
			t.Fatalf("history: %v", titles)
		}
	})
}

// TestCoalOnlyWhereMined: a 煤炭 enterprise outside the coal-producing
// cities is refused with nothing written, unless an administrator gives a
// reason; the reason stays with the enterprise through later edits.
func TestCoalOnlyWhereMined(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, "210300", "") // 鞍山: not a 产煤市
		fxClerk := storetest.ActorContext(db, taotai.RoleCityClerk, "210900", taotai.SectorCoal)
		coal := industryID(t, db, "coal")
		mk := func(region, override string) *taotai.Enterprise {
			return &taotai.Enterprise{Name: "测试煤矿" + region + override, CreditCode: newCode(), Address: "某路1号", RegionCode: region,
				IndustryID: coal, ProductionState: taotai.StateNormal, CoalOverride: override}
		}
		before := count(t, db, "enterprises")
		for _, tt := range []struct {
			name     string
			ctx      context.Context
			e        *taotai.Enterprise
			field    string
			contains string
		}{
			{"a clerk in 鞍山", clerk, mk(tiedong, ""), "industry", "鞍山市不是产煤市"},
			{"an administrator without a reason", admin, mk(tiedong, ""), "industry", "由系统管理员填写理由后登记"},
			{"a clerk giving a reason", clerk, mk(tiedong, "历史遗留小煤矿"), "industry", "只有系统管理员"},
			{"an overlong reason", admin, mk(tiedong, strings.Repeat("长", taotai.MaxNoteLen+1)), "coal_override", "过长"},
		} {
			err := db.CreateEnterprise(tt.ctx, tt.e, false)
			var appErr *taotai.Error
			if !asError(err, &appErr) || appErr.Code != taotai.EINVALID || !strings.Contains(appErr.Fields[tt.field], tt.contains) {
				t.Errorf("%s: %v", tt.name, err)
			}
		}
		if count(t, db, "enterprises") != before {
			t.Fatal("a refused enterprise was written")
		}
		if err := db.CreateEnterprise(fxClerk, mk(haizhou, ""), false); err != nil {
			t.Fatalf("a coal mine in 阜新: %v", err)
		}
		e := mk(tiedong, "经省煤矿安监局确认，由鞍山市监管")
		if err := db.CreateEnterprise(admin, e, false); err != nil {
			t.Fatalf("an administrator's override: %v", err)
		}
		e.Address, e.CoalOverride = "某路2号", ""
		saved, err := db.UpdateEnterprise(clerk, e, false)
		if err != nil || saved.CoalOverride != "经省煤矿安监局确认，由鞍山市监管" {
			t.Fatalf("a clerk's later edit: %+v %v", saved, err)
		}
	})
}
