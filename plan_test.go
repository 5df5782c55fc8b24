package taotai_test

import (
	"testing"
	"time"

	"taotai"
)

func TestPlanProgress(t *testing.T) {
	at := func(s string) time.Time {
		d, _ := time.ParseInLocation("2006-01-02 15:04", s, taotai.Shanghai)
		return d
	}
	for _, tc := range []struct {
		month     int
		inspected bool
		now       string
		want      string
	}{
		{6, true, "2020-03-30 10:00", taotai.PlanDone}, // done ahead of its month
		{6, false, "2020-06-30 23:59", taotai.PlanPending},
		{6, false, "2020-07-01 00:00", taotai.PlanOverdue},
		{12, false, "2020-12-31 23:59", taotai.PlanPending},
		{12, false, "2021-01-01 00:00", taotai.PlanOverdue},
		{1, false, "2019-12-31 12:00", taotai.PlanPending},
		// 30 June 17:00 UTC is 1 July in Shanghai.
		{6, false, "2020-06-30 17:00", taotai.PlanPending},
	} {
		if got := taotai.PlanProgress(2020, tc.month, tc.inspected, at(tc.now)); got != tc.want {
			t.Errorf("month %d, inspected %v, on %s: %s, want %s", tc.month, tc.inspected, tc.now, got, tc.want)
		}
	}
	utc := time.Date(2020, 6, 30, 17, 0, 0, 0, time.UTC) // 1 July 01:00 in Shanghai
	if got := taotai.PlanProgress(2020, 6, false, utc); got != taotai.PlanOverdue {
		t.Errorf("June, on 1 July in Shanghai: %s", got)
	}
}

func TestPlanRules(t *testing.T) {
	for path, want := range map[string]string{"/210000/210300/210302/": "/210000/210300/", "/210000/210300/": "/210000/210300/", "/210000/": ""} {
		if got := taotai.CityPath(path); got != want {
			t.Errorf("CityPath(%q) = %q, want %q", path, got, want)
		}
	}
	start := time.Date(2020, 3, 25, 0, 0, 0, 0, taotai.Shanghai)
	for m, ok := range map[int]bool{0: false, 2: false, 3: true, 12: true, 13: false} {
		if err := taotai.CheckPlanMonth(m, start); (err == nil) != ok {
			t.Errorf("month %d: %v", m, err)
		}
	}
	p := &taotai.InspectionPlan{RegionCode: "210302", RegionPath: "/210000/210300/210302/", Sector: taotai.SectorNonCoal}
	for _, tc := range []struct {
		a                *taotai.Actor
		prepare, approve bool
	}{
		{&taotai.Actor{Role: taotai.RoleCityClerk, RegionCode: "210302", RegionPath: "/210000/210300/210302/", Sector: taotai.SectorNonCoal}, true, false},
		{&taotai.Actor{Role: taotai.RoleCityClerk, RegionCode: "210302", RegionPath: "/210000/210300/210302/", Sector: taotai.SectorCoal}, false, false},
		{&taotai.Actor{Role: taotai.RoleInspector, RegionCode: "210302", RegionPath: "/210000/210300/210302/"}, false, false},
		{&taotai.Actor{Role: taotai.RoleCityApprover, RegionCode: "210300", RegionPath: "/210000/210300/"}, false, true},
		{&taotai.Actor{Role: taotai.RoleCityApprover, RegionCode: "210300", RegionPath: "/210000/210300/", Sector: taotai.SectorCoal}, false, false},
		{&taotai.Actor{Role: taotai.RoleCityApprover, RegionCode: "210900", RegionPath: "/210000/210900/"}, false, false},
		{&taotai.Actor{Role: taotai.RoleAdmin, RegionCode: "210000", RegionPath: "/210000/"}, false, false},
	} {
		if got := p.CanPrepare(tc.a); got != tc.prepare {
			t.Errorf("%+v prepares: %v", tc.a, got)
		}
		if got := p.CanReview(tc.a); got != tc.approve {
			t.Errorf("%+v approves: %v", tc.a, got)
		}
	}
}
