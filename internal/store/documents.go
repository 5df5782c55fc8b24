package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"taotai"
)

const documentSelect = `SELECT d.id, d.inspection_id, d.enterprise_id, COALESCE(d.hazard_id, 0), d.kind, d.agency_id, a.short_name,
	d.year, d.seq, d.number, d.issued_on, d.fine, d.content, d.region_path, d.sector, d.created_at, COALESCE(d.notice_id, 0), d.stop_state
	FROM documents d JOIN agencies a ON a.id = d.agency_id`

func scanDocument(row interface{ Scan(...any) error }) (*taotai.Document, error) {
	d := &taotai.Document{}
	var issued string
	var fine int64
	err := row.Scan(&d.ID, &d.InspectionID, &d.EnterpriseID, &d.HazardID, &d.Kind, &d.AgencyID, &d.AgencyShort, &d.Year, &d.Seq,
		&d.Number, &issued, &fine, &d.Content, &d.RegionPath, &d.Sector, &d.CreatedAt, &d.NoticeID, &d.StopState)
	d.IssuedOn, d.Fine = dateOf(issued), taotai.Yuan(fine)
	return d, err
}

func (s *DB) documentsWhere(ctx context.Context, cond string, arg any) ([]*taotai.Document, error) {
	return documentsWhere(ctx, s.db, cond, arg)
}

func documentsWhere(ctx context.Context, q queryer, cond string, arg any) ([]*taotai.Document, error) {
	var out []*taotai.Document
	if err := runRead(ctx, q, documentsRead(cond, arg, &out)); err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	return out, nil
}

// documentsRead reads the documents matching cond (its one placeholder
// is $1), oldest first, into *out.
func documentsRead(cond string, arg any, out *[]*taotai.Document) read {
	return readInto(out, scanDocument, documentSelect+` WHERE `+cond+` ORDER BY d.issued_on, d.id`, arg)
}

// IssueDocument issues an enforcement document for an inspection in the
// actor's lane, in the order the law wants (taotai.CheckDocumentOrder),
// numbered per issuing agency, kind and year: the next number, or d.Seq
// when the person gives one (a number already used is ECONFLICT).
func (s *DB) IssueDocument(ctx context.Context, d *taotai.Document) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if err := d.ValidateText().Err(); err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		w := &where{}
		w.add("n.id = ?", d.InspectionID)
		w.lane(a, "n")
		in, err := scanInspection(tx.QueryRowContext(ctx, inspectionSelect+w.String(), w.args...))
		if isNoRows(err) {
			return taotai.Errorf(taotai.ENOTFOUND, "检查记录不存在，或不在您的管辖范围内。")
		} else if err != nil {
			return err
		}
		if !a.Can(taotai.ActIssueDocument) {
			return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能下达执法文书。", taotai.RoleName(a.Role))
		}
		if d.Kind == taotai.DocPenalty && !a.Can(taotai.ActDecidePenalty) {
			return taotai.Errorf(taotai.EFORBIDDEN, "行政处罚决定由执法机关作出：您的角色（%s）可以下达行政处罚告知书、提出处罚建议，处罚决定书须由%s下达。",
				taotai.RoleName(a.Role), taotai.RoleName(taotai.RoleCityApprover))
		}
		if d.IssuedOn.IsZero() {
			return taotai.Errorf(taotai.EINVALID, "请填写文书日期。")
		}
		if d.IssuedOn.Before(in.Date) || d.IssuedOn.After(taotai.Today(s.clock.Now())) {
			return taotai.Errorf(taotai.EINVALID, "文书日期应在检查日期（%s）至今天之间。", dateString(in.Date))
		}
		existing, err := documentsWhere(ctx, tx, "d.inspection_id = $1", in.ID)
		if err != nil {
			return err
		}
		plain := make([]taotai.Document, len(existing))
		for i, x := range existing {
			plain[i] = *x
		}
		if err := taotai.CheckDocumentOrder(d.Kind, in.Hazards, plain, d.Fine, d.HazardID); err != nil {
			return err
		}
		if d.Kind == taotai.DocStopOrder && d.StopState == "" {
			d.StopState = taotai.StateStopped
		}
		if err := taotai.CheckStopState(d.Kind, d.StopState); err != nil {
			return err
		}
		d.EnterpriseID = in.EnterpriseID
		if d.Kind == taotai.DocPenalty {
			n, err := decisionNotice(ctx, tx, a, d, in.EnterpriseID)
			if err != nil {
				return err
			}
			if err := taotai.CheckPenaltyDecision(d, n); err != nil {
				return err
			}
			d.NoticeID = n.ID
		} else {
			d.NoticeID = 0
		}
		if d.HazardID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM hazards WHERE id = $1 AND inspection_id = $2`, d.HazardID, in.ID).Scan(&n); err != nil {
				return err
			} else if n == 0 {
				return taotai.Errorf(taotai.EINVALID, "所选隐患不属于该次检查。")
			}
		}
		d.AgencyID = a.AgencyID
		if d.AgencyID == 0 {
			d.AgencyID = in.AgencyID
		}
		if err := tx.QueryRowContext(ctx, `SELECT short_name FROM agencies WHERE id = $1`, d.AgencyID).Scan(&d.AgencyShort); err != nil {
			return err
		}
		d.Year = d.IssuedOn.Year()
		if d.Seq <= 0 {
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM documents WHERE agency_id = $1 AND kind = $2 AND year = $3`,
				d.AgencyID, d.Kind, d.Year).Scan(&d.Seq); err != nil {
				return err
			}
		}
		d.Number = taotai.FormatDocNumber(d.AgencyShort, d.Kind, d.Year, d.Seq)
		d.EnterpriseID, d.RegionPath, d.Sector = in.EnterpriseID, in.RegionPath, in.Sector
		d.CreatedAt = s.clock.Now().UTC()
		var hazard, uid, notice any
		if d.HazardID != 0 {
			hazard = d.HazardID
		}
		if a.UserID != 0 {
			uid = a.UserID
		}
		if d.NoticeID != 0 {
			notice = d.NoticeID
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO documents (inspection_id, enterprise_id, hazard_id, region_path, sector, kind, agency_id,
			year, seq, number, issued_on, fine, content, created_by, created_at, notice_id, stop_state)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
			d.InspectionID, d.EnterpriseID, hazard, d.RegionPath, d.Sector, d.Kind, d.AgencyID, d.Year, d.Seq, d.Number,
			dateString(d.IssuedOn), int64(d.Fine), strings.TrimSpace(d.Content), uid, d.CreatedAt, notice, d.StopState).Scan(&d.ID)
		if isUniqueViolation(err) {
			return &taotai.Error{Code: taotai.ECONFLICT, Message: "文书编号" + d.Number + "已被使用。",
				Fields: map[string]string{"seq": "文书编号" + d.Number + "已被使用，请换一个序号或留空由系统编号。"}}
		} else if err != nil {
			return fmt.Errorf("insert document: %w", err)
		}
		changes := []change{{Action: taotai.AuditCreate, Entity: "document", EntityID: d.ID, RegionPath: d.RegionPath, Sector: d.Sector,
			After: map[string]any{"number": d.Number, "kind": d.Kind, "inspection_id": d.InspectionID, "hazard_id": d.HazardID,
				"issued_on": dateString(d.IssuedOn), "fine_yuan": int64(d.Fine), "notice_id": d.NoticeID, "stop_state": d.StopState}}}
		if d.StopState != "" {
			c, err := s.stopProduction(ctx, tx, a, d)
			if err != nil {
				return err
			}
			changes = append(changes, c...)
		}
		return s.recordAll(ctx, tx, changes)
	})
}
