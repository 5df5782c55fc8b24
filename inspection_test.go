package taotai_test

import (
	"strings"
	"testing"
	"time"

	"taotai"
)

// day returns midnight of a calendar day in Asia/Shanghai.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, taotai.Shanghai)
}

// at parses an RFC 3339 instant, for tests that stand on either side of
// midnight.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func validInspection() *taotai.Inspection {
	return &taotai.Inspection{EnterpriseID: 1, Date: day(2020, 5, 20), Kind: taotai.InspectionRoutine,
		Inspectors: "王伟、李娜", InspectorCount: 2, ExpertCount: 1, Findings: "转炉水冷元件出水温度无监测报警。"}
}

func TestInspectionValidate(t *testing.T) {
	now := at(t, "2020-05-20T10:00:00+08:00")
	tests := []struct {
		name  string
		edit  func(in *taotai.Inspection)
		now   time.Time
		field string // the field that must carry a message; "" for valid
		msg   string
	}{
		{"valid", func(in *taotai.Inspection) {}, now, "", ""},
		{"every kind: follow-up", func(in *taotai.Inspection) { in.Kind = taotai.InspectionFollowUp }, now, "", ""},
		{"every kind: tip-off", func(in *taotai.Inspection) { in.Kind = taotai.InspectionTipOff }, now, "", ""},
		{"every kind: joint", func(in *taotai.Inspection) { in.Kind = taotai.InspectionJoint }, now, "", ""},
		{"no experts", func(in *taotai.Inspection) { in.ExpertCount = 0 }, now, "", ""},
		{"no findings", func(in *taotai.Inspection) { in.Findings = "" }, now, "", ""},
		{"limits reached", func(in *taotai.Inspection) {
			in.InspectorCount, in.ExpertCount = 100, 100
			in.Inspectors, in.Findings = strings.Repeat("王", 98)+"、"+strings.Repeat("李", 101), strings.Repeat("隐", 2000)
		}, now, "", ""},
		{"no date", func(in *taotai.Inspection) { in.Date = time.Time{} }, now, "date", "请填写检查日期"},
		{"tomorrow", func(in *taotai.Inspection) { in.Date = day(2020, 5, 21) }, now, "date", "不能晚于今天"},
		{"today, just after midnight in Shanghai", func(in *taotai.Inspection) { in.Date = day(2020, 5, 21) },
			at(t, "2020-05-20T16:30:00Z"), "", ""},
		{"tomorrow, just before midnight in Shanghai", func(in *taotai.Inspection) { in.Date = day(2020, 5, 21) },
			at(t, "2020-05-20T15:59:59Z"), "date", "不能晚于今天"},
		{"no kind", func(in *taotai.Inspection) { in.Kind = "" }, now, "kind", "请选择检查类型"},
		{"unknown kind", func(in *taotai.Inspection) { in.Kind = "日常检查" }, now, "kind", "请选择检查类型"},
		{"no inspectors", func(in *taotai.Inspection) { in.Inspectors = "  " }, now, "inspectors", "检查人员不能为空"},
		{"inspectors too long", func(in *taotai.Inspection) { in.Inspectors = strings.Repeat("王", 201) }, now, "inspectors", "不能超过200个字"},
		{"no inspector count", func(in *taotai.Inspection) { in.InspectorCount = 0 }, now, "inspector_count", "至少为2人次"},
		{"negative inspector count", func(in *taotai.Inspection) { in.InspectorCount = -1 }, now, "inspector_count", "至少为2人次"},
		// 行政处罚法: at least two law-enforcement officers, named.
		{"one officer", func(in *taotai.Inspection) { in.Inspectors = "王伟" }, now, "inspectors", "不得少于两人"},
		{"one officer twice", func(in *taotai.Inspection) { in.Inspectors = "王伟、王伟" }, now, "inspectors", "不得少于两人"},
		{"one officer counted once", func(in *taotai.Inspection) { in.InspectorCount = 1 }, now, "inspector_count", "至少为2人次"},
		{"two officers, commas and spaces", func(in *taotai.Inspection) { in.Inspectors = "王伟, 李娜" }, now, "", ""},
		{"three officers counted as two", func(in *taotai.Inspection) { in.Inspectors = "王伟、李娜、张强" }, now, "inspector_count", "少于填写的执法人员人数（3人）"},
		{"too many inspectors", func(in *taotai.Inspection) { in.InspectorCount = 101 }, now, "inspector_count", "不能超过100人次"},
		{"negative experts", func(in *taotai.Inspection) { in.ExpertCount = -1 }, now, "expert_count", "不能为负数"},
		{"too many experts", func(in *taotai.Inspection) { in.ExpertCount = 101 }, now, "expert_count", "不能超过100人次"},
		{"findings too long", func(in *taotai.Inspection) { in.Findings = strings.Repeat("隐", 2001) }, now, "findings", "不能超过2000个字"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInspection()
			tt.edit(in)
			f := in.Validate(tt.now)
			if tt.field == "" {
				if len(f) != 0 {
					t.Fatalf("want valid, got %v", f)
				}
				return
			}
			if !strings.Contains(f[tt.field], tt.msg) {
				t.Fatalf("field %s: got %q, want it to contain %q (all: %v)", tt.field, f[tt.field], tt.msg, f)
			}
		})
	}
}

