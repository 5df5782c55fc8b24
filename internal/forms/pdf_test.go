package forms_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"taotai"
	"taotai/internal/forms"
)

// TestPDFLegible prints the three forms as LibreOffice does and measures
// the PDF. A province-wide 附件1, 附件2 and 附件3 with a few hundred rows
// of long names (up to 30 characters), addresses (up to 60) and 备注 (up
// to 100) are converted with soffice --headless --convert-to pdf, and
// pdftotext -bbox-layout gives the box of every word printed. The test
// fails when
//
//   - a page is not A4 landscape (842×595 points);
//   - a word is printed smaller than minPrintSize: the form was shrunk to
//     fit the page, as 附件2 and 附件3 once were (to 5.5–6 points);
//   - two words overlap: a row too low for its wrapped text, whose lines
//     run into the next row;
//   - a number shows as ###: its column is too narrow.
//
// A word box is as tall as its font's ascent plus descent, not as the
// font size: the ratio depends on the font (Noto CJK for Chinese on
// Debian, DejaVu or another for Latin). So the test calibrates: a
// calibration sheet holds the same fonts at a known size, printed at 100%,
// and a word's size is its height over the calibration's height per point,
// for a word with a Chinese character and for one without.
//
// Column widths are in units of a digit of the workbook's default font,
// Calibri: LibreOffice measures the unit as Excel does only when it has
// Calibri or Carlito, its metric-compatible twin (Debian:
// fonts-crosextra-carlito). With another font in its place the columns
// come out about a third wider and the forms shrink to fit the page: the
// test would measure LibreOffice's fonts, not the layout, so it needs
// Carlito.
//
// Without soffice, pdftotext or Carlito the test skips, unless
// TAOTAI_REQUIRE_PDF=1 (scripts/test.sh sets it when CI=true). Set
// TAOTAI_PDF_KEEP=DIR to keep the files, to look at them (pdftoppm -png
// -r 60 DIR/form2.pdf page).
func TestPDFLegible(t *testing.T) {
	skip := func(why string) {
		t.Helper()
		if os.Getenv("TAOTAI_REQUIRE_PDF") == "1" {
			t.Fatal("TAOTAI_REQUIRE_PDF=1 but " + why)
		}
		t.Skip(why)
	}
	soffice, err1 := exec.LookPath("soffice")
	pdftotext, err2 := exec.LookPath("pdftotext")
	if err1 != nil || err2 != nil {
		skip("soffice or pdftotext is missing (apt-get install libreoffice-calc-nogui poppler-utils)")
	}
	if out, err := exec.Command("fc-match", "-f", "%{family}", "Calibri").Output(); err != nil ||
		!strings.Contains(string(out), "Carlito") && !strings.Contains(string(out), "Calibri") {
		skip(fmt.Sprintf("no Calibri or Carlito for LibreOffice (fc-match Calibri: %q; apt-get install fonts-crosextra-carlito)", out))
	}
	dir := t.TempDir()
	if keep := os.Getenv("TAOTAI_PDF_KEEP"); keep != "" {
		dir = keep
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	h := forms.Header{Unit: "辽宁省应急管理厅", Person: "王晓东", Phone: "024-86893345", Date: "2020年11月20日", Period: "6月"}
	// The coal channel's unit has a long name: the 填报单位 line wraps.
	coal := h
	coal.Unit = "国家矿山安全监察局辽宁局（辽宁煤矿安全监察局）、辽宁省应急管理厅煤矿安全基础管理处"
	coal.Person = "欧阳晓东、王小明、李建国"
	rng := rand.New(rand.NewPCG(2020, 6))
	files := map[string]func(io.Writer) error{
		"calibration": writeCalibration,
		"form1":       func(w io.Writer) error { return forms.Write1(w, h, pdfRows1(rng, 300), false) },
		"form1code":   func(w io.Writer) error { return forms.Write1(w, h, pdfRows1(rng, 60), true) },
		"form2":       func(w io.Writer) error { return forms.Write2(w, h, pdfRows2(rng, 300)) },
		"form3":       func(w io.Writer) error { return forms.Write3(w, coal, pdfRows3(rng, 300)) },
		"form2empty":  func(w io.Writer) error { return forms.Write2(w, h, nil) },
		"form3empty":  func(w io.Writer) error { return forms.Write3(w, h, nil) },
	}
	names := []string{"calibration", "form1", "form1code", "form2", "form3", "form2empty", "form3empty"}
	args := []string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "pdf", "--outdir", dir}
	for _, name := range names {
		var b bytes.Buffer
		if err := files[name](&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p := filepath.Join(dir, name+".xlsx")
		if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	t.Logf("soffice converted %d files in %v", len(names), time.Since(start).Round(time.Millisecond))

	pages := map[string][]pdfPage{}
	for _, name := range names {
		out, err := exec.CommandContext(ctx, pdftotext, "-bbox-layout", filepath.Join(dir, name+".pdf"), "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", name, err)
		}
		if pages[name], err = parseBBox(out); err != nil {
			t.Fatalf("pdftotext %s: %v", name, err)
		}
	}

	// Calibration: the height of a word box per point of font size.
	per := map[bool]float64{} // by whether the word has a Chinese character
	for _, w := range pages["calibration"][0].words {
		if w.text == calibrationCJK || w.text == calibrationDigits {
			per[hasCJK(w.text)] = w.height() / calibrationSize
		}
	}
	if per[true] == 0 || per[false] == 0 {
		t.Fatalf("calibration words not found in %v", pages["calibration"])
	}
	t.Logf("calibration: a word box is %.3f× the font size for Chinese, %.3f× for digits", per[true], per[false])

	for _, name := range names[1:] {
		ps := pages[name]
		if len(ps) == 0 {
			t.Errorf("%s: no page", name)
			continue
		}
		smallest, at := math.Inf(1), ""
		for i, p := range ps {
			if math.Abs(p.width-842) > 1 || math.Abs(p.height-595) > 1 {
				t.Errorf("%s page %d: %.0f×%.0f points, want A4 landscape 842×595", name, i+1, p.width, p.height)
			}
			for _, w := range p.words {
				if size := w.height() / per[hasCJK(w.text)]; size < smallest {
					smallest, at = size, fmt.Sprintf("page %d %q", i+1, w.text)
				}
			}
			for _, w := range p.words {
				if strings.Contains(w.text, "###") {
					t.Errorf("%s page %d: a number shows as %q: its column is too narrow", name, i+1, w.text)
				}
			}
			if a, b, ok := p.overlap(); ok {
				t.Errorf("%s page %d: %q overlaps %q: a row too low or a column too narrow", name, i+1, a.text, b.text)
			}
		}
		t.Logf("%s: %d pages, smallest text %.1f pt (%s)", name, len(ps), smallest, at)
		if smallest < minPrintSize {
			t.Errorf("%s: text printed at %.1f pt (%s), want at least %v pt", name, smallest, at, minPrintSize)
		}
	}
}

// minPrintSize is the smallest text a form may print, in points, with a
// little room for the rounding of the measure.
const minPrintSize = 8.9

// The calibration sheet: these words at calibrationSize points, printed
// at 100%.
const (
	calibrationCJK    = "校准文字样本"
	calibrationDigits = "0123456789"
	calibrationSize   = 11
)

func writeCalibration(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	s, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "宋体", Size: calibrationSize}})
	if err != nil {
		return err
	}
	sheet := f.GetSheetName(0)
	for i, v := range []string{calibrationCJK, calibrationDigits} {
		at := "A" + strconv.Itoa(i+1)
		if err := f.SetCellStr(sheet, at, v); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, at, at, s); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sheet, "A", "A", 30); err != nil {
		return err
	}
	size, orient := 9, "landscape"
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient}); err != nil {
		return err
	}
	return f.Write(w)
}

