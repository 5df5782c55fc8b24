package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"taotai"
)

const cardSelect = `SELECT c.id, c.enterprise_id, e.name, c.region_path, c.sector, c.year, c.state, c.reason, c.rectify, c.deadline,
	c.rectified_in_time, c.closure_basis, c.reported_on, c.closed_on, c.closure_evidence, c.verified_by, c.accepted_on,
	c.acceptance_members, c.acceptance_findings, c.version, c.updated_at
	FROM cards c JOIN enterprises e ON e.id = c.enterprise_id`

func scanCard(row interface{ Scan(...any) error }) (*taotai.Card, error) {
	c := &taotai.Card{}
	var deadline, reported, closed, accepted string
	err := row.Scan(&c.ID, &c.EnterpriseID, &c.EnterpriseName, &c.RegionPath, &c.Sector, &c.Year, &c.State, &c.Reason, &c.Rectify,
		&deadline, &c.RectifiedInTime, &c.ClosureBasis, &reported, &closed, &c.ClosureEvidence, &c.VerifiedBy, &accepted,
		&c.AcceptanceMembers, &c.AcceptanceFindings, &c.Version, &c.UpdatedAt)
	c.Deadline, c.ReportedOn, c.ClosedOn, c.AcceptedOn = dateOf(deadline), dateOf(reported), dateOf(closed), dateOf(accepted)
	return c, err
}

// CardEvent is one change of a card, kept for its history.
type CardEvent struct {
	ID       int64
	From, To string
	Reason   string
	Why      string
	Data     string // the transition's fields, JSON
	By       string
	At       time.Time
	Files    []Attachment
}

// Attachment is an evidence file (photo, scan) kept with its SHA-256.
type Attachment struct {
	ID          int64
	Filename    string
	ContentType string
	Size        int64
	SHA256      string
	Data        []byte // only when read for download
}

// FindCard returns the enterprise's card of a campaign year (a card in
// state "none" when it never had one) and its history, newest last.
func (s *DB) FindCard(ctx context.Context, enterpriseID int64, year int) (*taotai.Card, []*CardEvent, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	e, err := findEnterprise(ctx, s.db, a, enterpriseID)
	if err != nil {
		return nil, nil, err
	}
	c, err := findCard(ctx, s.db, e, year)
	if err != nil || c.ID == 0 {
		return c, nil, err
	}
	events, err := s.cardEvents(ctx, c.ID)
	return c, events, err
}

func findCard(ctx context.Context, q queryer, e *taotai.Enterprise, year int) (*taotai.Card, error) {
	c, err := scanCard(q.QueryRowContext(ctx, cardSelect+` WHERE c.enterprise_id = $1 AND c.year = $2`, e.ID, year))
	if isNoRows(err) {
		return noCard(e, year), nil
	} else if err != nil {
		return nil, fmt.Errorf("find card: %w", err)
	}
	return c, nil
}

// noCard is the card of an enterprise that never had one in year.
func noCard(e *taotai.Enterprise, year int) *taotai.Card {
	return &taotai.Card{EnterpriseID: e.ID, EnterpriseName: e.Name, RegionPath: e.RegionPath, Sector: e.Sector, Year: year,
		State: taotai.CardNone}
}

func (s *DB) cardEvents(ctx context.Context, cardID int64) ([]*CardEvent, error) {
	out, err := cardEventRows(ctx, s.db, cardID)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*CardEvent, len(out))
	for _, ev := range out {
		byID[ev.ID] = ev
	}
	files, err := s.db.QueryContext(ctx, `SELECT t.id, t.card_event_id, t.filename, t.content_type, t.size, t.sha256 FROM attachments t
		JOIN card_events v ON v.id = t.card_event_id WHERE v.card_id = $1 ORDER BY t.id`, cardID)
	if err != nil {
		return nil, err
	}
	defer files.Close()
	for files.Next() {
		var f Attachment
		var ev int64
		if err := files.Scan(&f.ID, &ev, &f.Filename, &f.ContentType, &f.Size, &f.SHA256); err != nil {
			return nil, err
		}
		if e := byID[ev]; e != nil {
			e.Files = append(e.Files, f)
		}
	}
	return out, files.Err()
}

