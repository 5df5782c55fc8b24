package taotai

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The audit trail keeps each change as JSON with the store's keys and
// codes ({"state":"yellow"}, "rect_order") and records by their ids. This
// file reads an entry for people: each field by its Chinese name, each
// value in words (the enums by the names the pages use), and the records
// it names as references the pages look up — within the reader's lane —
// and show by name.

// AuditRef names a record an audit entry points to.
type AuditRef struct {
	Kind string // one of the AuditRef kinds below
	ID   string
}

// Kinds of AuditRef. The lane-bound ones (enterprise, inspection, hazard,
// document, card, user, report, report_lock, report_unit) are named only
// to a reader whose lane holds them.
const (
	RefEnterprise  = "enterprise"
	RefInspection  = "inspection"
	RefHazard      = "hazard"
	RefDocument    = "document"
	RefCard        = "card"     // "enterprise id/year"
	RefUser        = "user"     // an account as a record, by id
	RefActor       = "actor"    // a person who acted, by user id: named to anyone who may read the entry
	RefUsername    = "username" // a person who acted, by username
	RefAgency      = "agency"   // by id
	RefIndustry    = "industry" // by id
	RefIndustryKey = "industry_key"
	RefRegion      = "region" // by code
	RefCriterion   = "criterion"
	RefDeadline    = "deadline"    // "year/key"
	RefReport      = "report"      // a submission, by id
	RefReportLock  = "report_lock" // by id
	RefReportUnit  = "report_unit" // "period/region/sector": one unit's report of a period
)

// AuditObject is what a reader may learn of a referenced record: its name
// and, for the pages' links, what the address needs.
type AuditObject struct {
	Name   string
	Detail string // a second line (a hazard's enterprise) or an address's parts
}

// AuditValue is one value of a field as people read it: a text, or a
// reference whose name is looked up (Text then says what to show when
// the reader may not learn it).
type AuditValue struct {
	Text string
	Ref  AuditRef
}

// IsRef reports whether the value names a record.
func (v AuditValue) IsRef() bool { return v.Ref.Kind != "" }

// AuditField is one field of a record in an entry, before and after.
type AuditField struct {
	Key, Name           string
	Before, After       AuditValue
	HasBefore, HasAfter bool
}

// AuditReading is an audit entry read for people.
type AuditReading struct {
	Object     AuditRef // the record the entry is about (Kind "" when none)
	ObjectText string   // how to name it without a look-up, or its prefix
	Actor      AuditRef // who acted (Kind "" for an anonymous caller)
	Fields     []AuditField
	Unchanged  int  // fields of an update that kept their value
	Raw        bool // the record is not an object: Fields holds its text
}

// Refs returns every reference of the reading, the object's and the
// actor's first.
func (r AuditReading) Refs() []AuditRef {
	var out []AuditRef
	for _, ref := range []AuditRef{r.Object, r.Actor} {
		if ref.Kind != "" {
			out = append(out, ref)
		}
	}
	for _, f := range r.Fields {
		for _, v := range []AuditValue{f.Before, f.After} {
			if v.IsRef() {
				out = append(out, v.Ref)
			}
		}
	}
	return out
}

// AuditEntityName returns the Chinese name of a kind of record in the
// audit trail.
func AuditEntityName(entity string) string {
	if n, ok := auditEntityNames[entity]; ok {
		return n
	}
	return "其他记录"
}

// AuditEntities lists the kinds of record in the audit trail, for the
// filter.
var AuditEntities = []string{"enterprise", "key_list", "inspection", "hazard", "document", "card", "user", "session",
	"industry", "criterion", "region", "campaign_year", "deadline", "form", "reported_form2", "reported_form3",
	"report_submission", "report_lock", "report_due", "province_letter", "province_summary", "audit_log",
	"inspection_plan", "enterprise_safety", "coal_mine_entry", "agency", "penalty_notice", "production_stop", "acceptance"}

