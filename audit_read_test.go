package taotai

import (
	"regexp"
	"strings"
	"testing"
)

// rawCode matches a code a person should not read: a lower-case ASCII word
// of three letters or more, or one with an underscore.
var rawCode = regexp.MustCompile(`[a-z]{3,}|[a-z]+_[a-z]+`)

// fieldText flattens a reading for the assertions: "名：前→后" per field.
func fieldText(r AuditReading) map[string]string {
	out := map[string]string{}
	for _, f := range r.Fields {
		out[f.Name] = f.Before.Text + "→" + f.After.Text
	}
	return out
}

func TestReadAuditCardChange(t *testing.T) {
	e := &AuditEntry{Entity: "card", EntityID: "49/2020", UserID: 7, Action: AuditState,
		Before: `{"state":"yellow","reason":"major_hazard","rectify":"整改高炉","deadline":"2020-05-30","rectified_in_time":false,"closure_basis":"","reported_on":"","closed_on":"","closure_evidence":"","verified_by":"","accepted_on":"","acceptance_members":"","acceptance_findings":""}`,
		After:  `{"state":"red","reason":"overdue","rectify":"整改高炉","deadline":"2020-05-30","rectified_in_time":false,"closure_basis":"《安全生产法》第六十二条","reported_on":"","closed_on":"","closure_evidence":"","verified_by":"","accepted_on":"","acceptance_members":"","acceptance_findings":""}`}
	r := ReadAudit(e)
	got := fieldText(r)
	want := map[string]string{"状态": "黄牌→红牌", "原因": "存在重大事故隐患→逾期未整改", "拟关闭/关闭依据": "→《安全生产法》第六十二条"}
	if len(got) != len(want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if r.Unchanged != 10 {
		t.Errorf("unchanged %d, want 10", r.Unchanged)
	}
	if r.Object != (AuditRef{RefCard, "49/2020"}) || r.Actor != (AuditRef{RefActor, "7"}) {
		t.Errorf("object %v actor %v", r.Object, r.Actor)
	}
	for _, f := range r.Fields {
		for _, s := range []string{f.Name, f.Before.Text, f.After.Text} {
			if rawCode.MatchString(s) {
				t.Errorf("a raw code in %q", s)
			}
		}
	}
	// The first card of the bulk loader: no reason before.
	r = ReadAudit(&AuditEntry{Entity: "card", EntityID: "1/2020", Before: `{"state":"none","at":""}`,
		After: `{"state":"yellow","reason":"major_hazard","at":"2020-05-29 13:00:00"}`})
	got = fieldText(r)
	if got["状态"] != "无→黄牌" || got["原因"] != "→存在重大事故隐患" || got["时间"] != "→2020-05-29 13:00" {
		t.Errorf("the bulk loader's card: %v", got)
	}
}

func TestReadAuditCreations(t *testing.T) {
	tests := []struct {
		name   string
		e      AuditEntry
		want   map[string]string
		refs   []AuditRef
		object AuditRef
		text   string
	}{
		{"a document", AuditEntry{Entity: "document", EntityID: "12",
			After: `{"number":"（鞍）应急责改〔2020〕1号","kind":"rect_order","inspection_id":3,"hazard_id":0,"issued_on":"2020-05-09","fine_yuan":0}`},
			map[string]string{"文书编号": "→（鞍）应急责改〔2020〕1号", "文书种类": "→责令限期整改指令书", "所属检查": "→检查（编号3）", "下达日期": "→2020-05-09"},
			[]AuditRef{{RefDocument, "12"}, {RefInspection, "3"}}, AuditRef{RefDocument, "12"}, ""},
		{"a penalty", AuditEntry{Entity: "document", EntityID: "13", After: `{"kind":"penalty","fine_yuan":12345}`},
			map[string]string{"文书种类": "→行政处罚决定书", "罚款金额": "→1.2345万元（12345元）"}, nil, AuditRef{RefDocument, "13"}, ""},
		{"a key-list entry", AuditEntry{Entity: "key_list", EntityID: "2020/5", After: `{"year":2020,"enterprise_id":5,"note":"停产"}`},
			map[string]string{"年度": "→2020年", "企业": "→企业（编号5）", "备注": "→停产"}, nil, AuditRef{RefEnterprise, "5"}, "2020年名单："},
		{"an account", AuditEntry{Entity: "user", EntityID: "9", UserID: 1,
			Before: `{"username":"wl","display_name":"王丽","role":"city_clerk","agency_id":2,"region_code":"210300","sector":"noncoal","must_change_password":false}`,
			After:  `{"username":"wl","display_name":"王丽","role":"city_approver","agency_id":3,"region_code":"210302","sector":"noncoal","must_change_password":false}`},
			map[string]string{"角色": "市级填报→市级审核", "所属单位": "单位（编号2）→单位（编号3）", "所在地区": "210300→210302"},
			[]AuditRef{{RefUser, "9"}, {RefActor, "1"}, {RefAgency, "2"}, {RefAgency, "3"}, {RefRegion, "210300"}, {RefRegion, "210302"}},
			AuditRef{RefUser, "9"}, ""},
		{"an enterprise's move", AuditEntry{Entity: "enterprise", EntityID: "4", Action: AuditMove,
			Before: `{"region_code":"210302","region_path":"/210000/210300/210302/","sector":"noncoal"}`,
			After:  `{"region_code":"210902","region_path":"/210000/210900/210902/","sector":"noncoal"}`},
			map[string]string{"所在地区": "210302→210902", "管辖范围": "210302→210902"}, nil, AuditRef{RefEnterprise, "4"}, ""},
		{"a hazard's re-check", AuditEntry{Entity: "hazard", EntityID: "8", Before: `{"status":"rectifying"}`,
			After: `{"status":"passed","recheck_date":"2020-06-01"}`},
			map[string]string{"状态": "整改中→复查合格", "复查日期": "→2020-06-01"}, nil, AuditRef{RefHazard, "8"}, ""},
		{"a report lock", AuditEntry{Entity: "report_lock", EntityID: "2",
			After: `{"ID":2,"PeriodKey":"2020-06","RegionCode":"210300","Sector":"noncoal","SubmissionID":5,"Version":1,"By":"prov_reviewer","At":"2020-06-26T10:04:00+08:00"}`},
			map[string]string{"报告期": "→2020年6月", "填报单位": "→210300", "行业类别": "→非煤", "审核通过的报送": "→报送（编号5）",
				"版本": "→1", "审核人": "→prov_reviewer", "锁定时间": "→2020-06-26 10:04", "编号": "→2"},
			nil, AuditRef{RefReportLock, "2"}, ""},
		{"an imported 附件2 row", AuditEntry{Entity: "reported_form2", EntityID: "2020-06/77", After: `{"Name":"某钢厂","Inspections":2,"Fines":50000}`},
			map[string]string{"企业名称": "→某钢厂", "检查企业次数": "→2", "行政罚款总数": "→5万元（50000元）"}, nil,
			AuditRef{RefEnterprise, "77"}, "导入的2020年6月报表："},
		{"a form's export", AuditEntry{Entity: "form", EntityID: "2", Note: "附件2"}, map[string]string{}, nil, AuditRef{}, "附件2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ReadAudit(&tt.e)
			got := fieldText(r)
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s: %q, want %q", k, got[k], v)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("fields %v, want %v", got, tt.want)
			}
			if r.Object != tt.object || r.ObjectText != tt.text {
				t.Errorf("object %v %q, want %v %q", r.Object, r.ObjectText, tt.object, tt.text)
			}
			refs := r.Refs()
			for _, want := range tt.refs {
				found := false
				for _, ref := range refs {
					found = found || ref == want
				}
				if !found {
					t.Errorf("refs %v lack %v", refs, want)
				}
			}
		})
	}
}

