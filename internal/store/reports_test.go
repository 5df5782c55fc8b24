package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// reportFixture is 鞍山's clerk and approver, the province's reviewers of
// both channels, and a clock to move.
type reportFixture struct {
	*enforcementFixture
	t                                   *testing.T
	clerk, approver, fuxinClerk, admin  context.Context
	reviewer, coalReviewer, countyClerk context.Context
}

func newReportFixture(t *testing.T, db *store.DB) *reportFixture {
	f := &reportFixture{enforcementFixture: newEnforcement(t, db), t: t}
	f.clerk = storetest.ActorContext(db, taotai.RoleCityClerk, anshan, taotai.SectorNonCoal)
	f.approver = storetest.ActorContext(db, taotai.RoleCityApprover, anshan, taotai.SectorNonCoal)
	f.fuxinClerk = storetest.ActorContext(db, taotai.RoleCityClerk, fuxin, "")
	f.countyClerk = storetest.ActorContext(db, taotai.RoleCityClerk, tiedong, taotai.SectorNonCoal)
	f.admin = storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
	f.reviewer = storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
	f.coalReviewer = storetest.ActorContext(db, taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorCoal)
	return f
}

func (f *reportFixture) at(s string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, taotai.Shanghai)
	if err != nil {
		panic(err)
	}
	f.clock.T = t
}

func prep(period, region string, zero bool) *taotai.ReportPreparation {
	return &taotai.ReportPreparation{PeriodKey: period, RegionCode: region, Sector: taotai.SectorNonCoal,
		Person: "王丽", Phone: "0412-5551234", Zero: zero}
}

// refused checks that err has the code, a Chinese message naming want,
// and that no submission was written.
func (f *reportFixture) refused(err error, code, want string, rowsBefore int) {
	f.t.Helper()
	if taotai.ErrorCode(err) != code || !strings.Contains(taotai.ErrorMessage(err), want) {
		f.t.Fatalf("want %s “%s”, got %v (%s)", code, want, err, taotai.ErrorMessage(err))
	}
	if n := f.submissionRows(); n != rowsBefore {
		f.t.Fatalf("a refusal changed the submissions: %d rows, were %d", n, rowsBefore)
	}
}

func (f *reportFixture) submissionRows() int {
	var n int
	if err := f.db.SQL().QueryRow(`SELECT COUNT(*) FROM report_submissions`).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func (f *reportFixture) cell(g *taotai.ReportGrid, unit, period string) taotai.ReportStatus {
	f.t.Helper()
	for i, u := range g.Units {
		for j, p := range g.Periods {
			if u.Code == unit && p.Key == period {
				return g.Cells[i][j]
			}
		}
	}
	f.t.Fatalf("no cell %s %s", unit, period)
	return taotai.ReportStatus{}
}

func (f *reportFixture) grid(ctx context.Context, sector string) *taotai.ReportGrid {
	f.t.Helper()
	g, err := f.db.ReportGrid(ctx, 2020, sector)
	if err != nil {
		f.t.Fatal(err)
	}
	// The grid kept between requests (figures.go) is the grid read afresh,
	// whatever was written or how the clock moved since it was read.
	fresh, err := f.db.ReportGridUncached(ctx, 2020, sector)
	if err != nil {
		f.t.Fatal(err)
	}
	if !reflect.DeepEqual(g, fresh) {
		f.t.Fatalf("at %s the kept grid differs from the grid read afresh", f.clock.T.Format("01-02 15:04"))
	}
	return g
}

func (f *reportFixture) state(g *taotai.ReportGrid, unit, period, want string, late int) {
	f.t.Helper()
	if c := f.cell(g, unit, period); c.State != want || c.LateDays != late {
		f.t.Errorf("%s %s at %s: %s late %d, want %s late %d", unit, period, f.clock.T.Format("01-02 15:04"), c.State, c.LateDays, want, late)
	}
}

func TestReportingYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newReportFixture(t, db)
		if err := db.RecordInspection(f.inspector, f.inspection("2020-05-09"), nil); err != nil {
			t.Fatal(err)
		}
		f.firstReport(t)
		f.review(t)
		f.june(t)
		f.annual(t)
	})
}