type pdfWord struct {
	xMin, yMin, xMax, yMax float64
	text                   string
}

func (w pdfWord) height() float64 { return w.yMax - w.yMin }

type pdfPage struct {
	width, height float64
	words         []pdfWord
}

// overlap finds two words whose boxes overlap by more than a sliver: the
// boxes of the lines of one cell touch, hence the margin.
func (p pdfPage) overlap() (a, b pdfWord, ok bool) {
	const slack = 1.5 // points
	for i, a := range p.words {
		for _, b := range p.words[i+1:] {
			if a.xMin+slack < b.xMax && b.xMin+slack < a.xMax && a.yMin+slack < b.yMax && b.yMin+slack < a.yMax {
				return a, b, true
			}
		}
	}
	return a, b, false
}

// parseBBox reads pdftotext -bbox-layout's XHTML: the pages and their
// words.
func parseBBox(data []byte) ([]pdfPage, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	var pages []pdfPage
	attr := func(e xml.StartElement, name string) float64 {
		for _, a := range e.Attr {
			if a.Name.Local == name {
				f, _ := strconv.ParseFloat(a.Value, 64)
				return f
			}
		}
		return 0
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return pages, nil
		}
		if err != nil {
			return nil, err
		}
		e, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch e.Name.Local {
		case "page":
			pages = append(pages, pdfPage{width: attr(e, "width"), height: attr(e, "height")})
		case "word":
			var text string
			if err := d.DecodeElement(&text, &e); err != nil {
				return nil, err
			}
			if len(pages) == 0 {
				return nil, fmt.Errorf("a word outside a page")
			}
			p := &pages[len(pages)-1]
			p.words = append(p.words, pdfWord{attr(e, "xMin"), attr(e, "yMin"), attr(e, "xMax"), attr(e, "yMax"), text})
		}
	}
}

