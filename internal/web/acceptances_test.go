package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// acceptanceForm is a complete acceptance of a closed card on 20 October
// 2020, every department passing it unless fail names one (its index).
func acceptanceForm(step string, fail int) url.Values {
	v := url.Values{"step": {step}, "basis": {"card"}, "findings": {"主要生产设备已拆除，现场无生产迹象。"}, "accepted_on": {"2020-10-20"},
		"reason":        {"总结验收阶段会同工信、发改现场验收"},
		"member_name_0": {"王强"}, "member_unit_0": {"鞍山市应急管理局"}, "member_name_1": {"李明"}, "member_unit_1": {"鞍山市工业和信息化局"}}
	for i, signer := range []string{"王强", "赵刚", "李明"} {
		verdict := "pass"
		if i == fail {
			verdict = "fail"
		}
		v.Set(fmt.Sprintf("signoff_verdict_%d", i), verdict)
		v.Set(fmt.Sprintf("signoff_signer_%d", i), signer)
		v.Set(fmt.Sprintf("signoff_on_%d", i), "2020-10-20")
	}
	return v
}

func acceptanceCount(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM acceptances`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAcceptancePages: the acceptance of a closed red card goes through
// its check step with the reason kept; bad input shows the form again
// with Chinese messages, the answers and the uploaded file kept, and
// nothing written; a failing sign-off is recorded as 不通过 and leaves the
// card closed; the old one-tap 验收 on the card is refused; another city
// gets 404 everywhere.
func TestAcceptancePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		addUser(t, db, "ansh_approver", taotai.RoleCityApprover, "210300", taotai.SectorNonCoal)
		addUser(t, db, "fx_approver", taotai.RoleCityApprover, "210900", taotai.SectorNonCoal)
		db.Clock().(*taotai.FixedClock).T = time.Date(2020, 10, 22, 10, 0, 0, 0, taotai.Shanghai)
		if _, err := db.SQL().Exec(`INSERT INTO cards (enterprise_id, year, region_path, sector, state, reason, rectify, deadline, reported_on,
			closed_on, closure_basis, version, created_at, updated_at) VALUES ($1, 2020, $2, $3, 'closed', 'overdue', '整改', '2020-07-25',
			'2020-10-18', '2020-10-19', '市政府关闭决定', 1, $4, $4)`, f.own.ID, f.own.RegionPath, f.own.Sector, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("ansh_approver")
		form := idPath(f.own.ID, "/acceptance/new")
		res := c.get(form)
		if res.Status != http.StatusOK || res.Doc.Find("#basis-card[checked]").Length() != 1 || res.Doc.Find("#basis-card[disabled]").Length() != 0 {
			t.Fatalf("form: %d", res.Status)
		}
		token := c.csrf(form)
		post := idPath(f.own.ID, "/acceptance")

		// Bad input: one member, no reason, a date that is not one.
		bad := acceptanceForm("check", -1)
		bad.Set("csrf_token", token)
		bad.Del("member_name_1")
		bad.Del("member_unit_1")
		bad.Set("reason", " ")
		bad.Set("signoff_on_2", "2020-13-01")
		pdf := []byte("%PDF-1.4 验收表")
		res = c.postMultipart(post, bad, map[string][]byte{"验收表.pdf": pdf})
		summary := text(res, "#error-summary")
		if res.Status != http.StatusBadRequest || !strings.Contains(summary, "验收组至少应有2名成员") || !strings.Contains(summary, "请填写办理理由") ||
			!strings.Contains(summary, "不是有效日期") {
			t.Fatalf("bad input: %d %q", res.Status, summary)
		}
		if v, _ := res.Doc.Find("#findings").Html(); !strings.Contains(v, "主要生产设备已拆除") || text(res, "#uploaded") != "已上传：验收表.pdf" {
			t.Fatalf("answers not kept: %q, %q", v, text(res, "#uploaded"))
		}
		upload, _ := res.Doc.Find(`input[name=upload]`).Attr("value")
		if acceptanceCount(t, db) != 0 {
			t.Fatal("bad input wrote an acceptance")
		}
		// A program is not evidence.
		res = c.postMultipart(post, bad, map[string][]byte{"a.exe": []byte("MZ")})
		if !strings.Contains(text(res, "#error-summary"), "类型不能上传") {
			t.Fatalf("a program: %q", text(res, "#error-summary"))
		}

		// The old one-tap 验收 on the card: refused, the card unchanged.
		res = c.post(idPath(f.own.ID, "/card/2020"), url.Values{"csrf_token": {token}, "to": {"accepted"}, "version": {"1"},
			"accepted_on": {"2020-10-20"}, "members": {"工信、发改"}, "findings": {"已关闭"}, "why": {"验收"}})
		if res.Status != http.StatusBadRequest || !strings.Contains(text(res, "#error-summary"), "退出验收") {
			t.Fatalf("one-tap acceptance: %d %q", res.Status, text(res, "#error-summary"))
		}
		if res = c.get(idPath(f.own.ID, "/card/2020")); res.Doc.Find("#accept-link").Length() != 1 || res.Doc.Find(`input[name=to][value=accepted]`).Length() != 0 {
			t.Fatal("the card page still accepts in one tap")
		}

		// A failing sign-off: checked, confirmed, recorded as 不通过.
		failing := acceptanceForm("check", 1)
		failing.Set("csrf_token", token)
		failing.Add("upload", upload)
		res = c.post(post, failing)
		if res.Status != http.StatusOK || !strings.Contains(text(res, "#check-effects"), "验收不通过") ||
			!strings.Contains(text(res, "#check-answers"), "发展改革：不通过") || !strings.Contains(text(res, "#check-answers"), "验收表.pdf") {
			t.Fatalf("check of a failing acceptance: %d %q", res.Status, text(res, "#check-effects"))
		}
		if acceptanceCount(t, db) != 0 {
			t.Fatal("the check step wrote")
		}
		// Back to the form: the answers and the file kept.
		failing.Set("step", "edit")
		res = c.post(post, failing)
		if v, _ := res.Doc.Find("#signoff_verdict_1 option[selected]").Attr("value"); res.Status != http.StatusOK || v != "fail" || text(res, "#uploaded") == "" {
			t.Fatalf("edit: %d %q", res.Status, v)
		}
		failing.Set("step", "confirm")
		res = c.post(post, failing)
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/acceptances/") {
			t.Fatalf("confirm: %d %q %q", res.Status, res.Location, text(res, "#error-summary"))
		}
		failedPage := res.Location
		res = c.get(failedPage)
		if text(res, "#acceptance-verdict") != "不通过" || !strings.Contains(text(res, "#acceptance-next"), "重新组织验收") ||
			res.Doc.Find("#acceptance-files a").Length() != 1 || text(res, "#acceptance-reason") != "总结验收阶段会同工信、发改现场验收" {
			t.Fatalf("failed acceptance page: %q %q", text(res, "#acceptance-verdict"), text(res, "#acceptance-next"))
		}
		if card := c.get(idPath(f.own.ID, "/card/2020")); text(card, "#card-state") != "已关闭" {
			t.Fatalf("a failed acceptance moved the card: %s", text(card, "#card-state"))
		}

		// A passing one: the card becomes 已验收 with it, the reason in its history.
		ok := acceptanceForm("confirm", -1)
		ok.Set("csrf_token", token)
		ok.Set("accepted_on", "2020-10-21")
		for i := range 3 {
			ok.Set(fmt.Sprintf("signoff_on_%d", i), "2020-10-21")
		}
		res = c.post(post, ok)
		if res.Status != http.StatusSeeOther {
			t.Fatalf("confirm: %d %q", res.Status, text(res, "#error-summary"))
		}
		card := c.get(idPath(f.own.ID, "/card/2020"))
		if text(card, "#card-state") != "已验收" || !strings.Contains(text(card, "#card-history"), "总结验收阶段会同工信、发改现场验收") {
			t.Fatalf("card after acceptance: %q %q", text(card, "#card-state"), text(card, "#card-history"))
		}
		list := c.get("/acceptances?year=2020")
		if list.Status != http.StatusOK || list.Doc.Find("#list-table tbody tr").Length() != 2 {
			t.Fatalf("list: %d rows", list.Doc.Find("#list-table tbody tr").Length())
		}
		if n := c.get("/acceptances?year=2021").Doc.Find("#list-table tbody tr").Length(); n != 0 {
			t.Fatalf("2021 lists %d", n)
		}
		if c.get("/acceptances?year=20x").Status != http.StatusBadRequest {
			t.Fatal("a bad year")
		}
		ent := c.get(idPath(f.own.ID, ""))
		if got := text(ent, "#acceptance-list"); !strings.Contains(got, "通过") || !strings.Contains(got, "不通过") || ent.Doc.Find("#new-acceptance").Length() != 0 {
			t.Fatalf("enterprise page: %q", got)
		}
		if !strings.Contains(text(ent, "#timeline"), "退出验收通过") {
			t.Fatalf("timeline: %q", text(ent, "#timeline"))
		}
		// Accepted already: a third acceptance conflicts, nothing written.
		res = c.post(post, ok)
		if res.Status != http.StatusConflict || acceptanceCount(t, db) != 2 {
			t.Fatalf("a second passed acceptance: %d, %d rows", res.Status, acceptanceCount(t, db))
		}

		// Another city: 404 for the form, the post, the record; an empty list.
		fx := newClient(t, ts)
		fx.login("fx_approver")
		fxToken := fx.csrf("/account")
		ok.Set("csrf_token", fxToken)
		for _, r := range []*response{fx.get(form), fx.post(post, ok), fx.get(failedPage)} {
			if r.Status != http.StatusNotFound {
				t.Errorf("another city: %d", r.Status)
			}
		}
		if n := fx.get("/acceptances").Doc.Find("#list-table tbody tr").Length(); n != 0 {
			t.Errorf("another city lists %d", n)
		}
		// An inspector of the lane: 403.
		in := newClient(t, ts)
		in.login("ansh_inspector")
		if r := in.get(form); r.Status != http.StatusForbidden {
			t.Errorf("inspector: %d", r.Status)
		}
		// The audit trail names the acceptance's fields in Chinese.
		var after string
		if err := db.SQL().QueryRow(`SELECT after FROM audit_log WHERE entity = 'acceptance' ORDER BY seq DESC LIMIT 1`).Scan(&after); err != nil {
			t.Fatal(err)
		}
		reading := taotai.ReadAudit(&taotai.AuditEntry{Entity: "acceptance", EntityID: fmt.Sprintf("%d/1", f.own.ID), After: after})
		names := map[string]bool{}
		for _, fl := range reading.Fields {
			names[fl.Name] = true
		}
		for _, n := range []string{"验收依据", "验收组成员", "各部门签署意见", "验收意见", "验收通过", "办理理由"} {
			if !names[n] {
				t.Errorf("audit reading lacks %s: %+v", n, reading.Fields)
			}
		}
	})
}
