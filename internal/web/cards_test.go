package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// enforcementSetup: the fixture's enterprises, an inspector and an
// approver of 鞍山, and an inspection of the own enterprise that found a
// major hazard due on 2020-05-30 (the clock stands on 2020-05-10).
func enforcementSetup(t *testing.T, db *store.DB) (*fixture, *taotai.Hazard) {
	t.Helper()
	f := setup(t, db)
	addUser(t, db, "ansh_approver", taotai.RoleCityApprover, "210300", taotai.SectorNonCoal)
	u, _ := db.Authenticate(context.Background(), "ansh_inspector", password)
	a, _ := db.ActorFor(context.Background(), u)
	ctx := taotai.NewContextWithActor(context.Background(), a)
	crits, _ := db.Criteria(ctx, f.steel)
	in := &taotai.Inspection{EnterpriseID: f.own.ID, Date: time.Date(2020, 5, 9, 0, 0, 0, 0, taotai.Shanghai), Kind: taotai.InspectionRoutine,
		Inspectors: "张明、李强", InspectorCount: 2}
	h := &taotai.Hazard{Description: "转炉水冷元件未设置监测报警", Level: taotai.HazardMajor, CriterionID: crits[len(crits)-1].ID,
		Deadline: time.Date(2020, 5, 30, 0, 0, 0, 0, taotai.Shanghai)}
	if err := db.RecordInspection(ctx, in, []*taotai.Hazard{h}); err != nil {
		t.Fatal(err)
	}
	return f, h
}

// postMultipart sends a transition form with files.
func (c *client) postMultipart(path string, fields url.Values, files map[string][]byte) *response {
	c.t.Helper()
	return c.postFiles(path, fields, "evidence_files", files)
}