func hasCJK(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 {
			return true
		}
	}
	return false
}

// Realistic text for a province: names up to 30 characters, addresses up
// to 60, 备注 up to 100, the longest of each often enough to be printed.
var (
	pdfCities   = []string{"沈阳市", "大连市", "鞍山市", "抚顺市", "本溪市", "丹东市", "锦州市", "营口市", "阜新市", "辽阳市", "铁岭市", "朝阳市", "盘锦市", "葫芦岛市"}
	pdfCounties = []string{"铁西区", "铁东区", "千山区", "海城市", "台安县", "岫岩满族自治县", "明山区", "溪湖区", "桓仁满族自治县", "太子河区", "细河区", "喀喇沁左翼蒙古族自治县"}
	pdfTrades   = []string{"钢铁", "水泥", "平板玻璃", "有色金属冶炼", "铸造", "铁合金", "焦化", "电解铝", "煤矿", "石灰"}
	pdfChars    = []rune("鑫泰华兴盛源宏达恒通隆昌永利金宝丰汇福瑞祥辉煌联合重工矿业机械制造化工建材新型节能环保冶金精密铸锻热处理")
	pdfRoads    = []string{"建设大路", "工业园区北二路", "经济技术开发区滨海西路", "沈辽路", "环钢路", "高新技术产业开发区科技路"}
	pdfHazards  = []string{
		"煤气柜区域未设置固定式一氧化碳报警装置",
		"高温熔融金属吊运使用的起重机不符合冶金起重机的相关要求",
		"粉尘爆炸危险场所未按规定安装泄爆装置，除尘系统未采取防止粉尘爆炸的措施",
		"有限空间作业未执行先通风、再检测、后作业的规定",
		"安全生产管理机构未配备专职安全生产管理人员",
	}
)

func pdfText(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteRune(pdfChars[rng.IntN(len(pdfChars))])
	}
	return b.String()
}

// pdfClip cuts s to n characters.
func pdfClip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// pdfLen is a length up to max, the max itself one time in four.
func pdfLen(rng *rand.Rand, min, max int) int {
	if rng.IntN(4) == 0 {
		return max
	}
	return min + rng.IntN(max-min+1)
}

