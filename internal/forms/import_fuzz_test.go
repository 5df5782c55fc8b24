package forms

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"taotai"
)

// The fuzz targets call CheckFile, then the unexported readers, which do
// not recover: a panic is caught here and fails the target when it starts
// in this package. A panic inside excelize is logged only — Read1/2/3
// turn it into an error (see TestSafely) — so that the fuzzer keeps
// looking for the reader's own faults.

// seedBooks are valid filled forms, the fuzzers' starting points.
func seedBooks(tb testing.TB) [][]byte {
	merged := sheet3(clean3...)
	merged.merges = []string{"B5:B6"}
	return [][]byte{
		makeBook(tb, sheet1(clean1...)),
		makeBook(tb, sheet2(append(clean2, []any{"合计", nil, nil, 3, 9, 1, 7, 1, 3, 1, 0.5})...)),
		makeBook(tb, merged),
		makeBook(tb, withHeader(sheet1([]any{1, "鞍山钢铁", badCheck, "鞍山", "钢铁", "停产"}), "序号", "企业名称", "统一社会信用代码", "所在地址", "所属行业", "备注")),
	}
}

func FuzzRead1(f *testing.F) { fuzzBytes(f, Form1) }
func FuzzRead2(f *testing.F) { fuzzBytes(f, Form2) }
func FuzzRead3(f *testing.F) { fuzzBytes(f, Form3) }

// fuzzBytes feeds arbitrary bytes to CheckFile and, when it accepts them,
// to the form's reader.
func fuzzBytes(f *testing.F, form int) {
	for _, b := range seedBooks(f) {
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte("序号,企业名称\n1,鞍山钢铁\n"))
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := CheckFile(bytes.NewReader(data), int64(len(data))); err != nil {
			wantEINVALID(t, err)
			return
		}
		readUnguarded(t, form, data)
	})
}

// FuzzReadSheetXML puts arbitrary XML in place of the worksheet of a valid
// 附件3, a well-formed package around it, so that the fuzzer reaches the
// sheet's rows instead of stopping at the zip's checksums.
func FuzzReadSheetXML(f *testing.F) {
	book := seedBooks(f)[2]
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range seedBooks(f) {
		f.Add(sheetOf(f, seed))
	}
	f.Add(`<worksheet><dimension ref="A1:J3"/><sheetData><row r="2"><c r="B2" t="inlineStr"><is><t>地区</t></is></c></row></sheetData><mergeCells><mergeCell ref="B1:B99999"/></mergeCells></worksheet>`)
	f.Fuzz(func(t *testing.T, sheet string) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, e := range zr.File {
			if e.Name != "xl/worksheets/sheet1.xml" {
				if err := zw.Copy(e); err != nil {
					t.Fatal(err)
				}
				continue
			}
			w, err := zw.Create(e.Name)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.WriteString(w, sheet)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		if err := CheckFile(bytes.NewReader(data), int64(len(data))); err != nil {
			wantEINVALID(t, err)
			return
		}
		for form := Form1; form <= Form3; form++ {
			readUnguarded(t, form, data)
		}
	})
}

// sheetOf returns the first worksheet's XML of a workbook.
func sheetOf(tb testing.TB, book []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		tb.Fatal(err)
	}
	rc, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		tb.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// readUnguarded reads data as the form and checks what comes back.
func readUnguarded(t *testing.T, form int, data []byte) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			if fn := panicOrigin(); !strings.HasPrefix(fn, "github.com/xuri/") {
				t.Fatalf("panic in %s: %v", fn, p)
			} else {
				t.Logf("excelize panics in %s: %v (Read%d recovers it)", fn, p, form)
			}
		}
	}()
	var (
		nums []int
		errs []RowError
		n    int
		err  error
	)
	switch form {
	case Form1:
		var res *Result1
		if res, err = read1(bytes.NewReader(data)); err == nil {
			nums, errs, n = res.RowNumbers, res.Errors, len(res.Rows)
		}
	case Form2:
		var res *Result2
		if res, err = read2(bytes.NewReader(data)); err == nil {
			nums, errs, n = res.RowNumbers, res.Errors, len(res.Rows)
		}
	default:
		var res *Result3
		if res, err = read3(bytes.NewReader(data)); err == nil {
			nums, errs, n = res.RowNumbers, res.Errors, len(res.Rows)
		}
	}
	if err != nil {
		wantEINVALID(t, err)
		return
	}
	if n != len(nums) {
		t.Fatalf("%d rows, %d row numbers", n, len(nums))
	}
	seen := map[int]bool{}
	for i, num := range nums {
		if num < 1 || num > MaxRows || i > 0 && num <= nums[i-1] {
			t.Fatalf("row numbers %v", nums)
		}
		seen[num] = true
	}
	for _, e := range errs {
		if !seen[e.Row] || e.Col == "" || e.Field == "" || e.Message == "" {
			t.Fatalf("error %+v of a row not read (%v)", e, nums)
		}
		if _, err := excelize.ColumnNameToNumber(e.Col); err != nil {
			t.Fatalf("error %+v: column %q", e, e.Col)
		}
	}
}

// wantEINVALID fails unless err is an EINVALID *taotai.Error.
func wantEINVALID(t *testing.T, err error) {
	t.Helper()
	var e *taotai.Error
	if !errors.As(err, &e) || e.Code != taotai.EINVALID || e.Message == "" {
		t.Fatalf("error %v, want EINVALID", err)
	}
}

// panicOrigin names the function that panicked; it is called from the
// deferred function that recovers.
func panicOrigin() string {
	pc := make([]uintptr, 64)
	frames := runtime.CallersFrames(pc[:runtime.Callers(1, pc)])
	panicking := false
	for {
		fr, more := frames.Next()
		if panicking && !strings.HasPrefix(fr.Function, "runtime.") {
			return fr.Function
		}
		if fr.Function == "runtime.gopanic" {
			panicking = true
		}
		if !more {
			return ""
		}
	}
}

func TestPanicOrigin(t *testing.T) {
	var origin string
	func() {
		defer func() {
			recover()
			origin = panicOrigin()
		}()
		var m map[string]int
		m["x"]++ //nolint:staticcheck // a runtime panic on purpose, raised through runtime frames
	}()
	if !strings.HasSuffix(origin, "TestPanicOrigin.func1") {
		t.Errorf("panicOrigin() = %q", origin)
	}
}
