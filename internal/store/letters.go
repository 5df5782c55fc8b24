package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"taotai"
	"taotai/internal/forms"
)

// The province's letters to the coordination office: what the province
// typed for each (its 文号, date, a paragraph, the contact), and the
// first batch of the yellow list the first letter sends. The letter's
// text is taotai's (YellowListLetter, SummaryLetter).

// letterActor returns the actor when they may read the province's
// letters — a province reviewer or administrator at the province — and
// ENOTFOUND for anyone else, as for a record outside their lane.
func letterActor(ctx context.Context) (*taotai.Actor, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if a.RegionCode != taotai.ProvinceCode || !a.Can(taotai.ActProvinceLetter) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "未找到该函件：省里致协调小组办公室的函件只有省级审核人员和系统管理员可以查看。")
	}
	return a, nil
}

// ProvinceLetter returns what the province entered for a letter of a
// year; a letter nothing was entered for yet comes back with its year and
// kind only. ENOTFOUND for a user who may not read the letters or a year
// not configured; EINVALID for a kind that is none.
func (s *DB) ProvinceLetter(ctx context.Context, year int, kind string) (*taotai.ProvinceLetter, error) {
	if _, err := letterActor(ctx); err != nil {
		return nil, err
	}
	if kind != taotai.LetterYellowList && kind != taotai.LetterSummary {
		return nil, taotai.Errorf(taotai.EINVALID, "函件种类不正确。")
	}
	if _, err := findCampaignYear(ctx, s.db, year); err != nil {
		return nil, err
	}
	l, err := provinceLetter(ctx, s.db, year, kind)
	if err != nil {
		return nil, err
	}
	if l == nil {
		l = &taotai.ProvinceLetter{Year: year, Kind: kind}
	}
	return l, nil
}

// provinceLetter reads a letter's entries, or nil.
func provinceLetter(ctx context.Context, q queryer, year int, kind string) (*taotai.ProvinceLetter, error) {
	l := &taotai.ProvinceLetter{Year: year, Kind: kind}
	var dated, at string
	err := q.QueryRowContext(ctx, `SELECT doc_number, dated, extra, contact, updated_by, updated_at FROM province_letters
		WHERE year = $1 AND kind = $2`, year, kind).Scan(&l.DocNumber, &dated, &l.Extra, &l.Contact, &l.UpdatedBy, &at)
	if isNoRows(err) {
		return nil, nil //nolint:nilnil // nothing entered yet is no error
	} else if err != nil {
		return nil, fmt.Errorf("province letter: %w", err)
	}
	l.Dated, l.UpdatedAt = dateOf(dated), timeOf(at)
	return l, nil
}

// letterRecord is what the audit trail keeps of a letter's entries.
type letterRecord struct {
	DocNumber string `json:"doc_number"`
	Dated     string `json:"dated,omitempty"`
	Extra     string `json:"extra,omitempty"`
	Contact   string `json:"contact,omitempty"`
}

func letterRecordOf(l *taotai.ProvinceLetter) letterRecord {
	return letterRecord{DocNumber: l.DocNumber, Dated: dateString(l.Dated), Extra: l.Extra, Contact: l.Contact}
}

