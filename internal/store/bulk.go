package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"taotai"
)

// Rows per multi-row INSERT. 200 enterprises use 2,001 parameters, far
// below SQLite's 32,766 and PostgreSQL's 65,535.
const (
	bulkEnterpriseChunk = 200
	bulkKeyListChunk    = 500
)

// KeyNoteFunc says, for one row of a bulk write, whether the enterprise
// goes on the key list and with which note.
type KeyNoteFunc func(*taotai.Enterprise) (note string, listed bool)

// BulkCreateEnterprises inserts many enterprises in one transaction with
// multi-row INSERTs, setting each e.ID, and, when keyYear is not 0, puts
// on that year's key list the rows for which keyNote says listed, with the
// note it returns (keyNote nil: every row, without a note). It is for
// administrators' tools (the demo loader, bulk imports): each row passes
// Enterprise.Validate and the coal rule (a 煤炭 enterprise outside the
// coal-producing cities needs its CoalOverride, the administrator's
// reason), but region, industry and lane are left to the database's
// constraints. Either every row is written, with its key-list
// entry, or none: a crash part-way leaves the database as it was.
func (s *DB) BulkCreateEnterprises(ctx context.Context, list []*taotai.Enterprise, keyYear int, keyNote KeyNoteFunc) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if a.Role != taotai.RoleAdmin {
		return taotai.Errorf(taotai.EFORBIDDEN, "只有系统管理员可以批量登记企业。")
	}
	notes := make([]string, len(list))
	listed := make([]bool, len(list))
	seen := make(map[string]int, len(list))
	for i, e := range list {
		if f := e.Validate(false); len(f) != 0 {
			return rowError(i, e, f)
		}
		if e.CreditCode != "" {
			if j, ok := seen[e.CreditCode]; ok {
				return rowError(i, e, taotai.FieldErrors{"credit_code": "统一社会信用代码" + e.CreditCode + "与第" + strconv.Itoa(j+1) + "条重复。"})
			}
			seen[e.CreditCode] = i
		}
		listed[i] = keyYear != 0
		if keyYear != 0 && keyNote != nil {
			var note string
			note, listed[i] = keyNote(e)
			notes[i] = strings.TrimSpace(note)
			if listed[i] && utf8.RuneCountInString(notes[i]) > taotai.MaxNoteLen {
				return rowError(i, e, taotai.FieldErrors{"note": fmt.Sprintf("备注不能超过%d个字。", taotai.MaxNoteLen)})
			}
		}
	}
	if len(list) == 0 {
		return nil
	}
	now := s.clock.Now().UTC()
	ids := make([]int64, len(list))
	err = s.Transact(ctx, func(tx *sql.Tx) error {
		if keyYear != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM campaign_years WHERE year = $1`, keyYear).Scan(&n); err != nil {
				return err
			} else if n == 0 {
				return taotai.Errorf(taotai.ENOTFOUND, "%d年度工作尚未配置。", keyYear)
			}
		}
		if err := checkCoalRule(ctx, tx, list); err != nil {
			return err
		}
		for start := 0; start < len(list); start += bulkEnterpriseChunk {
			chunk := list[start:min(start+bulkEnterpriseChunk, len(list))]
			if err := s.insertEnterpriseChunk(ctx, tx, chunk, ids[start:], now); err != nil {
				return chunkError(err, start, len(chunk))
			}
		}
		if err := s.insertKeyList(ctx, tx, keyYear, ids, notes, listed, now); err != nil {
			return err
		}
		return s.recordBulk(ctx, tx, list, ids, keyYear, notes, listed)
	})
	if err != nil {
		return err
	}
	for i, e := range list {
		e.ID, e.Version, e.CreatedAt, e.UpdatedAt = ids[i], 1, now, now
		if listed[i] {
			e.KeyYears = []int{keyYear}
		}
	}
	return nil
}

// insertKeyList puts the listed rows on the key list of year, in chunks.
func (s *DB) insertKeyList(ctx context.Context, tx *sql.Tx, year int, ids []int64, notes []string, listed []bool, now time.Time) error {
	var chunkIDs []int64
	var chunkNotes []string
	var rows []int // the row numbers of the chunk, for the error message
	flush := func() error {
		if len(chunkIDs) == 0 {
			return nil
		}
		if err := s.insertKeyListChunk(ctx, tx, year, chunkIDs, chunkNotes, now); err != nil {
			return chunkError(err, rows[0], rows[len(rows)-1]-rows[0]+1)
		}
		chunkIDs, chunkNotes, rows = chunkIDs[:0], chunkNotes[:0], rows[:0]
		return nil
	}
	for i := range ids {
		if !listed[i] {
			continue
		}
		chunkIDs, chunkNotes, rows = append(chunkIDs, ids[i]), append(chunkNotes, notes[i]), append(rows, i)
		if len(chunkIDs) == bulkKeyListChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// insertEnterpriseChunk inserts the rows in one statement and stores their
// ids in ids[:len(chunk)]. RETURNING gives no order, so each returned row is
// matched back by its credit code; rows without one (should Validate ever
// allow it) take the remaining ids in ascending order, the order in which
// both databases number the rows of one INSERT … VALUES.
func (s *DB) insertEnterpriseChunk(ctx context.Context, tx *sql.Tx, chunk []*taotai.Enterprise, ids []int64, now time.Time) error {
	var b strings.Builder
	b.WriteString(`INSERT INTO enterprises (name, credit_code, credit_code_confirmed, address, region_code, industry_id,
		production_state, legal_rep, contact_person, contact_phone, coal_override, version, created_at, updated_at, region_path, sector) VALUES `)
	args := make([]any, 0, 1+11*len(chunk))
	args = append(args, now)
	for i, e := range chunk {
		if i > 0 {
			b.WriteString(", ")
		}
		n := len(args)
		b.WriteString("(")
		for j := 1; j <= 11; j++ {
			b.WriteString("$" + strconv.Itoa(n+j) + ", ")
		}
		b.WriteString("1, $1, $1, " + lanePathSQL("$"+strconv.Itoa(n+5)) + ", " + laneSectorSQL("$"+strconv.Itoa(n+6)) + ")")
		args = append(args, e.Name, nullString(e.CreditCode), e.CreditCodeConfirmed, e.Address, e.RegionCode,
			e.IndustryID, e.ProductionState, e.LegalRep, e.ContactPerson, e.ContactPhone, strings.TrimSpace(e.CoalOverride))
	}
	b.WriteString(" RETURNING id, COALESCE(credit_code, '')")
	query, args := s.positional(b.String(), args)
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	byCode := make(map[string]int64, len(chunk))
	var uncoded []int64
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return err
		}
		if code == "" {
			uncoded = append(uncoded, id)
		} else {
			byCode[code] = id
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	sort.Slice(uncoded, func(i, j int) bool { return uncoded[i] < uncoded[j] })
	for i, e := range chunk {
		var ok bool
		if e.CreditCode != "" {
			ids[i], ok = byCode[e.CreditCode]
		} else if len(uncoded) > 0 {
			ids[i], uncoded, ok = uncoded[0], uncoded[1:], true
		}
		if !ok {
			return fmt.Errorf("bulk insert: no id returned for row %q", e.Name)
		}
	}
	return nil
}

func (s *DB) insertKeyListChunk(ctx context.Context, tx *sql.Tx, year int, ids []int64, notes []string, now time.Time) error {
	var b strings.Builder
	b.WriteString(`INSERT INTO key_list (year, enterprise_id, note, added_at) VALUES `)
	args := make([]any, 0, 2+2*len(ids))
	args = append(args, year, now)
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		n := len(args)
		b.WriteString("($1, $" + strconv.Itoa(n+1) + ", $" + strconv.Itoa(n+2) + ", $2)")
		args = append(args, id, notes[i])
	}
	query, args := s.positional(b.String(), args)
	_, err := tx.ExecContext(ctx, query, args...)
	return err
}

// rowError names the bad row (1-based, as a person counts) and its fields.
func rowError(i int, e *taotai.Enterprise, f taotai.FieldErrors) error {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	msgs := make([]string, len(keys))
	for j, k := range keys {
		msgs[j] = f[k]
	}
	name := e.Name
	if name == "" {
		name = "未命名企业"
	}
	return &taotai.Error{Code: taotai.EINVALID, Fields: map[string]string(f),
		Message: fmt.Sprintf("第%d条（%s）有误：%s", i+1, name, strings.Join(msgs, ""))}
}

// chunkError turns a database error of rows [start, start+n) into the
// domain's codes, naming the rows when a constraint was broken. The only
// unique column an enterprise row can break is its credit code.
func chunkError(err error, start, n int) error {
	what := ""
	switch e, _ := mapError(err).(*taotai.Error); {
	case e == nil:
		return fmt.Errorf("bulk insert rows %d-%d: %w", start+1, start+n, err)
	case e.Code == taotai.ECONFLICT:
		what = "有统一社会信用代码已被其他企业登记"
	default:
		what = "有记录无法保存（" + strings.TrimSuffix(e.Message, "。") + "）"
	}
	return taotai.Errorf(taotai.ErrorCode(mapError(err)), "第%d至%d条中%s，全部未保存。", start+1, start+n, what)
}

// regionPaths returns every region's path, by code.
func regionPaths(ctx context.Context, q queryer) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, path FROM regions`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	paths := map[string]string{}
	for rows.Next() {
		var c, p string
		if err := rows.Scan(&c, &p); err != nil {
			return nil, err
		}
		paths[c] = p
	}
	return paths, rows.Err()
}

// recordBulk records one audit entry per enterprise created and per key
// list entry, as if each had been written alone.
func (s *DB) recordBulk(ctx context.Context, tx *sql.Tx, list []*taotai.Enterprise, ids []int64, keyYear int, notes []string, listed []bool) error {
	paths, err := regionPaths(ctx, tx)
	if err != nil {
		return err
	}
	sectors := map[int64]string{}
	inds, err := industries(ctx, tx)
	if err != nil {
		return err
	}
	for _, ind := range inds {
		sectors[ind.ID] = ind.Sector
	}
	cs := make([]change, 0, 2*len(list))
	for i, e := range list {
		rec := snapshot(e)
		rec.Version = 1
		cs = append(cs, change{Action: taotai.AuditCreate, Entity: "enterprise", EntityID: ids[i], RegionPath: paths[e.RegionCode], Sector: sectors[e.IndustryID],
			After: rec, Note: "批量登记"})
		if listed[i] {
			cs = append(cs, change{Action: taotai.AuditCreate, Entity: "key_list", EntityID: fmt.Sprintf("%d/%d", keyYear, ids[i]),
				RegionPath: paths[e.RegionCode], Sector: sectors[e.IndustryID], After: keyListRecord{keyYear, ids[i], notes[i]}, Note: "批量登记"})
		}
	}
	return s.recordAll(ctx, tx, cs)
}

// coalPlaces tells each region's city (the second level of its path) and
// whether it is a coal-producing city (产煤市).
type coalPlaces map[string]struct {
	city string
	coal bool
}

func readCoalCities(ctx context.Context, q queryer) (coalPlaces, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, name, path, coal_producing FROM regions`)
	if err != nil {
		return nil, fmt.Errorf("coal cities: %w", err)
	}
	defer rows.Close()
	type region struct {
		name, path string
		coal       bool
	}
	all := map[string]region{}
	for rows.Next() {
		var code string
		var r region
		if err := rows.Scan(&code, &r.name, &r.path, &r.coal); err != nil {
			return nil, err
		}
		all[code] = r
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := coalPlaces{}
	for code, r := range all {
		city := r
		if parts := strings.Split(strings.Trim(r.path, "/"), "/"); len(parts) >= 2 {
			city = all[parts[1]]
		}
		out[code] = struct {
			city string
			coal bool
		}{city.name, city.coal}
	}
	return out, nil
}

// message is taotai.CoalPlaceMessage for an enterprise of sector in the
// region, registered by an administrator with the reason override.
func (c coalPlaces) message(sector, regionCode, override string) string {
	city := c[regionCode]
	return taotai.CoalPlaceMessage(sector, city.city, city.coal, override, false, true)
}

// checkCoalRule applies the coal rule to bulk rows: the first row that
// breaks it is the error, naming it.
func checkCoalRule(ctx context.Context, tx *sql.Tx, list []*taotai.Enterprise) error {
	cities, err := readCoalCities(ctx, tx)
	if err != nil {
		return err
	}
	sectors := map[int64]string{}
	rows, err := tx.QueryContext(ctx, `SELECT id, sector FROM industries`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var sector string
		if err := rows.Scan(&id, &sector); err != nil {
			return err
		}
		sectors[id] = sector
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i, e := range list {
		if msg := cities.message(sectors[e.IndustryID], e.RegionCode, e.CoalOverride); msg != "" {
			return rowError(i, e, taotai.FieldErrors{"industry": msg})
		}
	}
	return nil
}
