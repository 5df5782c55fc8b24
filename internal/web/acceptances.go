package web

import (
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"taotai"
	"taotai/internal/store"
)

// Acceptance (验收) of exited enterprises (issue 11 item 9): the form on
// an enterprise, its check-your-answers step, and the list. The form posts
// step=check; the check page shows what will change, for whom and what is
// published, and posts step=confirm (or step=edit, back to the form with
// the answers kept). Evidence files chosen on the form are kept as the
// user's pending uploads between the steps.

// acceptanceMemberRows is how many team rows the form shows.
const acceptanceMemberRows = 6

type memberRow struct {
	N          int
	Name, Unit string
	Error      string
}

type signRow struct {
	N                      int
	Department             string
	Verdict, Signer, On    string
	Error                  string
	Required               bool
	VerdictPass, VerdictNo bool
}

// acceptanceFormPage is the form and, with Check, its check page.
type acceptanceFormPage struct {
	Page
	E        *taotai.Enterprise
	Card     *taotai.Card // the closed card, the basis (a); nil without one
	Form     map[string]string
	Errors   map[string]string
	Message  string
	Members  []memberRow
	SignOffs []signRow
	Uploads  []store.Attachment
	Today    string
	Accepted *taotai.Acceptance // the enterprise's passed acceptance, if any
	// The check step.
	Rows    []checkRow
	Effects []string
}

// FieldError returns a field's message.
func (p *acceptanceFormPage) FieldError(k string) string { return p.Errors[k] }

// ErrorList lists the messages in the form's order, each with the id of
// its field, for the error summary.
func (p *acceptanceFormPage) ErrorList() []fieldError {
	order := []string{"basis", "exit_department", "exit_document", "exited_on", "members"}
	for i := range acceptanceMemberRows {
		order = append(order, fmt.Sprintf("member_%d", i))
	}
	order = append(order, "signoffs")
	for i := range taotai.AcceptanceDepartments {
		order = append(order, fmt.Sprintf("signoff_%d", i))
	}
	order = append(order, "findings", "accepted_on", "files", "reason")
	var out []fieldError
	for _, k := range order {
		if m := p.Errors[k]; m != "" {
			out = append(out, fieldError{Field: k, Message: m})
		}
	}
	return out
}

// acceptanceTextFields are the form's single fields.
var acceptanceTextFields = []string{"basis", "exit_department", "exit_document", "exited_on", "findings", "accepted_on", "reason"}

// parseAcceptance reads the form: the acceptance, the answers as sent, and
// the messages of dates that are not dates.
func parseAcceptance(r *http.Request, enterpriseID int64) (*taotai.Acceptance, map[string]string, taotai.FieldErrors) {
	form := map[string]string{}
	for _, k := range acceptanceTextFields {
		form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	bad := taotai.FieldErrors{}
	date := func(key, label, v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		t, ok := taotai.ParseDate(v)
		if !ok {
			bad.Add(key, label+"“"+truncate(v, 20)+"”不是有效日期，应为“2020-10-20”的格式。")
			return time.Time{}
		}
		return t
	}
	a := &taotai.Acceptance{EnterpriseID: enterpriseID, Basis: form["basis"], ExitDepartment: form["exit_department"],
		ExitDocument: form["exit_document"], Findings: form["findings"], Reason: form["reason"]}
	a.ExitedOn = date("exited_on", "退出日期", form["exited_on"])
	a.AcceptedOn = date("accepted_on", "验收日期", form["accepted_on"])
	for i := range acceptanceMemberRows {
		n, u := fmt.Sprintf("member_name_%d", i), fmt.Sprintf("member_unit_%d", i)
		form[n], form[u] = strings.TrimSpace(r.PostFormValue(n)), strings.TrimSpace(r.PostFormValue(u))
		a.Members = append(a.Members, taotai.AcceptanceMember{Name: form[n], Unit: form[u]})
	}
	for i, d := range taotai.AcceptanceDepartments {
		v, s, o := fmt.Sprintf("signoff_verdict_%d", i), fmt.Sprintf("signoff_signer_%d", i), fmt.Sprintf("signoff_on_%d", i)
		form[v], form[s], form[o] = strings.TrimSpace(r.PostFormValue(v)), strings.TrimSpace(r.PostFormValue(s)), strings.TrimSpace(r.PostFormValue(o))
		if form[v] != "" && form[v] != taotai.SignPass && form[v] != taotai.SignFail {
			bad.Add(fmt.Sprintf("signoff_%d", i), d+"部门：意见应为通过或不通过。")
		}
		a.SignOffs = append(a.SignOffs, taotai.SignOff{Department: d, Verdict: form[v], Signer: form[s],
			On: date(fmt.Sprintf("signoff_%d", i), d+"部门的签署日期", form[o])})
	}
	return a, form, bad
}

// newAcceptancePage fills what the form and the check page share.
func (s *Server) newAcceptancePage(r *http.Request, title string) (*acceptanceFormPage, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	p := &acceptanceFormPage{Form: map[string]string{}, Errors: map[string]string{}}
	if p.E, err = s.store.FindEnterprise(r.Context(), id); err != nil {
		return nil, err
	}
	a := taotai.ActorFromContext(r.Context())
	if !a.Can(taotai.ActCardRed) {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能办理退出验收，由%s办理。", taotai.RoleName(a.Role),
			taotai.DeciderNames(taotai.ActCardRed))
	}
	if p.Card, err = s.store.ClosedCard(r.Context(), id); err != nil {
		return nil, err
	}
	done, _, err := s.store.ListAcceptances(r.Context(), store.AcceptanceFilter{EnterpriseID: id, Limit: 50})
	if err != nil {
		return nil, err
	}
	for _, a := range done {
		if a.Passed {
			p.Accepted = a
		}
	}
	p.Page = s.page(r, title+p.E.Name)
	p.Today = taotai.Today(s.store.Clock().Now()).Format(dateLayout)
	return p, nil
}

