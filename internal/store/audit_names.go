package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"taotai"
)

// AuditObjects names the records a page of the audit trail refers to
// (taotai.AuditReading.Refs), in one query. A record bound to a lane
// (an enterprise and what hangs from it, an account, a report) is named
// only when it lies in the reader's lane now: a record that left it, or
// never was in it, stays out of the answer, and the page shows its id
// alone. The people who acted (RefActor, RefUsername) are named to
// whoever may read the entry; regions, agencies, industries, criteria and
// deadlines are public names. Administrators and auditors only.
func (s *DB) AuditObjects(ctx context.Context, refs []taotai.AuditRef) (map[taotai.AuditRef]taotai.AuditObject, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Can(taotai.ActReadAudit) {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "只有系统管理员和审计管理员可以查看操作日志。")
	}
	q := newAuditQuery(a)
	for _, r := range refs {
		q.want(r)
	}
	out := map[taotai.AuditRef]taotai.AuditObject{}
	if q.build(); len(q.parts) == 0 {
		return out, nil
	}
	rows, err := s.db.QueryContext(ctx, strings.Join(q.parts, " UNION ALL "), q.w.args...)
	if err != nil {
		return nil, fmt.Errorf("audit objects: %w", err)
	}
	defer rows.Close()
	paths := map[string]string{} // region code → path, for the report units
	for rows.Next() {
		var kind, id, name, detail string
		if err := rows.Scan(&kind, &id, &name, &detail); err != nil {
			return nil, err
		}
		if kind == taotai.RefRegion {
			paths[id] = detail
			detail = ""
		}
		out[taotai.AuditRef{Kind: kind, ID: id}] = taotai.AuditObject{Name: name, Detail: detail}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	q.derive(out, paths)
	return out, nil
}

// auditQuery gathers the ids of each kind and builds the UNION of one
// SELECT per kind.
type auditQuery struct {
	a     *taotai.Actor
	w     *where
	ids   map[string][]any // kind → ids (int64, or string for text keys)
	seen  map[taotai.AuditRef]bool
	cards []taotai.AuditRef // named by their enterprise
	units []taotai.AuditRef // named by their region, in the lane by region and sector
	parts []string
}

func newAuditQuery(a *taotai.Actor) *auditQuery {
	return &auditQuery{a: a, w: &where{}, ids: map[string][]any{}, seen: map[taotai.AuditRef]bool{}}
}

// textKinds are the kinds whose ids are text, not numbers.
var textKinds = map[string]bool{taotai.RefRegion: true, taotai.RefIndustryKey: true, taotai.RefUsername: true, taotai.RefDeadline: true}

func (q *auditQuery) want(r taotai.AuditRef) {
	if q.seen[r] {
		return
	}
	q.seen[r] = true
	switch r.Kind {
	case taotai.RefCard:
		eid, _, _ := strings.Cut(r.ID, "/")
		q.cards = append(q.cards, r)
		q.want(taotai.AuditRef{Kind: taotai.RefEnterprise, ID: eid})
	case taotai.RefReportUnit:
		parts := strings.Split(r.ID, "/")
		if len(parts) == 3 {
			q.units = append(q.units, r)
			q.want(taotai.AuditRef{Kind: taotai.RefRegion, ID: parts[1]})
		}
	default:
		if textKinds[r.Kind] {
			q.ids[r.Kind] = append(q.ids[r.Kind], r.ID)
		} else if n, err := strconv.ParseInt(r.ID, 10, 64); err == nil {
			q.ids[r.Kind] = append(q.ids[r.Kind], n)
		}
	}
}

