package taotai

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The province's letters (函) to the coordination office: the
// province-wide first batch of the yellow list by 15 May, and the annual
// work summary by 30 November. The notice has 省应急管理厅 send both, so
// a letter is issued in the name of the year's non-coal province unit.
// Each carries the two channels as two parts: the non-coal enterprises
// from the reports 省应急管理厅 accepted, and the coal mines from those
// 省煤矿安监局 accepted. The parts follow the lanes: a reviewer of one
// channel sees and prints their channel's part only, marked as a part (a
// letter is sent whole, by a user of both channels); the 文号, date and
// free text are the issuer's, entered by a province user of the non-coal
// channel.

// Letter kinds.
const (
	LetterYellowList = "yellow_list"    // 函报全省首批“黄牌”企业名单
	LetterSummary    = "annual_summary" // 报送年度工作总结
)

// CoordinationOffice is the addressee of the province's letters.
const CoordinationOffice = "省淘汰落后产能工作协调小组办公室"

// LetterIssuerSector is the channel whose province unit issues the
// letters: 省应急管理厅's.
const LetterIssuerSector = SectorNonCoal

// LetterKindOf returns the kind a page address names ("yellow-list",
// "summary"), or false.
func LetterKindOf(slug string) (string, bool) {
	switch slug {
	case "yellow-list":
		return LetterYellowList, true
	case "summary":
		return LetterSummary, true
	}
	return "", false
}

// LetterSlug is the name of a letter kind in page addresses.
func LetterSlug(kind string) string {
	if kind == LetterYellowList {
		return "yellow-list"
	}
	return "summary"
}

// LetterKindName names a letter kind.
func LetterKindName(kind string) string {
	if kind == LetterYellowList {
		return "函报全省首批“黄牌”企业名单"
	}
	return "报送年度工作总结"
}

// ProvinceLetter is what the province enters of one of its letters.
type ProvinceLetter struct {
	Year      int
	Kind      string
	DocNumber string    // 文号: 辽应急函〔2020〕15号
	Dated     time.Time // 成文日期; zero: the letter's due day is printed
	Extra     string    // a paragraph of its own, after the generated text
	Contact   string    // 联系人及电话
	UpdatedBy string
	UpdatedAt time.Time
}

// Limits of what the province types into a letter.
const (
	MaxDocNumberLen     = 40
	MaxLetterExtraLen   = 3000
	MaxLetterContactLen = 100
)

// docNumberRe is a 文号: an organ's mark, the year in 〔〕 and a number
// followed by 号 (GB/T 9704-2012: 辽应急函〔2020〕15号).
var docNumberRe = regexp.MustCompile(`^\S+〔(\d{4})〕(\d+)号$`)

// NormalizeDocNumber writes the brackets of a typed 文号 as the standard
// prints them: [2020], ［2020］, (2020), （2020） and 【2020】 become 〔2020〕.
func NormalizeDocNumber(s string) string {
	s = strings.TrimSpace(s)
	return strings.NewReplacer("[", "〔", "]", "〕", "［", "〔", "］", "〕", "【", "〔", "】", "〕", "(", "〔", ")", "〕",
		"（", "〔", "）", "〕").Replace(s)
}

