package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"taotai"
	"taotai/internal/store"
)

// The lists of records: /inspections, /hazards, /documents and /cards.
// Every figure of the dashboard and of the forms opens to one of them, so
// their addresses are a contract:
//
//	/inspections?region=&industry=&enterprise=&from=&to=
//	/hazards?…&level=major|general&status=open|rectifying|passed|failed|unresolved&overdue=1
//	        &due_soon=1&no_guarantees=1&no_stop_order=1 (the worklist's rules)
//	/documents?…&kind=rect_order|penalty|stop_order|recheck|site_record&fined=1
//	/cards?year=&region=&industry=&state=yellow|red|cleared|proposed|closed|accepted&overdue=1
//
// all with sector=coal|noncoal and page=N. A value the list does not accept
// is answered 400 with the form and a message; a region or an enterprise
// outside the user's lane shows nothing, as /enterprises does.

// listQuery reads a list's criteria from the address, with a Chinese
// message for each value the list does not accept.
type listQuery struct {
	q    url.Values
	errs []fieldError
}

func (l *listQuery) get(key string) string { return strings.TrimSpace(l.q.Get(key)) }

func (l *listQuery) bad(key, format string, args ...any) {
	l.errs = append(l.errs, fieldError{Field: key, Message: fmt.Sprintf(format, args...)})
}

// region reads a GB/T 2260 code: six digits.
func (l *listQuery) region() string {
	v := l.get("region")
	if v != "" && (len(v) != 6 || strings.Trim(v, "0123456789") != "") {
		l.bad("region", "地区代码“%s”不正确：应为6位数字的行政区划代码，如210300。", truncate(v, 20))
		return ""
	}
	return v
}

// id reads a record's number: a positive integer.
func (l *listQuery) id(key, label string) int64 {
	v := l.get(key)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		l.bad(key, "%s“%s”不正确：应为正整数编号。", label, truncate(v, 20))
		return 0
	}
	return n
}

func (l *listQuery) date(key, label string) time.Time {
	v := l.get(key)
	if v == "" {
		return time.Time{}
	}
	d, err := time.ParseInLocation(time.DateOnly, v, taotai.Shanghai)
	switch {
	case err != nil:
		l.bad(key, "%s“%s”不正确：应为“2020-05-11”的格式。", label, truncate(v, 20))
	case !taotai.DateInRange(d):
		l.bad(key, "%s", taotai.DateRangeMessage(label))
	default:
		return d
	}
	return time.Time{}
}

// oneOf reads one of the allowed keys, named in the message by name.
func (l *listQuery) oneOf(key, label string, allowed []string, name func(string) string) string {
	v := l.get(key)
	if v == "" || slices.Contains(allowed, v) {
		return v
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = a + "（" + name(a) + "）"
	}
	l.bad(key, "%s“%s”不正确：应为%s之一。", label, truncate(v, 20), strings.Join(names, "、"))
	return ""
}

// flag reads a yes-or-no criterion: 1, or nothing.
func (l *listQuery) flag(key, label string) bool {
	switch l.get(key) {
	case "", "0":
		return false
	case "1":
		return true
	}
	l.bad(key, "“%s”的取值“%s”不正确：应为1（是）或留空。", label, truncate(l.get(key), 20))
	return false
}

func (l *listQuery) page() int {
	v := l.get("page")
	if v == "" {
		return 1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		l.bad("page", "页码“%s”不正确：应为正整数。", truncate(v, 20))
		return 1
	}
	return n
}

func (l *listQuery) sector() string {
	return l.oneOf("sector", "行业类别", []string{taotai.SectorCoal, taotai.SectorNonCoal}, taotai.SectorName)
}

// record reads the criteria the lists of inspections, hazards and
// documents share.
func (l *listQuery) record() taotai.RecordFilter {
	f := taotai.RecordFilter{RegionCode: l.region(), IndustryID: l.id("industry", "行业编号"), EnterpriseID: l.id("enterprise", "企业编号"),
		From: l.date("from", "开始日期"), To: l.date("to", "结束日期"), Sector: l.sector()}
	if !f.From.IsZero() && !f.To.IsZero() && f.From.After(f.To) {
		l.bad("to", "开始日期（%s）不能晚于结束日期（%s）。", isoDate(f.From), isoDate(f.To))
	}
	return f
}

