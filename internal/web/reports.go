package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"taotai"
)

// The reporting year's pages: the timeliness grid (unit × period of a
// channel) and the page of one due report with its versions and the one
// next action of the user's role. The rules are taotai's and the store's;
// these handlers only lay them out.

// reportGridPage is the timeliness grid of a channel's reports of a year.
type reportGridPage struct {
	Page
	Years   []int
	Year    int
	Sectors []string // the channels the user may choose between
	Sector  string
	Grid    *taotai.ReportGrid
}

// attrText escapes text as html/template does in element text and quoted
// attribute values (its htmlReplacementTable), so that cells written here
// read exactly as those it would write.
var attrText = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// RowCells writes unit i's cells of the grid, one per period. The
// province's grid has some 200 cells of eight escaped pieces each: through
// html/template (a method, a function and an escaper each, by reflection)
// they took half the page's CPU (issue 14). Every piece is escaped here as
// html/template would (TestReportRowCellsAsTemplate); the address is
// reportPath's, its parts path-escaped.
func (p *reportGridPage) RowCells(i int) template.HTML {
	u := p.Grid.Units[i]
	var b strings.Builder
	esc := func(s string) { _, _ = attrText.WriteString(&b, s) } // a Builder's writes do not fail
	for j, c := range p.Grid.Cells[i] {
		per := p.Grid.Periods[j]
		short := periodShort(per)
		describe := c.Describe()
		b.WriteString("\n    <td data-label=\"")
		esc(short)
		b.WriteString(`" class="cell report-state-`)
		esc(c.State)
		b.WriteString(`" id="cell-`)
		esc(u.Code)
		b.WriteString("-")
		esc(per.Key)
		b.WriteString(`"><a href="`)
		esc(p.CellLink(u, per))
		b.WriteString(`" aria-label="`)
		esc(u.Name + " " + short + "：" + describe)
		b.WriteString(`"><span class="tag `)
		esc(stateClass(c.State))
		b.WriteString(`" data-short="`)
		esc(shortState(c))
		b.WriteString(`"><span class="long">`)
		esc(describe)
		b.WriteString("</span></span></a></td>\n    ")
	}
	return template.HTML(b.String()) //nolint:gosec // every piece escaped above
}

// CellLink is the address of a cell's due report.
func (p *reportGridPage) CellLink(u taotai.ReportUnit, per taotai.ReportPeriod) string {
	return reportPath(per.Key, u.Code, p.Sector)
}

func (s *Server) reportGrid(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := taotai.ActorFromContext(ctx)
	years, err := s.store.CampaignYears(ctx)
	if err != nil {
		return err
	}
	if len(years) == 0 {
		return taotai.Errorf(taotai.ENOTFOUND, "尚未配置任何年度工作。")
	}
	p := &reportGridPage{Page: s.page(r, "报送情况"), Year: years[0].Year, Sectors: visibleSectors(a)}
	for _, y := range years {
		p.Years = append(p.Years, y.Year)
	}
	q := r.URL.Query()
	if y := q.Get("year"); y != "" {
		p.Year = atoiOr(y, 0)
		if !containsInt(p.Years, p.Year) {
			return taotai.Errorf(taotai.EINVALID, "年度“%s”未配置。", truncate(y, 10))
		}
	}
	p.Sector = p.Sectors[0]
	if sec := q.Get("sector"); sec != "" {
		p.Sector = sec
	}
	if p.Grid, err = s.store.ReportGrid(ctx, p.Year, p.Sector); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "reports", p)
	return nil
}

// visibleSectors lists the channels of the user's lane, non-coal first.
func visibleSectors(a *taotai.Actor) []string {
	if a.Sector != "" {
		return []string{a.Sector}
	}
	return []string{taotai.SectorNonCoal, taotai.SectorCoal}
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// reportPath is the address of a due report's page.
func reportPath(period, region, sector string) string {
	return "/reports/" + url.PathEscape(period) + "/" + url.PathEscape(region) + "/" + url.PathEscape(sector)
}

// pct writes a rate in percent: "87.5%".
func pct(v float64) string {
	return strings.TrimSuffix(strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), "0"), ".") + "%"
}

// stateClass is the tag class of a report state.
func stateClass(state string) string {
	switch state {
	case taotai.ReportMissing, taotai.ReportReturned:
		return "danger"
	case taotai.ReportLate:
		return "warn"
	case taotai.ReportNotDue:
		return "status"
	}
	return "ok"
}

