package forms_test

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"taotai"
	"taotai/internal/forms"
)

// letterYear is 2020 as the store configures it.
func letterYear() *taotai.CampaignYear {
	d := func(key string, m, day int) taotai.Deadline {
		return taotai.Deadline{Key: key, Due: time.Date(2020, time.Month(m), day, 0, 0, 0, 0, taotai.Shanghai)}
	}
	return &taotai.CampaignYear{Year: 2020, UnitNonCoal: "辽宁省应急管理厅", UnitCoal: "辽宁煤矿安全监察局",
		Deadlines: []taotai.Deadline{d("first_publication", 5, 15), d("coverage", 9, 30), d("province_summary", 11, 30)}}
}

// yellowList is a first batch of n yellow-card enterprises per channel,
// with long names, addresses and rectification texts; one name looks
// like a formula.
func yellowList(rng *rand.Rand, n int) *taotai.YellowList {
	l := &taotai.YellowList{Year: 2020}
	for _, sector := range []string{taotai.SectorNonCoal, taotai.SectorCoal} {
		p := taotai.YellowPart{Sector: sector, Units: 7}
		for i := range n {
			city := pdfCities[rng.IntN(len(pdfCities))]
			p.Entries = append(p.Entries, taotai.YellowEntry{Unit: city, Region: city + pdfCounties[rng.IntN(len(pdfCounties))],
				Name: pdfName(rng), Address: pdfAddress(rng), Industry: pdfTrades[rng.IntN(len(pdfTrades))],
				Rectify: pdfNote(rng, pdfLen(rng, 20, 100)), RectifiedInTime: []string{"是", "否", "整改期限内"}[i%3]})
		}
		l.Parts = append(l.Parts, p)
	}
	l.Parts[0].Entries[0].Name = "=HYPERLINK(\"http://x\")钢铁有限公司"
	return l
}

// annualSummary is a year of 15 units (7 of them also coal), each
// enterprise's figures random, a third of the units accepted.
func annualSummary(rng *rand.Rand) *taotai.AnnualSummary {
	var dues []taotai.DueReport
	var records []taotai.EnterpriseYear
	var accepted []taotai.AcceptedAnnual
	industries := []string{"钢铁", "水泥", "电解铝", "平板玻璃", "煤炭"}
	for i, city := range append(pdfCities, "沈抚改革创新示范区") {
		u := taotai.ReportUnit{Code: strconv.Itoa(210100 + i*100), Name: city, CoalProducing: i%2 == 0}
		for _, sector := range u.Sectors() {
			dues = append(dues, taotai.DueReport{Period: taotai.ReportPeriod{Key: "2020", Year: 2020}, Unit: u, Sector: sector, Summary: true})
			for range 10 {
				ind := industries[rng.IntN(4)]
				if sector == taotai.SectorCoal {
					ind = "煤炭"
				}
				f := taotai.YearFigures{Inspections: rng.IntN(40), InspectorTimes: rng.IntN(100), Hazards: rng.IntN(300), MajorHazards: rng.IntN(5),
					Rectified: rng.IntN(200), Orders: rng.IntN(50), Penalties: rng.IntN(10), Fines: taotai.Yuan(rng.IntN(90_000_000)),
					Yellow: rng.IntN(2), Red: rng.IntN(2), Listed: 1, Covered: rng.IntN(2)}
				records = append(records, taotai.EnterpriseYear{UnitCode: u.Code, Sector: sector, Industry: ind, Figures: f})
			}
			if i%3 == 0 {
				accepted = append(accepted, taotai.AcceptedAnnual{UnitCode: u.Code, Sector: sector, SubmissionID: int64(i), Version: 1 + i%2,
					Figures: taotai.YearFigures{Inspections: 99, Hazards: 300, Fines: 123_456_789, Yellow: 3}})
			}
		}
	}
	s := taotai.BuildAnnualSummary(2020, dues, records, accepted, industries)
	s.CoverageDue = time.Date(2020, 9, 30, 0, 0, 0, 0, taotai.Shanghai)
	s.Province = []taotai.ProvinceSummary{{Year: 2020, Sector: taotai.SectorNonCoal, Text: pdfNote(rng, 900) + "\n" + pdfNote(rng, 3000)},
		{Year: 2020, Sector: taotai.SectorCoal, Text: "=SUM(A1:A9) 煤矿全年工作总结"}}
	for _, d := range dues {
		s.Texts = append(s.Texts, &taotai.Submission{RegionCode: d.Unit.Code, RegionName: d.Unit.Name, Sector: d.Sector, Version: 1,
			State: taotai.SubmissionAccepted, Summary: pdfNote(rng, 400), Files: []taotai.SubmittedFile{{Name: d.Unit.Name + "工作总结.docx"}}})
	}
	return s
}

