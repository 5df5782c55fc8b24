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

// bulkFixture: a steel works in 鞍山市铁东区 and a coal mine in
// 阜新市海州区, the clock on 2020-12-01.
type bulkFixture struct {
	db        *store.DB
	admin     context.Context
	steel     *taotai.Enterprise
	mine      *taotai.Enterprise
	criterion int64 // a steel article
}

func newBulkFixture(t *testing.T, db *store.DB) *bulkFixture {
	t.Helper()
	db.Clock().(*taotai.FixedClock).T = time.Date(2020, 12, 1, 9, 0, 0, 0, taotai.Shanghai)
	f := &bulkFixture{db: db, admin: storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")}
	f.steel = mustCreate(t, db, tiedong, "steel")
	f.mine = mustCreate(t, db, haizhou, "coal")
	crits, err := db.Criteria(context.Background(), f.steel.IndustryID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range crits {
		if c.IndustryKey == "steel" {
			f.criterion = c.ID
			break
		}
	}
	return f
}

// batch returns a valid batch: the steel works inspected on 6 May with a
// general and a major hazard (orders, stop order, re-check, penalty) and
// carded yellow then cleared; the mine inspected on 7 May without
// findings.
func (f *bulkFixture) batch() *store.EnforcementBatch {
	steel := &store.InspectionLoad{
		Inspection: &taotai.Inspection{EnterpriseID: f.steel.ID, Date: day("2020-05-06"), Kind: taotai.InspectionRoutine,
			Inspectors: "张明、李强", InspectorCount: 2, ExpertCount: 1, Findings: "发现问题和隐患2项"},
		Hazards: []*taotai.Hazard{
			{Description: "皮带通廊紧急拉绳开关失效", Place: "原料场", Level: taotai.HazardGeneral, Deadline: day("2020-05-21"),
				Status: taotai.HazardPassed, RecheckDate: day("2020-05-18"), RecheckNote: "已整改合格"},
			{Description: "煤气区域未设置固定式一氧化碳监测报警装置", Level: taotai.HazardMajor, CriterionID: f.criterion,
				Deadline: day("2020-06-20"), Status: taotai.HazardPassed, RecheckDate: day("2020-06-15"), Supervised: true},
		},
		Documents: []*store.DocumentLoad{
			{Document: &taotai.Document{Kind: taotai.DocRectOrder, IssuedOn: day("2020-05-06")}},
			{Hazard: 2, Document: &taotai.Document{Kind: taotai.DocStopOrder, IssuedOn: day("2020-05-06")}},
			{Document: &taotai.Document{Kind: taotai.DocRecheck, IssuedOn: day("2020-05-18")}},
			{Hazard: 2, Document: &taotai.Document{Kind: taotai.DocRecheck, IssuedOn: day("2020-06-15")}},
			{Document: &taotai.Document{Kind: taotai.DocPenalty, IssuedOn: day("2020-05-20"), Fine: 12500},
				Notice: &taotai.PenaltyNotice{IssuedOn: day("2020-05-08"), Fine: 12500, Content: "拟给予罚款"}},
		},
	}
	mine := &store.InspectionLoad{Inspection: &taotai.Inspection{EnterpriseID: f.mine.ID, Date: day("2020-05-07"),
		Kind: taotai.InspectionJoint, Inspectors: "王磊、赵刚、孙伟", InspectorCount: 3, ExpertCount: 2}}
	at := func(d string) time.Time { return day(d).Add(10 * time.Hour) }
	card := &store.CardLoad{EnterpriseID: f.steel.ID, Year: 2020, Events: []store.CardEventLoad{
		{At: at("2020-05-06"), By: "张明", Transition: taotai.CardTransition{To: taotai.CardYellow, Reason: taotai.ReasonMajorHazard,
			Rectify: "煤气区域未设置固定式一氧化碳监测报警装置", Deadline: day("2020-06-20"), Why: "检查发现重大事故隐患"}},
		{At: at("2020-06-15"), Transition: taotai.CardTransition{To: taotai.CardCleared, Rechecked: true, Why: "按期整改合格"}},
	}}
	return &store.EnforcementBatch{Inspections: []*store.InspectionLoad{steel, mine}, Cards: []*store.CardLoad{card}}
}

// rowCounts counts the rows the loader writes, and the audit entries.
func rowCounts(t *testing.T, db *store.DB) [6]int {
	t.Helper()
	var c [6]int
	for i, table := range []string{"inspections", "hazards", "documents", "cards", "card_events", "audit_log"} {
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&c[i]); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestBulkLoadEnforcement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newBulkFixture(t, db)
		before := rowCounts(t, db)
		b := f.batch()
		if err := db.BulkLoadEnforcement(f.admin, b); err != nil {
			t.Fatal(err)
		}
		after := rowCounts(t, db)
		want := [6]int{2, 2, 5, 1, 2, 2 + 2 + 5 + 1 + 2} // with the decision's notice's audit entry
		for i := range want {
			if after[i]-before[i] != want[i] {
				t.Fatalf("rows written %v (before %v), want %v more", after, before, want)
			}
		}

		// Lanes copied from the enterprises onto every row.
		for _, q := range []string{
			`SELECT COUNT(*) FROM inspections x JOIN enterprises e ON e.id = x.enterprise_id WHERE x.region_path <> e.region_path OR x.sector <> e.sector`,
			`SELECT COUNT(*) FROM hazards x JOIN enterprises e ON e.id = x.enterprise_id WHERE x.region_path <> e.region_path OR x.sector <> e.sector`,
			`SELECT COUNT(*) FROM documents x JOIN enterprises e ON e.id = x.enterprise_id WHERE x.region_path <> e.region_path OR x.sector <> e.sector`,
			`SELECT COUNT(*) FROM cards x JOIN enterprises e ON e.id = x.enterprise_id WHERE x.region_path <> e.region_path OR x.sector <> e.sector`,
		} {
			var n int
			if err := db.SQL().QueryRow(q).Scan(&n); err != nil || n != 0 {
				t.Fatalf("%d rows with a lane not their enterprise's (%v): %s", n, err, q)
			}
		}
		steel, mine := b.Inspections[0].Inspection, b.Inspections[1].Inspection
		if steel.RegionPath != f.steel.RegionPath || steel.Sector != taotai.SectorNonCoal || mine.Sector != taotai.SectorCoal {
			t.Fatalf("lanes %q/%q and %q", steel.RegionPath, steel.Sector, mine.Sector)
		}

		// The city's agency of the sector, and the documents numbered in
		// the order of their dates.
		a := storetest.ActorContext(db, taotai.RoleCityApprover, anshan, taotai.SectorNonCoal)
		in, hs, ds, err := db.FindInspection(a, steel.ID)
		if err != nil {
			t.Fatal(err)
		}
		if in.AgencyName != "鞍山市应急管理局" || in.Hazards != 2 || in.MajorHazards != 1 || in.Orders != 1 || in.Penalties != 1 || in.Fines != 12500 {
			t.Fatalf("inspection %+v", in)
		}
		if len(hs) != 2 || hs[1].Level != taotai.HazardMajor || hs[1].Status != taotai.HazardPassed || !hs[1].Supervised ||
			hs[1].ID != b.Inspections[0].Hazards[1].ID || hs[0].RecheckDate != day("2020-05-18") {
			t.Fatalf("hazards %+v %+v", hs[0], hs[1])
		}
		// The decision follows its notice, numbered by the agency: Friday
		// 8 May, Saturday 9 May worked in exchange for 劳动节, so the
		// statement ran to Tuesday 12 May.
		var notice int64
		var number, until string
		if err := db.SQL().QueryRow(`SELECT d.notice_id, p.number, p.statement_until FROM documents d JOIN penalty_notices p ON p.id = d.notice_id
			WHERE d.kind = 'penalty' AND d.inspection_id = $1`, steel.ID).Scan(&notice, &number, &until); err != nil ||
			notice != b.Inspections[0].Documents[4].Notice.ID || number != "（鞍）应急罚告〔2020〕1号" || until != "2020-05-12" {
			t.Fatalf("the decision's notice: %d %q %q %v", notice, number, until, err)
		}
		numbers := map[string]string{}
		for _, d := range ds {
			numbers[d.Kind+"@"+dateString(d.IssuedOn)] = d.Number
		}
		wantNumbers := map[string]string{
			"rect_order@2020-05-06": "（鞍）应急责改〔2020〕1号",
			"stop_order@2020-05-06": "（鞍）应急现决〔2020〕1号",
			"recheck@2020-05-18":    "（鞍）应急复查〔2020〕1号",
			"recheck@2020-06-15":    "（鞍）应急复查〔2020〕2号",
			"penalty@2020-05-20":    "（鞍）应急罚〔2020〕1号",
		}
		for k, v := range wantNumbers {
			if numbers[k] != v {
				t.Errorf("%s numbered %q, want %q", k, numbers[k], v)
			}
		}
		for _, d := range ds {
			if d.Kind == taotai.DocStopOrder && d.HazardID != hs[1].ID {
				t.Errorf("stop order on hazard %d, want %d", d.HazardID, hs[1].ID)
			}
		}
		coal := storetest.ActorContext(db, taotai.RoleCityApprover, fuxin, taotai.SectorCoal)
		if in, _, _, err := db.FindInspection(coal, mine.ID); err != nil || in.AgencyName != "阜新市煤矿安全监管局" {
			t.Fatalf("mine inspection %+v, %v", in, err)
		}

		// The card replayed to its final state, with its history.
		c, events, err := db.FindCard(a, f.steel.ID, 2020)
		if err != nil {
			t.Fatal(err)
		}
		if c.State != taotai.CardCleared || !c.RectifiedInTime || c.Deadline != day("2020-06-20") || len(events) != 2 ||
			events[0].To != taotai.CardYellow || events[0].By != "张明" || events[1].From != taotai.CardYellow || events[1].By != "admin@210000" ||
			b.Cards[0].Card.ID != c.ID {
			t.Fatalf("card %+v, events %+v %+v", c, events[0], events[1])
		}

		// A second batch continues the numbers.
		more := &store.EnforcementBatch{Inspections: []*store.InspectionLoad{{
			Inspection: &taotai.Inspection{EnterpriseID: f.steel.ID, Date: day("2020-07-01"), Kind: taotai.InspectionFollowUp,
				Inspectors: "张明、李强", InspectorCount: 2},
			Hazards:   []*taotai.Hazard{{Description: "安全警示标志设置不全", Level: taotai.HazardGeneral, Deadline: day("2020-07-15")}},
			Documents: []*store.DocumentLoad{{Document: &taotai.Document{Kind: taotai.DocRectOrder, IssuedOn: day("2020-07-01")}}},
		}}}
		if err := db.BulkLoadEnforcement(f.admin, more); err != nil {
			t.Fatal(err)
		}
		if n := more.Inspections[0].Documents[0].Document.Number; n != "（鞍）应急责改〔2020〕2号" {
			t.Fatalf("second batch numbered %q", n)
		}
		if n, brk, err := db.VerifyAudit(context.Background()); err != nil || brk != nil {
			t.Fatalf("audit after %d entries: %+v %v", n, brk, err)
		}
	})
}

