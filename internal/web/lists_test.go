package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// listsFixture: records of 鞍山 and 阜新 across the first report's end
// (11 May) and June's (25 June), with documents issued on later days than
// their inspections, made with the clock on each day; then the clock on
// 1 July 2020.
type listsFixture struct {
	*fixture
	cement  *taotai.Enterprise // a second 鞍山 enterprise
	offline *taotai.Enterprise // 鞍山, reported in an imported 附件2 only
}

func listsSetup(t *testing.T, db *store.DB) *listsFixture {
	t.Helper()
	f := &listsFixture{fixture: setup(t, db)}
	ctx := context.Background()
	admin := taotai.NewContextWithActor(ctx, taotai.System)
	clock := db.Clock().(*taotai.FixedClock)
	at := func(d string) time.Time {
		day, _ := time.ParseInLocation(time.DateOnly, d, taotai.Shanghai)
		clock.T = day.Add(10 * time.Hour)
		return day
	}
	addUser(t, db, "fx_clerk", taotai.RoleCityClerk, "210900", taotai.SectorNonCoal)
	addUser(t, db, "fx_inspector", taotai.RoleInspector, "210902", taotai.SectorNonCoal)
	addUser(t, db, "prov", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
	actor := func(name string) context.Context {
		u, _ := db.Authenticate(ctx, name, password)
		a, _ := db.ActorFor(ctx, u)
		return taotai.NewContextWithActor(ctx, a)
	}
	ansh, fx := actor("ansh_clerk"), actor("fx_inspector")
	cementID := int64(0)
	inds, _ := db.Industries(ctx)
	for _, i := range inds {
		if i.Key == "cement" {
			cementID = i.ID
		}
	}
	mk := func(name, code, region string) *taotai.Enterprise {
		first := "912103" + code
		e := &taotai.Enterprise{Name: name, CreditCode: first + string(taotai.USCCCheckDigit(first)), Address: "鞍山市铁西区某路1号",
			RegionCode: region, IndustryID: cementID, ProductionState: taotai.StateNormal}
		if err := db.CreateEnterprise(admin, e, false); err != nil {
			t.Fatal(err)
		}
		return e
	}
	f.cement = mk("鞍山千山水泥有限公司", "00MA0000011", "210303")
	f.offline = mk("鞍山线下水泥有限公司", "00MA0000012", "210303")
	crits, _ := db.Criteria(ctx, f.steel)
	major := func(deadline string) *taotai.Hazard {
		return &taotai.Hazard{Description: "煤气区域无报警", Level: taotai.HazardMajor, CriterionID: crits[len(crits)-1].ID, Deadline: at(deadline)}
	}
	general := func(deadline string) *taotai.Hazard {
		return &taotai.Hazard{Description: "警示标志缺失", Level: taotai.HazardGeneral, Deadline: at(deadline)}
	}
	inspect := func(who context.Context, e *taotai.Enterprise, date string, people, experts int, hs ...*taotai.Hazard) int64 {
		in := &taotai.Inspection{EnterpriseID: e.ID, Date: at(date), Kind: taotai.InspectionRoutine, Inspectors: "张明、李强",
			InspectorCount: people, ExpertCount: experts}
		if err := db.RecordInspection(who, in, hs); err != nil {
			t.Fatalf("inspection of %s on %s: %v", e.Name, date, err)
		}
		return in.ID
	}
	issue := func(who context.Context, in int64, kind, date string, fine taotai.Yuan) {
		d := &taotai.Document{InspectionID: in, Kind: kind, IssuedOn: at(date), Fine: fine}
		var err error
		if kind == taotai.DocPenalty {
			err = storetest.Penalty(db, d)
		} else {
			err = db.IssueDocument(who, d)
		}
		if err != nil {
			t.Fatalf("%s on %s: %v", kind, date, err)
		}
	}
	n1 := inspect(ansh, f.own, "2020-05-09", 2, 1, major("2020-05-30"), general("2020-05-20"))
	issue(ansh, n1, taotai.DocSiteRecord, "2020-05-09", 0)
	issue(ansh, n1, taotai.DocRectOrder, "2020-05-09", 0)
	issue(ansh, n1, taotai.DocPenalty, "2020-05-11", 12345)
	issue(ansh, n1, taotai.DocPenalty, "2020-05-12", 0) // June's
	n2 := inspect(ansh, f.own, "2020-05-11", 3, 0, general("2020-05-25"))
	issue(ansh, n2, taotai.DocRectOrder, "2020-05-12", 0) // June's
	n3 := inspect(ansh, f.own, "2020-05-12", 2, 2)
	issue(ansh, n3, taotai.DocPenalty, "2020-05-12", 5000)
	n4 := inspect(ansh, f.own, "2020-06-25", 2, 0, major("2020-07-10"))
	issue(ansh, n4, taotai.DocRectOrder, "2020-06-26", 0) // July's
	issue(ansh, n4, taotai.DocStopOrder, "2020-06-25", 0)
	n5 := inspect(ansh, f.cement, "2020-06-01", 4, 1, general("2020-06-10"), general("2020-06-30"))
	issue(ansh, n5, taotai.DocPenalty, "2020-06-02", 200000)
	n6 := inspect(fx, f.other, "2020-05-20", 2, 0, general("2020-06-01"))
	issue(fx, n6, taotai.DocPenalty, "2020-05-21", 7000)
	if err := db.SetKeyListed(admin, 2020, f.own.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	at("2020-07-01")
	// 鞍山线下水泥 was inspected offline in June: its figures come from
	// the city's imported 附件2.
	var b bytes.Buffer
	if err := forms.Write2(&b, forms.Header{Period: "6月"}, []forms.Row2{{Name: f.offline.Name, Address: f.offline.Address,
		Inspections: 2, InspectorTimes: 5, ExpertTimes: 1, Hazards: 3, Orders: 1, Penalties: 1, Fines: 30000}}); err != nil {
		t.Fatal(err)
	}
	rep, err := db.ImportForm(ansh, store.ImportOptions{Form: forms.Form2, RegionCode: "210300", Year: 2020, FileName: "6月.xlsx"}, b.Bytes())
	if err != nil || !rep.Written {
		t.Fatalf("import: %+v %v", rep, err)
	}
	return f
}

// total reads a list's 共N条.
func total(t *testing.T, r *response) string {
	t.Helper()
	n, ok := r.Doc.Find("#result-count").Attr("data-total")
	if !ok || !strings.HasPrefix(text(r, "#result-count"), "共"+n+"条") {
		t.Fatalf("no count line (%d): %q", r.Status, text(r, "#result-count"))
	}
	return n
}

// form2Columns names 附件2's figure columns by their cell index, and says
// what of the list each must equal.
var form2Columns = map[int]string{3: "#result-count", 4: "#result-inspectors", 5: "#result-experts", 6: "#result-count",
	7: "#result-count", 8: "#result-count", 9: "#result-count", 10: "#result-fines"}

// followFigures opens every figure link of a printed 附件2 and checks that
// the list holds what the figure says; a figure without a link must be
// nought or imported. It returns how many links it followed.
func followFigures(t *testing.T, c *client, path string) (links int) {
	t.Helper()
	r := c.get(path)
	if r.Status != http.StatusOK {
		t.Fatalf("%s: %d %s", path, r.Status, text(r, "#error-message"))
	}
	r.Doc.Find("#form-table tbody tr").Each(func(_ int, tr *goquery.Selection) {
		tr.Find("td").Each(func(i int, td *goquery.Selection) {
			sel, figure := form2Columns[i]
			if !figure {
				return
			}
			want := strings.TrimSpace(td.Text())
			href, ok := td.Find("a").Attr("href")
			if !ok {
				if want != "0" && td.Find(".imported-mark").Length() == 0 {
					t.Errorf("%s: row %q, column %d: figure %s opens nothing", path, cells(tr, "td")[1], i, want)
				}
				return
			}
			links++
			lr := c.get(href)
			got := text(lr, sel)
			if sel == "#result-count" {
				got = total(t, lr)
			}
			if lr.Status != http.StatusOK || got != want {
				t.Errorf("%s: row %q, column %d: figure %s, but %s holds %s (%d)", path, cells(tr, "td")[1], i, want, href, got, lr.Status)
			}
		})
	})
	return links
}

// TestFormFiguresOpenTheirRecords: every figure of the printed 附件2, of
// every period, for the city and the province, opens a list that holds
// exactly what it counts; imported figures open nothing and say so.
func TestFormFiguresOpenTheirRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := listsSetup(t, db)
		ts := newServer(t, db)
		city, prov := newClient(t, ts), newClient(t, ts)
		city.login("ansh_clerk")
		prov.login("prov")
		links := 0
		for _, period := range []string{"2020-05", "2020-06", "2020-07", "2020"} {
			links += followFigures(t, city, "/forms/print?form=2&region=210300&sector=noncoal&period="+period)
			links += followFigures(t, prov, "/forms/print?form=2&region=210000&sector=noncoal&period="+period)
		}
		if links < 60 {
			t.Errorf("only %d figure links followed", links)
		}

		// June: the imported enterprise's figures open nothing, and the
		// page says why; the 合计 of those columns neither.
		june := city.get("/forms/print?form=2&region=210300&sector=noncoal&period=2020-06")
		var offline *goquery.Selection
		june.Doc.Find("#form-table tr.form-row").Each(func(_ int, tr *goquery.Selection) {
			if strings.TrimSpace(tr.Find("td").Eq(1).Text()) == f.offline.Name {
				offline = tr
			}
		})
		if offline == nil || offline.Find("td.num a").Length() != 0 || offline.Find(".imported-mark").Length() != 7 {
			t.Fatalf("the imported row: %v", offline)
		}
		if june.Doc.Find("#print-imported").Length() != 1 || june.Doc.Find("#form-total td.num a").Length() != 1 {
			// Only 发现重大隐患数 of the 合计 holds no imported part.
			t.Errorf("June: note %d, 合计 links %d", june.Doc.Find("#print-imported").Length(), june.Doc.Find("#form-total td.num a").Length())
		}
		if may := city.get("/forms/print?form=2&region=210300&sector=noncoal&period=2020-05"); may.Doc.Find("#print-imported").Length() != 0 {
			t.Error("May says some figures are imported")
		}
		// Links print as plain black text.
		css := city.get("/static/print.css")
		if !strings.Contains(css.Body, ".official-form td a { color: #000; text-decoration: none; }") {
			t.Error("print.css does not print the links as plain text")
		}

		// 附件1's names open the enterprise, 附件3's its card.
		r1 := city.get("/forms/print?form=1&period=2020&region=210300&sector=noncoal")
		if href, _ := r1.Doc.Find("#form-table tr.form-row td a").Attr("href"); href != fmt.Sprintf("/enterprises/%d", f.own.ID) {
			t.Errorf("附件1 name link %q", href)
		}
		r3 := city.get("/forms/print?form=3&period=2020-05&region=210300&sector=noncoal")
		href, _ := r3.Doc.Find("#form-table tr.form-row td a").Attr("href")
		if card := city.get(href); href != fmt.Sprintf("/enterprises/%d/card/2020", f.own.ID) || card.Status != http.StatusOK || text(card, "#card-state") != "黄牌" {
			t.Errorf("附件3 name link %q: %d", href, card.Status)
		}
	})
}

