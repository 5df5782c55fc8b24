package taotai

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Acceptance (验收) of an enterprise that exited: "对…落后产能退出企业进行
// 验收" (the notice, 总结验收 phase). Any enterprise that exits may be
// accepted: one whose red card was closed (关闭), or one whose capacity the
// industry departments withdrew (no card needed). An acceptance team
// visits; each department signs off; the acceptance passes only when every
// department that signed passed it. A passed acceptance of a closed card
// moves the card to 已验收 in the same transaction.

// Bases of an acceptance.
const (
	AcceptBasisCard       = "card"       // 红牌企业已关闭
	AcceptBasisDepartment = "department" // 产能由行业主管部门退出
)

// AcceptBases lists the bases, in the form's order.
var AcceptBases = []string{AcceptBasisCard, AcceptBasisDepartment}

// AcceptBasisName returns the Chinese wording of a basis, or the key
// itself when unknown.
func AcceptBasisName(b string) string {
	switch b {
	case AcceptBasisCard:
		return "红牌企业已依法关闭"
	case AcceptBasisDepartment:
		return "产能由行业主管部门退出"
	}
	return b
}

// AcceptanceDepartments are the departments that may sign an acceptance,
// in the order the form lists them; the notice has the emergency
// management departments accept "会同工信、发改", so those three must sign
// (RequiredSignOffs), the others sign where they took part.
var AcceptanceDepartments = []string{"应急管理", "发展改革", "工业和信息化", "生态环境", "市场监管"}

// RequiredSignOffs are the departments whose sign-off every acceptance needs.
var RequiredSignOffs = []string{"应急管理", "发展改革", "工业和信息化"}

// Sign-off verdicts.
const (
	SignPass = "pass" // 通过
	SignFail = "fail" // 不通过
)

// SignVerdictName returns 通过 or 不通过 (未签署 for none).
func SignVerdictName(v string) string {
	switch v {
	case SignPass:
		return "通过"
	case SignFail:
		return "不通过"
	}
	return "未签署"
}

// Limits of an acceptance.
const (
	MinAcceptanceMembers = 2  // an acceptance team of at least two
	MaxAcceptanceMembers = 12 // rows of the form
	MaxAcceptanceFiles   = 10
	MaxAcceptanceFileSum = 40 << 20
)

// AcceptanceMember is one member of the acceptance team.
type AcceptanceMember struct {
	Name string `json:"name"` // 姓名
	Unit string `json:"unit"` // 单位
}

// SignOff is one department's sign-off (部门意见).
type SignOff struct {
	Department string    `json:"department"`
	Verdict    string    `json:"verdict"` // SignPass, SignFail, "" (not signed)
	Signer     string    `json:"signer"`  // 签署人
	On         time.Time `json:"on"`      // 签署日期
}

// Acceptance is one acceptance of an exited enterprise.
type Acceptance struct {
	ID             int64
	EnterpriseID   int64
	EnterpriseName string // read with the record
	RegionName     string // read with the record: city and county
	Year           int    // the campaign year: the card's, or the year of the exit
	Basis          string
	ExitDepartment string    // basis department: 退出产能的行业主管部门
	ExitDocument   string    // basis department: 文件或依据
	ExitedOn       time.Time // the exit: the card's closure, or the department's date
	Members        []AcceptanceMember
	SignOffs       []SignOff
	Findings       string // 验收意见
	AcceptedOn     time.Time
	Passed         bool   // every sign-off passed
	Reason         string // why, from the check step: kept in the history
	By             string
	At             time.Time
	Files          int // how many evidence files
}

// Verdict returns 通过 or 不通过.
func (a *Acceptance) Verdict() string {
	if a.Passed {
		return "通过"
	}
	return "不通过"
}

// MembersText writes the team as "姓名（单位）、…".
func (a *Acceptance) MembersText() string {
	parts := make([]string, len(a.Members))
	for i, m := range a.Members {
		parts[i] = m.Name + "（" + m.Unit + "）"
	}
	return strings.Join(parts, "、")
}

// SignOffsText writes the sign-offs as "部门：通过（签署人，日期）；…".
func (a *Acceptance) SignOffsText() string {
	var parts []string
	for _, s := range a.SignOffs {
		parts = append(parts, fmt.Sprintf("%s：%s（%s，%s）", s.Department, SignVerdictName(s.Verdict), s.Signer, s.On.Format("2006-01-02")))
	}
	return strings.Join(parts, "；")
}

