package web_test

import (
	"context"
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

// TestStopLiftShowsTheForm: a lifting refused — no date, a date that is
// not one, a hazard not yet re-checked — shows the enterprise's page again
// with the Chinese message in the summary and beside the field, and the
// values typed kept; the stop stays in force. Another city gets 404.
func TestStopLiftShowsTheForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, h := enforcementSetup(t, db)
		addUser(t, db, "fx_approver", taotai.RoleCityApprover, "210900", taotai.SectorNonCoal)
		sys := taotai.NewContextWithActor(context.Background(), taotai.System)
		order := &taotai.Document{InspectionID: h.InspectionID, Kind: taotai.DocStopOrder, IssuedOn: time.Date(2020, 5, 9, 0, 0, 0, 0, taotai.Shanghai)}
		if err := db.IssueDocument(sys, order); err != nil {
			t.Fatal(err)
		}
		stops, _ := db.ProductionStops(sys, f.own.ID)
		if len(stops) != 1 {
			t.Fatalf("%d stops", len(stops))
		}
		id := stops[0].ID
		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("ansh_approver")
		token := c.csrf(idPath(f.own.ID, ""))
		path := fmt.Sprintf("/stops/%d/lift", id)
		for _, tc := range []struct {
			name, on, reason, msg, field string
		}{
			{"no date", "", "经复查整改合格", "请填写解除日期", "lift-on"},
			{"not a date", "2020-13-40", "经复查整改合格", "解除日期", "lift-on"},
			{"no re-check", "2020-05-10", "经复查整改合格（复查意见书）", "尚有1项未经复查合格", "lift-on"},
			{"no reason", "2020-05-10", "", "依据", "lift-reason"},
		} {
			res := c.post(path, url.Values{"csrf_token": {token}, "lifted_on": {tc.on}, "reason": {tc.reason}})
			summary := text(res, "#error-summary")
			if res.Status != http.StatusBadRequest || !strings.Contains(summary, tc.msg) || res.Doc.Find("#enterprise-name").Length() != 1 {
				t.Errorf("%s: %d %q", tc.name, res.Status, summary)
				continue
			}
			beside := text(res, fmt.Sprintf("#%s-%d-error", tc.field, id))
			on, _ := res.Doc.Find(fmt.Sprintf("#lift-on-%d", id)).Attr("value")
			reason, _ := res.Doc.Find(fmt.Sprintf("#lift-reason-%d", id)).Attr("value")
			if !strings.Contains(beside, tc.msg) || on != tc.on || reason != tc.reason {
				t.Errorf("%s: beside %q, values %q %q", tc.name, beside, on, reason)
			}
		}
		if st, _ := db.ProductionStops(sys, f.own.ID); !st[0].Active() {
			t.Fatal("a refused lifting lifted the stop")
		}
		fx := newClient(t, ts)
		fx.login("fx_approver")
		if res := fx.post(path, url.Values{"csrf_token": {fx.csrf("/account")}, "lifted_on": {"2020-05-10"}, "reason": {"x"}}); res.Status != http.StatusNotFound {
			t.Fatalf("another city: %d", res.Status)
		}
	})
}
