package taotai

import (
	"fmt"
	"strings"
	"time"
)

// The annual summary (工作总结) of a campaign year: the year's figures by
// reporting unit, by industry and by channel, each unit's work summary
// and the province's own. The rules of where each figure comes from live
// here; the store only reads what they need.
//
//   - A unit's figures of a channel come from its accepted annual report
//     (the latest accepted version's 年度附件2 and 年度附件3) where there is
//     one, and from the records otherwise; the row says which.
//   - What the forms do not carry — hazards rectified, the key list and its
//     coverage — comes from the records always.
//   - By industry, the figures are the records' (the forms have no
//     industry column for 附件2), so their total may differ from the units'
//     where an accepted report and the records now disagree.
//   - By channel, the units' rows of the channel are added up.

// YearFigures are a campaign year's enforcement figures over some scope.
type YearFigures struct {
	Inspections    int  // 检查企业次数
	InspectorTimes int  // 执法检查人员数量（人次）
	ExpertTimes    int  // 参与检查专家数量（人次）
	Hazards        int  // 发现问题和隐患数
	MajorHazards   int  // 发现重大隐患数
	Rectified      int  // of the hazards found in the year, those rectified and passed (records only)
	Orders         int  // 下达整改指令书（份）
	Penalties      int  // 下达行政处罚文书（份）
	Fines          Yuan // 行政罚款总数
	Yellow         int  // 附件3's enterprises on the yellow card at the year's end
	Red            int  // on the red card (closed ones included)
	Closed         int  // closed
	Listed         int  // on the year's key list (附件1)
	Covered        int  // of them, inspected at least once by the coverage deadline
}

// Add adds g to f.
func (f *YearFigures) Add(g YearFigures) {
	f.Inspections += g.Inspections
	f.InspectorTimes += g.InspectorTimes
	f.ExpertTimes += g.ExpertTimes
	f.Hazards += g.Hazards
	f.MajorHazards += g.MajorHazards
	f.Rectified += g.Rectified
	f.Orders += g.Orders
	f.Penalties += g.Penalties
	f.Fines += g.Fines
	f.Yellow += g.Yellow
	f.Red += g.Red
	f.Closed += g.Closed
	f.Listed += g.Listed
	f.Covered += g.Covered
}

// WithForms returns f with the figures the annual 附件2 and 附件3 carry
// taken from forms: what an accepted report says replaces the records'.
func (f YearFigures) WithForms(forms YearFigures) YearFigures {
	f.Inspections, f.InspectorTimes, f.ExpertTimes = forms.Inspections, forms.InspectorTimes, forms.ExpertTimes
	f.Hazards, f.MajorHazards, f.Orders, f.Penalties, f.Fines = forms.Hazards, forms.MajorHazards, forms.Orders, forms.Penalties, forms.Fines
	f.Yellow, f.Red, f.Closed = forms.Yellow, forms.Red, forms.Closed
	return f
}

// CoveragePermille is the share of the key list inspected, in tenths of a
// percent rounded as a spreadsheet rounds (875 is 87.5%); 0 with nothing
// listed.
func (f YearFigures) CoveragePermille() int { return Permille(f.Covered, f.Listed) }

// CoverageText is the coverage as printed: "87.5%", "—" with nothing listed.
func (f YearFigures) CoverageText() string {
	if f.Listed == 0 {
		return "—"
	}
	p := f.CoveragePermille()
	return fmt.Sprintf("%d.%d%%", p/10, p%10)
}

// Where a unit's figures come from.
const (
	SourceAccepted = "accepted" // its accepted annual report
	SourceRecords  = "records"  // the records: no annual report accepted
)

// EnterpriseYear is one enterprise's figures of the year, from the records.
type EnterpriseYear struct {
	UnitCode string // its reporting unit (city or 沈抚新区)
	Sector   string
	Industry string // the industry's name
	Figures  YearFigures
}

