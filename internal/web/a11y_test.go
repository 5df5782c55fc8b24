package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// a11yFaults returns what a page gets wrong that a screen reader user
// meets, and that can be told from its HTML alone:
//   - a table header with no text (<th></th>): read out as nothing;
//   - an id used twice (a label, a link or aria-describedby finds the first);
//   - a field whose hint (id "<field>-hint") or error message ("<field>-error")
//     is on the page but not named by its aria-describedby, or an
//     aria-describedby naming an id that is not on the page.
func a11yFaults(doc *goquery.Document) []string {
	var faults []string
	doc.Find("th").Each(func(_ int, th *goquery.Selection) {
		if strings.TrimSpace(th.Text()) == "" && strings.TrimSpace(th.AttrOr("aria-label", "")) == "" {
			h, _ := goquery.OuterHtml(th)
			faults = append(faults, "empty table header "+h)
		}
	})
	ids := map[string]bool{}
	doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id := s.AttrOr("id", "")
		if ids[id] {
			faults = append(faults, fmt.Sprintf("the id %q is used twice", id))
		}
		ids[id] = true
	})
	doc.Find("input, select, textarea, fieldset").Each(func(_ int, s *goquery.Selection) {
		id := s.AttrOr("id", "")
		if t := s.AttrOr("type", ""); t == "hidden" || t == "submit" {
			return
		}
		described := strings.Fields(s.AttrOr("aria-describedby", ""))
		for _, d := range described {
			if !ids[d] {
				faults = append(faults, fmt.Sprintf("#%s is described by #%s, which is not on the page", id, d))
			}
		}
		if id == "" {
			return
		}
		for _, suffix := range []string{"-hint", "-error"} {
			if ids[id+suffix] && !contains(described, id+suffix) {
				faults = append(faults, fmt.Sprintf("#%s: its %s (#%s%s) is not in aria-describedby %q", id, suffix[1:], id, suffix, described))
			}
		}
	})
	// A hint inside a field is tied to the field's one control (or to its
	// fieldset of radios), by id.
	doc.Find(".field").Each(func(_ int, f *goquery.Selection) {
		hints := f.ChildrenFiltered(".hint")
		if hints.Length() == 0 {
			return
		}
		target := f
		if !f.Is("fieldset") {
			controls := f.Find("input, select, textarea").Not(`[type=hidden], [type=radio], [type=checkbox], [type=submit]`)
			if controls.Length() != 1 {
				return
			}
			target = controls
		}
		described := strings.Fields(target.AttrOr("aria-describedby", ""))
		hints.Each(func(_ int, h *goquery.Selection) {
			if id := h.AttrOr("id", ""); id == "" || !contains(described, id) {
				faults = append(faults, fmt.Sprintf("the hint %q is not tied to #%s (aria-describedby %q)", strings.TrimSpace(h.Text()), target.AttrOr("id", ""), described))
			}
		})
	})
	return faults
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestFieldsDescribed: after a failed submit, each field names its hint
// and its error in aria-describedby (hint first), the criterion select of
// a hazard included; the error summary can take the focus; and no form
// page has a fault a11yFaults finds.
func TestFieldsDescribed(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	f, h := enforcementSetup(t, db)
	addUser(t, db, "as_admin", taotai.RoleAdmin, "210300", taotai.SectorNonCoal)
	ts := newServer(t, db)
	c := newClient(t, ts)
	c.login("ansh_inspector")
	tok := c.csrf("/")
	check := func(what string, r *response, want map[string]string) {
		t.Helper()
		if r.Status < 400 || r.Status >= 500 {
			t.Fatalf("%s: status %d", what, r.Status)
		}
		for _, fault := range a11yFaults(r.Doc) {
			t.Errorf("%s: %s", what, fault)
		}
		for id, ids := range want {
			if got := r.Doc.Find("#"+id).AttrOr("aria-describedby", ""); got != ids {
				t.Errorf("%s: #%s aria-describedby %q, want %q", what, id, got, ids)
			}
		}
		if s := r.Doc.Find(".error-summary"); s.Length() == 0 || s.AttrOr("tabindex", "") != "-1" {
			t.Errorf("%s: no error summary that can take the focus", what)
		}
	}
	// A major hazard without its criterion, a date that is no date.
	form := inspForm(tok)
	form.Set("date", "5月9号")
	form.Set("h0_description", "除尘系统未按规定检测")
	form.Set("h0_level", "major")
	form.Set("h0_deadline", "2020-05-30")
	check("inspection form", c.post(idPath(f.own.ID, "/inspections"), form), map[string]string{
		"date": "date-hint date-error", "h0_criterion": "h0_criterion-hint h0_criterion-error",
		"h1_criterion": "h1_criterion-hint", "inspectors": "inspectors-hint", "findings": "findings-hint",
	})
	// The hazard's five guarantees with funds that are no amount.
	hz := fmt.Sprintf("/hazards/%d", h.ID)
	check("guarantees", c.post(hz+"/guarantees", url.Values{"csrf_token": {tok}, "version": {"1"}, "responsible": {"王厂长"},
		"measures": {"整改"}, "funds": {"很多"}, "g_deadline": {"2020-05-25"}, "plan": {"预案"}}),
		map[string]string{"funds": "funds-hint funds-error"})

	// The sign-in, failed.
	anon := newClient(t, ts)
	r := anon.post("/login", url.Values{"csrf_token": {anon.csrf("/login")}, "username": {"nobody"}, "password": {"wrong"}})
	check("sign-in", r, nil)

	// An administrator's new account without a name or a region.
	admin := newClient(t, ts)
	admin.login("as_admin")
	check("new account", admin.post("/admin/users", url.Values{"csrf_token": {admin.csrf("/admin/users/new")}, "username": {"li_qiang"}, "role": {"city_clerk"}}),
		map[string]string{"region": "region-hint region-error"})
}
