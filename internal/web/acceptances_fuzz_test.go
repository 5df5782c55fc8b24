package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"taotai"
)

// FuzzAcceptanceForm posts whatever people (or tools) may type into the
// acceptance form, at every step, about a closed red card: the answer is
// the check page, the form again with a message, or the record; never a
// server error, and an acceptance is written only with a redirect.
func FuzzAcceptanceForm(f *testing.F) {
	f.Add("confirm", "card", "2020-10-20", "王强", "鞍山市应急管理局", "pass", "赵刚", "2020-10-20", "设备已拆除", "现场验收")
	f.Add("check", "department", "2020-13-40", "", "x", "maybe", "", "20201020", "", "")
	f.Add("edit", "card", "0001-01-01", "甲\x00", "\u202e", "fail", "乙", "2099-12-31", "意见", "理由")
	f.Add("", "other", "", "名", "", "", "", "", "\t", "\n")
	c, db := fuzzClient(f, taotai.RoleAdmin)
	sys := taotai.NewContextWithActor(context.Background(), taotai.System)
	db.Clock().(*taotai.FixedClock).T = time.Date(2020, 10, 22, 10, 0, 0, 0, taotai.Shanghai)
	inds, _ := db.Industries(sys)
	first := "91210300MA0000009"
	e := &taotai.Enterprise{Name: "鞍山宏达钢铁有限公司", CreditCode: first + string(taotai.USCCCheckDigit(first)), Address: "鞍山市铁东区园林路1号",
		RegionCode: "210302", IndustryID: inds[0].ID, ProductionState: taotai.StateStopped}
	if err := db.CreateEnterprise(sys, e, false); err != nil {
		f.Fatal(err)
	}
	if _, err := db.SQL().Exec(`INSERT INTO cards (enterprise_id, year, region_path, sector, state, reason, rectify, deadline, reported_on,
		closed_on, closure_basis, version, created_at, updated_at) VALUES ($1, 2020, $2, $3, 'closed', 'overdue', '整改', '2020-07-25',
		'2020-10-18', '2020-10-19', '关闭决定', 1, $4, $4)`, e.ID, e.RegionPath, e.Sector, time.Now().UTC()); err != nil {
		f.Fatal(err)
	}
	count := func() int {
		var n int
		_ = db.SQL().QueryRow(`SELECT COUNT(*) FROM acceptances`).Scan(&n)
		return n
	}
	tok := c.csrf("/account")
	path := fmt.Sprintf("/enterprises/%d/acceptance", e.ID)
	f.Fuzz(func(t *testing.T, step, basis, on, name, unit, verdict, signer, signed, findings, reason string) {
		c.t = t
		before := count()
		v := url.Values{"csrf_token": {tok}, "step": {step}, "basis": {basis}, "accepted_on": {on}, "exited_on": {on},
			"exit_department": {unit}, "exit_document": {findings}, "member_name_0": {name}, "member_unit_0": {unit},
			"member_name_1": {signer}, "member_unit_1": {unit}, "findings": {findings}, "reason": {reason}, "upload": {signed}}
		for i := range 3 {
			v.Set(fmt.Sprintf("signoff_verdict_%d", i), verdict)
			v.Set(fmt.Sprintf("signoff_signer_%d", i), signer)
			v.Set(fmt.Sprintf("signoff_on_%d", i), signed)
		}
		r := c.post(path, v)
		switch r.Status {
		case http.StatusSeeOther:
			if count() != before+1 {
				t.Fatalf("recorded, but %d → %d acceptances", before, count())
			}
		case http.StatusOK, http.StatusBadRequest, http.StatusConflict:
			if count() != before {
				t.Fatalf("not confirmed, yet %d → %d acceptances", before, count())
			}
			if r.Status != http.StatusOK && r.Doc.Find("#error-summary, #error-message").Length() == 0 {
				t.Fatalf("refused without a message: %.300s", r.Body)
			}
		default:
			t.Fatalf("status %d for %q %q %q", r.Status, step, basis, on)
		}
	})
}