func isoDate(t time.Time) string { return t.Format(time.DateOnly) }

// listPage is what every list shows: the criteria in a form, the messages
// for bad ones, the count and the pages.
type listPage struct {
	Page
	Action     string // the list's address
	Query      url.Values
	Errors     []fieldError
	Total      int
	PageNo     int
	Pages      int
	Regions    []regionOption
	Industries []*taotai.Industry
	Enterprise *taotai.Enterprise // the enterprise asked for, when the user may see it
	Now        time.Time
	DateLabel  string // what the dates of the list are: 检查日期 …
}

// Value is a criterion as the address gave it, for the form.
func (p listPage) Value(key string) string { return p.Query.Get(key) }

// Selected says whether an option of a criterion is the one asked for.
func (p listPage) Selected(key string, v any) bool { return fmt.Sprint(v) == p.Query.Get(key) }

// PageLink returns the address of page n with the same criteria.
func (p listPage) PageLink(n int) string {
	return p.Action + withQuery(p.Query, "page", strconv.Itoa(n))
}

// Without returns the list's address without one criterion.
func (p listPage) Without(key string) string {
	c := url.Values{}
	for k, v := range p.Query {
		if k != key && k != "page" {
			c[k] = v
		}
	}
	if len(c) == 0 {
		return p.Action
	}
	return p.Action + "?" + c.Encode()
}

// TabLink returns the address of another list with the criteria it
// shares with this one.
func (p listPage) TabLink(action string) string {
	keys := []string{"region", "industry", "enterprise", "sector", "from", "to"}
	if action == "/cards" {
		keys = []string{"region", "industry", "enterprise", "sector"}
	}
	c := url.Values{}
	for _, k := range keys {
		if v := p.Query.Get(k); v != "" {
			c.Set(k, v)
		}
	}
	if len(c) == 0 {
		return action
	}
	return action + "?" + c.Encode()
}

// listTabs are the four lists, in the order of the enforcement loop.
var listTabs = []struct{ Action, Name string }{
	{"/inspections", "执法检查"}, {"/hazards", "隐患"}, {"/documents", "执法文书"}, {"/cards", "黄/红牌"},
}

// Tabs returns the lists for the tabs above each list.
func (p listPage) Tabs() []struct{ Action, Name string } { return listTabs }

// showList fills the parts of a list every list has and renders it: 400
// with the messages when a criterion is bad (nothing asked of the store),
// else the page fetch returns (fetch gets the offset and returns the
// total).
func (s *Server) showList(w http.ResponseWriter, r *http.Request, lp *listPage, lq *listQuery, name, title string,
	enterpriseID int64, fetch func(offset int) (int, error), data any) error {
	lp.Page, lp.Action, lp.Query, lp.Now = s.page(r, title), "/"+name, r.URL.Query(), s.store.Clock().Now()
	lp.PageNo = lq.page()
	var err error
	if lp.Regions, err = s.laneRegions(r); err != nil {
		return err
	}
	if lp.Industries, err = s.laneIndustries(r); err != nil {
		return err
	}
	if len(lq.errs) > 0 {
		lp.Errors, lp.Title = lq.errs, "错误："+title
		s.render(w, r, http.StatusBadRequest, name, data)
		return nil
	}
	if enterpriseID != 0 {
		e, err := s.store.FindEnterprise(r.Context(), enterpriseID)
		if err != nil && taotai.ErrorCode(err) != taotai.ENOTFOUND {
			return err
		}
		lp.Enterprise = e
	}
	if lp.Total, err = fetch((lp.PageNo - 1) * pageSize); err != nil {
		return err
	}
	lp.Pages = (lp.Total + pageSize - 1) / pageSize
	s.render(w, r, http.StatusOK, name, data)
	return nil
}

type inspectionListPage struct {
	listPage
	Items  []*taotai.Inspection
	Totals taotai.RecordTotals
}

func (s *Server) inspectionList(w http.ResponseWriter, r *http.Request) error {
	lq := &listQuery{q: r.URL.Query()}
	f := taotai.InspectionFilter{RecordFilter: lq.record()}
	p := &inspectionListPage{listPage: listPage{DateLabel: "检查日期"}}
	return s.showList(w, r, &p.listPage, lq, "inspections", "执法检查记录", f.EnterpriseID, func(offset int) (int, error) {
		f.Offset, f.Limit = offset, pageSize
		var err error
		p.Items, p.Totals, err = s.store.ListInspections(r.Context(), f)
		return p.Totals.Count, err
	}, p)
}

