package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// upload posts the import form with a file.
func (c *client) upload(path string, fields url.Values, name string, data []byte) *response {
	c.t.Helper()
	return c.postFiles(path, fields, "file", map[string][]byte{name: data})
}

func form1File(t *testing.T, rows []forms.Row1) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := forms.Write1(&b, forms.Header{Unit: "鞍山市应急管理局"}, rows, false); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFormsImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("ansh_clerk")
		page := c.get("/forms/import")
		if page.Status != 200 || page.Doc.Find("#import-form input[type=file]").Length() != 1 {
			t.Fatalf("import page: %d", page.Status)
		}
		rows := []forms.Row1{
			{Name: f.own.Name, Address: f.own.Address, Industry: "钢铁", Note: "停产"},
			{Name: "鞍山新立水泥有限公司", Address: "", Industry: "水泥", Note: "正常生产"},
			{Name: "鞍山新立玻璃有限公司", Address: "鞍山市铁西区新立路2号", Industry: "平板玻璃", Note: "关闭"},
		}
		fields := url.Values{"csrf_token": {c.csrf("/forms/import")}, "form": {"1"}, "year": {"2020"}, "region": {"210300"}}
		r := c.upload("/forms/import", fields, "附件1.xlsx", form1File(t, rows))
		errs := r.Doc.Find("#import-errors li.row-error")
		if r.Status != http.StatusUnprocessableEntity || errs.Length() != 2 || r.Doc.Find("#confirm-form").Length() != 0 {
			t.Fatalf("bad file: %d, %d errors: %s", r.Status, errs.Length(), text(r, "#main"))
		}
		if got := errs.First().Text(); got != "第6行 C列（所在地址）：不能为空" {
			t.Fatalf("first error %q", got)
		}
		if got := errs.Last().Text(); !strings.HasPrefix(got, "第7行 E列（备注）：") {
			t.Fatalf("second error %q", got)
		}
		var n int
		db.SQL().QueryRow(`SELECT COUNT(*) FROM form_uploads`).Scan(&n)
		if n != 0 {
			t.Fatal("a file with errors was kept for confirmation")
		}

		rows[1].Address, rows[2].Note = "鞍山市立山区新立路1号", "停产"
		r = c.upload("/forms/import", fields, "附件1.xlsx", form1File(t, rows))
		action, ok := r.Doc.Find("#confirm-form").Attr("action")
		if r.Status != 200 || !ok || !strings.Contains(text(r, "#import-summary"), "新登记2家，更新1家") {
			t.Fatalf("preview: %d %q", r.Status, text(r, "#main"))
		}
		admin := taotai.NewContextWithActor(context.Background(), taotai.System)
		if list, _, _ := db.FindEnterprises(admin, taotai.EnterpriseFilter{Q: "新立", Limit: 5}); len(list) != 0 {
			t.Fatal("the preview wrote")
		}
		// Another user cannot confirm the clerk's upload.
		addUser(t, db, "ansh_approver", taotai.RoleCityApprover, "210300", taotai.SectorNonCoal)
		other := newClient(t, ts)
		other.login("ansh_approver")
		if r := other.post(action, url.Values{"csrf_token": {other.csrf("/forms/import")}}); r.Status != http.StatusNotFound {
			t.Fatalf("another user's upload: %d", r.Status)
		}
		r = c.post(action, url.Values{"csrf_token": {fields.Get("csrf_token")}})
		if r.Status != 200 || !strings.Contains(text(r, "#import-done"), "新登记2家，更新1家") {
			t.Fatalf("confirm: %d %q", r.Status, text(r, "#main"))
		}
		list, _, _ := db.FindEnterprises(admin, taotai.EnterpriseFilter{Q: "新立", Limit: 5})
		if len(list) != 2 || list[0].CreditCode != "" {
			t.Fatalf("imported: %+v", list)
		}
		// The registry finds the enterprises still lacking their credit code.
		if r := c.get("/enterprises?missing_code=1"); !strings.HasPrefix(text(r, "#result-count"), "共 2 家企业") ||
			!strings.Contains(text(r, "#main"), "鞍山新立水泥有限公司") {
			t.Fatalf("missing codes: %q", text(r, "#result-count"))
		}
		if r := c.get("/"); !strings.Contains(text(r, "#worklist"), "待补充统一社会信用代码的企业（2）") || r.Doc.Find(`#wl-codes a[href="/enterprises?missing_code=1"]`).Length() != 1 {
			t.Fatalf("worklist: %q", text(r, "#worklist"))
		}
		if r := c.post(action, url.Values{"csrf_token": {fields.Get("csrf_token")}}); r.Status != http.StatusNotFound {
			t.Fatalf("confirmed twice: %d", r.Status)
		}
		// The same file again: nothing to import.
		r = c.upload("/forms/import", fields, "附件1.xlsx", form1File(t, rows))
		if r.Status != 200 || r.Doc.Find("#confirm-form").Length() != 0 || r.Doc.Find("#import-nothing").Length() != 1 {
			t.Fatalf("again: %d %q", r.Status, text(r, "#main"))
		}
		// Not an .xlsx; another city's region.
		r = c.upload("/forms/import", fields, "附件1.xls", []byte("\xd0\xcf\x11\xe0 old excel"))
		if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#error-summary"), ".xls") {
			t.Fatalf("an .xls: %d %q", r.Status, text(r, "#error-summary"))
		}
		fields.Set("region", "210900")
		if r := c.upload("/forms/import", fields, "附件1.xlsx", form1File(t, rows)); r.Status != http.StatusBadRequest {
			t.Fatalf("another city: %d", r.Status)
		}
		insp := newClient(t, ts)
		insp.login("ansh_inspector")
		if r := insp.get("/forms/import"); r.Status != http.StatusForbidden {
			t.Fatalf("an inspector's import page: %d", r.Status)
		}
	})
}

