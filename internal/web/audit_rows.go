package web

import (
	"fmt"
	"net/http"
	"strings"

	"taotai"
)

// The audit page reads each entry for people (taotai.ReadAudit) and names
// the records it refers to, all of a page in one look-up within the
// reader's lane (store.AuditObjects).

// auditRow is an entry as the audit page shows it.
type auditRow struct {
	E         *taotai.AuditEntry
	Who       string // the person's name, or what was typed at a failed sign-in
	Login     string // the login name, beside the name
	Object    auditCell
	Fields    []auditFieldRow
	Unchanged int
	Mode      string // "both": before and after; "after": a record made; "before": one removed
}

// auditCell is a value, or a record named (with its address when the
// reader may open it).
type auditCell struct {
	Text, Href string
	Unknown    bool // a record the reader may not learn the name of, or gone
}

type auditFieldRow struct {
	Name                string
	Before, After       auditCell
	HasBefore, HasAfter bool
}

func (s *Server) auditRows(r *http.Request, entries []*taotai.AuditEntry) ([]*auditRow, error) {
	readings := make([]taotai.AuditReading, len(entries))
	var refs []taotai.AuditRef
	for i, e := range entries {
		readings[i] = taotai.ReadAudit(e)
		refs = append(refs, readings[i].Refs()...)
	}
	objs, err := s.store.AuditObjects(r.Context(), refs)
	if err != nil {
		return nil, err
	}
	admin := currentUser(r).Role == taotai.RoleAdmin
	out := make([]*auditRow, len(entries))
	for i, e := range entries {
		rd := readings[i]
		row := &auditRow{E: e, Unchanged: rd.Unchanged, Mode: "both"}
		row.Who, row.Login = auditWho(e, objs)
		row.Object = auditObjectCell(rd, objs, admin)
		before, after := false, false
		for _, f := range rd.Fields {
			before, after = before || f.HasBefore, after || f.HasAfter
			row.Fields = append(row.Fields, auditFieldRow{Name: f.Name, HasBefore: f.HasBefore, HasAfter: f.HasAfter,
				Before: auditValueCell(f.Before, objs, admin), After: auditValueCell(f.After, objs, admin)})
		}
		switch {
		case after && !before:
			row.Mode = "after"
		case before && !after:
			row.Mode = "before"
		}
		out[i] = row
	}
	return out, nil
}

// auditWho names who acted: their name now and the login name the entry
// kept; the operator's commands and anonymous attempts by what they are.
func auditWho(e *taotai.AuditEntry, objs map[taotai.AuditRef]taotai.AuditObject) (string, string) {
	switch {
	case e.UserID == 0 && e.Action == taotai.AuditLoginFailed:
		return "未登录", e.Username // the name typed
	case e.UserID == 0 && e.Username == taotai.System.Username:
		return "系统操作员（命令行）", ""
	case e.UserID == 0 && e.Username == "anonymous":
		return "系统（数据载入等内部操作）", ""
	case e.UserID == 0:
		return "未登录", e.Username
	}
	if o, ok := objs[taotai.AuditRef{Kind: taotai.RefActor, ID: fmt.Sprint(e.UserID)}]; ok && o.Name != "" {
		return o.Name, e.Username
	}
	return e.Username, ""
}

// auditObjectCell names the record an entry is about.
func auditObjectCell(rd taotai.AuditReading, objs map[taotai.AuditRef]taotai.AuditObject, admin bool) auditCell {
	if rd.Object.Kind == "" {
		return auditCell{Text: rd.ObjectText}
	}
	c := refCell(rd.Object, objs, admin)
	if c.Unknown {
		c.Text = "编号" + rd.Object.ID + "（无法显示名称）"
	}
	c.Text = rd.ObjectText + c.Text
	return c
}

func auditValueCell(v taotai.AuditValue, objs map[taotai.AuditRef]taotai.AuditObject, admin bool) auditCell {
	if !v.IsRef() {
		return auditCell{Text: v.Text}
	}
	c := refCell(v.Ref, objs, admin)
	if c.Unknown {
		c.Text = v.Text
	}
	return c
}

// refCell names a referenced record and links to its page; Unknown when
// the look-up did not name it.
func refCell(ref taotai.AuditRef, objs map[taotai.AuditRef]taotai.AuditObject, admin bool) auditCell {
	o, ok := objs[ref]
	if !ok {
		return auditCell{Unknown: true}
	}
	id := ref.ID
	switch ref.Kind {
	case taotai.RefEnterprise:
		return auditCell{Text: o.Name, Href: "/enterprises/" + id}
	case taotai.RefInspection:
		return auditCell{Text: o.Name + " " + o.Detail + "检查", Href: "/inspections/" + id}
	case taotai.RefHazard:
		return auditCell{Text: truncate(o.Name, 30) + "（" + o.Detail + "）", Href: "/hazards/" + id}
	case taotai.RefDocument:
		return auditCell{Text: o.Name, Href: "/inspections/" + o.Detail}
	case taotai.RefCard:
		eid, year, _ := strings.Cut(id, "/")
		return auditCell{Text: o.Name + " " + year + "年度黄/红牌", Href: "/enterprises/" + eid + "/card/" + year}
	case taotai.RefUser:
		c := auditCell{Text: o.Name + "（" + o.Detail + "）"}
		if admin {
			c.Href = "/admin/users/" + id
		}
		return c
	case taotai.RefReport, taotai.RefReportLock, taotai.RefReportUnit:
		parts := strings.Split(o.Detail, "/")
		if len(parts) < 3 {
			return auditCell{Text: o.Name}
		}
		text := o.Name + taotai.SectorName(parts[2]) + taotai.AuditPeriodName(parts[0]) + "报告"
		if len(parts) == 4 {
			text += "第" + parts[3] + "版"
		}
		return auditCell{Text: text, Href: "/reports/" + strings.Join(parts[:3], "/")}
	case taotai.RefCriterion:
		return auditCell{Text: o.Detail + o.Name}
	case taotai.RefDeadline:
		c := auditCell{Text: o.Name}
		if year, _, _ := strings.Cut(id, "/"); admin {
			c.Href = "/admin/campaign/" + year
		}
		return c
	}
	return auditCell{Text: o.Name}
}
