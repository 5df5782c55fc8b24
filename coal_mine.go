package taotai

import (
	"strings"
	"time"
	"unicode/utf8"
)

// The notice has each coal-producing city 建立本地区不符合安全生产条件的煤矿
// 企业清单: the coal mines of the city that do not meet the conditions for
// safe production, what they fail, the measure taken and where it
// stands. Kept per campaign year by the city's coal-mine safety
// department; only the coal channel's users see it.

// Coal-mine list states.
const (
	CoalRectifying = "rectifying" // 限期整改中
	CoalSuspended  = "suspended"  // 停产整顿中
	CoalRectified  = "rectified"  // 已整改达标
	CoalClosed     = "closed"     // 已关闭退出
)

// CoalStates lists the states in order.
var CoalStates = []string{CoalRectifying, CoalSuspended, CoalRectified, CoalClosed}

// CoalStateName returns the Chinese name of a coal-mine list state.
func CoalStateName(s string) string {
	switch s {
	case CoalRectifying:
		return "限期整改中"
	case CoalSuspended:
		return "停产整顿中"
	case CoalRectified:
		return "已整改达标"
	case CoalClosed:
		return "已关闭退出"
	}
	return s
}

// CoalMineEntry is one mine on a city's list of a year.
type CoalMineEntry struct {
	ID             int64
	Year           int
	EnterpriseID   int64
	EnterpriseName string
	Address        string
	RegionName     string // the county
	CityName       string
	Conditions     string // 不符合安全生产条件的情形
	Measure        string // 采取的措施
	State          string
	Version        int
	CreatedAt      time.Time
	CreatedBy      string
	UpdatedAt      time.Time
	UpdatedBy      string
}

// Validate trims and checks what a person typed; the error is EINVALID
// with the fields' messages.
func (e *CoalMineEntry) Validate() error {
	e.Conditions, e.Measure = strings.TrimSpace(e.Conditions), strings.TrimSpace(e.Measure)
	f := FieldErrors{}
	for field, v := range map[string]string{"conditions": e.Conditions, "measure": e.Measure} {
		label := map[string]string{"conditions": "不符合安全生产条件的情形", "measure": "采取的措施"}[field]
		switch {
		case v == "":
			f.Add(field, "请填写"+label+"。")
		case !ValidText(v, true) || utf8.RuneCountInString(v) > MaxNoteLen:
			f.Add(field, label+"应为不超过500个字的文字。")
		}
	}
	known := false
	for _, s := range CoalStates {
		known = known || e.State == s
	}
	if !known {
		f.Add("state", "请选择整改状态。")
	}
	return f.Err()
}