// firstReport: 10, 11 and 12 May.
func (f *reportFixture) firstReport(t *testing.T) {
	db := f.db
	f.at("2020-05-10 10:00")
	_, err := db.PrepareReport(f.clerk, prep("2020-06", anshan, false))
	f.refused(err, taotai.EINVALID, "尚未开放", 0)
	_, err = db.PrepareReport(f.clerk, prep("2020-05", anshan, true))
	f.refused(err, taotai.EINVALID, "不能报送零报告", 0)
	_, err = db.PrepareReport(f.clerk, prep("2020-05", fuxin, false))
	f.refused(err, taotai.ENOTFOUND, "不在您的管辖范围内", 0)
	_, err = db.PrepareReport(f.countyClerk, prep("2020-05", anshan, false))
	f.refused(err, taotai.ENOTFOUND, "不在您的管辖范围内", 0)
	coal := prep("2020-05", anshan, false)
	coal.Sector = taotai.SectorCoal
	_, err = db.PrepareReport(f.clerk, coal)
	f.refused(err, taotai.ENOTFOUND, "您只负责", 0)
	_, err = db.PrepareReport(f.fuxinClerk, func() *taotai.ReportPreparation {
		p := prep("2020-05", fuxin, false)
		p.Summary = "总结"
		return p
	}())
	f.refused(err, taotai.EINVALID, "只有年度报送", 0)
	noPerson := prep("2020-05", anshan, false)
	noPerson.Person = ""
	_, err = db.PrepareReport(f.clerk, noPerson)
	f.refused(err, taotai.EINVALID, "填报人", 0)

	v1, err := db.PrepareReport(f.clerk, prep("2020-05", anshan, false))
	if err != nil {
		t.Fatal(err)
	}
	if v1.Version != 1 || len(v1.Forms) != 3 || v1.Forms[1].Rows != 1 || v1.State != taotai.SubmissionPrepared {
		t.Fatalf("v1: %+v", v1)
	}
	for _, fm := range v1.Forms {
		sum := sha256.Sum256(fm.XLSX)
		if hex.EncodeToString(sum[:]) != fm.SHA256 || !bytes.HasPrefix(fm.XLSX, []byte("PK")) {
			t.Fatalf("附件%d: not an .xlsx of its hash", fm.Form)
		}
	}
	err = db.SubmitReport(f.clerk, v1.ID)
	f.refused(err, taotai.EFORBIDDEN, "不能报送", 1)
	err = db.SubmitReport(f.fuxinClerk, v1.ID)
	f.refused(err, taotai.ENOTFOUND, "未找到", 1)
	if err := db.SubmitReport(f.approver, v1.ID); err != nil {
		t.Fatal(err)
	}
	err = db.SubmitReport(f.approver, v1.ID)
	f.refused(err, taotai.ECONFLICT, "不能重复报送", 1)
	_, err = db.PrepareReport(f.clerk, prep("2020-05", anshan, false))
	f.refused(err, taotai.ECONFLICT, "正待省级审核", 1)

	g := f.grid(f.reviewer, taotai.SectorNonCoal)
	if len(g.Units) != 15 || len(g.Periods) != 6 {
		t.Fatalf("grid %d × %d", len(g.Units), len(g.Periods))
	}
	f.state(g, anshan, "2020-05", taotai.ReportOnTime, 0)
	f.state(g, fuxin, "2020-05", taotai.ReportNotDue, 0)
	if g.Total != (taotai.ReportRates{Expected: 1, Actual: 1, OnTime: 1}) {
		t.Errorf("10 May: %+v", g.Total)
	}

	f.at("2020-05-11 23:59")
	g = f.grid(f.reviewer, taotai.SectorNonCoal)
	f.state(g, fuxin, "2020-05", taotai.ReportNotDue, 0)
	f.state(g, store.ShenfuCode, "2020-05", taotai.ReportNotDue, 0)

	f.at("2020-05-12 09:00")
	g = f.grid(f.reviewer, taotai.SectorNonCoal)
	f.state(g, anshan, "2020-05", taotai.ReportOnTime, 0)
	f.state(g, fuxin, "2020-05", taotai.ReportMissing, 1)
	if g.ByPeriod[0] != (taotai.ReportRates{Expected: 15, Actual: 1, OnTime: 1}) {
		t.Errorf("12 May, May: %+v", g.ByPeriod[0])
	}
	cg := f.grid(f.coalReviewer, taotai.SectorCoal)
	if len(cg.Units) != 7 || cg.Total != (taotai.ReportRates{Expected: 7}) {
		t.Errorf("coal on 12 May: %d units, %+v", len(cg.Units), cg.Total)
	}
	if _, err := db.ReportGrid(f.coalReviewer, 2020, taotai.SectorNonCoal); taotai.ErrorCode(err) != taotai.ENOTFOUND {
		t.Errorf("the coal reviewer reads the non-coal grid: %v", err)
	}
	own := f.grid(f.clerk, taotai.SectorNonCoal)
	if len(own.Units) != 1 || own.Units[0].Code != anshan {
		t.Errorf("鞍山's grid shows %+v", own.Units)
	}
}

