package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"taotai"
)

const submissionColumns = `s.id, s.year, s.period_key, s.region_code, r.name, s.region_path, s.sector, s.version, s.state, s.zero,
	s.person, s.phone, s.summary, s.prepared_by, s.prepared_at, s.submitted_by, s.submitted_at, s.reviewed_by, s.reviewed_at, s.review_note`

func scanSubmission(row interface{ Scan(...any) error }) (*taotai.Submission, error) {
	s := &taotai.Submission{}
	var prepared, submitted, reviewed string
	err := row.Scan(&s.ID, &s.Year, &s.PeriodKey, &s.RegionCode, &s.RegionName, &s.RegionPath, &s.Sector, &s.Version, &s.State,
		&s.Zero, &s.Person, &s.Phone, &s.Summary, &s.PreparedBy, &prepared, &s.SubmittedBy, &submitted, &s.ReviewedBy,
		&reviewed, &s.ReviewNote)
	if err != nil {
		return nil, err
	}
	s.PreparedAt, s.SubmittedAt, s.ReviewedAt = timeOf(prepared), timeOf(submitted), timeOf(reviewed)
	return s, nil
}

// findSubmission returns a version within the actor's lane (a city its
// own unit's, a reviewer their channel's), or ENOTFOUND.
func findSubmission(ctx context.Context, q queryer, a *taotai.Actor, id int64) (*taotai.Submission, error) {
	w := &where{}
	w.add("s.id = ?", id)
	w.lane(a, "s")
	sub, err := scanSubmission(q.QueryRowContext(ctx, `SELECT `+submissionColumns+
		` FROM report_submissions s JOIN regions r ON r.code = s.region_code`+w.String(), w.args...))
	if isNoRows(err) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "未找到该报送，或它不在您的管辖范围和渠道内。")
	} else if err != nil {
		return nil, fmt.Errorf("find submission: %w", err)
	}
	return sub, nil
}

