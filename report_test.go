package taotai_test

import (
	"testing"
	"time"

	"taotai"
)

func sh(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, taotai.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func calendar2020() *taotai.CampaignYear {
	d := func(key, due string) taotai.Deadline { return taotai.Deadline{Key: key, Due: sh(due + " 00:00")} }
	return &taotai.CampaignYear{Year: 2020, Start: sh("2020-03-25 00:00"), Deadlines: []taotai.Deadline{
		d("survey", "2020-04-30"), d(taotai.DeadlineFirstReport, "2020-05-11"), d("first_publication", "2020-05-15"),
		d("monthly_06", "2020-06-25"), d("monthly_07", "2020-07-25"), d("monthly_08", "2020-08-25"),
		d("monthly_09", "2020-09-25"), d("annual_report", "2020-11-20")}}
}

var units = []taotai.ReportUnit{
	{Code: "210300", Name: "鞍山市"},
	{Code: "210900", Name: "阜新市", CoalProducing: true},
	{Code: "219900", Name: "沈抚改革创新示范区"},
}

func TestReportCalendar(t *testing.T) {
	ext := taotai.ReportExtension{PeriodKey: "2020-06", RegionCode: "210900", Sector: taotai.SectorCoal,
		DueAt: sh("2020-06-28 00:00"), Reason: "汛期"}
	cal, err := taotai.ReportCalendar(calendar2020(), units, []taotai.ReportExtension{ext})
	if err != nil {
		t.Fatal(err)
	}
	// 6 periods × (3 non-coal + 1 coal)
	if len(cal) != 24 {
		t.Fatalf("%d due reports, want 24", len(cal))
	}
	tests := []struct {
		key, forms string
		summary    bool
		due, opens time.Time
		extended   bool
	}{
		{"2020-05/210300/noncoal", "附件1、附件2、附件3", false, sh("2020-05-12 00:00"), sh("2020-05-01 00:00"), false},
		{"2020-06/210900/noncoal", "附件2、附件3", false, sh("2020-06-26 00:00"), sh("2020-06-15 00:00"), false},
		{"2020-06/210900/coal", "附件2、附件3", false, sh("2020-06-28 00:00"), sh("2020-06-15 00:00"), true},
		{"2020-09/219900/noncoal", "附件2、附件3", false, sh("2020-09-26 00:00"), sh("2020-09-15 00:00"), false},
		{"2020/210300/noncoal", "附件2、附件3、工作总结", true, sh("2020-11-21 00:00"), sh("2020-11-10 00:00"), false},
	}
	byKey := map[string]taotai.DueReport{}
	for _, d := range cal {
		byKey[d.Key()] = d
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			d, ok := byKey[tt.key]
			switch {
			case !ok:
				t.Fatal("not due")
			case taotai.ReportFormNames(d) != tt.forms || d.Summary != tt.summary:
				t.Errorf("forms %s summary %v", taotai.ReportFormNames(d), d.Summary)
			case !d.DueAt.Equal(tt.due):
				t.Errorf("due %v, want %v", d.DueAt, tt.due)
			case !d.OpensAt.Equal(tt.opens):
				t.Errorf("opens %v, want %v", d.OpensAt, tt.opens)
			case (d.Extension != nil) != tt.extended:
				t.Errorf("extension %+v", d.Extension)
			}
		})
	}
	if _, ok := byKey["2020-06/210300/coal"]; ok {
		t.Error("鞍山 is no coal city")
	}
	if _, err := taotai.FindDueReport(cal, "2020-06", "210300", taotai.SectorCoal); taotai.ErrorCode(err) != taotai.EINVALID {
		t.Errorf("coal for 鞍山: %v", err)
	}
}