// review: returned, corrected, accepted, locked, unlocked; the versions
// read back as sent.
func (f *reportFixture) review(t *testing.T) {
	db := f.db
	subs, err := db.Submissions(f.reviewer, "2020-05", anshan, taotai.SectorNonCoal)
	if err != nil || len(subs) != 1 {
		t.Fatalf("submissions: %v %v", subs, err)
	}
	v1, err := db.FindSubmission(f.reviewer, subs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	err = db.AcceptReport(f.coalReviewer, v1.ID, "")
	f.refused(err, taotai.ENOTFOUND, "渠道", 1)
	err = db.AcceptReport(f.approver, v1.ID, "")
	f.refused(err, taotai.EFORBIDDEN, "省级审核", 1)
	err = db.ReturnReport(f.reviewer, v1.ID, " ")
	f.refused(err, taotai.EINVALID, "退回理由", 1)
	if err := db.ReturnReport(f.reviewer, v1.ID, "附件2罚款金额有误，请核实。"); err != nil {
		t.Fatal(err)
	}
	f.state(f.grid(f.reviewer, taotai.SectorNonCoal), anshan, "2020-05", taotai.ReportReturned, 0)

	// The records change after the first version was sent.
	if err := db.RecordInspection(f.inspector, f.inspection("2020-05-10"), nil); err != nil {
		t.Fatal(err)
	}
	v2, err := db.PrepareReport(f.clerk, prep("2020-05", anshan, false))
	if err != nil || v2.Version != 2 {
		t.Fatalf("v2: %+v %v", v2, err)
	}
	if err := db.SubmitReport(f.approver, v2.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.AcceptReport(f.reviewer, v2.ID, "同意"); err != nil {
		t.Fatal(err)
	}
	g := f.grid(f.reviewer, taotai.SectorNonCoal)
	if c := f.cell(g, anshan, "2020-05"); c.State != taotai.ReportAccepted || !c.OnTime || c.Version != 2 {
		t.Errorf("accepted: %+v", c)
	}
	err = db.AcceptReport(f.reviewer, v2.ID, "")
	f.refused(err, taotai.ECONFLICT, "只有已报送待审核", 2)
	_, err = db.PrepareReport(f.clerk, prep("2020-05", anshan, false))
	f.refused(err, taotai.ECONFLICT, "已锁定", 2)
	if !strings.Contains(taotai.ErrorMessage(err), "系统管理员") || !strings.Contains(taotai.ErrorMessage(err), "2020年5月12日09:00") {
		t.Errorf("the lock does not say who and since when: %s", taotai.ErrorMessage(err))
	}

	again, err := db.FindSubmission(f.clerk, v1.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, fm := range again.Forms {
		if !bytes.Equal(fm.XLSX, v1.Forms[i].XLSX) || fm.SHA256 != v1.Forms[i].SHA256 || !bytes.Equal(fm.JSON, v1.Forms[i].JSON) {
			t.Fatalf("附件%d of v1 reads back changed", fm.Form)
		}
	}
	second, _ := db.FindSubmission(f.clerk, v2.ID)
	if second.Forms[1].Rows != 1 || bytes.Equal(second.Forms[1].JSON, v1.Forms[1].JSON) {
		t.Errorf("v2's 附件2 should count both inspections: %s", second.Forms[1].JSON)
	}
	if _, err := db.FindSubmission(f.fuxinClerk, v1.ID); taotai.ErrorCode(err) != taotai.ENOTFOUND {
		t.Errorf("阜新 reads 鞍山's report: %v", err)
	}
	if _, err := db.FindSubmission(f.coalReviewer, v1.ID); taotai.ErrorCode(err) != taotai.ENOTFOUND {
		t.Errorf("the coal reviewer reads a non-coal report: %v", err)
	}

	err = db.UnlockReport(f.approver, "2020-05", anshan, taotai.SectorNonCoal, "更正")
	f.refused(err, taotai.EFORBIDDEN, "解锁", 2)
	err = db.UnlockReport(f.coalReviewer, "2020-05", anshan, taotai.SectorNonCoal, "更正")
	f.refused(err, taotai.ENOTFOUND, "您只负责", 2)
	err = db.UnlockReport(f.reviewer, "2020-05", anshan, taotai.SectorNonCoal, "")
	f.refused(err, taotai.EINVALID, "解锁理由", 2)
	if _, err := db.ReportLock(f.clerk, "2020-05", anshan, taotai.SectorNonCoal); err != nil {
		t.Fatal(err)
	}
	if err := db.UnlockReport(f.reviewer, "2020-05", anshan, taotai.SectorNonCoal, "鞍山市申请更正企业地址"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ReportLock(f.clerk, "2020-05", anshan, taotai.SectorNonCoal); taotai.ErrorCode(err) != taotai.ENOTFOUND {
		t.Errorf("still locked: %v", err)
	}
	entries, _, err := db.FindAudit(f.admin, taotai.AuditFilter{Entity: "report_lock"})
	if err != nil || len(entries) != 2 || entries[0].RegionPath != "/210000/210300/" || entries[0].Sector != taotai.SectorNonCoal ||
		entries[0].Note != "鞍山市申请更正企业地址" {
		t.Errorf("audit of the lock: %+v %v", entries, err)
	}
}

// june: a zero report on the 25th, an extension, the grid on the 26th.
func (f *reportFixture) june(t *testing.T) {
	db := f.db
	f.at("2020-06-25 10:00")
	n := f.submissionRows()
	_, err := db.PrepareReport(f.clerk, prep("2020-06", anshan, false))
	f.refused(err, taotai.EINVALID, "零报告", n)
	zero, err := db.PrepareReport(f.clerk, prep("2020-06", anshan, true))
	if err != nil || !zero.Zero || zero.Forms[0].Rows != 0 {
		t.Fatalf("zero report: %+v %v", zero, err)
	}
	if err := db.SubmitReport(f.approver, zero.ID); err != nil {
		t.Fatal(err)
	}
	ext := &taotai.ReportExtension{PeriodKey: "2020-06", RegionCode: fuxin, Sector: taotai.SectorNonCoal,
		DueAt: time.Date(2020, 6, 29, 0, 0, 0, 0, taotai.Shanghai), Reason: "汛期抢险"}
	if err := db.ExtendReport(f.reviewer, ext); taotai.ErrorCode(err) != taotai.EFORBIDDEN {
		t.Fatalf("a reviewer extends: %v", err)
	}
	if err := db.ExtendReport(f.admin, ext); err != nil {
		t.Fatal(err)
	}
	g := f.grid(f.reviewer, taotai.SectorNonCoal)
	f.state(g, anshan, "2020-06", taotai.ReportOnTime, 0)
	f.state(g, store.ShenfuCode, "2020-06", taotai.ReportNotDue, 0)

	f.at("2020-06-26 10:00")
	g = f.grid(f.reviewer, taotai.SectorNonCoal)
	f.state(g, anshan, "2020-06", taotai.ReportOnTime, 0)
	f.state(g, store.ShenfuCode, "2020-06", taotai.ReportMissing, 1)
	f.state(g, fuxin, "2020-06", taotai.ReportNotDue, 0) // extended to 28 June
	if g.ByPeriod[1] != (taotai.ReportRates{Expected: 14, Actual: 1, OnTime: 1}) {
		t.Errorf("June on 26 June: %+v", g.ByPeriod[1])
	}
	f.at("2020-06-29 10:00")
	f.state(f.grid(f.reviewer, taotai.SectorNonCoal), fuxin, "2020-06", taotai.ReportMissing, 1)
}

// annual: the work summary on 20 November, the grid on the 21st.
func (f *reportFixture) annual(t *testing.T) {
	db := f.db
	f.at("2020-11-20 15:00")
	p := prep("2020", anshan, false)
	p.Summary = "鞍山市2020年度重点淘汰行业执法检查工作总结。"
	// A file that is not what its name says is refused, nothing kept.
	p.Files = []taotai.SubmittedFile{{Name: "工作总结.docx", Data: []byte("<html>not a document</html>")}}
	if _, err := db.PrepareReport(f.clerk, p); taotai.ErrorCode(err) != taotai.EINVALID || !strings.Contains(taotai.ErrorMessage(err), "内容不是DOCX文件") {
		t.Fatalf("a fake .docx: %v", err)
	}
	if subs, err := db.Submissions(f.clerk, "2020", anshan, taotai.SectorNonCoal); err != nil || len(subs) != 0 {
		t.Fatalf("after a refused preparation: %d versions, %v", len(subs), err)
	}
	p.Files = []taotai.SubmittedFile{{Name: "工作总结.docx", Data: []byte("PK\x03\x04summary bytes")}}
	v, err := db.PrepareReport(f.clerk, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SubmitReport(f.approver, v.ID); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindSubmission(f.reviewer, v.ID)
	if err != nil || got.Summary != p.Summary || len(got.Files) != 1 || string(got.Files[0].Data) != "PK\x03\x04summary bytes" ||
		got.SubmittedBy == "" || got.State != taotai.SubmissionSubmitted {
		t.Fatalf("annual: %+v %v", got, err)
	}
	f.at("2020-11-21 09:00")
	g := f.grid(f.reviewer, taotai.SectorNonCoal)
	f.state(g, anshan, "2020", taotai.ReportOnTime, 0)
	f.state(g, anshan, "2020-07", taotai.ReportMissing, 119)
	f.state(g, store.ShenfuCode, "2020", taotai.ReportMissing, 1)
	var row taotai.ReportRates
	for i, u := range g.Units {
		if u.Code == anshan {
			row = g.ByUnit[i]
		}
	}
	// May (its lock lifted, v2 stays accepted), June, the year; July to September missing.
	if row != (taotai.ReportRates{Expected: 6, Actual: 3, OnTime: 3, Accepted: 1}) || row.Completeness() != 50 {
		t.Errorf("鞍山 on 21 November: %+v", row)
	}
}