// Validate checks what the province typed for a letter and normalises
// it: the 文号 is required and written 机关代字〔年份〕序号号, the date within
// the system's range, the texts within their limits. EINVALID with the
// fields doc_number, dated, extra and contact.
func (l *ProvinceLetter) Validate() error {
	f := FieldErrors{}
	if l.Kind != LetterYellowList && l.Kind != LetterSummary {
		f.Add("kind", "函件种类不正确。")
	}
	l.DocNumber = NormalizeDocNumber(l.DocNumber)
	l.Extra, l.Contact = strings.TrimSpace(l.Extra), strings.TrimSpace(l.Contact)
	checkText(f, "doc_number", "文号", l.DocNumber, MaxDocNumberLen, true)
	if _, bad := f["doc_number"]; !bad {
		if m := docNumberRe.FindStringSubmatch(l.DocNumber); m == nil {
			f.Add("doc_number", "文号应写成“机关代字〔年份〕序号号”，如：辽应急函〔"+strconv.Itoa(l.Year)+"〕15号。")
		} else if y, _ := strconv.Atoi(m[1]); y < 2000 || y > 2099 {
			f.Add("doc_number", "文号中的年份应在2000至2099年之间。")
		}
	}
	if !l.Dated.IsZero() {
		checkDateRange(f, "dated", "成文日期", l.Dated)
	}
	checkLongText(f, "extra", "补充内容", l.Extra, MaxLetterExtraLen, false)
	checkText(f, "contact", "联系人及电话", l.Contact, MaxLetterContactLen, false)
	return f.Err()
}

// LetterText is a letter laid out as a 函 prints it.
type LetterText struct {
	Issuer      string   // 发文机关: 辽宁省应急管理厅
	DocNumber   string   // 文号; empty until the province enters it
	Title       string   // 标题
	Addressee   string   // 主送机关
	Body        []string // 正文, a paragraph each
	Attachments []string // 附件说明, numbered when more than one
	Signature   string   // 落款: the issuer
	Date        string   // 成文日期: 2020年5月15日
	Contact     string   // 联系人及电话, printed under the date
	Partial     string   // set when the lane holds one channel only: what the page lacks
}

// letterDate is the date a letter prints: the one entered, else its due
// day.
func letterDate(in ProvinceLetter, due time.Time) string {
	d := in.Dated
	if d.IsZero() {
		d = due
	}
	if d.IsZero() {
		return ""
	}
	return DateOf(d).Format("2006年1月2日")
}

// DeadlineDue returns the due day of the year's deadline of key, or zero.
func (c *CampaignYear) DeadlineDue(key string) time.Time {
	for _, d := range c.Deadlines {
		if d.Key == key {
			return d.Due
		}
	}
	return time.Time{}
}

// partialNote says which channel a letter of one channel's lane holds.
func partialNote(sectors []string) string {
	if len(sectors) != 1 {
		return ""
	}
	other := SectorCoal
	if sectors[0] == SectorCoal {
		other = SectorNonCoal
	}
	return fmt.Sprintf("本页只含%s部分（%s），%s部分不在您的管辖渠道内；完整函件须由负责两个渠道的人员（系统管理员）打印报送。",
		SectorName(sectors[0]), ChannelName(sectors[0]), SectorName(other))
}

// YellowEntry is one enterprise of the first batch of the yellow list, as
// its city's accepted first 附件3 names it.
type YellowEntry struct {
	Unit            string // the reporting unit (city)
	Region          string // 地区
	Name, Address   string
	Industry        string
	Rectify         string // 安全生产条件不达标应限期整改内容
	RectifiedInTime string // 是否按期整改合格
}

// YellowPart is one channel's part of the first batch.
type YellowPart struct {
	Sector   string
	Units    int      // the units whose first report is accepted
	Missing  []string // the units due to report with none accepted
	Entries  []YellowEntry
	Receiver string // who compiled it: 省应急管理厅 or 省煤矿安监局
}

// YellowList is the province-wide first batch of the yellow list: the
// yellow-card enterprises of the accepted first reports, per channel in
// the lane.
type YellowList struct {
	Year   int
	Period ReportPeriod
	Parts  []YellowPart
}

// Count is how many enterprises the list holds.
func (l *YellowList) Count() int {
	n := 0
	for _, p := range l.Parts {
		n += len(p.Entries)
	}
	return n
}

// Sectors are the channels of the list's parts.
func (l *YellowList) Sectors() []string {
	out := make([]string, len(l.Parts))
	for i, p := range l.Parts {
		out[i] = p.Sector
	}
	return out
}

// NameCount is a name with a count, in order of first appearance.
type NameCount struct {
	Name  string
	Count int
}