// TestListPages: each list shows its records with links to their pages,
// in the user's lane only.
func TestListPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := listsSetup(t, db)
		ts := newServer(t, db)
		city, fx := newClient(t, ts), newClient(t, ts)
		city.login("ansh_clerk")
		fx.login("fx_clerk")
		for _, c := range []struct {
			path, want, link string
		}{
			{"/inspections", "5", "/inspections/"},
			{"/inspections?from=2020-05-12&to=2020-06-25", "3", "/inspections/"},
			{"/hazards", "6", "/hazards/"},
			{"/hazards?level=major", "2", "/hazards/"},
			{"/hazards?overdue=1", "5", "/hazards/"}, // all but the one due 10 July, on 1 July
			{"/hazards?status=unresolved", "6", "/hazards/"},
			{"/hazards?status=passed", "0", ""},
			{"/documents", "9", "/inspections/"},
			{"/documents?kind=penalty&fined=1", "3", "/inspections/"},
			{"/documents?fined=1&from=2020-05-12", "2", "/inspections/"},
			{"/cards?year=2020", "1", fmt.Sprintf("/enterprises/%d/card/2020", f.own.ID)},
			{"/cards?state=red", "0", ""},
			{"/inspections?enterprise=" + strconv.FormatInt(f.cement.ID, 10), "1", "/inspections/"},
			{"/inspections?region=210303", "1", "/inspections/"},
			{"/inspections?industry=" + strconv.FormatInt(f.steel, 10), "4", "/inspections/"},
			{"/inspections?sector=coal", "0", ""},
		} {
			r := city.get(c.path)
			if r.Status != http.StatusOK || total(t, r) != c.want {
				t.Errorf("%s: %d, %s records, want %s", c.path, r.Status, total(t, r), c.want)
			}
			if c.link != "" && r.Doc.Find(`#list-table a[href^="`+c.link+`"]`).Length() == 0 {
				t.Errorf("%s: no link to %s", c.path, c.link)
			}
			if strings.Contains(r.Body, f.other.Name) {
				t.Errorf("%s: 鞍山 sees 阜新's enterprise", c.path)
			}
		}
		// The enterprise asked for is named, with a way back to all.
		r := city.get("/hazards?enterprise=" + strconv.FormatInt(f.own.ID, 10))
		if !strings.Contains(text(r, "#list-enterprise"), f.own.Name) || total(t, r) != "4" {
			t.Errorf("one enterprise's hazards: %q, %s", text(r, "#list-enterprise"), total(t, r))
		}
		// Fines are summed in 万元; person-times counted.
		if got := text(city.get("/documents?kind=penalty"), "#result-fines"); got != "21.7345" {
			t.Errorf("fines %q", got)
		}
		if got := text(city.get("/inspections"), "#result-inspectors"); got != "13" {
			t.Errorf("person-times %q", got)
		}
		// A later page of a short list is empty but counts.
		if r := city.get("/inspections?page=2"); r.Status != http.StatusOK || total(t, r) != "5" || r.Doc.Find("#list-table").Length() != 0 {
			t.Errorf("page 2: %d", r.Status)
		}

		// 阜新 guessing 鞍山's region or enterprises gets nothing, not even
		// a name.
		for _, path := range []string{
			"/inspections?region=210300", "/hazards?region=210302", "/documents?region=210300", "/cards?region=210300",
			"/inspections?enterprise=" + strconv.FormatInt(f.own.ID, 10),
			"/hazards?enterprise=" + strconv.FormatInt(f.own.ID, 10),
			"/documents?enterprise=" + strconv.FormatInt(f.own.ID, 10),
			"/cards?enterprise=" + strconv.FormatInt(f.own.ID, 10),
		} {
			r := fx.get(path)
			if r.Status != http.StatusOK || total(t, r) != "0" || strings.Contains(r.Body, f.own.Name) || strings.Contains(r.Body, "鞍山") {
				t.Errorf("阜新 %s: %d, %s records", path, r.Status, total(t, r))
			}
		}
		if r := fx.get("/inspections"); total(t, r) != "1" || !strings.Contains(r.Body, f.other.Name) {
			t.Errorf("阜新's own: %s", total(t, r))
		}
	})
}