// readSheets reads every sheet of a workbook: raw values, and the values
// as the cells show them.
func readSheets(t *testing.T, data []byte) (raw, shown map[string][][]string, x *excelize.File) {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	raw, shown = map[string][][]string{}, map[string][][]string{}
	for _, name := range x.GetSheetList() {
		if raw[name], err = x.GetRows(name, excelize.Options{RawCellValue: true}); err != nil {
			t.Fatal(err)
		}
		if shown[name], err = x.GetRows(name); err != nil {
			t.Fatal(err)
		}
	}
	return raw, shown, x
}

// TestWriteYellowListLetter: the letter's workbook holds the letter on a
// sheet of its own, A4 portrait, and the list on the next, A4 landscape,
// each row as the table gives it; a formula-like name is written as text.
func TestWriteYellowListLetter(t *testing.T) {
	rng := rand.New(rand.NewPCG(2020, 5))
	l := yellowList(rng, 5)
	lt := taotai.YellowListLetter(letterYear(), l, taotai.ProvinceLetter{DocNumber: "辽应急函〔2020〕15号", Contact: "王新 024-86907739"})
	table := forms.YellowListTable(l)
	var b bytes.Buffer
	if err := forms.WriteWorkbook(&b, []forms.TextSheet{forms.LetterSheet(lt)}, []forms.Table{table}); err != nil {
		t.Fatal(err)
	}
	raw, _, x := readSheets(t, b.Bytes())
	defer x.Close()
	if got := strings.Join(x.GetSheetList(), ","); got != "函,附件" {
		t.Fatalf("sheets %s", got)
	}
	var letter []string
	for _, r := range raw["函"] {
		if len(r) > 0 {
			letter = append(letter, r[0])
		}
	}
	text := strings.Join(letter, "\n")
	for _, want := range []string{"辽宁省应急管理厅", "辽应急函〔2020〕15号", lt.Title, "省淘汰落后产能工作协调小组办公室：",
		"　　" + lt.Body[0], "附件：2020年全省首批安全生产“黄牌”企业名单", "2020年5月15日", "（联系人及电话：王新 024-86907739）"} {
		if !strings.Contains(text, want) {
			t.Errorf("the letter lacks %q:\n%s", want, text)
		}
	}
	for _, sheet := range []struct{ name, orient string }{{"函", "portrait"}, {"附件", "landscape"}} {
		pl, err := x.GetPageLayout(sheet.name)
		if err != nil || pl.Orientation == nil || *pl.Orientation != sheet.orient || pl.Size == nil || *pl.Size != 9 {
			t.Errorf("%s: page layout %+v %v", sheet.name, pl, err)
		}
	}
	rows := raw["附件"]
	if rows[0][0] != "附件" || rows[1][0] != table.Title || rows[2][2] != "企业名称" {
		t.Fatalf("the list's head: %q", rows[:3])
	}
	// The rows after the header, as the table gives them.
	body := rows[3:]
	i := 0
	for _, r := range table.Rows {
		got := body[i]
		want := r.Texts()
		if r.Kind == forms.RowGroup {
			if got[0] != want[0] {
				t.Errorf("row %d: %q, want the heading %q", i+4, got[0], want[0])
			}
			i++
			continue
		}
		for j := range want {
			g := ""
			if j < len(got) {
				g = forms.ReadText(got[j])
			}
			if g != want[j] {
				t.Errorf("row %d column %d: %q, want %q", i+4, j+1, g, want[j])
			}
		}
		i++
	}
	if rows[4][2] != "'=HYPERLINK(\"http://x\")钢铁有限公司" {
		t.Errorf("a formula-like name: %q", rows[4][2])
	}
	if got := body[i][0]; !strings.HasPrefix(got, "注：") {
		t.Errorf("after the rows: %q, want the note", got)
	}
}

