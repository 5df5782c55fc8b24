package taotai_test

import (
	"strings"
	"testing"
	"time"

	"taotai"
)

func TestProvinceLetterValidate(t *testing.T) {
	long := strings.Repeat("长", taotai.MaxLetterExtraLen+1)
	tests := []struct {
		name      string
		in        taotai.ProvinceLetter
		field     string // "" = valid
		want      string // in the field's message
		docNumber string // normalised, when valid
	}{
		{"standard", taotai.ProvinceLetter{DocNumber: "辽应急函〔2020〕15号"}, "", "", "辽应急函〔2020〕15号"},
		{"square brackets", taotai.ProvinceLetter{DocNumber: " 辽应急函[2020]15号 "}, "", "", "辽应急函〔2020〕15号"},
		{"full-width parentheses", taotai.ProvinceLetter{DocNumber: "辽应急函（2020）7号"}, "", "", "辽应急函〔2020〕7号"},
		{"empty", taotai.ProvinceLetter{}, "doc_number", "文号不能为空", ""},
		{"blank", taotai.ProvinceLetter{DocNumber: "   "}, "doc_number", "文号不能为空", ""},
		{"no year", taotai.ProvinceLetter{DocNumber: "辽应急函15号"}, "doc_number", "机关代字〔年份〕序号号", ""},
		{"no 号", taotai.ProvinceLetter{DocNumber: "辽应急函〔2020〕15"}, "doc_number", "如：辽应急函〔2020〕15号", ""},
		{"year out of range", taotai.ProvinceLetter{DocNumber: "辽应急函〔1999〕1号"}, "doc_number", "2000至2099", ""},
		{"too long", taotai.ProvinceLetter{DocNumber: strings.Repeat("辽", 40) + "〔2020〕1号"}, "doc_number", "不能超过40个字", ""},
		{"control character", taotai.ProvinceLetter{DocNumber: "辽应急函\x00〔2020〕1号"}, "doc_number", "不允许的字符", ""},
		{"extra too long", taotai.ProvinceLetter{DocNumber: "辽应急函〔2020〕1号", Extra: long}, "extra", "补充内容不能超过3000个字", ""},
		{"extra with lines", taotai.ProvinceLetter{DocNumber: "辽应急函〔2020〕1号", Extra: "第一段\r\n第二段"}, "", "", "辽应急函〔2020〕1号"},
		{"contact on two lines", taotai.ProvinceLetter{DocNumber: "辽应急函〔2020〕1号", Contact: "王新\n024"}, "contact", "不允许的字符", ""},
		{"date out of range", taotai.ProvinceLetter{DocNumber: "辽应急函〔2020〕1号", Dated: time.Date(2100, 1, 1, 0, 0, 0, 0, taotai.Shanghai)},
			"dated", "2000年1月1日至2099年12月31日", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Year, in.Kind = 2020, taotai.LetterYellowList
			err := in.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if in.DocNumber != tt.docNumber {
					t.Errorf("文号 %q, want %q", in.DocNumber, tt.docNumber)
				}
				return
			}
			var e *taotai.Error
			if !asTaotaiError(err, &e) || e.Code != taotai.EINVALID || !strings.Contains(e.Fields[tt.field], tt.want) {
				t.Fatalf("want %s: …%s…, got %v %v", tt.field, tt.want, err, fieldsOf(err))
			}
		})
	}
}

func TestLetterKinds(t *testing.T) {
	for _, kind := range []string{taotai.LetterYellowList, taotai.LetterSummary} {
		if k, ok := taotai.LetterKindOf(taotai.LetterSlug(kind)); !ok || k != kind {
			t.Errorf("%s: slug %q reads back as %q %v", kind, taotai.LetterSlug(kind), k, ok)
		}
	}
	if _, ok := taotai.LetterKindOf("yellow_list"); ok {
		t.Error("a kind's key is not its address")
	}
}

func yellowList() *taotai.YellowList {
	e := func(unit, industry string) taotai.YellowEntry {
		return taotai.YellowEntry{Unit: unit, Region: unit + "某区", Name: unit + industry + "企业", Industry: industry}
	}
	return &taotai.YellowList{Year: 2020, Parts: []taotai.YellowPart{
		{Sector: taotai.SectorNonCoal, Units: 14, Missing: []string{"铁岭市"},
			Entries: []taotai.YellowEntry{e("鞍山市", "钢铁"), e("鞍山市", "水泥"), e("本溪市", "钢铁")}},
		{Sector: taotai.SectorCoal, Units: 6, Entries: []taotai.YellowEntry{e("阜新市", "煤炭")}},
	}}
}

