package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestReportExtension: an administrator moves 鞍山's June due day with a
// reason, kept and shown on the report's page; without a reason nothing
// changes and the message stands beside the field; a clerk has no such
// form and is refused.
func TestReportExtension(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		setup(t, db)
		addUser(t, db, "root_admin", taotai.RoleAdmin, taotai.ProvinceCode, "")
		ts := newServer(t, db)
		page := "/reports/2020-06/210300/noncoal"
		admin := newClient(t, ts)
		admin.login("root_admin")
		r := admin.post(page+"/extend", url.Values{"csrf_token": {admin.csrf(page)}, "due": {"2020-06-30"}})
		if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#extend_reason-error"), "延期理由") {
			t.Fatalf("no reason: %d %q", r.Status, text(r, "#error-summary"))
		}
		r = admin.post(page+"/extend", url.Values{"csrf_token": {admin.csrf(page)}, "due": {"2020-06-30"}, "extend_reason": {"汛期抢险，延期报送"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("extend: %d %s", r.Status, text(r, "#error-summary"))
		}
		got := admin.get(page)
		if !strings.Contains(text(got, "#report-extension"), "汛期抢险") || !strings.Contains(text(got, "#report-due"), "2020年6月30日") {
			t.Errorf("after the extension: due %q, reason %q", text(got, "#report-due"), text(got, "#report-extension"))
		}
		clerk := newClient(t, ts)
		clerk.login("ansh_clerk")
		if p := clerk.get(page); p.Doc.Find("#extend-form").Length() != 0 {
			t.Error("a city clerk is offered the extension")
		}
		if r := clerk.post(page+"/extend", url.Values{"csrf_token": {clerk.csrf(page)}, "due": {"2020-07-30"}, "extend_reason": {"x"}}); r.Status != http.StatusForbidden {
			t.Errorf("a clerk extends: %d", r.Status)
		}
	})
}