// countBy counts entries by a key, in the order of first appearance.
func countBy(entries []YellowEntry, key func(YellowEntry) string) []NameCount {
	var out []NameCount
	at := map[string]int{}
	for _, e := range entries {
		k := key(e)
		if i, ok := at[k]; ok {
			out[i].Count++
			continue
		}
		at[k] = len(out)
		out = append(out, NameCount{k, 1})
	}
	return out
}

// counts writes counts as "钢铁3家、水泥2家".
func counts(cs []NameCount) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s%d家", c.Name, c.Count)
	}
	return strings.Join(parts, "、")
}

// PartTitle is a part's heading in the attachment: "一、非煤企业（12家，省应急管理厅汇总）".
func (p YellowPart) PartTitle(i int) string {
	what := "非煤企业"
	if p.Sector == SectorCoal {
		what = "煤矿企业"
	}
	return fmt.Sprintf("%s、%s（%d家，%s汇总）", chineseOrdinal(i+1), what, len(p.Entries), receiverOf(p.Sector))
}

func receiverOf(sector string) string {
	if sector == SectorCoal {
		return "省煤矿安监局"
	}
	return "省应急管理厅"
}

func chineseOrdinal(n int) string {
	names := []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	if n >= 1 && n <= len(names) {
		return names[n-1]
	}
	return strconv.Itoa(n)
}

// YellowListTitle is the attachment's title.
func YellowListTitle(year int) string {
	return fmt.Sprintf("%d年全省首批安全生产“黄牌”企业名单", year)
}

// YellowListLetter writes the letter that sends the first batch of the
// yellow list to the coordination office: its 正文 says how many
// enterprises there are by industry, channel and city, that the list is
// published on the government portal, and what the province added.
func YellowListLetter(c *CampaignYear, l *YellowList, in ProvinceLetter) LetterText {
	issuer := c.ProvinceUnit(LetterIssuerSector)
	lt := LetterText{Issuer: issuer, DocNumber: in.DocNumber, Addressee: CoordinationOffice + "：",
		Title:       fmt.Sprintf("%s关于报送%d年全省首批安全生产“黄牌”企业名单的函", issuer, c.Year),
		Attachments: []string{YellowListTitle(c.Year)}, Signature: issuer,
		Date: letterDate(in, c.DeadlineDue("first_publication")), Contact: in.Contact, Partial: partialNote(l.Sectors())}
	lt.Body = append(lt.Body, fmt.Sprintf("按照《%s》工作部署，全省各级应急管理部门和各产煤市煤矿安全监管部门对辖区内钢铁、水泥、电解铝、平板玻璃、煤炭等"+
		"重点淘汰行业企业开展了调查摸底和执法检查，对安全生产条件不达标、应限期整改的企业实施“黄牌”公示。", campaignTitle(c)))
	var all []YellowEntry
	for _, p := range l.Parts {
		all = append(all, p.Entries...)
	}
	if len(all) == 0 {
		lt.Body = append(lt.Body, "经汇总各市首次报送的《安全生产“黄”“红”牌企业名单汇总表》，全省首批暂无“黄牌”企业。")
	} else {
		s := fmt.Sprintf("经汇总各市、沈抚新区首次报送的《安全生产“黄”“红”牌企业名单汇总表》，全省首批安全生产“黄牌”企业共%d家，分布在%d个市（区）；按行业分，%s",
			len(all), len(countBy(all, func(e YellowEntry) string { return e.Unit })), counts(countBy(all, func(e YellowEntry) string { return e.Industry })))
		if len(l.Parts) > 1 {
			var ps []string
			for _, p := range l.Parts {
				ps = append(ps, fmt.Sprintf("%s企业%d家（%s汇总）", SectorName(p.Sector), len(p.Entries), receiverOf(p.Sector)))
			}
			s += "；按监管渠道分，" + strings.Join(ps, "，")
		}
		lt.Body = append(lt.Body, s+"。")
	}
	lt.Body = append(lt.Body, "上述名单同时在省政府门户网站公布。我们将督促各地对“黄牌”企业依法依规责令限期整改，对存在重大事故隐患的企业挂牌督办，"+
		"对逾期未整改或经整改仍不具备安全生产条件的企业纳入“红牌”名单，报请属地人民政府予以关停取缔。")
	if in.Extra != "" {
		lt.Body = append(lt.Body, strings.Split(in.Extra, "\n")...)
	}
	lt.Body = append(lt.Body, "特此函告。")
	lt.Body = trimParagraphs(lt.Body)
	return lt
}

