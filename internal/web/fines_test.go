package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestFinesBoundedByLaw: ten penalty decisions at the legal maximum keep
// every page and form working with the exact sum; one yuan more is refused
// with the law named. (Ten decisions of the largest amount the form used
// to accept, 99,999,999,999,999 yuan, made the pages answer 500 for good.)
func TestFinesBoundedByLaw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, h := enforcementSetup(t, db)
		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("ansh_approver") // a decision is the agency's
		insp := fmt.Sprintf("/inspections/%d", h.InspectionID)
		issue := func(fine string) *response {
			// The notice first, which the enterprise waives; then the decision.
			r := c.post(insp+"/documents", url.Values{"csrf_token": {c.csrf(insp)}, "kind": {taotai.DocPenaltyNotice},
				"issued_on": {"2020-05-10"}, "fine": {fine}, "waived": {"1"}})
			if r.Status != http.StatusSeeOther {
				return r
			}
			return c.post(insp+"/documents", url.Values{"csrf_token": {c.csrf(insp)}, "kind": {taotai.DocPenalty},
				"issued_on": {"2020-05-10"}, "fine": {fine}})
		}
		for _, fine := range []string{"10000.0001", "9999999999.9999"} {
			r := issue(fine)
			if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "法定上限") {
				t.Fatalf("a fine of %s万元: %d %s", fine, r.Status, text(r, "#error-summary"))
			}
		}
		for i := 0; i < 10; i++ {
			if r := issue("10000"); r.Status != http.StatusSeeOther {
				t.Fatalf("penalty %d at the maximum: %d %s", i, r.Status, text(r, "#error-summary"))
			}
		}
		if r := c.get(insp); r.Status != http.StatusOK || !strings.Contains(r.Body, "100000") {
			t.Errorf("the inspection with fines of 10亿元: %d", r.Status)
		}
		if r := c.get(idPath(f.own.ID, "")); r.Status != http.StatusOK {
			t.Errorf("the enterprise with fines of 10亿元: %d", r.Status)
		}
		clerk := newClient(t, ts)
		clerk.login("ansh_clerk")
		csv := clerk.get("/forms/download?form=2&region=210300&sector=noncoal&period=2020&format=csv")
		if csv.Status != http.StatusOK || !strings.Contains(csv.Body, "100000") || !strings.Contains(csv.Body, f.own.Name) {
			t.Errorf("附件2 with fines of 10亿元: %d %.400q", csv.Status, csv.Body)
		}
	})
}