var auditEntityNames = map[string]string{
	"enterprise": "企业", "key_list": "重点企业名单", "inspection": "执法检查", "hazard": "隐患", "document": "执法文书",
	"card": "黄/红牌", "user": "用户", "session": "会话", "industry": "重点行业", "criterion": "重大事故隐患判定标准条款",
	"region": "地区", "campaign_year": "年度工作", "deadline": "时间节点", "form": "报表", "reported_form2": "导入的附件2",
	"reported_form3": "导入的附件3", "report_submission": "报送", "report_lock": "报送锁定", "report_due": "报送期限",
	"province_letter": "致协调小组办公室的函", "province_summary": "省级工作总结", "audit_log": "操作日志",
	"inspection_plan": "执法检查计划", "enterprise_safety": "安全生产标准化和双重预防机制",
	"coal_mine_entry": "不符合安全生产条件的煤矿企业清单",
	"agency":          "执法单位", "penalty_notice": "行政处罚告知书", "production_stop": "停产停业整顿",
	"acceptance": "退出验收",
}

// ReadAudit reads an entry: its object, its actor and, for an update, the
// fields whose value changed (Unchanged counts the others); for a record
// created or deleted, every field that holds a value.
func ReadAudit(e *AuditEntry) AuditReading {
	r := AuditReading{}
	r.Object, r.ObjectText = auditObject(e)
	if e.UserID != 0 {
		r.Actor = AuditRef{RefActor, strconv.FormatInt(e.UserID, 10)}
	}
	before, okB := auditRecord(e.Before)
	after, okA := auditRecord(e.After)
	if !okB || !okA {
		// Not a JSON object: shown as it was kept.
		r.Raw = true
		r.Fields = []AuditField{{Key: "", Name: "内容", Before: AuditValue{Text: e.Before}, After: AuditValue{Text: e.After},
			HasBefore: e.Before != "", HasAfter: e.After != ""}}
		return r
	}
	dict := auditDict[auditDictOf(e.Entity, before, after)]
	for _, key := range auditKeys(dict, before, after) {
		spec := auditSpecOf(dict, key)
		b, hasB := before[key]
		a, hasA := after[key]
		f := AuditField{Key: key, Name: spec.name, HasBefore: hasB, HasAfter: hasA}
		if hasB {
			f.Before = spec.value(b)
		}
		if hasA {
			f.After = spec.value(a)
		}
		switch {
		case hasB && hasA && sameJSON(b, a):
			r.Unchanged++
			continue
		case hasB != hasA && spec.says(b, hasB) == "" && spec.says(a, hasA) == "":
			continue // created or deleted without a value here
		}
		r.Fields = append(r.Fields, f)
	}
	return r
}

// auditObject returns the record an entry is about.
func auditObject(e *AuditEntry) (AuditRef, string) {
	id := e.EntityID
	first, rest, _ := strings.Cut(id, "/")
	switch e.Entity {
	case "enterprise", "inspection", "hazard", "document", "user", "industry", "criterion", "region", "deadline":
		kind := map[string]string{"enterprise": RefEnterprise, "inspection": RefInspection, "hazard": RefHazard,
			"document": RefDocument, "user": RefUser, "industry": RefIndustry, "criterion": RefCriterion,
			"region": RefRegion, "deadline": RefDeadline}[e.Entity]
		return AuditRef{kind, id}, ""
	case "card":
		return AuditRef{RefCard, id}, ""
	case "key_list":
		return AuditRef{RefEnterprise, rest}, first + "年名单："
	case "reported_form2", "reported_form3":
		return AuditRef{RefEnterprise, rest}, "导入的" + AuditPeriodName(first) + "报表："
	case "report_submission":
		return AuditRef{RefReport, id}, ""
	case "report_lock":
		return AuditRef{RefReportLock, id}, ""
	case "report_due":
		return AuditRef{RefReportUnit, id}, ""
	case "campaign_year":
		return AuditRef{}, id + "年度"
	case "province_letter":
		return AuditRef{}, first + "年" + LetterKindName(rest)
	case "province_summary":
		return AuditRef{}, first + "年" + SectorName(rest) + "省级工作总结"
	case "form":
		return AuditRef{}, "附件" + id
	case "session":
		return AuditRef{}, "会话" + id
	case "audit_log":
		return AuditRef{}, "操作日志"
	case "inspection_plan":
		return AuditRef{}, "执法检查计划" + id
	case "coal_mine_entry":
		return AuditRef{}, "煤矿企业清单第" + id + "条"
	case "enterprise_safety":
		return AuditRef{RefEnterprise, id}, "安全生产标准化和双重预防机制："
	case "acceptance":
		return AuditRef{RefEnterprise, first}, "退出验收第" + rest + "号："
	}
	return AuditRef{}, id
}