func pdfName(rng *rand.Rand) string {
	suffix := []string{"有限公司", "有限责任公司", "股份有限公司", "集团有限公司"}[rng.IntN(4)]
	city := pdfCities[rng.IntN(len(pdfCities))]
	n := pdfLen(rng, 10, 30)
	return pdfClip(city+pdfText(rng, max(n-utf8.RuneCountInString(city+suffix), 2))+suffix, 30)
}

func pdfAddress(rng *rand.Rand) string {
	s := "辽宁省" + pdfCities[rng.IntN(len(pdfCities))] + pdfCounties[rng.IntN(len(pdfCounties))] +
		pdfRoads[rng.IntN(len(pdfRoads))] + strconv.Itoa(rng.IntN(2000)+1) + "号"
	for n := pdfLen(rng, 15, 60); utf8.RuneCountInString(s) < n; {
		s += pdfText(rng, 4) + "厂区" + strconv.Itoa(rng.IntN(20)+1) + "号楼"
	}
	return pdfClip(s, 60)
}

func pdfNote(rng *rand.Rand, n int) string {
	var s string
	for utf8.RuneCountInString(s) < n {
		s += pdfHazards[rng.IntN(len(pdfHazards))] + "，责令" + strconv.Itoa(rng.IntN(4)+6) + "月" + strconv.Itoa(rng.IntN(30)+1) + "日前整改完毕；"
	}
	return pdfClip(s, n)
}

func pdfRows1(rng *rand.Rand, n int) []forms.Row1 {
	rows := make([]forms.Row1, n)
	for i := range rows {
		rows[i] = forms.Row1{Name: pdfName(rng), Address: pdfAddress(rng), Industry: pdfTrades[rng.IntN(len(pdfTrades))],
			Note: []string{"正常生产", "局部生产", "停产"}[rng.IntN(3)], CreditCode: "91210300" + strconv.Itoa(100000000+rng.IntN(899999999)) + "X"}
	}
	return rows
}

func pdfRows2(rng *rand.Rand, n int) []forms.Row2 {
	rows := make([]forms.Row2, n)
	for i := range rows {
		r := forms.Row2{Name: pdfName(rng), Address: pdfAddress(rng), Inspections: rng.IntN(12) + 1, InspectorTimes: rng.IntN(300),
			ExpertTimes: rng.IntN(60), Hazards: rng.IntN(150), Orders: rng.IntN(20), Penalties: rng.IntN(10)}
		r.MajorHazards = rng.IntN(r.Hazards/10 + 1)
		if r.Penalties > 0 {
			r.Fines = taotai.Yuan(rng.IntN(5_000_000) + 1)
		}
		if i%7 == 0 {
			r.Fines = 123_456_789 // 12345.6789 万元: a wide amount
		}
		if r.MajorHazards > 0 || rng.IntN(3) == 0 {
			r.Note = pdfNote(rng, pdfLen(rng, 20, 100))
		}
		rows[i] = r
	}
	return rows
}

func pdfRows3(rng *rand.Rand, n int) []forms.Row3 {
	rows := make([]forms.Row3, n)
	for i := range rows {
		r := forms.Row3{Region: pdfCities[rng.IntN(len(pdfCities))] + pdfCounties[rng.IntN(len(pdfCounties))],
			Name: pdfName(rng), Address: pdfAddress(rng), Industry: pdfTrades[rng.IntN(len(pdfTrades))],
			Rectify: pdfNote(rng, pdfLen(rng, 20, 100)), RectifiedInTime: "是", Card: "黄牌", Closed: "否"}
		if rng.IntN(3) == 0 {
			r.RectifiedInTime, r.Card = "否", "红牌"
			r.Basis = pdfClip("《中华人民共和国安全生产法》第六十条、《国务院关于进一步加强企业安全生产工作的通知》（国发〔2010〕23号）", pdfLen(rng, 12, 60))
			if rng.IntN(2) == 0 {
				r.Closed = "是"
			}
		}
		rows[i] = r
	}
	return rows
}
