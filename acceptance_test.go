package taotai_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"taotai"
)

func accDay(s string) time.Time {
	d, _ := time.ParseInLocation("2006-01-02", s, taotai.Shanghai)
	return d
}

// goodAcceptance is a complete acceptance of capacity withdrawn on 15
// October 2020, accepted on 20 October.
func goodAcceptance() taotai.Acceptance {
	return taotai.Acceptance{Basis: taotai.AcceptBasisDepartment, ExitDepartment: "市工业和信息化局", ExitDocument: "关于压减产能的通知",
		ExitedOn: accDay("2020-10-15"),
		Members:  []taotai.AcceptanceMember{{Name: "王强", Unit: "市应急管理局"}, {Name: "", Unit: ""}, {Name: "李明", Unit: "市工信局"}},
		SignOffs: []taotai.SignOff{
			{Department: "应急管理", Verdict: taotai.SignPass, Signer: "王强", On: accDay("2020-10-20")},
			{Department: "发展改革", Verdict: taotai.SignPass, Signer: "赵刚", On: accDay("2020-10-20")},
			{Department: "工业和信息化", Verdict: taotai.SignPass, Signer: "李明", On: accDay("2020-10-20")},
			{Department: "生态环境"},
		},
		Findings: "设备已拆除", AcceptedOn: accDay("2020-10-20"), Reason: "现场验收"}
}

// TestAcceptanceCheck: the rules of an acceptance, each case breaking one.
var accNow = time.Date(2020, 10, 22, 10, 0, 0, 0, taotai.Shanghai)

func TestAcceptanceCheck(t *testing.T) {
	cases := []struct {
		name     string
		edit     func(a *taotai.Acceptance)
		closedOn time.Time
		field    string // "" = valid
		msg      string
	}{
		{"complete", func(a *taotai.Acceptance) {}, time.Time{}, "", ""},
		{"basis required", func(a *taotai.Acceptance) { a.Basis = "" }, time.Time{}, "basis", "请选择验收依据"},
		{"basis card needs a closed card", func(a *taotai.Acceptance) { a.Basis = taotai.AcceptBasisCard }, time.Time{}, "basis", "没有已关闭的红牌"},
		{"basis card with a closed card", func(a *taotai.Acceptance) { a.Basis = taotai.AcceptBasisCard }, accDay("2020-10-19"), "", ""},
		{"department named", func(a *taotai.Acceptance) { a.ExitDepartment = " " }, time.Time{}, "exit_department", "不能为空"},
		{"document given", func(a *taotai.Acceptance) { a.ExitDocument = "" }, time.Time{}, "exit_document", "不能为空"},
		{"exit date given", func(a *taotai.Acceptance) { a.ExitedOn = time.Time{} }, time.Time{}, "exited_on", "请填写退出日期"},
		{"exit not in the future", func(a *taotai.Acceptance) { a.ExitedOn = accDay("2020-10-23") }, time.Time{}, "exited_on", "不能晚于今天"},
		{"two members", func(a *taotai.Acceptance) { a.Members = a.Members[:1] }, time.Time{}, "members", "至少应有2名成员"},
		{"a member needs a unit", func(a *taotai.Acceptance) { a.Members[2].Unit = "" }, time.Time{}, "member_2", "第3行：请同时填写姓名和单位"},
		{"every required department signs", func(a *taotai.Acceptance) { a.SignOffs[1] = taotai.SignOff{Department: "发展改革"} }, time.Time{},
			"signoffs", "尚未签署意见：发展改革"},
		{"a sign-off needs its verdict", func(a *taotai.Acceptance) { a.SignOffs[3].Signer = "孙伟" }, time.Time{}, "signoff_3", "请选择意见"},
		{"a sign-off needs its signer", func(a *taotai.Acceptance) { a.SignOffs[0].Signer = "" }, time.Time{}, "signoff_0", "请填写签署人"},
		{"a sign-off needs its date", func(a *taotai.Acceptance) { a.SignOffs[2].On = time.Time{} }, time.Time{}, "signoff_2", "请填写签署日期"},
		{"a sign-off not in the future", func(a *taotai.Acceptance) { a.SignOffs[2].On = accDay("2020-10-23") }, time.Time{}, "signoff_2", "不能晚于今天"},
		{"a sign-off not before the exit", func(a *taotai.Acceptance) { a.SignOffs[2].On = accDay("2020-10-14") }, time.Time{}, "signoff_2", "不能早于退出日期"},
		{"an unknown department", func(a *taotai.Acceptance) { a.SignOffs[3].Department = "财政" }, time.Time{}, "signoffs", "不在验收部门之列"},
		{"findings required", func(a *taotai.Acceptance) { a.Findings = "" }, time.Time{}, "findings", "验收意见不能为空"},
		{"date required", func(a *taotai.Acceptance) { a.AcceptedOn = time.Time{} }, time.Time{}, "accepted_on", "请填写验收日期"},
		{"date not in the future", func(a *taotai.Acceptance) { a.AcceptedOn = accDay("2020-10-23") }, time.Time{}, "accepted_on", "不能晚于今天"},
		{"date not before the exit", func(a *taotai.Acceptance) { a.AcceptedOn = accDay("2020-10-14") }, time.Time{}, "accepted_on", "不能早于退出日期"},
		{"date not before the card's closure", func(a *taotai.Acceptance) { a.Basis = taotai.AcceptBasisCard }, accDay("2020-10-21"),
			"accepted_on", "不能早于退出日期（2020-10-21）"},
		{"reason required", func(a *taotai.Acceptance) { a.Reason = "  " }, time.Time{}, "reason", "请填写办理理由"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := goodAcceptance()
			c.edit(&a)
			err := a.Check(c.closedOn, accNow)
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var appErr *taotai.Error
			if !errors.As(err, &appErr) || appErr.Code != taotai.EINVALID || !strings.Contains(appErr.Fields[c.field], c.msg) {
				t.Fatalf("want %s: %q, got %v", c.field, c.msg, err)
			}
		})
	}
}

