package web_test

import (
	"crypto/sha256"
	"encoding/hex"
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

// TestReportSummaryFiles: 鞍山's clerk prepares the annual report with
// its work summary and two files (a file of a type not accepted, or too
// large, is refused beside the field, nothing kept); the province's
// reviewer reads the text and downloads each file byte for byte; the coal
// reviewer cannot; returned, the clerk keeps one file, drops the other and
// adds a third, and the page compares the versions' files.
func TestReportSummaryFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		enforcementSetup(t, db) // an inspection of 鞍山 in May: the year's 附件2 has a row
		addUser(t, db, "prov_noncoal", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorNonCoal)
		addUser(t, db, "prov_coal", taotai.RoleProvinceReviewer, taotai.ProvinceCode, taotai.SectorCoal)
		db.Clock().(*taotai.FixedClock).T = time.Date(2020, 11, 15, 10, 0, 0, 0, taotai.Shanghai)
		ts := newServer(t, db)
		clerk, approver, reviewer, coal := newClient(t, ts), newClient(t, ts), newClient(t, ts), newClient(t, ts)
		clerk.login("ansh_clerk")
		approver.login("ansh_approver")
		reviewer.login("prov_noncoal")
		coal.login("prov_coal")
		const page = "/reports/2020/210300/noncoal"
		docx := []byte("PK\x03\x04" + strings.Repeat("工作总结正文", 200))
		pdf := []byte("%PDF-1.7\n" + strings.Repeat("\x00\xff", 300))
		jpg := []byte("\xFF\xD8\xFF\xE0" + strings.Repeat("\x10", 500))
		summary := "鞍山市2020年度重点淘汰行业执法检查工作总结。\n一、基本情况……"

		p := clerk.get(page)
		if enc, _ := p.Doc.Find("#prepare-form form").Attr("enctype"); enc != "multipart/form-data" || p.Doc.Find("#summary_files[type=file][multiple]").Length() != 1 {
			t.Fatalf("the annual form takes no files: enctype %q", enc)
		}
		tok := clerk.csrf(page)
		fields := url.Values{"csrf_token": {tok}, "person": {"王丽"}, "phone": {"0412-5551234"}, "summary": {summary}}
		versions := func() int {
			t.Helper()
			subs, err := db.Submissions(storetest.ActorContext(db, taotai.RoleCityClerk, "210300", taotai.SectorNonCoal), "2020", "210300", taotai.SectorNonCoal)
			if err != nil {
				t.Fatal(err)
			}
			return len(subs)
		}
		// Refused: a type not accepted, and a file over 20 MB.
		for name, data := range map[string][]byte{"报告.exe": []byte("MZ\x90\x00"), "大文件.pdf": append([]byte("%PDF-"), make([]byte, taotai.MaxSummaryFileSize)...)} {
			r := clerk.postFiles(page+"/prepare", fields, "summary_files", map[string][]byte{"工作总结.docx": docx, name: data})
			if r.Status != http.StatusBadRequest || !strings.Contains(text(r, "#summary_files-error"), name) ||
				r.Doc.Find("#error-summary a[href='#summary_files']").Length() != 1 {
				t.Fatalf("%s: %d %q", name, r.Status, text(r, "#error-summary"))
			}
			if got := text(r, "#summary"); got != summary {
				t.Errorf("the summary typed was not kept: %q", got)
			}
			if n := versions(); n != 0 {
				t.Fatalf("%s: %d versions kept", name, n)
			}
		}
		if r := clerk.postFiles(page+"/prepare", fields, "summary_files", map[string][]byte{"工作总结.docx": docx, "附表.pdf": pdf}); r.Status != http.StatusSeeOther {
			t.Fatalf("prepare: %d %q", r.Status, text(r, "#error-summary"))
		}
		submit := func() string {
			t.Helper()
			action, ok := approver.get(page).Doc.Find("#submit-form form").Attr("action")
			if !ok {
				t.Fatal("nothing to submit")
			}
			if r := approver.post(action, url.Values{"csrf_token": {approver.csrf(page)}}); r.Status != http.StatusSeeOther {
				t.Fatalf("submit: %d %q", r.Status, text(r, "#error-summary"))
			}
			return strings.TrimSuffix(action, "/submit")
		}
		v1 := submit()

		// The reviewer reads the text and downloads each file as sent.
		rp := reviewer.get(page)
		if got := text(rp, "#version-1-summary .summary-text"); got != "工作总结："+summary {
			t.Errorf("the summary as the reviewer reads it: %q", got)
		}
		sent := map[string][]byte{"工作总结.docx": docx, "附表.pdf": pdf}
		links := rp.Doc.Find("#version-1-summary a.summary-file")
		if links.Length() != 2 {
			t.Fatalf("%d file links: %q", links.Length(), text(rp, "#version-1-summary"))
		}
		links.Each(func(_ int, a *goquery.Selection) {
			name := strings.TrimSpace(a.Text())
			href, _ := a.Attr("href")
			r := reviewer.get(href)
			sum := sha256.Sum256(sent[name])
			if r.Status != http.StatusOK || r.Body != string(sent[name]) || r.Header.Get("X-Checksum-SHA256") != hex.EncodeToString(sum[:]) {
				t.Errorf("%s: %d, %d bytes, want %d", name, r.Status, len(r.Body), len(sent[name]))
			}
			if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, url.PathEscape(name)) {
				t.Errorf("%s: Content-Disposition %q", name, cd)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/octet-stream" {
				t.Errorf("%s: Content-Type %q", name, ct)
			}
			if r := coal.get(href); r.Status != http.StatusNotFound {
				t.Errorf("the coal reviewer downloads %s: %d", name, r.Status)
			}
		})
		for _, n := range []string{"0", "3", "x"} {
			if r := reviewer.get(v1 + "/files/" + n); r.Status != http.StatusNotFound {
				t.Errorf("file %s: %d", n, r.Status)
			}
		}

		// Returned; the clerk keeps the summary, drops 附表.pdf and adds a photo.
		if r := reviewer.post(v1+"/return", url.Values{"csrf_token": {reviewer.csrf(page)}, "reason": {"请补充现场照片"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("return: %d", r.Status)
		}
		p = clerk.get(page)
		keep := ""
		p.Doc.Find("#kept-files input[name=keep_file]").Each(func(_ int, in *goquery.Selection) {
			if _, checked := in.Attr("checked"); !checked {
				t.Errorf("a file of version 1 is not kept by default")
			}
			id, _ := in.Attr("id")
			if text(p, "label[for='"+id+"']") == "工作总结.docx" {
				keep, _ = in.Attr("value")
			}
		})
		if keep == "" {
			t.Fatalf("no 工作总结.docx to keep: %q", text(p, "#kept-files"))
		}
		fields.Set("keep_file", keep)
		if r := clerk.postFiles(page+"/prepare", fields, "summary_files", map[string][]byte{"现场照片.jpg": jpg}); r.Status != http.StatusSeeOther {
			t.Fatalf("prepare v2: %d %q", r.Status, text(r, "#error-summary"))
		}
		v2 := submit()
		rp = reviewer.get(page)
		got := map[string]bool{}
		rp.Doc.Find("#version-2-summary a.summary-file").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			name := strings.TrimSpace(a.Text())
			got[name] = true
			if !strings.HasPrefix(href, v2+"/files/") {
				t.Errorf("%s links to %s", name, href)
			}
			want := map[string][]byte{"工作总结.docx": docx, "现场照片.jpg": jpg}[name]
			if r := reviewer.get(href); r.Body != string(want) {
				t.Errorf("version 2's %s: %d bytes, want %d", name, len(r.Body), len(want))
			}
		})
		if len(got) != 2 || !got["工作总结.docx"] || !got["现场照片.jpg"] {
			t.Errorf("version 2's files: %v", got)
		}
		if a, rm := text(rp, "#changes-2 .files-added"), text(rp, "#changes-2 .files-removed"); !strings.Contains(a, "现场照片.jpg") ||
			strings.Contains(a, "工作总结.docx") || !strings.Contains(rm, "附表.pdf") {
			t.Errorf("files compared: added %q, removed %q", a, rm)
		}
		if rp.Doc.Find("#changes-2 .summary-changed").Length() != 0 {
			t.Error("the unchanged summary is said to have changed")
		}
	})
}