// dueTime writes a due instant (24:00 of a day) as its day: "2020年6月25日24时".
func dueTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(taotai.Shanghai)
	if t.Hour() == 0 && t.Minute() == 0 {
		return t.Add(-time.Minute).Format("2006年1月2日") + "24时"
	}
	return t.Format("2006年1月2日15:04")
}

// periodShort names a period in a grid's heading: "首次报送", "6月", "年度".
func periodShort(p taotai.ReportPeriod) string {
	switch {
	case p.Annual():
		return "年度"
	case p.First():
		return "首次报送"
	}
	return p.Label
}

// dueShort writes a due day briefly, for a narrow grid's heading: "6.25".
func dueShort(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(taotai.Shanghai).Format("1.2")
}

// shortState is a grid cell's state in a word or two, for a narrow
// screen (the cell's link still names it in full): "按时", "未报\n逾3天".
func shortState(st taotai.ReportStatus) string {
	switch {
	case st.State == taotai.ReportMissing:
		return fmt.Sprintf("未报\n逾%d天", st.LateDays)
	case st.State == taotai.ReportLate:
		return fmt.Sprintf("逾期\n%d天", st.LateDays)
	case st.State == taotai.ReportOnTime:
		return "按时"
	case st.State == taotai.ReportReturned:
		return "退回"
	case st.State == taotai.ReportAccepted && !st.OnTime:
		return fmt.Sprintf("通过\n逾%d天", st.LateDays)
	case st.State == taotai.ReportAccepted:
		return "通过"
	}
	return taotai.ReportStateName(st.State)
}

// reportInputs is what was typed in the forms of a report's page.
type reportInputs struct {
	Person, Phone, Summary string
	Zero                   bool
	Note, Reason           string // review
	UnlockReason           string
	NewDue, ExtendReason   string       // an administrator's extension of the due day
	Keep                   map[int]bool // the latest version's summary files kept (from 1)
}

// reportVersion is one version as the page lists it.
type reportVersion struct {
	*taotai.Submission
	Links     []versionLink
	FileLinks []versionFile // the work summary's files
}

// versionLink is one downloadable 附件 of a version.
type versionLink struct {
	Form   int
	Rows   int
	SHA256 string
	Href   string
}

// reportPage is one due report: its due time, versions, lock and the next
// action of the user's role.
type reportPage struct {
	Page
	Due      taotai.DueReport
	Status   taotai.ReportStatus
	Versions []reportVersion
	Latest   *taotai.Submission
	Changes  []taotai.VersionChanges // each version against the one before, newest first
	Lock     *taotai.ReportLock
	Now      time.Time
	// The one next action, by role and state.
	Action       string // prepare, submit, review, unlock, or "" for none
	Waiting      string // what the report waits for, when the user has no action
	NotOpen      string // why it cannot be prepared yet
	In           reportInputs
	Form         string // the form that failed
	FormError    string
	Errors       map[string]string
	ErrorSummary []fieldError
	Message      string
	CanExtend    bool // an administrator may move the due day, until the period is locked
}

// Base is the page's address.
func (p *reportPage) Base() string {
	return reportPath(p.Due.Period.Key, p.Due.Unit.Code, p.Due.Sector)
}

// FormErrorFor returns the message about form as a whole, if it failed.
func (p *reportPage) FormErrorFor(form string) string {
	if p.Form == form {
		return p.FormError
	}
	return ""
}

// loadReport reads the due report of the address with its versions and
// lock: ENOTFOUND outside the lane (the store decides).
func (s *Server) loadReport(r *http.Request) (*reportPage, error) {
	ctx := r.Context()
	period, region, sector := r.PathValue("period"), r.PathValue("region"), r.PathValue("sector")
	subs, err := s.store.Submissions(ctx, period, region, sector)
	if err != nil {
		return nil, err
	}
	year, _ := strconv.Atoi(strings.SplitN(period, "-", 2)[0])
	cal, err := s.store.ReportCalendar(ctx, year)
	if err != nil {
		return nil, err
	}
	d, err := taotai.FindDueReport(cal, period, region, sector)
	if err != nil {
		return nil, err
	}
	p := &reportPage{Due: d, Now: s.store.Clock().Now()}
	var marks []taotai.SubmissionMark
	for _, sub := range subs {
		full, err := s.store.FindSubmission(ctx, sub.ID)
		if err != nil {
			return nil, err
		}
		v := reportVersion{Submission: full}
		for _, f := range full.Forms {
			v.Links = append(v.Links, versionLink{Form: f.Form, Rows: f.Rows, SHA256: f.SHA256,
				Href: fmt.Sprintf("%s/versions/%d/附件%d.xlsx", p.Base(), full.ID, f.Form)})
		}
		v.FileLinks = versionFiles(p.Base(), full)
		p.Versions = append(p.Versions, v)
		p.Latest = full
		if full.State != taotai.SubmissionPrepared {
			marks = append(marks, taotai.SubmissionMark{Version: full.Version, State: full.State, SubmittedAt: full.SubmittedAt})
		}
	}
	p.Status = taotai.StatusOf(d, marks, p.Now)
	if p.Changes, err = versionChanges(p.Versions); err != nil {
		return nil, err
	}
	if l, err := s.store.ReportLock(ctx, period, region, sector); err == nil {
		p.Lock = l
	} else if taotai.ErrorCode(err) != taotai.ENOTFOUND {
		return nil, err
	}
	return p, nil
}