func letterYear() *taotai.CampaignYear {
	c := calendar2020()
	c.UnitNonCoal, c.UnitCoal = "辽宁省应急管理厅", "辽宁煤矿安全监察局"
	c.Deadlines = append(c.Deadlines, taotai.Deadline{Key: "province_summary", Due: sh("2020-11-30 00:00")})
	return c
}

func TestYellowListLetter(t *testing.T) {
	c := letterYear()
	in := taotai.ProvinceLetter{DocNumber: "辽应急函〔2020〕15号", Extra: "请予审阅。\n\n另：名单如有变化另行函告。", Contact: "王新 024-86907739"}
	tests := []struct {
		name    string
		list    *taotai.YellowList
		want    []string // in the body
		partial string   // in the partial note; "" = whole
	}{
		{"both channels", yellowList(), []string{"共4家，分布在3个市（区）", "钢铁2家、水泥1家、煤炭1家",
			"非煤企业3家（省应急管理厅汇总），煤矿企业1家（省煤矿安监局汇总）", "请予审阅。", "另：名单如有变化另行函告。", "特此函告。"}, ""},
		{"non-coal only", &taotai.YellowList{Year: 2020, Parts: yellowList().Parts[:1]}, []string{"共3家，分布在2个市（区）", "钢铁2家、水泥1家"}, "本页只含非煤部分"},
		{"coal only", &taotai.YellowList{Year: 2020, Parts: yellowList().Parts[1:]}, []string{"共1家，分布在1个市（区）", "煤炭1家"}, "本页只含煤矿部分"},
		{"none", &taotai.YellowList{Year: 2020, Parts: []taotai.YellowPart{{Sector: taotai.SectorNonCoal}, {Sector: taotai.SectorCoal}}},
			[]string{"全省首批暂无“黄牌”企业"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lt := taotai.YellowListLetter(c, tt.list, in)
			body := strings.Join(lt.Body, "\n")
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("the body lacks %q:\n%s", w, body)
				}
			}
			if tt.partial == "" && lt.Partial != "" || !strings.Contains(lt.Partial, tt.partial) {
				t.Errorf("partial %q, want %q", lt.Partial, tt.partial)
			}
			if lt.Issuer != "辽宁省应急管理厅" || lt.Signature != lt.Issuer || lt.Addressee != "省淘汰落后产能工作协调小组办公室：" ||
				lt.DocNumber != in.DocNumber || lt.Date != "2020年5月15日" || lt.Title != "辽宁省应急管理厅关于报送2020年全省首批安全生产“黄牌”企业名单的函" ||
				len(lt.Attachments) != 1 || lt.Attachments[0] != "2020年全省首批安全生产“黄牌”企业名单" {
				t.Errorf("letter: %+v", lt)
			}
			for _, p := range lt.Body {
				if strings.TrimSpace(p) == "" {
					t.Errorf("an empty paragraph in %q", lt.Body)
				}
			}
		})
	}
	// A date entered is printed instead of the due day.
	in.Dated = time.Date(2020, 5, 14, 0, 0, 0, 0, taotai.Shanghai)
	if lt := taotai.YellowListLetter(c, yellowList(), in); lt.Date != "2020年5月14日" {
		t.Errorf("date %q", lt.Date)
	}
	if got := yellowList().Parts[1].PartTitle(1); got != "二、煤矿企业（1家，省煤矿安监局汇总）" {
		t.Errorf("part title %q", got)
	}
}

func TestSummaryLetter(t *testing.T) {
	c := letterYear()
	s := summaryFixture()
	lt := taotai.SummaryLetter(c, s, taotai.ProvinceLetter{DocNumber: "辽应急函〔2020〕88号"})
	body := strings.Join(lt.Body, "\n")
	for _, w := range []string{"全年共检查企业17家次", "发现问题和隐患14项（其中重大隐患3项），已整改合格9项", "罚款1.25万元",
		"其中非煤行业（省应急管理厅汇总）：检查企业12家次", "其中煤矿（省煤矿安监局汇总）：检查企业5家次",
		"非煤：1个单位取自已通过的年度报送，1个单位取自系统记录；煤矿：0个单位取自已通过的年度报送，1个单位取自系统记录",
		"名单内企业10家，已检查8家，覆盖率80.0%"} {
		if !strings.Contains(body, w) {
			t.Errorf("the body lacks %q:\n%s", w, body)
		}
	}
	if lt.Date != "2020年11月30日" || len(lt.Attachments) != 2 || lt.Partial != "" ||
		lt.Attachments[0] != "辽宁省应急管理厅2020年加强执法检查依法依规推动落后产能退出工作总结" {
		t.Errorf("letter: %+v", lt)
	}
}