// rows fills the team's and the departments' rows from the answers.
func (p *acceptanceFormPage) rows() {
	p.Members = nil
	for i := range acceptanceMemberRows {
		p.Members = append(p.Members, memberRow{N: i, Name: p.Form[fmt.Sprintf("member_name_%d", i)], Unit: p.Form[fmt.Sprintf("member_unit_%d", i)],
			Error: p.Errors[fmt.Sprintf("member_%d", i)]})
	}
	p.SignOffs = nil
	for i, d := range taotai.AcceptanceDepartments {
		v := p.Form[fmt.Sprintf("signoff_verdict_%d", i)]
		p.SignOffs = append(p.SignOffs, signRow{N: i, Department: d, Verdict: v, Signer: p.Form[fmt.Sprintf("signoff_signer_%d", i)],
			On: p.Form[fmt.Sprintf("signoff_on_%d", i)], Error: p.Errors[fmt.Sprintf("signoff_%d", i)],
			Required: slices.Contains(taotai.RequiredSignOffs, d), VerdictPass: v == taotai.SignPass, VerdictNo: v == taotai.SignFail})
	}
}

func (s *Server) acceptanceNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newAcceptancePage(r, "退出验收：")
	if err != nil {
		return err
	}
	if p.Card != nil {
		p.Form["basis"] = taotai.AcceptBasisCard
	}
	p.Form["accepted_on"] = p.Today
	p.rows()
	s.render(w, r, http.StatusOK, "acceptance_form", p)
	return nil
}

// acceptanceCreate answers the form's steps: check (the default), edit
// and confirm.
func (s *Server) acceptanceCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newAcceptancePage(r, "退出验收：")
	if err != nil {
		return err
	}
	acc, form, bad := parseAcceptance(r, p.E.ID)
	p.Form = form
	if p.Uploads, err = s.acceptanceUploads(r); err != nil {
		var appErr *taotai.Error
		if !errors.As(err, &appErr) || appErr.Code != taotai.EINVALID {
			return err
		}
		bad.Add("files", appErr.Message)
	}
	if p.Accepted != nil {
		return s.acceptanceForm(w, r, p, http.StatusConflict, fmt.Sprintf("“%s”已于%s验收通过，不能重复验收。", p.E.Name, cnDate(p.Accepted.AcceptedOn)))
	}
	step := r.PostFormValue("step")
	if step == "edit" {
		return s.acceptanceForm(w, r, p, http.StatusOK, "")
	}
	closedOn := acc.ExitedOn
	if acc.Basis == taotai.AcceptBasisCard {
		closedOn = time.Time{}
		if p.Card != nil {
			closedOn, acc.Year = p.Card.ClosedOn, p.Card.Year
		}
	}
	checked := *acc
	if err := checked.Check(closedOn, s.store.Clock().Now()); err != nil {
		var appErr *taotai.Error
		if errors.As(err, &appErr) {
			for k, v := range appErr.Fields {
				bad.Add(k, v)
			}
		}
	}
	if len(bad) > 0 {
		p.Errors = bad
		return s.acceptanceForm(w, r, p, http.StatusBadRequest, "提交的内容有误，请按提示修改后重新提交。")
	}
	if step != "confirm" {
		return s.acceptanceCheck(w, r, p, &checked)
	}
	ids := make([]int64, len(p.Uploads))
	for i, u := range p.Uploads {
		ids[i] = u.ID
	}
	err = s.store.CreateAcceptance(r.Context(), acc, ids)
	var appErr *taotai.Error
	switch {
	case err == nil:
		s.sessions.Put(r.Context(), sessionFlash, "已记录退出验收。"+taotai.AcceptanceNextStep(acc))
		http.Redirect(w, r, fmt.Sprintf("/acceptances/%d", acc.ID), http.StatusSeeOther) //nolint:gosec // G710: our own path with a numeric id, no host
		return nil
	case errors.As(err, &appErr) && (appErr.Code == taotai.EINVALID || appErr.Code == taotai.ECONFLICT || appErr.Code == taotai.ENOTFOUND):
		if appErr.Code == taotai.ENOTFOUND && len(ids) == 0 {
			return err
		}
		p.Errors = appErr.Fields
		if p.Errors == nil {
			p.Errors = map[string]string{}
		}
		return s.acceptanceForm(w, r, p, statusOf(appErr.Code), appErr.Message)
	}
	return err
}

