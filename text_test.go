package taotai_test

import (
	"strings"
	"testing"
	"time"

	"taotai"
)

func TestValidText(t *testing.T) {
	tests := []struct {
		name      string
		s         string
		oneLine   bool // accepted in a one-line field
		multiLine bool // accepted in a multi-line field
	}{
		{"empty", "", true, true},
		{"chinese", "鞍山钢铁集团有限公司", true, true},
		{"ascii and full-width", "Ａ厂 (2号炉) ＃1", true, true},
		{"emoji", "已整改👍", true, true},
		{"ideographic variation selector", "葛\U000E0100", true, true}, // Mn, needed for rare characters in names
		{"replacement character typed", "\uFFFD", true, true},
		{"NUL", "鞍钢\x00", false, false},
		{"invalid UTF-8", "鞍钢\xff", false, false},
		{"truncated UTF-8", "鞍\xe9\x92", false, false},
		{"UTF-8 surrogate", "\xed\xa0\x80", false, false},
		{"bell", "a\x07b", false, false},
		{"escape", "\x1b[31m红", false, false},
		{"DEL", "a\x7fb", false, false},
		{"C1 NEL", "a\u0085b", false, false},
		{"tab", "a\tb", false, true},
		{"line feed", "第一行\n第二行", false, true},
		{"CR LF", "第一行\r\n第二行", false, true},
		{"carriage return", "\r=1+1", false, true},
		{"LRE", "a\u202Ab", false, false},
		{"RLE", "a\u202Bb", false, false},
		{"PDF", "a\u202Cb", false, false},
		{"LRO", "a\u202Db", false, false},
		{"RLO", "公司\u202Efdp.exe", false, false},
		{"LRI", "a\u2066b", false, false},
		{"RLI", "a\u2067b", false, false},
		{"FSI", "a\u2068b", false, false},
		{"PDI", "a\u2069b", false, false},
		{"LRM", "鞍钢\u200E", false, false},
		{"RLM", "鞍钢\u200F", false, false},
		{"ALM", "a\u061Cb", false, false},
		{"zero-width space", "鞍\u200B钢", false, false},
		{"zero-width joiner", "鞍\u200D钢", false, false},
		{"word joiner", "鞍\u2060钢", false, false},
		{"BOM", "\uFEFF鞍钢", false, false},
		{"soft hyphen", "鞍\u00AD钢", false, false},
		{"line separator", "a\u2028b", false, false},
		{"paragraph separator", "a\u2029b", false, false},
		{"tag character", "a\U000E0041b", false, false},
	}
	for _, tt := range tests {
		if got := taotai.ValidText(tt.s, false); got != tt.oneLine {
			t.Errorf("%s: ValidText(%q, one line) = %v, want %v", tt.name, tt.s, got, tt.oneLine)
		}
		if got := taotai.ValidText(tt.s, true); got != tt.multiLine {
			t.Errorf("%s: ValidText(%q, multi-line) = %v, want %v", tt.name, tt.s, got, tt.multiLine)
		}
	}
}

