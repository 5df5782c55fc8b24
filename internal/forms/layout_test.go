package forms

import (
	"strings"
	"testing"
)

// Every layout prints at 100% on A4 landscape in Excel's measure, and
// its column header is the official column names, each line of which
// fits its column: the header breaks only where the layout breaks it.
func TestLayouts(t *testing.T) {
	for _, c := range []struct {
		l     formLayout
		names []string
	}{
		{layout1(false), Columns1},
		{layout1(true), append(Columns1[:2:2], append([]string{CreditCodeColumn}, Columns1[2:]...)...)},
		{layout2(Header{}), Columns2},
		{layout3(Header{}), Columns3},
	} {
		if !tableFits(c.l) {
			t.Errorf("%s: the columns are wider than A4 landscape", c.l.mark)
		}
		if len(c.l.cols) != len(c.names) {
			t.Fatalf("%s: %d columns, want %d", c.l.mark, len(c.l.cols), len(c.names))
		}
		spec := map[string]*formSpec{"附件1": spec1, "附件2": spec2, "附件3": spec3}[c.l.mark]
		for i, col := range c.l.cols {
			if got := strings.ReplaceAll(col.head, "\n", ""); got != c.names[i] {
				t.Errorf("%s column %d: %q, want %q with line breaks", c.l.mark, i+1, col.head, c.names[i])
			}
			if j := spec.match(headerKey(col.head)); j < 0 || spec.cols[j].name != c.names[i] {
				t.Errorf("%s column %d: the reader does not know %q", c.l.mark, i+1, col.head)
			}
			for line := range strings.SplitSeq(col.head, "\n") {
				if n := wrappedLines(line, col.width, fontSize); n != 1 {
					t.Errorf("%s column %d: %q takes %d lines in width %v", c.l.mark, i+1, line, n, col.width)
				}
			}
		}
	}
}

func TestWrappedLines(t *testing.T) {
	for _, c := range []struct {
		text  string
		width float64
		want  int
	}{
		{"", 10, 1},
		{"一二三四", 9, 1},    // 42 points in 44.25
		{"一二三四五", 9, 2},   // 52.5
		{"一二三四\n五", 9, 2}, // a line break
		{"一二三四五六七八九十一二三四五六七八九十", 9, 5},
		{"一二三，", 9, 1},      // 42
		{"一二三四，", 9, 2},     // the comma goes with 四
		{"（一二三", 9, 1},      // 42
		{"一二三（四", 9, 2},     // the bracket goes with 四
		{"一二1234567", 9, 2}, // 21 + 7×5.88 = 62: the number moves to the second line
		{"12345678901234567890", 9, 3},
	} {
		if got := wrappedLines(c.text, c.width, fontSize); got != c.want {
			t.Errorf("wrappedLines(%q, %v) = %d, want %d", c.text, c.width, got, c.want)
		}
	}
}
