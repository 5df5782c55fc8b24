package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"taotai"
)

// FuzzCoalMineForm: whatever the coal-mine list's form holds, the answer
// is the list again (one more entry), or the form with its message and
// nothing kept, or 404 for a year not run; never a 5xx.
func FuzzCoalMineForm(f *testing.F) {
	f.Add("1", "2020", "未按规定建立瓦斯抽采系统", "责令停产整顿", "suspended")
	f.Add("-1", "2031", "", "", "done")
	f.Add("99999999999999999999", "x", "甲\x00", "\u202e", "closed")
	c, db := fuzzClient(f, taotai.RoleAdmin)
	sys := taotai.NewContextWithActor(context.Background(), taotai.System)
	inds, _ := db.Industries(sys)
	for _, i := range inds {
		if i.Key == "coal" {
			first := "91210900MA0000007"
			e := &taotai.Enterprise{Name: "阜新五龙煤矿", CreditCode: first + string(taotai.USCCCheckDigit(first)), Address: "阜新市海州区五龙路1号",
				RegionCode: "210902", IndustryID: i.ID, ProductionState: taotai.StateNormal}
			if err := db.CreateEnterprise(sys, e, false); err != nil {
				f.Fatal(err)
			}
			f.Add(strconv.FormatInt(e.ID, 10), "2020", "超能力生产", "关闭", "closed")
		}
	}
	entries := func() int {
		l, _ := db.CoalMineEntries(sys, 2020, "")
		return len(l)
	}
	tok := c.csrf("/account")
	f.Fuzz(func(t *testing.T, enterprise, year, conditions, measure, state string) {
		c.t = t
		before := entries()
		r := c.post("/coal-mines", url.Values{"csrf_token": {tok}, "enterprise": {enterprise}, "year": {year}, "conditions": {conditions},
			"measure": {measure}, "state": {state}})
		switch r.Status {
		case http.StatusSeeOther:
			if entries() != before+1 {
				t.Fatalf("added, but %d → %d entries", before, entries())
			}
		case http.StatusBadRequest, http.StatusConflict, http.StatusNotFound:
			if entries() != before {
				t.Fatalf("refused, yet %d → %d entries", before, entries())
			}
			if r.Status != http.StatusNotFound && r.Doc.Find("#error-summary, #error-message").Length() == 0 {
				t.Fatalf("refused without a message: %.300s", r.Body)
			}
		default:
			t.Fatalf("status %d for %q %q %q %q %q", r.Status, enterprise, year, conditions, measure, state)
		}
	})
}
