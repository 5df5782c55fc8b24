package forms

import (
	"fmt"
	"strings"

	"taotai"
)

// The annual summary's tables (by unit, by industry, by channel) and its
// text sheet, as the summary page, the summary letter and their .xlsx
// show them.

// figureColumns are the figures of a summary row, after its names.
var figureColumns = []TableColumn{
	{"检查企业\n次数", 9, kindInt}, {"发现问题\n和隐患数", 9, kindInt}, {"其中重大\n隐患数", 9, kindInt},
	{"整改合格\n隐患数", 9, kindInt}, {"下达整改\n指令书\n（份）", 9, kindInt}, {"下达行政\n处罚文书\n（份）", 9, kindInt},
	{"行政罚款\n总数\n（万元）", 14.5, kindMoney}, {"黄牌企业\n（家）", 9, kindInt}, {"红牌企业\n（家）", 9, kindInt},
	{"其中\n已关闭\n（家）", 9, kindInt}, {"重点名单\n企业数", 9, kindInt}, {"已检查\n企业数", 9, kindInt},
	{"检查\n覆盖率", 8, kindPercent},
}

// FigureHeads are the names of the figure columns, in order, without
// line breaks.
func FigureHeads() []string {
	out := make([]string, len(figureColumns))
	for i, c := range figureColumns {
		out[i] = strings.ReplaceAll(c.Head, "\n", "")
	}
	return out
}

// figureCells are a row's figures in figureColumns' order.
func figureCells(f taotai.YearFigures) []any {
	var coverage any = "—"
	if f.Listed > 0 {
		coverage = Permille(f.CoveragePermille())
	}
	return []any{f.Inspections, f.Hazards, f.MajorHazards, f.Rectified, f.Orders, f.Penalties, f.Fines, f.Yellow, f.Red,
		f.Closed, f.Listed, f.Covered, coverage}
}

func withFigures(names []TableColumn) []TableColumn {
	return append(append([]TableColumn(nil), names...), figureColumns...)
}

// channelHeading is a channel's heading in the tables: "一、非煤（省应急管理厅汇总）".
func channelHeading(i int, sector string) string {
	return fmt.Sprintf("%s、%s（%s汇总）", []string{"一", "二"}[i%2], taotai.SectorName(sector), receiverName(sector))
}

// receiverName is the province's unit that receives a channel's reports.
func receiverName(sector string) string {
	if sector == taotai.SectorCoal {
		return "省煤矿安监局"
	}
	return "省应急管理厅"
}

// SummaryNotes say where the figures come from.
func SummaryNotes(s *taotai.AnnualSummary) []string {
	return []string{
		"注：1.数据来源为“年度报送第N版”的，检查、隐患、文书、罚款和黄/红牌数取自该单位已通过审核的年度报送（年度附件2、附件3，最新通过的版本）；为“系统记录”的，该单位的年度报送尚未通过审核，数据取自系统记录。",
		"2.整改合格隐患数、重点名单企业数和已检查企业数取自系统记录；已检查指" + s.CoverageDue.Format("1月2日") + "前至少检查一次。",
		"3.分行业统计取自系统记录（年度报表不分行业），与分市合计的差异来自年度报送通过后记录的变化。",
	}
}

