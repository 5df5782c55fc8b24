package e2e

import (
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"taotai"
	"taotai/internal/demo"
)

// pdfPageText is one printed page: its size in points and its text.
type pdfPageText struct {
	width, height float64
	text          string
}

var (
	pdfPageRe = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	pdfWordRe = regexp.MustCompile(`<word [^>]*>([^<]*)</word>`)
)

// printedPages prints the tab's page as Chromium does for a person
// (the page's own @page sizes) and reads it back with pdftotext.
func printedPages(t *testing.T, ctx context.Context, name string) []pdfPageText {
	t.Helper()
	yes := true
	res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes, PrintBackground: &yes})
	if err != nil {
		t.Fatalf("print %s: %v", name, err)
	}
	pdf := res.Data
	dir := t.TempDir()
	if keep := os.Getenv("TAOTAI_PDF_KEEP"); keep != "" {
		dir = keep
	}
	p := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(p, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-bbox", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	var pages []pdfPageText
	for _, chunk := range strings.Split(string(out), "<page ")[1:] {
		m := pdfPageRe.FindStringSubmatch("<page " + chunk)
		if m == nil {
			continue
		}
		w, _ := strconv.ParseFloat(m[1], 64)
		h, _ := strconv.ParseFloat(m[2], 64)
		var words []string
		for _, wm := range pdfWordRe.FindAllStringSubmatch(chunk, -1) {
			words = append(words, wm[1])
		}
		pages = append(pages, pdfPageText{width: w, height: h, text: strings.Join(words, "")})
	}
	return pages
}

func portrait(p pdfPageText) bool  { return math.Abs(p.width-595) < 2 && math.Abs(p.height-842) < 2 }
func landscape(p pdfPageText) bool { return math.Abs(p.width-842) < 2 && math.Abs(p.height-595) < 2 }

// TestLetterPrinted: the province's administrator types the 文号 of the
// first yellow list's letter in the browser, and prints the letter and the
// annual summary: the letter on A4 portrait without the site's navigation
// or the form, its list on A4 landscape; the summary's text portrait, its
// tables landscape.
func TestLetterPrinted(t *testing.T) {
	chromiumPath(t)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is missing (apt-get install poppler-utils)")
	}
	db, base := app(t)
	db.Clock().(*taotai.FixedClock).T = time.Date(2020, 11, 28, 10, 0, 0, 0, taotai.Shanghai)
	if _, err := demo.Load(context.Background(), db, demo.Options{Scale: 1, Seed: 2020, Reporting: true}); err != nil {
		t.Fatal(err)
	}
	addUser(t, db, "print_admin", taotai.RoleAdmin, taotai.ProvinceCode, "")
	ctx := browser(t) // its minute starts once the demo is loaded
	if err := login(ctx, base, "print_admin", password); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("header .who")),
		chromedp.Navigate(base+"/reports"),
		chromedp.Click(chromedp.CSS("#letter-yellow-link")),
		chromedp.WaitVisible(chromedp.CSS("#doc_number")),
		chromedp.SendKeys(chromedp.CSS("#doc_number"), "辽应急函〔2020〕15号"),
		chromedp.SendKeys(chromedp.CSS("#contact"), "王新，024-86907739"),
		chromedp.Submit(chromedp.CSS("#doc_number")),
		chromedp.WaitVisible(chromedp.CSS(".notice")),
	); err != nil {
		t.Fatal(err)
	}
	number, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#letter .tl-number")))
	if err != nil {
		t.Fatal(err)
	}
	if number != "辽应急函〔2020〕15号" {
		t.Fatalf("the 文号 after saving: %q", number)
	}
	pages := printedPages(t, ctx, "yellow-letter")
	if len(pages) < 2 || !portrait(pages[0]) {
		t.Fatalf("the letter printed on %d pages, the first %.0f×%.0f", len(pages), pages[0].width, pages[0].height)
	}
	first := pages[0].text
	for _, want := range []string{"辽宁省应急管理厅", "辽应急函〔2020〕15号", "关于报送2020年全省首批安全生产", "省淘汰落后产能工作协调小组办公室"} {
		if !strings.Contains(first, want) {
			t.Errorf("the letter's first page lacks %q: %.200q", want, first)
		}
	}
	// The letter's pages: portrait, the date on the page of 特此函告.
	signed := false
	for _, p := range pages {
		if !portrait(p) {
			break
		}
		if strings.Contains(p.text, "2020年5月15日") {
			signed = strings.Contains(p.text, "特此函告") && strings.Contains(p.text, "附件：")
		}
	}
	if !signed {
		t.Error("the date is not printed on the page of 特此函告 and the attachment's name")
	}
	for _, p := range pages {
		for _, not := range []string{"企业名录", "工作台", "执法检查信息系统", "下载Excel", "文号和函件内容"} {
			if strings.Contains(p.text, not) {
				t.Errorf("the print holds %q", not)
			}
		}
	}
	var list []pdfPageText
	for _, p := range pages {
		if strings.Contains(p.text, "全省首批安全生产“黄牌”企业名单") && strings.Contains(p.text, "序号") {
			list = append(list, p)
		}
	}
	if len(list) == 0 || !landscape(list[0]) || !strings.Contains(list[0].text, "非煤企业") {
		t.Errorf("the list's page: %d found, first %+v", len(list), list)
	}
	t.Logf("the letter: %d pages", len(pages))

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/reports/summary/2020"), chromedp.WaitVisible(chromedp.CSS("#summary-title"))); err != nil {
		t.Fatal(err)
	}
	pages = printedPages(t, ctx, "summary")
	if len(pages) < 2 || !portrait(pages[0]) || !strings.Contains(pages[0].text, "工作总结") {
		t.Fatalf("the summary printed on %d pages, the first %.0f×%.0f %.100q", len(pages), pages[0].width, pages[0].height, pages[0].text)
	}
	tables := 0
	for _, p := range pages {
		if strings.Contains(p.text, "重点淘汰行业执法检查情况统计表") {
			tables++
			if !landscape(p) {
				t.Errorf("a table's page %.0f×%.0f", p.width, p.height)
			}
		}
	}
	if tables < 3 {
		t.Errorf("%d pages of tables, want the three", tables)
	}
	t.Logf("the summary: %d pages, %d of tables", len(pages), tables)
}
