package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"taotai"
	"taotai/internal/forms"
)

// Submissions of the reporting year: a clerk prepares a version, the
// city's approver submits it, the province's reviewer of the channel
// accepts or returns it. Only their SQL and the snapshot's making live
// here; the states are taotai's.

// maxSummaryLen bounds the annual work summary's text.
const maxSummaryLen = 20000

// PrepareReport generates a version of a unit's report of a period up a
// channel from the records: each form's rows as JSON and as the .xlsx the
// province receives, with 填报人 and 联系电话 as given. Preparing again
// before the version is submitted replaces it; after a return, it makes
// the next version. Refused: outside the lane (ENOTFOUND), a period not
// yet open, a zero report for a period with rows or a report of no rows
// not marked zero (EINVALID), a version awaiting review or a locked
// period (ECONFLICT).
func (s *DB) PrepareReport(ctx context.Context, p *taotai.ReportPreparation) (*taotai.Submission, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Can(taotai.ActPrepareReport) {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能填报报告，请由市级填报人员填报。", taotai.RoleName(a.Role))
	}
	if err := validatePreparation(p); err != nil {
		return nil, err
	}
	d, err := s.preparable(ctx, s.db, a, p)
	if err != nil {
		return nil, err
	}
	sub, err := s.snapshot(ctx, d, p)
	if err != nil {
		return nil, err
	}
	err = s.Transact(ctx, func(tx *sql.Tx) error {
		if _, err := s.preparable(ctx, tx, a, p); err != nil {
			return err
		}
		return s.storePrepared(ctx, tx, d, sub)
	})
	if err != nil {
		return nil, err
	}
	return sub, nil
}

// validatePreparation checks what the clerk typed.
func validatePreparation(p *taotai.ReportPreparation) error {
	p.Person, p.Phone, p.Summary = strings.TrimSpace(p.Person), strings.TrimSpace(p.Phone), strings.TrimSpace(p.Summary)
	switch {
	case p.Person == "":
		return taotai.Errorf(taotai.EINVALID, "请填写填报人。")
	case p.Phone == "":
		return taotai.Errorf(taotai.EINVALID, "请填写联系电话。")
	case !taotai.ValidText(p.Person, false) || utf8.RuneCountInString(p.Person) > 50:
		return taotai.Errorf(taotai.EINVALID, "填报人应为不超过50个字的姓名。")
	case !taotai.ValidText(p.Phone, false) || utf8.RuneCountInString(p.Phone) > 50:
		return taotai.Errorf(taotai.EINVALID, "联系电话不正确。")
	case !taotai.ValidText(p.Summary, true) || utf8.RuneCountInString(p.Summary) > maxSummaryLen:
		return taotai.Errorf(taotai.EINVALID, "工作总结应为不超过%d个字的文字。", maxSummaryLen)
	}
	return taotai.CheckSummaryFiles(p.Files)
}

// preparable returns the due report a preparation is for, once it is in
// the lane, open, unlocked and not awaiting review.
func (s *DB) preparable(ctx context.Context, q queryer, a *taotai.Actor, p *taotai.ReportPreparation) (taotai.DueReport, error) {
	d, err := dueReport(ctx, q, a, p.PeriodKey, p.RegionCode, p.Sector)
	if err != nil {
		return d, err
	}
	if err := openAndUnlocked(ctx, q, d, s.clock.Now()); err != nil {
		return d, err
	}
	if !d.Summary && (p.Summary != "" || len(p.Files) > 0) {
		return d, taotai.Errorf(taotai.EINVALID, "只有年度报送附工作总结。")
	}
	latest, err := latestVersion(ctx, q, d)
	if err != nil {
		return d, err
	}
	if latest != nil && latest.State == taotai.SubmissionSubmitted {
		return d, taotai.Errorf(taotai.ECONFLICT, "第%d版已于%s报送，正待省级审核；审核退回后方可重新填报。",
			latest.Version, latest.SubmittedAt.Format("2006年1月2日15:04"))
	}
	return d, nil
}

