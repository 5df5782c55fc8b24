package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"taotai"
)

// Acceptances of exited enterprises (issue 11 item 9, taotai.Acceptance):
// read through the enterprise, whose lane they have.

// acceptanceSelect reads an acceptance with its enterprise's name and
// region; the enterprise is e, the acceptance v.
const acceptanceSelect = acceptanceColumns + acceptanceEnterprise + acceptanceNames

const (
	acceptanceColumns = `SELECT v.id, v.enterprise_id, e.name, COALESCE(pr.name, ''), r.name,` + acceptanceOwn
	acceptanceOwn     = ` v.year, v.basis, v.exit_department,
	v.exit_document, v.exited_on, v.members, v.signoffs, v.findings, v.accepted_on, v.passed, v.reason, ` + byName + `, v.at,
	(SELECT COUNT(*) FROM attachments t WHERE t.acceptance_id = v.id)`
	acceptanceEnterprise = ` FROM acceptances v JOIN enterprises e ON e.id = v.enterprise_id`
	acceptanceNames      = `
	JOIN regions r ON r.code = e.region_code LEFT JOIN regions pr ON pr.code = r.parent
	LEFT JOIN users u ON u.id = v.by_user`
)

// regionName names a county with its city ("鞍山市铁东区"), a city alone.
func regionName(city, county string) string {
	if city != "" && city != "辽宁省" {
		return city + county
	}
	return county
}

func scanAcceptance(row interface{ Scan(...any) error }) (*taotai.Acceptance, error) {
	a := &taotai.Acceptance{}
	var city, county, exited, accepted, members, signoffs string
	if err := row.Scan(&a.ID, &a.EnterpriseID, &a.EnterpriseName, &city, &county, &a.Year, &a.Basis, &a.ExitDepartment, &a.ExitDocument,
		&exited, &members, &signoffs, &a.Findings, &accepted, &a.Passed, &a.Reason, &a.By, &a.At, &a.Files); err != nil {
		return nil, err
	}
	a.RegionName = regionName(city, county)
	a.ExitedOn, a.AcceptedOn = dateOf(exited), dateOf(accepted)
	if err := json.Unmarshal([]byte(members), &a.Members); err != nil {
		return nil, fmt.Errorf("acceptance %d members: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(signoffs), &a.SignOffs); err != nil {
		return nil, fmt.Errorf("acceptance %d sign-offs: %w", a.ID, err)
	}
	return a, nil
}

// ClosedCard returns the enterprise's latest card in state 已关闭, the
// basis of an acceptance, or nil when it has none. Outside the lane:
// ENOTFOUND.
func (s *DB) ClosedCard(ctx context.Context, enterpriseID int64) (*taotai.Card, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	e, err := findEnterprise(ctx, s.db, a, enterpriseID)
	if err != nil {
		return nil, err
	}
	return closedCard(ctx, s.db, e)
}

func closedCard(ctx context.Context, q queryer, e *taotai.Enterprise) (*taotai.Card, error) {
	c, err := scanCard(q.QueryRowContext(ctx, cardSelect+` WHERE c.enterprise_id = $1 AND c.state = $2 ORDER BY c.year DESC LIMIT 1`,
		e.ID, taotai.CardClosed))
	if isNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("closed card: %w", err)
	}
	return c, nil
}

