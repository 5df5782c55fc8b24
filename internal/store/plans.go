package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"taotai"
)

// Inspection plans (taotai.InspectionPlan): only their SQL lives here; the
// states, who may do what and the progress rule are taotai's. A plan's
// lane is its agency's region subtree and channel.

const planSelect = `SELECT p.id, p.year, p.region_code, r.name, p.region_path, p.sector, p.state, p.scheme, p.return_reason,
	p.submitted_by, p.submitted_at, p.reviewed_by, p.reviewed_at, p.created_by, p.created_at, p.updated_at, p.version
	FROM inspection_plans p JOIN regions r ON r.code = p.region_code`

func scanPlan(row interface{ Scan(...any) error }) (*taotai.InspectionPlan, error) {
	p := &taotai.InspectionPlan{}
	var submitted, reviewed, created, updated string
	err := row.Scan(&p.ID, &p.Year, &p.RegionCode, &p.RegionName, &p.RegionPath, &p.Sector, &p.State, &p.Scheme, &p.ReturnReason,
		&p.SubmittedBy, &submitted, &p.ReviewedBy, &reviewed, &p.CreatedBy, &created, &updated, &p.Version)
	p.SubmittedAt, p.ReviewedAt, p.CreatedAt, p.UpdatedAt = timeOf(submitted), timeOf(reviewed), timeOf(created), timeOf(updated)
	return p, err
}

// Plans returns the plans of a year in the actor's lane (a city's own and
// its counties'; the province's every plan), by region and channel, each
// with its counts of planned, done and overdue enterprises on today.
func (s *DB) Plans(ctx context.Context, year int) ([]*taotai.InspectionPlan, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	w := &where{}
	w.lane(a, "p")
	w.add("p.year = ?", year)
	out, err := scanPlans(ctx, s.db, planSelect+w.String()+` ORDER BY p.region_path, p.sector`, w.args...)
	if err != nil {
		return nil, err
	}
	for _, p := range out {
		if err := s.planItems(ctx, s.db, a, p); err != nil {
			return nil, err
		}
		p.PlanCount()
		p.Items = nil
	}
	return out, nil
}

// scanPlans runs a query of planSelect and reads its plans.
func scanPlans(ctx context.Context, q queryer, query string, args ...any) ([]*taotai.InspectionPlan, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("plans: %w", err)
	}
	defer rows.Close()
	var out []*taotai.InspectionPlan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// FindPlan returns a plan in the actor's lane with its items (their
// progress on today) and its files' names and sizes, or ENOTFOUND.
func (s *DB) FindPlan(ctx context.Context, id int64) (*taotai.InspectionPlan, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := findPlan(ctx, s.db, a, id)
	if err != nil {
		return nil, err
	}
	if err := s.planItems(ctx, s.db, a, p); err != nil {
		return nil, err
	}
	p.PlanCount()
	return p, planFiles(ctx, s.db, p, false)
}

func findPlan(ctx context.Context, q queryer, a *taotai.Actor, id int64) (*taotai.InspectionPlan, error) {
	w := &where{}
	w.add("p.id = ?", id)
	w.lane(a, "p")
	p, err := scanPlan(q.QueryRowContext(ctx, planSelect+w.String(), w.args...))
	if isNoRows(err) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "执法检查计划不存在，或不在您的管辖范围内。")
	} else if err != nil {
		return nil, fmt.Errorf("find plan: %w", err)
	}
	return p, nil
}

// planItems reads a plan's items in the actor's lane, each with its
// latest inspection in the campaign year up to today and its progress.
func (s *DB) planItems(ctx context.Context, q queryer, a *taotai.Actor, p *taotai.InspectionPlan) error {
	now := s.clock.Now()
	today := taotai.Today(now)
	ps, err := s.yearPeriods(ctx, p.Year)
	if err != nil {
		return err
	}
	w := &where{}
	w.add("i.plan_id = ?", p.ID)
	w.lane(a, "e")
	recorded, reported := inspectedSQL(w, ps, today)
	if reported == "" {
		reported = "FALSE"
	}
	from := dateString(ps[len(ps)-1].From)
	rows, err := q.QueryContext(ctx, `SELECT e.id, e.name, e.address, r.name, i.month,
		COALESCE((SELECT MAX(n.date) FROM inspections n WHERE n.enterprise_id = e.id AND n.date >= `+w.next(from)+`
			AND n.date <= `+w.next(dateString(today))+`), ''),
		CASE WHEN `+recorded+` OR `+reported+` THEN 1 ELSE 0 END
		FROM inspection_plan_items i JOIN enterprises e ON e.id = i.enterprise_id JOIN regions r ON r.code = e.region_code`+
		w.String()+` ORDER BY i.month, e.region_path, e.name, e.id`, w.args...)
	if err != nil {
		return fmt.Errorf("plan items: %w", err)
	}
	defer rows.Close()
	p.Items = nil
	for rows.Next() {
		var it taotai.PlanItem
		var last string
		var done int
		if err := rows.Scan(&it.EnterpriseID, &it.EnterpriseName, &it.Address, &it.RegionName, &it.Month, &last, &done); err != nil {
			return err
		}
		it.LastInspected = dateOf(last)
		it.Progress = taotai.PlanProgress(p.Year, it.Month, done == 1, now)
		p.Items = append(p.Items, it)
	}
	return rows.Err()
}

