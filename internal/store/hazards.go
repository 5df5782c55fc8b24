package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"taotai"
)

const hazardSelect = `SELECT h.id, h.inspection_id, h.enterprise_id, e.name, h.region_path, h.sector, h.description, h.place, h.level,
	COALESCE(h.criterion_id, 0), COALESCE(c.article || '：' || c.text, ''), h.deadline, h.status, h.g_responsible, h.g_measures,
	h.g_funds, h.g_deadline, h.g_plan, h.supervised, h.recheck_date, h.recheck_note, h.version, h.created_at
	FROM hazards h JOIN enterprises e ON e.id = h.enterprise_id LEFT JOIN major_hazard_criteria c ON c.id = h.criterion_id`

func scanHazard(row interface{ Scan(...any) error }) (*taotai.Hazard, error) {
	h := &taotai.Hazard{}
	var deadline, gDeadline, recheck string
	var funds int64
	err := row.Scan(&h.ID, &h.InspectionID, &h.EnterpriseID, &h.EnterpriseName, &h.RegionPath, &h.Sector, &h.Description, &h.Place,
		&h.Level, &h.CriterionID, &h.CriterionText, &deadline, &h.Status, &h.Guarantees.Responsible, &h.Guarantees.Measures,
		&funds, &gDeadline, &h.Guarantees.Plan, &h.Supervised, &recheck, &h.RecheckNote, &h.Version, &h.CreatedAt)
	h.Deadline, h.Guarantees.Deadline, h.RecheckDate, h.Guarantees.Funds = dateOf(deadline), dateOf(gDeadline), dateOf(recheck), taotai.Yuan(funds)
	return h, err
}

// hazardsWhere returns hazards matching a condition on h (its one
// placeholder is $1); callers have checked the lane.
func (s *DB) hazardsWhere(ctx context.Context, cond string, arg any) ([]*taotai.Hazard, error) {
	return hazardsOf(ctx, s.db, cond, arg)
}

// hazardsOf is hazardsWhere inside a transaction or out of one.
func hazardsOf(ctx context.Context, q queryer, cond string, arg any) ([]*taotai.Hazard, error) {
	var out []*taotai.Hazard
	if err := runRead(ctx, q, hazardsRead(cond, arg, &out)); err != nil {
		return nil, fmt.Errorf("hazards: %w", err)
	}
	return out, nil
}

// hazardsRead reads the hazards matching cond (its one placeholder is
// $1), by id, into *out.
func hazardsRead(cond string, arg any, out *[]*taotai.Hazard) read {
	return readInto(out, scanHazard, hazardSelect+` WHERE `+cond+` ORDER BY h.id`, arg)
}

func findHazard(ctx context.Context, q queryer, a *taotai.Actor, id int64) (*taotai.Hazard, error) {
	w := &where{}
	w.add("h.id = ?", id)
	w.lane(a, "h")
	h, err := scanHazard(q.QueryRowContext(ctx, hazardSelect+w.String(), w.args...))
	if isNoRows(err) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "隐患不存在，或不在您的管辖范围内。")
	} else if err != nil {
		return nil, fmt.Errorf("find hazard: %w", err)
	}
	return h, nil
}