// TestBulkLoadEnforcementAllOrNothing: a bad row anywhere — caught by the
// rules before writing, or by the database after the inspections are in —
// leaves nothing written, and the message names the row.
func TestBulkLoadEnforcementAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newBulkFixture(t, db)
		before := rowCounts(t, db)
		cases := []struct {
			name  string
			spoil func(b *store.EnforcementBatch)
			code  string
			msg   string
		}{
			{"hazard without description", func(b *store.EnforcementBatch) { b.Inspections[0].Hazards[0].Description = " " },
				taotai.EINVALID, "第1条检查记录（测试企业210302steel，2020-05-06）第1项隐患有误：隐患描述不能为空。"},
			{"inspection in the future", func(b *store.EnforcementBatch) { b.Inspections[1].Inspection.Date = day("2020-12-25") },
				taotai.EINVALID, "第2条检查记录（测试企业210902coal，2020-12-25）有误：检查日期不能晚于今天。"},
			{"document before the inspection", func(b *store.EnforcementBatch) {
				b.Inspections[0].Documents[2].Document.IssuedOn = day("2020-05-05")
			}, taotai.EINVALID, "第3份文书（整改复查意见书）有误：文书日期应在检查日期（2020-05-06）至今天之间"},
			{"re-check dated before the order", func(b *store.EnforcementBatch) {
				b.Inspections[0].Documents[0].Document.IssuedOn = day("2020-05-19")
			}, taotai.EINVALID, "第3份文书（整改复查意见书）有误：尚未下达责令限期整改指令书，不能出具整改复查意见书。"},
			{"re-check without order", func(b *store.EnforcementBatch) {
				b.Inspections[0].Documents = b.Inspections[0].Documents[1:]
			}, taotai.EINVALID, "尚未下达责令限期整改指令书，不能出具整改复查意见书。"},
			{"major hazard of another industry", func(b *store.EnforcementBatch) {
				b.Inspections[1].Hazards = []*taotai.Hazard{{Description: "瓦斯超限", Level: taotai.HazardMajor, CriterionID: f.criterion, Deadline: day("2020-06-01")}}
			}, taotai.EINVALID, "第2条检查记录（测试企业210902coal，2020-05-07）第1项隐患有误：所选判定标准条款不适用于该企业所属行业。"},
			{"passed without re-check", func(b *store.EnforcementBatch) { b.Inspections[0].Hazards[0].RecheckDate = time.Time{} },
				taotai.EINVALID, "状态为“复查合格”，但没有复查日期"},
			{"card cleared after its deadline", func(b *store.EnforcementBatch) {
				b.Cards[0].Events[1].At = day("2020-06-25").Add(10 * time.Hour)
			}, taotai.EINVALID, "第1张黄/红牌（测试企业210302steel，2020年度）第2次变更（黄牌 → 已摘牌）：整改期限已过，应转为红牌。"},
			{"a decision without its notice", func(b *store.EnforcementBatch) { b.Inspections[0].Documents[4].Notice = nil },
				taotai.EINVALID, "第5份文书（行政处罚决定书）有误：作出行政处罚决定前，须先向该企业下达行政处罚告知书"},
			{"a decision within the statement period", func(b *store.EnforcementBatch) {
				b.Inspections[0].Documents[4].Notice.IssuedOn = day("2020-05-18")
			}, taotai.EINVALID, "陈述、申辩期限至2020-05-21（工作日计算）届满，处罚决定最早于2020-05-22作出"},
			{"a decision heavier than its notice", func(b *store.EnforcementBatch) { b.Inspections[0].Documents[4].Notice.Fine = 10000 },
				taotai.EINVALID, "不能高于告知书告知的拟罚款"},
			{"unknown enterprise", func(b *store.EnforcementBatch) { b.Inspections[1].Inspection.EnterpriseID = 999999 },
				taotai.EINVALID, "第2条检查记录：企业（编号999999）不存在。"},
			{"card already there (the database refuses, after the inspections)", func(b *store.EnforcementBatch) {
				b.Cards = append(b.Cards, &store.CardLoad{EnterpriseID: f.mine.ID, Year: 2020, Events: []store.CardEventLoad{{
					At: day("2020-05-07").Add(10 * time.Hour), Transition: taotai.CardTransition{To: taotai.CardYellow,
						Reason: taotai.ReasonBelowStandard, Rectify: "通风系统不完善", Deadline: day("2020-06-07")}}}})
			}, taotai.ECONFLICT, "黄/红牌中有记录与已有记录重复，全部未保存。"},
		}
		// The last case needs a card of the mine already stored.
		if _, err := db.TransitionCard(storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, ""), f.mine.ID, 2020, 0,
			taotai.CardTransition{To: taotai.CardYellow, Reason: taotai.ReasonBelowStandard, Rectify: "通风系统不完善", Deadline: day("2020-12-31")}, nil); err != nil {
			t.Fatal(err)
		}
		before[3], before[4], before[5] = before[3]+1, before[4]+1, before[5]+1
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				b := f.batch()
				c.spoil(b)
				err := db.BulkLoadEnforcement(f.admin, b)
				t.Log(taotai.ErrorMessage(err))
				if taotai.ErrorCode(err) != c.code || !strings.Contains(taotai.ErrorMessage(err), c.msg) {
					t.Fatalf("error %v (%s), want %s containing %q", err, taotai.ErrorMessage(err), c.code, c.msg)
				}
				if got := rowCounts(t, db); got != before {
					t.Fatalf("rows %v after a refused batch, want %v", got, before)
				}
				if id := b.Inspections[0].Inspection.ID; id != 0 {
					t.Fatalf("refused batch left id %d on its inspection", id)
				}
			})
		}

		// Only administrators load.
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		if err := db.BulkLoadEnforcement(clerk, f.batch()); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Fatalf("clerk's bulk load: %v", err)
		}
		if err := db.BulkLoadEnforcement(context.Background(), f.batch()); taotai.ErrorCode(err) != taotai.EUNAUTH {
			t.Fatalf("anonymous bulk load: %v", err)
		}
		if got := rowCounts(t, db); got != before {
			t.Fatalf("rows %v, want %v", got, before)
		}
	})
}

