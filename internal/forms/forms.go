// Package forms reads and writes the notice's three official forms as
// .xlsx laid out like its attachments: 附件1 重点淘汰行业企业名单, 附件2
// 重点淘汰行业执法检查统计表, 附件3 安全生产"黄""红"牌企业名单汇总表. It does
// no database access: the store gives it rows, and it gives rows back.
package forms

import (
	"strings"

	"taotai"
)

// Form numbers.
const (
	Form1 = 1 // 附件1 重点淘汰行业企业名单
	Form2 = 2 // 附件2 重点淘汰行业执法检查统计表
	Form3 = 3 // 附件3 安全生产“黄”“红”牌企业名单汇总表
)

// Header is the line under the title:
// 填报单位：（公章）  填报人：  联系电话：  填报日期：
type Header struct {
	Unit   string // 填报单位 (the submitting agency)
	Person string // 填报人
	Phone  string // 联系电话
	Date   string // 填报日期, "2020年5月11日"
	// Period names the period in 附件2's and 附件3's titles: "5月" (or "5")
	// for 重点淘汰行业执法检查统计表（5月）, "年度" for the annual table.
	Period string
	// Span names the period's days ("2020年5月12日至6月25日"), printed in a
	// line under 附件2's and 附件3's notes; empty: no such line.
	Span string
}

// SpanNote is the line that names a period's days under 附件2 and 附件3.
func SpanNote(span string) string {
	return "统计期间：" + span + "。"
}

// Row1 is one row of 附件1: 序号, 企业名称, 所在地址, 所属行业, 备注 (the
// production state). CreditCode is the 统一社会信用代码 column a city may
// add; it is not part of the notice's layout and is written only when
// asked.
type Row1 struct {
	Name, Address, Industry, Note string
	CreditCode                    string
}

// Row2 is one row of 附件2, counted from the inspection records.
type Row2 struct {
	Name, Address  string
	Inspections    int         // 检查企业次数
	InspectorTimes int         // 执法检查人员数量（人次）
	ExpertTimes    int         // 参与检查专家数量（人次）
	Hazards        int         // 发现问题和隐患数
	MajorHazards   int         // 发现重大隐患数
	Orders         int         // 下达整改指令书（份）
	Penalties      int         // 下达行政处罚文书（份）
	Fines          taotai.Yuan // 行政罚款总数（万元）, kept exactly
	Note           string      // 备注: the major hazards and their deadlines
}

// Row3 is one row of 附件3, filled from the card history.
type Row3 struct {
	Region, Name, Address, Industry string
	Rectify                         string // 安全生产条件不达标应限期整改内容
	RectifiedInTime                 string // 是否按期整改合格: 是/否
	Card                            string // 黄/红牌: 黄牌/红牌
	Basis                           string // 拟关闭/关闭依据
	Closed                          string // 是否已关闭: 是/否
}

// Titles and column texts, exactly as the notice prints them.
var (
	Title1   = "重点淘汰行业企业名单"
	Columns1 = []string{"序号", "企业名称", "所在地址", "所属行业", "备注"}
	Notes1   = []string{"注：备注中填写企业目前生产状态：“正常生产”、“局部生产”或“停产”。"}

	Title2   = "重点淘汰行业执法检查统计表（%s）" // %s: "5月", "6月" … or "年度"
	Columns2 = []string{"序号", "企业名称", "所在地址", "检查企业次数", "执法检查人员数量（人次）", "参与检查专家数量（人次）",
		"发现问题和隐患数", "发现重大隐患数", "下达整改指令书（份）", "下达行政处罚文书（份）", "行政罚款总数（万元）", "备注"}
	Notes2 = []string{"注：1.本表5月11日前报送，6至9月每月25日前报送（仅报当月执法检查情况），11月20日前报送年度汇总表。",
		"2.如企业存在重大隐患，请说明隐患内容及责令整改期限。"}

	Title3   = "安全生产“黄”“红”牌企业名单汇总表" // the notice's title; Title3Of adds the period
	Columns3 = []string{"序号", "地区", "企业名称", "地址", "行业", "安全生产条件不达标应限期整改内容", "是否按期整改合格",
		"黄/红牌", "拟关闭/关闭依据", "是否已关闭"}
)

// HeaderLine is the text of the line under the title.
func (h Header) HeaderLine() string {
	return strings.Join(h.headerParts(), headerGap)
}

// headerParts are the four parts of the line under the title.
func (h Header) headerParts() []string {
	return []string{"填报单位：" + h.Unit + "（公章）", "填报人：" + h.Person, "联系电话：" + h.Phone, "填报日期：" + h.Date}
}

// headerGap is the room between the parts of the line under the title.
const headerGap = "    "

// Add adds r's counts and fines to t, for 附件2's 合计 row.
func (t *Row2) Add(r Row2) {
	t.Inspections += r.Inspections
	t.InspectorTimes += r.InspectorTimes
	t.ExpertTimes += r.ExpertTimes
	t.Hazards += r.Hazards
	t.MajorHazards += r.MajorHazards
	t.Orders += r.Orders
	t.Penalties += r.Penalties
	t.Fines += r.Fines
}