// in returns "(…)" with a placeholder per id of kind.
func (q *auditQuery) in(kind string) string {
	ph := make([]string, len(q.ids[kind]))
	for i, id := range q.ids[kind] {
		ph[i] = q.w.next(id)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

// lane returns the reader's lane on a table t with region_path and sector.
func (q *auditQuery) lane(t string) string {
	p := q.a.RegionPath
	c := t + ".region_path >= " + q.w.next(p) + " AND " + t + ".region_path < " + q.w.next(p[:len(p)-1]+"0")
	if q.a.Sector != "" {
		c += " AND " + t + ".sector = " + q.w.next(q.a.Sector)
	}
	return c
}

// auditSelects are the SELECTs of each kind: kind, id, name, detail; %[1]s
// is the id list, %[2]s the lane (for the kinds bound to one).
var auditSelects = []struct {
	kind, query string
	lane        string // the aliased table the lane is on, "" for none
}{
	{taotai.RefEnterprise, `SELECT 'enterprise', CAST(e.id AS TEXT), e.name, '' FROM enterprises e WHERE e.id IN %[1]s AND %[2]s`, "e"},
	{taotai.RefInspection, `SELECT 'inspection', CAST(n.id AS TEXT), e.name, n.date FROM inspections n
		JOIN enterprises e ON e.id = n.enterprise_id WHERE n.id IN %[1]s AND %[2]s`, "n"},
	{taotai.RefHazard, `SELECT 'hazard', CAST(h.id AS TEXT), h.description, e.name FROM hazards h
		JOIN enterprises e ON e.id = h.enterprise_id WHERE h.id IN %[1]s AND %[2]s`, "h"},
	{taotai.RefDocument, `SELECT 'document', CAST(d.id AS TEXT), d.number, CAST(d.inspection_id AS TEXT) FROM documents d
		WHERE d.id IN %[1]s AND %[2]s`, "d"},
	{taotai.RefReport, `SELECT 'report', CAST(x.id AS TEXT), r.name, x.period_key || '/' || x.region_code || '/' || x.sector || '/' || CAST(x.version AS TEXT)
		FROM report_submissions x JOIN regions r ON r.code = x.region_code WHERE x.id IN %[1]s AND %[2]s`, "x"},
	{taotai.RefReportLock, `SELECT 'report_lock', CAST(x.id AS TEXT), r.name, x.period_key || '/' || x.region_code || '/' || x.sector
		FROM report_locks x JOIN regions r ON r.code = x.region_code WHERE x.id IN %[1]s AND %[2]s`, "x"},
	{taotai.RefUser, `SELECT 'user', CAST(u.id AS TEXT), u.display_name, u.username FROM users u
		JOIN regions r ON r.code = u.region_code WHERE u.id IN %[1]s AND %[2]s`, "u"},
	{taotai.RefActor, `SELECT 'actor', CAST(u.id AS TEXT), u.display_name, u.username FROM users u WHERE u.id IN %[1]s`, ""},
	{taotai.RefUsername, `SELECT 'username', u.username, u.display_name, u.username FROM users u WHERE u.username IN %[1]s`, ""},
	{taotai.RefAgency, `SELECT 'agency', CAST(g.id AS TEXT), g.name, '' FROM agencies g WHERE g.id IN %[1]s`, ""},
	{taotai.RefIndustry, `SELECT 'industry', CAST(i.id AS TEXT), i.name, '' FROM industries i WHERE i.id IN %[1]s`, ""},
	{taotai.RefIndustryKey, `SELECT 'industry_key', i.key, i.name, '' FROM industries i WHERE i.key IN %[1]s`, ""},
	{taotai.RefRegion, `SELECT 'region', r.code, r.name, r.path FROM regions r WHERE r.code IN %[1]s`, ""},
	{taotai.RefCriterion, `SELECT 'criterion', CAST(c.id AS TEXT), c.article, c.standard FROM major_hazard_criteria c WHERE c.id IN %[1]s`, ""},
	{taotai.RefDeadline, `SELECT 'deadline', CAST(d.year AS TEXT) || '/' || d.key, CAST(d.year AS TEXT) || '年' || d.label, ''
		FROM campaign_deadlines d WHERE CAST(d.year AS TEXT) || '/' || d.key IN %[1]s`, ""},
}

func (q *auditQuery) build() {
	for _, sel := range auditSelects {
		if len(q.ids[sel.kind]) == 0 {
			continue
		}
		list := q.in(sel.kind)
		lane := ""
		switch sel.lane {
		case "":
		case "u":
			w := &where{args: q.w.args}
			userLane(w, q.a)
			q.w.args = w.args
			lane = strings.Join(w.conds, " AND ")
		default:
			lane = q.lane(sel.lane)
		}
		q.parts = append(q.parts, fmt.Sprintf(sel.query, list, lane))
	}
}

// derive names the cards by their enterprise and the report units by
// their region, within the lane.
func (q *auditQuery) derive(out map[taotai.AuditRef]taotai.AuditObject, paths map[string]string) {
	for _, c := range q.cards {
		eid, year, _ := strings.Cut(c.ID, "/")
		if e, ok := out[taotai.AuditRef{Kind: taotai.RefEnterprise, ID: eid}]; ok {
			out[c] = taotai.AuditObject{Name: e.Name, Detail: year}
		}
	}
	for _, u := range q.units {
		parts := strings.Split(u.ID, "/")
		r, ok := out[taotai.AuditRef{Kind: taotai.RefRegion, ID: parts[1]}]
		if ok && q.a.Covers(paths[parts[1]], parts[2]) {
			out[u] = taotai.AuditObject{Name: r.Name, Detail: u.ID}
		}
	}
}
