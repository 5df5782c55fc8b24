package taotai

import (
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// MsgBadText is the message for submitted text that holds a character the
// system refuses (see ValidText).
const MsgBadText = "提交的内容含有不允许的字符（控制字符或无效编码），请删除后重新提交。"

// ValidText reports whether s is text the system accepts, in a name, a
// search or any other field. It is the one rule for every text input, on
// every database: PostgreSQL refuses a NUL byte and invalid UTF-8 where
// SQLite would keep them raw, and invisible characters make a name look
// like another. Refused:
//
//   - invalid UTF-8;
//   - control characters: NUL and the rest of C0, DEL and C1 — except tab,
//     line feed and carriage return when multiLine (a <textarea> sends its
//     line breaks as CR LF);
//   - invisible format characters (Unicode category Cf): the bidi
//     embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069,
//     the marks U+200E, U+200F and U+061C, zero-width spaces and joiners
//     U+200B–U+200D and U+2060–U+2064, the byte-order mark U+FEFF, the soft
//     hyphen, tag characters and the like;
//   - the line and paragraph separators U+2028 and U+2029.
func ValidText(s string, multiLine bool) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return false
		}
		i += n
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			if !multiLine {
				return false
			}
		case r < 0x20 || r >= 0x7f && r < 0xa0:
			return false
		case r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r):
			return false
		}
	}
	return true
}

// checkText checks a one-line text field: allowed characters, present when
// required, no longer than max characters.
func checkText(f FieldErrors, field, label, v string, max int, required bool) {
	checkChars(f, field, label, v, max, required, false)
}

// checkLongText checks a text field that may hold several lines.
func checkLongText(f FieldErrors, field, label, v string, max int, required bool) {
	checkChars(f, field, label, v, max, required, true)
}

func checkChars(f FieldErrors, field, label, v string, max int, required, multiLine bool) {
	if !ValidText(v, multiLine) {
		f.Add(field, BadTextMessage(label))
		return
	}
	switch n := utf8.RuneCountInString(v); {
	case required && n == 0:
		f.Add(field, label+"不能为空。")
	case n > max:
		f.Add(field, label+"不能超过"+strconv.Itoa(max)+"个字，当前"+strconv.Itoa(n)+"个字。")
	}
}

// BadTextMessage is the message beside a field whose text ValidText
// refuses.
func BadTextMessage(label string) string {
	return label + "含有不允许的字符（控制字符、不可见的格式字符或无效编码），请删除后重新填写。"
}

// The range of every date the system accepts — an inspection, a deadline,
// an extension, a re-check, a document, a card's dates, a campaign's
// deadlines: from 1 January 2000 to 31 December 2099, in Asia/Shanghai.
// A date outside it is a typing slip (an inspection in year 1, a deadline
// in 9999), not a record.
var (
	FirstDate = time.Date(2000, time.January, 1, 0, 0, 0, 0, Shanghai)
	LastDate  = time.Date(2099, time.December, 31, 0, 0, 0, 0, Shanghai)
)

// DateInRange reports whether the calendar day of d (in Asia/Shanghai)
// lies within FirstDate … LastDate.
func DateInRange(d time.Time) bool {
	day := Today(d)
	return !day.Before(FirstDate) && !day.After(LastDate)
}

// DateRangeMessage is the message for a date outside FirstDate … LastDate.
func DateRangeMessage(label string) string {
	return label + "应在2000年1月1日至2099年12月31日之间。"
}

// checkDateRange adds the range message for a date given (not zero) and
// outside the range, and reports whether it did.
func checkDateRange(f FieldErrors, field, label string, d time.Time) bool {
	if d.IsZero() || DateInRange(d) {
		return false
	}
	f.Add(field, DateRangeMessage(label))
	return true
}
