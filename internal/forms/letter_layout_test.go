package forms

import (
	"strings"
	"testing"

	"taotai"
)

// The letters' and the summary's tables print at 100% on A4 landscape in
// Excel's measure, each line of their column headers within its column;
// the letter's text column is the type area of A4 portrait.
func TestLetterLayouts(t *testing.T) {
	s := &taotai.AnnualSummary{Year: 2020, Sectors: []string{taotai.SectorNonCoal, taotai.SectorCoal}}
	tables := append([]Table{YellowListTable(&taotai.YellowList{Year: 2020})}, SummaryTables(s, "附件2")...)
	for _, tb := range tables {
		if w := tb.width() * unitPoints; w > printableWidth {
			t.Errorf("%s: the columns take %.0f points, wider than A4 landscape's %.0f", tb.Sheet, w, printableWidth)
		}
		for i, col := range tb.Columns {
			for line := range strings.SplitSeq(col.Head, "\n") {
				if n := wrappedLines(line, col.Width, fontSize); n != 1 {
					t.Errorf("%s column %d: %q takes %d lines in width %v", tb.Sheet, i+1, line, n, col.Width)
				}
			}
		}
		for _, r := range tb.Rows {
			if r.Kind != RowGroup && len(r.Cells) != len(tb.Columns) {
				t.Errorf("%s: a row of %d cells under %d columns", tb.Sheet, len(r.Cells), len(tb.Columns))
			}
		}
	}
	// A4 portrait between GB/T 9704's side margins: 210 − 28 − 26 mm.
	if w, area := textColumnWidth*unitPoints, (210-28-26)/25.4*72; w > area {
		t.Errorf("the letter's column takes %.0f points, the type area %.0f", w, area)
	}
	if got := FigureHeads(); len(got) != 13 || got[0] != "检查企业次数" || got[12] != "检查覆盖率" {
		t.Errorf("figure heads %q", got)
	}
}

// A paragraph longer than one row can hold is cut into rows, none of
// them taller than a spreadsheet allows, and nothing is lost.
func TestFitRows(t *testing.T) {
	long := strings.Repeat("依法依规推动落后产能退出，", 400)
	for _, size := range []float64{fontSize, textSize} {
		pieces := fitRows(long, textColumnWidth, size)
		if len(pieces) < 2 || strings.Join(pieces, "") != long {
			t.Fatalf("%v pt: %d pieces", size, len(pieces))
		}
		for _, p := range pieces {
			if h := float64(wrappedLines(p, textColumnWidth, size))*size*lineSpacing + rowPadding; h > maxRowHeight {
				t.Errorf("%v pt: a piece %.0f points tall", size, h)
			}
		}
	}
	if p := fitRows("短段落", textColumnWidth, textSize); len(p) != 1 || p[0] != "短段落" {
		t.Errorf("a short paragraph: %q", p)
	}
}