func TestDateInRange(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, taotai.Shanghai) }
	tests := []struct {
		d    time.Time
		want bool
	}{
		{day(1, 1, 1), false},
		{day(1999, 12, 31), false},
		{day(2000, 1, 1), true},
		{day(2020, 5, 11), true},
		{day(2099, 12, 31), true},
		{day(2100, 1, 1), false},
		{day(9999, 12, 31), false},
		// The last instant of 2099-12-31 in Shanghai, given in UTC.
		{time.Date(2099, 12, 31, 15, 59, 0, 0, time.UTC), true},
		{time.Date(2099, 12, 31, 16, 0, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		if got := taotai.DateInRange(tt.d); got != tt.want {
			t.Errorf("DateInRange(%v) = %v, want %v", tt.d, got, tt.want)
		}
	}
}

// Every date field of the domain refuses a date outside the range, with
// the same message.
func TestDatesOutOfRange(t *testing.T) {
	now := time.Date(2020, 6, 10, 9, 0, 0, 0, taotai.Shanghai)
	for _, d := range []time.Time{time.Date(1, 1, 1, 0, 0, 0, 0, taotai.Shanghai), time.Date(9999, 12, 31, 0, 0, 0, 0, taotai.Shanghai)} {
		in := taotai.Inspection{Date: d, Kind: taotai.InspectionKinds[0], Inspectors: "张明", InspectorCount: 1}
		checkRange(t, "inspection date", in.Validate(now)["date"])
		h := taotai.Hazard{Description: "x", Level: taotai.HazardGeneral, Deadline: d}
		checkRange(t, "hazard deadline", h.Validate(time.Time{})["deadline"])
		h = taotai.Hazard{Description: "x", Level: taotai.HazardGeneral, Deadline: now, Guarantees: taotai.FiveGuarantees{Deadline: d}}
		checkRange(t, "guarantee deadline", h.Validate(time.Time{})["g_deadline"])
		h = taotai.Hazard{Status: taotai.HazardOpen, Deadline: now}
		checkRange(t, "extension", fieldOf(taotai.ValidateExtension(&h, d, "理由"), "deadline"))
		checkRange(t, "re-check", fieldOf(taotai.ValidateRecheck(now, d, now), "date"))
		doc := taotai.Document{IssuedOn: d}
		checkRange(t, "document", doc.ValidateText()["issued_on"])
		checkRange(t, "campaign deadline", taotai.ErrorMessage(taotai.Deadline{Due: d}.ValidateDates()))
		checkRange(t, "campaign start", taotai.ErrorMessage(taotai.Deadline{Start: d, Due: now}.ValidateDates()))
		c := taotai.Card{Year: 2020}
		err := c.Apply(taotai.CardTransition{To: taotai.CardYellow, Reason: taotai.YellowReasons[0], Rectify: "整改", Deadline: d}, now)
		checkRange(t, "card deadline", fieldOf(err, "deadline"))
	}
}

func checkRange(t *testing.T, what, msg string) {
	t.Helper()
	if !strings.Contains(msg, "应在2000年1月1日至2099年12月31日之间") {
		t.Errorf("%s: got %q, want the date range message", what, msg)
	}
}

func fieldOf(err error, field string) string {
	if e, ok := err.(*taotai.Error); ok {
		return e.Fields[field]
	}
	return ""
}

func TestValidateRecheck(t *testing.T) {
	found := time.Date(2020, 6, 9, 0, 0, 0, 0, taotai.Shanghai)
	now := time.Date(2020, 6, 20, 9, 0, 0, 0, taotai.Shanghai)
	tests := []struct {
		date time.Time
		want string
	}{
		{time.Time{}, "请填写复查日期"},
		{found.AddDate(0, 0, -1), "不能早于发现该隐患的检查日期（2020-06-09）"},
		{found, ""},
		{now, ""},
		{now.AddDate(0, 0, 1), "不能晚于今天"},
		{time.Date(2099, 1, 1, 0, 0, 0, 0, taotai.Shanghai), "不能晚于今天"},
	}
	for _, tt := range tests {
		got := fieldOf(taotai.ValidateRecheck(found, tt.date, now), "date")
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("ValidateRecheck(%v) = %q, want %q", tt.date, got, tt.want)
		}
	}
}

// Every text field of the domain refuses NUL, control characters and bidi
// overrides, with a message beside the field.
func TestFieldsRefuseBadText(t *testing.T) {
	const bad = "鞍钢\u202E"
	now := time.Date(2020, 6, 10, 9, 0, 0, 0, taotai.Shanghai)
	e := taotai.Enterprise{Name: bad, Address: "a\x00b", LegalRep: "a\tb"}
	f := e.Validate(false)
	for _, k := range []string{"name", "address", "legal_rep"} {
		if !strings.Contains(f[k], "不允许的字符") {
			t.Errorf("enterprise %s: %q", k, f[k])
		}
	}
	in := taotai.Inspection{Date: now, Kind: taotai.InspectionKinds[0], Inspectors: "张\x1b明", InspectorCount: 1, Findings: "第一行\r\n第二行"}
	f = in.Validate(now)
	if !strings.Contains(f["inspectors"], "不允许的字符") || f["findings"] != "" {
		t.Errorf("inspection: %v", f)
	}
	h := taotai.Hazard{Description: "a\u2066b", Place: "a\nb", Level: taotai.HazardGeneral, Deadline: now}
	f = h.Validate(now)
	if !strings.Contains(f["description"], "不允许的字符") || !strings.Contains(f["place"], "不允许的字符") {
		t.Errorf("hazard: %v", f)
	}
	doc := taotai.Document{Content: "\xff"}
	if f := doc.ValidateText(); !strings.Contains(f["content"], "不允许的字符") {
		t.Errorf("document: %v", f)
	}
}