// AuditPeriodName names a reporting period by its key: "2020-06" is
// 2020年6月, "2020" the year's.
func AuditPeriodName(key string) string {
	y, m, ok := strings.Cut(key, "-")
	if !ok {
		return y + "年度"
	}
	n, err := strconv.Atoi(m)
	if err != nil {
		return key
	}
	return y + "年" + strconv.Itoa(n) + "月"
}

// auditRecord parses a kept record: "" is an empty one; ok is false when
// the text is not a JSON object.
func auditRecord(s string) (map[string]any, bool) {
	if s == "" {
		return map[string]any{}, true
	}
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, false
	}
	return m, true
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// emptyJSON reports whether a value says nothing: absent, null, "", 0,
// false, {}.
func emptyJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case json.Number:
		return x.String() == "0"
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// auditKeys returns the keys of both records: the dictionary's first, in
// its order, then any other, sorted.
func auditKeys(dict []auditSpec, before, after map[string]any) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range dict {
		_, b := before[s.key]
		_, a := after[s.key]
		if b || a {
			out = append(out, s.key)
			seen[s.key] = true
		}
	}
	var rest []string
	for _, m := range []map[string]any{before, after} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				rest = append(rest, k)
			}
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// auditSpec is a field of the dictionary: its key, Chinese name and how
// its value reads.
type auditSpec struct {
	key, name string
	value     func(any) AuditValue
}

// says returns what a value says, "" for nothing: absent, null, 0, false,
// {}, or a text that reads as nothing ("" is 全部行业 for a sector).
func (sp auditSpec) says(v any, has bool) string {
	if !has {
		return ""
	}
	if x, ok := v.(string); ok && x == "" {
		return sp.value(v).Text
	}
	if emptyJSON(v) {
		return ""
	}
	return "1"
}

func auditSpecOf(dict []auditSpec, key string) auditSpec {
	for _, s := range dict {
		if s.key == key {
			return s
		}
	}
	return auditSpec{key: key, name: key, value: plainValue}
}

// auditDictOf picks the dictionary of an entry: by its entity, and for a
// change of lane (an enterprise's or an account's move) the lane's.
func auditDictOf(entity string, before, after map[string]any) string {
	_, pb := before["region_path"]
	_, pa := after["region_path"]
	if pb || pa {
		return "lane"
	}
	return entity
}

// Value readers.

