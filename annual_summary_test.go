package taotai_test

import (
	"errors"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"taotai"
)

func asTaotaiError(err error, target **taotai.Error) bool { return errors.As(err, target) }

var (
	anshanUnit = taotai.ReportUnit{Code: "210300", Name: "鞍山市", Path: "/210000/210300/"}
	fuxinUnit  = taotai.ReportUnit{Code: "210900", Name: "阜新市", Path: "/210000/210900/", CoalProducing: true}
)

func annualDue(u taotai.ReportUnit, sector string) taotai.DueReport {
	return taotai.DueReport{Period: taotai.ReportPeriod{Key: "2020", Year: 2020, Label: "年度"}, Unit: u, Sector: sector, Summary: true}
}

// summaryFixture: 鞍山 (non-coal, accepted version 2) and 阜新 (non-coal
// and coal, neither accepted); 鞍山's accepted report says one inspection,
// one hazard and one yellow card more than its records now.
func summaryFixture() *taotai.AnnualSummary {
	dues := []taotai.DueReport{annualDue(anshanUnit, taotai.SectorNonCoal), annualDue(fuxinUnit, taotai.SectorNonCoal),
		annualDue(fuxinUnit, taotai.SectorCoal),
		// A monthly report is no annual one: ignored.
		{Period: taotai.ReportPeriod{Key: "2020-06", Year: 2020, Label: "6月"}, Unit: anshanUnit, Sector: taotai.SectorNonCoal}}
	records := []taotai.EnterpriseYear{
		{UnitCode: "210300", Sector: taotai.SectorNonCoal, Industry: "钢铁", Figures: taotai.YearFigures{Inspections: 2, InspectorTimes: 4,
			Hazards: 2, MajorHazards: 1, Rectified: 1, Orders: 1, Fines: 2000, Yellow: 1, Listed: 2, Covered: 1}},
		{UnitCode: "210300", Sector: taotai.SectorNonCoal, Industry: "钢铁", Figures: taotai.YearFigures{Inspections: 3, InspectorTimes: 6,
			ExpertTimes: 1, Hazards: 4, MajorHazards: 1, Rectified: 3, Orders: 2, Penalties: 1, Fines: 3000, Listed: 2, Covered: 2}},
		{UnitCode: "210900", Sector: taotai.SectorNonCoal, Industry: "水泥", Figures: taotai.YearFigures{Inspections: 6, InspectorTimes: 12,
			Hazards: 5, MajorHazards: 1, Rectified: 3, Orders: 2, Penalties: 1, Fines: 7500, Red: 1, Closed: 1, Listed: 3, Covered: 3}},
		{UnitCode: "210900", Sector: taotai.SectorCoal, Industry: "煤炭", Figures: taotai.YearFigures{Inspections: 5, InspectorTimes: 10,
			Hazards: 2, Rectified: 2, Orders: 1, Listed: 3, Covered: 2}},
		// 鞍山 produces no coal: a coal record of its own reaches no row.
		{UnitCode: "210300", Sector: taotai.SectorCoal, Industry: "煤炭", Figures: taotai.YearFigures{Inspections: 9}},
	}
	accepted := []taotai.AcceptedAnnual{{UnitCode: "210300", Sector: taotai.SectorNonCoal, SubmissionID: 41, Version: 2,
		Figures: taotai.YearFigures{Inspections: 6, InspectorTimes: 12, ExpertTimes: 2, Hazards: 7, MajorHazards: 2, Orders: 3,
			Penalties: 1, Fines: 5000, Yellow: 2}}}
	return taotai.BuildAnnualSummary(2020, dues, records, accepted, []string{"钢铁", "水泥", "电解铝", "平板玻璃", "煤炭"})
}