func TestInspectionValidateNormalises(t *testing.T) {
	in := validInspection()
	in.Date = at(t, "2020-05-19T17:00:00Z") // 01:00 on 20 May in Shanghai
	in.Inspectors = "  王伟、李娜 "
	if f := in.Validate(at(t, "2020-05-20T12:00:00+08:00")); len(f) != 0 {
		t.Fatal(f)
	}
	if !in.Date.Equal(day(2020, 5, 20)) || in.Inspectors != "王伟、李娜" {
		t.Fatalf("got date %v, inspectors %q", in.Date, in.Inspectors)
	}
}

func TestInspectionKinds(t *testing.T) {
	want := map[string]string{"routine": "日常检查", "follow_up": "复查", "tip_off": "举报核查", "joint": "联合检查"}
	if len(taotai.InspectionKinds) != len(want) {
		t.Fatalf("InspectionKinds = %v", taotai.InspectionKinds)
	}
	for _, k := range taotai.InspectionKinds {
		if got := taotai.InspectionKindName(k); got != want[k] {
			t.Errorf("InspectionKindName(%q) = %q, want %q", k, got, want[k])
		}
	}
}

func TestParseCount(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
		msg  string // the whole message; "" for success
	}{
		{"plain", "3", 3, ""},
		{"zero", "0", 0, ""},
		{"spaces", " 12 ", 12, ""},
		{"full width", "１２", 12, ""},
		{"unit", "3人次", 3, ""},
		{"short unit", "3 人", 3, ""},
		{"spreadsheet float", "3.0", 3, ""},
		{"negative zero", "-0", 0, ""},
		{"empty", "", 0, "专家数量不能为空。"},
		{"blank", " \u3000", 0, "专家数量不能为空。"},
		{"negative", "-1", 0, "专家数量不能为负数。"},
		{"full-width negative", "－２", 0, "专家数量不能为负数。"},
		{"negative fraction", "-1.5", 0, "专家数量不能为负数。"},
		{"fraction", "1.5", 0, "专家数量应为整数。"},
		{"word", "三", 0, "专家数量应为整数。"},
		{"lone minus", "-", 0, "专家数量应为整数。"},
		{"dot", ".5", 0, "专家数量应为整数。"},
		{"huge", "99999999999", 0, "专家数量数值过大。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := taotai.ParseCount("专家数量", tt.in)
			if got != tt.want || msg != tt.msg {
				t.Fatalf("ParseCount(%q) = %d, %q; want %d, %q", tt.in, got, msg, tt.want, tt.msg)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"iso", "2020-05-01", true},
		{"iso short", "2020-5-1", true},
		{"slashes", "2020/5/1", true},
		{"dots", "2020.05.01", true},
		{"chinese", "2020年5月1日", true},
		{"chinese with spaces", " 2020 年 5 月 1 日 ", true},
		{"chinese 号", "2020年5月1号", true},
		{"full width", "２０２０－０５－０１", true},
		{"full-width slashes", "２０２０／５／１", true},
		{"compact", "20200501", true},
		{"empty", "", false},
		{"two-digit year", "20-5-1", false},
		{"no day", "2020-05", false},
		{"month 13", "2020-13-01", false},
		{"month 0", "2020-00-01", false},
		{"30 February", "2020-02-30", false},
		{"day 0", "2020-05-00", false},
		{"three-digit day", "2020-05-001", false},
		{"words", "五月一日", false},
		{"with time", "2020-05-01 08:00", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := taotai.ParseDate(tt.in)
			if ok != tt.ok {
				t.Fatalf("ParseDate(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if ok && !got.Equal(day(2020, 5, 1)) {
				t.Fatalf("ParseDate(%q) = %v, want 2020-05-01 00:00 +08:00", tt.in, got)
			}
			if ok && got.Location() != taotai.Shanghai {
				t.Fatalf("ParseDate(%q) in %v, want Asia/Shanghai", tt.in, got.Location())
			}
		})
	}
	if d, ok := taotai.ParseDate("2020-02-29"); !ok || d.Day() != 29 {
		t.Error("2020-02-29 is a leap day")
	}
}