// CreateAcceptance records an acceptance of an enterprise in the actor's
// lane (ENOTFOUND outside it), by a role that may close a card
// (taotai.ActCardRed, else EFORBIDDEN), with the evidence files the actor
// uploaded (uploads, from SaveAcceptanceUploads). Basis card: the
// enterprise's closed card is the basis, and a passed acceptance moves it
// to 已验收 (the card's own rules apply: EINVALID) in the same
// transaction. A second passed acceptance of an enterprise is ECONFLICT.
// Bad input is EINVALID with field messages (taotai.Acceptance.Check);
// nothing is written on any error.
func (s *DB) CreateAcceptance(ctx context.Context, acc *taotai.Acceptance, uploads []int64) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		e, err := findEnterprise(ctx, tx, a, acc.EnterpriseID)
		if err != nil {
			return err
		}
		if !a.Can(taotai.ActCardRed) {
			return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能办理退出验收，由%s办理。", taotai.RoleName(a.Role),
				taotai.DeciderNames(taotai.ActCardRed))
		}
		var passed int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM acceptances WHERE enterprise_id = $1 AND passed`, e.ID).Scan(&passed); err != nil {
			return err
		}
		if passed > 0 {
			return taotai.Errorf(taotai.ECONFLICT, "“%s”已验收通过，不能重复验收。", e.Name)
		}
		var card *taotai.Card
		var closedOn = acc.ExitedOn
		if acc.Basis == taotai.AcceptBasisCard {
			if card, err = closedCard(ctx, tx, e); err != nil {
				return err
			}
			closedOn = time.Time{}
			if card != nil {
				closedOn, acc.Year = card.ClosedOn, card.Year
			}
		}
		now := s.clock.Now()
		if err := acc.Check(closedOn, now); err != nil {
			return err
		}
		if card != nil {
			if err := s.acceptCard(ctx, tx, a, card, acc); err != nil {
				return err
			}
		}
		acc.EnterpriseName = e.Name
		return s.insertAcceptance(ctx, tx, a, e, card, acc, uploads)
	})
}

// acceptCard applies the transition to 已验收 (for a passed acceptance)
// or checks it on a copy (for a failed one, which leaves the card
// closed), so that the card's rules hold either way.
func (s *DB) acceptCard(ctx context.Context, tx *sql.Tx, a *taotai.Actor, card *taotai.Card, acc *taotai.Acceptance) error {
	t := taotai.CardTransition{To: taotai.CardAccepted, Why: acc.Reason, AcceptedOn: acc.AcceptedOn, Members: acc.MembersText(),
		Findings: acc.Findings}
	if !acc.Passed {
		cp := *card
		return cardRuleOnAcceptance(cp.Apply(t, s.clock.Now()))
	}
	_, err := s.applyCard(ctx, tx, a, card, t, nil)
	return cardRuleOnAcceptance(err)
}

// cardRuleOnAcceptance puts the card's field messages on the
// acceptance's fields (members are the team's rows, the rest keep their
// keys).
func cardRuleOnAcceptance(err error) error {
	var appErr *taotai.Error
	if err == nil || !errors.As(err, &appErr) || appErr.Fields == nil {
		return err
	}
	f := taotai.FieldErrors{}
	for k, v := range appErr.Fields {
		f.Add(k, v)
	}
	return f.Err()
}

func (s *DB) insertAcceptance(ctx context.Context, tx *sql.Tx, a *taotai.Actor, e *taotai.Enterprise, card *taotai.Card, acc *taotai.Acceptance, uploads []int64) error {
	members, _ := json.Marshal(acc.Members)
	signoffs, _ := json.Marshal(acc.SignOffs)
	var uid, cardID any
	if a.UserID != 0 {
		uid = a.UserID
	}
	if card != nil {
		cardID = card.ID
	}
	ts := s.clock.Now().UTC()
	err := tx.QueryRowContext(ctx, `INSERT INTO acceptances (enterprise_id, year, basis, card_id, exit_department, exit_document, exited_on,
		members, signoffs, findings, accepted_on, passed, reason, by_user, by_name, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
		e.ID, acc.Year, acc.Basis, cardID, acc.ExitDepartment, acc.ExitDocument, dateString(acc.ExitedOn), string(members), string(signoffs),
		acc.Findings, dateString(acc.AcceptedOn), acc.Passed, acc.Reason, uid, a.Username, ts).Scan(&acc.ID)
	if isUniqueViolation(err) {
		return taotai.Errorf(taotai.ECONFLICT, "“%s”已验收通过，不能重复验收。", e.Name)
	} else if err != nil {
		return fmt.Errorf("insert acceptance: %w", err)
	}
	acc.By, acc.At = a.Username, ts
	files, err := s.moveAcceptanceUploads(ctx, tx, a, e, acc.ID, uploads)
	if err != nil {
		return err
	}
	acc.Files = len(files)
	return s.record(ctx, tx, change{Action: taotai.AuditCreate, Entity: "acceptance", EntityID: fmt.Sprintf("%d/%d", e.ID, acc.ID),
		RegionPath: e.RegionPath, Sector: e.Sector, After: acceptanceRecord(acc, files), Note: "办理理由：" + acc.Reason})
}