// cardEventRows returns a card's events, oldest first, without their
// files; who made each is named by their name (姓名), or the login name
// kept with the event when the account has none.
func cardEventRows(ctx context.Context, q queryer, cardID int64) ([]*CardEvent, error) {
	rows, err := q.QueryContext(ctx, `SELECT v.id, v.from_state, v.to_state, v.reason, v.why, v.data, `+byName+`, v.at FROM card_events v
		LEFT JOIN users u ON u.id = v.by_user WHERE v.card_id = $1 ORDER BY v.id`, cardID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*CardEvent
	for rows.Next() {
		ev := &CardEvent{}
		if err := rows.Scan(&ev.ID, &ev.From, &ev.To, &ev.Reason, &ev.Why, &ev.Data, &ev.By, &ev.At); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// byName names who made a history row v (card_events, hazard_extensions)
// joined with users u: their name, else the login name the row kept; the
// rules and commands of the system itself (login name "system") are 系统.
const byName = `COALESCE(NULLIF(u.display_name, ''), NULLIF(v.by_name, 'system'), '系统')`

// TransitionCard moves the enterprise's card of a year through the state
// machine (taotai.Card.Apply), if version is still current, keeping the
// change with its evidence files; 已验收 is refused (EINVALID): it comes
// with an acceptance (CreateAcceptance). Yellow and clearing need
// taotai.ActCardYellow; red and after need taotai.ActCardRed.
func (s *DB) TransitionCard(ctx context.Context, enterpriseID int64, year, version int, t taotai.CardTransition, files []Attachment) (*taotai.Card, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *taotai.Card
	err = s.Transact(ctx, func(tx *sql.Tx) error {
		e, err := findEnterprise(ctx, tx, a, enterpriseID)
		if err != nil {
			return err
		}
		need := taotai.ActCardRed
		if t.To == taotai.CardYellow || t.To == taotai.CardCleared {
			need = taotai.ActCardYellow
		}
		if !a.Can(need) {
			return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能将企业变为“%s”。", taotai.RoleName(a.Role), taotai.CardStateName(t.To))
		}
		if t.To == taotai.CardAccepted {
			// The one way to accept is an acceptance record
			// (CreateAcceptance), which moves the card in its transaction.
			return taotai.Errorf(taotai.EINVALID, "验收请通过“退出验收”办理：填写验收组成员、各部门签署意见和验收材料，核对后确认。")
		}
		c, err := findCard(ctx, tx, e, year)
		if err != nil {
			return err
		}
		if c.Version != version {
			return taotai.Errorf(taotai.ECONFLICT, "该企业的黄/红牌状态已被他人变更（现为“%s”），请刷新后重新操作。", taotai.CardStateName(c.State))
		}
		if t.To == taotai.CardCleared {
			if t.Rechecked, err = rectifiedAndPassed(ctx, tx, e.ID); err != nil {
				return err
			}
		}
		out, err = s.applyCard(ctx, tx, a, c, t, files)
		return err
	})
	return out, err
}

// rectifiedAndPassed: the enterprise has a passed re-check and no hazard
// still open, in rectification or failed.
func rectifiedAndPassed(ctx context.Context, q queryer, enterpriseID int64) (bool, error) {
	var passed, pending int
	err := q.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN status = 'passed' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status <> 'passed' THEN 1 ELSE 0 END), 0) FROM hazards WHERE enterprise_id = $1`, enterpriseID).Scan(&passed, &pending)
	return passed > 0 && pending == 0, err
}

// applyCard applies t to c and saves the card, the event and its files.
func (s *DB) applyCard(ctx context.Context, tx *sql.Tx, a *taotai.Actor, c *taotai.Card, t taotai.CardTransition, files []Attachment) (*taotai.Card, error) {
	from := c.State
	before := *c
	now := s.clock.Now()
	if err := c.Apply(t, now); err != nil {
		return nil, err
	}
	ts := now.UTC()
	args := []any{c.State, c.Reason, c.Rectify, dateString(c.Deadline), c.RectifiedInTime, c.ClosureBasis, dateString(c.ReportedOn),
		dateString(c.ClosedOn), c.ClosureEvidence, c.VerifiedBy, dateString(c.AcceptedOn), c.AcceptanceMembers, c.AcceptanceFindings, ts}
	if c.ID == 0 {
		err := tx.QueryRowContext(ctx, `INSERT INTO cards (state, reason, rectify, deadline, rectified_in_time, closure_basis, reported_on,
			closed_on, closure_evidence, verified_by, accepted_on, acceptance_members, acceptance_findings, created_at, updated_at,
			enterprise_id, year, region_path, sector, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16, $17, $18, 1) RETURNING id`,
			append(args, c.EnterpriseID, c.Year, c.RegionPath, c.Sector)...).Scan(&c.ID)
		if isUniqueViolation(err) {
			return nil, taotai.Errorf(taotai.ECONFLICT, "该企业的黄/红牌状态已被他人变更，请刷新后重新操作。")
		} else if err != nil {
			return nil, fmt.Errorf("insert card: %w", err)
		}
		c.Version = 1
	} else {
		res, err := tx.ExecContext(ctx, `UPDATE cards SET state = $1, reason = $2, rectify = $3, deadline = $4, rectified_in_time = $5,
			closure_basis = $6, reported_on = $7, closed_on = $8, closure_evidence = $9, verified_by = $10, accepted_on = $11,
			acceptance_members = $12, acceptance_findings = $13, updated_at = $14, version = version + 1
			WHERE id = $15 AND version = $16`, append(args, c.ID, c.Version)...)
		if err != nil {
			return nil, fmt.Errorf("update card: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil, taotai.Errorf(taotai.ECONFLICT, "该企业的黄/红牌状态已被他人变更，请刷新后重新操作。")
		}
		c.Version++
	}
	c.UpdatedAt = ts
	data, _ := json.Marshal(t)
	var uid any
	if a.UserID != 0 {
		uid = a.UserID
	}
	var eventID int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO card_events (card_id, from_state, to_state, reason, why, data, by_user, by_name, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, c.ID, from, c.State, t.Reason, t.Why, string(data), uid, a.Username, ts).Scan(&eventID); err != nil {
		return nil, fmt.Errorf("insert card event: %w", err)
	}
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		if _, err := tx.ExecContext(ctx, `INSERT INTO attachments (card_event_id, enterprise_id, region_path, sector, filename, content_type,
			size, sha256, data, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			eventID, c.EnterpriseID, c.RegionPath, c.Sector, f.Filename, f.ContentType, int64(len(f.Data)), hex.EncodeToString(sum[:]), f.Data, uid, ts); err != nil {
			return nil, fmt.Errorf("insert attachment: %w", err)
		}
	}
	return c, s.record(ctx, tx, change{Action: taotai.AuditState, Entity: "card", EntityID: fmt.Sprintf("%d/%d", c.EnterpriseID, c.Year),
		RegionPath: c.RegionPath, Sector: c.Sector, Before: cardRecord(&before), After: cardRecord(c), Note: t.Why})
}

