package taotai_test

import (
	"testing"

	"taotai"
)

func TestDocKinds(t *testing.T) {
	tests := []struct {
		kind, name, mark string
	}{
		{taotai.DocSiteRecord, "现场检查记录", "应急检记"},
		{taotai.DocStopOrder, "现场处理措施决定书", "应急现决"},
		{taotai.DocRectOrder, "责令限期整改指令书", "应急责改"},
		{taotai.DocRecheck, "整改复查意见书", "应急复查"},
		{taotai.DocPenalty, "行政处罚决定书", "应急罚"},
	}
	if len(taotai.DocKinds) != len(tests) {
		t.Fatalf("DocKinds = %v", taotai.DocKinds)
	}
	for _, tt := range tests {
		if got := taotai.DocKindName(tt.kind); got != tt.name {
			t.Errorf("DocKindName(%q) = %q, want %q", tt.kind, got, tt.name)
		}
		if got := taotai.DocMark(tt.kind); got != tt.mark {
			t.Errorf("DocMark(%q) = %q, want %q", tt.kind, got, tt.mark)
		}
	}
	if taotai.DocMark("notice") != "" {
		t.Error("an unknown kind has no mark")
	}
}

func TestFormatDocNumber(t *testing.T) {
	tests := []struct {
		name  string
		short string
		kind  string
		year  int
		seq   int
		want  string
	}{
		{"rectification order", "鞍", taotai.DocRectOrder, 2020, 12, "（鞍）应急责改〔2020〕12号"},
		{"penalty", "鞍", taotai.DocPenalty, 2024, 12, "（鞍）应急罚〔2024〕12号"},
		{"re-check", "沈", taotai.DocRecheck, 2020, 1, "（沈）应急复查〔2020〕1号"},
		{"on-the-spot decision", "抚", taotai.DocStopOrder, 2020, 305, "（抚）应急现决〔2020〕305号"},
		{"site record", "辽", taotai.DocSiteRecord, 2021, 7, "（辽）应急检记〔2021〕7号"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := taotai.FormatDocNumber(tt.short, tt.kind, tt.year, tt.seq)
			if got != tt.want {
				t.Fatalf("FormatDocNumber = %q, want %q", got, tt.want)
			}
			short, kind, year, seq, ok := taotai.ParseDocNumber(got)
			if !ok || short != tt.short || kind != tt.kind || year != tt.year || seq != tt.seq {
				t.Fatalf("ParseDocNumber(%q) = %q, %q, %d, %d, %v", got, short, kind, year, seq, ok)
			}
		})
	}
}

func TestParseDocNumber(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"canonical", "（鞍）应急责改〔2020〕12号", true},
		{"half-width parentheses", "(鞍)应急责改〔2020〕12号", true},
		{"square brackets", "（鞍）应急责改[2020]12号", true},
		{"full-width square brackets", "（鞍）应急责改［2020］12号", true},
		{"lenticular brackets", "（鞍）应急责改【2020】12号", true},
		{"spaces and full-width digits", " （鞍） 应急责改 〔２０２０〕 １２ 号 ", true},
		{"no 号", "(鞍)应急责改[2020]12", true},
		{"no agency", "（）应急责改〔2020〕12号", false},
		{"no parentheses", "鞍应急责改〔2020〕12号", false},
		{"unknown mark", "（鞍）应急罚告〔2020〕12号", false},
		{"no mark", "（鞍）〔2020〕12号", false},
		{"two-digit year", "（鞍）应急责改〔20〕12号", false},
		{"no brackets", "（鞍）应急责改2020 12号", false},
		{"no sequence", "（鞍）应急责改〔2020〕号", false},
		{"zero sequence", "（鞍）应急责改〔2020〕0号", false},
		{"letters in sequence", "（鞍）应急责改〔2020〕十二号", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			short, kind, year, seq, ok := taotai.ParseDocNumber(tt.in)
			if ok != tt.ok {
				t.Fatalf("ParseDocNumber(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if ok && (short != "鞍" || kind != taotai.DocRectOrder || year != 2020 || seq != 12) {
				t.Fatalf("ParseDocNumber(%q) = %q, %q, %d, %d", tt.in, short, kind, year, seq)
			}
		})
	}
}

