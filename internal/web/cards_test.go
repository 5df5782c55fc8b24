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
		if appr.get(cardPath).Doc.Find("#red-hint").Length() != 1 {
			t.Fatal("no red hint after the deadline")
		}
		r = appr.postMultipart(cardPath, url.Values{"csrf_token": {tok}, "to": {"red"}, "reason": {"overdue"}, "version": {"1"}, "why": {"逾期未整改"}}, nil)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("red: %d %q", r.Status, text(r, "#error-summary"))
		}
		// Skipping a step is refused.
		r = appr.postMultipart(cardPath, url.Values{"csrf_token": {tok}, "to": {"closed"}, "version": {"2"}, "closed_on": {"2020-06-01"}}, nil)
		if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#error-summary"), "不能") {
			t.Fatalf("red → closed: %d %q", r.Status, text(r, "#error-summary"))
		}
		r = appr.postMultipart(cardPath, url.Values{"csrf_token": {tok}, "to": {"proposed"}, "version": {"2"}, "basis": {"《安全生产法》第六十条"},
			"reported_on": {"2020-06-01"}}, nil)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("proposed: %d %q", r.Status, text(r, "#error-summary"))
		}
		photo := []byte("\xff\xd8\xff\xe0 a photo of the dismantled kiln")
		r = appr.postMultipart(cardPath, url.Values{"csrf_token": {tok}, "to": {"closed"}, "version": {"3"}, "closed_on": {"2020-06-01"},
			"basis": {"市政府关闭决定"}, "evidence": {"设备已拆除"}, "verified_by": {"赵科长"}}, map[string][]byte{"拆除.jpg": photo})
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
		if insp.get(cardPath).Doc.Find(".transition").Length() != 0 {
			t.Fatal("an inspector is offered a closed card's transitions")
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
