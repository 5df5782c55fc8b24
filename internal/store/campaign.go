package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"taotai"
)

// CampaignYears returns every configured year, newest first, with deadlines.
// The years and all their deadlines are read in one batch, and kept in
// the request's memo.
func (s *DB) CampaignYears(ctx context.Context) ([]*taotai.CampaignYear, error) {
	m := memoFrom(ctx)
	if m != nil {
		if all, ok := m.campaignYears(); ok {
			return all, nil
		}
	}
	// Read on nearly every page and changed a few times a year: kept
	// between requests until the next write (figures.go), and copied out,
	// as the request's memo does, since callers may change what they get.
	kept, err := keptRead(ctx, s, "campaign_years", func() ([]*taotai.CampaignYear, error) {
		b := &yearsBatch{}
		if err := s.readAll(ctx, b.reads()...); err != nil {
			return nil, fmt.Errorf("campaign years: %w", err)
		}
		return b.result(nil), nil
	})
	if err != nil {
		return nil, err
	}
	if m != nil {
		m.keepSharedCampaignYears(kept)
	}
	out := make([]*taotai.CampaignYear, len(kept))
	for i, c := range kept {
		out[i] = copyCampaignYear(c)
	}
	return out, nil
}

// yearsBatch reads every campaign year with its deadlines: two reads of a
// batch (readAll), put together by result.
type yearsBatch struct {
	years     []*taotai.CampaignYear
	deadlines []yearDeadline
}

type yearDeadline struct {
	year int
	d    taotai.Deadline
}

func (b *yearsBatch) reads() []read {
	return []read{
		readInto(&b.years, func(row rowScanner) (*taotai.CampaignYear, error) {
			c := &taotai.CampaignYear{}
			var start string
			err := row.Scan(&c.Year, &c.Title, &start, &c.UnitNonCoal, &c.UnitCoal)
			c.Start = dateOf(start)
			return c, err
		}, `SELECT year, title, start_date, unit_noncoal, unit_coal FROM campaign_years ORDER BY year DESC`),
		readInto(&b.deadlines, func(row rowScanner) (yearDeadline, error) {
			var d yearDeadline
			var start, due, cutoff string
			err := row.Scan(&d.year, &d.d.Key, &d.d.Label, &start, &due, &cutoff, &d.d.Note)
			d.d.Start, d.d.Due, d.d.Cutoff = dateOf(start), dateOf(due), dateOf(cutoff)
			return d, err
		}, `SELECT year, key, label, start_date, due_date, cutoff_date, note FROM campaign_deadlines ORDER BY year, sort, due_date`),
	}
}

// result returns the years read, newest first, each with its deadlines in
// order, and keeps them in m (when there is one).
func (b *yearsBatch) result(m *requestMemo) []*taotai.CampaignYear {
	byYear := make(map[int]*taotai.CampaignYear, len(b.years))
	for _, c := range b.years {
		byYear[c.Year] = c
	}
	for _, d := range b.deadlines {
		if c := byYear[d.year]; c != nil {
			c.Deadlines = append(c.Deadlines, d.d)
		}
	}
	if m != nil {
		m.keepCampaignYears(b.years)
	}
	return b.years
}

// FindCampaignYear returns one year with its deadlines in order.
func (s *DB) FindCampaignYear(ctx context.Context, year int) (*taotai.CampaignYear, error) {
	return findCampaignYear(ctx, s.db, year)
}

