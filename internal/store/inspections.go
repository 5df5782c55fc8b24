package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"taotai"
)

// dateOf parses a stored calendar date ("" is the zero time).
func dateOf(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.ParseInLocation(time.DateOnly, s, taotai.Shanghai)
	return t
}

const inspectionSelect = `SELECT n.id, n.enterprise_id, e.name, e.region_code, n.region_path, n.sector, n.date, n.agency_id, a.name,
	n.kind, n.inspectors, n.inspector_count, n.expert_count, n.findings, n.version, n.created_at,
	(SELECT COUNT(*) FROM hazards h WHERE h.inspection_id = n.id),
	(SELECT COUNT(*) FROM hazards h WHERE h.inspection_id = n.id AND h.level = 'major'),
	(SELECT COUNT(*) FROM documents d WHERE d.inspection_id = n.id AND d.kind = 'rect_order'),
	(SELECT COUNT(*) FROM documents d WHERE d.inspection_id = n.id AND d.kind = 'penalty'),
	(SELECT COALESCE(SUM(d.fine), 0) FROM documents d WHERE d.inspection_id = n.id)
	FROM inspections n JOIN enterprises e ON e.id = n.enterprise_id JOIN agencies a ON a.id = n.agency_id`

func scanInspection(row interface{ Scan(...any) error }) (*taotai.Inspection, error) {
	in := &taotai.Inspection{}
	var date string
	var fines int64
	err := row.Scan(&in.ID, &in.EnterpriseID, &in.EnterpriseName, &in.RegionCode, &in.RegionPath, &in.Sector, &date, &in.AgencyID,
		&in.AgencyName, &in.Kind, &in.Inspectors, &in.InspectorCount, &in.ExpertCount, &in.Findings, &in.Version, &in.CreatedAt,
		&in.Hazards, &in.MajorHazards, &in.Orders, &in.Penalties, &fines)
	in.Date, in.Fines = dateOf(date), taotai.Yuan(fines)
	return in, err
}

