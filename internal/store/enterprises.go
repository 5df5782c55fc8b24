package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"taotai"
)

const enterpriseSelect = `SELECT e.id, e.name, COALESCE(e.credit_code, ''), e.credit_code_confirmed, e.address,
	e.region_code, e.region_path, r.name, COALESCE(c.name, ''), e.industry_id, i.name, i.sector, e.production_state,
	e.legal_rep, e.contact_person, e.contact_phone, e.version, e.created_at, e.updated_at, e.coal_override`

const enterpriseFrom = ` FROM enterprises e
	JOIN regions r ON r.code = e.region_code
	LEFT JOIN regions c ON c.code = r.parent
	JOIN industries i ON i.id = e.industry_id`

func scanEnterprise(row interface{ Scan(...any) error }, extra ...any) (*taotai.Enterprise, error) {
	e := &taotai.Enterprise{}
	dest := []any{&e.ID, &e.Name, &e.CreditCode, &e.CreditCodeConfirmed, &e.Address,
		&e.RegionCode, &e.RegionPath, &e.RegionName, &e.CityName, &e.IndustryID, &e.IndustryName, &e.Sector, &e.ProductionState,
		&e.LegalRep, &e.ContactPerson, &e.ContactPhone, &e.Version, &e.CreatedAt, &e.UpdatedAt, &e.CoalOverride}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	return e, nil
}

// FindEnterprise returns one enterprise within the actor's lane, with the
// years whose key list holds it, or ENOTFOUND.
func (s *DB) FindEnterprise(ctx context.Context, id int64) (*taotai.Enterprise, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	// The enterprise in the lane and its key years, in one batch: the
	// years of an enterprise not found are dropped unread.
	var years []int
	e, err := findEnterpriseWith(ctx, s, a, id, readInto(&years, scanInt, keyYearsQuery, id))
	if err != nil {
		return nil, err
	}
	e.KeyYears = years
	return e, nil
}

// keyYearsQuery reads an enterprise's key-list years, newest first.
const keyYearsQuery = `SELECT year FROM key_list WHERE enterprise_id = $1 ORDER BY year DESC`

func scanInt(row rowScanner) (int, error) {
	var n int
	err := row.Scan(&n)
	return n, err
}

func findEnterprise(ctx context.Context, q queryer, a *taotai.Actor, id int64) (*taotai.Enterprise, error) {
	var m *requestMemo
	k := enterpriseKey{a.RegionPath, a.Sector, id}
	if _, outside := q.(*pool); outside {
		// Outside a transaction: the request's memo may answer.
		if m = memoFrom(ctx); m != nil {
			if e, ok := m.enterprise(k); ok {
				return e, nil
			}
		}
	}
	query, args := enterpriseInLane(a, id)
	e, err := scanEnterprise(q.QueryRowContext(ctx, query, args...))
	if isNoRows(err) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "企业不存在，或不在您的管辖范围内。")
	} else if err != nil {
		return nil, fmt.Errorf("find enterprise: %w", err)
	}
	if m != nil {
		m.keepEnterprise(k, e)
	}
	return e, nil
}

// enterpriseInLane is the statement reading enterprise id in a's lane.
func enterpriseInLane(a *taotai.Actor, id int64) (string, []any) {
	w := &where{}
	w.add("e.id = ?", id)
	w.lane(a, "e")
	return enterpriseSelect + enterpriseFrom + w.String(), w.args
}

// findEnterpriseWith is findEnterprise outside a transaction with more
// reads sent in the same batch (readAll); what they read of an enterprise
// not in the lane is the caller's to drop.
func findEnterpriseWith(ctx context.Context, s *DB, a *taotai.Actor, id int64, more ...read) (*taotai.Enterprise, error) {
	k := enterpriseKey{a.RegionPath, a.Sector, id}
	m := memoFrom(ctx)
	if m != nil {
		if e, ok := m.enterprise(k); ok {
			return e, s.readAll(ctx, more...)
		}
	}
	var found []*taotai.Enterprise
	query, args := enterpriseInLane(a, id)
	scan := func(row rowScanner) (*taotai.Enterprise, error) { return scanEnterprise(row) }
	if err := s.readAll(ctx, append([]read{readInto(&found, scan, query, args...)}, more...)...); err != nil {
		return nil, fmt.Errorf("find enterprise: %w", err)
	}
	if len(found) == 0 {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "企业不存在，或不在您的管辖范围内。")
	}
	if m != nil {
		m.keepEnterprise(k, found[0])
	}
	return found[0], nil
}

