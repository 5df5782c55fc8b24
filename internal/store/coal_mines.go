package store

import (
	"context"
	"database/sql"
	"fmt"

	"taotai"
)

// The coal-producing cities' lists of coal mines that do not meet the
// conditions for safe production (taotai.CoalMineEntry): only the coal
// channel's users reach them; an entry is read through its enterprise's
// lane.

const coalMineSelect = `SELECT c.id, c.year, c.enterprise_id, e.name, e.address, r.name, COALESCE(p.name, ''), c.conditions, c.measure,
	c.state, c.version, c.created_at, c.created_by, c.updated_at, c.updated_by
	FROM coal_mine_entries c JOIN enterprises e ON e.id = c.enterprise_id
	JOIN regions r ON r.code = e.region_code LEFT JOIN regions p ON p.code = r.parent`

func scanCoalMine(row interface{ Scan(...any) error }) (*taotai.CoalMineEntry, error) {
	c := &taotai.CoalMineEntry{}
	var created, updated string
	err := row.Scan(&c.ID, &c.Year, &c.EnterpriseID, &c.EnterpriseName, &c.Address, &c.RegionName, &c.CityName, &c.Conditions,
		&c.Measure, &c.State, &c.Version, &created, &c.CreatedBy, &updated, &c.UpdatedBy)
	c.CreatedAt, c.UpdatedAt = timeOf(created), timeOf(updated)
	return c, err
}

// coalActor returns the actor when their lane holds the coal channel
// (ENOTFOUND otherwise: the list is not theirs to know of).
func coalActor(ctx context.Context) (*taotai.Actor, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.SectorVisible(taotai.SectorCoal) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "不符合安全生产条件的煤矿企业清单仅供煤矿安全监管部门使用。")
	}
	return a, nil
}

