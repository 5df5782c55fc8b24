package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// inspForm is a valid inspection of 9 May 2020 without hazards; the
// storetest clock stands on 10 May 2020.
func inspForm(tok string) url.Values {
	return url.Values{"csrf_token": {tok}, "date": {"2020-05-09"}, "kind": {"routine"}, "inspectors": {"张明、李强"},
		"inspector_count": {"2"}, "expert_count": {"1"}, "findings": {"炼钢车间例行检查"}}
}

// inspCriterion returns the value of the first criterion offered on the
// new-inspection form.
func inspCriterion(t *testing.T, c *client, e *taotai.Enterprise) string {
	t.Helper()
	r := c.get(idPath(e.ID, "/inspections/new"))
	if r.Status != http.StatusOK {
		t.Fatalf("new inspection form: %d %s", r.Status, text(r, "#error-message"))
	}
	v, ok := r.Doc.Find(`select[name=h0_criterion] option[value!=""]`).First().Attr("value")
	if !ok {
		t.Fatal("no major-hazard criterion offered")
	}
	return v
}

// inspRecord posts an inspection and returns the address of its page.
func inspRecord(t *testing.T, c *client, e *taotai.Enterprise, form url.Values) string {
	t.Helper()
	r := c.post(idPath(e.ID, "/inspections"), form)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/inspections/") {
		t.Fatalf("record inspection: %d %q %s", r.Status, r.Location, text(r, "#error-summary"))
	}
	return r.Location
}

// inspCount is the number of inspections of the enterprise.
func inspCount(t *testing.T, db *store.DB, e *taotai.Enterprise) int {
	t.Helper()
	_, n, err := db.FindInspections(taotai.NewContextWithActor(context.Background(), taotai.System), store.InspectionFilter{EnterpriseID: e.ID})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// inspMajor is the form of an inspection that found one major hazard.
func inspMajor(tok, criterion string) url.Values {
	f := inspForm(tok)
	f.Set("h0_description", "转炉煤气回收区域未设置固定式一氧化碳报警装置")
	f.Set("h0_place", "炼钢车间")
	f.Set("h0_level", "major")
	f.Set("h0_criterion", criterion)
	f.Set("h0_deadline", "2020-05-30")
	return f
}

func TestRecordInspectionWithMajorHazard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := newClient(t, newServer(t, db))
		c.login("ansh_inspector")
		form := c.get(idPath(f.own.ID, "/inspections/new"))
		if n := form.Doc.Find("fieldset.hazard-block").Length(); n != 3 {
			t.Errorf("hazard blocks = %d, want 3", n)
		}
		if v, _ := form.Doc.Find("#date").Attr("type"); v != "date" {
			t.Errorf("date input type %q", v)
		}
		crit := inspCriterion(t, c, f.own)
		tok := c.csrf("/")

		// “增加隐患条目” keeps what was typed and adds three blocks.
		more := inspMajor(tok, crit)
		more.Set("hazards", "3")
		more.Set("more", "1")
		r := c.post(idPath(f.own.ID, "/inspections"), more)
		if r.Status != http.StatusOK || r.Doc.Find("fieldset.hazard-block").Length() != 6 {
			t.Fatalf("more blocks: %d, %d blocks", r.Status, r.Doc.Find("fieldset.hazard-block").Length())
		}
		if v, _ := r.Doc.Find("#inspectors").Attr("value"); v != "张明、李强" || text(r, "#h0_description") == "" {
			t.Errorf("typed values lost: %q", v)
		}
		if inspCount(t, db, f.own) != 0 {
			t.Fatal("“more” stored an inspection")
		}

		page := inspRecord(t, c, f.own, inspMajor(tok, crit))
		r = c.get(page)
		if r.Status != http.StatusOK {
			t.Fatalf("inspection page: %d", r.Status)
		}
		if got := text(r, ".notice"); !strings.Contains(got, "检查记录已保存") || !strings.Contains(got, "黄牌") {
			t.Errorf("flash %q", got)
		}
		for sel, want := range map[string]string{"#fig-hazards": "1", "#fig-major": "1", "#fig-orders": "0", "#fig-fines": "0",
			"#inspection-date": "2020年5月9日", "#inspection-enterprise": f.own.Name} {
			if got := text(r, sel); got != want {
				t.Errorf("%s = %q, want %q", sel, got, want)
			}
		}
		row := r.Doc.Find("#hazard-table tbody tr")
		if row.Length() != 1 || !strings.Contains(row.Text(), "挂牌督办") || !strings.Contains(row.Text(), "重大事故隐患") {
			t.Errorf("hazard row: %q", row.Text())
		}
		if href, _ := row.Find("a").Attr("href"); !strings.HasPrefix(href, "/hazards/") {
			t.Errorf("hazard link %q", href)
		}
		card, _, err := db.FindCard(taotai.NewContextWithActor(context.Background(), taotai.System), f.own.ID, 2020)
		if err != nil || card.State != taotai.CardYellow {
			t.Fatalf("card after a major hazard: %+v %v", card, err)
		}
	})
}

func TestInspectionFormErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := newClient(t, newServer(t, db))
		c.login("ansh_inspector")
		crit := inspCriterion(t, c, f.own)
		tok := c.csrf("/")
		hazard := func(i int, level, criterion, deadline string) func(url.Values) {
			return func(v url.Values) {
				v.Set(fmt.Sprintf("h%d_description", i), "除尘系统未按规定检测")
				v.Set(fmt.Sprintf("h%d_level", i), level)
				v.Set(fmt.Sprintf("h%d_criterion", i), criterion)
				v.Set(fmt.Sprintf("h%d_deadline", i), deadline)
			}
		}
		cases := []struct {
			name, field, msg string
			edit             func(url.Values)
		}{
			{"fractional expert count", "expert_count", "参与检查专家数量应为整数", func(v url.Values) { v.Set("expert_count", "1.5") }},
			{"negative inspector count", "inspector_count", "执法检查人员数量不能为负数", func(v url.Values) { v.Set("inspector_count", "-2") }},
			// The second block, after a blank one: the message names it.
			{"deadline before the inspection", "h1_deadline", "第2项隐患：整改期限不能早于检查日期", hazard(1, "general", "", "2020-05-01")},
			{"major hazard without criterion", "h0_criterion", "第1项隐患：重大事故隐患须选择所依据的判定标准条款", hazard(0, "major", "", "2020-05-30")},
			{"unreadable date", "date", "检查日期格式不正确", func(v url.Values) { v.Set("date", "5月9号") }},
			{"unreadable deadline", "h0_deadline", "第1项隐患：整改期限格式不正确", hazard(0, "major", crit, "2020-02-30")},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				form := inspForm(tok)
				tc.edit(form)
				r := c.post(idPath(f.own.ID, "/inspections"), form)
				if r.Status != http.StatusBadRequest {
					t.Fatalf("status %d, want 400", r.Status)
				}
				if got := text(r, "#"+tc.field+"-error"); !strings.Contains(got, tc.msg) {
					t.Errorf("message beside %s = %q, want %q", tc.field, got, tc.msg)
				}
				if r.Doc.Find(`#error-summary a[href="#`+tc.field+`"]`).Length() != 1 {
					t.Errorf("error summary does not link to #%s: %q", tc.field, text(r, "#error-summary"))
				}
				if r.Doc.Find("#"+tc.field).Length() != 1 {
					t.Errorf("no element #%s for the summary to link to", tc.field)
				}
				if v, _ := r.Doc.Find("#inspectors").Attr("value"); v != "张明、李强" {
					t.Errorf("typed inspectors lost: %q", v)
				}
				if n := inspCount(t, db, f.own); n != 0 {
					t.Fatalf("%d inspections stored", n)
				}
			})
		}
	})
}

// inspDocNumbers lists the document numbers an inspection page shows.
func inspDocNumbers(r *response) []string {
	return r.Doc.Find("#document-table .doc-number").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
}

func TestIssueDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("ansh_inspector")
		crit := inspCriterion(t, c, f.own)
		tok := c.csrf("/")
		page := inspRecord(t, c, f.own, inspMajor(tok, crit))
		issue := func(page string, kv ...string) *response {
			v := url.Values{"csrf_token": {tok}, "issued_on": {"2020-05-10"}}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return c.post(page+"/documents", v)
		}

		for i := 1; i <= 2; i++ {
			r := issue(page, "kind", "rect_order")
			if r.Status != http.StatusSeeOther || r.Location != page {
				t.Fatalf("rect_order %d: %d %q %s", i, r.Status, r.Location, text(r, "#error-summary"))
			}
			if flash := text(c.get(page), ".notice"); !strings.HasPrefix(flash, "已下达") || !strings.HasSuffix(flash, fmt.Sprintf("应急责改〔2020〕%d号。", i)) {
				t.Errorf("flash %q", flash)
			}
		}
		r := c.get(page)
		nums := inspDocNumbers(r)
		if len(nums) != 2 || !strings.HasSuffix(nums[0], "〔2020〕1号") || !strings.HasSuffix(nums[1], "〔2020〕2号") {
			t.Fatalf("document numbers %q", nums)
		}
		if got := text(r, "#fig-orders"); got != "2" {
			t.Errorf("整改指令书 = %s, want 2", got)
		}

		// A number already used is a conflict, and nothing is issued.
		r = issue(page, "kind", "rect_order", "seq", "1")
		if r.Status != http.StatusConflict || !strings.Contains(text(r, "#seq-error"), "已被使用") {
			t.Fatalf("used seq: %d %q", r.Status, text(r, "#seq-error"))
		}
		if v, _ := r.Doc.Find("#seq").Attr("value"); v != "1" {
			t.Errorf("typed seq lost: %q", v)
		}
		if n := len(inspDocNumbers(c.get(page))); n != 2 {
			t.Fatalf("%d documents after a conflict", n)
		}

		// Three penalties of 0.1万元 each: 0.3万元 in all, exactly. The
		// inspector proposes (告知书, waived by the enterprise); the
		// approver decides.
		addUser(t, db, "ansh_approver", taotai.RoleCityApprover, "210300", taotai.SectorNonCoal)
		appr := newClient(t, ts)
		appr.login("ansh_approver")
		atok := appr.csrf("/")
		for range 3 {
			if r := issue(page, "kind", "penalty_notice", "fine", "0.1", "waived", "1"); r.Status != http.StatusSeeOther {
				t.Fatalf("notice: %d %s", r.Status, text(r, "#error-summary"))
			}
			r := appr.post(page+"/documents", url.Values{"csrf_token": {atok}, "issued_on": {"2020-05-10"}, "kind": {"penalty"}, "fine": {"0.1"}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("penalty: %d %s", r.Status, text(r, "#error-summary"))
			}
		}
		if r := issue(page, "kind", "penalty", "fine", "0.1"); r.Status != http.StatusForbidden {
			t.Fatalf("an inspector decides a penalty: %d", r.Status)
		}
		r = c.get(page)
		if got, n := text(r, "#fig-fines"), text(r, "#fig-penalties"); got != "0.3" || n != "3" {
			t.Errorf("fines %q (want 0.3), penalties %q (want 3)", got, n)
		}
		if r := issue(page, "kind", "penalty_notice", "fine", "0.1万元多"); r.Status != http.StatusBadRequest || !strings.HasPrefix(text(r, "#fine-error"), "罚款金额应为") {
			t.Errorf("bad fine: %d %q", r.Status, text(r, "#fine-error"))
		}

		// A re-check opinion before any rectification order is refused.
		fresh := inspRecord(t, c, f.own, inspMajor(tok, crit))
		r = issue(fresh, "kind", "recheck")
		want := "尚未下达责令限期整改指令书，不能出具整改复查意见书。"
		if r.Status != http.StatusBadRequest || text(r, "#kind-error") != want || !strings.Contains(text(r, "#error-summary"), want) {
			t.Fatalf("recheck first: %d %q", r.Status, text(r, "#kind-error"))
		}
		if n := len(inspDocNumbers(c.get(fresh))); n != 0 {
			t.Fatalf("%d documents on the fresh inspection", n)
		}
	})
}

// inspHazardOf returns the address of the first hazard of an inspection page.
func inspHazardOf(t *testing.T, c *client, page string) string {
	t.Helper()
	href, ok := c.get(page).Doc.Find("#hazard-table a").First().Attr("href")
	if !ok {
		t.Fatalf("no hazard on %s", page)
	}
	return href
}

// inspVersion is the version the hazard page's forms send back.
func inspVersion(r *response) string {
	v, _ := r.Doc.Find("input[name=version]").First().Attr("value")
	return v
}

func TestHazardPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := newClient(t, newServer(t, db))
		c.login("ansh_inspector")
		crit := inspCriterion(t, c, f.own)
		tok := c.csrf("/")
		hz := inspHazardOf(t, c, inspRecord(t, c, f.own, inspMajor(tok, crit)))

		r := c.get(hz)
		if r.Status != http.StatusOK || text(r, "#hazard-status") != "待整改" || text(r, "#hazard-supervised") != "挂牌督办" {
			t.Fatalf("hazard page: %d %q", r.Status, text(r, "#hazard-status"))
		}
		if !strings.Contains(text(r, "#stop-order-warning"), "五落实不全，应责令停产停业整改") {
			t.Errorf("no stop-order warning: %q", text(r, "#stop-order-warning"))
		}
		if n := r.Doc.Find("#guarantee-table tr.missing").Length(); n != 5 {
			t.Errorf("%d guarantees marked missing, want 5", n)
		}
		old := inspVersion(r)
		g := url.Values{"csrf_token": {tok}, "version": {old}, "responsible": {"王刚（生产副厂长）"}, "measures": {"加装报警装置"},
			"funds": {"1.5"}, "g_deadline": {"2020-05-25"}, "plan": {"煤气泄漏应急预案"}}
		if r := c.post(hz+"/guarantees", g); r.Status != http.StatusSeeOther || r.Location != hz {
			t.Fatalf("guarantees: %d %s", r.Status, text(r, "#error-summary"))
		}
		r = c.get(hz)
		if text(r, "#hazard-status") != "整改中" || r.Doc.Find("#stop-order-warning").Length() != 0 {
			t.Errorf("after 五落实: status %q, warning %q", text(r, "#hazard-status"), text(r, "#stop-order-warning"))
		}
		if !strings.Contains(text(r, "#guarantee-table"), "1.5万元") {
			t.Errorf("funds not shown in 万元: %q", text(r, "#guarantee-table"))
		}

		// A second save on the old version: refused, the first kept, the
		// typed text still in the form.
		g.Set("responsible", "李四")
		r = c.post(hz+"/guarantees", g)
		if r.Status != http.StatusConflict || !strings.Contains(text(r, "#error-summary"), "该隐患已被他人修改") {
			t.Fatalf("stale save: %d %q", r.Status, text(r, "#error-summary"))
		}
		if v, _ := r.Doc.Find("#responsible").Attr("value"); v != "李四" {
			t.Errorf("typed responsible lost: %q", v)
		}
		if inspVersion(r) == old {
			t.Error("the re-rendered form still carries the stale version")
		}
		sys := taotai.NewContextWithActor(context.Background(), taotai.System)
		var id int64
		fmt.Sscanf(hz, "/hazards/%d", &id)
		h, _, err := db.FindHazard(sys, id)
		if err != nil || h.Guarantees.Responsible != "王刚（生产副厂长）" || h.Guarantees.Funds != 15000 {
			t.Fatalf("first save not kept: %+v %v", h, err)
		}

		// Extension, with its reason in the history.
		r = c.get(hz)
		ext := url.Values{"csrf_token": {tok}, "version": {inspVersion(r)}, "deadline": {"2020-06-30"}, "reason": {"报警装置到货延迟"}}
		if r := c.post(hz+"/extend", ext); r.Status != http.StatusSeeOther {
			t.Fatalf("extend: %d %s", r.Status, text(r, "#error-summary"))
		}
		r = c.get(hz)
		if hist := text(r, "#extension-table"); !strings.Contains(hist, "报警装置到货延迟") || !strings.Contains(hist, "2020年6月30日") ||
			!strings.Contains(hist, "2020年5月30日") {
			t.Errorf("extension history %q", hist)
		}
		if got := text(r, "#hazard-deadline"); got != "2020年6月30日" {
			t.Errorf("deadline %q", got)
		}
		ext.Set("version", inspVersion(r))
		ext.Set("reason", "")
		if r := c.post(hz+"/extend", ext); r.Status != http.StatusBadRequest || text(r, "#reason-error") == "" {
			t.Errorf("extension without a reason: %d %q", r.Status, text(r, "#reason-error"))
		}

		// Re-check: a malformed date, a future date, then a pass.
		rc := url.Values{"csrf_token": {tok}, "version": {inspVersion(r)}, "passed": {"1"}, "date": {"2020-13-45"}}
		if r := c.post(hz+"/recheck", rc); r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#date-error"), "复查日期格式不正确") {
			t.Errorf("malformed date: %d %q", r.Status, text(r, "#date-error"))
		}
		rc.Set("date", "2099-01-01")
		if r := c.post(hz+"/recheck", rc); r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#date-error"), "不能晚于今天") {
			t.Errorf("future date: %d %q", r.Status, text(r, "#date-error"))
		}
		rc.Set("date", "2020-05-10")
		rc.Set("note", "已加装并检测合格")
		if r := c.post(hz+"/recheck", rc); r.Status != http.StatusSeeOther {
			t.Fatalf("recheck: %d %s", r.Status, text(r, "#error-summary"))
		}
		r = c.get(hz)
		if text(r, "#recheck-status") != "复查合格" || text(r, "#hazard-status") != "复查合格" {
			t.Errorf("after the pass: %q", text(r, "#recheck-status"))
		}
		for _, sel := range []string{"#guarantees-form", "#extend-form", "#recheck-form"} {
			if r.Doc.Find(sel).Length() != 0 {
				t.Errorf("%s still offered on a passed hazard", sel)
			}
		}
	})
}