// planFiles reads a plan's files in order, their bytes only when withData.
func planFiles(ctx context.Context, q queryer, p *taotai.InspectionPlan, withData bool) error {
	col := "length(data)"
	if withData {
		col = "data"
	}
	rows, err := q.QueryContext(ctx, `SELECT name, sha256, `+col+` FROM inspection_plan_files WHERE plan_id = $1 ORDER BY seq`, p.ID)
	if err != nil {
		return fmt.Errorf("plan files: %w", err)
	}
	defer rows.Close()
	p.Files, p.FileSizes = nil, nil
	for rows.Next() {
		var f taotai.SubmittedFile
		var size int
		if withData {
			err = rows.Scan(&f.Name, &f.SHA256, &f.Data)
			size = len(f.Data)
		} else {
			err = rows.Scan(&f.Name, &f.SHA256, &size)
		}
		if err != nil {
			return err
		}
		p.Files = append(p.Files, f)
		p.FileSizes = append(p.FileSizes, size)
	}
	return rows.Err()
}

// PlanFile returns file n (from 1) of a plan in the actor's lane, with its
// bytes, or ENOTFOUND.
func (s *DB) PlanFile(ctx context.Context, id int64, n int) (*taotai.InspectionPlan, *taotai.SubmittedFile, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	p, err := findPlan(ctx, s.db, a, id)
	if err != nil {
		return nil, nil, err
	}
	if err := planFiles(ctx, s.db, p, true); err != nil {
		return nil, nil, err
	}
	if n < 1 || n > len(p.Files) {
		return nil, nil, taotai.Errorf(taotai.ENOTFOUND, "检查方案文件不存在。")
	}
	return p, &p.Files[n-1], nil
}