// TestWriteSummaryTables: the summary's tables in the workbook hold the
// same figures as the page's texts — counts as numbers, 万元 exactly,
// coverage a fraction shown with one decimal.
func TestWriteSummaryTables(t *testing.T) {
	rng := rand.New(rand.NewPCG(2020, 11))
	s := annualSummary(rng)
	tables := forms.SummaryTables(s, "附件2")
	var b bytes.Buffer
	if err := forms.WriteWorkbook(&b, []forms.TextSheet{forms.SummarySheet(taotai.SummaryTitle(letterYear()), s, true)}, tables); err != nil {
		t.Fatal(err)
	}
	raw, shown, x := readSheets(t, b.Bytes())
	defer x.Close()
	if got := strings.Join(x.GetSheetList(), ","); got != "工作总结,分市统计,分行业统计,分渠道统计" {
		t.Fatalf("sheets %s", got)
	}
	checked := 0
	for _, tb := range tables {
		rows, views := raw[tb.Sheet][3:], shown[tb.Sheet][3:]
		for i, r := range tb.Rows {
			if r.Kind == forms.RowGroup {
				continue
			}
			for j, c := range r.Cells {
				got := ""
				if j < len(rows[i]) {
					got = rows[i][j]
				}
				want := forms.CellText(c)
				switch v := c.(type) {
				case forms.Permille:
					f, err := strconv.ParseFloat(got, 64)
					if err != nil || math.Abs(f*1000-float64(v)) > 1e-9 || strings.TrimSpace(views[i][j]) != want {
						t.Errorf("%s row %d col %d: %q shown %q, want %s", tb.Sheet, i+4, j+1, got, views[i][j], want)
					}
				case taotai.Yuan:
					if got != v.Wan() && (got != "0" || v != 0) {
						t.Errorf("%s row %d col %d: %q, want %s 万元", tb.Sheet, i+4, j+1, got, v.Wan())
					}
				default:
					if forms.ReadText(got) != want {
						t.Errorf("%s row %d col %d: %q, want %q", tb.Sheet, i+4, j+1, got, want)
					}
				}
				checked++
			}
		}
	}
	if checked < 300 {
		t.Errorf("only %d cells checked", checked)
	}
	var text []string
	for _, r := range raw["工作总结"] {
		if len(r) > 0 {
			text = append(text, r[0])
		}
	}
	joined := strings.Join(text, "\n")
	for _, want := range []string{"辽宁省应急管理厅2020年加强执法检查依法依规推动落后产能退出工作总结", "一、全年工作情况", "二、省级工作总结",
		"非煤（省应急管理厅（非煤渠道））", "　　=SUM(A1:A9) 煤矿全年工作总结", "三、各单位工作总结", "沈阳市（非煤，第1版，已通过）", "附件文件：沈阳市工作总结.docx"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the summary sheet lacks %q", want)
		}
	}
}