// Check checks an acceptance given the exit date (for basis card, the
// card's closure date, which the caller reads; zero when the enterprise has
// no closed card) on the day of now, tidies its texts, drops the empty
// rows of members and sign-offs, and sets Passed and Year. Field keys:
// basis, exit_department, exit_document, exited_on, members, member_N,
// signoffs, signoff_N (N the department's index), findings, accepted_on,
// reason. An error is EINVALID with field messages.
func (a *Acceptance) Check(closedOn, now time.Time) error {
	f := FieldErrors{}
	today := Today(now)
	a.ExitDepartment, a.ExitDocument = strings.TrimSpace(a.ExitDepartment), strings.TrimSpace(a.ExitDocument)
	switch a.Basis {
	case AcceptBasisCard:
		if closedOn.IsZero() {
			f.Add("basis", "该企业没有已关闭的红牌，不能以“红牌企业已依法关闭”为依据验收；如产能由行业主管部门退出，请选择该依据。")
		}
		a.ExitedOn, a.ExitDepartment, a.ExitDocument = Today(closedOn), "", ""
	case AcceptBasisDepartment:
		checkText(f, "exit_department", "退出产能的行业主管部门", a.ExitDepartment, MaxContactLen, true)
		checkLongText(f, "exit_document", "退出文件或依据", a.ExitDocument, MaxNoteLen, true)
		a.ExitedOn = checkPastDate(f, "exited_on", "退出日期", a.ExitedOn, today)
	default:
		f.Add("basis", "请选择验收依据：红牌企业已依法关闭，或产能由行业主管部门退出。")
	}
	a.checkMembers(f)
	a.checkSignOffs(f, today)
	a.Findings = strings.TrimSpace(a.Findings)
	checkLongText(f, "findings", "验收意见", a.Findings, MaxFindingsLen, true)
	a.AcceptedOn = checkPastDate(f, "accepted_on", "验收日期", a.AcceptedOn, today)
	if !a.AcceptedOn.IsZero() && !a.ExitedOn.IsZero() && a.AcceptedOn.Before(a.ExitedOn) {
		f.Add("accepted_on", "验收日期不能早于退出日期（"+a.ExitedOn.Format("2006-01-02")+"）。")
	}
	a.Reason = strings.TrimSpace(a.Reason)
	if a.Reason == "" {
		f.Add("reason", "请填写办理理由：它记入企业履历和操作日志。")
	}
	checkLongText(f, "reason", "办理理由", a.Reason, MaxReasonLen, true)
	if err := f.Err(); err != nil {
		return err
	}
	a.Passed = true
	for _, s := range a.SignOffs {
		a.Passed = a.Passed && s.Verdict == SignPass
	}
	if a.Year == 0 || a.Basis == AcceptBasisDepartment {
		a.Year = a.ExitedOn.Year()
	}
	return nil
}

// checkMembers keeps the rows with a name or a unit, each needing both,
// and requires at least MinAcceptanceMembers.
func (a *Acceptance) checkMembers(f FieldErrors) {
	var kept []AcceptanceMember
	for i, m := range a.Members {
		m.Name, m.Unit = strings.TrimSpace(m.Name), strings.TrimSpace(m.Unit)
		if m.Name == "" && m.Unit == "" {
			continue
		}
		key := fmt.Sprintf("member_%d", i)
		switch {
		case m.Name == "" || m.Unit == "":
			f.Add(key, fmt.Sprintf("验收组成员第%d行：请同时填写姓名和单位。", i+1))
		case !ValidText(m.Name, false) || !ValidText(m.Unit, false) || utf8.RuneCountInString(m.Name) > 50 || utf8.RuneCountInString(m.Unit) > MaxContactLen:
			f.Add(key, fmt.Sprintf("验收组成员第%d行：姓名不超过50个字、单位不超过%d个字，且不含控制字符。", i+1, MaxContactLen))
		}
		kept = append(kept, m)
	}
	switch {
	case len(kept) < MinAcceptanceMembers:
		f.Add("members", fmt.Sprintf("验收组至少应有%d名成员（填写姓名和单位），现有%d名。", MinAcceptanceMembers, len(kept)))
	case len(kept) > MaxAcceptanceMembers:
		f.Add("members", fmt.Sprintf("验收组成员不能超过%d名。", MaxAcceptanceMembers))
	}
	a.Members = kept
}