// zeros reads as zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestUploadTooBig: a body beyond the bound is refused with 413 and a
// Chinese message, not read to its end and not mistaken for a missing
// CSRF token.
func TestUploadTooBig(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		setup(t, db)
		ts := newServer(t, db)
		c := newClient(t, ts)
		c.login("ansh_clerk")
		tok := c.csrf("/forms/import")
		const boundary = "taotaiboundary"
		head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + tok + "\r\n" +
			"--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.xlsx\"\r\n\r\n"
		body := io.MultiReader(strings.NewReader(head), io.LimitReader(zeros{}, 65<<20), strings.NewReader("\r\n--"+boundary+"--\r\n"))
		req, _ := http.NewRequest("POST", ts.URL+"/forms/import", body)
		req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		req.Header.Set("Origin", ts.URL)
		r := c.do(req)
		if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(r.Body, "上传的内容过大") {
			t.Fatalf("a 65 MB upload: %d %q", r.Status, text(r, "#error-message"))
		}
	})
}

// TestFormsImportChannel: the upload says which channel (煤矿/非煤) the file
// is: a user of one channel has theirs chosen; a user of both must choose.
// The coal file's confirmed import leaves the non-coal rows of the same
// region and period as they were.
func TestFormsImportChannel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		admin := taotai.NewContextWithActor(context.Background(), taotai.System)
		mine := &taotai.Enterprise{Name: "阜新海州煤矿", CreditCode: "91210900MA0000002" + string(taotai.USCCCheckDigit("91210900MA0000002")),
			Address: "阜新市海州区矿区路1号", RegionCode: "210902", IndustryID: f.coal, ProductionState: taotai.StateNormal}
		if err := db.CreateEnterprise(admin, mine, false); err != nil {
			t.Fatal(err)
		}
		addUser(t, db, "fx_clerk", taotai.RoleCityClerk, "210900", "")
		ts := newServer(t, db)

		one := newClient(t, ts)
		one.login("ansh_clerk")
		page := one.get("/forms/import")
		if opts := page.Doc.Find("#sector option"); opts.Length() != 1 || opts.AttrOr("value", "") != "noncoal" || opts.AttrOr("selected", "x") == "x" {
			t.Fatalf("a non-coal clerk's channel: %d options", opts.Length())
		}

		c := newClient(t, ts)
		c.login("fx_clerk")
		page = c.get("/forms/import")
		if opts := page.Doc.Find("#sector option"); opts.Length() != 3 || page.Doc.Find("#sector option[selected]").AttrOr("value", "x") != "" {
			t.Fatalf("a clerk of both channels: %d options", opts.Length())
		}
		file := func(e *taotai.Enterprise) []byte {
			var b bytes.Buffer
			if err := forms.Write2(&b, forms.Header{Period: "6月"}, []forms.Row2{{Name: e.Name, Address: e.Address, Inspections: 1, InspectorTimes: 2}}); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
		fields := url.Values{"csrf_token": {c.csrf("/forms/import")}, "form": {"2"}, "year": {"2020"}, "region": {"210900"}}
		if r := c.upload("/forms/import", fields, "6月.xlsx", file(mine)); r.Status != http.StatusBadRequest ||
			!strings.Contains(text(r, "#error-summary"), "请选择这份报表是煤矿还是非煤") {
			t.Fatalf("no channel: %d %q", r.Status, text(r, "#main"))
		}
		confirm := func(sector string, e *taotai.Enterprise) {
			t.Helper()
			fields.Set("sector", sector)
			r := c.upload("/forms/import", fields, "6月.xlsx", file(e))
			action, ok := r.Doc.Find("#confirm-form").Attr("action")
			if r.Status != 200 || !ok || !strings.Contains(text(r, "#import-report h2"), taotai.SectorName(sector)) {
				t.Fatalf("%s preview: %d %q", sector, r.Status, text(r, "#main"))
			}
			if r := c.post(action, url.Values{"csrf_token": {fields.Get("csrf_token")}}); r.Status != 200 ||
				!strings.Contains(text(r, "#import-done"), taotai.SectorName(sector)+"，6月.xlsx）：新登记0家，更新1家，删除0家") {
				t.Fatalf("%s confirm: %d %q", sector, r.Status, text(r, "#main"))
			}
		}
		confirm(taotai.SectorNonCoal, f.other)
		confirm(taotai.SectorCoal, mine)
		june, _ := db.ParsePeriod(admin, "2020-06")
		for sector, e := range map[string]*taotai.Enterprise{taotai.SectorNonCoal: f.other, taotai.SectorCoal: mine} {
			if got, err := db.Form2Rows(admin, june, "210900", sector); err != nil || len(got) != 1 || got[0].Name != e.Name {
				t.Fatalf("%s rows of June: %+v %v", sector, got, err)
			}
		}
	})
}
