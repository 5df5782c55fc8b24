package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"taotai"
)

// stopSelect reads stop-production orders with their document; the lane
// is the enterprise's (alias e).
const stopSelect = stopColumns + ` FROM production_stops s JOIN enterprises e ON e.id = s.enterprise_id` + stopJoins

// stopsOfEnterprise is stopSelect for one enterprise whose lane the
// caller checks in the same batch (History): no join to the enterprise.
const stopsOfEnterprise = stopColumns + ` FROM production_stops s` + stopJoins + ` WHERE s.enterprise_id = $1 ORDER BY s.from_date, s.id`

const (
	stopColumns = `SELECT s.id, s.enterprise_id, s.document_id, d.number, d.kind, d.inspection_id, s.state, s.prior_state, s.from_date,
	s.lifted_on, s.lift_reason, COALESCE(NULLIF(u.display_name, ''), NULLIF(s.lifted_name, 'system'), '系统')`
	stopJoins = ` JOIN documents d ON d.id = s.document_id LEFT JOIN users u ON u.id = s.lifted_by`
)

func stopsWhere(ctx context.Context, q queryer, w *where) ([]*taotai.ProductionStop, error) {
	var out []*taotai.ProductionStop
	if err := runRead(ctx, q, stopsRead(w, &out)); err != nil {
		return nil, fmt.Errorf("production stops: %w", err)
	}
	return out, nil
}

// stopsRead reads the stop orders w selects, oldest first, into *out.
func stopsRead(w *where, out *[]*taotai.ProductionStop) read {
	return readInto(out, scanStop, stopSelect+w.String()+` ORDER BY s.from_date, s.id`, w.args...)
}

func scanStop(row rowScanner) (*taotai.ProductionStop, error) {
	p := &taotai.ProductionStop{}
	var from, lifted string
	err := row.Scan(&p.ID, &p.EnterpriseID, &p.DocumentID, &p.DocNumber, &p.DocKind, &p.InspectionID, &p.State, &p.PriorState,
		&from, &lifted, &p.LiftReason, &p.LiftedBy)
	p.From, p.LiftedOn = dateOf(from), dateOf(lifted)
	return p, err
}

// ProductionStops returns the stop-production orders of an enterprise in
// the actor's lane, oldest first, lifted or not.
func (s *DB) ProductionStops(ctx context.Context, enterpriseID int64) ([]*taotai.ProductionStop, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	w := &where{}
	w.add("s.enterprise_id = ?", enterpriseID)
	w.lane(a, "e")
	return stopsWhere(ctx, s.db, w)
}

// stopProduction puts into effect the stop order of document d, just
// issued: the enterprise is 停产 (or 局部生产) from d's date.
func (s *DB) stopProduction(ctx context.Context, tx *sql.Tx, a *taotai.Actor, d *taotai.Document) ([]change, error) {
	e, err := findEnterprise(ctx, tx, a, d.EnterpriseID)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now().UTC()
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO production_stops (enterprise_id, document_id, state, prior_state, from_date, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, e.ID, d.ID, d.StopState, e.ProductionState, dateString(d.IssuedOn), now).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("insert production stop: %w", err)
	}
	changes := []change{{Action: taotai.AuditCreate, Entity: "production_stop", EntityID: id, RegionPath: e.RegionPath, Sector: e.Sector,
		After: map[string]any{"document_id": d.ID, "state": d.StopState, "from": dateString(d.IssuedOn)}}}
	// A whole stop outweighs a partial one; a partial order leaves a
	// stopped enterprise stopped.
	if e.ProductionState == d.StopState || e.ProductionState == taotai.StateStopped {
		return changes, nil
	}
	c, err := setProductionState(ctx, tx, e, d.StopState, now)
	return append(changes, c), err
}

