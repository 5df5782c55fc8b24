package web

import (
	"html/template"
	"strings"
	"testing"
	"time"

	"taotai"
)

// oldGridCells is the grid's cells as the template wrote them before
// RowCells: RowCells must write the same bytes.
const oldGridCells = `{{range $i, $u := .Grid.Units}}[{{range $j, $c := index $.Grid.Cells $i}}{{$p := index $.Grid.Periods $j}}
    <td data-label="{{periodShort $p}}" class="cell report-state-{{$c.State}}" id="cell-{{$u.Code}}-{{$p.Key}}"><a href="{{$.CellLink $u $p}}" aria-label="{{$u.Name}} {{periodShort $p}}：{{$c.Describe}}"><span class="tag {{stateClass $c.State}}" data-short="{{shortState $c}}"><span class="long">{{$c.Describe}}</span></span></a></td>
    {{end}}]{{end}}`

// TestReportRowCellsAsTemplate: the grid's cells written in Go are
// html/template's, byte for byte, for every state, the first, monthly and
// annual periods, and names and keys holding what must be escaped.
func TestReportRowCellsAsTemplate(t *testing.T) {
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, s, taotai.Shanghai)
		return d
	}
	periods := []taotai.ReportPeriod{
		{Key: "2020-05", Year: 2020, Label: "5月", Due: day("2020-05-26")},
		{Key: "2020-06", Year: 2020, Label: "6月", Due: day("2020-06-26")},
		{Key: "2020", Year: 2020, Label: "年度", Due: day("2020-12-26")},
		{Key: `2020-1"<0>&'+`, Year: 2020, Label: `怪<b>"期'&+`},
	}
	units := []taotai.ReportUnit{{Code: "210300", Name: "鞍山市"}, {Code: `21&"04'`, Name: `抚<顺>"市'&+ 	`}}
	states := []taotai.ReportStatus{
		{State: taotai.ReportNotDue}, {State: taotai.ReportMissing, LateDays: 3, Expected: true},
		{State: taotai.ReportOnTime, OnTime: true, Version: 1, Submitted: true}, {State: taotai.ReportLate, LateDays: 12, Version: 2, Submitted: true},
		{State: taotai.ReportReturned, Version: 1, Submitted: true}, {State: taotai.ReportAccepted, OnTime: true, Version: 3, Submitted: true},
		{State: taotai.ReportAccepted, LateDays: 1, Version: 1, Submitted: true}, {State: `<x"&'+>`},
	}
	g := &taotai.ReportGrid{Year: 2020, Sector: taotai.SectorNonCoal, Units: units, Periods: periods}
	n := 0
	for range units {
		var row []taotai.ReportStatus
		for range periods {
			row = append(row, states[n%len(states)])
			n++
		}
		g.Cells = append(g.Cells, row)
	}
	for _, sector := range []string{taotai.SectorNonCoal, `co&al"`} {
		p := &reportGridPage{Sector: sector, Grid: g}
		tmpl := template.Must(template.New("cells").Funcs(template.FuncMap{
			"periodShort": periodShort, "stateClass": stateClass, "shortState": shortState}).Parse(oldGridCells))
		var want strings.Builder
		if err := tmpl.Execute(&want, p); err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		for i := range units {
			got.WriteString("[" + string(p.RowCells(i)) + "]")
		}
		if got.String() != want.String() {
			t.Errorf("sector %q: RowCells wrote\n%s\nhtml/template\n%s", sector, got.String(), want.String())
		}
		if !strings.Contains(want.String(), "&lt;b&gt;&#34;期&#39;&amp;&#43;") {
			t.Errorf("the test's odd label was not escaped as expected: %s", want.String())
		}
	}
}
