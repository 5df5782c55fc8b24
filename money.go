package taotai

import (
	"strconv"
	"strings"
)

// Yuan is an amount of money in whole yuan (元), kept exactly. The forms
// show money in 万元 (10 000 yuan), so 1 yuan is 0.0001 万元.
type Yuan int64

// yuanPerWan is the number of yuan in one 万元.
const yuanPerWan = 10000

// maxWanDigits bounds the integer part of an amount in 万元 so that the
// amount fits in a Yuan (10^14 万元 = 10^18 元 < 2^63).
const maxWanDigits = 14

// Messages of the money parsers.
const (
	msgAmountEmpty   = "请填写金额。"
	msgAmountWan     = "金额应为非负数，以万元为单位，最多4位小数。"
	msgAmountTooLong = "金额过大，请核对单位是否为万元。"
	msgAmountYuan    = "金额应为非负整数，以元为单位。"
)

// ParseWan parses an amount in 万元 as a person types it in a form or a
// spreadsheet holds it: full-width digits and spaces are tolerated, as is a
// trailing 万元 or 万; at most 4 decimal places carry value (1元 =
// 0.0001万元), further zeros are ignored. "0.1" is 1000 yuan. Empty input,
// negative amounts, finer fractions and anything not a number are EINVALID.
func ParseWan(s string) (Yuan, error) {
	t := compact(s)
	t = strings.TrimSuffix(t, "万元")
	t = strings.TrimSuffix(t, "万")
	if t == "" {
		return 0, Errorf(EINVALID, msgAmountEmpty)
	}
	whole, frac, _ := strings.Cut(t, ".")
	if whole+frac == "" || !allDigits(whole) || !allDigits(frac) {
		return 0, Errorf(EINVALID, msgAmountWan)
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > 4 {
		return 0, Errorf(EINVALID, msgAmountWan)
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > maxWanDigits {
		return 0, Errorf(EINVALID, msgAmountTooLong)
	}
	w, _ := strconv.ParseInt("0"+whole, 10, 64)
	f, _ := strconv.ParseInt((frac + "0000")[:4], 10, 64)
	return Yuan(w*yuanPerWan + f), nil
}

// ParseYuan parses an amount in whole yuan (元): digits, optionally followed
// by a zero fraction (".00") and 元. Full-width digits and spaces are
// tolerated. Anything else is EINVALID.
func ParseYuan(s string) (Yuan, error) {
	t := strings.TrimSuffix(compact(s), "元")
	if t == "" {
		return 0, Errorf(EINVALID, msgAmountEmpty)
	}
	whole, frac, _ := strings.Cut(t, ".")
	if whole == "" || !allDigits(whole) || !allDigits(frac) || strings.Trim(frac, "0") != "" {
		return 0, Errorf(EINVALID, msgAmountYuan)
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, Errorf(EINVALID, msgAmountTooLong)
	}
	return Yuan(n), nil
}

// Plus returns y+z and whether the sum fits in a Yuan: a sum that would
// overflow is reported, never wrapped.
func (y Yuan) Plus(z Yuan) (Yuan, bool) {
	s := y + z
	if (z > 0 && s < y) || (z < 0 && s > y) {
		return y, false
	}
	return s, true
}

// Wan formats the amount in 万元, exactly and without trailing zeros:
// 1000 is "0.1", 12345 is "1.2345", 30000 is "3" and 0 is "0".
func (y Yuan) Wan() string {
	u := uint64(y) //nolint:gosec // G115: two's complement on purpose: a negative y is negated as uint64 below, exact even for math.MinInt64
	sign := ""
	if y < 0 {
		u, sign = -u, "-"
	}
	s := sign + strconv.FormatUint(u/yuanPerWan, 10)
	if frac := u % yuanPerWan; frac != 0 {
		f := strconv.FormatUint(frac+yuanPerWan, 10)[1:] // zero-padded to 4
		s += "." + strings.TrimRight(f, "0")
	}
	return s
}

// compact folds full-width characters and removes every space.
func compact(s string) string {
	return strings.Join(strings.Fields(FoldWidth(s)), "")
}

// allDigits reports whether s holds only ASCII digits ("" counts).
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
