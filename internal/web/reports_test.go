package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestReportJourney: 鞍山's clerk prepares June's report, the approver
// submits it, the coal reviewer cannot see it, the non-coal reviewer
// returns it, it is resubmitted and accepted, and the page then says it is
// locked and why; the grid shows 鞍山 on time and 阜新 missing; each
// version downloads as the bytes stored.
func TestReportJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, _ := enforcementSetup(t, db)
		clock := db.Clock().(*taotai.FixedClock)
		clock.T = time.Date(2020, 6, 20, 10, 0, 0, 0, taotai.Shanghai)
		// June's report has a row: an inspection on 15 June.
		u, _ := db.Authenticate(context.Background(), "ansh_inspector", password)
		a, _ := db.ActorFor(context.Background(), u)
		in := &taotai.Inspection{EnterpriseID: f.own.ID, Date: time.Date(2020, 6, 15, 0, 0, 0, 0, taotai.Shanghai),
			Kind: taotai.InspectionRoutine, Inspectors: "张明、李强", InspectorCount: 2}
		if err := db.RecordInspection(taotai.NewContextWithActor(context.Background(), a), in, nil); err != nil {
			t.Fatal(err)
		}
		addUser(t, db, "prov_noncoal", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
		addUser(t, db, "prov_coal", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorCoal)
		ts := newServer(t, db)
		clerk, approver, reviewer, coal := newClient(t, ts), newClient(t, ts), newClient(t, ts), newClient(t, ts)
		clerk.login("ansh_clerk")
		approver.login("ansh_approver")
		reviewer.login("prov_noncoal")
		coal.login("prov_coal")
		const page = "/reports/2020-06/210300/noncoal"

		// The clerk's home: June is due within 7 days, May's first report is overdue.
		home := clerk.get("/")
		if soon := text(home, "#rm-soon"); !strings.Contains(soon, "2020年6月") || !strings.Contains(soon, "2020年6月25日24时") {
			t.Errorf("due soon: %q", soon)
		}
		if overdue := text(home, "#rm-overdue"); !strings.Contains(overdue, "首次报送") || !strings.Contains(overdue, "已逾期40天") {
			t.Errorf("overdue: %q", overdue)
		}
		if href, _ := home.Doc.Find("#rm-soon a").Attr("href"); href != page {
			t.Errorf("the reminder links to %q", href)
		}

		// The clerk's form: a missing phone is refused beside the field.
		tok := clerk.csrf(page)
		r := clerk.post(page+"/prepare", url.Values{"csrf_token": {tok}, "person": {"王丽"}})
		if r.Status != http.StatusBadRequest || r.Doc.Find("#error-summary a[href='#phone']").Length() != 1 ||
			text(r, "#phone-error") != "请填写联系电话。" {
			t.Fatalf("no phone: %d, summary %q, field %q", r.Status, text(r, "#error-summary"), text(r, "#phone-error"))
		}
		if v, _ := r.Doc.Find("#person").Attr("value"); v != "王丽" {
			t.Errorf("the person typed was not kept: %q", v)
		}
		// Nothing to report is not this period: a zero report is refused.
		r = clerk.post(page+"/prepare", url.Values{"csrf_token": {tok}, "person": {"王丽"}, "phone": {"0412-5551234"}, "zero": {"1"}})
		if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#zero-error"), "不能报送零报告") {
			t.Fatalf("zero report with rows: %d %q", r.Status, text(r, "#error-summary"))
		}
		prepare := func() {
			t.Helper()
			r := clerk.post(page+"/prepare", url.Values{"csrf_token": {tok}, "person": {"王丽"}, "phone": {"0412-5551234"}})
			if r.Status != http.StatusSeeOther || r.Location != page {
				t.Fatalf("prepare: %d %q", r.Status, text(r, "#error-summary"))
			}
		}
		submit := func() string {
			t.Helper()
			p := approver.get(page)
			action, ok := p.Doc.Find("#submit-form form").Attr("action")
			if !ok {
				t.Fatalf("the approver is offered no submission: %q", text(p, "#next-action"))
			}
			if r := approver.post(action, url.Values{"csrf_token": {approver.csrf(page)}}); r.Status != http.StatusSeeOther {
				t.Fatalf("submit: %d %q", r.Status, text(r, "#error-summary"))
			}
			return strings.TrimSuffix(action, "/submit")
		}
		prepare()
		if p := clerk.get(page); p.Doc.Find("#submit-form").Length() != 0 || !strings.Contains(text(p, "#waiting"), "待市级审核人员") {
			t.Fatalf("the clerk's page after preparing: %q", text(p, "#next-action"))
		}
		v1 := submit()
		// Sending it twice is refused, nothing changed.
		if r := approver.post(v1+"/submit", url.Values{"csrf_token": {approver.csrf(page)}}); r.Status != http.StatusConflict {
			t.Fatalf("submitted twice: %d", r.Status)
		}

		// The coal channel's reviewer does not see the non-coal report.
		if r := coal.get(page); r.Status != http.StatusNotFound {
			t.Fatalf("coal reviewer's view: %d", r.Status)
		}
		if r := coal.post(v1+"/return", url.Values{"csrf_token": {coal.csrf("/reports")}, "reason": {"不对"}}); r.Status != http.StatusNotFound {
			t.Fatalf("coal reviewer's return: %d", r.Status)
		}
		if r := coal.get(v1 + "/附件2.xlsx"); r.Status != http.StatusNotFound {
			t.Fatalf("coal reviewer's download: %d", r.Status)
		}

		// The non-coal reviewer returns it: a reason is needed.
		rtok := reviewer.csrf(page)
		if r := reviewer.post(v1+"/return", url.Values{"csrf_token": {rtok}}); r.Status != http.StatusBadRequest || text(r, "#reason-error") != "请填写退回理由。" {
			t.Fatalf("return without a reason: %d %q", r.Status, text(r, "#error-summary"))
		}
		if r := reviewer.post(v1+"/return", url.Values{"csrf_token": {rtok}, "reason": {"附件2检查人次有误"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("return: %d %q", r.Status, text(r, "#error-summary"))
		}
		if p := clerk.get(page); text(p, "#version-1 .review-note") != "附件2检查人次有误" || p.Doc.Find("#prepare-form").Length() != 1 {
			t.Fatalf("the clerk does not see the return: %q", text(p, "#versions"))
		}

		// Corrected and submitted again the next day, then accepted after the due day.
		clock.T = time.Date(2020, 6, 21, 9, 0, 0, 0, taotai.Shanghai)
		prepare()
		v2 := submit()
		clock.T = time.Date(2020, 6, 26, 9, 0, 0, 0, taotai.Shanghai)
		grid := reviewer.get("/reports?year=2020&sector=noncoal")
		if got := text(grid, "#cell-210300-2020-06"); got != "按时报送" {
			t.Errorf("鞍山 June: %q, want 按时报送", got)
		}
		if got := text(grid, "#cell-210900-2020-06"); got != "未报送，已逾期1天" {
			t.Errorf("阜新 June: %q, want 未报送，已逾期1天", got)
		}
		if href, _ := grid.Doc.Find("#cell-210300-2020-06 a").Attr("href"); href != page {
			t.Errorf("the cell links to %q", href)
		}
		if c := clerk.get("/reports"); c.Doc.Find("#report-grid tbody tr").Length() != 1 || c.Doc.Find("#unit-210300").Length() != 1 {
			t.Errorf("the city clerk sees %d rows", c.Doc.Find("#report-grid tbody tr").Length())
		}
		// The province's home: who is late now.
		rh := reviewer.get("/")
		if late := text(rh, "#rm-late-210900-noncoal"); late != "阜新市（非煤）：首次报送已逾期46天；6月已逾期1天" {
			t.Errorf("阜新 late: %q", late)
		}
		if late := text(rh, "#rm-late-210300-noncoal"); late != "鞍山市（非煤）：首次报送已逾期46天" {
			t.Errorf("鞍山 late: %q", late)
		}
		if r := reviewer.post(v2+"/accept", url.Values{"csrf_token": {rtok}, "note": {"数据无误"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("accept: %d %q", r.Status, text(r, "#error-summary"))
		}

		// Locked: the page says why, since when, by whom, who can unlock.
		p := clerk.get(page)
		lock := text(p, "#lock-message")
		for _, want := range []string{"第2版", "2020年6月26日09:00", "prov_noncoal", "省应急管理厅", "解锁"} {
			if !strings.Contains(lock, want) {
				t.Errorf("lock message %q lacks %q", lock, want)
			}
		}
		if p.Doc.Find("#prepare-form, #submit-form").Length() != 0 {
			t.Error("a locked report still offers an action to the city")
		}
		if p := reviewer.get(page); p.Doc.Find("#unlock-form").Length() != 1 {
			t.Error("the province reviewer is not offered the unlock")
		}
		if r := clerk.post(page+"/prepare", url.Values{"csrf_token": {tok}, "person": {"王丽"}, "phone": {"0412-5551234"}}); r.Status != http.StatusConflict ||
			!strings.Contains(text(r, "#error-summary"), "已锁定") {
			t.Fatalf("prepare when locked: %d %q", r.Status, text(r, "#error-summary"))
		}
		if got := text(reviewer.get("/reports"), "#cell-210300-2020-06"); got != "已通过" {
			t.Errorf("鞍山 June after acceptance: %q", got)
		}

		// Each version downloads exactly as stored.
		ctx := taotai.NewContextWithActor(context.Background(), taotai.System)
		subs, err := db.Submissions(ctx, "2020-06", "210300", taotai.SectorNonCoal)
		if err != nil || len(subs) != 2 {
			t.Fatalf("%d versions, %v", len(subs), err)
		}
		for i, v := range []string{v1, v2} {
			sub, err := db.FindSubmission(ctx, subs[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range sub.Forms {
				r := clerk.get(v + "/附件" + string(rune('0'+f.Form)) + ".xlsx")
				sum := sha256.Sum256([]byte(r.Body))
				if r.Status != http.StatusOK || hex.EncodeToString(sum[:]) != f.SHA256 {
					t.Fatalf("version %d 附件%d: %d, SHA-256 %x, want %s", i+1, f.Form, r.Status, sum, f.SHA256)
				}
				if ct := r.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
					t.Errorf("content type %q", ct)
				}
				if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, url.PathEscape("附件")) {
					t.Errorf("content disposition %q", cd)
				}
			}
		}
		if r := clerk.get(v1 + "/附件9.xlsx"); r.Status != http.StatusNotFound {
			t.Errorf("附件9: %d", r.Status)
		}
	})
}