// setProductionState changes an enterprise's production state (as an
// order or its lifting does) and returns the audit change.
func setProductionState(ctx context.Context, tx *sql.Tx, e *taotai.Enterprise, state string, now time.Time) (change, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE enterprises SET production_state = $1, version = version + 1, updated_at = $2 WHERE id = $3`,
		state, now, e.ID); err != nil {
		return change{}, fmt.Errorf("production state: %w", err)
	}
	return change{Action: taotai.AuditUpdate, Entity: "enterprise", EntityID: e.ID, RegionPath: e.RegionPath, Sector: e.Sector,
		Before: map[string]any{"production_state": e.ProductionState}, After: map[string]any{"production_state": state}}, nil
}

// LiftProductionStop lifts a stop-production order on liftOn, after a
// passing re-check (taotai.CheckLiftStop), with its reason; the agency's
// act (taotai.ActDecidePenalty). The enterprise goes back to the state it
// had before the order when no other order is still in force.
func (s *DB) LiftProductionStop(ctx context.Context, stopID int64, liftOn time.Time, reason string) (*taotai.ProductionStop, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *taotai.ProductionStop
	err = s.Transact(ctx, func(tx *sql.Tx) error {
		w := &where{}
		w.add("s.id = ?", stopID)
		w.lane(a, "e")
		stops, err := stopsWhere(ctx, tx, w)
		if err != nil {
			return err
		}
		if len(stops) == 0 {
			return taotai.Errorf(taotai.ENOTFOUND, "停产整顿记录不存在，或不在您的管辖范围内。")
		}
		st := stops[0]
		if !a.Can(taotai.ActDecidePenalty) {
			return taotai.Errorf(taotai.EFORBIDDEN, "解除停产整顿由执法机关决定：您的角色（%s）不能解除。", taotai.RoleName(a.Role))
		}
		hazards, err := hazardsOf(ctx, tx, "h.inspection_id = $1", st.InspectionID)
		if err != nil {
			return err
		}
		var rechecks []time.Time
		ds, err := documentsWhere(ctx, tx, "d.enterprise_id = $1", st.EnterpriseID)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if d.Kind == taotai.DocRecheck {
				rechecks = append(rechecks, d.IssuedOn)
			}
		}
		if err := taotai.CheckLiftStop(st, liftOn, s.clock.Now(), reason, hazards, rechecks); err != nil {
			return err
		}
		now := s.clock.Now().UTC()
		var uid any
		if a.UserID != 0 {
			uid = a.UserID
		}
		reason = strings.TrimSpace(reason)
		if _, err := tx.ExecContext(ctx, `UPDATE production_stops SET lifted_on = $1, lift_reason = $2, lifted_by = $3, lifted_name = $4
			WHERE id = $5 AND lifted_on = ''`, dateString(liftOn), reason, uid, a.Username, st.ID); err != nil {
			return err
		}
		changes := []change{{Action: taotai.AuditUpdate, Entity: "production_stop", EntityID: st.ID, RegionPath: "", Sector: "",
			Before: map[string]any{"lifted_on": ""}, After: map[string]any{"lifted_on": dateString(liftOn), "lift_reason": reason}}}
		e, err := findEnterprise(ctx, tx, a, st.EnterpriseID)
		if err != nil {
			return err
		}
		changes[0].RegionPath, changes[0].Sector = e.RegionPath, e.Sector
		var still int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM production_stops WHERE enterprise_id = $1 AND lifted_on = ''`, e.ID).Scan(&still); err != nil {
			return err
		}
		if still == 0 && e.ProductionState != st.PriorState {
			c, err := setProductionState(ctx, tx, e, st.PriorState, now)
			if err != nil {
				return err
			}
			changes = append(changes, c)
		}
		st.LiftedOn, st.LiftReason, st.LiftedBy = taotai.Today(liftOn), reason, a.Username
		out = st
		return s.recordAll(ctx, tx, changes)
	})
	return out, err
}

// FindProductionStop returns a stop-production order in the actor's
// lane; outside it, ENOTFOUND.
func (s *DB) FindProductionStop(ctx context.Context, id int64) (*taotai.ProductionStop, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	w := &where{}
	w.add("s.id = ?", id)
	w.lane(a, "e")
	stops, err := stopsWhere(ctx, s.db, w)
	if err != nil {
		return nil, err
	}
	if len(stops) == 0 {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "停产整顿记录不存在，或不在您的管辖范围内。")
	}
	return stops[0], nil
}
