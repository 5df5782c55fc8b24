package store

import (
	"context"
	"database/sql"
	"fmt"

	"taotai"
)

// noticeSelect reads penalty notices with their issuer's mark and the
// decision that followed; the lane is the enterprise's (alias e).
const noticeSelect = noticeColumns + ` FROM penalty_notices p JOIN enterprises e ON e.id = p.enterprise_id` + noticeJoins

// noticesOfEnterprise is noticeSelect for one enterprise whose lane the
// caller checks in the same batch (History): no join to the enterprise.
const noticesOfEnterprise = noticeColumns + ` FROM penalty_notices p` + noticeJoins + ` WHERE p.enterprise_id = $1 ORDER BY p.issued_on, p.id`

const (
	noticeColumns = `SELECT p.id, p.inspection_id, p.enterprise_id, p.agency_id, a.short_name, p.year, p.seq, p.number, p.issued_on,
	p.fine, p.stop_state, p.hearing, p.waived, p.statement_until, p.hearing_until, p.content, COALESCE(d.id, 0), p.created_at`
	noticeJoins = ` JOIN agencies a ON a.id = p.agency_id LEFT JOIN documents d ON d.notice_id = p.id`
)

func scanNotice(row interface{ Scan(...any) error }) (*taotai.PenaltyNotice, error) {
	n := &taotai.PenaltyNotice{}
	var issued, statement, hearing string
	var fine int64
	err := row.Scan(&n.ID, &n.InspectionID, &n.EnterpriseID, &n.AgencyID, &n.AgencyShort, &n.Year, &n.Seq, &n.Number, &issued,
		&fine, &n.StopState, &n.Hearing, &n.Waived, &statement, &hearing, &n.Content, &n.DecisionID, &n.CreatedAt)
	n.IssuedOn, n.StatementUntil, n.HearingUntil, n.Fine = dateOf(issued), dateOf(statement), dateOf(hearing), taotai.Yuan(fine)
	return n, err
}

func noticesWhere(ctx context.Context, q queryer, w *where) ([]*taotai.PenaltyNotice, error) {
	var out []*taotai.PenaltyNotice
	if err := runRead(ctx, q, noticesRead(w, &out)); err != nil {
		return nil, fmt.Errorf("penalty notices: %w", err)
	}
	return out, nil
}

// noticesRead reads the notices w selects, oldest first, into *out.
func noticesRead(w *where, out *[]*taotai.PenaltyNotice) read {
	return readInto(out, scanNotice, noticeSelect+w.String()+` ORDER BY p.issued_on, p.id`, w.args...)
}

// PenaltyNotices returns the 行政处罚告知书 to an enterprise in the actor's
// lane, oldest first, each with the decision that followed it.
func (s *DB) PenaltyNotices(ctx context.Context, enterpriseID int64) ([]*taotai.PenaltyNotice, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	w := &where{}
	w.add("p.enterprise_id = ?", enterpriseID)
	w.lane(a, "e")
	return noticesWhere(ctx, s.db, w)
}

