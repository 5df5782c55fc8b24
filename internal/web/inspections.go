package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"taotai"
)

// The hazard blocks of the inspection form: three by default, three more
// at a time, never more than twenty.
const (
	defaultHazardRows = 3
	maxHazardRows     = 20
)

// dateLayout is how a date travels in an <input type=date>.
const dateLayout = "2006-01-02"

// msgDateFormat ends the message for a date that cannot be read.
const msgDateFormat = "格式不正确，请按“2020-06-30”的格式填写。"

// inspNames gives the templates of the enforcement pages the Chinese names
// of the domain's keys; it is embedded in their page structs.
type inspNames struct{}

// KindName names an inspection kind.
func (inspNames) KindName(k string) string { return taotai.InspectionKindName(k) }

// LevelName names a hazard level.
func (inspNames) LevelName(l string) string { return taotai.HazardLevelName(l) }

// StatusName names a hazard status.
func (inspNames) StatusName(s string) string { return taotai.HazardStatusName(s) }

// DocKindName names a document kind.
func (inspNames) DocKindName(k string) string { return taotai.DocKindName(k) }

// DateValue writes a date as an <input type=date> wants it ("" for none).
func (inspNames) DateValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(taotai.Shanghai).Format(dateLayout)
}

// hazardRow is one hazard block of the inspection form, as typed.
type hazardRow struct {
	Index                                          int
	Description, Place, Level, Criterion, Deadline string
}

// Name returns the input name of a field of the block, e.g. h0_description.
func (h hazardRow) Name(field string) string { return hazardInput(h.Index, field) }

// No is the block's number as people count, from 1.
func (h hazardRow) No() int { return h.Index + 1 }

func (h hazardRow) blank() bool {
	return h.Description == "" && h.Place == "" && h.Level == "" && h.Criterion == "" && h.Deadline == ""
}

func hazardInput(i int, field string) string { return fmt.Sprintf("h%d_%s", i, field) }

// inspectionInput is the inspection form as typed.
type inspectionInput struct {
	Date, Kind, Inspectors, InspectorCount, ExpertCount, Findings string
	Hazards                                                       []hazardRow
}

// criterionGroup is the articles of one standard, for an <optgroup>.
type criterionGroup struct {
	Standard string
	InForce  string // the days the standard is in force, in words
	Items    []*taotai.Criterion
}

// inspectionFormPage is the form that records an inspection.
type inspectionFormPage struct {
	Page
	inspNames
	E        *taotai.Enterprise
	In       inspectionInput
	Kinds    []string
	Levels   []string
	Criteria []criterionGroup
	// CriteriaDay is the day whose criteria the form offers: the form's
	// date when it can be read.
	CriteriaDay time.Time
	Errors      map[string]string
	Summary     []fieldError
	Message     string
}

// MoreRows is how many blocks the form shows after “增加隐患条目”.
func (p *inspectionFormPage) MoreRows() int {
	return min(len(p.In.Hazards)+defaultHazardRows, maxHazardRows)
}

// CanAddRows reports whether more hazard blocks may be added.
func (p *inspectionFormPage) CanAddRows() bool { return len(p.In.Hazards) < maxHazardRows }

