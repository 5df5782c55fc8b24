package taotai_test

import (
	"math"
	"strings"
	"testing"

	"taotai"
)

func TestThreeFinesSumExactly(t *testing.T) {
	fine, err := taotai.ParseWan("0.1")
	if err != nil {
		t.Fatal(err)
	}
	if got := (fine * 3).Wan(); got != "0.3" {
		t.Fatalf("3 × 0.1万元 = %q, want 0.3", got)
	}
	var sum taotai.Yuan
	for range 3 {
		sum += fine
	}
	if sum != 3000 || sum.Wan() != "0.3" {
		t.Fatalf("sum = %d (%s万元), want 3000 (0.3万元)", sum, sum.Wan())
	}
}

func TestParseWan(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want taotai.Yuan
		msg  string // part of the error message; "" for success
	}{
		{"tenth", "0.1", 1000, ""},
		{"four places", "1.2345", 12345, ""},
		{"whole", "3", 30000, ""},
		{"zero", "0", 0, ""},
		{"one yuan", "0.0001", 1, ""},
		{"leading dot", ".5", 5000, ""},
		{"trailing dot", "5.", 50000, ""},
		{"trailing zeros beyond four places", "0.10000", 1000, ""},
		{"spaces", "  1 2.5 ", 125000, ""},
		{"full width", "１２．５", 125000, ""},
		{"ideographic space", "\u30000.3\u3000", 3000, ""},
		{"unit", "0.1万元", 1000, ""},
		{"short unit", "2万", 20000, ""},
		{"large", "99999999999999.9999", 999999999999999999, ""},
		{"empty", "", 0, "请填写金额"},
		{"blank", "  ", 0, "请填写金额"},
		{"negative", "-0.1", 0, "非负数"},
		{"negative zero", "-0", 0, "非负数"},
		{"five places", "0.12345", 0, "最多4位小数"},
		{"letters", "abc", 0, "万元为单位"},
		{"two dots", "1.2.3", 0, "万元为单位"},
		{"lone dot", ".", 0, "万元为单位"},
		{"comma", "1,000", 0, "万元为单位"},
		{"exponent", "1e3", 0, "万元为单位"},
		{"plus", "+1", 0, "万元为单位"},
		{"yuan unit", "1000元", 0, "万元为单位"},
		{"too large", "100000000000000", 0, "金额过大"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := taotai.ParseWan(tt.in)
			checkParse(t, got, err, tt.want, tt.msg)
		})
	}
}

func TestParseYuan(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want taotai.Yuan
		msg  string
	}{
		{"integer", "3000", 3000, ""},
		{"zero cents", "3000.00", 3000, ""},
		{"unit", "3000元", 3000, ""},
		{"full width", "３０００．００元", 3000, ""},
		{"zero", "0", 0, ""},
		{"empty", "", 0, "请填写金额"},
		{"cents", "12.50", 0, "非负整数"},
		{"negative", "-5", 0, "非负整数"},
		{"wan unit", "1万元", 0, "非负整数"},
		{"letters", "三千", 0, "非负整数"},
		{"lone dot", ".00", 0, "非负整数"},
		{"too large", "99999999999999999999", 0, "金额过大"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := taotai.ParseYuan(tt.in)
			checkParse(t, got, err, tt.want, tt.msg)
		})
	}
}

func checkParse(t *testing.T, got taotai.Yuan, err error, want taotai.Yuan, msg string) {
	t.Helper()
	if msg == "" {
		if err != nil || got != want {
			t.Fatalf("got %d, %v; want %d", got, err, want)
		}
		return
	}
	if taotai.ErrorCode(err) != taotai.EINVALID || !strings.Contains(taotai.ErrorMessage(err), msg) {
		t.Fatalf("got %d, %v; want EINVALID containing %q", got, err, msg)
	}
}

func TestYuanWan(t *testing.T) {
	tests := []struct {
		name string
		in   taotai.Yuan
		want string
	}{
		{"zero", 0, "0"},
		{"one yuan", 1, "0.0001"},
		{"tenth", 1000, "0.1"},
		{"four places", 12345, "1.2345"},
		{"whole", 30000, "3"},
		{"trailing zero dropped", 12340, "1.234"},
		{"inner zeros kept", 10001, "1.0001"},
		{"negative", -1500, "-0.15"},
		{"max", math.MaxInt64, "922337203685477.5807"},
		{"min", math.MinInt64, "-922337203685477.5808"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.Wan(); got != tt.want {
				t.Fatalf("Yuan(%d).Wan() = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWanRoundTrip(t *testing.T) {
	for _, y := range []taotai.Yuan{0, 1, 9, 10, 999, 1000, 9999, 10000, 10001, 123456789, 999999999999999999} {
		got, err := taotai.ParseWan(y.Wan())
		if err != nil || got != y {
			t.Errorf("ParseWan(%q) = %d, %v; want %d", y.Wan(), got, err, y)
		}
	}
}

func FuzzParseWan(f *testing.F) {
	for _, s := range []string{"0.1", "1.2345", "3", "0", "１２．５", " 7 ", "0.10000", "-1", "1e3", ".", "99999999999999.9999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		y, err := taotai.ParseWan(s)
		if err != nil {
			if taotai.ErrorCode(err) != taotai.EINVALID {
				t.Fatalf("ParseWan(%q): error code %q, want EINVALID", s, taotai.ErrorCode(err))
			}
			return
		}
		if y < 0 {
			t.Fatalf("ParseWan(%q) = %d, negative", s, y)
		}
		back, err := taotai.ParseWan(y.Wan())
		if err != nil || back != y {
			t.Fatalf("ParseWan(%q) = %d; ParseWan(%q) = %d, %v", s, y, y.Wan(), back, err)
		}
	})
}

func TestYuanPlus(t *testing.T) {
	const max = taotai.Yuan(math.MaxInt64)
	tests := []struct {
		a, b taotai.Yuan
		want taotai.Yuan
		fits bool
	}{
		{1, 2, 3, true},
		{max - 1, 1, max, true},
		{max, 1, max, false},
		{max / 2, max/2 + 2, max / 2, false},
		{-max, -1, -max - 1, true},
		{-max - 1, -1, -max - 1, false},
		{5, -7, -2, true},
	}
	for _, tt := range tests {
		got, fits := tt.a.Plus(tt.b)
		if got != tt.want || fits != tt.fits {
			t.Errorf("%d.Plus(%d) = %d, %v; want %d, %v", tt.a, tt.b, got, fits, tt.want, tt.fits)
		}
	}
}