// FindEnterprises returns a page of the registry within the actor's lane
// and the total count of matches.
func (s *DB) FindEnterprises(ctx context.Context, f taotai.EnterpriseFilter) ([]*taotai.Enterprise, int, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	w.lane(a, "e")
	order := "e.region_path, e.id"
	if q := strings.TrimSpace(taotai.FoldWidth(f.Q)); q != "" {
		// A name search matches few rows: reading them by the name bigrams'
		// index (name_grams.go) and sorting them beats walking the whole
		// lane index in order ("|| ''" hides the index). LIKE checks them.
		order = "e.region_path || '', e.id"
		if grams := queryGrams(q); len(grams) > 0 {
			w.conds = append(w.conds, gramClause(w, "e", grams))
		}
		w.add(`(e.name LIKE ? ESCAPE '\' OR e.credit_code LIKE ? ESCAPE '\')`, likeContains(q), likeContains(strings.ToUpper(q)))
	}
	if f.RegionCode != "" {
		r, err := findRegion(ctx, s.db, f.RegionCode)
		if taotai.ErrorCode(err) == taotai.ENOTFOUND {
			return nil, 0, nil
		} else if err != nil {
			return nil, 0, err
		}
		w.subtree("e", r.Path)
	}
	if f.IndustryID != 0 {
		w.add("e.industry_id = ?", f.IndustryID)
	}
	if f.ProductionState != "" {
		w.add("e.production_state = ?", f.ProductionState)
	}
	if f.KeyYear != 0 {
		w.add("EXISTS (SELECT 1 FROM key_list k WHERE k.enterprise_id = e.id AND k.year = ?)", f.KeyYear)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 20
	}
	// The count and the page are two queries: a window count would make
	// the database join and sort every match just to show twenty.
	// Without a name or a key-list year, the count is enterprise_counts'
	// (migration 00029): a few rows per county, whatever the registry's size.
	count := `SELECT COUNT(*) FROM enterprises e`
	if strings.TrimSpace(taotai.FoldWidth(f.Q)) == "" && f.KeyYear == 0 {
		count = `SELECT COALESCE(SUM(e.n), 0) FROM enterprise_counts e`
		if f.MissingCode {
			count = `SELECT COALESCE(SUM(e.missing_codes), 0) FROM enterprise_counts e`
		}
	}
	counted := count + w.String()
	if f.MissingCode { // a condition without arguments: the counts know it by their column
		w.add("e.credit_code IS NULL")
		if strings.HasSuffix(count, "FROM enterprises e") {
			counted = count + w.String()
		}
	}
	args := func() []any { return w.args }
	if strings.TrimSpace(taotai.FoldWidth(f.Q)) != "" {
		args = func() []any { return s.valuePlanned(w.args) }
	}
	total := 0
	if err := s.db.QueryRowContext(ctx, counted, args()...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count enterprises: %w", err)
	}
	if total == 0 || f.Offset >= total {
		return nil, total, nil
	}
	// Pick the page's ids on the enterprises table alone, then join the
	// names for those twenty rows only.
	query := enterpriseSelect + ` FROM (SELECT e.id FROM enterprises e` + w.String() +
		` ORDER BY ` + order + ` LIMIT ` + w.next(limit) + ` OFFSET ` + w.next(max(f.Offset, 0)) + `) page
	JOIN enterprises e ON e.id = page.id` + strings.TrimPrefix(enterpriseFrom, ` FROM enterprises e`) +
		` ORDER BY e.region_path, e.id`
	rows, err := s.db.QueryContext(ctx, query, args()...)
	if err != nil {
		return nil, 0, fmt.Errorf("find enterprises: %w", err)
	}
	defer rows.Close()
	var out []*taotai.Enterprise
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan enterprise: %w", err)
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// CreateEnterprise registers an enterprise within the actor's lane.
func (s *DB) CreateEnterprise(ctx context.Context, e *taotai.Enterprise, confirmCode bool) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if !a.Can(taotai.ActWriteRegistry) {
		return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能登记企业。", taotai.RoleName(a.Role))
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		path, err := checkEnterprise(ctx, tx, a, e, confirmCode, 0, "")
		if err != nil {
			return err
		}
		e.RegionPath = path
		now := s.clock.Now().UTC()
		err = tx.QueryRowContext(ctx, `INSERT INTO enterprises (name, credit_code, credit_code_confirmed, address,
			region_code, industry_id, production_state, legal_rep, contact_person, contact_phone, version, created_at, updated_at,
			region_path, sector, coal_override)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11, `+lanePathSQL("$5")+`, `+laneSectorSQL("$6")+`, $12) RETURNING id, sector`,
			e.Name, nullString(e.CreditCode), e.CreditCodeConfirmed, e.Address, e.RegionCode, e.IndustryID,
			e.ProductionState, e.LegalRep, e.ContactPerson, e.ContactPhone, now, e.CoalOverride).Scan(&e.ID, &e.Sector)
		if err != nil {
			return creditCodeConflict(err, e.CreditCode)
		}
		e.Version, e.CreatedAt, e.UpdatedAt = 1, now, now
		return s.record(ctx, tx, change{Action: taotai.AuditCreate, Entity: "enterprise", EntityID: e.ID,
			RegionPath: e.RegionPath, Sector: e.Sector, After: snapshot(e)})
	})
}