// recordingEnterprise loads the enterprise of the address (ENOTFOUND
// outside the lane) and checks that the actor may record inspections.
func (s *Server) recordingEnterprise(r *http.Request) (*taotai.Enterprise, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	e, err := s.store.FindEnterprise(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if a := taotai.ActorFromContext(r.Context()); !a.Can(taotai.ActRecordInspection) {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能录入执法检查。", taotai.RoleName(a.Role))
	}
	return e, nil
}

func (s *Server) inspectionNew(w http.ResponseWriter, r *http.Request) error {
	e, err := s.recordingEnterprise(r)
	if err != nil {
		return err
	}
	n := min(max(atoiOr(r.URL.Query().Get("hazards"), defaultHazardRows), 1), maxHazardRows)
	in := inspectionInput{Date: s.store.Clock().Now().In(taotai.Shanghai).Format(dateLayout), ExpertCount: "0"}
	in.Hazards = growRows(nil, n)
	return s.renderInspectionForm(w, r, http.StatusOK, &inspectionFormPage{E: e, In: in})
}

// growRows appends n empty hazard blocks, up to maxHazardRows in all.
func growRows(rows []hazardRow, n int) []hazardRow {
	for i := 0; i < n && len(rows) < maxHazardRows; i++ {
		rows = append(rows, hazardRow{Index: len(rows)})
	}
	return rows
}

func (s *Server) inspectionCreate(w http.ResponseWriter, r *http.Request) error {
	e, err := s.recordingEnterprise(r)
	if err != nil {
		return err
	}
	p := &inspectionFormPage{E: e, In: inspectionInputFrom(r)}
	if r.PostFormValue("refresh") != "" {
		return s.renderInspectionForm(w, r, http.StatusOK, p)
	}
	if r.PostFormValue("more") != "" {
		p.In.Hazards = growRows(p.In.Hazards, defaultHazardRows)
		return s.renderInspectionForm(w, r, http.StatusOK, p)
	}
	in, hazards, blocks, f := p.In.parse(e.ID)
	if len(f) > 0 {
		// Show every message at once: what could not be read, and what
		// the domain rules say about the rest.
		for k, v := range in.Validate(s.store.Clock().Now()) {
			f.Add(k, v)
		}
		for i, h := range hazards {
			for k, v := range h.Validate(in.Date) {
				f.Add(fmt.Sprintf("hazard%d.%s", i, k), fmt.Sprintf("第%d项隐患：%s", i+1, v))
			}
		}
		return s.inspectionFormError(w, r, p, f.Err(), blocks)
	}
	before := s.cardStateIfMajor(r.Context(), e.ID, in.Date.Year(), hazards)
	if err := s.store.RecordInspection(r.Context(), in, hazards); err != nil {
		return s.inspectionFormError(w, r, p, err, blocks)
	}
	msg := "检查记录已保存。"
	if in.MajorHazards > 0 {
		msg += fmt.Sprintf("发现重大事故隐患%d项，已挂牌督办。", in.MajorHazards)
		after := s.cardStateIfMajor(r.Context(), e.ID, in.Date.Year(), hazards)
		if after == taotai.CardYellow && before != taotai.CardYellow {
			msg += fmt.Sprintf("企业已列入%d年度黄牌名单。", in.Date.Year())
		}
	}
	s.sessions.Put(r.Context(), sessionFlash, msg)
	http.Redirect(w, r, fmt.Sprintf("/inspections/%d", in.ID), http.StatusSeeOther)
	return nil
}

// cardStateIfMajor returns the state of the enterprise's card of a year
// when the hazards hold a major one ("" otherwise, or when unknown).
func (s *Server) cardStateIfMajor(ctx context.Context, enterpriseID int64, year int, hazards []*taotai.Hazard) string {
	for _, h := range hazards {
		if h.Level == taotai.HazardMajor {
			c, _, err := s.store.FindCard(ctx, enterpriseID, year)
			if err != nil {
				return ""
			}
			return c.State
		}
	}
	return ""
}

// inspectionInputFrom reads the posted form. Every hazard block is read;
// the form keeps as many blocks as it showed, or more when later blocks
// were filled.
func inspectionInputFrom(r *http.Request) inspectionInput {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	in := inspectionInput{Date: f("date"), Kind: f("kind"), Inspectors: f("inspectors"), InspectorCount: f("inspector_count"),
		ExpertCount: f("expert_count"), Findings: f("findings")}
	shown := min(max(atoiOr(f("hazards"), defaultHazardRows), 1), maxHazardRows)
	rows := make([]hazardRow, maxHazardRows)
	last := -1
	for i := range rows {
		rows[i] = hazardRow{Index: i, Description: f(hazardInput(i, "description")), Place: f(hazardInput(i, "place")),
			Level: f(hazardInput(i, "level")), Criterion: f(hazardInput(i, "criterion")), Deadline: f(hazardInput(i, "deadline"))}
		if !rows[i].blank() {
			last = i
		}
	}
	in.Hazards = rows[:max(shown, last+1)]
	return in
}

// parse converts the typed form. It returns the hazards of the non-blank
// blocks, the block index of each, and the messages of the values it
// cannot read, keyed as the store keys them (date, hazard0.deadline).
func (t inspectionInput) parse(enterpriseID int64) (*taotai.Inspection, []*taotai.Hazard, []int, taotai.FieldErrors) {
	f := taotai.FieldErrors{}
	in := &taotai.Inspection{EnterpriseID: enterpriseID, Kind: t.Kind, Inspectors: t.Inspectors, Findings: t.Findings}
	in.Date = parseDateField(f, "date", "检查日期", t.Date)
	var msg string
	if in.InspectorCount, msg = taotai.ParseCount("执法检查人员数量", t.InspectorCount); msg != "" {
		f.Add("inspector_count", msg)
	}
	if in.ExpertCount, msg = taotai.ParseCount("参与检查专家数量", t.ExpertCount); msg != "" {
		f.Add("expert_count", msg)
	}
	var hazards []*taotai.Hazard
	var blocks []int
	for _, row := range t.Hazards {
		if row.blank() {
			continue
		}
		i := len(hazards)
		hf := taotai.FieldErrors{}
		h := &taotai.Hazard{Description: row.Description, Place: row.Place, Level: row.Level}
		if row.Criterion != "" {
			id, err := strconv.ParseInt(row.Criterion, 10, 64)
			if err != nil || id <= 0 {
				hf.Add("criterion", "请从列表中选择判定标准条款。")
			}
			h.CriterionID = max(id, 0)
		}
		h.Deadline = parseDateField(hf, "deadline", "整改期限", row.Deadline)
		for k, v := range hf {
			f.Add(fmt.Sprintf("hazard%d.%s", i, k), fmt.Sprintf("第%d项隐患：%s", i+1, v))
		}
		hazards = append(hazards, h)
		blocks = append(blocks, row.Index)
	}
	return in, hazards, blocks, f
}

// parseDateField reads a date typed in a field: blank gives the zero time
// (the domain says whether it is required), anything unreadable or outside
// the system's date range a message.
func parseDateField(f taotai.FieldErrors, field, label, s string) time.Time {
	if strings.TrimSpace(s) == "" {
		return time.Time{}
	}
	d, ok := taotai.ParseDate(s)
	switch {
	case !ok:
		f.Add(field, label+msgDateFormat)
	case !taotai.DateInRange(d):
		f.Add(field, taotai.DateRangeMessage(label))
	}
	return d
}

// inspectionFields is the order of the form's fields, for the summary.
var inspectionFields = []string{"date", "kind", "inspectors", "inspector_count", "expert_count", "findings"}

// hazardFields is the order of a hazard block's fields.
var hazardFields = []string{"description", "place", "level", "criterion", "deadline"}

// inspectionFormError re-renders the form with the messages beside their
// fields; blocks maps the store's hazard index to the form's block.
func (s *Server) inspectionFormError(w http.ResponseWriter, r *http.Request, p *inspectionFormPage, err error, blocks []int) error {
	var appErr *taotai.Error
	if !errors.As(err, &appErr) || (appErr.Code != taotai.EINVALID && appErr.Code != taotai.ECONFLICT) {
		return err
	}
	p.Message, p.Errors = appErr.Message, map[string]string{}
	for k, v := range appErr.Fields {
		if i, field, ok := hazardKey(k); ok && i < len(blocks) {
			b := blocks[i]
			v = fmt.Sprintf("第%d项隐患：%s", b+1, strings.TrimPrefix(v, fmt.Sprintf("第%d项隐患：", i+1)))
			k = hazardInput(b, field)
		}
		p.Errors[k] = v
	}
	keys := append([]string(nil), inspectionFields...)
	for _, row := range p.In.Hazards {
		for _, field := range hazardFields {
			keys = append(keys, row.Name(field))
		}
	}
	for _, k := range keys {
		if msg, ok := p.Errors[k]; ok {
			p.Summary = append(p.Summary, fieldError{k, msg})
		}
	}
	return s.renderInspectionForm(w, r, statusOf(appErr.Code), p)
}

// hazardKey splits a key of the store's messages about the hazards,
// "hazard1.deadline", into the hazard's index and the field.
func hazardKey(k string) (int, string, bool) {
	rest, ok := strings.CutPrefix(k, "hazard")
	if !ok {
		return 0, "", false
	}
	n, field, ok := strings.Cut(rest, ".")
	i, err := strconv.Atoi(n)
	return i, field, ok && err == nil && i >= 0 && field != ""
}

// wanMessage words the message of an amount in 万元 that cannot be read
// for the field label.
func wanMessage(label string, err error) string {
	return strings.Replace(taotai.ErrorMessage(err), "金额", label, 1)
}

func (s *Server) renderInspectionForm(w http.ResponseWriter, r *http.Request, status int, p *inspectionFormPage) error {
	title := "录入执法检查"
	if len(p.Summary) > 0 || p.Message != "" {
		title = "错误：" + title
	}
	p.Page = s.page(r, title)
	p.Kinds, p.Levels = taotai.InspectionKinds, taotai.HazardLevels
	// The criteria in force on the form's date (today when it cannot be
	// read): the store refuses any other.
	p.CriteriaDay = taotai.Today(s.store.Clock().Now())
	if d, ok := taotai.ParseDate(p.In.Date); ok && taotai.DateInRange(d) {
		p.CriteriaDay = d
	}
	crits, err := s.store.CriteriaOn(r.Context(), p.E.IndustryID, p.CriteriaDay)
	if err != nil {
		return err
	}
	for _, c := range crits {
		if n := len(p.Criteria); n == 0 || p.Criteria[n-1].Standard != c.Standard {
			p.Criteria = append(p.Criteria, criterionGroup{Standard: c.Standard, InForce: c.InForceText()})
		}
		g := &p.Criteria[len(p.Criteria)-1]
		g.Items = append(g.Items, c)
	}
	// A date the picker cannot show is shown as typed; a readable one in
	// the picker's own form.
	p.In.Date = pickerValue(p.In.Date)
	for i := range p.In.Hazards {
		p.In.Hazards[i].Deadline = pickerValue(p.In.Hazards[i].Deadline)
	}
	s.render(w, r, status, "inspection_form", p)
	return nil
}

// pickerValue rewrites a readable date as yyyy-mm-dd for <input type=date>.
func pickerValue(s string) string {
	if d, ok := taotai.ParseDate(s); ok {
		return d.Format(dateLayout)
	}
	return s
}

// CriterionSelected reports whether the block chose criterion id.
func (h hazardRow) CriterionSelected(id int64) bool { return h.Criterion == strconv.FormatInt(id, 10) }

// documentInput is the form that issues a document, as typed.
type documentInput struct{ Kind, IssuedOn, Seq, Hazard, Fine, Content, StopState, Notice, Waived string }

// maxDocContentLen bounds the text of a document, in characters.
const maxDocContentLen = 2000

// inspectionPage is an inspection with its hazards and documents, and the
// form that issues a document.
type inspectionPage struct {
	Page
	inspNames
	In      *taotai.Inspection
	Hazards []*taotai.Hazard
	Docs    []*taotai.Document
	Notices []*taotai.PenaltyNotice // the enterprise's 行政处罚告知书, for a decision to follow
	Now     time.Time
	Doc     documentInput
	Kinds   []string
	Errors  map[string]string
	Summary []fieldError
	Message string
}

// HazardNo returns the number of a hazard in the inspection, from 1 (0
// when it is not one of them).
func (p *inspectionPage) HazardNo(id int64) int {
	for i, h := range p.Hazards {
		if h.ID == id {
			return i + 1
		}
	}
	return 0
}

// StopStateName names the extent of a stop order.
func (p *inspectionPage) StopStateName(state string) string { return taotai.StopStateName(state) }

// OpenNotices are the notices no decision has followed yet.
func (p *inspectionPage) OpenNotices() []*taotai.PenaltyNotice {
	var out []*taotai.PenaltyNotice
	for _, n := range p.Notices {
		if n.DecisionID == 0 {
			out = append(out, n)
		}
	}
	return out
}

// NoticeSelected reports whether the form chose notice id.
func (p *inspectionPage) NoticeSelected(id int64) bool {
	return p.Doc.Notice == strconv.FormatInt(id, 10)
}

// HazardSelected reports whether the form chose hazard id.
func (p *inspectionPage) HazardSelected(id int64) bool {
	return p.Doc.Hazard == strconv.FormatInt(id, 10)
}

func (s *Server) inspectionDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in, hs, ds, err := s.store.FindInspection(r.Context(), id)
	if err != nil {
		return err
	}
	p := &inspectionPage{In: in, Hazards: hs, Docs: ds, Doc: documentInput{IssuedOn: s.store.Clock().Now().In(taotai.Shanghai).Format(dateLayout)}}
	s.renderInspection(w, r, http.StatusOK, p)
	return nil
}