func TestReadAuditOddRecords(t *testing.T) {
	r := ReadAudit(&AuditEntry{Entity: "enterprise", EntityID: "1", Before: `"not an object"`, After: `{"name":"x"}`})
	if !r.Raw || len(r.Fields) != 1 || r.Fields[0].Before.Text != `"not an object"` {
		t.Errorf("a record that is not an object: %+v", r)
	}
	// A key the dictionary lacks keeps its key as its name, after the
	// known ones.
	r = ReadAudit(&AuditEntry{Entity: "enterprise", EntityID: "1", After: `{"zeta":"1","name":"甲"}`})
	if len(r.Fields) != 2 || r.Fields[0].Name != "企业名称" || r.Fields[1].Name != "zeta" {
		t.Errorf("an unknown key: %+v", r.Fields)
	}
	if AuditEntityName("card") != "黄/红牌" || AuditEntityName("nonsense") != "其他记录" {
		t.Error("entity names")
	}
	for _, e := range AuditEntities {
		if n := AuditEntityName(e); n == "其他记录" || strings.ContainsAny(n, "abcdefghijklmnopqrstuvwxyz") {
			t.Errorf("entity %s has no Chinese name", e)
		}
	}
	if AuditPeriodName("2020-06") != "2020年6月" || AuditPeriodName("2020") != "2020年度" {
		t.Error("period names")
	}
}
