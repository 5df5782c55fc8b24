package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"taotai"
)

// FormUpload is a filled form a user uploaded, kept between the preview of
// its errors and the confirmed import.
type FormUpload struct {
	ID         int64
	UserID     int64
	Form       int
	RegionCode string
	Sector     string // the file's channel: coal or noncoal
	Year       int
	Period     string
	FileName   string
	// CoalOverride is an administrator's reason for 煤炭 enterprises
	// outside the coal-producing cities (ImportOptions.CoalOverride).
	CoalOverride string
	SHA256       string
	Data         []byte
	CreatedAt    time.Time
}

// uploadLife is how long an upload waits for its confirmation.
const uploadLife = 24 * time.Hour

// SaveFormUpload keeps an upload for its owner, the actor, and removes
// the uploads older than a day.
func (s *DB) SaveFormUpload(ctx context.Context, u *FormUpload) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if a.UserID == 0 {
		return taotai.Errorf(taotai.EFORBIDDEN, "只有登录用户可以上传报表。")
	}
	sum := sha256.Sum256(u.Data)
	u.UserID, u.SHA256, u.CreatedAt = a.UserID, hex.EncodeToString(sum[:]), s.clock.Now().UTC()
	if _, err := s.db.ExecContext(ctx, `DELETE FROM form_uploads WHERE created_at < $1`, u.CreatedAt.Add(-uploadLife)); err != nil {
		return fmt.Errorf("expire uploads: %w", err)
	}
	err = s.db.QueryRowContext(ctx, `INSERT INTO form_uploads (user_id, form, region_code, sector, year, period, filename, sha256, data, created_at, coal_override)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		u.UserID, u.Form, u.RegionCode, u.Sector, u.Year, u.Period, u.FileName, u.SHA256, u.Data, u.CreatedAt, u.CoalOverride).Scan(&u.ID)
	if err != nil {
		return fmt.Errorf("save upload: %w", mapError(err))
	}
	return nil
}

// FindFormUpload returns the actor's own upload, or ENOTFOUND (another
// user's, expired, or already imported).
func (s *DB) FindFormUpload(ctx context.Context, id int64) (*FormUpload, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	u := &FormUpload{}
	err = s.db.QueryRowContext(ctx, `SELECT id, user_id, form, region_code, sector, year, period, filename, sha256, data, created_at, coal_override
		FROM form_uploads WHERE id = $1 AND user_id = $2 AND created_at >= $3`, id, a.UserID, s.clock.Now().UTC().Add(-uploadLife)).
		Scan(&u.ID, &u.UserID, &u.Form, &u.RegionCode, &u.Sector, &u.Year, &u.Period, &u.FileName, &u.SHA256, &u.Data, &u.CreatedAt, &u.CoalOverride)
	if isNoRows(err) || a.UserID == 0 {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "上传的文件已过期或已导入，请重新上传。")
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// DeleteFormUpload removes the actor's upload once it is imported.
func (s *DB) DeleteFormUpload(ctx context.Context, id int64) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `DELETE FROM form_uploads WHERE id = $1 AND user_id = $2`, id, a.UserID)
	return err
}
