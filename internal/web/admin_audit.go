package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"taotai"
	"taotai/internal/forms"
	"taotai/internal/store"
)

type auditPage struct {
	Page
	Query   url.Values
	Filter  taotai.AuditFilter
	From    string
	To      string
	Entries []*taotai.AuditEntry
	Rows    []*auditRow
	Total   int
	PageNo  int
	Pages   int
	Actions []string
}

// PageLink returns the address of page n with the same filters.
func (p *auditPage) PageLink(n int) string {
	return "/admin/audit" + withQuery(p.Query, "page", strconv.Itoa(n))
}

// CSVLink returns the export address with the same filters.
func (p *auditPage) CSVLink() string { return "/admin/audit.csv" + withQuery(p.Query, "page", "1") }

// auditFilter reads the filters of the audit pages from the query.
func auditFilter(q url.Values) (taotai.AuditFilter, error) {
	f := taotai.AuditFilter{Username: strings.TrimSpace(q.Get("user")), Entity: strings.TrimSpace(q.Get("entity")),
		EntityID: strings.TrimSpace(q.Get("id")), Action: q.Get("action")}
	var err error
	if f.From, err = parseDate("开始日期", q.Get("from")); err != nil {
		return f, err
	}
	if f.To, err = parseDate("结束日期", q.Get("to")); err != nil {
		return f, err
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1) // the whole last day
	}
	return f, nil
}

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, err := auditFilter(q)
	if err != nil {
		return err
	}
	p := &auditPage{Page: s.page(r, "操作日志"), Query: q, Filter: f, From: q.Get("from"), To: q.Get("to"), Actions: taotai.AuditActions}
	p.PageNo = max(atoiOr(q.Get("page"), 1), 1)
	f.Limit, f.Offset = 50, (p.PageNo-1)*50
	if p.Entries, p.Total, err = s.store.FindAudit(r.Context(), f); err != nil {
		return err
	}
	if p.Rows, err = s.auditRows(r, p.Entries); err != nil {
		return err
	}
	p.Pages = (p.Total + 49) / 50
	s.render(w, r, http.StatusOK, "admin_audit", p)
	return nil
}

// adminAuditCSV exports the matching entries (at most 100,000) as CSV with
// a BOM so that Excel and WPS read the Chinese; the export is itself
// recorded.
func (s *Server) adminAuditCSV(w http.ResponseWriter, r *http.Request) error {
	a := taotai.ActorFromContext(r.Context())
	if !a.Can(taotai.ActExportAudit) {
		return taotai.Errorf(taotai.EFORBIDDEN, "只有系统管理员和审计管理员可以导出操作日志。")
	}
	f, err := auditFilter(r.URL.Query())
	if err != nil {
		return err
	}
	f.Limit = 100000
	entries, total, err := s.store.FindAudit(r.Context(), f)
	if err != nil {
		return err
	}
	if err := s.store.RecordEvent(r.Context(), taotai.AuditExport, "audit_log", "", fmt.Sprintf("导出操作日志%d条（条件：%s）", len(entries), r.URL.RawQuery)); err != nil {
		return err
	}
	name := "操作日志-" + s.store.Clock().Now().In(taotai.Shanghai).Format("20060102-150405") + ".csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	// Every text cell (a user name typed at a failed sign-in, an entity
	// id, the values) goes through forms.SafeText.
	cw, err := forms.NewCSVWriter(w)
	if err != nil {
		return err
	}
	if err := cw.Row("序号", "时间", "用户", "角色", "来源地址", "操作", "对象", "对象编号", "修改前", "修改后", "说明", "前序哈希", "哈希"); err != nil {
		return err
	}
	for _, e := range entries {
		if err := cw.Row(e.Seq, e.At.In(taotai.Shanghai).Format("2006-01-02 15:04:05"), e.Username,
			taotai.RoleName(e.Role), e.Addr, taotai.AuditActionName(e.Action), e.Entity, e.EntityID,
			e.Before, e.After, e.Note, e.PrevHash, e.Hash); err != nil {
			return err
		}
	}
	if total > len(entries) {
		if err := cw.Row(nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, fmt.Sprintf("（共%d条，仅导出前%d条，请缩小条件分批导出）", total, len(entries))); err != nil {
			return err
		}
	}
	return cw.Flush()
}

type sessionsPage struct {
	Page
	Sessions []*store.ActiveSession
}

func (s *Server) adminSessions(w http.ResponseWriter, r *http.Request) error {
	list, err := s.store.ActiveSessions(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_sessions", &sessionsPage{Page: s.page(r, "在线会话"), Sessions: list})
	return nil
}

func (s *Server) adminSessionRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.RevokeSession(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionFlash, "会话已注销，该用户须重新登录。")
	http.Redirect(w, r, "/admin/sessions", http.StatusSeeOther)
	return nil
}