// IssuePenaltyNotice issues a 行政处罚告知书 in an inspection in the actor's
// lane: the penalty proposed, with the last days for a statement and, for
// a large penalty, a hearing (taotai.PenaltyNotice.SetPeriods). It is
// numbered （简称）应急罚告〔年〕序号号 per agency and year, the next number
// or n.Seq when given (a used number is ECONFLICT). An inspector may issue
// one: proposing is an inspector's part, deciding the agency's.
func (s *DB) IssuePenaltyNotice(ctx context.Context, n *taotai.PenaltyNotice) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if err := n.Validate().Err(); err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		in, err := laneInspection(ctx, tx, a, n.InspectionID)
		if err != nil {
			return err
		}
		if !a.Can(taotai.ActIssueDocument) {
			return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能下达执法文书。", taotai.RoleName(a.Role))
		}
		if n.IssuedOn.Before(in.Date) || n.IssuedOn.After(taotai.Today(s.clock.Now())) {
			return &taotai.Error{Code: taotai.EINVALID, Message: fmt.Sprintf("文书日期应在检查日期（%s）至今天之间。", dateString(in.Date)),
				Fields: map[string]string{"issued_on": fmt.Sprintf("文书日期应在检查日期（%s）至今天之间。", dateString(in.Date))}}
		}
		n.AgencyID = a.AgencyID
		if n.AgencyID == 0 {
			n.AgencyID = in.AgencyID
		}
		if err := tx.QueryRowContext(ctx, `SELECT short_name FROM agencies WHERE id = $1`, n.AgencyID).Scan(&n.AgencyShort); err != nil {
			return err
		}
		n.Year, n.EnterpriseID = n.IssuedOn.Year(), in.EnterpriseID
		if n.Seq <= 0 {
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM penalty_notices WHERE agency_id = $1 AND year = $2`,
				n.AgencyID, n.Year).Scan(&n.Seq); err != nil {
				return err
			}
		}
		n.Number = taotai.FormatDocNumber(n.AgencyShort, taotai.DocPenaltyNotice, n.Year, n.Seq)
		n.SetPeriods()
		n.CreatedAt = s.clock.Now().UTC()
		var uid any
		if a.UserID != 0 {
			uid = a.UserID
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO penalty_notices (inspection_id, enterprise_id, agency_id, year, seq, number, issued_on,
			fine, stop_state, hearing, statement_until, hearing_until, content, created_by, created_at, waived)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
			n.InspectionID, n.EnterpriseID, n.AgencyID, n.Year, n.Seq, n.Number, dateString(n.IssuedOn), int64(n.Fine), n.StopState,
			n.Hearing, dateString(n.StatementUntil), dateString(n.HearingUntil), n.Content, uid, n.CreatedAt, n.Waived).Scan(&n.ID)
		if isUniqueViolation(err) {
			return &taotai.Error{Code: taotai.ECONFLICT, Message: "文书编号" + n.Number + "已被使用。",
				Fields: map[string]string{"seq": "文书编号" + n.Number + "已被使用，请换一个序号或留空由系统编号。"}}
		} else if err != nil {
			return fmt.Errorf("insert penalty notice: %w", err)
		}
		return s.record(ctx, tx, change{Action: taotai.AuditCreate, Entity: "penalty_notice", EntityID: n.ID, RegionPath: in.RegionPath,
			Sector: in.Sector, After: map[string]any{"number": n.Number, "inspection_id": n.InspectionID, "issued_on": dateString(n.IssuedOn),
				"fine_yuan": int64(n.Fine), "stop_state": n.StopState, "hearing": n.Hearing, "statement_until": dateString(n.StatementUntil),
				"hearing_until": dateString(n.HearingUntil), "waived": n.Waived}})
	})
}

// laneInspection reads an inspection in the actor's lane (ENOTFOUND
// outside it).
func laneInspection(ctx context.Context, q queryer, a *taotai.Actor, id int64) (*taotai.Inspection, error) {
	w := &where{}
	w.add("n.id = ?", id)
	w.lane(a, "n")
	in, err := scanInspection(q.QueryRowContext(ctx, inspectionSelect+w.String(), w.args...))
	if isNoRows(err) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "检查记录不存在，或不在您的管辖范围内。")
	}
	return in, err
}

// decisionNotice finds the notice a penalty decision follows: d.NoticeID,
// or else the enterprise's latest notice not yet decided. nil when there
// is none.
func decisionNotice(ctx context.Context, tx *sql.Tx, a *taotai.Actor, d *taotai.Document, enterpriseID int64) (*taotai.PenaltyNotice, error) {
	w := &where{}
	if d.NoticeID != 0 {
		w.add("p.id = ?", d.NoticeID)
	} else {
		w.add("p.enterprise_id = ?", enterpriseID)
		w.add("d.id IS NULL")
	}
	w.lane(a, "e")
	ns, err := noticesWhere(ctx, tx, w)
	if err != nil || len(ns) == 0 {
		return nil, err
	}
	return ns[len(ns)-1], nil
}