// SummaryTables are the summary's three tables: by unit (each channel's
// units with its subtotal, and the total), by industry (the records) and
// by channel.
func SummaryTables(s *taotai.AnnualSummary, mark string) []Table {
	title := fmt.Sprintf("%d年度重点淘汰行业执法检查情况统计表", s.Year)
	units := Table{Sheet: "分市统计", Mark: mark, Title: title + "（分市）", Notes: SummaryNotes(s),
		Columns: withFigures([]TableColumn{{"单位", 9.5, kindShort}, {"渠道", 5, kindShort}, {"数据来源", 12.5, kindText}})}
	for i, sector := range s.Sectors {
		units.Rows = append(units.Rows, TableRow{Kind: RowGroup, Cells: []any{channelHeading(i, sector)}})
		for _, u := range s.Units {
			if u.Sector != sector {
				continue
			}
			src := u.SourceShort()
			if u.Differs() {
				src += "（其后记录有变化）"
			}
			units.Rows = append(units.Rows, TableRow{Kind: RowData, Cells: append([]any{u.Unit.Name, taotai.SectorName(sector), src},
				figureCells(u.Figures)...)})
		}
		if c, ok := s.Channel(sector); ok {
			units.Rows = append(units.Rows, TableRow{Kind: RowTotal, Cells: append([]any{taotai.SectorName(sector) + "小计", "", c.SourceText()},
				figureCells(c.Figures)...)})
		}
	}
	if len(s.Sectors) > 1 {
		units.Rows = append(units.Rows, TableRow{Kind: RowTotal, Cells: append([]any{TotalLabel, "", ""}, figureCells(s.Total)...)})
	}
	industries := Table{Sheet: "分行业统计", Mark: mark, Title: title + "（分行业）",
		Notes:   []string{"注：分行业统计取自系统记录（年度报表不分行业）。"},
		Columns: withFigures([]TableColumn{{"行业", 14, kindShort}, {"渠道", 13, kindShort}})}
	for _, ind := range s.Industries {
		industries.Rows = append(industries.Rows, TableRow{Kind: RowData, Cells: append([]any{ind.Industry, taotai.SectorName(ind.Sector)},
			figureCells(ind.Figures)...)})
	}
	industries.Rows = append(industries.Rows, TableRow{Kind: RowTotal, Cells: append([]any{TotalLabel, "系统记录"}, figureCells(s.RecordTotal)...)})
	channels := Table{Sheet: "分渠道统计", Mark: mark, Title: title + "（分渠道）",
		Columns: withFigures([]TableColumn{{"渠道", 10, kindShort}, {"数据来源", 17, kindText}})}
	for _, c := range s.Channels {
		channels.Rows = append(channels.Rows, TableRow{Kind: RowData, Cells: append([]any{taotai.SectorName(c.Sector) + "（" +
			receiverName(c.Sector) + "）", c.SourceText()}, figureCells(c.Figures)...)})
	}
	if len(s.Channels) > 1 {
		channels.Rows = append(channels.Rows, TableRow{Kind: RowTotal, Cells: append([]any{TotalLabel, ""}, figureCells(s.Total)...)})
	}
	return []Table{units, industries, channels}
}

// SummarySheet is the summary's text: the year's figures in words, the
// province's own summaries (for the channels the reader sees) and, with
// units, each unit's as it sent it, with the names of its files.
func SummarySheet(title string, s *taotai.AnnualSummary, units bool) TextSheet {
	var ls []TextLine
	add := func(style string, texts ...string) {
		for _, t := range texts {
			ls = append(ls, TextLine{Text: t, Style: style})
		}
	}
	para := func(text string) {
		for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
			if p = strings.TrimSpace(p); p != "" {
				add(TextBody, p)
			}
		}
	}
	add(TextTitle, title)
	add(TextBlank, "")
	n := 0
	heading := func(text string) {
		add(TextHeading, []string{"一", "二", "三", "四"}[n]+"、"+text)
		n++
	}
	heading("全年工作情况")
	add(TextBody, "全年共"+taotai.FiguresSentence(s.Total)+"。")
	if len(s.Province) > 0 {
		heading("省级工作总结")
		for _, p := range s.Province {
			add(TextHeading, ProvinceSummaryHeading(p.Sector))
			para(p.Text)
		}
	}
	if !units {
		return TextSheet{Name: "工作总结", Lines: ls}
	}
	heading("各单位工作总结")
	if len(s.Texts) == 0 {
		add(TextPlain, "（尚无报送的工作总结）")
	}
	for _, sub := range s.Texts {
		add(TextHeading, UnitSummaryHeading(sub))
		if sub.Summary == "" {
			add(TextPlain, "（未填写工作总结）")
		}
		para(sub.Summary)
		if len(sub.Files) > 0 {
			names := make([]string, len(sub.Files))
			for i, f := range sub.Files {
				names[i] = f.Name
			}
			add(TextPlain, "附件文件："+strings.Join(names, "、"))
		}
	}
	return TextSheet{Name: "工作总结", Lines: ls}
}

// ProvinceSummaryHeading heads the province's summary of a channel.
func ProvinceSummaryHeading(sector string) string {
	return taotai.SectorName(sector) + "（" + taotai.ChannelName(sector) + "）"
}

// UnitSummaryHeading heads a unit's work summary: "鞍山市（非煤，第2版，已通过）".
func UnitSummaryHeading(sub *taotai.Submission) string {
	return fmt.Sprintf("%s（%s，第%d版，%s）", sub.RegionName, taotai.SectorName(sub.Sector), sub.Version, taotai.SubmissionStateName(sub.State))
}