// AcceptedAnnual is what a unit's latest accepted annual report of a
// channel says: the figures of its 年度附件2 and 年度附件3.
type AcceptedAnnual struct {
	UnitCode, Sector string
	SubmissionID     int64
	Version          int
	Figures          YearFigures // the fields the forms carry
}

// UnitFigures is one unit's figures of a channel.
type UnitFigures struct {
	Unit         ReportUnit
	Sector       string
	Source       string // SourceAccepted or SourceRecords
	SubmissionID int64  // the accepted version, when Source is SourceAccepted
	Version      int
	Figures      YearFigures // as the summary counts them
	Records      YearFigures // what the records say now
}

// SourceText says where the row's figures come from, as the page and the
// spreadsheet print it.
func (u UnitFigures) SourceText() string {
	if u.Source == SourceAccepted {
		return fmt.Sprintf("已通过的年度报送（第%d版）", u.Version)
	}
	return "系统记录（年度报送未通过审核）"
}

// SourceShort is SourceText as a table's narrow column prints it:
// "年度报送第2版", "系统记录".
func (u UnitFigures) SourceShort() string {
	if u.Source == SourceAccepted {
		return fmt.Sprintf("年度报送第%d版", u.Version)
	}
	return "系统记录"
}

// Differs reports whether the records now say otherwise than the
// accepted report for a figure the forms carry.
func (u UnitFigures) Differs() bool {
	return u.Source == SourceAccepted && u.Records.WithForms(u.Figures) != u.Records
}

// IndustryFigures is one industry's figures, from the records.
type IndustryFigures struct {
	Industry string
	Sector   string
	Figures  YearFigures
}

// ChannelFigures is one channel's figures: its units' rows added up.
type ChannelFigures struct {
	Sector       string
	Figures      YearFigures
	FromAccepted int // units counted from their accepted annual report
	FromRecords  int // units counted from the records
}

// SourceText says how many units of the channel come from where.
func (c ChannelFigures) SourceText() string {
	return fmt.Sprintf("%d个单位取自已通过的年度报送，%d个单位取自系统记录", c.FromAccepted, c.FromRecords)
}

// ProvinceSummary is the province's own work summary of a channel's year,
// entered and kept by the province.
type ProvinceSummary struct {
	Year      int
	Sector    string
	Text      string
	UpdatedBy string
	UpdatedAt time.Time
}

// MaxProvinceSummaryLen bounds the province's summary text, as a city's.
const MaxProvinceSummaryLen = 20000

// Validate checks the text the province typed; EINVALID with the field
// "text" when it is empty, too long or holds a refused character.
func (p *ProvinceSummary) Validate() error {
	p.Text = strings.TrimSpace(p.Text)
	f := FieldErrors{}
	if !ValidSector(p.Sector) {
		f.Add("sector", "报送渠道应为煤矿或非煤。")
	}
	checkLongText(f, "text", "省级工作总结", p.Text, MaxProvinceSummaryLen, true)
	return f.Err()
}

// AnnualSummary is a campaign year's work summary within a lane.
type AnnualSummary struct {
	Year        int
	Sectors     []string // the channels of the lane, non-coal first
	CoverageDue time.Time
	Units       []UnitFigures     // per unit and channel, in the calendar's order
	Industries  []IndustryFigures // per industry, from the records
	Channels    []ChannelFigures  // per channel of the lane
	Total       YearFigures       // the channels added up
	RecordTotal YearFigures       // the industries added up: the records alone
	Texts       []*Submission     // each unit's work summary as sent (accepted, else latest submitted)
	Province    []ProvinceSummary // the province's own, per channel (province users only)
}

