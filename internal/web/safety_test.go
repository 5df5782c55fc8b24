package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestSafetyPages: the enterprise's page shows its standardisation grade
// and dual prevention; 鞍山's clerk edits them (a grade without its date
// is refused beside the field, nothing kept); an inspector may read, not
// edit; 阜新's enterprise is not found.
func TestSafetyPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		db.Clock().(*taotai.FixedClock).T = time.Date(2020, 6, 10, 9, 0, 0, 0, taotai.Shanghai)
		ts := newServer(t, db)
		clerk, insp := newClient(t, ts), newClient(t, ts)
		clerk.login("ansh_clerk")
		insp.login("ansh_inspector")
		page := idPath(f.own.ID, "")
		p := clerk.get(page)
		if text(p, "#f-grade") != "未记录" || text(p, "#f-dual") != "未记录" || p.Doc.Find("#safety-edit").Length() != 1 {
			t.Fatalf("before: %q %q", text(p, "#f-grade"), text(p, "#f-dual"))
		}
		edit := idPath(f.own.ID, "/safety/edit")
		tok := clerk.csrf(edit)
		r := clerk.post(idPath(f.own.ID, "/safety"), url.Values{"csrf_token": {tok}, "version": {"0"}, "grade": {"level3"}, "dual_prevention": {"1"}})
		if r.Status != http.StatusBadRequest || text(r, "#graded_on-error") == "" || r.Doc.Find("#error-summary a[href='#graded_on']").Length() != 1 {
			t.Fatalf("三级 without a date: %d %q", r.Status, text(r, "#error-summary"))
		}
		if text(clerk.get(page), "#f-grade") != "未记录" {
			t.Fatal("a refused form was kept")
		}
		r = clerk.post(idPath(f.own.ID, "/safety"), url.Values{"csrf_token": {tok}, "version": {"0"}, "grade": {"level2"},
			"graded_on": {"2019-11-02"}, "dual_prevention": {"1"}, "dual_built_on": {"2020-04-30"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d %q", r.Status, text(r, "#error-summary"))
		}
		p = insp.get(page)
		if text(p, "#f-grade") != "二级（2019年11月2日）" || text(p, "#f-dual") != "已建立（2020年4月30日）" {
			t.Fatalf("after: %q %q", text(p, "#f-grade"), text(p, "#f-dual"))
		}
		if p.Doc.Find("#safety-edit").Length() != 0 || insp.get(edit).Status != http.StatusForbidden {
			t.Error("an inspector may edit")
		}
		// The same version again: someone else saved meanwhile.
		if r := clerk.post(idPath(f.own.ID, "/safety"), url.Values{"csrf_token": {tok}, "version": {"0"}, "grade": {"below"}}); r.Status != http.StatusConflict {
			t.Errorf("a stale form: %d", r.Status)
		}
		if r := clerk.get(idPath(f.other.ID, "/safety/edit")); r.Status != http.StatusNotFound {
			t.Errorf("阜新's enterprise: %d", r.Status)
		}
	})
}
