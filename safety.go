package taotai

import "time"

// The notice pushes 安全生产标准化 (safety standardisation, graded 一级 to
// 三级 by the grading bodies) and the 双重预防机制 (the dual prevention
// mechanism: risk grading and control, and hazard investigation and
// rectification) in the enterprises. Each enterprise's record of both is
// kept beside it.

// Standardisation grades.
const (
	GradeNone   = ""       // 未记录
	GradeLevel1 = "level1" // 一级
	GradeLevel2 = "level2" // 二级
	GradeLevel3 = "level3" // 三级
	GradeBelow  = "below"  // 未达标
)

// Grades lists the grades a person may choose, in order.
var Grades = []string{GradeLevel1, GradeLevel2, GradeLevel3, GradeBelow}

// GradeName returns the Chinese name of a standardisation grade.
func GradeName(g string) string {
	switch g {
	case GradeLevel1:
		return "一级"
	case GradeLevel2:
		return "二级"
	case GradeLevel3:
		return "三级"
	case GradeBelow:
		return "未达标"
	case GradeNone:
		return "未记录"
	}
	return g
}

// SafetyRecord is an enterprise's standardisation grade and dual
// prevention mechanism.
type SafetyRecord struct {
	EnterpriseID   int64
	Grade          string
	GradedOn       time.Time // the grade's date (its certificate's); for 未达标, of the assessment, optional
	DualPrevention bool      // 双重预防机制已建立
	DualBuiltOn    time.Time // when it was built, optional
	Version        int       // 0 while never recorded
	UpdatedAt      time.Time
	UpdatedBy      string
}

// Validate checks a record on the day of now: a known grade, the date of
// a grade 一级–三级, no date in the future or out of range, no date of a
// mechanism not built. The error is EINVALID with the fields' messages.
func (r *SafetyRecord) Validate(now time.Time) error {
	f := FieldErrors{}
	today := Today(now)
	known := r.Grade == GradeNone
	for _, g := range Grades {
		known = known || r.Grade == g
	}
	switch {
	case !known:
		f.Add("grade", "请选择安全生产标准化等级。")
	case r.Grade != GradeBelow && r.Grade != GradeNone && r.GradedOn.IsZero():
		f.Add("graded_on", "请填写取得"+GradeName(r.Grade)+"安全生产标准化等级的日期。")
	case r.Grade == GradeNone && !r.GradedOn.IsZero():
		f.Add("graded_on", "未选择等级时不填写日期。")
	}
	for field, d := range map[string]time.Time{"graded_on": r.GradedOn, "dual_built_on": r.DualBuiltOn} {
		switch {
		case d.IsZero() || f[field] != "":
		case !DateInRange(d):
			f.Add(field, DateRangeMessage("日期"))
		case d.After(today):
			f.Add(field, "日期不能晚于今天。")
		}
	}
	if !r.DualPrevention && !r.DualBuiltOn.IsZero() {
		f.Add("dual_built_on", "双重预防机制未建立时不填写建立日期。")
	}
	return f.Err()
}