// decide sets the one next action of the user's role, or what the report
// waits for.
func (p *reportPage) decide(a *taotai.Actor) {
	state := ""
	if p.Latest != nil {
		state = p.Latest.State
	}
	province := a.RegionCode == taotai.ProvinceCode
	p.CanExtend = p.Lock == nil && a.Can(taotai.ActExtendReport)
	switch {
	case p.Lock != nil:
		if a.Can(taotai.ActUnlockReport) && province {
			p.Action = "unlock"
		}
		p.Waiting = p.Lock.Message()
	case state == taotai.SubmissionSubmitted:
		if a.Can(taotai.ActReviewReport) {
			p.Action = "review"
		} else {
			p.Waiting = fmt.Sprintf("第%d版已报送，待%s审核。", p.Latest.Version, taotai.ChannelName(p.Due.Sector))
		}
	case state == taotai.SubmissionPrepared && a.Can(taotai.ActSubmitReport):
		p.Action = "submit"
	case a.Can(taotai.ActPrepareReport):
		if !p.Due.Open(p.Now) {
			p.NotOpen = fmt.Sprintf("本期报告自%s起方可填报和报送（截止%s）。", p.Due.OpensAt.Format("2006年1月2日"), dueTime(p.Due.DueAt))
		} else {
			p.Action = "prepare"
		}
		if state == taotai.SubmissionPrepared {
			p.Waiting = fmt.Sprintf("第%d版已生成，待市级审核人员审核后报送。", p.Latest.Version)
		}
	case state == taotai.SubmissionPrepared:
		p.Waiting = fmt.Sprintf("第%d版已生成，待市级审核人员审核后报送。", p.Latest.Version)
	case state == taotai.SubmissionReturned:
		p.Waiting = fmt.Sprintf("第%d版已退回，待%s重新填报。", p.Latest.Version, p.Due.Unit.Name)
	case state == "":
		p.Waiting = "尚未填报。"
	}
}

func (s *Server) reportDetail(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadReport(r)
	if err != nil {
		return err
	}
	p.In = defaultInputs(p)
	s.renderReport(w, r, http.StatusOK, p)
	return nil
}

// defaultInputs fills the preparation form with the latest version's
// person and phone.
func defaultInputs(p *reportPage) reportInputs {
	in := reportInputs{Keep: map[int]bool{}}
	if p.Latest != nil {
		in.Person, in.Phone, in.Summary = p.Latest.Person, p.Latest.Phone, p.Latest.Summary
		for i := range p.Latest.Files {
			in.Keep[i+1] = true
		}
	}
	return in
}

func (s *Server) renderReport(w http.ResponseWriter, r *http.Request, status int, p *reportPage) {
	title := p.Due.Unit.Name + " " + p.Due.Period.Name() + " " + taotai.SectorName(p.Due.Sector) + "报告"
	if len(p.ErrorSummary) > 0 {
		title = "错误：" + title
	}
	p.Page = s.page(r, title)
	p.decide(p.Actor)
	s.showNames(r.Context(), p)
	s.render(w, r, status, "report", p)
}

// reportDone goes back to the report's page with a message.
func (s *Server) reportDone(w http.ResponseWriter, r *http.Request, p *reportPage, msg string) error {
	s.sessions.Put(r.Context(), sessionFlash, msg)
	// The address is the calendar's due report (its period, unit and
	// channel as the store found them), always a path on this site.
	http.Redirect(w, r, p.Base(), http.StatusSeeOther) //nolint:gosec // G710: see above

	return nil
}