func plainValue(v any) AuditValue {
	switch x := v.(type) {
	case nil:
		return AuditValue{}
	case string:
		return AuditValue{Text: x}
	case json.Number:
		return AuditValue{Text: x.String()}
	case bool:
		return AuditValue{Text: yesNo(x)}
	}
	b, _ := json.Marshal(v)
	return AuditValue{Text: string(b)}
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func textOf(v any) string { return plainValue(v).Text }

// enumValue reads a code through a name function; "" stays empty.
func enumValue(name func(string) string) func(any) AuditValue {
	return func(v any) AuditValue {
		s := textOf(v)
		if s == "" {
			return AuditValue{}
		}
		return AuditValue{Text: name(s)}
	}
}

func boolValue(v any) AuditValue {
	if b, ok := v.(bool); ok {
		return AuditValue{Text: yesNo(b)}
	}
	return plainValue(v)
}

// refValue reads an id as a reference of kind; 0 and "" are no record.
func refValue(kind, label string) func(any) AuditValue {
	return func(v any) AuditValue {
		id := textOf(v)
		if id == "" || id == "0" {
			return AuditValue{}
		}
		return AuditValue{Text: label + "（编号" + id + "）", Ref: AuditRef{kind, id}}
	}
}

func regionValue(v any) AuditValue {
	code := textOf(v)
	if code == "" {
		return AuditValue{}
	}
	return AuditValue{Text: code, Ref: AuditRef{RefRegion, code}}
}

// pathValue reads a region path ("/210000/210300/") as its last region.
func pathValue(v any) AuditValue {
	parts := strings.Split(strings.Trim(textOf(v), "/"), "/")
	return regionValue(parts[len(parts)-1])
}

func sectorValue(v any) AuditValue { return AuditValue{Text: SectorName(textOf(v))} }

func yuanValue(v any) AuditValue {
	n, err := strconv.ParseInt(textOf(v), 10, 64)
	if err != nil {
		return plainValue(v)
	}
	return AuditValue{Text: fmt.Sprintf("%s万元（%d元）", Yuan(n).Wan(), n)}
}

// timeValue reads an instant (RFC 3339, or the audit's own format) as
// Shanghai time to the minute; a date stays a date.
func timeValue(v any) AuditValue {
	s := textOf(v)
	for _, layout := range []string{time.RFC3339Nano, AuditTimeFormat, time.DateTime} {
		if t, err := time.Parse(layout, s); err == nil {
			if layout == time.DateTime {
				return AuditValue{Text: t.Format("2006-01-02 15:04")}
			}
			return AuditValue{Text: t.In(Shanghai).Format("2006-01-02 15:04")}
		}
	}
	return AuditValue{Text: s}
}

func periodValue(v any) AuditValue {
	s := textOf(v)
	if s == "" {
		return AuditValue{}
	}
	return AuditValue{Text: AuditPeriodName(s)}
}

func yearValue(v any) AuditValue {
	s := textOf(v)
	if s == "" || s == "0" {
		return AuditValue{}
	}
	return AuditValue{Text: s + "年"}
}

// formsValue reads a report's files (附件 → SHA-256) as their names.
func formsValue(v any) AuditValue {
	m, ok := v.(map[string]any)
	if !ok {
		return plainValue(v)
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return AuditValue{Text: "无"}
	}
	return AuditValue{Text: strings.Join(names, "、") + "（已存档，附校验值）"}
}

func industryKeyValue(v any) AuditValue {
	key := textOf(v)
	if key == "" {
		return AuditValue{Text: "全部行业"}
	}
	return AuditValue{Text: "行业（" + key + "）", Ref: AuditRef{RefIndustryKey, key}}
}

func usernameValue(v any) AuditValue {
	name := textOf(v)
	if name == "" {
		return AuditValue{}
	}
	return AuditValue{Text: name, Ref: AuditRef{RefUsername, name}}
}

func spec(key, name string, value func(any) AuditValue) auditSpec { return auditSpec{key, name, value} }

// auditDict names the fields of each kind of record, in the order the
// pages show them, with how each value reads.
var auditDict = map[string][]auditSpec{
	"enterprise": {
		spec("name", "企业名称", plainValue), spec("credit_code", "统一社会信用代码", plainValue),
		spec("credit_code_confirmed", "代码已核对营业执照", boolValue), spec("address", "所在地址", plainValue),
		spec("region_code", "所在地区", regionValue), spec("industry_id", "所属行业", refValue(RefIndustry, "行业")),
		spec("production_state", "生产状态", enumValue(ProductionStateName)), spec("legal_rep", "法定代表人", plainValue),
		spec("contact_person", "联系人", plainValue), spec("contact_phone", "联系电话", plainValue), spec("version", "版本号", plainValue),
		spec("coal_override", "非产煤市登记煤炭企业的理由", plainValue),
	},
	"lane": {
		spec("region_code", "所在地区", regionValue), spec("region_path", "管辖范围", pathValue), spec("sector", "行业类别", sectorValue),
	},
	"key_list": {
		spec("year", "年度", yearValue), spec("enterprise_id", "企业", refValue(RefEnterprise, "企业")), spec("note", "备注", plainValue),
	},
	"inspection": {
		spec("enterprise_id", "被检查企业", refValue(RefEnterprise, "企业")), spec("date", "检查日期", plainValue),
		spec("agency_id", "检查单位", refValue(RefAgency, "单位")), spec("kind", "检查类型", enumValue(InspectionKindName)),
		spec("inspectors", "执法人员", plainValue), spec("inspector_count", "执法检查人员数量（人次）", plainValue),
		spec("expert_count", "参与检查专家数量（人次）", plainValue), spec("findings", "检查发现", plainValue),
	},
	"hazard": {
		spec("inspection_id", "所属检查", refValue(RefInspection, "检查")), spec("description", "隐患描述", plainValue),
		spec("place", "隐患部位", plainValue), spec("level", "隐患级别", enumValue(HazardLevelName)),
		spec("criterion_id", "判定标准条款", refValue(RefCriterion, "条款")), spec("deadline", "整改期限", plainValue),
		spec("status", "状态", enumValue(HazardStatusName)), spec("supervised", "挂牌督办", boolValue),
		spec("responsible", "整改责任人", plainValue), spec("measures", "整改措施", plainValue), spec("funds", "整改资金", yuanValue),
		spec("guarantee_deadline", "整改完成时限", plainValue), spec("plan", "应急预案", plainValue),
		spec("recheck_date", "复查日期", plainValue),
	},
	"document": {
		spec("number", "文书编号", plainValue), spec("kind", "文书种类", enumValue(DocKindName)),
		spec("inspection_id", "所属检查", refValue(RefInspection, "检查")), spec("hazard_id", "所涉隐患", refValue(RefHazard, "隐患")),
		spec("issued_on", "下达日期", plainValue), spec("fine_yuan", "罚款金额", yuanValue),
		spec("notice_id", "依据的行政处罚告知书", plainValue), spec("stop_state", "责令停产停业整顿", enumValue(StopStateName)),
	},
	"penalty_notice": {
		spec("number", "文书编号", plainValue), spec("inspection_id", "所属检查", refValue(RefInspection, "检查")),
		spec("issued_on", "下达日期", plainValue), spec("fine_yuan", "拟罚款金额", yuanValue),
		spec("stop_state", "拟责令停产停业整顿", enumValue(StopStateName)), spec("hearing", "告知听证权利", boolValue),
		spec("statement_until", "陈述申辩期限", plainValue), spec("hearing_until", "申请听证期限", plainValue),
		spec("waived", "当事人书面放弃陈述申辩", boolValue),
	},
	"production_stop": {
		spec("document_id", "停产整顿文书", refValue(RefDocument, "文书")), spec("state", "停产范围", enumValue(StopStateName)),
		spec("from", "停产起始日期", plainValue), spec("lifted_on", "解除日期", plainValue), spec("lift_reason", "解除依据", plainValue),
	},
	"card": {
		spec("state", "状态", enumValue(CardStateName)), spec("reason", "原因", enumValue(CardReasonName)),
		spec("rectify", "应限期整改内容", plainValue), spec("deadline", "整改期限", plainValue),
		spec("rectified_in_time", "是否按期整改合格", boolValue), spec("closure_basis", "拟关闭/关闭依据", plainValue),
		spec("reported_on", "报请属地人民政府", plainValue), spec("closed_on", "关闭日期", plainValue),
		spec("closure_evidence", "关闭证明", plainValue), spec("verified_by", "核实人", plainValue),
		spec("accepted_on", "验收日期", plainValue), spec("acceptance_members", "验收人员", plainValue),
		spec("acceptance_findings", "验收意见", plainValue), spec("at", "时间", timeValue),
	},
	"user": {
		spec("username", "用户名", plainValue), spec("display_name", "姓名", plainValue), spec("role", "角色", enumValue(RoleName)),
		spec("agency_id", "所属单位", refValue(RefAgency, "单位")), spec("region_code", "所在地区", regionValue),
		spec("sector", "行业类别", sectorValue), spec("must_change_password", "下次登录须修改密码", boolValue),
		spec("disabled", "已停用", boolValue), spec("totp", "动态口令", boolValue),
	},
	"session": {spec("user_id", "用户", refValue(RefUser, "用户"))},
	"industry": {
		spec("Name", "行业名称", plainValue), spec("Key", "标识", plainValue), spec("Sector", "行业类别", sectorValue),
		spec("GBCodes", "国民经济行业分类代码", plainValue), spec("Sort", "排序", plainValue), spec("ID", "编号", plainValue),
	},
	"criterion": {
		spec("IndustryKey", "适用行业", industryKeyValue), spec("Standard", "判定标准", plainValue), spec("Article", "条款", plainValue),
		spec("Text", "条款内容", plainValue), spec("Active", "启用", boolValue), spec("InForceFrom", "施行日期", plainValue),
		spec("InForceTo", "失效日期", plainValue), spec("Verified", "已核对原文", boolValue), spec("ID", "编号", plainValue),
	},
	"region":        {spec("coal_producing", "产煤市", boolValue)},
	"agency":        {spec("name", "单位名称", plainValue), spec("short_name", "机关简称", plainValue)},
	"deadline":      {spec("start", "开始日期", plainValue), spec("due", "截止日期", plainValue), spec("cutoff", "统计截止日期", plainValue)},
	"campaign_year": {spec("year", "年度", yearValue), spec("title", "名称", plainValue), spec("copied_from", "参照年度", yearValue)},
	"inspection_plan": {
		spec("year", "年度", yearValue), spec("region", "执法部门所在地区", regionValue), spec("sector", "行业类别", sectorValue),
		spec("state", "状态", enumValue(PlanStateName)), spec("scheme", "检查方案", plainValue), spec("months", "计划检查月份（按企业编号）", plainValue),
		spec("files", "检查方案文件", plainValue), spec("return_reason", "退回理由", plainValue),
	},
	"acceptance": {
		spec("year", "年度", yearValue), spec("basis", "验收依据", enumValue(AcceptBasisName)),
		spec("exit_department", "退出产能的行业主管部门", plainValue), spec("exit_document", "退出文件或依据", plainValue),
		spec("exited_on", "退出日期", plainValue), spec("members", "验收组成员", plainValue), spec("signoffs", "各部门签署意见", plainValue),
		spec("findings", "验收意见", plainValue), spec("accepted_on", "验收日期", plainValue), spec("passed", "验收通过", boolValue),
		spec("reason", "办理理由", plainValue), spec("files", "验收材料", plainValue),
	},
	"enterprise_safety": {
		spec("grade", "安全生产标准化等级", enumValue(GradeName)), spec("graded_on", "定级日期", plainValue),
		spec("dual_prevention", "双重预防机制已建立", boolValue), spec("dual_built_on", "建立日期", plainValue),
	},
	"coal_mine_entry": {
		spec("year", "年度", yearValue), spec("enterprise_id", "煤矿企业", refValue(RefEnterprise, "企业")),
		spec("conditions", "不符合安全生产条件的情形", plainValue), spec("measure", "采取的措施", plainValue),
		spec("state", "整改状态", enumValue(CoalStateName)),
	},
	"report_submission": {
		spec("period", "报告期", periodValue), spec("region", "填报单位", regionValue), spec("sector", "行业类别", sectorValue),
		spec("version", "版本", plainValue), spec("state", "状态", enumValue(SubmissionStateName)), spec("zero", "零报告", boolValue),
		spec("person", "填报人", plainValue), spec("phone", "联系电话", plainValue), spec("forms", "报表", formsValue),
		spec("files", "附件", formsValue), spec("note", "审核意见", plainValue),
	},
	"report_lock": {
		spec("PeriodKey", "报告期", periodValue), spec("RegionCode", "填报单位", regionValue), spec("Sector", "行业类别", sectorValue),
		spec("SubmissionID", "审核通过的报送", refValue(RefReport, "报送")), spec("Version", "版本", plainValue),
		spec("By", "审核人", usernameValue), spec("At", "锁定时间", timeValue), spec("ID", "编号", plainValue),
	},
	"report_due": {spec("due_at", "报送期限", timeValue)},
	"province_letter": {
		spec("doc_number", "文号", plainValue), spec("dated", "成文日期", plainValue), spec("extra", "补充段落", plainValue),
		spec("contact", "联系人及电话", plainValue),
	},
	"province_summary": {spec("text", "工作总结", plainValue)},
	"reported_form2": {
		spec("Name", "企业名称", plainValue), spec("Address", "所在地址", plainValue), spec("Inspections", "检查企业次数", plainValue),
		spec("InspectorTimes", "执法检查人员数量（人次）", plainValue), spec("ExpertTimes", "参与检查专家数量（人次）", plainValue),
		spec("Hazards", "发现问题和隐患数", plainValue), spec("MajorHazards", "发现重大隐患数", plainValue),
		spec("Orders", "下达整改指令书（份）", plainValue), spec("Penalties", "下达行政处罚文书（份）", plainValue),
		spec("Fines", "行政罚款总数", yuanValue), spec("Note", "备注", plainValue),
	},
	"reported_form3": {
		spec("Region", "地区", plainValue), spec("Name", "企业名称", plainValue), spec("Address", "地址", plainValue),
		spec("Industry", "行业", plainValue), spec("Rectify", "安全生产条件不达标应限期整改内容", plainValue),
		spec("RectifiedInTime", "是否按期整改合格", plainValue), spec("Card", "黄/红牌", plainValue),
		spec("Basis", "拟关闭/关闭依据", plainValue), spec("Closed", "是否已关闭", plainValue),
	},
}