func TestCheckDocumentOrder(t *testing.T) {
	rect := taotai.Document{Kind: taotai.DocRectOrder}
	rectFor7 := taotai.Document{Kind: taotai.DocRectOrder, HazardID: 7}
	record := taotai.Document{Kind: taotai.DocSiteRecord}
	tests := []struct {
		name     string
		kind     string
		hazards  int
		existing []taotai.Document
		fine     taotai.Yuan
		hazardID int64
		msg      string // "" when allowed
	}{
		{"site record, nothing found", taotai.DocSiteRecord, 0, nil, 0, 0, ""},
		{"rectification order, hazards found", taotai.DocRectOrder, 2, []taotai.Document{record}, 0, 0, ""},
		{"rectification order, no hazards", taotai.DocRectOrder, 0, nil, 0, 0, "检查未发现隐患，不能下达责令限期整改指令书。"},
		{"stop order, hazards found", taotai.DocStopOrder, 1, nil, 0, 3, ""},
		{"stop order, no hazards", taotai.DocStopOrder, 0, nil, 0, 0, "检查未发现隐患，不能下达现场处理措施决定书。"},
		{"re-check after an order", taotai.DocRecheck, 1, []taotai.Document{record, rect}, 0, 0, ""},
		{"re-check of a hazard after an order for the inspection", taotai.DocRecheck, 1, []taotai.Document{rect}, 0, 7, ""},
		{"re-check of a hazard after its own order", taotai.DocRecheck, 2, []taotai.Document{rectFor7}, 0, 7, ""},
		{"re-check of the inspection after a hazard's order", taotai.DocRecheck, 2, []taotai.Document{rectFor7}, 0, 0, ""},
		{"re-check without an order", taotai.DocRecheck, 1, []taotai.Document{record}, 0, 0, "尚未下达责令限期整改指令书，不能出具整改复查意见书。"},
		{"re-check of a hazard after another hazard's order", taotai.DocRecheck, 2, []taotai.Document{rectFor7}, 0, 8, "尚未下达责令限期整改指令书"},
		{"penalty with a fine", taotai.DocPenalty, 1, nil, 30000, 0, ""},
		{"penalty without a fine (warning)", taotai.DocPenalty, 0, nil, 0, 0, ""},
		{"penalty with a negative fine", taotai.DocPenalty, 1, nil, -1, 0, "罚款金额不能为负数。"},
		{"penalty at the legal maximum (1亿元)", taotai.DocPenalty, 1, nil, 100_000_000, 0, ""},
		{"penalty above the legal maximum", taotai.DocPenalty, 1, nil, 100_000_001, 0, "罚款金额超过法定上限"},
		{"the largest amount a form accepts", taotai.DocPenalty, 1, nil, 99_999_999_999_999, 0, "罚款金额超过法定上限"},
		{"fine on an order", taotai.DocRectOrder, 1, nil, 1000, 0, "只有行政处罚决定书可以填写罚款金额。"},
		{"fine on a site record", taotai.DocSiteRecord, 1, nil, 1, 0, "只有行政处罚决定书可以填写罚款金额。"},
		{"fine on a stop order", taotai.DocStopOrder, 1, nil, 1, 0, "只有行政处罚决定书可以填写罚款金额。"},
		{"fine on a re-check", taotai.DocRecheck, 1, []taotai.Document{rect}, 1, 0, "只有行政处罚决定书可以填写罚款金额。"},
		{"unknown kind", "notice", 1, nil, 0, 0, "请选择文书种类。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := taotai.CheckDocumentOrder(tt.kind, tt.hazards, tt.existing, tt.fine, tt.hazardID)
			checkErr(t, err, "", tt.msg)
		})
	}
}
