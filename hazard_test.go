package taotai_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"taotai"
)

func allGuarantees() taotai.FiveGuarantees {
	return taotai.FiveGuarantees{Responsible: "张强（设备部部长）", Measures: "加装出水温度监测报警并联锁", Funds: 50000,
		Deadline: day(2020, 6, 30), Plan: "漏水应急处置预案"}
}

func validHazard() *taotai.Hazard {
	return &taotai.Hazard{InspectionID: 1, EnterpriseID: 1, Description: "转炉水冷元件无出水温度监测报警", Place: "炼钢车间",
		Level: taotai.HazardMajor, CriterionID: 7, Deadline: day(2020, 6, 30), Guarantees: allGuarantees()}
}

func TestHazardValidate(t *testing.T) {
	inspected := day(2020, 5, 20)
	tests := []struct {
		name  string
		edit  func(h *taotai.Hazard)
		field string // the field that must carry a message; "" for valid
		msg   string
	}{
		{"valid major", func(h *taotai.Hazard) {}, "", ""},
		{"valid general", func(h *taotai.Hazard) { h.Level, h.CriterionID = taotai.HazardGeneral, 0 }, "", ""},
		{"deadline on the inspection day", func(h *taotai.Hazard) { h.Deadline = inspected }, "", ""},
		{"no place", func(h *taotai.Hazard) { h.Place = "" }, "", ""},
		{"no guarantees yet", func(h *taotai.Hazard) { h.Guarantees = taotai.FiveGuarantees{} }, "", ""},
		{"no description", func(h *taotai.Hazard) { h.Description = " " }, "description", "隐患描述不能为空"},
		{"description too long", func(h *taotai.Hazard) { h.Description = strings.Repeat("隐", 501) }, "description", "不能超过500个字"},
		{"place too long", func(h *taotai.Hazard) { h.Place = strings.Repeat("间", 201) }, "place", "不能超过200个字"},
		{"no level", func(h *taotai.Hazard) { h.Level = "" }, "level", "请选择隐患级别"},
		{"unknown level", func(h *taotai.Hazard) { h.Level = "较大" }, "level", "请选择隐患级别"},
		{"major without criterion", func(h *taotai.Hazard) { h.CriterionID = 0 }, "criterion", "重大事故隐患须选择所依据的判定标准条款。"},
		{"no deadline", func(h *taotai.Hazard) { h.Deadline = time.Time{} }, "deadline", "请填写整改期限"},
		{"deadline before inspection", func(h *taotai.Hazard) { h.Deadline = day(2020, 5, 19) }, "deadline", "整改期限不能早于检查日期。"},
		{"unknown status", func(h *taotai.Hazard) { h.Status = "closed" }, "status", "隐患状态无效"},
		{"negative funds", func(h *taotai.Hazard) { h.Guarantees.Funds = -1 }, "funds", "不能为负数"},
		{"measures too long", func(h *taotai.Hazard) { h.Guarantees.Measures = strings.Repeat("措", 1001) }, "measures", "不能超过1000个字"},
		{"plan too long", func(h *taotai.Hazard) { h.Guarantees.Plan = strings.Repeat("预", 1001) }, "plan", "不能超过1000个字"},
		{"responsible too long", func(h *taotai.Hazard) { h.Guarantees.Responsible = strings.Repeat("责", 51) }, "responsible", "不能超过50个字"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := validHazard()
			tt.edit(h)
			f := h.Validate(inspected)
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

func TestHazardValidateNormalises(t *testing.T) {
	h := validHazard()
	h.Level, h.CriterionText = taotai.HazardGeneral, "第四条第（四）项"
	h.Deadline = at(t, "2020-06-29T16:00:00Z") // midnight of 30 June in Shanghai
	if f := h.Validate(day(2020, 5, 20)); len(f) != 0 {
		t.Fatal(f)
	}
	if h.Status != taotai.HazardOpen || h.CriterionID != 0 || h.CriterionText != "" || !h.Deadline.Equal(day(2020, 6, 30)) {
		t.Fatalf("got status %q, criterion %d %q, deadline %v", h.Status, h.CriterionID, h.CriterionText, h.Deadline)
	}
}

func TestFiveGuaranteesMissing(t *testing.T) {
	tests := []struct {
		name string
		edit func(g *taotai.FiveGuarantees)
		want []string
	}{
		{"all in place", func(g *taotai.FiveGuarantees) {}, nil},
		{"no one responsible", func(g *taotai.FiveGuarantees) { g.Responsible = " " }, []string{"责任"}},
		{"no measures", func(g *taotai.FiveGuarantees) { g.Measures = "" }, []string{"措施"}},
		{"no funds", func(g *taotai.FiveGuarantees) { g.Funds = 0 }, []string{"资金"}},
		{"no deadline", func(g *taotai.FiveGuarantees) { g.Deadline = time.Time{} }, []string{"时限"}},
		{"no plan", func(g *taotai.FiveGuarantees) { g.Plan = "" }, []string{"预案"}},
		{"none", func(g *taotai.FiveGuarantees) { *g = taotai.FiveGuarantees{} }, []string{"责任", "措施", "资金", "时限", "预案"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := allGuarantees()
			tt.edit(&g)
			if got := g.Missing(); !slices.Equal(got, tt.want) {
				t.Fatalf("Missing() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestHazardOverdue(t *testing.T) {
	tests := []struct {
		name   string
		now    string
		status string
		want   bool
	}{
		{"the day before", "2020-06-29T12:00:00+08:00", taotai.HazardOpen, false},
		{"the deadline day, last second", "2020-06-30T23:59:59+08:00", taotai.HazardOpen, false},
		{"the next day, first second", "2020-07-01T00:00:00+08:00", taotai.HazardOpen, true},
		{"UTC instant already 1 July in Shanghai", "2020-06-30T16:30:00Z", taotai.HazardOpen, true},
		{"UTC instant still 30 June in Shanghai", "2020-06-30T15:59:59Z", taotai.HazardOpen, false},
		{"rectifying, overdue", "2020-07-01T00:00:00+08:00", taotai.HazardRectifying, true},
		{"failed re-check, overdue", "2020-07-15T09:00:00+08:00", taotai.HazardFailed, true},
		{"passed is never overdue", "2020-07-15T09:00:00+08:00", taotai.HazardPassed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := validHazard()
			h.Status = tt.status
			if got := h.Overdue(at(t, tt.now)); got != tt.want {
				t.Fatalf("Overdue(%s) = %v, want %v", tt.now, got, tt.want)
			}
		})
	}
}

func TestHazardDueWithin(t *testing.T) {
	tests := []struct {
		name   string
		now    string
		days   int
		status string
		want   bool
	}{
		{"seven days ahead, within 7", "2020-06-23T09:00:00+08:00", 7, taotai.HazardOpen, true},
		{"eight days ahead, not within 7", "2020-06-22T23:59:59+08:00", 7, taotai.HazardOpen, false},
		{"eight days ahead in UTC is seven in Shanghai", "2020-06-22T16:00:00Z", 7, taotai.HazardOpen, true},
		{"due today, within 0", "2020-06-30T23:59:59+08:00", 0, taotai.HazardOpen, true},
		{"overdue is not due", "2020-07-01T00:00:00+08:00", 7, taotai.HazardOpen, false},
		{"passed is not due", "2020-06-29T09:00:00+08:00", 7, taotai.HazardPassed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := validHazard()
			h.Status = tt.status
			if got := h.DueWithin(at(t, tt.now), tt.days); got != tt.want {
				t.Fatalf("DueWithin(%s, %d) = %v, want %v", tt.now, tt.days, got, tt.want)
			}
		})
	}
}

func TestHazardTransition(t *testing.T) {
	allowed := map[[2]string]bool{
		{taotai.HazardOpen, taotai.HazardRectifying}:   true,
		{taotai.HazardOpen, taotai.HazardPassed}:       true,
		{taotai.HazardRectifying, taotai.HazardPassed}: true,
		{taotai.HazardRectifying, taotai.HazardFailed}: true,
		{taotai.HazardFailed, taotai.HazardRectifying}: true,
	}
	states := append(slices.Clone(taotai.HazardStatuses), "", "closed")
	for _, from := range states {
		for _, to := range states {
			err := taotai.HazardTransition(from, to)
			if allowed[[2]string{from, to}] {
				if err != nil {
					t.Errorf("%s→%s: %v", from, to, err)
				}
				continue
			}
			msg := taotai.ErrorMessage(err)
			if taotai.ErrorCode(err) != taotai.EINVALID || !strings.Contains(msg, "“"+taotai.HazardStatusName(from)+"”") ||
				!strings.Contains(msg, "“"+taotai.HazardStatusName(to)+"”") {
				t.Errorf("%s→%s: got %v, want EINVALID naming both states", from, to, err)
			}
		}
	}
	if got := taotai.ErrorMessage(taotai.HazardTransition(taotai.HazardPassed, taotai.HazardOpen)); got != "隐患状态不能从“复查合格”变为“待整改”。" {
		t.Errorf("message = %q", got)
	}
}

func TestNeedsStopOrder(t *testing.T) {
	tests := []struct {
		name string
		edit func(h *taotai.Hazard)
		want bool
	}{
		{"major, five guarantees in place", func(h *taotai.Hazard) {}, false},
		{"major, no funds", func(h *taotai.Hazard) { h.Guarantees.Funds = 0 }, true},
		{"major, no plan, rectifying", func(h *taotai.Hazard) { h.Guarantees.Plan, h.Status = "", taotai.HazardRectifying }, true},
		{"major, nothing in place, passed", func(h *taotai.Hazard) {
			h.Guarantees, h.Status = taotai.FiveGuarantees{}, taotai.HazardPassed
		}, false},
		{"general, nothing in place", func(h *taotai.Hazard) { h.Level, h.Guarantees = taotai.HazardGeneral, taotai.FiveGuarantees{} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := validHazard()
			h.Status = taotai.HazardOpen
			tt.edit(h)
			if got := taotai.NeedsStopOrder(h); got != tt.want {
				t.Fatalf("NeedsStopOrder = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidateExtension(t *testing.T) {
	tests := []struct {
		name     string
		status   string
		deadline time.Time
		reason   string
		field    string // "" with msg "" for valid; "" with a msg for a plain message
		msg      string
	}{
		{"valid", taotai.HazardRectifying, day(2020, 7, 15), "设备到货延迟", "", ""},
		{"one day later", taotai.HazardOpen, day(2020, 7, 1), "设备到货延迟", "", ""},
		{"failed re-check", taotai.HazardFailed, day(2020, 7, 15), "复查不合格，重新整改", "", ""},
		{"passed", taotai.HazardPassed, day(2020, 7, 15), "设备到货延迟", "", "隐患已复查合格"},
		{"no reason", taotai.HazardOpen, day(2020, 7, 15), "  ", "reason", "延期理由不能为空"},
		{"reason too long", taotai.HazardOpen, day(2020, 7, 15), strings.Repeat("延", 501), "reason", "不能超过500个字"},
		{"no new deadline", taotai.HazardOpen, time.Time{}, "设备到货延迟", "deadline", "请填写新的整改期限"},
		{"same deadline", taotai.HazardOpen, day(2020, 6, 30), "设备到货延迟", "deadline", "应晚于原整改期限（2020-06-30）"},
		{"same day as a UTC instant", taotai.HazardOpen, at(t, "2020-06-30T15:00:00Z"), "设备到货延迟", "deadline", "应晚于原整改期限"},
		{"earlier deadline", taotai.HazardOpen, day(2020, 6, 1), "设备到货延迟", "deadline", "应晚于原整改期限"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := validHazard()
			h.Status = tt.status
			err := taotai.ValidateExtension(h, tt.deadline, tt.reason)
			checkErr(t, err, tt.field, tt.msg)
		})
	}
}

// checkErr checks err against a wanted field message, a wanted plain
// message (field ""), or success (both "").
func checkErr(t *testing.T, err error, field, msg string) {
	t.Helper()
	if field == "" && msg == "" {
		if err != nil {
			t.Fatalf("want success, got %v (%v)", err, fieldsOf(err))
		}
		return
	}
	if taotai.ErrorCode(err) != taotai.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
	got := taotai.ErrorMessage(err)
	if field != "" {
		got = fieldsOf(err)[field]
	}
	if !strings.Contains(got, msg) {
		t.Fatalf("field %q: got %q, want it to contain %q (fields: %v)", field, got, msg, fieldsOf(err))
	}
}

func fieldsOf(err error) map[string]string {
	if e, ok := err.(*taotai.Error); ok {
		return e.Fields
	}
	return nil
}

func TestCriterionValidate(t *testing.T) {
	c := &taotai.Criterion{Standard: " 工贸企业重大事故隐患判定标准 ", Article: "第四条第（四）项", Text: "水冷元件无出水温度、流量差监测报警"}
	if f := c.Validate(); len(f) != 0 || c.Standard != "工贸企业重大事故隐患判定标准" {
		t.Fatalf("got %v, %q", f, c.Standard)
	}
	f := (&taotai.Criterion{}).Validate()
	for _, k := range []string{"standard", "article", "text"} {
		if f[k] == "" {
			t.Errorf("empty criterion: no message for %s (%v)", k, f)
		}
	}
}