// postedReport loads the report of the address with what was typed: ENOTFOUND
// outside the lane, then EFORBIDDEN for a role without the action.
func (s *Server) postedReport(r *http.Request, act taotai.Action, form string) (*reportPage, error) {
	p, err := s.loadReport(r)
	if err != nil {
		return nil, err
	}
	a := taotai.ActorFromContext(r.Context())
	if !a.Can(act) {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能执行此操作。", taotai.RoleName(a.Role))
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	p.In = defaultInputs(p)
	p.Form = form
	switch form {
	case "prepare":
		p.In.Person, p.In.Phone, p.In.Summary, p.In.Zero = f("person"), f("phone"), f("summary"), f("zero") == "1"
		p.In.Keep = keptFiles(r)
	case "review":
		p.In.Note, p.In.Reason = f("note"), f("reason")
	case "unlock":
		p.In.UnlockReason = f("unlock_reason")
	case "extend":
		p.In.NewDue, p.In.ExtendReason = f("due"), f("extend_reason")
	}
	return p, nil
}

// postedVersion is the version of the address, which must belong to the
// report of the address.
func (s *Server) postedVersion(r *http.Request, p *reportPage) (*taotai.Submission, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	for _, v := range p.Versions {
		if v.ID == id {
			return v.Submission, nil
		}
	}
	return nil, notFound()
}

func (s *Server) reportPrepare(w http.ResponseWriter, r *http.Request) error {
	p, err := s.postedReport(r, taotai.ActPrepareReport, "prepare")
	if err != nil {
		return err
	}
	prep := &taotai.ReportPreparation{PeriodKey: p.Due.Period.Key, RegionCode: p.Due.Unit.Code, Sector: p.Due.Sector,
		Person: p.In.Person, Phone: p.In.Phone, Zero: p.In.Zero, Summary: p.In.Summary}
	if p.Due.Summary {
		if prep.Files, err = summaryFiles(r, p.Latest, p.In.Keep); err != nil {
			return s.reportError(w, r, p, err)
		}
	}
	sub, err := s.store.PrepareReport(r.Context(), prep)
	if err != nil {
		return s.reportError(w, r, p, err)
	}
	msg := fmt.Sprintf("第%d版已生成，请市级审核人员核对后报送。", sub.Version)
	if sub.Zero {
		msg = fmt.Sprintf("第%d版（零报告）已生成，请市级审核人员核对后报送。", sub.Version)
	}
	return s.reportDone(w, r, p, msg)
}

func (s *Server) reportSubmit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.postedReport(r, taotai.ActSubmitReport, "submit")
	if err != nil {
		return err
	}
	v, err := s.postedVersion(r, p)
	if err != nil {
		return err
	}
	if err := s.store.SubmitReport(r.Context(), v.ID); err != nil {
		return s.reportError(w, r, p, err)
	}
	return s.reportDone(w, r, p, fmt.Sprintf("第%d版已报送%s。", v.Version, taotai.ChannelName(p.Due.Sector)))
}

func (s *Server) reportAccept(w http.ResponseWriter, r *http.Request) error {
	p, err := s.postedReport(r, taotai.ActReviewReport, "review")
	if err != nil {
		return err
	}
	v, err := s.postedVersion(r, p)
	if err != nil {
		return err
	}
	if err := s.store.AcceptReport(r.Context(), v.ID, p.In.Note); err != nil {
		return s.reportError(w, r, p, err)
	}
	return s.reportDone(w, r, p, fmt.Sprintf("第%d版已审核通过，本期报告已锁定。", v.Version))
}

func (s *Server) reportReturn(w http.ResponseWriter, r *http.Request) error {
	p, err := s.postedReport(r, taotai.ActReviewReport, "review")
	if err != nil {
		return err
	}
	v, err := s.postedVersion(r, p)
	if err != nil {
		return err
	}
	if err := s.store.ReturnReport(r.Context(), v.ID, p.In.Reason); err != nil {
		return s.reportError(w, r, p, err)
	}
	return s.reportDone(w, r, p, fmt.Sprintf("第%d版已退回%s。", v.Version, p.Due.Unit.Name))
}

func (s *Server) reportUnlock(w http.ResponseWriter, r *http.Request) error {
	p, err := s.postedReport(r, taotai.ActUnlockReport, "unlock")
	if err != nil {
		return err
	}
	err = s.store.UnlockReport(r.Context(), p.Due.Period.Key, p.Due.Unit.Code, p.Due.Sector, p.In.UnlockReason)
	if err != nil {
		return s.reportError(w, r, p, err)
	}
	return s.reportDone(w, r, p, "本期报告已解锁，"+p.Due.Unit.Name+"可重新填报。")
}

