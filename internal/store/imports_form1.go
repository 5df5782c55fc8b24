package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"taotai"
	"taotai/internal/forms"
)

// import1 plans and writes a filled 附件1: each row is matched to an
// enterprise of the region (by its credit code when the city added that
// column, else by its name), updated where the file says otherwise and put
// on the year's key list; a name that matches none registers a new
// enterprise, lacking its credit code until someone completes it.
func (s *DB) import1(ctx context.Context, tx *sql.Tx, a *taotai.Actor, opt ImportOptions, res *forms.Result1, rep *ImportReport) error {
	rep.HasCreditCode = res.HasCreditCode
	rep.Errors = append(rep.Errors, res.Errors...)
	colName, colCode, colInd := res.Cols[forms.Columns1[1]], res.Cols["统一社会信用代码"], res.Cols[forms.Columns1[3]]
	byName, all, err := laneEnterprises(ctx, tx, a, rep.Region, opt.Year)
	if err != nil {
		return err
	}
	byCode := map[string]*importEnterprise{}
	for _, ie := range all {
		if ie.CreditCode != "" {
			byCode[ie.CreditCode] = ie
		}
	}
	industries, err := readImportIndustries(ctx, tx)
	if err != nil {
		return err
	}
	places, err := subtreeRegions(ctx, tx, rep.Region)
	if err != nil {
		return err
	}
	cities, err := readCoalCities(ctx, tx)
	if err != nil {
		return err
	}
	override := ""
	if a.Role == taotai.RoleAdmin {
		override = strings.TrimSpace(opt.CoalOverride) // only an administrator's reason counts
	}
	now := s.clock.Now().UTC()
	var (
		creates  []*taotai.Enterprise
		changes  []change
		seenName = map[string]int{}
		seenCode = map[string]int{}
		matched  = map[int64]bool{}
	)
	for i, row := range res.Rows {
		n := res.RowNumbers[i]
		fail := func(col, field, msg string) { rep.Errors = append(rep.Errors, rowErr(n, col, field, msg)) }
		dup := false
		if k := nameKey(row.Name); k != "" {
			if first, ok := seenName[k]; ok {
				fail(colName, forms.Columns1[1], fmt.Sprintf("与第%d行是同一家企业，请删去重复的行", first))
				dup = true
			} else {
				seenName[k] = n
			}
		}
		if row.CreditCode != "" {
			if first, ok := seenCode[row.CreditCode]; ok {
				fail(colCode, "统一社会信用代码", fmt.Sprintf("与第%d行的统一社会信用代码相同", first))
				dup = true
			} else {
				seenCode[row.CreditCode] = n
			}
		}
		if dup || hasRowError(rep.Errors, n) {
			continue
		}
		ind, msg := industries.industryOf(row.Industry, a)
		if msg == "" && ind.Sector != rep.Sector {
			msg = otherIndustry(ind, rep.Sector)
		}
		if msg != "" {
			fail(colInd, forms.Columns1[3], msg)
			continue
		}
		state, _ := taotai.ParseProductionState(row.Note)
		var ie *importEnterprise
		if row.CreditCode != "" {
			ie = byCode[row.CreditCode]
			switch {
			case ie == nil:
				var id int64
				err := tx.QueryRowContext(ctx, `SELECT id FROM enterprises WHERE credit_code = $1`, row.CreditCode).Scan(&id)
				if err == nil {
					fail(colCode, "统一社会信用代码", "该统一社会信用代码已由其他地区或其他行业的企业登记，请核对")
					continue
				} else if !isNoRows(err) {
					return err
				}
			case nameKey(ie.Name) != nameKey(row.Name):
				fail(colCode, "统一社会信用代码", fmt.Sprintf("系统中该统一社会信用代码登记的企业名称为“%s”，与本行的企业名称不一致", ie.Name))
				continue
			}
		}
		if ie == nil {
			var other *importEnterprise
			var msg string
			if ie, other, msg = matchName(byName, row.Name, rep.Sector); msg != "" {
				fail(colName, forms.Columns1[1], msg)
				continue
			}
			if other != nil {
				ie = other // refused below: it is of the other channel
			}
			if ie != nil && row.CreditCode != "" && ie.CreditCode != "" && ie.CreditCode != row.CreditCode {
				fail(colCode, "统一社会信用代码", fmt.Sprintf("系统中该企业的统一社会信用代码为%s，与本行不一致", ie.CreditCode))
				continue
			}
		}
		if ie == nil {
			e := &taotai.Enterprise{Name: row.Name, CreditCode: row.CreditCode, Address: row.Address,
				RegionCode: regionOfAddress(places, rep.Region, row.Address), IndustryID: ind.ID, Sector: ind.Sector, ProductionState: state}
			f := e.Validate(true) // a check-digit warning was shown in the preview, and confirmed by importing
			if e.CreditCode == "" {
				delete(f, "credit_code")
			}
			if len(f) > 0 {
				for _, m := range f {
					fail(colName, forms.Columns1[1], strings.TrimSuffix(m, "。"))
				}
				continue
			}
			if msg := cities.message(ind.Sector, e.RegionCode, override); msg != "" {
				fail(colInd, forms.Columns1[3], strings.TrimSuffix(msg, "。"))
				continue
			}
			if !cities[e.RegionCode].coal && ind.Sector == taotai.SectorCoal {
				e.CoalOverride = override
			}
			creates = append(creates, e)
			detail := fmt.Sprintf("登记为新企业，列入%d年名单", opt.Year)
			if e.CreditCode == "" {
				detail += "；待补充统一社会信用代码"
			}
			rep.Rows = append(rep.Rows, ImportRow{Row: n, Name: row.Name, Action: ImportCreate, Detail: detail})
			rep.Created++
			continue
		}
		matched[ie.ID] = true
		if ind.Sector != ie.Sector {
			fail(colInd, forms.Columns1[3], fmt.Sprintf("系统中该企业属于%s行业，不能改为%s行业", taotai.SectorName(ie.Sector), taotai.SectorName(ind.Sector)))
			continue
		}
		cs, detail, err := s.update1(ctx, tx, opt, ie, row, ind, state, now)
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			rep.Rows = append(rep.Rows, ImportRow{Row: n, Name: row.Name, Action: ImportUnchanged})
			rep.Unchanged++
			continue
		}
		changes = append(changes, cs...)
		rep.Rows = append(rep.Rows, ImportRow{Row: n, Name: row.Name, Action: ImportUpdate, Detail: detail})
		rep.Updated++
	}
	for _, ie := range all {
		if ie.listed && ie.Sector == rep.Sector && !matched[ie.ID] && seenName[nameKey(ie.Name)] == 0 {
			rep.NotInFile = append(rep.NotInFile, ie.Name)
		}
	}
	if rep.HasErrors() || rep.Changes() == 0 || opt.DryRun {
		return nil
	}
	ids := make([]int64, len(creates))
	for start := 0; start < len(creates); start += bulkEnterpriseChunk {
		chunk := creates[start:min(start+bulkEnterpriseChunk, len(creates))]
		if err := s.insertEnterpriseChunk(ctx, tx, chunk, ids[start:], now); err != nil {
			return chunkError(err, start, len(chunk))
		}
	}
	listed := make([]bool, len(creates))
	notes := make([]string, len(creates))
	for i := range listed {
		listed[i] = true
	}
	if err := s.insertKeyList(ctx, tx, opt.Year, ids, notes, listed, now); err != nil {
		return err
	}
	note := "导入附件1：" + opt.FileName
	for i, e := range creates {
		e.ID, e.Version = ids[i], 1
		path := regionPathOf(places, rep.Region, e.RegionCode)
		changes = append(changes,
			change{Action: taotai.AuditCreate, Entity: "enterprise", EntityID: e.ID, RegionPath: path, Sector: e.Sector, After: snapshot(e), Note: note},
			change{Action: taotai.AuditCreate, Entity: "key_list", EntityID: fmt.Sprintf("%d/%d", opt.Year, e.ID), RegionPath: path, Sector: e.Sector,
				After: keyListRecord{opt.Year, e.ID, ""}, Note: note})
	}
	for i := range changes {
		if changes[i].Note == "" {
			changes[i].Note = note
		}
	}
	changes = append(changes, change{Action: taotai.AuditImport, Entity: "form", EntityID: int64(forms.Form1), RegionPath: rep.Region.Path, Sector: rep.Sector,
		Note: fmt.Sprintf("附件1，%s，%s，%d年，%s：新登记%d家，更新%d家，无变化%d家", rep.Region.Name, taotai.SectorName(rep.Sector), opt.Year, opt.FileName,
			rep.Created, rep.Updated, rep.Unchanged)})
	return s.recordAll(ctx, tx, changes)
}