// SaveProvinceLetter keeps what the province typed for a letter, in the
// same transaction as its audit entry; the same entries again change
// nothing. The letters are 省应急管理厅's: a province reviewer of the
// non-coal channel (or of both) or an administrator writes them.
// Refused: ENOTFOUND for whoever may not read the letters or a year not
// configured, EFORBIDDEN for the coal channel's reviewer, EINVALID for
// what taotai.ProvinceLetter.Validate refuses.
func (s *DB) SaveProvinceLetter(ctx context.Context, l *taotai.ProvinceLetter) error {
	a, err := letterActor(ctx)
	if err != nil {
		return err
	}
	if !a.SectorVisible(taotai.LetterIssuerSector) {
		return taotai.Errorf(taotai.EFORBIDDEN, "致协调小组办公室的函件以%s名义发出，只有%s的省级审核人员或系统管理员可以填写文号和正文。",
			"省应急管理厅", taotai.ChannelName(taotai.LetterIssuerSector))
	}
	if err := l.Validate(); err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		if _, err := findCampaignYear(ctx, tx, l.Year); err != nil {
			return err
		}
		before, err := provinceLetter(ctx, tx, l.Year, l.Kind)
		if err != nil {
			return err
		}
		if before != nil && letterRecordOf(before) == letterRecordOf(l) {
			l.UpdatedBy, l.UpdatedAt = before.UpdatedBy, before.UpdatedAt
			return nil
		}
		now := s.clock.Now()
		l.UpdatedBy, l.UpdatedAt = a.Username, now
		if _, err := tx.ExecContext(ctx, `INSERT INTO province_letters (year, kind, doc_number, dated, extra, contact, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (year, kind) DO UPDATE SET doc_number = excluded.doc_number,
			dated = excluded.dated, extra = excluded.extra, contact = excluded.contact, updated_by = excluded.updated_by,
			updated_at = excluded.updated_at`, l.Year, l.Kind, l.DocNumber, dateString(l.Dated), l.Extra, l.Contact, a.Username,
			timeText(now)); err != nil {
			return fmt.Errorf("save province letter: %w", err)
		}
		c := change{Action: taotai.AuditCreate, Entity: "province_letter", EntityID: strconv.Itoa(l.Year) + "/" + l.Kind,
			RegionPath: a.RegionPath, After: letterRecordOf(l), Note: taotai.LetterKindName(l.Kind)}
		if before != nil {
			c.Action, c.Before = taotai.AuditUpdate, letterRecordOf(before)
		}
		return s.record(ctx, tx, c)
	})
}

// YellowList returns the province-wide first batch of the yellow list of
// a year: the enterprises on the yellow card in the 附件3 of each unit's
// latest accepted first report, one part per channel of the actor's lane
// (non-coal first), with the units whose first report is not accepted.
// ENOTFOUND for a user who may not read the province's letters.
func (s *DB) YellowList(ctx context.Context, year int) (*taotai.YellowList, error) {
	a, err := letterActor(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := s.Periods(ctx, year)
	if err != nil {
		return nil, err
	}
	l := &taotai.YellowList{Year: year}
	for _, p := range ps {
		if p.First() {
			l.Period = p
		}
	}
	if l.Period.Key == "" {
		return nil, taotai.Errorf(taotai.EINVALID, "%d年度没有首次报送，无从汇总首批“黄牌”企业名单。", year)
	}
	for _, sector := range []string{taotai.SectorNonCoal, taotai.SectorCoal} {
		if !a.SectorVisible(sector) {
			continue
		}
		c, err := s.Consolidate3(ctx, l.Period, sector)
		if err != nil {
			return nil, err
		}
		l.Parts = append(l.Parts, yellowPart(c))
	}
	return l, nil
}

// yellowPart is a channel's part of the first batch: the yellow rows of
// its consolidated first 附件3.
func yellowPart(c *Consolidated3) taotai.YellowPart {
	part := taotai.YellowPart{Sector: c.Sector, Units: len(c.Units), Receiver: taotai.ChannelName(c.Sector)}
	for _, m := range c.Missing {
		part.Missing = append(part.Missing, m.Name)
	}
	for _, u := range c.Units {
		for _, r := range u.Rows {
			if !isYellow(r) {
				continue
			}
			part.Entries = append(part.Entries, taotai.YellowEntry{Unit: u.Name, Region: r.Region, Name: r.Name, Address: r.Address,
				Industry: r.Industry, Rectify: r.Rectify, RectifiedInTime: r.RectifiedInTime})
		}
	}
	return part
}

// isYellow reports whether a row of 附件3 is on the yellow card, as the
// consolidated 附件3's count reads it (forms.ConsolidatedUnit3.Count).
func isYellow(r forms.Row3) bool {
	return forms.ConsolidatedUnit3{Rows: []forms.Row3{r}}.Count().Yellow == 1
}
