package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"taotai"
	"taotai/internal/forms"
)

// ImportOptions says where a filled form goes.
type ImportOptions struct {
	Form       int    // 1, 2 or 3
	RegionCode string // the submitting region: enterprises are matched within it
	// Sector is the file's channel, coal or noncoal: a file stands for one
	// region, one channel and one period, and its import touches no row of
	// the other channel. "" takes the actor's, when they have only one.
	Sector string
	Year   int // the campaign year: 附件1's key list; the year of 附件2/3's period
	// Period is 附件2/3's period key ("2020-06", "2020"); "" takes the
	// one the form's title names, and without one the import is refused.
	Period   string
	FileName string
	// CoalOverride is an administrator's reason for registering, from
	// 附件1, 煤炭 enterprises outside the coal-producing cities (the coal
	// rule refuses them row by row otherwise); ignored for other users.
	CoalOverride string
	// DryRun checks everything and writes nothing: the preview.
	DryRun bool
}

// ImportRow says what an import does with one row of the file.
type ImportRow struct {
	Row    int    // the spreadsheet's row number
	Name   string // 企业名称
	Action string // 新登记, 更新, 无变化, 删除
	Detail string // what changes, in Chinese
}

// Actions of an import row.
const (
	ImportCreate    = "新登记"
	ImportUpdate    = "更新"
	ImportUnchanged = "无变化"
	ImportRemove    = "删除"
)

// ImportReport is what an import found and, unless it had errors or was a
// dry run, did. Either every row was written or none.
type ImportReport struct {
	Form          int
	Region        *taotai.Region
	Sector        string // the channel: coal or noncoal
	Year          int
	Period        Period // 附件2/3
	Rows          []ImportRow
	Errors        []forms.RowError // the reader's and the registry's, in row and column order
	Created       int              // enterprises registered (附件1)
	Updated       int              // rows that changed what was there
	Removed       int              // earlier imported rows the new file no longer has (附件2/3)
	Unchanged     int
	Written       bool // the changes were committed
	HasCreditCode bool // 附件1 came with a 统一社会信用代码 column
	// NotInFile names the enterprises of the region on the year's key list
	// that 附件1 does not have. The import leaves them listed (an
	// enterprise leaves the list on its own page, with a reason), but the
	// clerk should know.
	NotInFile []string
}

// Changes counts the rows that change something.
func (r *ImportReport) Changes() int { return r.Created + r.Updated + r.Removed }

// HasErrors reports whether a problem blocks the import (warnings do not).
func (r *ImportReport) HasErrors() bool { return forms.HasHardErrors(r.Errors) }

// errRollback ends a transaction that must write nothing: a dry run, or
// an import with errors.
var errRollback = errors.New("import: roll back")