// update1 writes what a 附件1 row changes of a matched enterprise: its
// address, industry, production state, a credit code it lacked, and its
// key-list entry; it returns the audit entries and a description, or
// nothing when the row says what the registry already holds.
func (s *DB) update1(ctx context.Context, tx *sql.Tx, opt ImportOptions, ie *importEnterprise, row forms.Row1, ind *taotai.Industry, state string, now time.Time) ([]change, string, error) {
	cur := *ie.Enterprise
	next := cur
	var what []string
	if row.Address != cur.Address {
		next.Address = row.Address
		what = append(what, fmt.Sprintf("所在地址“%s”改为“%s”", cur.Address, row.Address))
	}
	if ind.ID != cur.IndustryID {
		next.IndustryID = ind.ID
		what = append(what, fmt.Sprintf("所属行业%s改为%s", cur.IndustryName, ind.Name))
	}
	if state != cur.ProductionState {
		next.ProductionState = state
		what = append(what, fmt.Sprintf("生产状态%s改为%s", taotai.ProductionStateName(cur.ProductionState), taotai.ProductionStateName(state)))
	}
	if cur.CreditCode == "" && row.CreditCode != "" {
		next.CreditCode, next.CreditCodeConfirmed = row.CreditCode, taotai.CheckUSCC(row.CreditCode).Warning != ""
		what = append(what, "补充统一社会信用代码"+row.CreditCode)
	}
	var cs []change
	if len(what) > 0 {
		res, err := tx.ExecContext(ctx, `UPDATE enterprises SET credit_code = $1, credit_code_confirmed = $2, address = $3,
			industry_id = $4, sector = `+laneSectorSQL("$4")+`, production_state = $5, version = version + 1, updated_at = $6
			WHERE id = $7 AND version = $8`,
			nullString(next.CreditCode), next.CreditCodeConfirmed, next.Address, next.IndustryID, next.ProductionState, now, cur.ID, cur.Version)
		if err != nil {
			return nil, "", creditCodeConflict(err, next.CreditCode)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil, "", staleError(cur.UpdatedAt)
		}
		next.Version++
		cs = append(cs, change{Action: taotai.AuditUpdate, Entity: "enterprise", EntityID: cur.ID, RegionPath: cur.RegionPath, Sector: cur.Sector,
			Before: snapshot(&cur), After: snapshot(&next)})
	}
	key := fmt.Sprintf("%d/%d", opt.Year, cur.ID)
	switch _, noteIsState := taotai.ParseProductionState(ie.keyNote); {
	case !ie.listed:
		if _, err := tx.ExecContext(ctx, `INSERT INTO key_list (year, enterprise_id, note, added_at) VALUES ($1, $2, '', $3)`,
			opt.Year, cur.ID, now); err != nil {
			return nil, "", err
		}
		what = append(what, fmt.Sprintf("列入%d年名单", opt.Year))
		cs = append(cs, change{Action: taotai.AuditCreate, Entity: "key_list", EntityID: key, RegionPath: cur.RegionPath, Sector: cur.Sector,
			After: keyListRecord{opt.Year, cur.ID, ""}})
	case noteIsState && ie.keyNote != row.Note:
		// A note that names a production state is what 附件1 prints in 备注.
		if _, err := tx.ExecContext(ctx, `UPDATE key_list SET note = $1 WHERE year = $2 AND enterprise_id = $3`,
			row.Note, opt.Year, cur.ID); err != nil {
			return nil, "", err
		}
		what = append(what, fmt.Sprintf("名单备注“%s”改为“%s”", ie.keyNote, row.Note))
		cs = append(cs, change{Action: taotai.AuditUpdate, Entity: "key_list", EntityID: key, RegionPath: cur.RegionPath, Sector: cur.Sector,
			Before: keyListRecord{opt.Year, cur.ID, ie.keyNote}, After: keyListRecord{opt.Year, cur.ID, row.Note}})
	}
	return cs, strings.Join(what, "；"), nil
}