// TestAcceptanceVerdict: passed only when every department that signed
// passed; empty rows dropped; the year is the exit's.
func TestAcceptanceVerdict(t *testing.T) {
	a := goodAcceptance()
	if err := a.Check(time.Time{}, accNow); err != nil {
		t.Fatal(err)
	}
	if !a.Passed || len(a.Members) != 2 || len(a.SignOffs) != 3 || a.Year != 2020 {
		t.Fatalf("passed %v, %d members, %d sign-offs, year %d", a.Passed, len(a.Members), len(a.SignOffs), a.Year)
	}
	for i := range 4 {
		b := goodAcceptance()
		if i == 3 {
			b.SignOffs[3] = taotai.SignOff{Department: "生态环境", Verdict: taotai.SignFail, Signer: "周敏", On: accDay("2020-10-20")}
		} else {
			b.SignOffs[i].Verdict = taotai.SignFail
		}
		if err := b.Check(time.Time{}, accNow); err != nil {
			t.Fatal(err)
		}
		if b.Passed {
			t.Errorf("sign-off %d failing, yet passed", i)
		}
		if next := taotai.AcceptanceNextStep(&b); !strings.Contains(next, "重新组织验收") || !strings.Contains(next, b.SignOffs[i].Department) {
			t.Errorf("next step: %s", next)
		}
	}
}

func TestCheckAcceptanceFiles(t *testing.T) {
	for _, c := range []struct {
		name  string
		files []taotai.SubmittedFile
		msg   string
	}{
		{"a pdf and a photo", []taotai.SubmittedFile{{Name: "验收.pdf", Data: []byte("%PDF-1.4")}, {Name: "现场.jpg", Data: []byte("\xff\xd8\xff")}}, ""},
		{"a program", []taotai.SubmittedFile{{Name: "a.exe", Data: []byte("MZ")}}, "类型不能上传"},
		{"a pdf that is not", []taotai.SubmittedFile{{Name: "a.pdf", Data: []byte("<html>")}}, "内容不是PDF文件"},
		{"too many", make([]taotai.SubmittedFile, taotai.MaxAcceptanceFiles+1), "最多10个文件"},
	} {
		err := taotai.CheckAcceptanceFiles(c.files)
		if (c.msg == "") != (err == nil) || (err != nil && !strings.Contains(taotai.ErrorMessage(err), c.msg)) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
