package taotai_test

import (
	"strings"
	"testing"

	"taotai"
)

func TestCheckUSCC(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		wantCode    string
		wantErr     string // substring of the hard error, "" for none
		wantWarning bool
	}{
		{"worked example 鞍钢金属结构", "91210300241471030L", "91210300241471030L", "", false},
		{"lower case and spaces are normalised", " 91210300241471030l ", "91210300241471030L", "", false},
		{"full-width characters are folded", "９１２１０３００２４１４７１０３０Ｌ", "91210300241471030L", "", false},
		{"bad check digit is a warning", "91210300241471030M", "91210300241471030M", "", true},
		{"pilot code fails the check digit but is legal", "91350100M0001TGQXM", "91350100M0001TGQXM", "", true},
		{"empty", "", "", "请填写", false},
		{"too short", "9121030024147103", "", "应为18位，当前为16位", false},
		{"too long", "91210300241471030L1", "", "当前为19位", false},
		{"forbidden letter I", "9121030024147103IL", "", "第17位“I”", false},
		{"forbidden letter O", "O1210300241471030L", "", "第1位“O”", false},
		{"Chinese character", "9121030024147103中L", "", "第17位“中”", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := taotai.CheckUSCC(tt.in)
			if tt.wantErr != "" {
				if !strings.Contains(got.Err, tt.wantErr) {
					t.Fatalf("Err = %q, want it to contain %q", got.Err, tt.wantErr)
				}
				return
			}
			if got.Err != "" {
				t.Fatalf("unexpected Err %q", got.Err)
			}
			if got.Code != tt.wantCode {
				t.Errorf("Code = %q, want %q", got.Code, tt.wantCode)
			}
			if (got.Warning != "") != tt.wantWarning {
				t.Errorf("Warning = %q, want warning: %v", got.Warning, tt.wantWarning)
			}
		})
	}
}

func TestUSCCCheckDigitWorkedExample(t *testing.T) {
	// STANDARDS.md: Σ = 538, 538 mod 31 = 11, 31 − 11 = 20 = L.
	if got := taotai.USCCCheckDigit("91210300241471030"); got != 'L' {
		t.Fatalf("check digit = %c, want L", got)
	}
	if !taotai.OrgCodeValid("91210300241471030L") {
		t.Error("organisation code 24147103-0 should check")
	}
	if taotai.OrgCodeValid("91210300241471040L") {
		t.Error("organisation code 24147104-0 should not check")
	}
}

// FuzzCheckUSCC: any input gives either an error or a normalised 18-char
// code whose warning agrees with the check digit.
func FuzzCheckUSCC(f *testing.F) {
	for _, s := range []string{"91210300241471030L", "", "９１", "91350100M0001TGQXM", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := taotai.CheckUSCC(s)
		if r.Err != "" {
			return
		}
		if len(r.Code) != 18 {
			t.Fatalf("accepted %q as %q, not 18 bytes", s, r.Code)
		}
		if (r.Code[17] == taotai.USCCCheckDigit(r.Code[:17])) == (r.Warning != "") {
			t.Fatalf("warning %q disagrees with check digit for %q", r.Warning, r.Code)
		}
	})
}
