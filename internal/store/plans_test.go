package store_test

import (
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestInspectionPlans: 鞍山's clerk drafts the city's plan from the key
// list (an enterprise off the list, of another city or channel, or a month
// before the campaign's start is refused, nothing changed), submits it;
// a county clerk cannot approve it, 阜新 cannot see it; the city's
// approver approves it. A county's plan is returned with its reason.
// Progress (done, overdue) is checked against a recount of the items and
// the inspections, on the plan, on the coverage table and the worklist.
func TestInspectionPlans(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnforcement(t, db)
		admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
		clerk := storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
		county := storetest.ActorContext(db, taotai.RoleCityClerk, tiedong, taotai.SectorNonCoal)
		countyApprover := storetest.ActorContext(db, taotai.RoleCityApprover, tiedong, taotai.SectorNonCoal)
		other := mustCreate(t, db, "210303", "cement")
		far := mustCreate(t, db, haizhou, "glass")
		coal := mustCreate(t, db, tiedong, "coal")
		unlisted := mustCreate(t, db, tiedong, "steel")
		for _, e := range []*taotai.Enterprise{f.e, other, far, coal} {
			if err := db.SetKeyListed(admin, 2020, e.ID, true, "正常生产"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.OpenPlan(f.inspector, 2020, ""); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Fatalf("an inspector drafts a plan: %v", err)
		}
		if _, err := db.OpenPlan(storetest.ActorContext(db, taotai.RoleCityClerk, taotai.ProvinceCode, ""), 2020, "noncoal"); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("the province drafts a plan: %v", err)
		}
		p, err := db.OpenPlan(clerk, 2020, "")
		if err != nil || p.State != taotai.PlanDraft || p.RegionCode != anshan || p.Sector != taotai.SectorNonCoal {
			t.Fatalf("open: %+v %v", p, err)
		}
		if again, err := db.OpenPlan(clerk, 2020, ""); err != nil || again.ID != p.ID {
			t.Fatalf("opened twice: %v %v", again, err)
		}
		docx := taotai.SubmittedFile{Name: "检查方案.docx", Data: []byte("PK\x03\x04方案")}
		for name, months := range map[string]map[int64]int{
			"unlisted": {unlisted.ID: 6}, "other city": {far.ID: 6}, "coal": {coal.ID: 6},
			"before the start": {f.e.ID: 2}, "month 13": {f.e.ID: 13},
		} {
			_, err := db.SavePlan(clerk, p.ID, store.PlanEdit{Version: p.Version, Scheme: "方案", Months: months})
			if taotai.ErrorCode(err) != taotai.EINVALID {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := db.SavePlan(clerk, p.ID, store.PlanEdit{Version: p.Version, Files: []taotai.SubmittedFile{{Name: "a.exe", Data: []byte("MZ")}}}); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Errorf("an .exe file: %v", err)
		}
		if got, _ := db.FindPlan(clerk, p.ID); len(got.Items) != 0 || got.Version != p.Version {
			t.Fatalf("refused edits changed the plan: %+v", got)
		}
		if err := db.SubmitPlan(clerk, p.ID, p.Version); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("an empty plan submitted: %v", err)
		}
		if _, err := db.SavePlan(f.approver, p.ID, store.PlanEdit{Version: p.Version}); err != nil {
			t.Fatalf("the city's approver of the agency may edit: %v", err)
		}
		p, _ = db.FindPlan(clerk, p.ID)
		if _, err := db.SavePlan(county, p.ID, store.PlanEdit{Version: p.Version}); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("a county edits the city's plan: %v", err)
		}
		p, err = db.SavePlan(clerk, p.ID, store.PlanEdit{Version: p.Version, Scheme: "  分两轮检查  ",
			Months: map[int64]int{f.e.ID: 5, other.ID: 7}, Files: []taotai.SubmittedFile{docx}})
		if err != nil || len(p.Items) != 2 || p.Scheme != "分两轮检查" || len(p.Files) != 1 || p.FileSizes[0] != len(docx.Data) {
			t.Fatalf("save: %+v %v", p, err)
		}
		if _, fl, err := db.PlanFile(clerk, p.ID, 1); err != nil || string(fl.Data) != string(docx.Data) {
			t.Fatalf("file: %v %v", fl, err)
		}
		if _, _, err := db.PlanFile(storetest.ActorContext(db, taotai.RoleCityClerk, fuxin, ""), p.ID, 1); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("阜新 reads 鞍山's file: %v", err)
		}
		if err := db.SubmitPlan(clerk, p.ID, p.Version); err != nil {
			t.Fatal(err)
		}
		p, _ = db.FindPlan(clerk, p.ID)
		if _, err := db.SavePlan(clerk, p.ID, store.PlanEdit{Version: p.Version}); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("edited while awaiting review: %v", err)
		}
		if err := db.ApprovePlan(countyApprover, p.ID, p.Version); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("a county approves the city's plan: %v", err)
		}
		if err := db.ApprovePlan(clerk, p.ID, p.Version); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Fatalf("a clerk approves: %v", err)
		}
		if err := db.ApprovePlan(f.other, p.ID, p.Version); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("阜新 approves: %v", err)
		}
		if err := db.ApprovePlan(f.approver, p.ID, p.Version-1); taotai.ErrorCode(err) != taotai.ECONFLICT {
			t.Fatalf("a stale approval: %v", err)
		}
		if err := db.ApprovePlan(f.approver, p.ID, p.Version); err != nil {
			t.Fatal(err)
		}

		// A county's plan, returned with its reason.
		cp, err := db.OpenPlan(county, 2020, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SavePlan(county, cp.ID, store.PlanEdit{Version: cp.Version, Months: map[int64]int{other.ID: 6}}); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("a county plans another county's enterprise: %v", err)
		}
		cp, err = db.SavePlan(county, cp.ID, store.PlanEdit{Version: cp.Version, Scheme: "铁东区方案", Months: map[int64]int{f.e.ID: 4}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SubmitPlan(county, cp.ID, cp.Version); err != nil {
			t.Fatal(err)
		}
		cp, _ = db.FindPlan(county, cp.ID)
		if err := db.ReturnPlan(f.approver, cp.ID, cp.Version, " "); taotai.ErrorCode(err) != taotai.EINVALID {
			t.Fatalf("returned without a reason: %v", err)
		}
		if err := db.ReturnPlan(f.approver, cp.ID, cp.Version, "请补充检查人员安排"); err != nil {
			t.Fatal(err)
		}
		if cp, _ = db.FindPlan(county, cp.ID); cp.State != taotai.PlanReturned || cp.ReturnReason != "请补充检查人员安排" {
			t.Fatalf("returned: %+v", cp)
		}
		if _, err := db.FindPlan(county, p.ID); taotai.ErrorCode(err) != taotai.ENOTFOUND {
			t.Fatalf("a county sees the city's plan: %v", err)
		}
		list, err := db.Plans(clerk, 2020)
		if err != nil || len(list) != 2 {
			t.Fatalf("the city's list: %v %v", list, err)
		}
		if l, _ := db.Plans(f.other, 2020); len(l) != 0 {
			t.Fatalf("阜新 lists 鞍山's plans: %v", l)
		}

		// Progress: f.e inspected on 9 June; other (July) not.
		if err := db.RecordInspection(f.inspector, f.inspection("2020-06-09"), nil); err != nil {
			t.Fatal(err)
		}
		check := func(now time.Time, wantOverdue bool) {
			t.Helper()
			f.clock.T = now
			got, err := db.FindPlan(clerk, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			inspected := map[int64]bool{f.e.ID: true}
			byID := map[int64]taotai.PlanItem{}
			for _, it := range got.Items {
				byID[it.EnterpriseID] = it
			}
			// The recount: done when inspected; overdue when its month has
			// ended (its first day of the next month is today or before).
			wantRow := map[string]store.PlanCoverageRow{}
			for _, it := range got.Items {
				want := taotai.PlanPending
				next := time.Date(2020, time.Month(it.Month)+1, 1, 0, 0, 0, 0, taotai.Shanghai)
				switch {
				case inspected[it.EnterpriseID]:
					want = taotai.PlanDone
				case !now.Before(next):
					want = taotai.PlanOverdue
				}
				if it.Progress != want {
					t.Errorf("%s on %s: %s, want %s", it.EnterpriseName, now.Format(time.DateOnly), it.Progress, want)
				}
				e, _ := db.FindEnterprise(admin, it.EnterpriseID)
				row := wantRow[e.RegionCode]
				row.RegionCode = e.RegionCode
				row.Planned++
				switch want {
				case taotai.PlanDone:
					row.Done++
				case taotai.PlanOverdue:
					row.Overdue++
				}
				wantRow[e.RegionCode] = row
			}
			if byID[f.e.ID].LastInspected.Format(time.DateOnly) != "2020-06-09" {
				t.Errorf("last inspected: %v", byID[f.e.ID].LastInspected)
			}
			cov, err := db.PlanCoverage(admin, 2020, anshan, "", now)
			if err != nil {
				t.Fatal(err)
			}
			if len(cov) != len(wantRow) {
				t.Errorf("plan coverage %v, want %v", cov, wantRow)
			}
			for k, w := range wantRow {
				if cov[k] != w {
					t.Errorf("plan coverage of %s: %+v, want %+v", k, cov[k], w)
				}
			}
			wl, err := db.Worklist(clerk, now)
			if err != nil {
				t.Fatal(err)
			}
			if wantOverdue != (wl.PlanOverdueAll == 1 && len(wl.PlanOverdue) == 1 && wl.PlanOverdue[0].Enterprise.ID == other.ID &&
				wl.PlanOverdue[0].Month == 7) || (!wantOverdue && wl.PlanOverdueAll != 0) {
				t.Errorf("worklist on %s: %d %+v", now.Format(time.DateOnly), wl.PlanOverdueAll, wl.PlanOverdue)
			}
			far, _ := db.Worklist(f.other, now)
			if far.PlanOverdueAll != 0 {
				t.Errorf("阜新's worklist holds 鞍山's plan: %+v", far.PlanOverdue)
			}
		}
		check(time.Date(2020, 6, 10, 9, 0, 0, 0, taotai.Shanghai), false)
		check(time.Date(2020, 7, 31, 23, 0, 0, 0, taotai.Shanghai), false)
		check(time.Date(2020, 8, 1, 0, 30, 0, 0, taotai.Shanghai), true)

		// Editing the approved plan makes it a draft again.
		p, _ = db.FindPlan(clerk, p.ID)
		p, err = db.SavePlan(clerk, p.ID, store.PlanEdit{Version: p.Version, Scheme: p.Scheme, Months: map[int64]int{f.e.ID: 5}})
		if err != nil || p.State != taotai.PlanDraft || len(p.Files) != 0 {
			t.Fatalf("revised: %+v %v", p, err)
		}
		if cov, _ := db.PlanCoverage(admin, 2020, anshan, "", f.clock.Now()); len(cov) != 0 {
			t.Fatalf("a draft counts: %v", cov)
		}
		// The approver who submits a plan may not approve it too.
		if err := db.SubmitPlan(f.approver, p.ID, p.Version); err != nil {
			t.Fatal(err)
		}
		if err := db.ApprovePlan(f.approver, p.ID, p.Version+1); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
			t.Fatalf("the submitter approves: %v", err)
		}
		entries, n, err := db.FindAudit(admin, taotai.AuditFilter{Entity: "inspection_plan", Limit: 100})
		if err != nil || n != 11 || len(entries) != 11 {
			t.Fatalf("audit: %d entries, want 11 (2 created, 4 saved, 3 submitted, approved, returned): %v", n, err)
		}
	})
}
