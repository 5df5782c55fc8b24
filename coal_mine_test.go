package taotai_test

import (
	"strings"
	"testing"

	"taotai"
)

func TestCoalMineEntryValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		e     taotai.CoalMineEntry
		field string
	}{
		{"good", taotai.CoalMineEntry{Conditions: " 未按规定建立瓦斯抽采系统 ", Measure: "责令停产整顿", State: taotai.CoalSuspended}, ""},
		{"no conditions", taotai.CoalMineEntry{Conditions: " ", Measure: "x", State: taotai.CoalClosed}, "conditions"},
		{"no measure", taotai.CoalMineEntry{Conditions: "x", State: taotai.CoalClosed}, "measure"},
		{"a long measure", taotai.CoalMineEntry{Conditions: "x", Measure: strings.Repeat("长", 501), State: taotai.CoalClosed}, "measure"},
		{"a control character", taotai.CoalMineEntry{Conditions: "x\x00", Measure: "x", State: taotai.CoalClosed}, "conditions"},
		{"an unknown state", taotai.CoalMineEntry{Conditions: "x", Measure: "x", State: "done"}, "state"},
	} {
		err := tc.e.Validate()
		var e *taotai.Error
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.field != "" && (!asTaotaiError(err, &e) || e.Fields[tc.field] == ""):
			t.Errorf("%s: %v, want a message on %s", tc.name, err, tc.field)
		}
	}
	e := taotai.CoalMineEntry{Conditions: " 甲 ", Measure: " 乙 ", State: taotai.CoalRectifying}
	if e.Validate() != nil || e.Conditions != "甲" || e.Measure != "乙" {
		t.Errorf("not trimmed: %+v", e)
	}
}
