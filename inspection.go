package taotai

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Inspection kinds.
const (
	InspectionRoutine  = "routine"   // 日常检查
	InspectionFollowUp = "follow_up" // 复查
	InspectionTipOff   = "tip_off"   // 举报核查
	InspectionJoint    = "joint"     // 联合检查
)

// InspectionKinds lists the inspection kinds in display order.
var InspectionKinds = []string{InspectionRoutine, InspectionFollowUp, InspectionTipOff, InspectionJoint}

// InspectionKindName returns the Chinese name of an inspection kind, or the
// key itself when unknown.
func InspectionKindName(k string) string {
	switch k {
	case InspectionRoutine:
		return "日常检查"
	case InspectionFollowUp:
		return "复查"
	case InspectionTipOff:
		return "举报核查"
	case InspectionJoint:
		return "联合检查"
	}
	return k
}

// Limits of an inspection record.
const (
	MaxInspectorsLen = 200  // characters of the inspectors' names
	MaxFindingsLen   = 2000 // characters of the findings
	MaxPeopleCount   = 100  // inspectors or experts on one inspection, 人次
)

// Inspection is one enforcement inspection of an enterprise.
type Inspection struct {
	ID             int64
	EnterpriseID   int64
	EnterpriseName string
	RegionCode     string
	RegionPath     string
	Sector         string
	Date           time.Time // a calendar date: midnight in Asia/Shanghai
	AgencyID       int64
	AgencyName     string
	Kind           string
	Inspectors     string // names, separated by 、
	InspectorCount int    // 执法检查人员数量（人次）
	ExpertCount    int    // 参与检查专家数量（人次）
	Findings       string // 发现的问题
	Version        int
	CreatedAt      time.Time

	// Derived, filled by the store.
	Hazards      int  // 发现问题和隐患数
	MajorHazards int  // 发现重大隐患数
	Orders       int  // 下达整改指令书（份）
	Penalties    int  // 下达行政处罚文书（份）
	Fines        Yuan // 行政罚款总数
}

// Validate checks the fields that need no database, collecting a Chinese
// message per field (keys: date, kind, inspectors, inspector_count,
// expert_count, findings). today is the current instant; the date must not
// fall after its calendar day in Asia/Shanghai. Validate trims the texts
// and normalises Date to midnight in Asia/Shanghai.
func (in *Inspection) Validate(today time.Time) FieldErrors {
	f := FieldErrors{}
	in.Inspectors = strings.TrimSpace(in.Inspectors)
	in.Findings = strings.TrimSpace(in.Findings)
	if in.Date.IsZero() {
		f.Add("date", "请填写检查日期。")
	} else {
		in.Date = Today(in.Date)
		switch {
		case checkDateRange(f, "date", "检查日期", in.Date):
		case in.Date.After(Today(today)):
			f.Add("date", "检查日期不能晚于今天。")
		}
	}
	if !slices.Contains(InspectionKinds, in.Kind) {
		f.Add("kind", "请选择检查类型：日常检查、复查、举报核查或联合检查。")
	}
	checkText(f, "inspectors", "检查人员", in.Inspectors, MaxInspectorsLen, true)
	names := InspectorNames(in.Inspectors)
	if _, bad := f["inspectors"]; !bad && len(names) < MinOfficers {
		f.Add("inspectors", "执法检查的执法人员不得少于两人（《中华人民共和国行政处罚法》）：请填写至少两名执法人员的姓名，用顿号分隔，如：张明、李强。")
	}
	checkCount(f, "inspector_count", "执法检查人员数量", in.InspectorCount, MinOfficers)
	if _, bad := f["inspector_count"]; !bad && in.InspectorCount < len(names) {
		f.Add("inspector_count", "执法检查人员数量（"+strconv.Itoa(in.InspectorCount)+"人次）少于填写的执法人员人数（"+strconv.Itoa(len(names))+"人）。")
	}
	checkCount(f, "expert_count", "参与检查专家数量", in.ExpertCount, 0)
	checkLongText(f, "findings", "发现的问题", in.Findings, MaxFindingsLen, false)
	return f
}

// MinOfficers is the fewest law-enforcement officers an inspection or an
// investigation may have: 行政处罚法 wants at least two.
const MinOfficers = 2

// InspectorNames splits the officers' names as typed (separated by 、, a
// comma, a semicolon or spaces) and returns each name once.
func InspectorNames(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune("、，,；; /／\t\n", r) || r == '\u3000'
	})
	var out []string
	for _, p := range parts {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// checkCount checks a number of people between min and MaxPeopleCount.
func checkCount(f FieldErrors, field, label string, n, min int) {
	switch {
	case n < min && min > 0:
		f.Add(field, label+"至少为"+strconv.Itoa(min)+"人次。")
	case n < min:
		f.Add(field, label+"不能为负数。")
	case n > MaxPeopleCount:
		f.Add(field, label+"不能超过"+strconv.Itoa(MaxPeopleCount)+"人次。")
	}
}

// ParseCount parses a count typed by a person: full-width digits, spaces
// and a trailing 人次, 人 or 次 are tolerated, and so is a zero fraction
// ("3.0", as spreadsheets write numbers). On failure it returns 0 and a
// Chinese message that begins with label; on success the message is "".
func ParseCount(label, s string) (int, string) {
	t := compact(s)
	for _, suffix := range []string{"人次", "人", "次"} {
		t = strings.TrimSuffix(t, suffix)
	}
	if t == "" {
		return 0, label + "不能为空。"
	}
	body, neg := strings.CutPrefix(t, "-")
	whole, frac, _ := strings.Cut(body, ".")
	if whole == "" || !allDigits(whole) || !allDigits(frac) {
		return 0, label + "应为整数。"
	}
	if neg && strings.Trim(whole+frac, "0") != "" {
		return 0, label + "不能为负数。"
	}
	if strings.Trim(frac, "0") != "" {
		return 0, label + "应为整数。"
	}
	n, err := strconv.Atoi(whole)
	if err != nil || n > 1_000_000_000 {
		return 0, label + "数值过大。"
	}
	return n, ""
}

// ParseDate parses a calendar date as people write it — "2020-05-01",
// "2020/5/1", "2020.5.1", "2020年5月1日", "20200501", with full-width digits
// too — and returns midnight of that day in Asia/Shanghai. It reports false
// for anything else, including days that do not exist (2月30日).
func ParseDate(s string) (time.Time, bool) {
	t := compact(s)
	t = strings.TrimSuffix(strings.TrimSuffix(t, "日"), "号")
	var parts []string
	if len(t) == 8 && allDigits(t) {
		parts = []string{t[:4], t[4:6], t[6:]}
	} else {
		t = strings.NewReplacer("年", "-", "月", "-", "/", "-", ".", "-").Replace(t)
		parts = strings.Split(t, "-")
	}
	if len(parts) != 3 || len(parts[0]) != 4 || !dateField(parts[1]) || !dateField(parts[2]) || !allDigits(parts[0]) {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	d, _ := strconv.Atoi(parts[2])
	date := time.Date(y, time.Month(m), d, 0, 0, 0, 0, Shanghai)
	if date.Year() != y || int(date.Month()) != m || date.Day() != d {
		return time.Time{}, false
	}
	return date, true
}

// dateField reports whether s is a month or day of one or two digits.
func dateField(s string) bool {
	return len(s) >= 1 && len(s) <= 2 && allDigits(s)
}