// OpenPlan returns the actor's own agency's plan of a year and channel
// (sector "" = the actor's), making an empty draft when there is none
// yet. Only a clerk or approver of a city or county may (EFORBIDDEN); the
// year must be configured (ENOTFOUND).
func (s *DB) OpenPlan(ctx context.Context, year int, sector string) (*taotai.InspectionPlan, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Can(taotai.ActPreparePlan) {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能编制执法检查计划，请由本单位的填报人员编制。", taotai.RoleName(a.Role))
	}
	if sector == "" {
		sector = a.Sector
	}
	if sector == "" {
		return nil, taotai.Errorf(taotai.EINVALID, "请选择计划的行业类别（煤矿或非煤）。")
	}
	if err := checkSector(a, sector); err != nil {
		return nil, err
	}
	var id int64
	err = s.Transact(ctx, func(tx *sql.Tx) error {
		r, err := findRegion(ctx, tx, a.RegionCode)
		if err != nil {
			return err
		}
		if r.Level == taotai.LevelProvince {
			return taotai.Errorf(taotai.EINVALID, "执法检查计划由市、县（区）执法部门编制，省级不编制。")
		}
		if _, err := findCampaignYear(ctx, tx, year); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT id FROM inspection_plans WHERE year = $1 AND region_code = $2 AND sector = $3`,
			year, r.Code, sector).Scan(&id)
		if !isNoRows(err) {
			return err
		}
		ts := timeText(s.clock.Now())
		if err := tx.QueryRowContext(ctx, `INSERT INTO inspection_plans (year, region_code, region_path, sector, state, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, 'draft', $5, $6, $6) RETURNING id`, year, r.Code, r.Path, sector, a.Username, ts).Scan(&id); err != nil {
			return fmt.Errorf("insert plan: %w", mapError(err))
		}
		return s.record(ctx, tx, change{Action: taotai.AuditCreate, Entity: "inspection_plan", EntityID: id, RegionPath: r.Path,
			Sector: sector, After: map[string]any{"year": year, "region": r.Code, "sector": sector, "state": taotai.PlanDraft}})
	})
	if err != nil {
		return nil, err
	}
	return s.FindPlan(ctx, id)
}

// PlanEdit is what the agency saves of its plan.
type PlanEdit struct {
	Version int
	Scheme  string
	Months  map[int64]int // enterprise id → planned month
	Files   []taotai.SubmittedFile
}

// SavePlan replaces a plan's 检查方案, files and items, if version is still
// current. Each enterprise must be on the year's key list, in the plan's
// region and channel (EINVALID naming it), its month within the campaign
// year. A plan awaiting review cannot change (ECONFLICT); an approved one
// becomes a draft again, to be approved anew.
func (s *DB) SavePlan(ctx context.Context, id int64, ed PlanEdit) (*taotai.InspectionPlan, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	ed.Scheme = strings.TrimSpace(ed.Scheme)
	if err := taotai.CheckPlanScheme(ed.Scheme); err != nil {
		return nil, err
	}
	if err := taotai.CheckSummaryFiles(ed.Files); err != nil {
		return nil, err
	}
	err = s.Transact(ctx, func(tx *sql.Tx) error {
		p, err := s.preparablePlan(ctx, tx, a, id, ed.Version)
		if err != nil {
			return err
		}
		if !p.Editable() {
			return taotai.Errorf(taotai.ECONFLICT, "计划已报送，正待市级审核；审核退回后方可修改。")
		}
		y, err := findCampaignYear(ctx, tx, p.Year)
		if err != nil {
			return err
		}
		if err := checkPlanEnterprises(ctx, tx, p, ed.Months, y.Start); err != nil {
			return err
		}
		before, err := planRecord(ctx, tx, p)
		if err != nil {
			return err
		}
		state := p.State
		if state == taotai.PlanApproved {
			state = taotai.PlanDraft
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM inspection_plan_items WHERE plan_id = $1`, p.ID); err != nil {
			return err
		}
		for eid, m := range ed.Months {
			if _, err := tx.ExecContext(ctx, `INSERT INTO inspection_plan_items (plan_id, enterprise_id, month) VALUES ($1, $2, $3)`, p.ID, eid, m); err != nil {
				return fmt.Errorf("insert plan item: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM inspection_plan_files WHERE plan_id = $1`, p.ID); err != nil {
			return err
		}
		for i, f := range ed.Files {
			sum := sha256.Sum256(f.Data)
			if _, err := tx.ExecContext(ctx, `INSERT INTO inspection_plan_files (plan_id, seq, name, data, sha256) VALUES ($1, $2, $3, $4, $5)`,
				p.ID, i+1, f.Name, f.Data, hex.EncodeToString(sum[:])); err != nil {
				return fmt.Errorf("insert plan file: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE inspection_plans SET scheme = $1, state = $2, updated_at = $3, version = version + 1 WHERE id = $4`,
			ed.Scheme, state, timeText(s.clock.Now()), p.ID); err != nil {
			return fmt.Errorf("update plan: %w", err)
		}
		p.State, p.Scheme = state, ed.Scheme
		after, err := planRecord(ctx, tx, p)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, change{Action: taotai.AuditUpdate, Entity: "inspection_plan", EntityID: p.ID, RegionPath: p.RegionPath,
			Sector: p.Sector, Before: before, After: after})
	})
	if err != nil {
		return nil, err
	}
	return s.FindPlan(ctx, id)
}

// preparablePlan finds a plan for its own agency to change, at version.
func (s *DB) preparablePlan(ctx context.Context, q queryer, a *taotai.Actor, id int64, version int) (*taotai.InspectionPlan, error) {
	p, err := findPlan(ctx, q, a, id)
	if err != nil {
		return nil, err
	}
	if !p.CanPrepare(a) {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "只有%s的填报人员可以修改和报送本计划。", p.RegionName)
	}
	if p.Version != version {
		return nil, taotai.Errorf(taotai.ECONFLICT, "计划已被他人修改（现为“%s”），请刷新后重新操作。", taotai.PlanStateName(p.State))
	}
	return p, nil
}

// checkPlanEnterprises checks the months and that every enterprise is on
// the plan year's key list within the plan's region and channel.
func checkPlanEnterprises(ctx context.Context, q queryer, p *taotai.InspectionPlan, months map[int64]int, start time.Time) error {
	for eid, m := range months {
		var name string
		err := q.QueryRowContext(ctx, `SELECT e.name FROM enterprises e JOIN key_list k ON k.enterprise_id = e.id AND k.year = $1
			WHERE e.id = $2 AND e.region_path >= $3 AND e.region_path < $4 AND e.sector = $5`,
			p.Year, eid, p.RegionPath, p.RegionPath[:len(p.RegionPath)-1]+"0", p.Sector).Scan(&name)
		if isNoRows(err) {
			return taotai.Errorf(taotai.EINVALID, "编号为%d的企业不在%s%d年度%s重点企业名单内，不能列入本计划。", eid, p.RegionName, p.Year,
				taotai.SectorName(p.Sector))
		} else if err != nil {
			return err
		}
		if err := taotai.CheckPlanMonth(m, start); err != nil {
			return taotai.Errorf(taotai.EINVALID, "“%s”：%s", name, taotai.ErrorMessage(err))
		}
	}
	return nil
}

// planRecord is a plan as the audit trail keeps it: its state, scheme,
// months by enterprise id and files by name and SHA-256.
func planRecord(ctx context.Context, q queryer, p *taotai.InspectionPlan) (map[string]any, error) {
	months := map[string]int{}
	rows, err := q.QueryContext(ctx, `SELECT enterprise_id, month FROM inspection_plan_items WHERE plan_id = $1`, p.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var eid int64
		var m int
		if err := rows.Scan(&eid, &m); err != nil {
			return nil, err
		}
		months[fmt.Sprint(eid)] = m
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cp := *p
	if err := planFiles(ctx, q, &cp, false); err != nil {
		return nil, err
	}
	files := make([]string, len(cp.Files))
	for i, f := range cp.Files {
		files[i] = f.Name + " " + f.SHA256
	}
	return map[string]any{"state": p.State, "scheme": p.Scheme, "months": months, "files": files}, nil
}

// SubmitPlan sends the agency's plan to its city for approval.
func (s *DB) SubmitPlan(ctx context.Context, id int64, version int) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		p, err := s.preparablePlan(ctx, tx, a, id, version)
		if err != nil {
			return err
		}
		if p.State == taotai.PlanSubmitted || p.State == taotai.PlanApproved {
			return taotai.Errorf(taotai.ECONFLICT, "计划%s，不需再次报送。", taotai.PlanStateName(p.State))
		}
		if err := s.planItems(ctx, tx, a, p); err != nil {
			return err
		}
		if err := planFiles(ctx, tx, p, false); err != nil {
			return err
		}
		if err := p.CheckSubmittable(); err != nil {
			return err
		}
		return s.movePlan(ctx, tx, p, taotai.PlanSubmitted, `submitted_by = $1, submitted_at = $2, return_reason = ''`, a.Username, "")
	})
}