func (s *Server) acceptanceForm(w http.ResponseWriter, r *http.Request, p *acceptanceFormPage, status int, msg string) error {
	p.Message = msg
	if msg != "" {
		p.Title = "错误：" + p.Title
	}
	p.rows()
	s.render(w, r, status, "acceptance_form", p)
	return nil
}

// acceptanceUploads keeps the files chosen now as the user's pending
// uploads and returns them after those kept from before ("upload" ids).
func (s *Server) acceptanceUploads(r *http.Request) ([]store.Attachment, error) {
	var ids []int64
	for _, v := range r.PostForm["upload"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	kept, err := s.store.AcceptanceUploads(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["evidence_files"]) == 0 {
		return kept, nil
	}
	var files []taotai.SubmittedFile
	var atts []store.Attachment
	for _, fh := range r.MultipartForm.File["evidence_files"] {
		name := strings.TrimSpace(filepath.Base(strings.ReplaceAll(fh.Filename, "\\", "/")))
		if fh.Size > taotai.MaxSummaryFileSize {
			return kept, taotai.Errorf(taotai.EINVALID, "文件“%s”超过%dMB，不能上传。", truncate(name, 40), taotai.MaxSummaryFileSize>>20)
		}
		data, err := readUpload(fh)
		if err != nil {
			return nil, err
		}
		files = append(files, taotai.SubmittedFile{Name: name, Data: data})
		atts = append(atts, store.Attachment{Filename: name, ContentType: http.DetectContentType(data), Data: data})
	}
	if len(kept)+len(files) > taotai.MaxAcceptanceFiles {
		return kept, taotai.Errorf(taotai.EINVALID, "验收材料最多%d个文件。", taotai.MaxAcceptanceFiles)
	}
	if err := taotai.CheckAcceptanceFiles(files); err != nil {
		return kept, err
	}
	newIDs, err := s.store.SaveAcceptanceUploads(r.Context(), atts)
	if err != nil {
		return nil, err
	}
	for i, id := range newIDs {
		kept = append(kept, store.Attachment{ID: id, Filename: atts[i].Filename, ContentType: atts[i].ContentType, Size: int64(len(atts[i].Data))})
	}
	return kept, nil
}

// acceptanceCheck shows the check page of a valid acceptance.
func (s *Server) acceptanceCheck(w http.ResponseWriter, r *http.Request, p *acceptanceFormPage, a *taotai.Acceptance) error {
	e := p.E
	p.Title = "请核对：" + e.Name + "的退出验收"
	p.Rows = []checkRow{{"验收依据", taotai.AcceptBasisName(a.Basis)}}
	if a.Basis == taotai.AcceptBasisCard {
		p.Rows = append(p.Rows, checkRow{"红牌关闭", fmt.Sprintf("%d年度，%s关闭（%s）", p.Card.Year, cnDate(p.Card.ClosedOn), p.Card.ClosureBasis)})
	} else {
		p.Rows = append(p.Rows, checkRow{"退出产能的行业主管部门", a.ExitDepartment}, checkRow{"退出文件或依据", a.ExitDocument},
			checkRow{"退出日期", cnDate(a.ExitedOn)})
	}
	p.Rows = append(p.Rows, checkRow{"验收组成员", a.MembersText()}, checkRow{"各部门签署意见", a.SignOffsText()},
		checkRow{"验收意见", a.Findings}, checkRow{"验收日期", cnDate(a.AcceptedOn)}, checkRow{"验收结论", a.Verdict()})
	names := make([]string, len(p.Uploads))
	for i, u := range p.Uploads {
		names[i] = u.Filename + "（" + taotai.SizeText(int(u.Size)) + "）"
	}
	if len(names) == 0 {
		names = []string{"无"}
	}
	p.Rows = append(p.Rows, checkRow{"验收材料", strings.Join(names, "、")}, checkRow{"办理理由（记入企业履历）", a.Reason})
	p.Effects = acceptanceEffects(e, p.Card, a)
	p.rows()
	s.render(w, r, http.StatusOK, "acceptance_check", p)
	return nil
}

// acceptanceEffects says what an acceptance changes, for whom and what is
// published.
func acceptanceEffects(e *taotai.Enterprise, card *taotai.Card, a *taotai.Acceptance) []string {
	who := fmt.Sprintf("%s（%s%s）", e.Name, e.CityName, e.RegionName)
	var out []string
	switch {
	case a.Passed && a.Basis == taotai.AcceptBasisCard:
		out = append(out, fmt.Sprintf("%s%d年度的状态由“已关闭”变为“已验收”，与本验收记录同时生效。", who, card.Year),
			"此后导出、报送的附件3和按月公布的黄/红牌企业名单中，该企业列为已关闭并已验收；验收日期、验收人员和验收意见写入该企业的黄/红牌记录。")
	case a.Passed:
		out = append(out, who+"的产能退出（"+a.ExitDepartment+"，"+a.ExitDocument+"）验收通过，记入企业履历；不改变黄/红牌状态。")
	default:
		out = append(out, who+"验收不通过：企业不认定为已验收"+map[bool]string{true: "，黄/红牌状态仍为“已关闭”", false: ""}[card != nil && a.Basis == taotai.AcceptBasisCard]+"。",
			taotai.AcceptanceNextStep(a))
	}
	return append(out, "验收记录、各部门签署意见和验收材料（及其SHA-256校验值）列入退出验收清单、企业履历和操作日志，确认后不能撤销；办理理由一并保存。",
		"验收情况由本级汇总写入年度工作总结（11月20日前报送）；验收记录本身不向社会公布。")
}

// Hidden lists the answers to send again with the confirmation.
func (p *acceptanceFormPage) Hidden() []checkRow {
	keys := slices.Clone(acceptanceTextFields)
	for i := range acceptanceMemberRows {
		keys = append(keys, fmt.Sprintf("member_name_%d", i), fmt.Sprintf("member_unit_%d", i))
	}
	for i := range taotai.AcceptanceDepartments {
		keys = append(keys, fmt.Sprintf("signoff_verdict_%d", i), fmt.Sprintf("signoff_signer_%d", i), fmt.Sprintf("signoff_on_%d", i))
	}
	var out []checkRow
	for _, k := range keys {
		if v := p.Form[k]; v != "" {
			out = append(out, checkRow{k, v})
		}
	}
	return out
}

// acceptancePage shows one acceptance.
type acceptancePage struct {
	Page
	A     *taotai.Acceptance
	Files []store.Attachment
	Next  string
}

func (s *Server) acceptanceDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, files, err := s.store.FindAcceptance(r.Context(), id)
	if err != nil {
		return err
	}
	p := &acceptancePage{Page: s.page(r, "退出验收："+a.EnterpriseName), A: a, Files: files, Next: taotai.AcceptanceNextStep(a)}
	s.render(w, r, http.StatusOK, "acceptance", p)
	return nil
}

// acceptanceListPage is the list of acceptances.
type acceptanceListPage struct {
	listPage
	Items []*taotai.Acceptance
	Years []*taotai.CampaignYear
}

func (s *Server) acceptanceList(w http.ResponseWriter, r *http.Request) error {
	lq := &listQuery{q: r.URL.Query()}
	f := store.AcceptanceFilter{Year: lq.year(), RegionCode: lq.region(), EnterpriseID: lq.id("enterprise", "企业编号")}
	p := &acceptanceListPage{}
	var err error
	if p.Years, err = s.store.CampaignYears(r.Context()); err != nil {
		return err
	}
	return s.showList(w, r, &p.listPage, lq, "acceptances", "退出验收", f.EnterpriseID, func(offset int) (int, error) {
		f.Offset, f.Limit = offset, pageSize
		var n int
		var err error
		p.Items, n, err = s.store.ListAcceptances(r.Context(), f)
		return n, err
	}, p)
}