// checkSignOffs keeps the departments that signed; a row begun must be
// complete, each of RequiredSignOffs must sign, and no date may be in the
// future or before the exit.
func (a *Acceptance) checkSignOffs(f FieldErrors, today time.Time) {
	var kept []SignOff
	signed := map[string]bool{}
	for _, s := range a.SignOffs {
		i := slices.Index(AcceptanceDepartments, s.Department)
		key := fmt.Sprintf("signoff_%d", i)
		s.Signer = strings.TrimSpace(s.Signer)
		if i < 0 {
			f.Add("signoffs", "部门“"+truncateRunes(s.Department, 20)+"”不在验收部门之列。")
			continue
		}
		if s.Verdict == "" && s.Signer == "" && s.On.IsZero() {
			continue
		}
		switch {
		case s.Verdict != SignPass && s.Verdict != SignFail:
			f.Add(key, s.Department+"部门：请选择意见（通过或不通过）。")
		case s.Signer == "":
			f.Add(key, s.Department+"部门：请填写签署人。")
		case !ValidText(s.Signer, false) || utf8.RuneCountInString(s.Signer) > 50:
			f.Add(key, s.Department+"部门：签署人不超过50个字，且不含控制字符。")
		case s.On.IsZero():
			f.Add(key, s.Department+"部门：请填写签署日期。")
		case !DateInRange(s.On):
			f.Add(key, DateRangeMessage(s.Department+"部门的签署日期"))
		case Today(s.On).After(today):
			f.Add(key, s.Department+"部门的签署日期不能晚于今天。")
		case !a.ExitedOn.IsZero() && Today(s.On).Before(a.ExitedOn):
			f.Add(key, s.Department+"部门的签署日期不能早于退出日期（"+a.ExitedOn.Format("2006-01-02")+"）。")
		}
		if signed[s.Department] {
			f.Add(key, s.Department+"部门只能签署一次。")
		}
		signed[s.Department] = true
		s.On = Today(s.On)
		kept = append(kept, s)
	}
	var missing []string
	for _, d := range RequiredSignOffs {
		if !signed[d] {
			missing = append(missing, d)
		}
	}
	if len(missing) > 0 {
		f.Add("signoffs", "以下部门尚未签署意见："+strings.Join(missing, "、")+"。验收须会同应急管理、发展改革、工业和信息化部门进行。")
	}
	a.SignOffs = kept
}

// truncateRunes cuts s to n characters.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// CheckAcceptanceFiles checks an acceptance's evidence files as a work
// summary's are checked (named, of an accepted type whose content is what
// its name says, not empty, not too large), and their number and total.
func CheckAcceptanceFiles(files []SubmittedFile) error {
	if len(files) > MaxAcceptanceFiles {
		return Errorf(EINVALID, "验收材料最多%d个文件，现有%d个。", MaxAcceptanceFiles, len(files))
	}
	total := 0
	for _, f := range files {
		if err := checkSummaryFile(f); err != nil {
			return err
		}
		total += len(f.Data)
	}
	if total > MaxAcceptanceFileSum {
		return Errorf(EINVALID, "验收材料合计不能超过%dMB。", MaxAcceptanceFileSum>>20)
	}
	return nil
}

// AcceptanceNextStep says what to do after an acceptance: for a failed
// one, which departments did not pass it and that the enterprise must be
// rectified and accepted again.
func AcceptanceNextStep(a *Acceptance) string {
	if a.Passed {
		if a.Basis == AcceptBasisCard {
			return "验收通过：该企业本年度状态变为“已验收”，附件3及黄/红牌名单随之更新。"
		}
		return "验收通过：该企业的产能退出已验收，记入企业履历。"
	}
	var failed []string
	for _, s := range a.SignOffs {
		if s.Verdict == SignFail {
			failed = append(failed, s.Department)
		}
	}
	return "验收不通过（" + strings.Join(failed, "、") + "部门意见为不通过）：企业未被认定为已验收。" +
		"请按各部门意见督促整改（如拆除主要生产设备、断电断水、注销许可），整改完成后重新组织验收。"
}