// ApprovePlan approves a submitted plan: an approver of the plan's city
// other than the person who submitted it.
func (s *DB) ApprovePlan(ctx context.Context, id int64, version int) error {
	return s.reviewPlan(ctx, id, version, taotai.PlanApproved, "")
}

// ReturnPlan returns a submitted plan to its agency with a reason.
func (s *DB) ReturnPlan(ctx context.Context, id int64, version int, reason string) error {
	reason = strings.TrimSpace(reason)
	if err := taotai.CheckReturnReason(reason); err != nil {
		return err
	}
	return s.reviewPlan(ctx, id, version, taotai.PlanReturned, reason)
}

func (s *DB) reviewPlan(ctx context.Context, id int64, version int, to, reason string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		p, err := findPlan(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !p.CanReview(a) {
			return taotai.Errorf(taotai.EFORBIDDEN, "执法检查计划由所在市的市级审核人员审批。")
		}
		if p.SubmittedBy == a.Username {
			return taotai.Errorf(taotai.EFORBIDDEN, "您报送的计划须由另一位市级审核人员审批。")
		}
		if p.Version != version || p.State != taotai.PlanSubmitted {
			return taotai.Errorf(taotai.ECONFLICT, "计划现为“%s”，不能审批；请刷新后查看。", taotai.PlanStateName(p.State))
		}
		return s.movePlan(ctx, tx, p, to, `reviewed_by = $1, reviewed_at = $2, return_reason = $3`, a.Username, reason)
	})
}

// movePlan changes a plan's state, setting who and when by set (which
// takes $1 the username, $2 the time and optionally $3 the reason), and
// records the change.
func (s *DB) movePlan(ctx context.Context, tx *sql.Tx, p *taotai.InspectionPlan, to, set, by, reason string) error {
	args := []any{by, timeText(s.clock.Now())}
	if strings.Contains(set, "$3") {
		args = append(args, reason)
	}
	n := len(args)
	res, err := tx.ExecContext(ctx, `UPDATE inspection_plans SET `+set+fmt.Sprintf(`, state = $%d, updated_at = $2, version = version + 1
		WHERE id = $%d AND version = $%d`, n+1, n+2, n+3), append(args, to, p.ID, p.Version)...)
	if err != nil {
		return fmt.Errorf("move plan: %w", err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return taotai.Errorf(taotai.ECONFLICT, "计划已被他人修改，请刷新后重新操作。")
	}
	return s.record(ctx, tx, change{Action: taotai.AuditState, Entity: "inspection_plan", EntityID: p.ID, RegionPath: p.RegionPath,
		Sector: p.Sector, Before: map[string]any{"state": p.State}, After: map[string]any{"state": to, "return_reason": reason}, Note: reason})
}