// UpdateEnterprise saves e if e.Version is still current.
func (s *DB) UpdateEnterprise(ctx context.Context, e *taotai.Enterprise, confirmCode bool) (*taotai.Enterprise, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var saved *taotai.Enterprise
	err = s.Transact(ctx, func(tx *sql.Tx) error {
		cur, err := findEnterprise(ctx, tx, a, e.ID)
		if err != nil {
			return err
		}
		if !a.Can(taotai.ActWriteRegistry) {
			return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能修改企业信息。", taotai.RoleName(a.Role))
		}
		if cur.Version != e.Version {
			return staleError(cur.UpdatedAt)
		}
		// A confirmed pilot code stays confirmed while it is unchanged.
		confirm := confirmCode || (cur.CreditCodeConfirmed && strings.EqualFold(cur.CreditCode, strings.TrimSpace(e.CreditCode)))
		if e.CoalOverride == "" {
			e.CoalOverride = cur.CoalOverride // an override stays with the enterprise
		}
		if _, err := checkEnterprise(ctx, tx, a, e, confirm, e.ID, cur.CoalOverride); err != nil {
			return err
		}
		now := s.clock.Now().UTC()
		res, err := tx.ExecContext(ctx, `UPDATE enterprises SET name = $1, credit_code = $2, credit_code_confirmed = $3,
			address = $4, region_code = $5, industry_id = $6, production_state = $7, legal_rep = $8,
			contact_person = $9, contact_phone = $10, version = version + 1, updated_at = $11,
			region_path = `+lanePathSQL("$5")+`, sector = `+laneSectorSQL("$6")+`, coal_override = $14
			WHERE id = $12 AND version = $13`,
			e.Name, nullString(e.CreditCode), e.CreditCodeConfirmed, e.Address, e.RegionCode, e.IndustryID,
			e.ProductionState, e.LegalRep, e.ContactPerson, e.ContactPhone, now, e.ID, e.Version, e.CoalOverride)
		if err != nil {
			return creditCodeConflict(err, e.CreditCode)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleError(cur.UpdatedAt)
		}
		if saved, err = findEnterprise(ctx, tx, a, e.ID); err != nil {
			return err
		}
		return s.recordAll(ctx, tx, append(moveChanges(cur, saved), change{Action: taotai.AuditUpdate, Entity: "enterprise",
			EntityID: e.ID, RegionPath: saved.RegionPath, Sector: saved.Sector, Before: snapshot(cur), After: snapshot(saved)}))
	})
	return saved, err
}

// laneRecord is what the audit trail keeps of an enterprise's lane.
type laneRecord struct {
	RegionCode string `json:"region_code"`
	RegionPath string `json:"region_path"`
	Sector     string `json:"sector"`
}

// moveChanges records an enterprise's move to another region or sector,
// when it moved: the database moves its inspections, hazards, documents,
// cards, evidence files and imported form rows with it (trigger
// enterprises_lane_follows, migration 00010). The entry is kept in the lane
// it left, so that the old lane's trail says where the records went; the
// update itself is recorded in the new lane.
func moveChanges(before, after *taotai.Enterprise) []change {
	if before.RegionPath == after.RegionPath && before.Sector == after.Sector {
		return nil
	}
	return []change{{Action: taotai.AuditMove, Entity: "enterprise", EntityID: after.ID,
		RegionPath: before.RegionPath, Sector: before.Sector,
		Before: laneRecord{before.RegionCode, before.RegionPath, before.Sector},
		After:  laneRecord{after.RegionCode, after.RegionPath, after.Sector},
		Note: fmt.Sprintf("“%s”由%s%s移至%s%s，其检查、隐患、文书、黄红牌、证据材料和导入的报表随之移交", after.Name,
			before.RegionName, taotai.SectorName(before.Sector), after.RegionName, taotai.SectorName(after.Sector))}}
}

