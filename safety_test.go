package taotai_test

import (
	"testing"
	"time"

	"taotai"
)

func TestSafetyRecordValidate(t *testing.T) {
	now := time.Date(2020, 6, 10, 9, 0, 0, 0, taotai.Shanghai)
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, s, taotai.Shanghai)
		return d
	}
	for _, tc := range []struct {
		name  string
		r     taotai.SafetyRecord
		field string // "" = valid
	}{
		{"nothing recorded", taotai.SafetyRecord{}, ""},
		{"二级 with its date", taotai.SafetyRecord{Grade: taotai.GradeLevel2, GradedOn: day("2019-11-02")}, ""},
		{"三级 without a date", taotai.SafetyRecord{Grade: taotai.GradeLevel3}, "graded_on"},
		{"未达标 without a date", taotai.SafetyRecord{Grade: taotai.GradeBelow, DualPrevention: true}, ""},
		{"an unknown grade", taotai.SafetyRecord{Grade: "四级"}, "grade"},
		{"a date in the future", taotai.SafetyRecord{Grade: taotai.GradeLevel1, GradedOn: day("2020-06-11")}, "graded_on"},
		{"a date without a grade", taotai.SafetyRecord{GradedOn: day("2020-01-01")}, "graded_on"},
		{"built on, not built", taotai.SafetyRecord{DualBuiltOn: day("2020-01-01")}, "dual_built_on"},
		{"built, with its date", taotai.SafetyRecord{DualPrevention: true, DualBuiltOn: day("2020-06-10")}, ""},
		{"a date out of range", taotai.SafetyRecord{DualPrevention: true, DualBuiltOn: day("1999-12-31")}, "dual_built_on"},
	} {
		err := tc.r.Validate(now)
		var e *taotai.Error
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.field != "" && (!asTaotaiError(err, &e) || e.Fields[tc.field] == ""):
			t.Errorf("%s: %v, want a message on %s", tc.name, err, tc.field)
		}
	}
}