// FindHazard returns a hazard in the actor's lane with its deadline
// extensions, oldest first.
func (s *DB) FindHazard(ctx context.Context, id int64) (*taotai.Hazard, []taotai.Extension, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	h, err := findHazard(ctx, s.db, a, id)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT v.old_deadline, v.new_deadline, v.reason, `+byName+`, v.at FROM hazard_extensions v
		LEFT JOIN users u ON u.id = v.by_user WHERE v.hazard_id = $1 ORDER BY v.id`, id)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []taotai.Extension
	for rows.Next() {
		var x taotai.Extension
		var o, n string
		if err := rows.Scan(&o, &n, &x.Reason, &x.By, &x.At); err != nil {
			return nil, nil, err
		}
		x.OldDeadline, x.NewDeadline = dateOf(o), dateOf(n)
		out = append(out, x)
	}
	return h, out, rows.Err()
}

// editHazard loads a hazard for a change: in the lane, a role that records
// inspections, and the version the editor saw.
func editHazard(ctx context.Context, tx *sql.Tx, a *taotai.Actor, id int64, version int) (*taotai.Hazard, error) {
	h, err := findHazard(ctx, tx, a, id)
	if err != nil {
		return nil, err
	}
	if !a.Can(taotai.ActRecordInspection) {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能处理隐患。", taotai.RoleName(a.Role))
	}
	if h.Version != version {
		return nil, taotai.Errorf(taotai.ECONFLICT, "该隐患已被他人修改，请刷新后在最新内容上修改。")
	}
	return h, nil
}

// bumpHazard saves the version increment of a change, guarding the version.
func bumpHazard(ctx context.Context, tx *sql.Tx, h *taotai.Hazard, now time.Time, set string, args ...any) error {
	n := len(args)
	res, err := tx.ExecContext(ctx, `UPDATE hazards SET `+set+fmt.Sprintf(`, version = version + 1, updated_at = $%d WHERE id = $%d AND version = $%d`, n+1, n+2, n+3),
		append(args, now.UTC(), h.ID, h.Version)...)
	if err != nil {
		return fmt.Errorf("update hazard: %w", err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return taotai.Errorf(taotai.ECONFLICT, "该隐患已被他人修改，请刷新后在最新内容上修改。")
	}
	return nil
}

// SetGuarantees records the 五落实 of a hazard's rectification; an open
// hazard becomes 整改中. The deadline of the hazard never changes here.
func (s *DB) SetGuarantees(ctx context.Context, id int64, version int, g taotai.FiveGuarantees) (*taotai.Hazard, error) {
	return s.changeHazard(ctx, id, version, func(tx *sql.Tx, a *taotai.Actor, h *taotai.Hazard, now time.Time) (change, error) {
		if h.Status == taotai.HazardPassed {
			return change{}, taotai.Errorf(taotai.EINVALID, "该隐患已复查合格，不能再修改整改措施。")
		}
		status := h.Status
		if status == taotai.HazardOpen {
			if err := taotai.HazardTransition(status, taotai.HazardRectifying); err != nil {
				return change{}, err
			}
			status = taotai.HazardRectifying
		}
		return change{Action: taotai.AuditUpdate}, bumpHazard(ctx, tx, h, now,
			`g_responsible = $1, g_measures = $2, g_funds = $3, g_deadline = $4, g_plan = $5, status = $6`,
			g.Responsible, g.Measures, int64(g.Funds), dateString(g.Deadline), g.Plan, status)
	})
}

// ExtendHazard moves a hazard's deadline later, for a reason that is kept.
func (s *DB) ExtendHazard(ctx context.Context, id int64, version int, deadline time.Time, reason string) (*taotai.Hazard, error) {
	return s.changeHazard(ctx, id, version, func(tx *sql.Tx, a *taotai.Actor, h *taotai.Hazard, now time.Time) (change, error) {
		if err := taotai.ValidateExtension(h, deadline, reason); err != nil {
			return change{}, err
		}
		var uid any
		if a.UserID != 0 {
			uid = a.UserID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO hazard_extensions (hazard_id, old_deadline, new_deadline, reason, by_user, by_name, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, dateString(h.Deadline), dateString(deadline), reason, uid, a.Username, now.UTC()); err != nil {
			return change{}, err
		}
		return change{Action: taotai.AuditUpdate, Before: map[string]string{"deadline": dateString(h.Deadline)},
				After: map[string]string{"deadline": dateString(deadline)}, Note: "延期：" + reason},
			bumpHazard(ctx, tx, h, now, `deadline = $1`, dateString(deadline))
	})
}

// RecheckHazard records a re-check (复查): passed or failed, on a date.
func (s *DB) RecheckHazard(ctx context.Context, id int64, version int, passed bool, date time.Time, note string) (*taotai.Hazard, error) {
	return s.changeHazard(ctx, id, version, func(tx *sql.Tx, a *taotai.Actor, h *taotai.Hazard, now time.Time) (change, error) {
		to := taotai.HazardFailed
		if passed {
			to = taotai.HazardPassed
		}
		if err := taotai.HazardTransition(h.Status, to); err != nil {
			return change{}, err
		}
		var found string
		if err := tx.QueryRowContext(ctx, `SELECT date FROM inspections WHERE id = $1`, h.InspectionID).Scan(&found); err != nil {
			return change{}, fmt.Errorf("recheck: inspection date: %w", err)
		}
		if err := taotai.ValidateRecheck(dateOf(found), date, now); err != nil {
			return change{}, err
		}
		return change{Action: taotai.AuditState, Before: map[string]string{"status": h.Status},
				After: map[string]string{"status": to, "recheck_date": dateString(date)}, Note: note},
			bumpHazard(ctx, tx, h, now, `status = $1, recheck_date = $2, recheck_note = $3`, to, dateString(date), note)
	})
}

// changeHazard runs one change of a hazard in a transaction: it loads the
// hazard for editing (lane, role, version), lets fn write the change and
// describe it for the audit trail, and returns the saved hazard.
func (s *DB) changeHazard(ctx context.Context, id int64, version int, fn func(tx *sql.Tx, a *taotai.Actor, h *taotai.Hazard, now time.Time) (change, error)) (*taotai.Hazard, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *taotai.Hazard
	err = s.Transact(ctx, func(tx *sql.Tx) error {
		h, err := editHazard(ctx, tx, a, id, version)
		if err != nil {
			return err
		}
		c, err := fn(tx, a, h, s.clock.Now())
		if err != nil {
			return err
		}
		if out, err = findHazard(ctx, tx, a, id); err != nil {
			return err
		}
		c.Entity, c.EntityID, c.RegionPath, c.Sector = "hazard", id, h.RegionPath, h.Sector
		if c.Before == nil {
			c.Before, c.After = hazardRecord(h), hazardRecord(out)
		}
		return s.record(ctx, tx, c)
	})
	return out, err
}

// hazardRecord is what the audit trail keeps of a hazard.
func hazardRecord(h *taotai.Hazard) map[string]any {
	return map[string]any{"inspection_id": h.InspectionID, "description": h.Description, "place": h.Place, "level": h.Level,
		"criterion_id": h.CriterionID, "deadline": dateString(h.Deadline), "status": h.Status, "supervised": h.Supervised,
		"responsible": h.Guarantees.Responsible, "measures": h.Guarantees.Measures, "funds": int64(h.Guarantees.Funds),
		"guarantee_deadline": dateString(h.Guarantees.Deadline), "plan": h.Guarantees.Plan}
}
