package store_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/demo"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// enumCodes are every code of the domain's enums: none may reach a person
// reading the audit trail.
var enumCodes = func() map[string]bool {
	m := map[string]bool{}
	for _, list := range [][]string{taotai.CardStates, taotai.YellowReasons, taotai.RedReasons, taotai.Roles,
		{taotai.SectorCoal, taotai.SectorNonCoal},
		{taotai.HazardOpen, taotai.HazardRectifying, taotai.HazardPassed, taotai.HazardFailed, taotai.HazardGeneral, taotai.HazardMajor},
		{taotai.DocRectOrder, taotai.DocStopOrder, taotai.DocRecheck, taotai.DocPenalty},
		{taotai.InspectionRoutine, taotai.InspectionFollowUp, taotai.InspectionTipOff, taotai.InspectionJoint},
		{taotai.StateNormal, taotai.StatePartial, taotai.StateStopped},
		{taotai.SubmissionPrepared, taotai.SubmissionSubmitted, taotai.SubmissionReturned, taotai.SubmissionAccepted},
		{"true", "false"}} {
		for _, c := range list {
			m[c] = true
		}
	}
	return m
}()

var latin = regexp.MustCompile(`[A-Za-z]`)

// TestAuditReadsEveryRecord: every field of every kind of record the
// store writes to the audit trail — the demo's year, an enforcement case
// to its end, accounts, settings, reports — has a Chinese name, and no
// value reads as a raw code.
func TestAuditReadsEveryRecord(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	if _, err := demo.Load(ctx, db, demo.Options{Scale: 1, Seed: 7, Reporting: true}); err != nil {
		t.Fatal(err)
	}
	sys := taotai.NewContextWithActor(ctx, taotai.System)
	admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// An enforcement case to its end, by the normal paths.
	f := newEnforcement(t, db)
	in := f.inspection("2020-06-09")
	h := &taotai.Hazard{Description: "水冷元件无报警", Place: "炼钢车间", Level: taotai.HazardMajor, CriterionID: f.criterion, Deadline: day("2020-06-30")}
	must("inspect", db.RecordInspection(f.inspector, in, []*taotai.Hazard{h}))
	must("order", db.IssueDocument(f.inspector, &taotai.Document{InspectionID: in.ID, HazardID: h.ID, Kind: taotai.DocRectOrder, IssuedOn: day("2020-06-09")}))
	must("fine", storetest.Penalty(db, &taotai.Document{InspectionID: in.ID, Kind: taotai.DocPenalty, IssuedOn: day("2020-06-10"), Fine: 30000}))
	h1, err := db.SetGuarantees(f.inspector, h.ID, 1, taotai.FiveGuarantees{Responsible: "王厂长", Measures: "加装报警", Funds: 50000,
		Deadline: day("2020-06-25"), Plan: "应急预案"})
	must("guarantees", err)
	h2, err := db.ExtendHazard(f.inspector, h.ID, h1.Version, day("2020-07-15"), "设备到货延迟")
	must("extend", err)
	_, err = db.RecheckHazard(f.inspector, h.ID, h2.Version, false, day("2020-06-10"), "仍不合格")
	must("recheck", err)
	f.clock.T = time.Date(2020, 7, 20, 9, 0, 0, 0, taotai.Shanghai)
	card, _, _ := db.FindCard(f.approver, f.e.ID, 2020)
	red, err := db.TransitionCard(f.approver, f.e.ID, 2020, card.Version, taotai.CardTransition{To: taotai.CardRed, Reason: taotai.ReasonStillBelow, Why: "复查不合格"}, nil)
	must("red", err)
	_, err = db.TransitionCard(f.approver, f.e.ID, 2020, red.Version, taotai.CardTransition{To: taotai.CardProposed, Basis: "《安全生产法》第六十条",
		ReportedOn: day("2020-07-18"), Why: "报请关闭"}, nil)
	must("propose", err)
	e, err := db.FindEnterprise(sys, f.e.ID)
	must("find", err)
	e.RegionCode, e.ProductionState = "210303", taotai.StateStopped
	_, err = db.UpdateEnterprise(sys, e, false)
	must("move", err)
	must("key list", db.SetKeyListed(sys, 2020, e.ID, true, "停产"))

	// Accounts and settings.
	u := &taotai.User{Username: "audit_wl", DisplayName: "王丽", Role: taotai.RoleCityClerk, RegionCode: anshan, Sector: taotai.SectorNonCoal}
	_, err = db.CreateAccount(admin, u)
	must("account", err)
	ac, _ := db.Account(admin, u.ID)
	_, err = db.UpdateAccount(admin, u.ID, taotai.AccountUpdate{DisplayName: "王丽", Role: taotai.RoleCityApprover, RegionCode: fuxin,
		Sector: "", Version: ac.Version, Reason: "调任"})
	must("update account", err)
	must("disable", db.SetAccountDisabled(admin, u.ID, true, "离职"))
	_, err = db.ResetPassword(admin, u.ID, "重置")
	must("reset", err)
	must("industry", db.CreateIndustry(admin, &taotai.Industry{Key: "coke", Name: "焦化", Sector: taotai.SectorNonCoal, GBCodes: "2521"}))
	c := &taotai.Criterion{IndustryKey: "coke", Standard: "工贸企业重大事故隐患判定标准", Article: "第一条", Text: "测试条款", Active: true}
	must("criterion", db.SaveCriterion(admin, c))
	c.Text = "测试条款（改）"
	must("criterion again", db.SaveCriterion(admin, c))
	must("coal city", db.SetCoalProducing(admin, anshan, true))
	must("deadline", db.UpdateDeadline(admin, 2020, taotai.DeadlineFirstReport, time.Time{}, day("2020-05-12"), time.Time{}, ""))
	must("year", db.CreateCampaignYear(admin, 2021, 2020, "2021年度"))
	var period, region, sector string
	must("a lock", db.SQL().QueryRow(`SELECT period_key, region_code, sector FROM report_locks WHERE unlocked_at = '' LIMIT 1`).Scan(&period, &region, &sector))
	must("unlock", db.UnlockReport(admin, period, region, sector, "数据有误，退回更正"))
	must("extend report", db.ExtendReport(admin, &taotai.ReportExtension{PeriodKey: "2020-09", RegionCode: anshan, Sector: taotai.SectorNonCoal,
		DueAt: time.Date(2020, 9, 30, 17, 0, 0, 0, taotai.Shanghai), Reason: "系统故障"}))

	entries, total, err := db.FindAudit(storetest.ActorContext(db, taotai.RoleAuditor, taotai.ProvinceCode, ""), taotai.AuditFilter{Limit: 200000})
	must("read", err)
	if total != len(entries) {
		t.Fatalf("read %d of %d", len(entries), total)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Entity] = true
		r := taotai.ReadAudit(e)
		if r.Raw {
			t.Errorf("entry %d (%s): not an object: %q %q", e.Seq, e.Entity, e.Before, e.After)
		}
		if latin.MatchString(taotai.AuditEntityName(e.Entity)) || taotai.AuditEntityName(e.Entity) == "其他记录" {
			t.Errorf("entity %q has no Chinese name", e.Entity)
		}
		for _, fl := range r.Fields {
			if latin.MatchString(fl.Name) {
				t.Errorf("entry %d (%s): field %q has no Chinese name", e.Seq, e.Entity, fl.Name)
			}
			for _, v := range []taotai.AuditValue{fl.Before, fl.After} {
				if enumCodes[v.Text] && fl.Key != "username" { // a login name may spell a role ("admin")
					t.Errorf("entry %d (%s): %s reads %q", e.Seq, e.Entity, fl.Name, v.Text)
				}
			}
		}
		if t.Failed() {
			t.FailNow() // one kind of mistake repeats thousands of times
		}
	}
	for _, want := range []string{"enterprise", "key_list", "inspection", "hazard", "document", "card", "user", "industry",
		"criterion", "region", "deadline", "campaign_year", "report_submission", "report_lock", "report_due"} {
		if !seen[want] {
			t.Errorf("no %s entry was read", want)
		}
	}
	var kinds []string
	for k := range seen {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	t.Logf("%d entries of %s", len(entries), strings.Join(kinds, ", "))
}

