package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"taotai"
)

// RemoveFromKeyList takes an enterprise off a year's key list (附件1) for
// a reason, which the enterprise's history and the audit trail keep. The
// reason is required (EINVALID, field "reason"); an enterprise outside the
// lane or a year not configured is ENOTFOUND, one not listed that year
// ECONFLICT; a role that cannot change the key list EFORBIDDEN.
func (s *DB) RemoveFromKeyList(ctx context.Context, year int, enterpriseID int64, reason string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if err := taotai.ValidateRemovalReason(reason); err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		e, err := findEnterprise(ctx, tx, a, enterpriseID)
		if err != nil {
			return err
		}
		if !a.Can(taotai.ActWriteKeyList) {
			return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能调整重点企业名单。", taotai.RoleName(a.Role))
		}
		var note string
		err = tx.QueryRowContext(ctx, `SELECT note FROM key_list WHERE year = $1 AND enterprise_id = $2`, year, enterpriseID).Scan(&note)
		if isNoRows(err) {
			return taotai.Errorf(taotai.ECONFLICT, "“%s”不在%d年度重点淘汰行业企业名单内。", e.Name, year)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM key_list WHERE year = $1 AND enterprise_id = $2`, year, enterpriseID); err != nil {
			return err
		}
		var uid any
		if a.UserID != 0 {
			uid = a.UserID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO key_list_removals (year, enterprise_id, note, reason, by_user, by_name, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, year, enterpriseID, note, reason, uid, a.Username, s.clock.Now().UTC()); err != nil {
			return fmt.Errorf("key list removal: %w", err)
		}
		return s.record(ctx, tx, change{Action: taotai.AuditDelete, Entity: "key_list", EntityID: fmt.Sprintf("%d/%d", year, enterpriseID),
			RegionPath: e.RegionPath, Sector: e.Sector, Before: keyListRecord{year, enterpriseID, note}, Note: "移出理由：" + reason})
	})
}

// removalsRead reads an enterprise's removals as timeline items into
// *out.
func removalsRead(enterpriseID int64, out *[]TimelineItem) read {
	return readInto(out, func(row rowScanner) (TimelineItem, error) {
		var it TimelineItem
		var y int
		var reason, by string
		err := row.Scan(&y, &reason, &by, &it.At)
		it.Kind, it.Title = "listing", fmt.Sprintf("移出%d年度重点淘汰行业企业名单", y)
		it.Text, it.Link = reason+"（"+by+"）", fmt.Sprintf("/keylist/%d", y)
		return it, err
	}, `SELECT v.year, v.reason, `+byName+`, v.at FROM key_list_removals v
		LEFT JOIN users u ON u.id = v.by_user WHERE v.enterprise_id = $1`, enterpriseID)
}