func TestReadOnlyRolesSeeButCannotAct(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("ansh_inspector")
		crit := inspCriterion(t, c, f.own)
		page := inspRecord(t, c, f.own, inspMajor(c.csrf("/"), crit))
		hz := inspHazardOf(t, c, page)

		addUser(t, db, "ansh_partner", taotai.RolePartner, "210300", "")
		addUser(t, db, "prov_reviewer", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
		for _, name := range []string{"ansh_partner", "prov_reviewer"} {
			t.Run(name, func(t *testing.T) {
				rc := newClient(t, ts)
				rc.login(name)
				tok := rc.csrf("/")
				r := rc.get(page)
				if r.Status != http.StatusOK || text(r, "#fig-major") != "1" || r.Doc.Find("#document-form").Length() != 0 {
					t.Errorf("inspection page: %d, document form shown: %d", r.Status, r.Doc.Find("#document-form").Length())
				}
				r = rc.get(hz)
				if r.Status != http.StatusOK || r.Doc.Find(".form-panel").Length() != 0 {
					t.Errorf("hazard page: %d, forms shown: %d", r.Status, r.Doc.Find(".form-panel").Length())
				}
				if r := rc.get(idPath(f.own.ID, "/inspections/new")); r.Status != http.StatusForbidden || !strings.Contains(text(r, "#error-message"), "不能录入执法检查") {
					t.Errorf("new inspection form: %d %q", r.Status, text(r, "#error-message"))
				}
				posts := map[string]url.Values{
					idPath(f.own.ID, "/inspections"): inspForm(tok),
					page + "/documents":              {"csrf_token": {tok}, "kind": {"rect_order"}, "issued_on": {"2020-05-10"}},
					hz + "/guarantees":               {"csrf_token": {tok}, "version": {"1"}, "responsible": {"某人"}},
					hz + "/extend":                   {"csrf_token": {tok}, "version": {"1"}, "deadline": {"2020-06-30"}, "reason": {"理由"}},
					hz + "/recheck":                  {"csrf_token": {tok}, "version": {"1"}, "passed": {"1"}, "date": {"2020-05-10"}},
				}
				for p, form := range posts {
					if r := rc.post(p, form); r.Status != http.StatusForbidden {
						t.Errorf("POST %s: %d, want 403", p, r.Status)
					}
				}
			})
		}
		if n := inspCount(t, db, f.own); n != 1 {
			t.Errorf("%d inspections, want 1", n)
		}
		r := c.get(page)
		if len(inspDocNumbers(r)) != 0 || text(r, "#fig-orders") != "0" {
			t.Errorf("documents issued by read-only roles: %q", inspDocNumbers(r))
		}
		if r := c.get(hz); text(r, "#hazard-status") != "待整改" || r.Doc.Find("#extension-table").Length() != 0 {
			t.Errorf("hazard changed by read-only roles: %q", text(r, "#hazard-status"))
		}
	})
}
