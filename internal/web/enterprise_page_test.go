package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestEnterprisePageWords: the enterprise page as looked at on a phone
// and a desktop — the history names the system's own acts 系统 (not its
// login name), dates in the history are written like the rest of the
// page, an empty contact says 未填写 rather than leaving its label alone,
// and with every deadline passed 下一个期限 says how many are overdue.
func TestEnterprisePageWords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		sys := taotai.NewContextWithActor(context.Background(), taotai.System)
		crits, err := db.Criteria(sys, f.steel)
		if err != nil || len(crits) == 0 {
			t.Fatal(err)
		}
		insp, err := db.Authenticate(sys, "ansh_inspector", password)
		if err != nil {
			t.Fatal(err)
		}
		in := &taotai.Inspection{AgencyID: insp.AgencyID, EnterpriseID: f.own.ID, Date: time.Date(2020, 5, 9, 0, 0, 0, 0, taotai.Shanghai), Kind: taotai.InspectionRoutine,
			Inspectors: "张明、李强", InspectorCount: 2}
		h := &taotai.Hazard{Description: "转炉水冷元件未设置监测报警", Level: taotai.HazardMajor, CriterionID: crits[len(crits)-1].ID,
			Deadline: time.Date(2020, 5, 30, 0, 0, 0, 0, taotai.Shanghai)}
		if err := db.RecordInspection(sys, in, []*taotai.Hazard{h}); err != nil {
			t.Fatal(err)
		}
		db.Clock().(*taotai.FixedClock).T = time.Date(2020, 6, 2, 9, 0, 0, 0, taotai.Shanghai)
		c := newClient(t, newServer(t, db))
		c.login("ansh_clerk")
		r := c.get(idPath(f.own.ID, ""))
		history := text(r, "#timeline")
		if strings.Contains(history, "system") || !strings.Contains(history, "（系统）") {
			t.Errorf("history: %q", history)
		}
		if !strings.Contains(history, "整改期限2020年5月30日") || strings.Contains(history, "2020-05-30") {
			t.Errorf("history's dates: %q", history)
		}
		if got := text(r, "#now-deadline"); !strings.Contains(got, "已逾期1项") {
			t.Errorf("下一个期限 with the only deadline passed: %q", got)
		}
		var legal string
		dts := r.Doc.Find("#enterprise-facts dt")
		for i := range dts.Length() {
			if strings.TrimSpace(dts.Eq(i).Text()) == "法定代表人" {
				legal = strings.TrimSpace(dts.Eq(i).Next().Text())
			}
		}
		if legal != "未填写" {
			t.Errorf("法定代表人 not given: %q", legal)
		}
	})
}