func findCampaignYear(ctx context.Context, q queryer, year int) (*taotai.CampaignYear, error) {
	var m *requestMemo
	if _, outside := q.(*pool); outside {
		// Outside a transaction: the request's memo may answer.
		if m = memoFrom(ctx); m != nil {
			if c, ok := m.campaignYear(year); ok {
				return c, nil
			}
		}
	}
	c := &taotai.CampaignYear{Year: year}
	var start string
	err := q.QueryRowContext(ctx, `SELECT title, start_date, unit_noncoal, unit_coal FROM campaign_years WHERE year = $1`, year).
		Scan(&c.Title, &start, &c.UnitNonCoal, &c.UnitCoal)
	c.Start = dateOf(start)
	if isNoRows(err) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "%d年度工作尚未配置。", year)
	} else if err != nil {
		return nil, fmt.Errorf("find campaign year: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT key, label, start_date, due_date, cutoff_date, note FROM campaign_deadlines
		WHERE year = $1 ORDER BY sort, due_date`, year)
	if err != nil {
		return nil, fmt.Errorf("deadlines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d taotai.Deadline
		var start, due, cutoff string
		if err := rows.Scan(&d.Key, &d.Label, &start, &due, &cutoff, &d.Note); err != nil {
			return nil, err
		}
		d.Start, d.Due, d.Cutoff = dateOf(start), dateOf(due), dateOf(cutoff)
		c.Deadlines = append(c.Deadlines, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if m != nil {
		m.keepCampaignYear(c)
	}
	return c, nil
}

// KeyList returns a year's key list within the lane (and, when regionCode
// is set, that subtree), ordered by region and enterprise.
func (s *DB) KeyList(ctx context.Context, year int, regionCode string) ([]*taotai.KeyListEntry, error) {
	out, _, err := s.KeyListPage(ctx, year, regionCode, 0, -1)
	return out, err
}

// KeyListPage returns limit entries (all with a negative limit) of a
// year's key list within the lane (and, when regionCode is set, that
// subtree) from offset, ordered by region and enterprise, and how many
// entries there are: counted from coverage_counts (migration 00028), a
// row per county and sector, not from the list.
func (s *DB) KeyListPage(ctx context.Context, year int, regionCode string, offset, limit int) ([]*taotai.KeyListEntry, int, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	w.add("k.year = ?", year)
	w.lane(a, "k")
	if regionCode != "" {
		r, err := findRegion(ctx, s.db, regionCode)
		if err != nil {
			return nil, 0, err
		}
		w.subtree("k", r.Path)
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(k.listed), 0) FROM coverage_counts k`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("key list: %w", err)
	}
	if total == 0 || offset >= total || limit == 0 {
		return nil, total, nil
	}
	page := ""
	if limit >= 0 {
		page = ` LIMIT ` + w.next(limit) + ` OFFSET ` + w.next(max(offset, 0))
	}
	// The page's rows are picked on the key list's ordered index alone
	// (key_list_ordered), then joined with their enterprises.
	rows, err := s.db.QueryContext(ctx, enterpriseSelect+`, k.note, k.added_at FROM (SELECT k.year, k.enterprise_id FROM key_list k`+
		w.String()+` ORDER BY k.region_path, k.enterprise_id`+page+`) page
		JOIN key_list k ON k.year = page.year AND k.enterprise_id = page.enterprise_id
		JOIN enterprises e ON e.id = k.enterprise_id`+strings.TrimPrefix(enterpriseFrom, ` FROM enterprises e`)+
		` ORDER BY k.region_path, k.enterprise_id`, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("key list: %w", err)
	}
	defer rows.Close()
	var out []*taotai.KeyListEntry
	for rows.Next() {
		k := &taotai.KeyListEntry{Year: year}
		if k.Enterprise, err = scanEnterprise(rows, &k.Note, &k.AddedAt); err != nil {
			return nil, 0, fmt.Errorf("scan key list: %w", err)
		}
		out = append(out, k)
	}
	return out, total, rows.Err()
}

// SetKeyListed puts an enterprise on a year's key list, or takes it off.
func (s *DB) SetKeyListed(ctx context.Context, year int, enterpriseID int64, listed bool, note string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if !taotai.ValidText(note, false) {
		return taotai.Errorf(taotai.EINVALID, "%s", taotai.BadTextMessage("备注"))
	}
	if utf8.RuneCountInString(note) > taotai.MaxNoteLen {
		return taotai.Errorf(taotai.EINVALID, "备注不能超过%d个字。", taotai.MaxNoteLen)
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		e, err := findEnterprise(ctx, tx, a, enterpriseID)
		if err != nil {
			return err
		}
		if !a.Can(taotai.ActWriteKeyList) {
			return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能调整重点企业名单。", taotai.RoleName(a.Role))
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM campaign_years WHERE year = $1`, year).Scan(&n); err != nil {
			return err
		} else if n == 0 {
			return taotai.Errorf(taotai.ENOTFOUND, "%d年度工作尚未配置。", year)
		}
		var before any
		var oldNote string
		if err := tx.QueryRowContext(ctx, `SELECT note FROM key_list WHERE year = $1 AND enterprise_id = $2`, year, enterpriseID).Scan(&oldNote); err == nil {
			before = keyListRecord{year, enterpriseID, oldNote}
		} else if !isNoRows(err) {
			return err
		}
		id := fmt.Sprintf("%d/%d", year, enterpriseID)
		path := e.RegionPath
		if !listed {
			if before == nil {
				return nil
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM key_list WHERE year = $1 AND enterprise_id = $2`, year, enterpriseID); err != nil {
				return err
			}
			return s.record(ctx, tx, change{Action: taotai.AuditDelete, Entity: "key_list", EntityID: id, RegionPath: path, Sector: e.Sector, Before: before})
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO key_list (year, enterprise_id, note, added_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (year, enterprise_id) DO UPDATE SET note = excluded.note`, year, enterpriseID, note, s.clock.Now().UTC()); err != nil {
			return err
		}
		action := taotai.AuditCreate
		if before != nil {
			action = taotai.AuditUpdate
		}
		return s.record(ctx, tx, change{Action: action, Entity: "key_list", EntityID: id, RegionPath: path, Sector: e.Sector,
			Before: before, After: keyListRecord{year, enterpriseID, note}})
	})
}

// keyListRecord is what the audit trail keeps of a key-list entry.
type keyListRecord struct {
	Year         int    `json:"year"`
	EnterpriseID int64  `json:"enterprise_id"`
	Note         string `json:"note"`
}