// acceptanceRecord is an acceptance as the audit trail keeps it.
func acceptanceRecord(acc *taotai.Acceptance, files []string) map[string]any {
	return map[string]any{"year": acc.Year, "basis": acc.Basis, "exit_department": acc.ExitDepartment, "exit_document": acc.ExitDocument,
		"exited_on": dateString(acc.ExitedOn), "members": acc.MembersText(), "signoffs": acc.SignOffsText(), "findings": acc.Findings,
		"accepted_on": dateString(acc.AcceptedOn), "passed": acc.Passed, "reason": acc.Reason, "files": strings.Join(files, "、")}
}

// moveAcceptanceUploads makes the actor's uploads the acceptance's
// attachments and returns their names with their SHA-256; an upload not
// the actor's or expired is ENOTFOUND.
func (s *DB) moveAcceptanceUploads(ctx context.Context, tx *sql.Tx, a *taotai.Actor, e *taotai.Enterprise, acceptanceID int64, uploads []int64) ([]string, error) {
	var names []string
	for _, id := range uploads {
		var name, ct, sum string
		var data []byte
		err := tx.QueryRowContext(ctx, `SELECT filename, content_type, sha256, data FROM acceptance_uploads
			WHERE id = $1 AND user_id = $2 AND created_at >= $3`, id, a.UserID, s.clock.Now().UTC().Add(-uploadLife)).Scan(&name, &ct, &sum, &data)
		if isNoRows(err) {
			return nil, taotai.Errorf(taotai.ENOTFOUND, "上传的验收材料已过期，请返回修改并重新选择文件。")
		} else if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO attachments (acceptance_id, enterprise_id, region_path, sector, filename, content_type,
			size, sha256, data, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			acceptanceID, e.ID, e.RegionPath, e.Sector, name, ct, int64(len(data)), sum, data, nullID(a.UserID), s.clock.Now().UTC()); err != nil {
			return nil, fmt.Errorf("insert acceptance file: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM acceptance_uploads WHERE id = $1`, id); err != nil {
			return nil, err
		}
		names = append(names, name+"（SHA-256 "+sum+"）")
	}
	return names, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// SaveAcceptanceUploads keeps evidence files for the actor between the
// acceptance form and its confirmation, and removes uploads older than a
// day; it returns their ids.
func (s *DB) SaveAcceptanceUploads(ctx context.Context, files []Attachment) ([]int64, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if a.UserID == 0 {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "只有登录用户可以上传验收材料。")
	}
	now := s.clock.Now().UTC()
	var ids []int64
	err = s.Transact(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM acceptance_uploads WHERE created_at < $1`, now.Add(-uploadLife)); err != nil {
			return fmt.Errorf("expire acceptance uploads: %w", err)
		}
		for _, f := range files {
			sum := sha256.Sum256(f.Data)
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO acceptance_uploads (user_id, filename, content_type, sha256, data, created_at)
				VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, a.UserID, f.Filename, f.ContentType, hex.EncodeToString(sum[:]), f.Data, now).Scan(&id); err != nil {
				return fmt.Errorf("save acceptance upload: %w", err)
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// AcceptanceUploads returns the actor's pending uploads among ids (names
// and sizes, no data), in the order of ids; the others are left out.
func (s *DB) AcceptanceUploads(ctx context.Context, ids []int64) ([]Attachment, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out []Attachment
	for _, id := range ids {
		f := Attachment{ID: id}
		err := s.db.QueryRowContext(ctx, `SELECT filename, content_type, sha256, LENGTH(data) FROM acceptance_uploads
			WHERE id = $1 AND user_id = $2 AND created_at >= $3`, id, a.UserID, s.clock.Now().UTC().Add(-uploadLife)).
			Scan(&f.Filename, &f.ContentType, &f.SHA256, &f.Size)
		if isNoRows(err) {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// FindAcceptance returns an acceptance in the actor's lane with its
// evidence files (without their data); outside it, ENOTFOUND.
func (s *DB) FindAcceptance(ctx context.Context, id int64) (*taotai.Acceptance, []Attachment, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	w := &where{}
	w.add("v.id = ?", id)
	w.lane(a, "e")
	acc, err := scanAcceptance(s.db.QueryRowContext(ctx, acceptanceSelect+w.String(), w.args...))
	if isNoRows(err) {
		return nil, nil, taotai.Errorf(taotai.ENOTFOUND, "验收记录不存在，或不在您的管辖范围内。")
	} else if err != nil {
		return nil, nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, filename, content_type, size, sha256 FROM attachments WHERE acceptance_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var files []Attachment
	for rows.Next() {
		var f Attachment
		if err := rows.Scan(&f.ID, &f.Filename, &f.ContentType, &f.Size, &f.SHA256); err != nil {
			return nil, nil, err
		}
		files = append(files, f)
	}
	return acc, files, rows.Err()
}

// AcceptanceFilter selects acceptances: by campaign year, region (a
// subtree), enterprise, and a page.
type AcceptanceFilter struct {
	Year         int
	RegionCode   string
	EnterpriseID int64
	Offset       int
	Limit        int
}

// ListAcceptances returns a page of the acceptances in the actor's lane
// that f selects, newest acceptance first, and how many there are.
func (s *DB) ListAcceptances(ctx context.Context, f AcceptanceFilter) ([]*taotai.Acceptance, int, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	w.lane(a, "e")
	if f.RegionCode != "" {
		r, err := findRegion(ctx, s.db, f.RegionCode)
		if taotai.ErrorCode(err) == taotai.ENOTFOUND {
			return nil, 0, nil
		} else if err != nil {
			return nil, 0, err
		}
		w.subtree("e", r.Path)
	}
	if f.Year != 0 {
		w.add("v.year = ?", f.Year)
	}
	if f.EnterpriseID != 0 {
		w.add("v.enterprise_id = ?", f.EnterpriseID)
	}
	// Acceptances are few beside the lane's enterprises: the list reads
	// them first and finds each one's enterprise. SQLite's planner keeps a
	// CROSS JOIN's order (before any acceptance is analyzed it would walk
	// the lane's enterprises and probe for each); PostgreSQL's generic
	// plan, knowing no bounds, took the lane's range for a few hundred
	// enterprises and read all 46,000 of the province's (31 ms a page
	// instead of 3): no index serves the lane's range here.
	w = w.unindexedCols("e", "region_path")
	from := acceptanceEnterprise
	if s.dialect == SQLite {
		from = ` FROM acceptances v CROSS JOIN enterprises e ON e.id = v.enterprise_id`
	}
	total := 0
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+from+w.String(),
		w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count acceptances: %w", err)
	}
	if total == 0 || f.Offset >= total {
		return nil, total, nil
	}
	rows, err := s.db.QueryContext(ctx, acceptanceColumns+from+acceptanceNames+w.String()+` ORDER BY v.accepted_on DESC, v.id DESC LIMIT `+
		w.next(listLimit(f.Limit))+` OFFSET `+w.next(max(f.Offset, 0)), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list acceptances: %w", err)
	}
	defer rows.Close()
	var out []*taotai.Acceptance
	for rows.Next() {
		acc, err := scanAcceptance(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, acc)
	}
	return out, total, rows.Err()
}

// acceptancesRead reads the acceptances of an enterprise whose lane the
// caller checks in the same batch (History), newest first, into *out:
// without the enterprise's name and region, which History fills in from
// the enterprise it read.
func acceptancesRead(enterpriseID int64, out *[]*taotai.Acceptance) read {
	return readInto(out, scanAcceptance, `SELECT v.id, v.enterprise_id, '', '', '',`+acceptanceOwn+
		` FROM acceptances v LEFT JOIN users u ON u.id = v.by_user WHERE v.enterprise_id = $1 ORDER BY v.accepted_on DESC, v.id DESC`, enterpriseID)
}

// acceptanceItems tells acceptances as timeline items.
func acceptanceItems(accs []*taotai.Acceptance) []TimelineItem {
	out := make([]TimelineItem, 0, len(accs))
	for _, acc := range accs {
		out = append(out, TimelineItem{At: acc.AcceptedOn, Kind: "acceptance", Title: "退出验收" + acc.Verdict(),
			Text: taotai.AcceptBasisName(acc.Basis) + "；" + acc.Findings + "（办理理由：" + acc.Reason + "，" + acc.By + "）",
			Link: fmt.Sprintf("/acceptances/%d", acc.ID)})
	}
	return out
}
