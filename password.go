package taotai

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Account rules (GB/T 22239-2019 level 3, OWASP ASVS level 2).
const (
	MinPasswordLen  = 10
	MaxPasswordLen  = 128
	MaxFailedLogins = 5                // consecutive failures before a lockout
	LockoutDuration = 15 * time.Minute // how long a locked account waits
)

// ValidatePassword returns a Chinese message if password breaks a rule:
// a character ValidText refuses (one line), too short or too long, only
// spaces, one character repeated, the username itself (or containing it),
// or a commonly used password.
func ValidatePassword(username, password string) string {
	if !ValidText(password, false) {
		return "密码含有不允许的字符（控制字符、不可见的格式字符或无效编码）。"
	}
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLen {
		return "密码至少" + strconv.Itoa(MinPasswordLen) + "位。"
	}
	if n > MaxPasswordLen {
		return "密码不能超过" + strconv.Itoa(MaxPasswordLen) + "位。"
	}
	if strings.TrimSpace(password) == "" {
		return "密码不能只由空格组成。"
	}
	if first, _ := utf8.DecodeRuneInString(password); strings.Trim(password, string(first)) == "" {
		return "密码不能由同一个字符重复组成。"
	}
	lp, lu := strings.ToLower(password), strings.ToLower(strings.TrimSpace(username))
	if lu != "" && strings.Contains(lp, lu) {
		return "密码不能包含用户名。"
	}
	if commonPasswords[lp] || commonPasswords[strings.TrimRight(lp, "0123456789!@#.")] {
		return "该密码过于常见，容易被猜中，请换一个。"
	}
	return ""
}

// commonPasswords are passwords (lower case) seen most in leaked lists,
// with the Chinese favourites; the check also strips trailing digits and
// punctuation, so "password2020!" counts too.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range strings.Fields(commonPasswordList) {
		m[p] = true
	}
	return m
}()

const commonPasswordList = `
123456 123456789 12345678 1234567890 12345 1234567 111111 000000 123123 666666 888888 88888888 11111111
1234567890a 123456789a 12345678a 1234qwer qwer1234 qwertyuiop qwerty qwerty123 qwertyui 1qaz2wsx 1q2w3e4r
1q2w3e4r5t zaq12wsx zxcvbnm asdfghjkl asdf1234 abc123 abc123456 abcd1234 a1234567 a123456789 aa123456
password passw0rd p@ssw0rd p@ssword password1 password123 admin admin123 admin888 administrator root
letmein welcome welcome1 iloveyou monkey dragon master sunshine princess football baseball shadow superman
woaini woaini1314 woaini520 5201314 1314520 520520 aini1314 caonima wodemima mima123 mimamima
zhang123 wang123 li123456 liu123456 chen123 yang123 huang123 zhao123 zhou123 wu123456
taotai admin@123 admin@2020 admin@2021 admin@2022 admin@2023 admin@2024 admin@2025 admin@2026
test test123 test1234 testtest guest guest123 user user123 changeme default secret
liaoning shenyang dalian anshan fushun benxi dandong jinzhou yingkou fuxin liaoyang panjin tieling chaoyang huludao
yingji yingjiju anquan anquan123 zhengfu zhengwu
abcdefg abcdefgh abcdefghij aaaaaaaa aaaaaaaaaa qazwsxedc qazwsx 147258369 159357 987654321 9876543210
112233 11223344 123321 123654 654321 147258 258369 159753 121212 131313 520131 999999 77777777
`