type hazardListPage struct {
	listPage
	Items    []store.HazardItem
	Levels   []string
	Statuses []string
}

// StatusName names a status criterion.
func (p *hazardListPage) StatusName(s string) string { return taotai.HazardStatusCriterionName(s) }

func (s *Server) hazardList(w http.ResponseWriter, r *http.Request) error {
	lq := &listQuery{q: r.URL.Query()}
	f := taotai.HazardFilter{RecordFilter: lq.record(),
		Level:   lq.oneOf("level", "隐患级别", []string{taotai.HazardMajor, taotai.HazardGeneral}, taotai.HazardLevelName),
		Status:  lq.oneOf("status", "隐患状态", taotai.HazardStatusCriteria, taotai.HazardStatusCriterionName),
		Overdue: lq.flag("overdue", "逾期未整改"), DueSoon: lq.flag("due_soon", "7日内到期"),
		NoGuarantees: lq.flag("no_guarantees", "重大隐患“五落实”不全"), NoStopOrder: lq.flag("no_stop_order", "重大隐患未下达停产整顿文书")}
	p := &hazardListPage{listPage: listPage{DateLabel: "发现日期"}, Levels: taotai.HazardLevels, Statuses: taotai.HazardStatusCriteria}
	return s.showList(w, r, &p.listPage, lq, "hazards", "隐患", f.EnterpriseID, func(offset int) (int, error) {
		f.Offset, f.Limit = offset, pageSize
		var n int
		var err error
		p.Items, n, err = s.store.ListHazards(r.Context(), f)
		return n, err
	}, p)
}

type documentListPage struct {
	listPage
	Items  []store.DocumentItem
	Totals taotai.RecordTotals
	Kinds  []string
}

func (s *Server) documentList(w http.ResponseWriter, r *http.Request) error {
	lq := &listQuery{q: r.URL.Query()}
	f := taotai.DocumentFilter{RecordFilter: lq.record(),
		Kind:  lq.oneOf("kind", "文书种类", taotai.DocKinds, taotai.DocKindName),
		Fined: lq.flag("fined", "有罚款的行政处罚决定书")}
	p := &documentListPage{listPage: listPage{DateLabel: "文书日期"}, Kinds: taotai.DocKinds}
	return s.showList(w, r, &p.listPage, lq, "documents", "执法文书", f.EnterpriseID, func(offset int) (int, error) {
		f.Offset, f.Limit = offset, pageSize
		var err error
		p.Items, p.Totals, err = s.store.ListDocuments(r.Context(), f)
		return p.Totals.Count, err
	}, p)
}

type cardListPage struct {
	listPage
	Items  []store.CardItem
	Years  []*taotai.CampaignYear
	States []string
}

func (s *Server) cardList(w http.ResponseWriter, r *http.Request) error {
	lq := &listQuery{q: r.URL.Query()}
	f := taotai.CardFilter{Year: lq.year(), RegionCode: lq.region(), IndustryID: lq.id("industry", "行业编号"),
		EnterpriseID: lq.id("enterprise", "企业编号"), Sector: lq.sector(),
		State:   lq.oneOf("state", "黄/红牌状态", taotai.CardListStates, taotai.CardStateName),
		Overdue: lq.flag("overdue", "黄牌整改期限已过")}
	p := &cardListPage{States: taotai.CardListStates}
	var err error
	if p.Years, err = s.store.CampaignYears(r.Context()); err != nil {
		return err
	}
	return s.showList(w, r, &p.listPage, lq, "cards", "黄/红牌企业", f.EnterpriseID, func(offset int) (int, error) {
		f.Offset, f.Limit = offset, pageSize
		var n int
		var err error
		p.Items, n, err = s.store.ListCards(r.Context(), f)
		return n, err
	}, p)
}

// year reads a campaign year: four digits.
func (l *listQuery) year() int {
	v := l.get("year")
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 2000 || n > 2099 {
		l.bad("year", "年度“%s”不正确：应为四位年份，如2020。", truncate(v, 20))
		return 0
	}
	return n
}