// ImportForm reads a filled form and writes it into the database in one
// transaction: 附件1 into the registry and the year's key list, 附件2 and
// 附件3 as the rows a city reported for the period. Problems of the file
// itself (not an .xlsx, too big, no header) are an EINVALID error; the
// problems of rows are in the report, and then nothing is written.
// Importing the same file again changes nothing.
func (s *DB) ImportForm(ctx context.Context, opt ImportOptions, data []byte) (*ImportReport, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Can(taotai.ActImportForms) {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能导入报表。", taotai.RoleName(a.Role))
	}
	region, err := findRegion(ctx, s.db, opt.RegionCode)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(region.Path, a.RegionPath) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "“%s”不在您的管辖范围内。", region.Name)
	}
	if opt.Sector == "" {
		opt.Sector = a.Sector
	}
	switch {
	case opt.Sector == "":
		return nil, taotai.Errorf(taotai.EINVALID, "请选择这份报表是煤矿还是非煤：一份报表只填报一个行业类别（煤矿或非煤）。")
	case !taotai.ValidSector(opt.Sector):
		return nil, taotai.Errorf(taotai.EINVALID, taotai.MsgBadSector)
	case !a.SectorVisible(opt.Sector):
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "您负责的是%s行业，不能导入%s报表。", taotai.SectorName(a.Sector), taotai.SectorName(opt.Sector))
	}
	if _, err := s.FindCampaignYear(ctx, opt.Year); err != nil {
		return nil, err
	}
	rep := &ImportReport{Form: opt.Form, Region: region, Sector: opt.Sector, Year: opt.Year}
	var plan func(tx *sql.Tx, rep *ImportReport) error
	switch opt.Form {
	case forms.Form1:
		res, err := forms.Read1(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		plan = func(tx *sql.Tx, rep *ImportReport) error { return s.import1(ctx, tx, a, opt, res, rep) }
	case forms.Form2:
		res, err := forms.Read2(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		if rep.Period, err = s.importPeriod(ctx, opt, res.FormTitle); err != nil {
			return nil, err
		}
		plan = func(tx *sql.Tx, rep *ImportReport) error { return s.import2(ctx, tx, a, opt, res, rep) }
	case forms.Form3:
		res, err := forms.Read3(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		if rep.Period, err = s.importPeriod(ctx, opt, res.FormTitle); err != nil {
			return nil, err
		}
		plan = func(tx *sql.Tx, rep *ImportReport) error { return s.import3(ctx, tx, a, opt, res, rep) }
	default:
		return nil, taotai.Errorf(taotai.EINVALID, "附件应为1、2或3。")
	}
	err = s.Transact(ctx, func(tx *sql.Tx) error {
		r := *rep // a retried transaction plans afresh
		r.Rows, r.Errors = nil, nil
		if err := plan(tx, &r); err != nil {
			return err
		}
		sortRowErrors(r.Errors)
		*rep = r
		if opt.DryRun || rep.HasErrors() || rep.Changes() == 0 {
			return errRollback
		}
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, err
	}
	rep.Written = err == nil
	return rep, nil
}

// importPeriod decides the period of a 附件2/3 import: the one chosen,
// else the one the form's title names. A title naming another year than
// the chosen one, or another period than the one chosen, is an error, and
// so is a file whose period is neither chosen nor in its title: taking the
// year would replace the year's rows.
func (s *DB) importPeriod(ctx context.Context, opt ImportOptions, t forms.FormTitle) (Period, error) {
	if t.TitleYear != 0 && t.TitleYear != opt.Year {
		return Period{}, taotai.Errorf(taotai.EINVALID, "表格标题“%s”写的是%d年，与所选年度（%d年）不一致；请核对文件或所选年度。",
			t.Title, t.TitleYear, opt.Year)
	}
	fromTitle := ""
	switch {
	case t.Period == "年度":
		fromTitle = strconv.Itoa(opt.Year)
	case strings.HasSuffix(t.Period, "月"):
		m, _ := strconv.Atoi(strings.TrimSuffix(t.Period, "月"))
		fromTitle = fmt.Sprintf("%d-%02d", opt.Year, m)
	}
	key := opt.Period
	if key == "" {
		if fromTitle == "" {
			example := fmt.Sprintf(forms.Title2, "6月")
			if opt.Form == forms.Form3 {
				example = forms.Title3 + "（6月）"
			}
			return Period{}, taotai.Errorf(taotai.EINVALID, "表格标题中没有报送期间（如“%s”），请选择报送期间。", example)
		}
		key = fromTitle
	}
	p, err := s.ParsePeriod(ctx, key)
	if err != nil {
		if opt.Period == "" && taotai.ErrorCode(err) == taotai.EINVALID {
			var names []string
			if ps, perr := s.Periods(ctx, opt.Year); perr == nil {
				for _, q := range ps {
					names = append(names, q.Name())
				}
			}
			return Period{}, taotai.Errorf(taotai.EINVALID, "表格标题“%s”的报送期间（%s）不是%d年的报送期间（%s），请核对标题或选择报送期间。",
				t.Title, t.Period, opt.Year, strings.Join(names, "、"))
		}
		return Period{}, err
	}
	if p.Year != opt.Year {
		return Period{}, taotai.Errorf(taotai.EINVALID, "报送期间%s不在%d年度内。", key, opt.Year)
	}
	if fromTitle != "" && fromTitle != p.Key {
		return Period{}, taotai.Errorf(taotai.EINVALID, "表格标题“%s”的报送期间为%s，与所选报送期间（%s）不一致。", t.Title, t.Period, p.Label)
	}
	return p, nil
}

// sortRowErrors puts errors in row order, then column order (A … Z, AA …).
func sortRowErrors(errs []forms.RowError) {
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i], errs[j]
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return len(a.Col) < len(b.Col) || len(a.Col) == len(b.Col) && a.Col < b.Col
	})
}