func TestBuildAnnualSummary(t *testing.T) {
	s := summaryFixture()
	if len(s.Units) != 3 || len(s.Sectors) != 2 || s.Sectors[0] != taotai.SectorNonCoal {
		t.Fatalf("units %d, sectors %v", len(s.Units), s.Sectors)
	}
	anshan, fuxin, fuxinCoal := s.Units[0], s.Units[1], s.Units[2]
	tests := []struct {
		name    string
		u       taotai.UnitFigures
		source  string
		text    string
		want    taotai.YearFigures
		differs bool
	}{
		{"鞍山 from its accepted report, rectification and coverage from the records", anshan, taotai.SourceAccepted, "已通过的年度报送（第2版）",
			taotai.YearFigures{Inspections: 6, InspectorTimes: 12, ExpertTimes: 2, Hazards: 7, MajorHazards: 2, Rectified: 4, Orders: 3,
				Penalties: 1, Fines: 5000, Yellow: 2, Listed: 4, Covered: 3}, true},
		{"阜新 non-coal from the records", fuxin, taotai.SourceRecords, "系统记录（年度报送未通过审核）",
			taotai.YearFigures{Inspections: 6, InspectorTimes: 12, Hazards: 5, MajorHazards: 1, Rectified: 3, Orders: 2, Penalties: 1,
				Fines: 7500, Red: 1, Closed: 1, Listed: 3, Covered: 3}, false},
		{"阜新 coal from the records", fuxinCoal, taotai.SourceRecords, "系统记录（年度报送未通过审核）",
			taotai.YearFigures{Inspections: 5, InspectorTimes: 10, Hazards: 2, Rectified: 2, Orders: 1, Listed: 3, Covered: 2}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			short := map[string]string{taotai.SourceAccepted: "年度报送第2版", taotai.SourceRecords: "系统记录"}[tt.source]
			if tt.u.Source != tt.source || tt.u.SourceText() != tt.text || tt.u.SourceShort() != short || tt.u.Figures != tt.want || tt.u.Differs() != tt.differs {
				t.Errorf("got %s %q %+v differs %v", tt.u.Source, tt.u.SourceText(), tt.u.Figures, tt.u.Differs())
			}
		})
	}
	if anshan.SubmissionID != 41 || anshan.Version != 2 || anshan.Records.Inspections != 5 {
		t.Errorf("鞍山: %+v", anshan)
	}
	nc, ok := s.Channel(taotai.SectorNonCoal)
	if !ok || nc.FromAccepted != 1 || nc.FromRecords != 1 || nc.Figures.Inspections != 12 || nc.Figures.Fines != 12500 {
		t.Errorf("non-coal channel: %+v", nc)
	}
	var sum taotai.YearFigures
	for _, u := range s.Units {
		sum.Add(u.Figures)
	}
	if s.Total != sum || s.Total.Inspections != 17 {
		t.Errorf("total %+v, units add up to %+v", s.Total, sum)
	}
	// By industry: the records, in the given order, each channel's own.
	var names []string
	var records taotai.YearFigures
	for _, i := range s.Industries {
		names = append(names, i.Sector+":"+i.Industry)
		records.Add(i.Figures)
	}
	if strings.Join(names, ",") != "noncoal:钢铁,noncoal:水泥,coal:煤炭" || s.Industries[0].Figures.Inspections != 5 {
		t.Errorf("industries %v %+v", names, s.Industries)
	}
	if s.RecordTotal != records || s.RecordTotal.Inspections != 16 {
		t.Errorf("the records' total %+v", s.RecordTotal)
	}
}

func TestCoverageText(t *testing.T) {
	tests := []struct {
		listed, covered int
		want            string
	}{{0, 0, "—"}, {8, 7, "87.5%"}, {3, 1, "33.3%"}, {3, 2, "66.7%"}, {4, 4, "100.0%"}, {5, 0, "0.0%"},
		{12, 11, "91.7%"}, {16, 1, "6.3%"}, {2000, 1999, "100.0%"}, {2001, 1, "0.0%"}}
	for _, tt := range tests {
		f := taotai.YearFigures{Listed: tt.listed, Covered: tt.covered}
		if got := f.CoverageText(); got != tt.want {
			t.Errorf("%d/%d: %q, want %q", tt.covered, tt.listed, got, tt.want)
		}
	}
}

// TestPermille checks the rounding of every share against an exact
// recount: halves away from zero, as Excel's ROUND(x, 1).
func TestPermille(t *testing.T) {
	for d := 1; d <= 400; d++ {
		for n := 0; n <= d; n++ {
			want := big.NewRat(int64(1000*n), int64(d)).FloatString(0)
			if got := strconv.Itoa(taotai.Permille(n, d)); got != want {
				t.Fatalf("%d/%d: %s, want %s", n, d, got, want)
			}
		}
	}
	if taotai.Permille(11, 12) != 917 || taotai.CoverageShare(11, 12) != 91.7 || taotai.Permille(1, 0) != 0 {
		t.Errorf("11/12: %d, %v", taotai.Permille(11, 12), taotai.CoverageShare(11, 12))
	}
}

func TestProvinceSummaryValidate(t *testing.T) {
	tests := []struct {
		name  string
		in    taotai.ProvinceSummary
		field string
	}{
		{"text", taotai.ProvinceSummary{Sector: taotai.SectorNonCoal, Text: "  全年工作总结。\n第二段。 "}, ""},
		{"empty", taotai.ProvinceSummary{Sector: taotai.SectorNonCoal, Text: " \n "}, "text"},
		{"too long", taotai.ProvinceSummary{Sector: taotai.SectorCoal, Text: strings.Repeat("长", taotai.MaxProvinceSummaryLen+1)}, "text"},
		{"bad character", taotai.ProvinceSummary{Sector: taotai.SectorCoal, Text: "总结\u202e"}, "text"},
		{"no channel", taotai.ProvinceSummary{Sector: "steel", Text: "总结"}, "sector"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.Validate()
			if tt.field == "" {
				if err != nil || tt.in.Text != "全年工作总结。\n第二段。" {
					t.Fatalf("%v %q", err, tt.in.Text)
				}
				return
			}
			if fieldsOf(err)[tt.field] == "" {
				t.Fatalf("want a message on %s, got %v %v", tt.field, err, fieldsOf(err))
			}
		})
	}
}