// autoYellow gives the enterprise a yellow card for a major hazard when it
// has no card this campaign year (or had its last one lifted). It returns
// nothing to record: applyCard records the change itself.
func (s *DB) autoYellow(ctx context.Context, tx *sql.Tx, a *taotai.Actor, e *taotai.Enterprise, in *taotai.Inspection, h *taotai.Hazard) (*change, error) {
	c, err := findCard(ctx, tx, e, in.Date.Year())
	if err != nil {
		return nil, err
	}
	if c.State != taotai.CardNone && c.State != taotai.CardCleared {
		return nil, nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM campaign_years WHERE year = $1`, c.Year).Scan(&n); err != nil || n == 0 {
		return nil, err // no campaign that year: no card
	}
	sys := *a
	sys.Role = taotai.RoleAdmin // the rule acts, on behalf of the inspector
	_, err = s.applyCard(ctx, tx, &sys, c, taotai.CardTransition{To: taotai.CardYellow, Reason: taotai.ReasonMajorHazard,
		Why: "检查发现重大事故隐患（系统依规则自动列入）", Rectify: h.Description, Deadline: h.Deadline}, nil)
	if taotai.ErrorCode(err) == taotai.EINVALID {
		// A late entry whose deadline has already passed: the inspection is
		// still recorded; the card is left to a person (the worklist shows
		// the overdue major hazard).
		return nil, nil
	}
	return nil, err
}

// Attachment returns an evidence file in the actor's lane.
func (s *DB) Attachment(ctx context.Context, id int64) (*Attachment, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	w := &where{}
	w.add("t.id = ?", id)
	w.lane(a, "t")
	f := &Attachment{}
	err = s.db.QueryRowContext(ctx, `SELECT t.id, t.filename, t.content_type, t.size, t.sha256, t.data FROM attachments t`+w.String(), w.args...).
		Scan(&f.ID, &f.Filename, &f.ContentType, &f.Size, &f.SHA256, &f.Data)
	if isNoRows(err) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "附件不存在，或不在您的管辖范围内。")
	}
	return f, err
}

func cardRecord(c *taotai.Card) map[string]any {
	return map[string]any{"state": c.State, "reason": c.Reason, "rectify": c.Rectify, "deadline": dateString(c.Deadline),
		"rectified_in_time": c.RectifiedInTime, "closure_basis": c.ClosureBasis, "reported_on": dateString(c.ReportedOn),
		"closed_on": dateString(c.ClosedOn), "closure_evidence": c.ClosureEvidence, "verified_by": c.VerifiedBy,
		"accepted_on": dateString(c.AcceptedOn), "acceptance_members": c.AcceptanceMembers, "acceptance_findings": c.AcceptanceFindings}
}