// reportExtend moves the report's due day for this unit and channel, with
// a reason (administrators; kept, shown and audited by the store).
func (s *Server) reportExtend(w http.ResponseWriter, r *http.Request) error {
	p, err := s.postedReport(r, taotai.ActExtendReport, "extend")
	if err != nil {
		return err
	}
	day, err := parseDate("新的截止日期", p.In.NewDue)
	if err != nil {
		return s.reportError(w, r, p, err)
	}
	var due time.Time
	if !day.IsZero() {
		due = taotai.EndOfDay(day)
	}
	err = s.store.ExtendReport(r.Context(), &taotai.ReportExtension{PeriodKey: p.Due.Period.Key, RegionCode: p.Due.Unit.Code,
		Sector: p.Due.Sector, DueAt: due, Reason: p.In.ExtendReason})
	if err != nil {
		return s.reportError(w, r, p, err)
	}
	return s.reportDone(w, r, p, fmt.Sprintf("%s本期报告的截止时间已延至%s。", p.Due.Unit.Name, dueTime(due)))
}

// reportErrorField places a store message beside the field it concerns;
// "" puts it at the top of the form.
func reportErrorField(form, msg string) string {
	switch {
	case form == "prepare" && strings.Contains(msg, "填报人"):
		return "person"
	case form == "prepare" && strings.Contains(msg, "联系电话"):
		return "phone"
	case form == "prepare" && strings.Contains(msg, "零报告"):
		return "zero"
	case form == "prepare" && strings.Contains(msg, "文件"):
		return "summary_files"
	case form == "prepare" && strings.Contains(msg, "工作总结"):
		return "summary"
	case form == "review" && strings.Contains(msg, "退回理由"):
		return "reason"
	case form == "review" && strings.Contains(msg, "审核意见"):
		return "note"
	case form == "unlock" && strings.Contains(msg, "解锁理由"):
		return "unlock_reason"
	case form == "extend" && strings.Contains(msg, "延期理由"):
		return "extend_reason"
	case form == "extend" && strings.Contains(msg, "截止"):
		return "due"
	}
	return ""
}

// reportError re-renders the report's page with the store's message beside
// the field it concerns (or at the top of the form) and in the error
// summary; what the person typed is kept. Other errors go to the error page.
func (s *Server) reportError(w http.ResponseWriter, r *http.Request, p *reportPage, err error) error {
	code := taotai.ErrorCode(err)
	if code != taotai.EINVALID && code != taotai.ECONFLICT {
		return err
	}
	msg := taotai.ErrorMessage(err)
	p.Message, p.Errors = "提交未成功", map[string]string{}
	if k := reportErrorField(p.Form, msg); k != "" {
		p.Errors[k] = msg
		p.ErrorSummary = append(p.ErrorSummary, fieldError{k, msg})
	} else {
		p.FormError = msg
		p.ErrorSummary = append(p.ErrorSummary, fieldError{p.Form + "-form", msg})
	}
	if code == taotai.ECONFLICT {
		// Show what holds now: another version, a lock.
		if cur, lerr := s.loadReport(r); lerr == nil {
			cur.In, cur.Form, cur.FormError, cur.Errors, cur.ErrorSummary, cur.Message = p.In, p.Form, p.FormError, p.Errors, p.ErrorSummary, p.Message
			p = cur
		}
	}
	s.renderReport(w, r, statusOf(code), p)
	return nil
}

// reportVersionFile sends one 附件 of a version exactly as it was
// prepared or sent: the stored bytes.
func (s *Server) reportVersionFile(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadReport(r)
	if err != nil {
		return err
	}
	v, err := s.postedVersion(r, p)
	if err != nil {
		return err
	}
	name := r.PathValue("file")
	num, isForm := strings.CutPrefix(name, "附件")
	num, isXLSX := strings.CutSuffix(num, ".xlsx")
	if !isForm || !isXLSX {
		return notFound()
	}
	form := atoiOr(num, 0)
	for _, f := range v.Forms {
		if f.Form != form {
			continue
		}
		note := fmt.Sprintf("附件%d，%s，%s，%s，第%d版", f.Form, p.Due.Unit.Name, taotai.SectorName(p.Due.Sector), p.Due.Period.Key, v.Version)
		if err := s.store.RecordEvent(r.Context(), taotai.AuditExport, "report_submission", v.ID, note); err != nil {
			return err
		}
		file := fmt.Sprintf("附件%d-%s-%s-%s-第%d版.xlsx", f.Form, p.Due.Unit.Name, taotai.SectorName(p.Due.Sector), p.Due.Period.Key, v.Version)
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(file))
		w.Header().Set("Content-Length", strconv.Itoa(len(f.XLSX)))
		_, err := w.Write(f.XLSX)
		return err
	}
	return notFound()
}
