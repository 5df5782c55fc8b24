package taotai

import (
	"strconv"
	"strings"
)

// The alphabet of the 统一社会信用代码 (GB 32100-2015): no I, O, Z, S, V.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCResult is the outcome of checking a credit code.
type USCCResult struct {
	Code string // normalised: trimmed, upper case, full-width folded
	// Err is a hard error (wrong length or alphabet), in Chinese; the code
	// cannot be stored.
	Err string
	// Warning is a soft problem (a bad check digit) that a person may
	// confirm; early pilot codes are legally valid yet fail it.
	Warning string
}

// CheckUSCC validates a 统一社会信用代码 as STANDARDS.md describes.
func CheckUSCC(s string) USCCResult {
	code := strings.ToUpper(FoldWidth(strings.TrimSpace(s)))
	r := USCCResult{Code: code}
	n := len([]rune(code))
	switch {
	case n == 0:
		r.Err = "请填写统一社会信用代码。"
		return r
	case n != 18:
		r.Err = "统一社会信用代码应为18位，当前为" + strconv.Itoa(n) + "位。"
		return r
	}
	for i, c := range code {
		if !strings.ContainsRune(usccAlphabet, c) {
			r.Err = "统一社会信用代码第" + strconv.Itoa(i+1) + "位“" + string(c) + "”不是允许的字符（数字或除I、O、Z、S、V以外的大写字母）。"
			return r
		}
	}
	if code[17] != USCCCheckDigit(code[:17]) {
		r.Warning = "统一社会信用代码校验位不符（按GB 32100-2015应为“" + string(USCCCheckDigit(code[:17])) + "”）。早期试点代码可能如此，请核对营业执照后确认。"
	}
	return r
}

// USCCCheckDigit computes the 18th character for the first 17 characters,
// which must already be in the alphabet.
func USCCCheckDigit(first17 string) byte {
	sum := 0
	for i := 0; i < 17 && i < len(first17); i++ {
		sum += strings.IndexByte(usccAlphabet, first17[i]) * usccWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return usccAlphabet[c]
}

// OrgCodeValid reports whether positions 9–17 form a valid 组织机构代码
// (GB 11714). It is informative only: the credit code's own check digit is
// what the system enforces.
func OrgCodeValid(code string) bool {
	if len(code) != 18 {
		return false
	}
	w := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 8; i++ {
		c := code[8+i]
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		default:
			return false
		}
		sum += v * w[i]
	}
	d := 11 - sum%11
	want := byte('0' + d)
	switch d {
	case 10:
		want = 'X'
	case 11:
		want = '0'
	}
	return code[16] == want
}

// FoldWidth turns full-width ASCII (Ａ１２, the ideographic space) into
// half-width, the way people's spreadsheets and input methods mix them.
func FoldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '\uFF01' && r <= '\uFF5E':
			return r - 0xFEE0
		}
		return r
	}, s)
}