// CoalMineEntries returns the year's list in the actor's lane (and the
// region's subtree, when given), by city, county and name.
func (s *DB) CoalMineEntries(ctx context.Context, year int, regionCode string) ([]*taotai.CoalMineEntry, error) {
	a, err := coalActor(ctx)
	if err != nil {
		return nil, err
	}
	w := &where{}
	w.lane(a, "e")
	w.add("e.sector = 'coal' AND c.year = ?", year)
	if regionCode != "" {
		r, err := findRegion(ctx, s.db, regionCode)
		if err != nil {
			return nil, err
		}
		w.subtree("e", r.Path)
	}
	rows, err := s.db.QueryContext(ctx, coalMineSelect+w.String()+` ORDER BY e.region_path, e.name, c.id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("coal mines: %w", err)
	}
	defer rows.Close()
	var out []*taotai.CoalMineEntry
	for rows.Next() {
		c, err := scanCoalMine(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindCoalMineEntry returns an entry in the actor's lane, or ENOTFOUND.
func (s *DB) FindCoalMineEntry(ctx context.Context, id int64) (*taotai.CoalMineEntry, error) {
	a, err := coalActor(ctx)
	if err != nil {
		return nil, err
	}
	return findCoalMine(ctx, s.db, a, id)
}

func findCoalMine(ctx context.Context, q queryer, a *taotai.Actor, id int64) (*taotai.CoalMineEntry, error) {
	w := &where{}
	w.add("c.id = ?", id)
	w.lane(a, "e")
	c, err := scanCoalMine(q.QueryRowContext(ctx, coalMineSelect+w.String(), w.args...))
	if isNoRows(err) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "清单中没有这条记录，或不在您的管辖范围内。")
	} else if err != nil {
		return nil, fmt.Errorf("find coal mine: %w", err)
	}
	return c, nil
}

// CoalMineCandidates returns the coal enterprises in the actor's lane,
// in coal-producing cities, not yet on the year's list: those the add
// form offers.
func (s *DB) CoalMineCandidates(ctx context.Context, year int) ([]*taotai.Enterprise, error) {
	a, err := coalActor(ctx)
	if err != nil {
		return nil, err
	}
	w := &where{}
	w.lane(a, "e")
	w.add(`e.sector = 'coal' AND EXISTS (SELECT 1 FROM regions cp WHERE cp.coal_producing AND e.region_path LIKE cp.path || '%')
		AND NOT EXISTS (SELECT 1 FROM coal_mine_entries x WHERE x.enterprise_id = e.id AND x.year = ?)`, year)
	rows, err := s.db.QueryContext(ctx, enterpriseSelect+enterpriseFrom+w.String()+` ORDER BY e.region_path, e.name LIMIT 2000`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("coal candidates: %w", err)
	}
	defer rows.Close()
	var out []*taotai.Enterprise
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddCoalMineEntry puts a coal mine on its city's list of a year: a mine
// of the coal channel in a coal-producing city (EINVALID otherwise), once
// a year (ECONFLICT), by a clerk or approver (ActWriteKeyList).
func (s *DB) AddCoalMineEntry(ctx context.Context, c *taotai.CoalMineEntry) error {
	a, err := coalActor(ctx)
	if err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		e, err := findEnterprise(ctx, tx, a, c.EnterpriseID)
		if err != nil {
			return err
		}
		if !a.Can(taotai.ActWriteKeyList) {
			return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能修改煤矿企业清单。", taotai.RoleName(a.Role))
		}
		if e.Sector != taotai.SectorCoal {
			return taotai.Errorf(taotai.EINVALID, "“%s”不是煤矿企业，不能列入煤矿企业清单。", e.Name)
		}
		var coal bool
		if err := tx.QueryRowContext(ctx, `SELECT coal_producing FROM regions WHERE path = $1`, taotai.CityPath(e.RegionPath)).Scan(&coal); err != nil {
			return fmt.Errorf("coal city: %w", err)
		}
		if !coal {
			return taotai.Errorf(taotai.EINVALID, "“%s”所在的市不是产煤市，不建立煤矿企业清单。", e.Name)
		}
		if _, err := findCampaignYear(ctx, tx, c.Year); err != nil {
			return err
		}
		if err := c.Validate(); err != nil {
			return err
		}
		ts := timeText(s.clock.Now())
		err = tx.QueryRowContext(ctx, `INSERT INTO coal_mine_entries (year, enterprise_id, conditions, measure, state, created_at, created_by,
			updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $7) RETURNING id`,
			c.Year, e.ID, c.Conditions, c.Measure, c.State, ts, a.Username).Scan(&c.ID)
		if isUniqueViolation(err) {
			return taotai.Errorf(taotai.ECONFLICT, "“%s”已在%d年度清单中。", e.Name, c.Year)
		} else if err != nil {
			return fmt.Errorf("insert coal mine: %w", err)
		}
		c.Version = 1
		return s.record(ctx, tx, change{Action: taotai.AuditCreate, Entity: "coal_mine_entry", EntityID: c.ID, RegionPath: e.RegionPath,
			Sector: e.Sector, After: coalMineRecord(c)})
	})
}

// UpdateCoalMineEntry changes an entry's conditions, measure and state,
// if c.Version is still current (ECONFLICT otherwise).
func (s *DB) UpdateCoalMineEntry(ctx context.Context, c *taotai.CoalMineEntry) error {
	a, err := coalActor(ctx)
	if err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		old, err := findCoalMine(ctx, tx, a, c.ID)
		if err != nil {
			return err
		}
		if !a.Can(taotai.ActWriteKeyList) {
			return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能修改煤矿企业清单。", taotai.RoleName(a.Role))
		}
		if err := c.Validate(); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE coal_mine_entries SET conditions = $1, measure = $2, state = $3, updated_at = $4,
			updated_by = $5, version = version + 1 WHERE id = $6 AND version = $7`,
			c.Conditions, c.Measure, c.State, timeText(s.clock.Now()), a.Username, c.ID, c.Version)
		if err != nil {
			return fmt.Errorf("update coal mine: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return taotai.Errorf(taotai.ECONFLICT, "这条记录已被他人修改，请刷新后重新填写。")
		}
		c.Version++
		e, err := findEnterprise(ctx, tx, a, old.EnterpriseID)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, change{Action: taotai.AuditUpdate, Entity: "coal_mine_entry", EntityID: c.ID, RegionPath: e.RegionPath,
			Sector: e.Sector, Before: coalMineRecord(old), After: coalMineRecord(c)})
	})
}

func coalMineRecord(c *taotai.CoalMineEntry) map[string]any {
	return map[string]any{"year": c.Year, "enterprise_id": c.EnterpriseID, "conditions": c.Conditions, "measure": c.Measure, "state": c.State}
}