// openAndUnlocked refuses a report whose period is not yet open at now,
// or whose accepted version locks it.
func openAndUnlocked(ctx context.Context, q queryer, d taotai.DueReport, now time.Time) error {
	if !d.Open(now) {
		return taotai.Errorf(taotai.EINVALID, "%s的报告尚未开放：自%s起方可填报和报送（截止%s）。", d.Period.Name(),
			d.OpensAt.Format("2006年1月2日"), d.DueAt.Add(-time.Nanosecond).Format("2006年1月2日"))
	}
	l, err := heldLock(ctx, q, d.Period.Key, d.Unit.Code, d.Sector)
	if err != nil {
		return err
	} else if l != nil {
		return taotai.Errorf(taotai.ECONFLICT, "%s", l.Message())
	}
	return nil
}

// snapshot makes a preparation's forms: the rows from the records, as
// JSON and as .xlsx with their SHA-256, and checks the zero report.
func (s *DB) snapshot(ctx context.Context, d taotai.DueReport, p *taotai.ReportPreparation) (*taotai.Submission, error) {
	r, err := findRegion(ctx, s.db, d.Unit.Code)
	if err != nil {
		return nil, err
	}
	unit, err := s.FormUnit(ctx, d.Period.Year, r, d.Sector)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	h := forms.Header{Unit: unit, Person: p.Person, Phone: p.Phone, Date: now.In(taotai.Shanghai).Format("2006年1月2日"),
		Period: d.Period.Label, Span: d.Period.Span()}
	sub := &taotai.Submission{Year: d.Period.Year, PeriodKey: d.Period.Key, RegionCode: d.Unit.Code, RegionName: d.Unit.Name,
		RegionPath: d.Unit.Path, Sector: d.Sector, State: taotai.SubmissionPrepared, Zero: p.Zero, Person: p.Person,
		Phone: p.Phone, Summary: p.Summary, PreparedBy: taotai.ActorFromContext(ctx).Username, PreparedAt: now}
	var counts []string
	total := 0
	for _, f := range d.Forms {
		form, err := s.snapshotForm(ctx, f, d, h)
		if err != nil {
			return nil, err
		}
		total += form.Rows
		if form.Rows > 0 {
			counts = append(counts, fmt.Sprintf("附件%d %d行", f, form.Rows))
		}
		sub.Forms = append(sub.Forms, form)
	}
	switch {
	case p.Zero && total > 0:
		return nil, taotai.Errorf(taotai.EINVALID, "本期已有记录（%s），不能报送零报告。", strings.Join(counts, "，"))
	case !p.Zero && total == 0:
		return nil, taotai.Errorf(taotai.EINVALID, "本期没有任何记录；如确无可报内容，请选择“零报告”明确报送。")
	}
	for _, f := range p.Files {
		sum := sha256.Sum256(f.Data)
		sub.Files = append(sub.Files, taotai.SubmittedFile{Name: f.Name, Data: f.Data, SHA256: hex.EncodeToString(sum[:])})
	}
	return sub, nil
}

