package taotai_test

import (
	"strings"
	"testing"
	"time"

	"taotai"
)

func d(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, taotai.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func year2020() *taotai.CampaignYear {
	return &taotai.CampaignYear{Year: 2020, Start: d("2020-03-25"), Deadlines: []taotai.Deadline{
		{Key: "survey", Due: d("2020-05-15")},
		{Key: "monthly_07", Due: d("2020-07-25")},
		{Key: "first_report", Due: d("2020-05-11")},
		{Key: "monthly_06", Due: d("2020-06-25")},
		{Key: "monthly_08", Due: d("2020-08-25")},
		{Key: "monthly_09", Due: d("2020-09-25")},
		{Key: "annual_report", Due: d("2020-11-20")},
	}}
}

func TestReportPeriods(t *testing.T) {
	ps, err := taotai.ReportPeriods(year2020())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ key, from, to, label, span string }{
		{"2020-05", "2020-03-25", "2020-05-11", "5月", "2020年3月25日至5月11日"},
		{"2020-06", "2020-05-12", "2020-06-25", "6月", "2020年5月12日至6月25日"},
		{"2020-07", "2020-06-26", "2020-07-25", "7月", "2020年6月26日至7月25日"},
		{"2020-08", "2020-07-26", "2020-08-25", "8月", "2020年7月26日至8月25日"},
		{"2020-09", "2020-08-26", "2020-09-25", "9月", "2020年8月26日至9月25日"},
		{"2020", "2020-03-25", "2020-12-31", "年度", "2020年3月25日至12月31日"},
	}
	if len(ps) != len(want) {
		t.Fatalf("%d periods, want %d: %+v", len(ps), len(want), ps)
	}
	for i, w := range want {
		p := ps[i]
		if p.Key != w.key || !p.From.Equal(d(w.from)) || !p.To.Equal(d(w.to)) || p.Label != w.label || p.Span() != w.span {
			t.Errorf("period %d: %s %s–%s %s %q, want %+v", i, p.Key, p.From.Format(time.DateOnly), p.To.Format(time.DateOnly), p.Label, p.Span(), w)
		}
	}
	if ps[0].Name() != "2020年首次报送（3月25日至5月11日）" || ps[1].Name() != "2020年6月（5月12日至6月25日）" || ps[5].Name() != "2020年度（3月25日至12月31日）" || !ps[1].Due.Equal(d("2020-06-25")) || !ps[5].Annual() || ps[1].Annual() {
		t.Errorf("names and dues: %q %v", ps[0].Name(), ps[1].Due)
	}
}

// Every day from the campaign's start to the last monthly cut-off lies in
// exactly one report period; the year holds them all.
func TestReportPeriodsCoverEveryDayOnce(t *testing.T) {
	c := year2020()
	c.Deadlines[3].Cutoff = d("2020-06-20") // June's statistics end on the 20th
	ps, err := taotai.ReportPeriods(c)
	if err != nil {
		t.Fatal(err)
	}
	if !ps[2].From.Equal(d("2020-06-21")) {
		t.Fatalf("July counts from %v, want the day after June's cut-off", ps[2].From)
	}
	year := ps[len(ps)-1]
	for day := c.Start; !day.After(d("2020-09-25")); day = day.AddDate(0, 0, 1) {
		n := 0
		for _, p := range ps[:len(ps)-1] {
			if p.Contains(day) {
				n++
			}
		}
		if n != 1 || !year.Contains(day) {
			t.Errorf("%s lies in %d periods (year: %v)", day.Format(time.DateOnly), n, year.Contains(day))
		}
	}
	if ps[0].Contains(d("2020-03-24")) || year.Contains(d("2020-03-24")) {
		t.Error("a day before the campaign's start counts")
	}
}

func TestReportPeriodsRefuseOverlap(t *testing.T) {
	c := year2020()
	c.Deadlines[3].Cutoff = d("2020-05-01") // June's cut-off before the first report's
	if _, err := taotai.ReportPeriods(c); taotai.ErrorCode(err) != taotai.EINVALID || !strings.Contains(taotai.ErrorMessage(err), "首尾相接") {
		t.Fatalf("overlapping cut-offs: %v", err)
	}
	noStart := year2020()
	noStart.Start = time.Time{}
	ps, _ := taotai.ReportPeriods(noStart)
	if !ps[0].From.Equal(d("2020-01-01")) {
		t.Errorf("without a start the first report counts from %v", ps[0].From)
	}
	if _, err := taotai.FindReportPeriod(year2020(), "2020-10"); taotai.ErrorCode(err) != taotai.EINVALID ||
		!strings.Contains(taotai.ErrorMessage(err), "2020-06 2020年6月（5月12日至6月25日）") {
		t.Errorf("unknown key: %v", err)
	}
}