// TestLetterPDFLegible prints the letter and the summary workbooks with
// LibreOffice, as TestPDFLegible prints the forms: the letter's pages A4
// portrait, the tables' A4 landscape, no table text under 9 points, no
// number shown as ###, no overlapping words.
func TestLetterPDFLegible(t *testing.T) {
	soffice, err1 := exec.LookPath("soffice")
	pdftotext, err2 := exec.LookPath("pdftotext")
	if err1 != nil || err2 != nil {
		if os.Getenv("TAOTAI_REQUIRE_PDF") == "1" {
			t.Fatal("TAOTAI_REQUIRE_PDF=1 but soffice or pdftotext is missing")
		}
		t.Skip("soffice or pdftotext is missing")
	}
	if out, err := exec.Command("fc-match", "-f", "%{family}", "Calibri").Output(); err != nil || !strings.Contains(string(out), "Carlito") && !strings.Contains(string(out), "Calibri") {
		t.Skip("no Calibri or Carlito for LibreOffice")
	}
	dir := t.TempDir()
	if keep := os.Getenv("TAOTAI_PDF_KEEP"); keep != "" {
		dir = keep
	}
	rng := rand.New(rand.NewPCG(2020, 30))
	c := letterYear()
	l := yellowList(rng, 120)
	s := annualSummary(rng)
	in := taotai.ProvinceLetter{DocNumber: "辽应急函〔2020〕15号", Extra: pdfNote(rng, 600), Contact: "王新，024-86907739"}
	files := map[string]func() ([]forms.TextSheet, []forms.Table){
		"calibration": nil,
		"yellow": func() ([]forms.TextSheet, []forms.Table) {
			return []forms.TextSheet{forms.LetterSheet(taotai.YellowListLetter(c, l, in))}, []forms.Table{forms.YellowListTable(l)}
		},
		"summary": func() ([]forms.TextSheet, []forms.Table) {
			return []forms.TextSheet{forms.LetterSheet(taotai.SummaryLetter(c, s, in)), forms.SummarySheet(taotai.SummaryTitle(c), s, false)},
				forms.SummaryTables(s, "附件2")
		},
	}
	names := []string{"calibration", "yellow", "summary"}
	args := []string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir}
	for _, name := range names {
		var b bytes.Buffer
		if f := files[name]; f == nil {
			if err := writeCalibration(&b); err != nil {
				t.Fatal(err)
			}
		} else {
			texts, tables := f()
			if err := forms.WriteWorkbook(&b, texts, tables); err != nil {
				t.Fatal(err)
			}
		}
		p := filepath.Join(dir, name+".xlsx")
		if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pages := map[string][]pdfPage{}
	for _, name := range names {
		out, err := exec.CommandContext(ctx, pdftotext, "-bbox-layout", filepath.Join(dir, name+".pdf"), "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", name, err)
		}
		if pages[name], err = parseBBox(out); err != nil {
			t.Fatal(err)
		}
	}
	per := map[bool]float64{}
	for _, w := range pages["calibration"][0].words {
		if w.text == calibrationCJK || w.text == calibrationDigits {
			per[hasCJK(w.text)] = w.height() / calibrationSize
		}
	}
	if per[true] == 0 || per[false] == 0 {
		t.Fatal("calibration words not found")
	}
	for _, name := range names[1:] {
		ps := pages[name]
		portrait, landscape := 0, 0
		smallest := math.Inf(1)
		for i, p := range ps {
			text := ""
			for _, w := range p.words {
				text += w.text
			}
			isPortrait := math.Abs(p.width-595) < 1 && math.Abs(p.height-842) < 1
			isLandscape := math.Abs(p.width-842) < 1 && math.Abs(p.height-595) < 1
			switch {
			case isPortrait:
				portrait++
				if landscape > 0 {
					t.Errorf("%s page %d: a portrait page after the tables", name, i+1)
				}
			case isLandscape:
				landscape++
				for _, w := range p.words {
					smallest = min(smallest, w.height()/per[hasCJK(w.text)])
				}
			default:
				t.Errorf("%s page %d: %.0f×%.0f, not A4", name, i+1, p.width, p.height)
			}
			if strings.Contains(text, "###") {
				t.Errorf("%s page %d: a number shows as ###", name, i+1)
			}
			if a, b, ok := p.overlap(); ok {
				t.Errorf("%s page %d: %q overlaps %q", name, i+1, a.text, b.text)
			}
		}
		first := ""
		for _, w := range ps[0].words {
			first += w.text
		}
		if !strings.Contains(first, "辽宁省应急管理厅") || !strings.Contains(first, "辽应急函〔2020〕15号") {
			t.Errorf("%s: the first page does not start the letter: %.80q", name, first)
		}
		t.Logf("%s: %d portrait pages, %d landscape, smallest table text %.1f pt", name, portrait, landscape, smallest)
		if portrait == 0 || landscape == 0 || smallest < minPrintSize {
			t.Errorf("%s: %d portrait, %d landscape pages, smallest table text %.1f pt", name, portrait, landscape, smallest)
		}
	}
}