// postFiles sends a multipart form with files in the field.
func (c *client) postFiles(path string, fields url.Values, field string, files map[string][]byte) *response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for name, data := range files {
		fw, _ := mw.CreateFormFile(field, name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", c.base)
	return c.do(req)
}

func TestCardPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, _ := enforcementSetup(t, db)
		clock := db.Clock().(*taotai.FixedClock)
		ts := newServer(t, db)
		appr := newClient(t, ts)
		appr.login("ansh_approver")
		cardPath := fmt.Sprintf("/enterprises/%d/card/2020", f.own.ID)
		page := appr.get(cardPath)
		if text(page, "#card-state") != "黄牌" || page.Doc.Find("#red-hint").Length() != 0 {
			t.Fatalf("card page: %q, red hint %d", text(page, "#card-state"), page.Doc.Find("#red-hint").Length())
		}
		// 变更为已摘牌 cannot succeed without a passed re-check: shown
		// disabled with why, after what can be done.
		if !strings.Contains(text(page, "#lock-cleared"), "尚无复查合格记录") || page.Doc.Find("#to-cleared button[disabled]").Length() != 1 ||
			page.Doc.Find("#to-cleared form").Length() != 0 || page.Doc.Find(".transition").First().AttrOr("id", "") != "to-red" {
			t.Fatalf("cleared offered: lock %q, first %q", text(page, "#lock-cleared"), page.Doc.Find(".transition").First().AttrOr("id", ""))
		}
		home := appr.get("/")
		if home.Doc.Find("#wl-red li").Length() != 0 || home.Doc.Find("#wl-soon li").Length() != 0 {
			t.Fatal("nothing is due yet")
		}
		tok := appr.csrf("/account")
		// Red before the deadline: refused with the rule's message.
		r := appr.postMultipart(cardPath, url.Values{"csrf_token": {tok}, "to": {"red"}, "reason": {"overdue"}, "version": {"1"}}, nil)
		if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#error-summary"), "整改期限未到") {
			t.Fatalf("red too early: %d %q", r.Status, text(r, "#error-summary"))
		}
		// The clock passes the deadline: the worklist proposes red.
		clock.T = time.Date(2020, 6, 1, 9, 0, 0, 0, taotai.Shanghai)
		home = appr.get("/")
		if !strings.Contains(text(home, "#wl-red"), f.own.Name) || !strings.Contains(text(home, "#wl-overdue"), "转炉水冷元件") {
			t.Fatalf("worklist: red %q overdue %q", text(home, "#wl-red"), text(home, "#wl-overdue"))
		}
		if page = appr.get(cardPath); page.Doc.Find("#red-hint").Length() != 1 || !strings.Contains(text(page, "#to-red h2"), "系统建议") ||
			page.Doc.Find("#to-red button.primary").Length() != 1 || page.Doc.Find("button.primary").Length() != 1 ||
			!strings.Contains(text(page, "#lock-cleared"), "整改期限") {
			t.Fatalf("after the deadline: red hint %d, red %q, cleared %q", page.Doc.Find("#red-hint").Length(), text(page, "#to-red h2"), text(page, "#lock-cleared"))
		}
		// 红牌 goes through its check page: what changes, for whom, what is
		// published; nothing changes until confirmed, and not without a
		// reason.
		redForm := url.Values{"csrf_token": {tok}, "to": {"red"}, "reason": {"overdue"}, "version": {"1"}, "step": {"check"}}
		if r = appr.postMultipart(cardPath, redForm, nil); r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#error-summary"), "变更理由") {
			t.Fatalf("red without a reason: %d %q", r.Status, text(r, "#error-summary"))
		}
		redForm.Set("why", "逾期未整改，现场复查仍未完成")
		r = appr.postMultipart(cardPath, redForm, nil)
		if r.Status != http.StatusOK || !strings.Contains(text(r, "#check-enterprise"), f.own.Name) ||
			!strings.Contains(text(r, "#check-answers"), "逾期未整改，现场复查仍未完成") || !strings.Contains(text(r, "#check-effects"), "公布") {
			t.Fatalf("red check page: %d %q %q", r.Status, text(r, "#check-answers"), text(r, "#check-effects"))
		}
		if text(appr.get(cardPath), "#card-state") != "黄牌" {
			t.Fatal("the check page changed the card")
		}
		confirm := url.Values{"step": {"confirm"}}
		r.Doc.Find(`#check-form input[type=hidden]`).Each(func(_ int, s *goquery.Selection) {
			confirm.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
		})
		noWhy := url.Values{}
		for k, v := range confirm {
			noWhy[k] = v
		}
		noWhy.Del("why")
		if r := appr.postMultipart(cardPath, noWhy, nil); r.Status != http.StatusBadRequest {
			t.Fatalf("confirmed without a reason: %d", r.Status)
		}
		if r = appr.postMultipart(cardPath, confirm, nil); r.Status != http.StatusSeeOther {
			t.Fatalf("red: %d %q", r.Status, text(r, "#error-summary"))
		}
		if h := text(appr.get(cardPath), "#card-history"); !strings.Contains(h, "逾期未整改，现场复查仍未完成") {
			t.Fatalf("the reason is not kept: %q", h)
		}
		// Skipping a step is refused.
		r = appr.postMultipart(cardPath, url.Values{"csrf_token": {tok}, "to": {"closed"}, "version": {"2"}, "closed_on": {"2020-06-01"}}, nil)
		if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#error-summary"), "不能") {
			t.Fatalf("red → closed: %d %q", r.Status, text(r, "#error-summary"))
		}
		r = appr.postMultipart(cardPath, url.Values{"csrf_token": {tok}, "to": {"proposed"}, "version": {"2"}, "basis": {"《安全生产法》第六十条"},
			"reported_on": {"2020-06-01"}, "why": {"报请区政府关闭"}, "step": {"confirm"}}, nil)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("proposed: %d %q", r.Status, text(r, "#error-summary"))
		}
		photo := []byte("\xff\xd8\xff\xe0 a photo of the dismantled kiln")
		r = appr.postMultipart(cardPath, url.Values{"csrf_token": {tok}, "to": {"closed"}, "version": {"3"}, "closed_on": {"2020-06-01"},
			"basis": {"市政府关闭决定"}, "evidence": {"设备已拆除"}, "verified_by": {"赵科长"}, "why": {"已关闭"}, "step": {"confirm"}}, map[string][]byte{"拆除.jpg": photo})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("closed: %d %q", r.Status, text(r, "#error-summary"))
		}
		page = appr.get(cardPath)
		if text(page, "#card-state") != "已关闭" || page.Doc.Find("#card-history li").Length() != 4 {
			t.Fatalf("after closing: %q, %d history entries", text(page, "#card-state"), page.Doc.Find("#card-history li").Length())
		}
		link, _ := page.Doc.Find(`#card-history a[href^="/attachments/"]`).Attr("href")
		file := appr.get(link)
		sum := sha256.Sum256(photo)
		if file.Status != 200 || file.Body != string(photo) || !strings.Contains(text(page, "#card-history"), hex.EncodeToString(sum[:])) {
			t.Fatalf("evidence file: %d, %d bytes", file.Status, len(file.Body))
		}
		// The inspector may not make cards red: no such form, and a post is 403.
		insp := newClient(t, ts)
		insp.login("ansh_inspector")
		ip := insp.get(cardPath)
		if ip.Doc.Find(".transition").Length() != 0 {
			t.Fatal("an inspector is offered a closed card's transitions")
		}
		if got := text(ip, "#card-decider"); got != "变更为“已验收”由市级审核决定；您的角色（执法人员）不能办理。" {
			t.Errorf("who decides: %q", got)
		}
		// Another city cannot see the card or the evidence.
		addUser(t, db, "fx_clerk", taotai.RoleCityClerk, "210900", taotai.SectorNonCoal)
		fx := newClient(t, ts)
		fx.login("fx_clerk")
		if r := fx.get(cardPath); r.Status != http.StatusNotFound {
			t.Fatalf("another city's card: %d", r.Status)
		}
		if r := fx.get(link); r.Status != http.StatusNotFound {
			t.Fatalf("another city's evidence: %d", r.Status)
		}
		tl := appr.get(fmt.Sprintf("/enterprises/%d", f.own.ID))
		if !strings.Contains(text(tl, "#timeline"), "黄牌 → 红牌") || !strings.Contains(text(tl, "#timeline"), "发现重大事故隐患") {
			t.Fatalf("timeline: %q", text(tl, "#timeline"))
		}
	})
}

func TestCoveragePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, _ := enforcementSetup(t, db)
		admin := taotai.NewContextWithActor(context.Background(), taotai.System)
		for _, e := range []*taotai.Enterprise{f.own, f.other} {
			if err := db.SetKeyListed(admin, 2020, e.ID, true, "正常生产"); err != nil {
				t.Fatal(err)
			}
		}
		addUser(t, db, "prov", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
		c := newClient(t, newServer(t, db))
		c.login("prov")
		page := c.get("/coverage?year=2020")
		if page.Status != 200 || !strings.Contains(text(page, "#coverage-total"), "名单内2家，已检查1家，覆盖率50.0%") {
			t.Fatalf("coverage: %d %q", page.Status, text(page, "#coverage-total"))
		}
		if !strings.Contains(text(page, "#coverage-table"), "鞍山市") || !strings.Contains(text(page, "#coverage-table"), "阜新市") {
			t.Fatalf("rows: %q", text(page, "#coverage-table"))
		}
		gaps := c.get("/coverage/gaps?year=2020&region=210000")
		if text(gaps, "#result-count") != "共 1 家。" || !strings.Contains(text(gaps, "#gaps-table"), f.other.Name) {
			t.Fatalf("gaps: %q", text(gaps, "#gaps-table"))
		}
		clerk := newClient(t, newServer(t, db))
		clerk.login("ansh_clerk")
		if r := clerk.get("/coverage?region=210900"); r.Status != http.StatusNotFound {
			t.Fatalf("鞍山's clerk on 阜新's coverage: %d", r.Status)
		}
		if r := clerk.get("/coverage/gaps?region=210900"); r.Status != http.StatusNotFound {
			t.Fatalf("鞍山's clerk on 阜新's gaps: %d", r.Status)
		}
		if r := clerk.get("/coverage?year=abc"); r.Status != http.StatusBadRequest {
			t.Fatalf("bad year: %d", r.Status)
		}
	})
}