func TestStatusOf(t *testing.T) {
	cal, _ := taotai.ReportCalendar(calendar2020(), units[:1], nil)
	june := cal[1] // 2020-06, due 2020-06-25 24:00
	sub := func(v int, state, when string) taotai.SubmissionMark {
		return taotai.SubmissionMark{Version: v, State: state, SubmittedAt: sh(when)}
	}
	tests := []struct {
		name     string
		marks    []taotai.SubmissionMark
		now      string
		state    string
		late     int
		expected bool
		onTime   bool
	}{
		{"nothing yet", nil, "2020-06-25 12:00", taotai.ReportNotDue, 0, false, false},
		{"nothing, last minute", nil, "2020-06-25 23:59", taotai.ReportNotDue, 0, false, false},
		{"missing next day", nil, "2020-06-26 00:01", taotai.ReportMissing, 1, true, false},
		{"missing 3 days", nil, "2020-06-28 09:00", taotai.ReportMissing, 3, true, false},
		{"early", []taotai.SubmissionMark{sub(1, taotai.SubmissionSubmitted, "2020-06-20 10:00")}, "2020-06-21 00:00", taotai.ReportOnTime, 0, true, true},
		{"at 23:59", []taotai.SubmissionMark{sub(1, taotai.SubmissionSubmitted, "2020-06-25 23:59")}, "2020-06-26 10:00", taotai.ReportOnTime, 0, true, true},
		{"late by 1", []taotai.SubmissionMark{sub(1, taotai.SubmissionSubmitted, "2020-06-26 08:00")}, "2020-06-27 10:00", taotai.ReportLate, 1, true, false},
		{"submitted after now", []taotai.SubmissionMark{sub(1, taotai.SubmissionSubmitted, "2020-06-27 08:00")}, "2020-06-26 10:00", taotai.ReportMissing, 1, true, false},
		{"returned", []taotai.SubmissionMark{sub(1, taotai.SubmissionReturned, "2020-06-24 08:00")}, "2020-06-27 10:00", taotai.ReportReturned, 0, true, true},
		{"resubmitted late, first on time", []taotai.SubmissionMark{sub(1, taotai.SubmissionReturned, "2020-06-24 08:00"),
			sub(2, taotai.SubmissionSubmitted, "2020-06-29 08:00")}, "2020-06-30 10:00", taotai.ReportOnTime, 0, true, true},
		{"accepted late", []taotai.SubmissionMark{sub(1, taotai.SubmissionAccepted, "2020-06-28 08:00")}, "2020-07-01 10:00", taotai.ReportAccepted, 3, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := taotai.StatusOf(june, tt.marks, sh(tt.now))
			if st.State != tt.state || st.LateDays != tt.late || st.Expected != tt.expected || st.OnTime != tt.onTime {
				t.Errorf("got %s late %d expected %v on time %v (%s)", st.State, st.LateDays, st.Expected, st.OnTime, st.Describe())
			}
		})
	}
}

func TestBuildReportGrid(t *testing.T) {
	cal, _ := taotai.ReportCalendar(calendar2020(), units, nil)
	marks := map[string][]taotai.SubmissionMark{
		"2020-05/210300/noncoal": {{Version: 1, State: taotai.SubmissionAccepted, SubmittedAt: sh("2020-05-11 16:00")}},
		"2020-05/210900/noncoal": {{Version: 1, State: taotai.SubmissionSubmitted, SubmittedAt: sh("2020-05-12 09:00")}},
		"2020-06/210300/noncoal": {{Version: 1, State: taotai.SubmissionSubmitted, SubmittedAt: sh("2020-06-19 09:00")}},
	}
	g := taotai.BuildReportGrid(2020, taotai.SectorNonCoal, cal, marks, sh("2020-06-20 10:00"))
	if len(g.Units) != 3 || len(g.Periods) != 6 {
		t.Fatalf("%d units × %d periods", len(g.Units), len(g.Periods))
	}
	// May: 鞍山 accepted on time, 阜新 late, 沈抚 missing; June's early report counts.
	want := taotai.ReportRates{Expected: 4, Actual: 3, OnTime: 2, Accepted: 1}
	if g.Total != want {
		t.Errorf("total %+v, want %+v", g.Total, want)
	}
	if g.ByPeriod[0] != (taotai.ReportRates{Expected: 3, Actual: 2, OnTime: 1, Accepted: 1}) {
		t.Errorf("May %+v", g.ByPeriod[0])
	}
	if g.ByUnit[0] != (taotai.ReportRates{Expected: 2, Actual: 2, OnTime: 2, Accepted: 1}) || g.ByUnit[0].Completeness() != 100 {
		t.Errorf("鞍山 %+v", g.ByUnit[0])
	}
	if g.Cells[2][0].State != taotai.ReportMissing || g.Cells[1][0].Describe() != "逾期1天报送" {
		t.Errorf("cells %s %s", g.Cells[2][0].State, g.Cells[1][0].Describe())
	}
	coal := taotai.BuildReportGrid(2020, taotai.SectorCoal, cal, marks, sh("2020-06-20 10:00"))
	if len(coal.Units) != 1 || coal.Total.Expected != 1 || coal.Total.Actual != 0 {
		t.Errorf("coal %+v %+v", coal.Units, coal.Total)
	}
}