// TestListBadCriteria: a value a list does not take is answered 400 with
// the form and a message in Chinese naming it; nothing is listed.
func TestListBadCriteria(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		setup(t, db)
		c := newClient(t, newServer(t, db))
		c.login("ansh_clerk")
		for _, tc := range []struct{ path, field, says string }{
			{"/inspections?region=abc", "region", "地区代码“abc”不正确"},
			{"/inspections?region=21030", "region", "6位数字"},
			{"/inspections?industry=钢铁", "industry", "行业编号“钢铁”不正确"},
			{"/inspections?enterprise=-3", "enterprise", "企业编号“-3”不正确"},
			{"/inspections?from=2020-13-01", "from", "开始日期“2020-13-01”不正确"},
			{"/inspections?to=1999-12-31", "to", "结束日期应在2000年1月1日"},
			{"/inspections?from=2020-06-01&to=2020-05-01", "to", "不能晚于结束日期"},
			{"/inspections?sector=gas", "sector", "coal（煤矿）"},
			{"/inspections?page=0", "page", "页码“0”不正确"},
			{"/hazards?page=next", "page", "页码“next”不正确"},
			{"/hazards?level=big", "level", "major（重大事故隐患）"},
			{"/hazards?status=closed", "status", "unresolved（未复查合格）"},
			{"/hazards?overdue=yes", "overdue", "逾期未整改"},
			{"/documents?kind=letter", "kind", "penalty（行政处罚决定书）"},
			{"/documents?fined=2", "fined", "应为1"},
			{"/cards?year=20", "year", "四位年份"},
			{"/cards?state=none", "state", "yellow（黄牌）"},
			{"/cards?state=green&year=2020", "state", "“green”"},
		} {
			r := c.get(tc.path)
			msg := text(r, "#error-summary li")
			if r.Status != http.StatusBadRequest || !strings.Contains(msg, tc.says) || r.Doc.Find("#list-form").Length() != 1 ||
				r.Doc.Find("#result-count, #list-table").Length() != 0 || !strings.HasPrefix(text(r, "title"), "错误：") {
				t.Errorf("%s: %d %q", tc.path, r.Status, msg)
			}
			if href, _ := r.Doc.Find("#error-summary li a").Attr("href"); href != "#"+tc.field {
				t.Errorf("%s: the message links to %q", tc.path, href)
			}
		}
		// Empty criteria, as a form sends them, are no criteria.
		if r := c.get("/hazards?region=&industry=&from=&to=&level=&status=&page="); r.Status != http.StatusOK {
			t.Errorf("empty criteria: %d %s", r.Status, text(r, "#error-summary"))
		}
	})
}