// submissionContents reads a version's forms and files, bytes as stored.
func submissionContents(ctx context.Context, q queryer, sub *taotai.Submission) error {
	rows, err := q.QueryContext(ctx, `SELECT form, row_count, rows_json, xlsx, sha256 FROM report_submission_forms
		WHERE submission_id = $1 ORDER BY form`, sub.ID)
	if err != nil {
		return fmt.Errorf("submission forms: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f taotai.SubmittedForm
		var js string
		if err := rows.Scan(&f.Form, &f.Rows, &js, &f.XLSX, &f.SHA256); err != nil {
			return err
		}
		f.JSON = []byte(js)
		sub.Forms = append(sub.Forms, f)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	files, err := q.QueryContext(ctx, `SELECT name, data, sha256 FROM report_submission_files WHERE submission_id = $1 ORDER BY seq`, sub.ID)
	if err != nil {
		return fmt.Errorf("submission files: %w", err)
	}
	defer files.Close()
	for files.Next() {
		var f taotai.SubmittedFile
		if err := files.Scan(&f.Name, &f.Data, &f.SHA256); err != nil {
			return err
		}
		sub.Files = append(sub.Files, f)
	}
	return files.Err()
}

// FindSubmission returns one version with its forms and files exactly as
// prepared or sent, within the lane; ENOTFOUND outside it.
func (s *DB) FindSubmission(ctx context.Context, id int64) (*taotai.Submission, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	sub, err := findSubmission(ctx, s.db, a, id)
	if err != nil {
		return nil, err
	}
	return sub, submissionContents(ctx, s.db, sub)
}

// Submissions returns every version of a unit's report of a period up a
// channel, oldest first, without their bytes (FindSubmission has them).
func (s *DB) Submissions(ctx context.Context, periodKey, regionCode, sector string) ([]*taotai.Submission, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := dueReport(ctx, s.db, a, periodKey, regionCode, sector); err != nil {
		return nil, err
	}
	w := &where{}
	w.add("s.period_key = ? AND s.region_code = ? AND s.sector = ?", periodKey, regionCode, sector)
	w.lane(a, "s")
	rows, err := s.db.QueryContext(ctx, `SELECT `+submissionColumns+` FROM report_submissions s JOIN regions r ON r.code = s.region_code`+
		w.String()+` ORDER BY s.version`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("submissions: %w", err)
	}
	defer rows.Close()
	var out []*taotai.Submission
	for rows.Next() {
		sub, err := scanSubmission(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// SubmitReport sends a prepared version to the province: the city
// approver's act. Refused: a version already submitted (ECONFLICT, nothing
// sent twice), a period not yet open (EINVALID) or locked (ECONFLICT).
func (s *DB) SubmitReport(ctx context.Context, id int64) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		sub, err := findSubmission(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !a.Can(taotai.ActSubmitReport) {
			return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能报送，请由市级审核人员审核后报送。", taotai.RoleName(a.Role))
		}
		if sub.State != taotai.SubmissionPrepared {
			return taotai.Errorf(taotai.ECONFLICT, "第%d版已于%s由%s报送（%s），不能重复报送。", sub.Version,
				sub.SubmittedAt.Format("2006年1月2日15:04"), sub.SubmittedBy, taotai.SubmissionStateName(sub.State))
		}
		d, err := dueReport(ctx, tx, a, sub.PeriodKey, sub.RegionCode, sub.Sector)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		if err := openAndUnlocked(ctx, tx, d, now); err != nil {
			return err
		}
		before := submissionRecordOf(sub)
		sub.State, sub.SubmittedBy, sub.SubmittedAt = taotai.SubmissionSubmitted, a.Username, now
		if err := setSubmissionState(ctx, tx, sub, taotai.SubmissionPrepared, `submitted_by = $3, submitted_at = $4`,
			a.Username, timeText(now)); err != nil {
			return err
		}
		return s.record(ctx, tx, change{Action: taotai.AuditState, Entity: "report_submission", EntityID: sub.ID,
			RegionPath: sub.RegionPath, Sector: sub.Sector, Before: before, After: submissionRecordOf(sub), Note: "报送"})
	})
}

// setSubmissionState moves a version from state from to sub.State, with
// the other columns of set ($3 on); ECONFLICT when another move came first.
func setSubmissionState(ctx context.Context, tx *sql.Tx, sub *taotai.Submission, from, set string, args ...any) error {
	res, err := tx.ExecContext(ctx, `UPDATE report_submissions SET state = $1, `+set+` WHERE id = $2 AND state = '`+from+`'`,
		append([]any{sub.State, sub.ID}, args...)...)
	if err != nil {
		return fmt.Errorf("submission state: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return taotai.Errorf(taotai.ECONFLICT, "该报送的状态已被他人改变，请刷新后重试。")
	}
	return nil
}

// AcceptReport accepts a submitted version, which locks the period for
// the unit and channel: a province reviewer of the channel's act (another
// channel's reviewer does not see it: ENOTFOUND).
func (s *DB) AcceptReport(ctx context.Context, id int64, note string) error {
	return s.review(ctx, id, taotai.SubmissionAccepted, note)
}

// ReturnReport returns a submitted version with the reason, for the unit
// to correct and submit as a new version.
func (s *DB) ReturnReport(ctx context.Context, id int64, reason string) error {
	return s.review(ctx, id, taotai.SubmissionReturned, reason)
}

func (s *DB) review(ctx context.Context, id int64, to, note string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	switch {
	case to == taotai.SubmissionReturned && note == "":
		return taotai.Errorf(taotai.EINVALID, "请填写退回理由。")
	case !taotai.ValidText(note, true) || utf8.RuneCountInString(note) > taotai.MaxNoteLen:
		return taotai.Errorf(taotai.EINVALID, "审核意见应为不超过%d个字的文字。", taotai.MaxNoteLen)
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		sub, err := findSubmission(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !a.Can(taotai.ActReviewReport) {
			return taotai.Errorf(taotai.EFORBIDDEN, "只有%s的省级审核人员可以审核该报告。", taotai.ChannelName(sub.Sector))
		}
		if sub.State != taotai.SubmissionSubmitted {
			return taotai.Errorf(taotai.ECONFLICT, "第%d版当前为“%s”，只有已报送待审核的报告可以审核。", sub.Version, taotai.SubmissionStateName(sub.State))
		}
		now := s.clock.Now()
		before := submissionRecordOf(sub)
		sub.State, sub.ReviewedBy, sub.ReviewedAt, sub.ReviewNote = to, a.Username, now, note
		if err := setSubmissionState(ctx, tx, sub, taotai.SubmissionSubmitted, `reviewed_by = $3, reviewed_at = $4, review_note = $5`,
			a.Username, timeText(now), note); err != nil {
			return err
		}
		if err := s.record(ctx, tx, change{Action: taotai.AuditState, Entity: "report_submission", EntityID: sub.ID,
			RegionPath: sub.RegionPath, Sector: sub.Sector, Before: before, After: submissionRecordOf(sub), Note: note}); err != nil {
			return err
		}
		if to == taotai.SubmissionAccepted {
			return s.lock(ctx, tx, sub, a, now)
		}
		return nil
	})
}

// lock locks the period of an accepted version for its unit and channel.
func (s *DB) lock(ctx context.Context, tx *sql.Tx, sub *taotai.Submission, a *taotai.Actor, now time.Time) error {
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO report_locks (period_key, region_code, region_path, sector, submission_id, locked_by, locked_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, sub.PeriodKey, sub.RegionCode, sub.RegionPath, sub.Sector, sub.ID,
		a.Username, timeText(now)).Scan(&id); err != nil {
		return fmt.Errorf("lock report: %w", mapError(err))
	}
	return s.record(ctx, tx, change{Action: taotai.AuditCreate, Entity: "report_lock", EntityID: id, RegionPath: sub.RegionPath,
		Sector: sub.Sector, After: taotai.ReportLock{ID: id, PeriodKey: sub.PeriodKey, RegionCode: sub.RegionCode, Sector: sub.Sector,
			SubmissionID: sub.ID, Version: sub.Version, By: a.Username, At: now}})
}

var _ taotai.ReportService = (*DB)(nil)
