package taotai

import (
	"strconv"
	"strings"
	"time"
)

// Document kinds (执法文书).
const (
	DocSiteRecord = "site_record" // 现场检查记录
	DocStopOrder  = "stop_order"  // 现场处理措施决定书: 责令停产停业整顿 on the spot
	DocRectOrder  = "rect_order"  // 责令限期整改指令书
	DocRecheck    = "recheck"     // 整改复查意见书
	DocPenalty    = "penalty"     // 行政处罚决定书
)

// DocKinds lists the document kinds in the order an inspection issues them.
var DocKinds = []string{DocSiteRecord, DocStopOrder, DocRectOrder, DocRecheck, DocPenalty}

// DocKindName returns the title of a document kind, or the key itself when
// unknown.
func DocKindName(k string) string {
	switch k {
	case DocSiteRecord:
		return "现场检查记录"
	case DocStopOrder:
		return "现场处理措施决定书"
	case DocRectOrder:
		return "责令限期整改指令书"
	case DocRecheck:
		return "整改复查意见书"
	case DocPenalty:
		return "行政处罚决定书"
	case DocPenaltyNotice:
		return "行政处罚告知书"
	}
	return k
}

// IssuedKinds lists what the inspection page issues, in order: the
// documents, with the 行政处罚告知书 before the decision it prepares.
var IssuedKinds = []string{DocSiteRecord, DocStopOrder, DocRectOrder, DocRecheck, DocPenaltyNotice, DocPenalty}

// DocMark returns the 代字 of a document kind in its number (应急责改 …), or
// "" when unknown.
func DocMark(k string) string {
	switch k {
	case DocSiteRecord:
		return "应急检记"
	case DocStopOrder:
		return "应急现决"
	case DocRectOrder:
		return "应急责改"
	case DocRecheck:
		return "应急复查"
	case DocPenalty:
		return "应急罚"
	case DocPenaltyNotice:
		return "应急罚告"
	}
	return ""
}

// Document is an enforcement document issued in an inspection. Its number
// is unique per issuing agency, kind and year.
type Document struct {
	ID           int64
	InspectionID int64
	EnterpriseID int64
	HazardID     int64 // the hazard it concerns; 0 for the whole inspection
	Kind         string
	AgencyID     int64
	AgencyShort  string // 机关简称, e.g. 鞍
	Year         int
	Seq          int
	Number       string // FormatDocNumber(AgencyShort, Kind, Year, Seq)
	IssuedOn     time.Time
	Fine         Yuan   // 罚款, on a penalty decision only
	NoticeID     int64  // the 行政处罚告知书 a penalty decision follows
	StopState    string // a 责令停产停业整顿 it orders: StateStopped or StatePartial; "" for none
	Content      string
	RegionPath   string
	Sector       string
	CreatedAt    time.Time
}

// MaxFine is the largest fine one 行政处罚决定书 can impose: 《中华人民共和国
// 安全生产法》(2021) art. 114 fines a 特别重大事故 up to 2000万元 and, where the
// circumstances are especially serious, two to five times that: 1亿元. (The
// 2014 text in force in early 2020, art. 109, stopped at 2000万元.) Bounding
// each fine also keeps every sum of them far inside an int64.
const MaxFine Yuan = 100_000_000

// MsgFineOverLimit is the refusal of a fine above MaxFine.
const MsgFineOverLimit = "罚款金额超过法定上限：依照《中华人民共和国安全生产法》第一百一十四条，一份行政处罚决定书的罚款最高为1亿元（10000万元），请核对金额及单位（万元）。"

// ValidateText checks what a person typed into a document that needs no
// database: the content's characters and length, and the issue date's
// range (keys: content, issued_on). It trims the content.
func (d *Document) ValidateText() FieldErrors {
	f := FieldErrors{}
	d.Content = strings.TrimSpace(d.Content)
	checkLongText(f, "content", "文书内容", d.Content, MaxDocContentLen, false)
	checkDateRange(f, "issued_on", "文书日期", d.IssuedOn)
	return f
}

// MaxDocContentLen bounds a document's content, in characters.
const MaxDocContentLen = 2000

// FormatDocNumber returns a document number in the national form
// （机关简称）应急＋代字〔年〕序号号, e.g. （鞍）应急责改〔2020〕12号.
func FormatDocNumber(agencyShort, kind string, year, seq int) string {
	return "（" + agencyShort + "）" + DocMark(kind) + "〔" + strconv.Itoa(year) + "〕" + strconv.Itoa(seq) + "号"
}