// snapshotForm generates one form of a due report.
func (s *DB) snapshotForm(ctx context.Context, form int, d taotai.DueReport, h forms.Header) (taotai.SubmittedForm, error) {
	rows, n, err := s.FormRows(ctx, form, d.Period, d.Unit.Code, d.Sector)
	if err != nil {
		return taotai.SubmittedForm{}, err
	}
	js, err := json.Marshal(rows)
	if err != nil {
		return taotai.SubmittedForm{}, fmt.Errorf("form %d as JSON: %w", form, err)
	}
	var buf bytes.Buffer
	if err := forms.Write(&buf, form, h, rows, false); err != nil {
		return taotai.SubmittedForm{}, fmt.Errorf("write form %d: %w", form, err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return taotai.SubmittedForm{Form: form, Rows: n, JSON: js, XLSX: buf.Bytes(), SHA256: hex.EncodeToString(sum[:])}, nil
}

// latestVersion returns the newest version of a due report, or nil.
func latestVersion(ctx context.Context, q queryer, d taotai.DueReport) (*taotai.Submission, error) {
	sub, err := scanSubmission(q.QueryRowContext(ctx, `SELECT `+submissionColumns+` FROM report_submissions s JOIN regions r ON r.code = s.region_code
		WHERE s.period_key = $1 AND s.region_code = $2 AND s.sector = $3 ORDER BY s.version DESC LIMIT 1`, d.Period.Key, d.Unit.Code, d.Sector))
	if isNoRows(err) {
		return nil, nil //nolint:nilnil // no version yet is no error
	}
	return sub, err
}

// storePrepared keeps a prepared version: it replaces a version still
// prepared, or follows the latest returned or unlocked one.
func (s *DB) storePrepared(ctx context.Context, tx *sql.Tx, d taotai.DueReport, sub *taotai.Submission) error {
	latest, err := latestVersion(ctx, tx, d)
	if err != nil {
		return err
	}
	var before any
	sub.Version = 1
	if latest != nil {
		sub.Version = latest.Version + 1
		if latest.State == taotai.SubmissionPrepared {
			sub.Version, before = latest.Version, submissionRecordOf(latest)
			if err := deleteSubmission(ctx, tx, latest.ID); err != nil {
				return err
			}
		}
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO report_submissions (year, period_key, region_code, region_path, sector, version, state,
		zero, person, phone, summary, prepared_by, prepared_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		sub.Year, sub.PeriodKey, sub.RegionCode, sub.RegionPath, sub.Sector, sub.Version, sub.State, sub.Zero, sub.Person, sub.Phone,
		sub.Summary, sub.PreparedBy, timeText(sub.PreparedAt)).Scan(&sub.ID)
	if err != nil {
		return fmt.Errorf("insert submission: %w", mapError(err))
	}
	for _, f := range sub.Forms {
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_submission_forms (submission_id, form, row_count, rows_json, xlsx, sha256)
			VALUES ($1, $2, $3, $4, $5, $6)`, sub.ID, f.Form, f.Rows, string(f.JSON), f.XLSX, f.SHA256); err != nil {
			return fmt.Errorf("insert submission form: %w", err)
		}
	}
	for i, f := range sub.Files {
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_submission_files (submission_id, seq, name, data, sha256)
			VALUES ($1, $2, $3, $4, $5)`, sub.ID, i+1, f.Name, f.Data, f.SHA256); err != nil {
			return fmt.Errorf("insert submission file: %w", err)
		}
	}
	action := taotai.AuditCreate
	if before != nil {
		action = taotai.AuditUpdate
	}
	return s.record(ctx, tx, change{Action: action, Entity: "report_submission", EntityID: sub.ID, RegionPath: sub.RegionPath,
		Sector: sub.Sector, Before: before, After: submissionRecordOf(sub)})
}

// deleteSubmission removes a version that was only prepared.
func deleteSubmission(ctx context.Context, tx *sql.Tx, id int64) error {
	for _, q := range []string{`DELETE FROM report_submission_forms WHERE submission_id = $1`,
		`DELETE FROM report_submission_files WHERE submission_id = $1`,
		`DELETE FROM report_submissions WHERE id = $1 AND state = 'prepared'`} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("replace prepared version: %w", err)
		}
	}
	return nil
}

// submissionRecord is what the audit trail keeps of a version: its state
// and the hashes of what it sent, not the bytes.
type submissionRecord struct {
	Period  string            `json:"period"`
	Region  string            `json:"region"`
	Sector  string            `json:"sector"`
	Version int               `json:"version"`
	State   string            `json:"state"`
	Zero    bool              `json:"zero,omitempty"`
	Person  string            `json:"person"`
	Phone   string            `json:"phone"`
	Forms   map[string]string `json:"forms"` // 附件 → SHA-256
	Files   map[string]string `json:"files,omitempty"`
	Note    string            `json:"note,omitempty"`
}

func submissionRecordOf(s *taotai.Submission) submissionRecord {
	r := submissionRecord{Period: s.PeriodKey, Region: s.RegionCode, Sector: s.Sector, Version: s.Version, State: s.State,
		Zero: s.Zero, Person: s.Person, Phone: s.Phone, Forms: map[string]string{}, Note: s.ReviewNote}
	for _, f := range s.Forms {
		r.Forms[fmt.Sprintf("附件%d", f.Form)] = f.SHA256
	}
	for _, f := range s.Files {
		if r.Files == nil {
			r.Files = map[string]string{}
		}
		r.Files[f.Name] = f.SHA256
	}
	return r
}