// TestAuditObjectsLane: a city's auditor learns the names of the records
// in its lane only; the people who acted and the public names (regions,
// agencies, industries) are named to anyone who may read the trail.
func TestAuditObjectsLane(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db) // 铁东区's steel works, users of 鞍山 and 阜新
		in := f.inspection("2020-06-09")
		h := &taotai.Hazard{Description: "水冷元件无报警", Level: taotai.HazardMajor, CriterionID: f.criterion, Deadline: day("2020-06-30")}
		if err := db.RecordInspection(f.inspector, in, []*taotai.Hazard{h}); err != nil {
			t.Fatal(err)
		}
		far := mustCreate(t, db, haizhou, "steel")
		coal := mustCreate(t, db, tiedong, "coal")
		ids := userIDs(t, db)
		refs := []taotai.AuditRef{
			{Kind: taotai.RefEnterprise, ID: itoa(f.e.ID)}, {Kind: taotai.RefInspection, ID: itoa(in.ID)},
			{Kind: taotai.RefHazard, ID: itoa(h.ID)}, {Kind: taotai.RefCard, ID: itoa(f.e.ID) + "/2020"},
			{Kind: taotai.RefEnterprise, ID: itoa(far.ID)}, {Kind: taotai.RefCard, ID: itoa(far.ID) + "/2020"},
			{Kind: taotai.RefEnterprise, ID: itoa(coal.ID)},
			{Kind: taotai.RefUser, ID: itoa(ids["insp"])}, {Kind: taotai.RefUser, ID: itoa(ids["fx"])},
			{Kind: taotai.RefActor, ID: itoa(ids["fx"])}, {Kind: taotai.RefUsername, ID: "fx"},
			{Kind: taotai.RefRegion, ID: fuxin}, {Kind: taotai.RefIndustry, ID: itoa(far.IndustryID)},
			{Kind: taotai.RefCriterion, ID: itoa(f.criterion)},
			{Kind: taotai.RefReportUnit, ID: "2020-05/210300/noncoal"}, {Kind: taotai.RefReportUnit, ID: "2020-05/210900/noncoal"},
			{Kind: taotai.RefReportUnit, ID: "2020-05/210300/coal"},
			{Kind: taotai.RefEnterprise, ID: "999999"}, {Kind: taotai.RefEnterprise, ID: "x'; --"},
		}
		named := func(ctx context.Context) []string {
			t.Helper()
			objs, err := db.AuditObjects(ctx, refs)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range refs {
				if _, ok := objs[r]; ok {
					out = append(out, r.Kind+":"+r.ID)
				}
			}
			return out
		}
		city := named(storetest.ActorContext(db, taotai.RoleAuditor, anshan, taotai.SectorNonCoal))
		// An independent account of the lane: 鞍山's non-coal records, and
		// whatever is not bound to a lane.
		want := []string{"enterprise:" + itoa(f.e.ID), "inspection:" + itoa(in.ID), "hazard:" + itoa(h.ID), "card:" + itoa(f.e.ID) + "/2020",
			"user:" + itoa(ids["insp"]), "actor:" + itoa(ids["fx"]), "username:fx", "region:" + fuxin, "industry:" + itoa(far.IndustryID),
			"criterion:" + itoa(f.criterion), "report_unit:2020-05/210300/noncoal"}
		if !slices.Equal(city, want) {
			t.Errorf("鞍山's auditor learns\n%v\nwant\n%v", city, want)
		}
		prov := named(storetest.ActorContext(db, taotai.RoleAuditor, taotai.ProvinceCode, ""))
		if len(prov) != len(refs)-2 {
			t.Errorf("the province's auditor learns %d names, want %d: %v", len(prov), len(refs)-2, prov)
		}
		objs, _ := db.AuditObjects(storetest.ActorContext(db, taotai.RoleAuditor, anshan, taotai.SectorNonCoal), refs[:4])
		if o := objs[refs[3]]; o.Name != f.e.Name || o.Detail != "2020" {
			t.Errorf("the card: %+v", o)
		}
		if o := objs[refs[2]]; o.Name != h.Description || o.Detail != f.e.Name {
			t.Errorf("the hazard: %+v", o)
		}
		if _, err := db.AuditObjects(f.inspector, refs); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Errorf("an inspector reads the names: %v", err)
		}
	})
}

// userIDs returns the ids of the accounts by username.
func userIDs(t *testing.T, db *store.DB) map[string]int64 {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT id, username FROM users`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		out[name] = id
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