// importIndustries are the industries as an import finds them: by name
// key, and in display order for the message listing them.
type importIndustries struct {
	byName map[string]*taotai.Industry
	names  string // 钢铁、水泥、…
}

func readImportIndustries(ctx context.Context, q queryer) (*importIndustries, error) {
	list, err := industries(ctx, q)
	if err != nil {
		return nil, err
	}
	m := &importIndustries{byName: make(map[string]*taotai.Industry, len(list))}
	names := make([]string, len(list))
	for i, ind := range list {
		m.byName[nameKey(ind.Name)] = ind
		names[i] = ind.Name
	}
	m.names = strings.Join(names, "、")
	return m, nil
}

// industryAliases are other names cities write for an industry.
var industryAliases = map[string]string{"煤矿": "煤炭", "煤炭开采": "煤炭", "玻璃": "平板玻璃", "铝": "电解铝", "钢": "钢铁"}

// industryOf finds a 所属行业 among the industries, in the actor's sector.
func (m *importIndustries) industryOf(name string, a *taotai.Actor) (*taotai.Industry, string) {
	ind := m.lookup(name)
	if ind == nil {
		return nil, fmt.Sprintf("“%s”不是系统中的行业，应为%s之一", name, m.names)
	}
	if !a.SectorVisible(ind.Sector) {
		return nil, fmt.Sprintf("“%s”不属于您负责的%s行业", ind.Name, taotai.SectorName(a.Sector))
	}
	return ind, ""
}