// BuildAnnualSummary lays out the summary of a year: dues are the year's
// annual reports in the lane (they name the units and channels), records
// each enterprise's figures, accepted the units' accepted annual reports
// (the latest version of each); industries orders the industries. A
// record of a unit or channel with no annual report due is left out, so
// the industries add up the same enterprises as the units.
func BuildAnnualSummary(year int, dues []DueReport, records []EnterpriseYear, accepted []AcceptedAnnual, industries []string) *AnnualSummary {
	s := &AnnualSummary{Year: year}
	type key struct{ unit, sector string }
	due := map[key]bool{}
	for _, d := range dues {
		if d.Period.Annual() {
			due[key{d.Unit.Code, d.Sector}] = true
		}
	}
	byUnit := map[key]*YearFigures{}
	byIndustry := map[key]*YearFigures{}
	for _, r := range records {
		k := key{r.UnitCode, r.Sector}
		if !due[k] {
			continue // not a unit and channel of the summary: its figures go nowhere
		}
		if byUnit[k] == nil {
			byUnit[k] = &YearFigures{}
		}
		byUnit[k].Add(r.Figures)
		ik := key{r.Industry, r.Sector}
		if byIndustry[ik] == nil {
			byIndustry[ik] = &YearFigures{}
		}
		byIndustry[ik].Add(r.Figures)
	}
	acc := map[key]AcceptedAnnual{}
	for _, a := range accepted {
		acc[key{a.UnitCode, a.Sector}] = a
	}
	channels := map[string]*ChannelFigures{}
	for _, d := range dues {
		if !d.Period.Annual() {
			continue
		}
		c := channels[d.Sector]
		if c == nil {
			c = &ChannelFigures{Sector: d.Sector}
			channels[d.Sector] = c
		}
		u := UnitFigures{Unit: d.Unit, Sector: d.Sector, Source: SourceRecords}
		if rec := byUnit[key{d.Unit.Code, d.Sector}]; rec != nil {
			u.Records = *rec
		}
		u.Figures = u.Records
		if a, ok := acc[key{d.Unit.Code, d.Sector}]; ok {
			u.Source, u.SubmissionID, u.Version = SourceAccepted, a.SubmissionID, a.Version
			u.Figures = u.Records.WithForms(a.Figures)
			c.FromAccepted++
		} else {
			c.FromRecords++
		}
		c.Figures.Add(u.Figures)
		s.Units = append(s.Units, u)
	}
	for _, sector := range []string{SectorNonCoal, SectorCoal} {
		if c := channels[sector]; c != nil {
			s.Sectors = append(s.Sectors, sector)
			s.Channels = append(s.Channels, *c)
			s.Total.Add(c.Figures)
		}
	}
	for _, sector := range s.Sectors {
		for _, name := range industries {
			if f := byIndustry[key{name, sector}]; f != nil {
				s.Industries = append(s.Industries, IndustryFigures{Industry: name, Sector: sector, Figures: *f})
				s.RecordTotal.Add(*f)
			}
		}
	}
	return s
}

// Channel returns the figures of a channel, or false when it is not in
// the summary.
func (s *AnnualSummary) Channel(sector string) (ChannelFigures, bool) {
	for _, c := range s.Channels {
		if c.Sector == sector {
			return c, true
		}
	}
	return ChannelFigures{}, false
}

// FiguresSentence says a scope's figures in the words of a work summary:
// "检查企业120家次，发现问题和隐患300项（其中重大隐患5项），已整改合格280项；
// 下达整改指令书90份、行政处罚文书12份，罚款36.5万元；黄牌企业8家、红牌企业2家（已关闭1家）"
// followed, when the scope has a key list, by its coverage.
func FiguresSentence(f YearFigures) string {
	s := fmt.Sprintf("检查企业%d家次，出动执法检查人员%d人次、专家%d人次，发现问题和隐患%d项（其中重大隐患%d项），已整改合格%d项；"+
		"下达整改指令书%d份、行政处罚文书%d份，罚款%s万元；纳入“黄牌”名单%d家、“红牌”名单%d家（已关闭%d家）",
		f.Inspections, f.InspectorTimes, f.ExpertTimes, f.Hazards, f.MajorHazards, f.Rectified, f.Orders, f.Penalties,
		f.Fines.Wan(), f.Yellow, f.Red, f.Closed)
	if f.Listed > 0 {
		s += fmt.Sprintf("；重点淘汰行业企业名单内企业%d家，已检查%d家，覆盖率%s", f.Listed, f.Covered, f.CoverageText())
	}
	return s
}