// TestKeyListRemovalChecked: taking an enterprise off 附件1 shows what
// changes first, needs a reason, and the history keeps it; the enterprise
// page starts with what matters now.
func TestKeyListRemovalChecked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, h := enforcementSetup(t, db)
		admin := taotai.NewContextWithActor(context.Background(), taotai.System)
		if err := db.SetKeyListed(admin, 2020, f.own.ID, true, "正常生产"); err != nil {
			t.Fatal(err)
		}
		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("ansh_clerk")
		page := idPath(f.own.ID, "")
		ep := c.get(page)
		if !strings.Contains(text(ep, "#now-hazards"), "1项") || !strings.Contains(text(ep, "#now-card"), "黄牌") ||
			!strings.Contains(text(ep, "#now-deadline"), "2020年5月30日") || !strings.Contains(text(ep, "#now-hazard-list"), h.Description) {
			t.Errorf("now: hazards %q card %q deadline %q", text(ep, "#now-hazards"), text(ep, "#now-card"), text(ep, "#now-deadline"))
		}
		if ep.Doc.Find("#now").Index() > ep.Doc.Find("#facts").Index() || ep.Doc.Find("#timeline").Index() < ep.Doc.Find("#facts").Index() {
			t.Errorf("the page does not start with what matters now")
		}
		// The hazard page has one primary action: its next step.
		hp := c.get(fmt.Sprintf("/hazards/%d", h.ID))
		if n := hp.Doc.Find("button.primary").Length(); n != 1 || !strings.Contains(text(hp, "#next-step"), "五落实") ||
			hp.Doc.Find("#guarantees-form button.primary").Length() != 1 {
			t.Errorf("hazard page: %d primary buttons, next step %q", n, text(hp, "#next-step"))
		}
		addUser(t, db, "ansh_partner2", taotai.RolePartner, "210300", "")
		pc := newClient(t, ts)
		pc.login("ansh_partner2")
		if hp := pc.get(fmt.Sprintf("/hazards/%d", h.ID)); hp.Doc.Find("#guarantees-form, #recheck-form, #extend-form").Length() != 0 || !strings.Contains(text(hp, "#hazard-decider"), "执法人员") {
			t.Errorf("partner's hazard page: %d forms, %q", hp.Doc.Find("#guarantees-form, #recheck-form, #extend-form").Length(), text(hp, "#hazard-decider"))
		}
		tok := c.csrf(page)
		form := url.Values{"csrf_token": {tok}, "year": {"2020"}, "listed": {"0"}}
		r := c.post(idPath(f.own.ID, "/keylist"), form)
		if r.Status != http.StatusOK || !strings.Contains(text(r, "#check-effects"), "附件1") || !strings.Contains(text(r, "#check-title"), f.own.Name) {
			t.Fatalf("check page: %d %q", r.Status, text(r, "#check-effects"))
		}
		form.Set("step", "confirm")
		if r := c.post(idPath(f.own.ID, "/keylist"), form); r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#error-summary"), "移出理由") {
			t.Fatalf("removal without a reason: %d %q", r.Status, text(r, "#error-summary"))
		}
		if !strings.Contains(text(c.get(page), "#keylist"), "已列入") {
			t.Fatal("removed without a reason")
		}
		form.Set("reason", "经核实该企业已于2019年关闭")
		if r := c.post(idPath(f.own.ID, "/keylist"), form); r.Status != http.StatusSeeOther {
			t.Fatalf("removal: %d %q", r.Status, text(r, "#error-summary"))
		}
		ep = c.get(page)
		if !strings.Contains(text(ep, "#keylist"), "未列入") || !strings.Contains(text(ep, "#timeline"), "移出2020年度重点淘汰行业企业名单：经核实该企业已于2019年关闭") {
			t.Fatalf("after removal: %q / %q", text(ep, "#keylist"), text(ep, "#timeline"))
		}
		if first := text(ep, "#timeline li:first-child"); !strings.Contains(first, "移出") {
			t.Errorf("the history is not newest first: %q", first)
		}
	})
}