// docBrackets maps the brackets people type for 〔〕 and （） to ASCII.
var docBrackets = strings.NewReplacer("〔", "[", "〕", "]", "【", "[", "】", "]", "﹝", "[", "﹞", "]")

// ParseDocNumber splits a document number made by FormatDocNumber. It
// tolerates half-width parentheses, [] or 【】 for 〔〕, full-width digits,
// spaces and a missing 号; ok is false for anything else, including 代字
// of kinds this system does not issue.
func ParseDocNumber(s string) (short, kind string, year, seq int, ok bool) {
	t := docBrackets.Replace(compact(s))
	rest, found := strings.CutPrefix(t, "(")
	if !found {
		return "", "", 0, 0, false
	}
	short, rest, found = strings.Cut(rest, ")")
	if !found || short == "" {
		return "", "", 0, 0, false
	}
	mark, rest, found := strings.Cut(rest, "[")
	if !found {
		return "", "", 0, 0, false
	}
	y, n, found := strings.Cut(strings.TrimSuffix(rest, "号"), "]")
	if !found || len(y) != 4 || !allDigits(y) || n == "" || len(n) > 9 || !allDigits(n) {
		return "", "", 0, 0, false
	}
	for _, k := range DocKinds {
		if DocMark(k) == mark {
			year, _ = strconv.Atoi(y)
			seq, _ = strconv.Atoi(n)
			return short, k, year, seq, seq > 0
		}
	}
	return "", "", 0, 0, false
}

// CheckDocumentOrder checks that a document of kind may be issued now in an
// inspection that found inspectionHazards hazards and has already issued
// existing. fine is the amount on the new document and hazardID the hazard
// it concerns (0 for the whole inspection). The rules:
//   - a fine only on a 行政处罚决定书, never negative;
//   - a 责令限期整改指令书 or a 现场处理措施决定书 only when hazards were found;
//   - a 整改复查意见书 only after a 责令限期整改指令书 for the whole inspection
//     or for the same hazard.
//
// A refusal is EINVALID with a Chinese message.
func CheckDocumentOrder(kind string, inspectionHazards int, existing []Document, fine Yuan, hazardID int64) error {
	if DocMark(kind) == "" {
		return Errorf(EINVALID, "请选择文书种类。")
	}
	switch {
	case fine < 0:
		return Errorf(EINVALID, "罚款金额不能为负数。")
	case fine > 0 && kind != DocPenalty:
		return Errorf(EINVALID, "只有行政处罚决定书可以填写罚款金额。")
	case fine > MaxFine:
		return Errorf(EINVALID, MsgFineOverLimit)
	}
	switch kind {
	case DocRectOrder:
		if inspectionHazards <= 0 {
			return Errorf(EINVALID, "检查未发现隐患，不能下达责令限期整改指令书。")
		}
	case DocStopOrder:
		if inspectionHazards <= 0 {
			return Errorf(EINVALID, "检查未发现隐患，不能下达现场处理措施决定书。")
		}
	case DocRecheck:
		if !hasRectOrder(existing, hazardID) {
			return Errorf(EINVALID, "尚未下达责令限期整改指令书，不能出具整改复查意见书。")
		}
	}
	return nil
}

// hasRectOrder reports whether docs hold a rectification order covering
// hazardID: one for the whole inspection, or for that hazard (any order
// when hazardID is 0).
func hasRectOrder(docs []Document, hazardID int64) bool {
	for _, d := range docs {
		if d.Kind == DocRectOrder && (hazardID == 0 || d.HazardID == 0 || d.HazardID == hazardID) {
			return true
		}
	}
	return false
}

// CheckStopState checks the stop order a document carries: a
// 现场处理措施决定书 orders production stopped (the default) or partly
// stopped; a 行政处罚决定书 may order either; no other document does.
func CheckStopState(kind, state string) error {
	switch {
	case state != "" && state != StateStopped && state != StatePartial:
		return Errorf(EINVALID, "请选择责令停产停业整顿的范围：全部停产或局部停产。")
	case state != "" && kind != DocStopOrder && kind != DocPenalty:
		return Errorf(EINVALID, "只有现场处理措施决定书或行政处罚决定书可以责令停产停业整顿。")
	}
	return nil
}