// SummaryLetter writes the letter that sends the province's work summary
// of the year to the coordination office: its 正文 gives the year's
// figures, in all and per channel, and what the province added.
func SummaryLetter(c *CampaignYear, s *AnnualSummary, in ProvinceLetter) LetterText {
	issuer := c.ProvinceUnit(LetterIssuerSector)
	lt := LetterText{Issuer: issuer, DocNumber: in.DocNumber, Addressee: CoordinationOffice + "：",
		Title:       fmt.Sprintf("%s关于报送%d年加强执法检查依法依规推动落后产能退出工作总结的函", issuer, c.Year),
		Attachments: []string{SummaryTitle(c), fmt.Sprintf("%d年度重点淘汰行业执法检查情况统计表（分市、分行业）", c.Year)},
		Signature:   issuer, Date: letterDate(in, c.DeadlineDue("province_summary")), Contact: in.Contact, Partial: partialNote(s.Sectors)}
	lt.Body = append(lt.Body, fmt.Sprintf("按照《%s》要求，全省各级应急管理部门和煤矿安全监管部门以钢铁、水泥、电解铝、平板玻璃、煤炭等行业为重点，"+
		"全面开展安全执法检查，依法依规推动落后产能退出。现将%d年度工作情况函告如下：", campaignTitle(c), c.Year))
	lt.Body = append(lt.Body, "全年共"+FiguresSentence(s.Total)+"。")
	if len(s.Channels) > 1 {
		for _, ch := range s.Channels {
			lt.Body = append(lt.Body, fmt.Sprintf("其中%s（%s汇总）：%s。", map[string]string{SectorNonCoal: "非煤行业", SectorCoal: "煤矿"}[ch.Sector],
				receiverOf(ch.Sector), FiguresSentence(ch.Figures)))
		}
	}
	var from []string
	for _, ch := range s.Channels {
		from = append(from, SectorName(ch.Sector)+"："+ch.SourceText())
	}
	lt.Body = append(lt.Body, "以上数据由各市、沈抚新区报送的年度《重点淘汰行业执法检查统计表》和《安全生产“黄”“红”牌企业名单汇总表》汇总（"+
		strings.Join(from, "；")+"），整改合格数和名单覆盖情况取自执法检查信息系统记录。")
	if in.Extra != "" {
		lt.Body = append(lt.Body, strings.Split(in.Extra, "\n")...)
	}
	lt.Body = append(lt.Body, "工作总结及分市、分行业统计表见附件。", "特此函告。")
	lt.Body = trimParagraphs(lt.Body)
	return lt
}

// SummaryTitle is the title of the province's work summary of a year.
func SummaryTitle(c *CampaignYear) string {
	return fmt.Sprintf("%s%d年加强执法检查依法依规推动落后产能退出工作总结", c.ProvinceUnit(LetterIssuerSector), c.Year)
}

// campaignTitle names the year's work plan as the letters cite it.
func campaignTitle(c *CampaignYear) string {
	return fmt.Sprintf("%s%d年加强执法检查依法依规推动落后产能退出工作方案", c.ProvinceUnit(LetterIssuerSector), c.Year)
}

// trimParagraphs drops empty paragraphs and the spaces around each.
func trimParagraphs(ps []string) []string {
	out := ps[:0]
	for _, p := range ps {
		if p = strings.TrimSpace(p); p != "" && utf8.ValidString(p) {
			out = append(out, p)
		}
	}
	return out
}