// nameKey is an enterprise name as the import compares it: full-width
// letters, digits and spaces folded, every space removed.
func nameKey(s string) string {
	return strings.Join(strings.Fields(taotai.FoldWidth(s)), "")
}

// rowErr makes one row error.
func rowErr(row int, col, field, msg string) forms.RowError {
	return forms.RowError{Row: row, Col: col, Field: field, Message: msg}
}

// hasRowError reports whether errs holds a hard error of row.
func hasRowError(errs []forms.RowError, row int) bool {
	for _, e := range errs {
		if e.Row == row && !e.Warning {
			return true
		}
	}
	return false
}

// importEnterprise is a registry row an import may match.
type importEnterprise struct {
	*taotai.Enterprise
	listed  bool   // on the year's key list
	keyNote string // its key-list note
}

// laneEnterprises reads the enterprises of the region's subtree in the
// actor's lane, with their key-list entry of year, indexed by name key.
func laneEnterprises(ctx context.Context, tx *sql.Tx, a *taotai.Actor, region *taotai.Region, year int) (map[string][]*importEnterprise, []*importEnterprise, error) {
	w := &where{}
	join := ` LEFT JOIN key_list k ON k.enterprise_id = e.id AND k.year = ` + w.next(year)
	w.lane(a, "e")
	w.subtree("e", region.Path)
	rows, err := tx.QueryContext(ctx, enterpriseSelect+`, k.note IS NOT NULL, COALESCE(k.note, '')`+enterpriseFrom+join+w.String()+
		` ORDER BY e.id`, w.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("import: enterprises: %w", err)
	}
	defer rows.Close()
	byName := map[string][]*importEnterprise{}
	var all []*importEnterprise
	for rows.Next() {
		ie := &importEnterprise{}
		if ie.Enterprise, err = scanEnterprise(rows, &ie.listed, &ie.keyNote); err != nil {
			return nil, nil, err
		}
		k := nameKey(ie.Name)
		byName[k] = append(byName[k], ie)
		all = append(all, ie)
	}
	return byName, all, rows.Err()
}

// matchName finds the one enterprise of a name in the channel (sector).
// When the channel has none of that name but the other channel has, other
// is one of those; msg says why a name matches no single enterprise.
func matchName(byName map[string][]*importEnterprise, name, sector string) (ie, other *importEnterprise, msg string) {
	var mine []*importEnterprise
	for _, e := range byName[nameKey(name)] {
		if e.Sector == sector {
			mine = append(mine, e)
		} else if other == nil {
			other = e
		}
	}
	switch len(mine) {
	case 0:
		return nil, other, ""
	case 1:
		return mine[0], nil, ""
	default:
		return nil, nil, fmt.Sprintf("本地区有%d家企业名为“%s”，无法确定是哪一家，请加“统一社会信用代码”列区分", len(mine), name)
	}
}

// otherChannel says that a row names an enterprise of the other channel.
func otherChannel(name, sector, file string) string {
	return fmt.Sprintf("“%s”是%s企业，本次导入的是%s报表；请在%s报表中填报", name, taotai.SectorName(sector), taotai.SectorName(file), taotai.SectorName(sector))
}