// checkEnterprise validates e against the rules and the database: the
// region must exist, be a leaf and lie in the lane; the industry must exist
// and be of the lane's sector; the credit code must be free.
func checkEnterprise(ctx context.Context, tx *sql.Tx, a *taotai.Actor, e *taotai.Enterprise, confirm bool, selfID int64, granted string) (string, error) {
	f := e.Validate(confirm)
	e.CoalOverride = strings.TrimSpace(e.CoalOverride)
	if len([]rune(e.CoalOverride)) > taotai.MaxNoteLen {
		f.Add("coal_override", "登记理由过长，请精简。")
	}
	var city *taotai.Region
	path := ""
	if e.RegionCode != "" {
		r, err := findRegion(ctx, tx, e.RegionCode)
		switch {
		case taotai.ErrorCode(err) == taotai.ENOTFOUND:
			f.Add("region", "所在地区代码“"+e.RegionCode+"”不存在。")
		case err != nil:
			return "", err
		case !strings.HasPrefix(r.Path, a.RegionPath):
			f.Add("region", "“"+r.Name+"”不在您的管辖范围内。")
		default:
			path = r.Path
			kids, err := regionHasChildren(ctx, tx, r.Code)
			if err != nil {
				return "", err
			}
			if !r.IsLeaf(kids) {
				f.Add("region", "请选择到县（市、区）一级。")
			}
			if city, err = cityOf(ctx, tx, r); err != nil {
				return "", err
			}
		}
	}
	if e.IndustryID != 0 {
		ind, err := findIndustry(ctx, tx, e.IndustryID)
		switch {
		case taotai.ErrorCode(err) == taotai.ENOTFOUND:
			f.Add("industry", "所属行业不存在。")
		case err != nil:
			return "", err
		case !a.SectorVisible(ind.Sector):
			f.Add("industry", "“"+ind.Name+"”不属于您负责的"+taotai.SectorName(a.Sector)+"行业。")
		case city != nil:
			granted := granted != "" && granted == e.CoalOverride
			if msg := taotai.CoalPlaceMessage(ind.Sector, city.Name, city.CoalProducing, e.CoalOverride, granted, a.Role == taotai.RoleAdmin); msg != "" {
				f.Add("industry", msg)
			}
		}
	}
	if _, ok := f["credit_code"]; !ok && e.CreditCode != "" {
		var id int64
		var name string
		err := tx.QueryRowContext(ctx, `SELECT id, name FROM enterprises WHERE credit_code = $1 AND id <> $2`, e.CreditCode, selfID).Scan(&id, &name)
		if err == nil {
			return "", &taotai.Error{Code: taotai.ECONFLICT, Message: "统一社会信用代码已被登记。",
				Fields: map[string]string{"credit_code": "统一社会信用代码" + e.CreditCode + "已被其他企业使用，不能重复登记。"}}
		} else if !isNoRows(err) {
			return "", err
		}
	}
	return path, f.Err()
}

func creditCodeConflict(err error, code string) error {
	if isUniqueViolation(err) {
		return &taotai.Error{Code: taotai.ECONFLICT, Message: "统一社会信用代码已被登记。",
			Fields: map[string]string{"credit_code": "统一社会信用代码" + code + "已被其他企业使用，不能重复登记。"}}
	}
	return fmt.Errorf("save enterprise: %w", err)
}

func staleError(at time.Time) error {
	return taotai.Errorf(taotai.ECONFLICT, "该企业信息已于%s被他人修改，请刷新后在最新内容上重新修改。",
		at.In(taotai.Shanghai).Format("2006-01-02 15:04:05"))
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// lanePathSQL and laneSectorSQL copy the lane of a region code and an
// industry id (given as placeholders) into an enterprise row.
func lanePathSQL(regionCode string) string {
	return `(SELECT path FROM regions WHERE code = ` + regionCode + `)`
}

func laneSectorSQL(industryID string) string {
	return `(SELECT sector FROM industries WHERE id = ` + industryID + `)`
}

// enterpriseRecord is what the audit trail keeps of an enterprise.
type enterpriseRecord struct {
	Name                string `json:"name"`
	CreditCode          string `json:"credit_code"`
	CreditCodeConfirmed bool   `json:"credit_code_confirmed,omitempty"`
	Address             string `json:"address"`
	RegionCode          string `json:"region_code"`
	IndustryID          int64  `json:"industry_id"`
	ProductionState     string `json:"production_state"`
	LegalRep            string `json:"legal_rep,omitempty"`
	ContactPerson       string `json:"contact_person,omitempty"`
	ContactPhone        string `json:"contact_phone,omitempty"`
	Version             int    `json:"version"`
	CoalOverride        string `json:"coal_override,omitempty"`
}

func snapshot(e *taotai.Enterprise) enterpriseRecord {
	return enterpriseRecord{e.Name, e.CreditCode, e.CreditCodeConfirmed, e.Address, e.RegionCode, e.IndustryID,
		e.ProductionState, e.LegalRep, e.ContactPerson, e.ContactPhone, e.Version, e.CoalOverride}
}

// cityOf returns the city (or province-level area) a region lies in: the
// second step of its path; the province itself for the province.
func cityOf(ctx context.Context, q queryer, r *taotai.Region) (*taotai.Region, error) {
	parts := strings.Split(strings.Trim(r.Path, "/"), "/")
	if len(parts) < 2 {
		return r, nil
	}
	if parts[1] == r.Code {
		return r, nil
	}
	return findRegion(ctx, q, parts[1])
}