func (s *Server) renderInspection(w http.ResponseWriter, r *http.Request, status int, p *inspectionPage) {
	title := p.In.EnterpriseName + " " + p.In.Date.Format("2006年1月2日") + "执法检查"
	if len(p.Summary) > 0 || p.Message != "" {
		title = "错误：" + title
	}
	p.Page = s.page(r, title)
	p.Now, p.Kinds = s.store.Clock().Now(), nil
	for _, k := range taotai.IssuedKinds {
		if k != taotai.DocPenalty || p.Can(string(taotai.ActDecidePenalty)) {
			p.Kinds = append(p.Kinds, k)
		}
	}
	if ns, err := s.store.PenaltyNotices(r.Context(), p.In.EnterpriseID); err == nil {
		p.Notices = ns
	}
	p.Doc.IssuedOn = pickerValue(p.Doc.IssuedOn)
	s.render(w, r, status, "inspection", p)
}

func (s *Server) documentIssue(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in, hs, ds, err := s.store.FindInspection(r.Context(), id)
	if err != nil {
		return err
	}
	if a := taotai.ActorFromContext(r.Context()); !a.Can(taotai.ActIssueDocument) {
		return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能下达执法文书。", taotai.RoleName(a.Role))
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	p := &inspectionPage{In: in, Hazards: hs, Docs: ds, Doc: documentInput{Kind: f("kind"), IssuedOn: f("issued_on"), Seq: f("seq"),
		Hazard: f("hazard"), Fine: f("fine"), Content: f("content"), StopState: f("stop_state"), Notice: f("notice"), Waived: f("waived")}}
	d, fe := p.Doc.parse(id)
	if len(fe) > 0 {
		return s.documentError(w, r, p, fe.Err())
	}
	msg := ""
	if d.Kind == taotai.DocPenaltyNotice {
		n := &taotai.PenaltyNotice{InspectionID: id, IssuedOn: d.IssuedOn, Seq: d.Seq, Fine: d.Fine, StopState: d.StopState, Content: d.Content,
			Waived: p.Doc.Waived == "1"}
		if err := s.store.IssuePenaltyNotice(r.Context(), n); err != nil {
			return s.documentError(w, r, p, err)
		}
		msg = fmt.Sprintf("已下达%s。企业陈述、申辩期限至%s", n.Number, n.StatementUntil.Format("2006年1月2日"))
		if n.Hearing {
			msg += fmt.Sprintf("，申请听证期限至%s", n.HearingUntil.Format("2006年1月2日"))
		}
		if n.Waived {
			msg += "；企业已书面放弃陈述、申辩，可即作出处罚决定。"
		} else {
			msg += fmt.Sprintf("；处罚决定最早于%s作出。", n.WaitUntil().AddDate(0, 0, 1).Format("2006年1月2日"))
		}
	} else {
		if err := s.store.IssueDocument(r.Context(), d); err != nil {
			return s.documentError(w, r, p, err)
		}
		msg = "已下达" + d.Number + "。"
		if d.StopState != "" {
			msg += "企业自" + d.IssuedOn.Format("2006年1月2日") + "起" + taotai.ProductionStateName(d.StopState) + "。"
		}
	}
	s.sessions.Put(r.Context(), sessionFlash, msg)
	http.Redirect(w, r, fmt.Sprintf("/inspections/%d", id), http.StatusSeeOther) //nolint:gosec // G710: our own path with a numeric id, no host
	return nil
}

// parse converts the typed document form, with a message per field it
// cannot read.
func (t documentInput) parse(inspectionID int64) (*taotai.Document, taotai.FieldErrors) {
	f := taotai.FieldErrors{}
	d := &taotai.Document{InspectionID: inspectionID, Kind: t.Kind, Content: t.Content}
	if t.Kind == "" {
		f.Add("kind", "请选择文书种类。")
	}
	if t.IssuedOn == "" {
		f.Add("issued_on", "请填写文书日期。")
	}
	d.IssuedOn = parseDateField(f, "issued_on", "文书日期", t.IssuedOn)
	if t.Seq != "" {
		n, err := strconv.Atoi(strings.TrimSpace(taotai.FoldWidth(t.Seq)))
		if err != nil || n <= 0 || n > 999_999_999 {
			f.Add("seq", "序号应为正整数；留空则由系统自动编号。")
		}
		d.Seq = max(n, 0)
	}
	if t.Hazard != "" {
		id, err := strconv.ParseInt(t.Hazard, 10, 64)
		if err != nil || id <= 0 {
			f.Add("hazard", "请从列表中选择所针对的隐患。")
		}
		d.HazardID = max(id, 0)
	}
	if t.Fine != "" {
		fine, err := taotai.ParseWan(t.Fine)
		if err != nil {
			f.Add("fine", wanMessage("罚款金额", err))
		}
		d.Fine = fine
	}
	if t.Notice != "" {
		id, err := strconv.ParseInt(t.Notice, 10, 64)
		if err != nil || id <= 0 {
			f.Add("notice", "请从列表中选择所依据的行政处罚告知书。")
		}
		d.NoticeID = max(id, 0)
	}
	switch t.StopState {
	case "", taotai.StateStopped, taotai.StatePartial:
		d.StopState = t.StopState
	default:
		f.Add("stop_state", "请选择责令停产停业整顿的范围：全部停产或局部停产。")
	}
	if len([]rune(t.Content)) > maxDocContentLen {
		f.Add("content", fmt.Sprintf("文书内容不能超过%d字。", maxDocContentLen))
	}
	return d, f
}

// documentFields is the order of the document form, for the summary.
var documentFields = []string{"kind", "issued_on", "seq", "hazard", "notice", "fine", "stop_state", "content"}

// documentError re-renders the inspection with the message beside the
// field of the document form it concerns.
func (s *Server) documentError(w http.ResponseWriter, r *http.Request, p *inspectionPage, err error) error {
	var appErr *taotai.Error
	if !errors.As(err, &appErr) || (appErr.Code != taotai.EINVALID && appErr.Code != taotai.ECONFLICT) {
		return err
	}
	p.Message, p.Errors = appErr.Message, map[string]string{}
	for k, v := range appErr.Fields {
		p.Errors[k] = v
	}
	if len(p.Errors) == 0 {
		p.Errors[documentErrorField(appErr.Message)] = appErr.Message
	}
	for _, k := range documentFields {
		if msg, ok := p.Errors[k]; ok {
			p.Summary = append(p.Summary, fieldError{k, msg})
		}
	}
	s.renderInspection(w, r, statusOf(appErr.Code), p)
	return nil
}

// documentErrorField guesses the field of the form a rule's message is
// about, so that it appears beside it.
func documentErrorField(msg string) string {
	switch {
	case strings.Contains(msg, "告知书"), strings.Contains(msg, "陈述"):
		return "notice"
	case strings.Contains(msg, "停产"):
		return "stop_state"
	case strings.Contains(msg, "罚款"):
		return "fine"
	case strings.Contains(msg, "文书日期"):
		return "issued_on"
	case strings.Contains(msg, "所选隐患"):
		return "hazard"
	case strings.Contains(msg, "文书编号"), strings.Contains(msg, "序号"):
		return "seq"
	}
	return "kind"
}