func dateString(t time.Time) string { return t.Format(time.DateOnly) }

// TestBulkLoadEnforcementCountyAgency: an inspection whose AgencyRegion is
// the enterprise's county is the county bureau's (created once, numbering
// its own documents), one of its city is the city's, and a region that is
// not the enterprise's is refused with nothing written.
func TestBulkLoadEnforcementCountyAgency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newBulkFixture(t, db)
		b := f.batch()
		b.Inspections[0].AgencyRegion = tiedong
		b.Inspections[1].AgencyRegion = "210900"
		if err := db.BulkLoadEnforcement(f.admin, b); err != nil {
			t.Fatal(err)
		}
		agency := func(id int64) (name, short, region string) {
			t.Helper()
			if err := db.SQL().QueryRow(`SELECT a.name, a.short_name, a.region_code FROM inspections n JOIN agencies a ON a.id = n.agency_id
				WHERE n.id = $1`, id).Scan(&name, &short, &region); err != nil {
				t.Fatal(err)
			}
			return
		}
		if n, s, r := agency(b.Inspections[0].Inspection.ID); n != "鞍山市铁东区应急管理局" || s != "铁东" || r != tiedong {
			t.Errorf("steel works inspected by %s（%s）of %s", n, s, r)
		}
		if n, s, r := agency(b.Inspections[1].Inspection.ID); n != "阜新市煤矿安全监管局" || s != "阜煤" || r != "210900" {
			t.Errorf("mine inspected by %s（%s）of %s", n, s, r)
		}
		var wrong int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM documents d JOIN inspections n ON n.id = d.inspection_id
			WHERE d.agency_id <> n.agency_id OR d.number NOT LIKE '（铁东）%'`).Scan(&wrong); err != nil || wrong != 0 {
			t.Errorf("%d documents not numbered by the county bureau (%v)", wrong, err)
		}

		before := rowCounts(t, db)
		bad := f.batch()
		bad.Inspections[0].AgencyRegion = "210902" // 阜新市海州区, not the steel works' county
		bad.Cards = nil
		if err := db.BulkLoadEnforcement(f.admin, bad); taotai.ErrorCode(err) != taotai.EINVALID || !strings.Contains(taotai.ErrorMessage(err), "检查单位") {
			t.Fatalf("agency of another county: %v", err)
		}
		if after := rowCounts(t, db); after != before {
			t.Fatalf("rows %v after a refused batch, before %v", after, before)
		}
	})
}