// RecordInspection saves an inspection of an enterprise in the actor's
// lane with the hazards it found, in one transaction. Each major hazard is
// put under listed supervision (挂牌督办) and, if the enterprise has no
// card this campaign year yet, gives it a yellow card (存在重大事故隐患)
// with the hazard's deadline.
func (s *DB) RecordInspection(ctx context.Context, in *taotai.Inspection, hazards []*taotai.Hazard) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	return s.Transact(ctx, func(tx *sql.Tx) error {
		e, err := findEnterprise(ctx, tx, a, in.EnterpriseID)
		if err != nil {
			return err
		}
		if !a.Can(taotai.ActRecordInspection) {
			return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能录入执法检查。", taotai.RoleName(a.Role))
		}
		f := in.Validate(now)
		for i, h := range hazards {
			for k, v := range h.Validate(in.Date) {
				f.Add(fmt.Sprintf("hazard%d.%s", i, k), fmt.Sprintf("第%d项隐患：%s", i+1, v))
			}
			if h.Level == taotai.HazardMajor && h.CriterionID != 0 && !in.Date.IsZero() {
				if err := checkCriterion(ctx, tx, h.CriterionID, e, in.Date); err != nil {
					f.Add(fmt.Sprintf("hazard%d.criterion", i), fmt.Sprintf("第%d项隐患：%s", i+1, taotai.ErrorMessage(err)))
				}
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if in.AgencyID == 0 {
			in.AgencyID = a.AgencyID
		}
		if in.AgencyID == 0 {
			return taotai.Errorf(taotai.EINVALID, "未指定检查单位。")
		}
		in.RegionPath, in.Sector, in.EnterpriseName, in.RegionCode = e.RegionPath, e.Sector, e.Name, e.RegionCode
		ts := now.UTC()
		var uid any
		if a.UserID != 0 {
			uid = a.UserID
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO inspections (enterprise_id, region_path, sector, date, agency_id, kind, inspectors,
			inspector_count, expert_count, findings, version, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $12) RETURNING id`,
			in.EnterpriseID, in.RegionPath, in.Sector, dateString(in.Date), in.AgencyID, in.Kind, in.Inspectors,
			in.InspectorCount, in.ExpertCount, in.Findings, uid, ts).Scan(&in.ID)
		if err != nil {
			return fmt.Errorf("insert inspection: %w", mapError(err))
		}
		in.Version, in.CreatedAt = 1, ts
		changes := []change{{Action: taotai.AuditCreate, Entity: "inspection", EntityID: in.ID, RegionPath: in.RegionPath, Sector: in.Sector, After: inspectionRecord(in)}}
		var firstMajor *taotai.Hazard
		for _, h := range hazards {
			h.InspectionID, h.EnterpriseID, h.RegionPath, h.Sector = in.ID, in.EnterpriseID, in.RegionPath, in.Sector
			h.Status = taotai.HazardOpen
			if h.Level == taotai.HazardMajor {
				h.Supervised = true
				if firstMajor == nil {
					firstMajor = h
				}
			} else {
				h.CriterionID = 0
			}
			if err := insertHazard(ctx, tx, h, in.Date, ts); err != nil {
				return err
			}
			in.Hazards++
			if h.Level == taotai.HazardMajor {
				in.MajorHazards++
			}
			changes = append(changes, change{Action: taotai.AuditCreate, Entity: "hazard", EntityID: h.ID, RegionPath: h.RegionPath, Sector: h.Sector, After: hazardRecord(h)})
		}
		if firstMajor != nil {
			c, err := s.autoYellow(ctx, tx, a, e, in, firstMajor)
			if err != nil {
				return err
			}
			if c != nil {
				changes = append(changes, *c)
			}
		}
		return s.recordAll(ctx, tx, changes)
	})
}

// insertHazard inserts a hazard found on the day of its inspection.
func insertHazard(ctx context.Context, tx *sql.Tx, h *taotai.Hazard, found, ts time.Time) error {
	var crit any
	if h.CriterionID != 0 {
		crit = h.CriterionID
	}
	g := h.Guarantees
	err := tx.QueryRowContext(ctx, `INSERT INTO hazards (inspection_id, enterprise_id, region_path, sector, description, place, level,
		criterion_id, deadline, status, g_responsible, g_measures, g_funds, g_deadline, g_plan, supervised, version, created_at, updated_at,
		found_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $17, $18) RETURNING id`,
		h.InspectionID, h.EnterpriseID, h.RegionPath, h.Sector, h.Description, h.Place, h.Level, crit, dateString(h.Deadline),
		h.Status, g.Responsible, g.Measures, int64(g.Funds), dateString(g.Deadline), g.Plan, h.Supervised, ts, dateString(found)).Scan(&h.ID)
	if err != nil {
		return fmt.Errorf("insert hazard: %w", mapError(err))
	}
	h.Version, h.CreatedAt = 1, ts
	return nil
}

// checkCriterion: the criterion exists, is active, is in force on the
// day of the inspection, and belongs to the enterprise's industry (or to
// every 工贸 industry).
func checkCriterion(ctx context.Context, q queryer, id int64, e *taotai.Enterprise, day time.Time) error {
	c, err := scanCriterion(q.QueryRowContext(ctx, `SELECT `+criterionColumns+` FROM major_hazard_criteria WHERE id = $1`, id))
	if isNoRows(err) || (err == nil && !c.Active) {
		return taotai.Errorf(taotai.EINVALID, "所选判定标准条款不存在或已停用。")
	} else if err != nil {
		return err
	}
	if err := c.CheckInForce(day); err != nil {
		return err
	}
	key := c.IndustryKey
	var indKey string
	if err := q.QueryRowContext(ctx, `SELECT key FROM industries WHERE id = $1`, e.IndustryID).Scan(&indKey); err != nil {
		return err
	}
	if key != indKey && (key != "trade" || e.Sector != taotai.SectorNonCoal) {
		return taotai.Errorf(taotai.EINVALID, "所选判定标准条款不适用于%s行业。", e.IndustryName)
	}
	return nil
}

// FindInspection returns an inspection in the actor's lane with its
// hazards and documents.
func (s *DB) FindInspection(ctx context.Context, id int64) (*taotai.Inspection, []*taotai.Hazard, []*taotai.Document, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	w := &where{}
	w.add("n.id = ?", id)
	w.lane(a, "n")
	in, err := scanInspection(s.db.QueryRowContext(ctx, inspectionSelect+w.String(), w.args...))
	if isNoRows(err) {
		return nil, nil, nil, taotai.Errorf(taotai.ENOTFOUND, "检查记录不存在，或不在您的管辖范围内。")
	} else if err != nil {
		return nil, nil, nil, fmt.Errorf("find inspection: %w", err)
	}
	hs, err := s.hazardsWhere(ctx, "h.inspection_id = $1", id)
	if err != nil {
		return nil, nil, nil, err
	}
	ds, err := s.documentsWhere(ctx, "d.inspection_id = $1", id)
	return in, hs, ds, err
}

// InspectionFilter selects inspections; zero fields do not filter.
type InspectionFilter struct {
	EnterpriseID  int64
	RegionCode    string
	From, To      time.Time // dates, To inclusive
	Offset, Limit int
	NoTotal       bool // the caller needs no total: it is not counted (0)
}

// FindInspections returns a page of inspections in the lane, newest first.
func (s *DB) FindInspections(ctx context.Context, f InspectionFilter) ([]*taotai.Inspection, int, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	w.lane(a, "n")
	if f.EnterpriseID != 0 {
		w.add("n.enterprise_id = ?", f.EnterpriseID)
	}
	if f.RegionCode != "" {
		r, err := findRegion(ctx, s.db, f.RegionCode)
		if err != nil {
			return nil, 0, err
		}
		w.subtree("n", r.Path)
	}
	if !f.From.IsZero() {
		w.add("n.date >= ?", dateString(f.From))
	}
	if !f.To.IsZero() {
		w.add("n.date <= ?", dateString(f.To))
	}
	var total int
	if !f.NoTotal {
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM inspections n`+w.String(), w.args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count inspections: %w", err)
		}
	}
	var out []*taotai.Inspection
	if err := runRead(ctx, s.db, inspectionsRead(w, f, &out)); err != nil {
		return nil, 0, fmt.Errorf("find inspections: %w", err)
	}
	return out, total, nil
}

// inspectionsRead reads the page of f (its limit and offset) of the
// inspections w selects, newest first, into *out. It adds the page's
// arguments to w.
func inspectionsRead(w *where, f InspectionFilter, out *[]*taotai.Inspection) read {
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 20
	}
	return readInto(out, scanInspection, inspectionSelect+w.String()+` ORDER BY n.date DESC, n.id DESC LIMIT `+w.next(limit)+
		` OFFSET `+w.next(max(f.Offset, 0)), w.args...)
}

// inspectionRecord is what the audit trail keeps of an inspection.
func inspectionRecord(in *taotai.Inspection) map[string]any {
	return map[string]any{"enterprise_id": in.EnterpriseID, "date": dateString(in.Date), "agency_id": in.AgencyID, "kind": in.Kind,
		"inspectors": in.Inspectors, "inspector_count": in.InspectorCount, "expert_count": in.ExpertCount, "findings": in.Findings}
}