// lookup finds an industry by the name a city writes for it, or nil.
func (m *importIndustries) lookup(name string) *taotai.Industry {
	k := strings.TrimSuffix(strings.TrimSuffix(nameKey(name), "行业"), "企业")
	if ind := m.byName[k]; ind != nil {
		return ind
	}
	return m.byName[industryAliases[k]]
}

// otherIndustry says that a row's industry is of the other channel.
func otherIndustry(ind *taotai.Industry, file string) string {
	return fmt.Sprintf("“%s”属于%s行业，本次导入的是%s报表；请在%s报表中填报", ind.Name, taotai.SectorName(ind.Sector),
		taotai.SectorName(file), taotai.SectorName(ind.Sector))
}

// placeRegion is a region of an import's subtree, as an address may name it.
type placeRegion struct {
	*taotai.Region
	parent string // the parent's name: 鞍山市 for 铁东区
	leaf   bool   // enterprises are registered in it
}

// subtreeRegions reads the regions of region's subtree.
func subtreeRegions(ctx context.Context, tx *sql.Tx, region *taotai.Region) ([]placeRegion, error) {
	w := &where{}
	w.add("r.path >= ? AND r.path < ?", region.Path, region.Path[:len(region.Path)-1]+"0")
	rows, err := tx.QueryContext(ctx, `SELECT r.code, r.name, r.path, r.level, COALESCE(p.name, ''),
		EXISTS (SELECT 1 FROM regions c WHERE c.parent = r.code) FROM regions r LEFT JOIN regions p ON p.code = r.parent`+
		w.String()+` ORDER BY r.path`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []placeRegion
	for rows.Next() {
		r := placeRegion{Region: &taotai.Region{}}
		var kids bool
		if err := rows.Scan(&r.Code, &r.Name, &r.Path, &r.Level, &r.parent, &kids); err != nil {
			return nil, err
		}
		r.leaf = r.IsLeaf(kids)
		out = append(out, r)
	}
	return out, rows.Err()
}

// regionOfAddress places a new enterprise by what its address names: the
// one county named with its city (鞍山市铁西区…, where 沈阳 has a 铁西区
// too), else the one county named alone, else the one city-level region
// named; failing all, the import's region, to be completed.
func regionOfAddress(regions []placeRegion, region *taotai.Region, address string) string {
	address = nameKey(address)
	one := func(match func(r placeRegion) bool) string {
		found := ""
		for _, r := range regions {
			if r.Code != region.Code && match(r) {
				if found != "" {
					return ""
				}
				found = r.Code
			}
		}
		return found
	}
	for _, match := range []func(r placeRegion) bool{
		func(r placeRegion) bool {
			return r.leaf && r.parent != "" && strings.Contains(address, r.parent) && strings.Contains(address, r.Name)
		},
		func(r placeRegion) bool { return r.leaf && strings.Contains(address, r.Name) },
		func(r placeRegion) bool { return r.Level == taotai.LevelCity && strings.Contains(address, r.Name) },
	} {
		if code := one(match); code != "" {
			return code
		}
	}
	return region.Code
}

// regionPathOf gives the path of a region code of the subtree.
func regionPathOf(regions []placeRegion, region *taotai.Region, code string) string {
	for _, r := range regions {
		if r.Code == code {
			return r.Path
		}
	}
	return region.Path
}
